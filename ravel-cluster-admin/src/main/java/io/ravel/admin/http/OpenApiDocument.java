package io.ravel.admin.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 description of the admin's HTTP API, served at GET /openapi.json. It is the resource
 * {@code openapi.json} beside this class in the admin jar, read once.
 */
final class OpenApiDocument {

    private static final String RESOURCE = "openapi.json";

    private OpenApiDocument() {
    }

    static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the admin jar has no " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
