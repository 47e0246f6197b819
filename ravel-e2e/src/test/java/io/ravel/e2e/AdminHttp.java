package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ravel.testkit.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the admin's routes, as curl would use them. */
final class AdminHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient SHARED = newClient();

    private final String address;
    private final String base;
    private final HttpClient client;

    AdminHttp(String address) {
        this(address, SHARED);
    }

    private AdminHttp(String address, HttpClient client) {
        this.address = address;
        this.base = "http://" + address;
        this.client = client;
    }

    /**
     * A client of the admin at {@code address} with connections of its own, never one another client
     * opened: each of its concurrent requests opens a connection of its own until it has as many as there
     * are concurrent requests.
     */
    static AdminHttp withOwnConnections(String address) {
        return new AdminHttp(address, newClient());
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The admin's HTTP host:port. */
    String address() {
        return address;
    }

    /** Status code and parsed JSON body (a text node when the body is not JSON). */
    record Reply(int status, JsonNode body, String raw) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** The node as it reads back from its JSON text (e.g. a long that fits an int becomes an int node). */
    static JsonNode normalized(JsonNode node) {
        try {
            return JSON.readTree(node.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply post(String route, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply get(String route) {
        return send(HttpRequest.newBuilder(URI.create(base + route)).GET());
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.getNodeFactory().textNode(response.body());
            }
            return new Reply(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + request.build().uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply put(String key, JsonNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.put("key", key);
        body.set("val", value);
        return post("/put", body.toString());
    }


    Reply read(String key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("key", key);
        return post("/get", body.toString());
    }

    Reply delete(String key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("key", key);
        return post("/delete", body.toString());
    }

    /** Writes until the admin acknowledges (a leader change may take a moment), failing after the deadline. */
    void putAcked(String key, JsonNode value, Duration deadline) {
        Waits.retry(deadline, "put " + key, () -> {
            Reply r = put(key, value);
            if (!r.ok()) {
                throw new IllegalStateException("put " + key + ": " + r);
            }
            return r;
        });
    }

    JsonNode clusters() {
        Reply r = get("/clusters");
        if (!r.ok()) {
            throw new IllegalStateException("/clusters: " + r);
        }
        return r.body();
    }
}
