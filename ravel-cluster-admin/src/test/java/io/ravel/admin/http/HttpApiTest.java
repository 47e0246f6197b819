package io.ravel.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ravel.admin.AdminConfig;
import io.ravel.admin.AdminServer;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.HostPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API of a real admin with no cluster: every client mistake gets its documented 4xx and a message. */
@Timeout(60)
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path backup;
    private static AdminServer server;

    @BeforeAll
    static void start() {
        server = new AdminServer(new AdminConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                backup, new RelocationSettings(Duration.ZERO, 512))).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.httpAddress() + path))
                .timeout(Duration.ofSeconds(20)).method(method, publisher).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String fragment) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("error").isTextual(), response.body());
        assertTrue(body.get("error").textValue().contains(fragment), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        assertFalse(response.body().contains("\tat "), response.body());
    }

    @Test
    void theConsoleIsServedFromTheJarAtUi() throws Exception {
        HttpResponse<String> ui = send("GET", "/ui", null);
        assertEquals(302, ui.statusCode(), ui.body());
        assertEquals("/ui/index.html", ui.headers().firstValue("Location").orElse(""));
        String[][] files = {{"/ui/index.html", "text/html", "console.js"}, {"/ui/console.js", "javascript", "/clusters"},
            {"/ui/console.css", "text/css", "unreachable"}};
        for (String[] file : files) {
            HttpResponse<String> r = send("GET", file[0], null);
            assertEquals(200, r.statusCode(), file[0]);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").contains(file[1]), file[0] + ": " + r.headers());
            assertTrue(r.body().contains(file[2]), file[0]);
        }
        assertEquals(404, send("GET", "/ui/nothing.js", null).statusCode());
    }

    @Test
    void malformedJsonIs400() throws Exception {
        for (String route : new String[] {"/put", "/get", "/delete"}) {
            assertError(send("POST", route, "{\"key\": \"a\""), 400, "not valid JSON");
            assertError(send("POST", route, "{\"key\": \"a\"} trailing"), 400, "not valid JSON");
            assertError(send("POST", route, ""), 400, "empty");
            assertError(send("POST", route, "[\"key\"]"), 400, "JSON object");
        }
    }

    @Test
    void badVersionIfVersionOrTtlIs400() throws Exception {
        for (String ttl : new String[] {"0", "-3", "1.5", "\"10\"", "true", "null", "99999999999"}) {
            assertError(send("POST", "/put", "{\"key\": \"a\", \"val\": 1, \"ttl\": " + ttl + "}"), 400, "\"ttl\"");
        }
        for (String route : new String[] {"/put", "/delete"}) {
            for (String v : new String[] {"-1", "2.5", "\"3\"", "null", "[1]"}) {
                assertError(send("POST", route, "{\"key\": \"a\", \"val\": 1, \"ifVersion\": " + v + "}"), 400,
                        "\"ifVersion\"");
            }
        }
        assertError(send("POST", "/get", "{\"key\": \"a\", \"version\": \"yes\"}"), 400, "\"version\"");
        // well-formed options reach the router, which has no cluster to send them to
        assertError(send("POST", "/put", "{\"key\": \"a\", \"val\": 1, \"ifVersion\": 0, \"ttl\": 5}"), 503, "no cluster");
    }

    @Test
    void missingOrNonStringOrEmptyKeyIs400() throws Exception {
        for (String route : new String[] {"/put", "/get", "/delete"}) {
            assertError(send("POST", route, "{\"val\": 1}"), 400, "\"key\" is missing");
            assertError(send("POST", route, "{\"key\": 42, \"val\": 1}"), 400, "\"key\" must be a string");
            assertError(send("POST", route, "{\"key\": {\"a\":1}, \"val\": 1}"), 400, "\"key\" must be a string");
            assertError(send("POST", route, "{\"key\": \"\", \"val\": 1}"), 400, "must not be empty");
        }
    }

    @Test
    void putWithoutValueIs400() throws Exception {
        assertError(send("POST", "/put", "{\"key\": \"a\"}"), 400, "\"val\" is missing");
        assertError(send("POST", "/put", "{\"key\": \"a\", \"val\": 1, \"value\": 2}"), 400, "not both");
    }

    @Test
    void aKeyThatIsNotValidUnicodeIs400() throws Exception {
        for (String route : new String[] {"/put", "/get", "/delete"}) {
            for (String key : new String[] {"\\ud800", "a\\udc00b", "\\ud800\\ud800", "x\\ud83e"}) {
                assertError(send("POST", route, "{\"key\": \"" + key + "\", \"val\": 1}"), 400, "valid Unicode");
            }
            // the same lone surrogate as raw bytes (its 3-byte CESU form, which is not UTF-8)
            byte[] raw = {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"',
                    ',', '"', 'v', 'a', 'l', '"', ':', '1', '}'};
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.httpAddress() + route))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build();
            assertError(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()), 400, "valid Unicode");
            // a surrogate pair is a character like any other: the key is accepted (and finds no cluster)
            assertError(send("POST", route, "{\"key\": \"\\ud83e\\udd80\", \"val\": 1}"), 503, "no cluster");
        }
    }

    @Test
    void wrongMethodIs405() throws Exception {
        for (String route : new String[] {"/put", "/get", "/delete"}) {
            for (String method : new String[] {"GET", "PUT", "PATCH", "DELETE"}) {
                HttpResponse<String> r = send(method, route, method.equals("GET") ? null : "{\"key\":\"a\"}");
                assertError(r, 405, "use POST");
                assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
            }
        }
        assertError(send("POST", "/health", "{}"), 405, "use GET");
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        assertError(send("GET", "/nope", null), 404, "no such route");
        assertError(send("POST", "/nope", "{}"), 404, "no such route");
    }

    @Test
    void openApiDocumentDescribesEveryRoute() throws Exception {
        HttpResponse<String> r = send("GET", "/openapi.json", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode doc = JSON.readTree(r.body());
        assertTrue(doc.get("openapi").textValue().startsWith("3."), r.body());
        for (String route : new String[] {"/put", "/get", "/delete", "/batch", "/scan"}) {
            assertTrue(doc.path("paths").path(route).has("post"), route);
        }
        for (String route : new String[] {"/health", "/clusters", "/metrics", "/openapi.json"}) {
            assertTrue(doc.path("paths").path(route).has("get"), route);
        }
        assertError(send("POST", "/openapi.json", "{}"), 405, "use GET");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"key\":\"a\",\"val\":\"" + "x".repeat(AdminConfig.DEFAULT_MAX_REQUEST_BYTES) + "\"}";
        assertError(send("POST", "/put", big), 413, "larger than " + AdminConfig.DEFAULT_MAX_REQUEST_BYTES);
    }

    @Test
    void aValueOfOneMebibyteIsUnderTheDefaultLimit() throws Exception {
        String oneMiB = "{\"key\":\"a\",\"val\":\"" + "x".repeat(1 << 20) + "\"}";
        assertError(send("POST", "/put", oneMiB), 503, "no cluster");
    }

    @Test
    void theLimitIsTheConfiguredOne(@TempDir Path otherBackup) throws Exception {
        AdminServer small = new AdminServer(new AdminConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                otherBackup, new RelocationSettings(Duration.ZERO, 512), 2048)).start();
        try {
            String url = "http://" + small.httpAddress() + "/put";
            HttpResponse<String> over = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"a\",\"val\":\"" + "x".repeat(2048) + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertError(over, 413, "larger than 2048 bytes (the admin's --maxRequestBytes)");
            HttpResponse<String> under = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"a\",\"val\":\"" + "x".repeat(1900) + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertError(under, 503, "no cluster");
        } finally {
            small.stop();
        }
    }

    @Test
    void wellFormedRequestsWithNoClusterAre503() throws Exception {
        assertError(send("POST", "/put", "{\"key\":\"the_answer\",\"value\":42}"), 503, "no cluster");
        assertError(send("POST", "/put", "{\"key\":\"k\",\"val\":null}"), 503, "no cluster");
        assertError(send("POST", "/get", "{\"key\":\"dogegod\"}"), 503, "no cluster");
        assertError(send("POST", "/delete", "{\"key\":\"dogegod\"}"), 503, "no cluster");
    }

    @Test
    void healthAndClustersDescribeAnEmptySystem() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals(JSON.readTree("{\"status\":\"ok\",\"clusters\":0,\"role\":\"leader\",\"groupSize\":1}"),
                JSON.readTree(health.body()));

        HttpResponse<String> clusters = send("GET", "/clusters", null);
        assertEquals(200, clusters.statusCode());
        com.fasterxml.jackson.databind.node.ObjectNode body =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(clusters.body());
        com.fasterxml.jackson.databind.JsonNode group = body.remove("adminGroup");
        assertEquals(JSON.readTree("{\"clusters\":[],\"relocation\":{\"inProgress\":false,\"partitionsMoved\":0,"
                + "\"partitionsTotal\":0,\"keysMoved\":0}}"), body);
        // A single admin is the leader of a group of one, without a Raft address.
        assertEquals(1, group.path("size").asInt());
        assertEquals(1, group.path("members").size());
        assertTrue(group.path("members").get(0).path("raftAddress").isNull());
        assertEquals(server.httpAddress(), group.path("members").get(0).path("httpAddress").asText());
        assertTrue(group.path("members").get(0).path("leader").asBoolean());
    }

    @Test
    void metricsCountRequestsAndErrorsPerRoute() throws Exception {
        send("POST", "/get", "{}");
        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        assertTrue(text.contains("ravel_http_requests_seconds_count{route=\"/get\",status=\"400\"}"), text);
        assertTrue(text.contains("ravel_http_errors_total{route=\"/get\",status=\"400\"}"), text);
        assertTrue(text.contains("ravel_clusters 0.0"), text);
    }
}
