package io.ravel.admin.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.admin.AdminException;

import java.io.IOException;

/**
 * A parsed /put, /get or /delete body: the key, for /put the value as compact JSON text, and the
 * optional fields ({@link KvOptions}).
 * The body is parsed once, into a Jackson tree; every rule broken gives a BAD_REQUEST whose message
 * says what is wrong.
 */
record KvRequest(String key, byte[] jsonValue, KvOptions options) {

    KvRequest(String key, byte[] jsonValue) {
        this(key, jsonValue, KvOptions.NONE);
    }

    static KvRequest parse(byte[] body, boolean needsValue) {
        if (body.length == 0) {
            throw bad("the request body is empty; send a JSON object such as {\"key\": \"k\"}");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw bad("the request body is not valid JSON" + where(e) + ": " + shortMessage(e));
        } catch (IOException e) {
            throw bad("the request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw bad("the request body must be a JSON object");
        }
        JsonNode key = root.get("key");
        if (key == null || key.isNull()) {
            throw bad("\"key\" is missing");
        }
        if (!key.isTextual()) {
            throw bad("\"key\" must be a string");
        }
        if (key.textValue().isEmpty()) {
            throw bad("\"key\" must not be empty");
        }
        if (!wellFormed(key.textValue())) {
            // UTF-8 has no form for a lone surrogate: encoding it would store the key as "?"
            throw bad("\"key\" must be valid Unicode: it holds a lone surrogate (such as \\ud800 without its pair)");
        }
        KvOptions options = KvOptions.parse(root);
        if (!needsValue) {
            return new KvRequest(key.textValue(), null, options);
        }
        JsonNode val = root.get("val");
        JsonNode value = root.get("value");
        if (val != null && value != null) {
            throw bad("give the value under either \"val\" or \"value\", not both");
        }
        JsonNode v = val != null ? val : value;
        if (v == null) {
            throw bad("\"val\" is missing (the value may also be given as \"value\")");
        }
        try {
            return new KvRequest(key.textValue(), Json.MAPPER.writeValueAsBytes(v), options);
        } catch (IOException e) {
            throw bad("the value cannot be stored as JSON");
        }
    }

    /**
     * Whether every surrogate in {@code text} is half of a pair. Values need no such check: Jackson
     * writes a lone surrogate inside a value as a JSON escape, so the value reads back as written.
     */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Jackson's message without its source excerpt or location suffix. */
    private static String shortMessage(JacksonException e) {
        String m = String.valueOf(e.getOriginalMessage());
        for (String cut : new String[] {"\n", " (start marker", " at [Source", "\r"}) {
            int i = m.indexOf(cut);
            if (i > 0) {
                m = m.substring(0, i);
            }
        }
        return m;
    }

    private static AdminException bad(String message) {
        return new AdminException(AdminException.Reason.BAD_REQUEST, message);
    }
}
