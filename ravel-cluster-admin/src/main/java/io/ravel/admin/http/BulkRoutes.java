package io.ravel.admin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ravel.admin.routing.BatchOp;
import io.ravel.admin.routing.BatchRouter;
import io.ravel.admin.routing.ScanRouter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * POST /batch and POST /scan: parse the body ({@link BulkRequests}), run it ({@link BatchRouter},
 * {@link ScanRouter}) and write the JSON answer. A batch answers 200 with one result per operation,
 * in order: {@code {"msg":"ok"}}, {@code {"key":k,"val":v}} or {@code {"error":...,"status":n}}; a
 * scan answers {@code {"items":[{"key":k,"val":v},...],"next":k|null}}.
 */
final class BulkRoutes {

    private final BatchRouter batches;
    private final ScanRouter scans;

    BulkRoutes(BatchRouter batches, ScanRouter scans) {
        this.batches = batches;
        this.scans = scans;
    }

    /** Parses a /batch body (throwing on a bad one) and runs it. */
    CompletableFuture<byte[]> batch(byte[] body) {
        List<BatchOp> ops = BulkRequests.batch(body);
        return batches.run(ops).thenApply(results -> Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (int i = 0; i < results.size(); i++) {
                result(g, ops.get(i), results.get(i));
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void result(JsonGenerator g, BatchOp op, BatchOp.Result r) throws IOException {
        g.writeStartObject();
        if (r.error() != null) {
            g.writeStringField("error", r.error().getMessage());
            g.writeNumberField("status", ErrorMapping.status(r.error()));
        } else if (op.kind() == BatchOp.Kind.GET) {
            g.writeStringField("key", op.key());
            g.writeFieldName("val");
            g.writeRawValue(new String(r.value(), StandardCharsets.UTF_8));
        } else {
            g.writeStringField("msg", "ok");
        }
        g.writeEndObject();
    }

    /** Parses a /scan body (throwing on a bad one) and answers one page. */
    CompletableFuture<byte[]> scan(byte[] body) {
        BulkRequests.Scan request = BulkRequests.scan(body);
        return scans.scan(request.prefix(), request.after(), request.limit()).thenApply(page -> Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (ScanRouter.Item item : page.items()) {
                g.writeStartObject();
                g.writeStringField("key", item.key());
                g.writeFieldName("val");
                g.writeRawValue(new String(item.jsonValue(), StandardCharsets.UTF_8));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("next", page.next());
            g.writeEndObject();
        }));
    }
}
