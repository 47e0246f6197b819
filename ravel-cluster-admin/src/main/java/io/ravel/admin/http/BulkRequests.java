package io.ravel.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.admin.AdminException;
import io.ravel.admin.routing.BatchOp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses the bodies of POST /batch and POST /scan. Every rule broken gives a BAD_REQUEST (or, for too
 * many operations, TOO_LARGE) whose message says what is wrong; a batch with one bad operation is
 * refused whole, before anything is sent to a replica.
 */
final class BulkRequests {

    /** Most operations one batch may carry. */
    static final int MAX_OPS = 1000;
    /** Page size of a scan without "limit". */
    static final int DEFAULT_LIMIT = 100;
    /** Largest page a scan answers; a larger "limit" is lowered to it. */
    static final int MAX_LIMIT = 1000;

    private static final Set<String> OP_FIELDS = Set.of("op", "key", "val", "value");
    private static final Set<String> SCAN_FIELDS = Set.of("prefix", "limit", "after");

    /** A parsed /scan body. */
    record Scan(String prefix, String after, int limit) {
    }

    private BulkRequests() {
    }

    static List<BatchOp> batch(byte[] body) {
        JsonNode root = object(body, "{\"ops\": [{\"op\": \"get\", \"key\": \"k\"}]}");
        JsonNode ops = root.get("ops");
        if (ops == null || ops.isNull()) {
            throw bad("\"ops\" is missing");
        }
        if (!ops.isArray()) {
            throw bad("\"ops\" must be an array of operations");
        }
        if (ops.size() > MAX_OPS) {
            throw new AdminException(AdminException.Reason.TOO_LARGE,
                    "a batch holds at most " + MAX_OPS + " operations; this one has " + ops.size());
        }
        List<BatchOp> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            out.add(op(ops.get(i), "ops[" + i + "]: "));
        }
        return out;
    }

    private static BatchOp op(JsonNode op, String where) {
        if (!op.isObject()) {
            throw bad(where + "an operation must be a JSON object");
        }
        for (Iterator<String> names = op.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OP_FIELDS.contains(name)) {
                throw bad(where + "unknown field \"" + name + "\"; an operation takes \"op\", \"key\" and \"val\" (or \"value\")");
            }
        }
        JsonNode kind = op.get("op");
        if (kind == null || !kind.isTextual()) {
            throw bad(where + "\"op\" must be \"put\", \"get\" or \"delete\"");
        }
        BatchOp.Kind k = switch (kind.textValue()) {
            case "put" -> BatchOp.Kind.PUT;
            case "get" -> BatchOp.Kind.GET;
            case "delete" -> BatchOp.Kind.DELETE;
            default -> throw bad(where + "\"op\" must be \"put\", \"get\" or \"delete\", not \"" + kind.textValue() + "\"");
        };
        JsonNode key = op.get("key");
        if (key == null || key.isNull()) {
            throw bad(where + "\"key\" is missing");
        }
        if (!key.isTextual()) {
            throw bad(where + "\"key\" must be a string");
        }
        if (key.textValue().isEmpty()) {
            throw bad(where + "\"key\" must not be empty");
        }
        if (!KvRequest.wellFormed(key.textValue())) {
            throw bad(where + "\"key\" must be valid Unicode: it holds a lone surrogate (such as \\ud800 without its pair)");
        }
        JsonNode val = op.get("val");
        JsonNode value = op.get("value");
        if (k != BatchOp.Kind.PUT) {
            if (val != null || value != null) {
                throw bad(where + "only a \"put\" takes a value");
            }
            return new BatchOp(k, key.textValue(), null);
        }
        if (val != null && value != null) {
            throw bad(where + "give the value under either \"val\" or \"value\", not both");
        }
        JsonNode v = val != null ? val : value;
        if (v == null) {
            throw bad(where + "\"val\" is missing (the value may also be given as \"value\")");
        }
        try {
            return new BatchOp(k, key.textValue(), Json.MAPPER.writeValueAsBytes(v));
        } catch (IOException e) {
            throw bad(where + "the value cannot be stored as JSON");
        }
    }

    static Scan scan(byte[] body) {
        JsonNode root = body.length == 0 ? Json.MAPPER.createObjectNode() : object(body, "{\"prefix\": \"p\"}");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SCAN_FIELDS.contains(name)) {
                throw bad("unknown field \"" + name + "\"; a scan takes \"prefix\", \"limit\" and \"after\"");
            }
        }
        String prefix = optionalString(root, "prefix");
        String after = optionalString(root, "after");
        JsonNode limit = root.get("limit");
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isNull()) {
            if (!limit.isIntegralNumber()) {
                throw bad("\"limit\" must be a whole number from 1 to " + MAX_LIMIT);
            }
            if (!limit.canConvertToLong() || limit.longValue() < 1) {
                throw bad("\"limit\" must be at least 1");
            }
            n = (int) Math.min(limit.longValue(), MAX_LIMIT);
        }
        return new Scan(prefix, after, n);
    }

    private static String optionalString(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw bad("\"" + field + "\" must be a string");
        }
        if (!KvRequest.wellFormed(v.textValue())) {
            throw bad("\"" + field + "\" must be valid Unicode: it holds a lone surrogate (such as \\ud800 without its pair)");
        }
        return v.textValue();
    }

    private static JsonNode object(byte[] body, String example) {
        if (body.length == 0) {
            throw bad("the request body is empty; send a JSON object such as " + example);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw bad("the request body is not valid JSON" + where + ": "
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw bad("the request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw bad("the request body must be a JSON object");
        }
        return root;
    }

    private static AdminException bad(String message) {
        return new AdminException(AdminException.Reason.BAD_REQUEST, message);
    }
}
