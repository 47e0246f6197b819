package io.ravel.robustness.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ravel.robustness.history.Op;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One client of the admin's HTTP API that turns each request into an {@link Op}, sorting every
 * answer by what it proves:
 * <ul>
 *   <li>200 and 404 are definite (404: a get or delete that found no key);</li>
 *   <li>400 and 413 are refused before the request is routed: failed for sure;</li>
 *   <li>no connection at all (refused, or no connect within the deadline): nothing was sent, failed for sure;</li>
 *   <li>503 (the deadline passed, maybe after the command reached a leader), 500, any other status, a
 *       timeout or a connection lost after sending: the command may have been applied, so unknown.</li>
 * </ul>
 * Not thread-safe beyond the shared {@link HttpClient}: one instance per client thread.
 */
public final class KvClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Above the admin's 10 s request deadline, so a slow answer arrives rather than a timeout. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;
    private final Supplier<String> admin;
    private final int client;
    private final Duration timeout;

    /** @param admin the admin's current host:port (it may move between restarts) */
    public KvClient(HttpClient http, Supplier<String> admin, int client) {
        this(http, admin, client, REQUEST_TIMEOUT);
    }

    /**
     * @param timeout how long to wait for an answer before recording the request as unknown (at least
     *                {@link #REQUEST_TIMEOUT}, the admin's deadline and some)
     */
    public KvClient(HttpClient http, Supplier<String> admin, int client, Duration timeout) {
        this.http = http;
        this.admin = admin;
        this.client = client;
        this.timeout = timeout.compareTo(REQUEST_TIMEOUT) < 0 ? REQUEST_TIMEOUT : timeout;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** @param value JSON text in canonical form ({@link JsonNode#toString()}) */
    public Op put(String key, String value) {
        ObjectNode body = JSON.createObjectNode().put("key", key);
        body.set("val", parse(value));
        long invoke = System.nanoTime();
        Answer a = send("/put", body);
        return Op.put(client, key, value, invoke, a.at, writeOutcome(a.status));
    }

    public Op get(String key) {
        long invoke = System.nanoTime();
        Answer a = send("/get", JSON.createObjectNode().put("key", key));
        Op.Outcome outcome = writeOutcome(a.status);
        String read = null;
        if (a.status == 200) {
            JsonNode val = a.body == null ? null : a.body.get("val");
            if (val == null) {
                outcome = Op.Outcome.UNKNOWN;
            } else {
                read = val.toString();
            }
        }
        return Op.get(client, key, read, invoke, a.at, outcome);
    }

    public Op delete(String key) {
        long invoke = System.nanoTime();
        Answer a = send("/delete", JSON.createObjectNode().put("key", key));
        return Op.delete(client, key, invoke, a.at, writeOutcome(a.status));
    }

    static Op.Outcome writeOutcome(int status) {
        return switch (status) {
            case 200 -> Op.Outcome.OK;
            case 404 -> Op.Outcome.NOT_FOUND;
            case 400, 413, Answer.NOT_SENT -> Op.Outcome.FAILED;
            default -> Op.Outcome.UNKNOWN;
        };
    }

    private record Answer(int status, JsonNode body, long at) {
        static final int NOT_SENT = -1;
        static final int LOST = -2;
    }

    private Answer send(String route, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + admin.get() + route))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            JsonNode json = null;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                // not JSON: the status alone decides
            }
            return new Answer(response.statusCode(), json, at);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Answer(Answer.NOT_SENT, null, System.nanoTime());
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                return new Answer(Answer.NOT_SENT, null, System.nanoTime());
            }
            return new Answer(Answer.LOST, null, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Answer.LOST, null, System.nanoTime());
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
