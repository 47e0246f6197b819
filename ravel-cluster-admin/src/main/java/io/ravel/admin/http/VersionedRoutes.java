package io.ravel.admin.http;

import io.ravel.admin.routing.KvRouter;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The answers of /put, /get and /delete that carry {@link KvOptions}: {@code "version": true} on /get
 * adds the key's version to today's answer; {@code "ifVersion"} on /put answers the new version
 * beside {@code "msg"}; {@code "ttl"} changes nothing in the answer. A request without options never
 * comes here and is answered exactly as the seed's.
 */
final class VersionedRoutes {

    private VersionedRoutes() {
    }

    static CompletableFuture<byte[]> reply(KvRouter router, String route, KvRequest request) {
        KvOptions o = request.options();
        String key = request.key();
        return switch (route) {
            case "/put" -> router.write(key, request.jsonValue(), o.ifVersion(), o.ttlSeconds() * 1000)
                    .thenApply(r -> o.conditional() ? okAt(r.getVersion()) : ok());
            case "/get" -> router.getVersioned(key).thenApply(r -> Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("key", key);
                g.writeFieldName("val");
                g.writeRawValue(r.getValue().toString(StandardCharsets.UTF_8));
                if (o.version()) {
                    g.writeNumberField("version", r.getVersion());
                }
                g.writeEndObject();
            }));
            default -> router.write(key, null, o.ifVersion(), 0).thenApply(r -> ok());
        };
    }

    private static byte[] ok() {
        return "{\"msg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] okAt(long version) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("msg", "ok");
            g.writeNumberField("version", version);
            g.writeEndObject();
        });
    }
}
