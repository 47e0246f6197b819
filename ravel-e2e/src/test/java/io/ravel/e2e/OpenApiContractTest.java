package io.ravel.e2e;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The admin's GET /openapi.json against the real system: a real admin and one cluster of three real
 * replicas answer real requests to every route, successes and errors, and each request and answer is
 * checked against the document the admin serves with an OpenAPI validator. A request the test sends
 * on purpose against the rules must be one the document rejects too. The last step checks that every
 * metric the Grafana dashboard of docs/ queries is in a real scrape of the admin or of a replica.
 */
@Timeout(600)
class OpenApiContractTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int MAX_REQUEST_BYTES = 4096;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    private OpenApiInteractionValidator validator;
    private String replicaMetrics;
    /** Every method and route checked, with its status: the coverage asserted at the end. */
    private final Set<String> seen = new TreeSet<>();

    /** A request as sent: whether the document should accept it. */
    private enum Expect { CONFORMS, BREAKS_THE_DOCUMENT }

    private record Answer(int status, String contentType, String body, JsonNode json) {
    }

    @BeforeAll
    void anAdminWithASmallBodyLimit() {
        newSystem("openapi");
        system.startAdmin("", " --maxRequestBytes=" + MAX_REQUEST_BYTES);
        http = system.http();
    }

    @Test
    @Order(1)
    void theAdminServesItsOpenApiDocument() {
        HttpResponse<String> r = send("GET", "/openapi.json", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode doc = null;
        try {
            doc = AdminHttp.JSON.readTree(r.body());
        } catch (IOException e) {
            fail("/openapi.json is not JSON: " + e.getMessage());
        }
        assertTrue(doc.path("openapi").asText().startsWith("3."), "an OpenAPI 3 document");
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(r.body()).build();
        get("/openapi.json");
        for (String route : List.of("/put", "/get", "/delete", "/batch", "/scan", "/health", "/clusters", "/metrics")) {
            assertTrue(doc.path("paths").has(route), "the document describes " + route);
        }
    }

    @Test
    @Order(2)
    void beforeAnyClusterKeyRoutesAnswer503() {
        assertEquals(0, get("/health").json().get("clusters").asInt());
        get("/clusters");
        post("/put", "{\"key\": \"k\", \"val\": 1}", 503);
        post("/get", "{\"key\": \"k\"}", 503);
        post("/delete", "{\"key\": \"k\"}", 503);
        post("/scan", "{\"prefix\": \"k\"}", 503);
        // a batch answers 200 and fails each of its operations on its own
        JsonNode batch = post("/batch", "{\"ops\": [{\"op\": \"get\", \"key\": \"k\"}]}", 200).json();
        assertEquals(503, batch.path("results").path(0).path("status").asInt(), batch.toString());
    }

    @Test
    @Order(3)
    void oneClusterOfThreeReplicas() {
        replicaMetrics = FreePorts.address();
        system.startNode("leader1", true, " --metrics=\"" + replicaMetrics + "\"");
        system.startNode("replica1", false);
        system.startNode("replica2", false);
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
        http.putAcked("warm-up", AdminHttp.JSON.getNodeFactory().numberNode(0), DEADLINE);
        JsonNode clusters = get("/clusters").json();
        assertEquals(3, clusters.path("clusters").path(0).path("replicas").size(), clusters.toString());
        assertEquals(1, get("/health").json().get("clusters").asInt());
    }

    @Test
    @Order(4)
    void singleKeyRoutesSucceed() {
        post("/put", "{\"key\": \"the_answer\", \"value\": 42}", 200);
        post("/put", "{\"key\": \"hello_friend\", \"val\": {\"elliot\": \"Rami Malek\", \"n\": [1, 2.5, null, true]}}", 200);
        post("/put", "{\"key\": \"nothing\", \"val\": null}", 200);
        post("/put", "{\"key\": \"session\", \"val\": \"s\", \"ttl\": 600}", 200);
        assertEquals(42, post("/get", "{\"key\": \"the_answer\"}", 200).json().get("val").asInt());
        assertTrue(post("/get", "{\"key\": \"nothing\"}", 200).json().get("val").isNull());
        post("/get", "{\"key\": \"hello_friend\"}", 200);
        JsonNode versioned = post("/get", "{\"key\": \"the_answer\", \"version\": true}", 200).json();
        long version = versioned.get("version").asLong();
        JsonNode cas = post("/put", "{\"key\": \"the_answer\", \"val\": 43, \"ifVersion\": " + version + "}", 200).json();
        assertEquals(version + 1, cas.get("version").asLong());
        post("/put", "{\"key\": \"lock\", \"val\": \"owner-1\", \"ifVersion\": 0}", 200);
        post("/delete", "{\"key\": \"lock\", \"ifVersion\": 1}", 200);
        post("/delete", "{\"key\": \"nothing\"}", 200);
    }

    @Test
    @Order(5)
    void batchAndScanSucceed() {
        JsonNode batch = post("/batch", "{\"ops\": [{\"op\": \"put\", \"key\": \"fruit:apple\", \"val\": 3},"
                + " {\"op\": \"put\", \"key\": \"fruit:fig\", \"value\": {\"dried\": true}},"
                + " {\"op\": \"get\", \"key\": \"the_answer\"}, {\"op\": \"delete\", \"key\": \"never-written\"},"
                + " {\"op\": \"put\", \"key\": \"fruit:kiwi\", \"val\": [1]}, {\"op\": \"delete\", \"key\": \"fruit:kiwi\"}]}",
                200).json();
        assertEquals(404, batch.path("results").path(3).path("status").asInt(), batch.toString());
        post("/batch", "{\"ops\": []}", 200);
        JsonNode page = post("/scan", "{\"prefix\": \"fruit:\", \"limit\": 1}", 200).json();
        assertEquals("fruit:apple", page.get("next").asText(), page.toString());
        JsonNode last = post("/scan", "{\"prefix\": \"fruit:\", \"limit\": 5, \"after\": \"fruit:apple\"}", 200).json();
        assertTrue(last.get("next").isNull(), last.toString());
        post("/scan", "", 200);
        post("/scan", "{}", 200);
    }

    @Test
    @Order(6)
    void badRequestsAnswer400() {
        rejected("/get", "{not json", "{\"key\": 42}", "{\"key\": \"k\", \"version\": \"yes\"}");
        rejected("/put", "", "[1, 2]", "{\"val\": 1}", "{\"key\": \"no_value\"}",
                "{\"key\": \"both\", \"val\": 1, \"value\": 2}", "{\"key\": \"session\", \"val\": 1, \"ttl\": 0}",
                "{\"key\": \"k\", \"val\": 1, \"ifVersion\": -1}");
        rejected("/delete", "{\"key\": \"\"}");
        rejected("/batch", "{\"ops\": [{\"op\": \"put\", \"key\": \"fruit:lime\"}, {\"op\": \"jump\", \"key\": \"x\"}]}",
                "{\"ops\": [{\"op\": \"get\", \"key\": \"k\", \"color\": \"red\"}]}", "{\"ops\": 7}", "{}");
        rejected("/scan", "{\"limit\": \"ten\"}", "{\"limit\": 0}", "{\"prefix\": 5}", "{\"color\": \"red\"}");
    }

    @Test
    @Order(7)
    void missingKeysAndRoutesAnswer404AndWrongMethods405() {
        post("/get", "{\"key\": \"dogegod\"}", 404);
        post("/delete", "{\"key\": \"dogegod\"}", 404);
        for (String route : List.of("/put", "/get", "/delete", "/batch", "/scan")) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                Answer a = check(method, route, null, Expect.CONFORMS, 405);
                assertTrue(a.json().get("error").asText().contains("use POST"), a.body());
            }
        }
        for (String route : List.of("/health", "/clusters", "/metrics", "/openapi.json")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                check(method, route, null, Expect.CONFORMS, 405);
            }
        }
        // a route that does not exist is in no document: its answer is checked as the 404 of a known route
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = send(method, "/no/such/route", method.equals("POST") ? "{\"key\": \"k\"}" : null);
            assertEquals(404, r.statusCode(), r.body());
            ValidationReport asked = validator.validateRequest(request(method, "/no/such/route", "{\"key\": \"k\"}"));
            assertTrue(asked.hasErrors(), "the document has no /no/such/route");
            assertValid("the 404 of " + method + " /no/such/route",
                    validator.validateResponse("/get", Request.Method.POST, response(r)));
            seen.add(method + " /no/such/route " + r.statusCode());
        }
    }

    @Test
    @Order(8)
    void versionMismatchesAnswer409() {
        post("/put", "{\"key\": \"stock\", \"val\": 10}", 200);
        long at = post("/get", "{\"key\": \"stock\", \"version\": true}", 200).json().get("version").asLong();
        Answer put = post("/put", "{\"key\": \"stock\", \"val\": 8, \"ifVersion\": " + (at + 5) + "}", 409);
        assertEquals(at, put.json().get("version").asLong(), put.body());
        post("/put", "{\"key\": \"stock\", \"val\": 1, \"ifVersion\": 0}", 409);
        post("/delete", "{\"key\": \"stock\", \"ifVersion\": " + (at + 1) + "}", 409);
        Answer absent = post("/delete", "{\"key\": \"never-written\", \"ifVersion\": 3}", 409);
        assertEquals(0, absent.json().get("version").asLong(), absent.body());
    }

    @Test
    @Order(9)
    void bodiesOverTheLimitAnswer413() {
        String big = "x".repeat(MAX_REQUEST_BYTES);
        post("/put", "{\"key\": \"big\", \"val\": \"" + big + "\"}", 413);
        post("/get", "{\"key\": \"" + big + "\"}", 413);
        post("/batch", "{\"ops\": [{\"op\": \"put\", \"key\": \"big\", \"val\": \"" + big + "\"}]}", 413);
        post("/scan", "{\"prefix\": \"" + big + "\"}", 413);
        StringBuilder ops = new StringBuilder("{\"ops\":[");
        for (int i = 0; i <= 1000; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"get\",\"key\":\"").append(i).append("\"}");
        }
        String many = ops.append("]}").toString();
        // 1001 operations: over the batch limit of the document, and over the body limit too
        check("POST", "/batch", many, Expect.BREAKS_THE_DOCUMENT, 413);
    }

    @Test
    @Order(10)
    void metricsAndEveryRouteWereChecked() {
        Answer metrics = get("/metrics");
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        for (String needed : List.of("POST /put 200", "POST /put 400", "POST /put 409", "POST /put 413", "POST /put 503",
                "POST /get 200", "POST /get 404", "POST /delete 404", "POST /delete 409", "POST /batch 200",
                "POST /batch 400", "POST /batch 413", "POST /scan 200", "POST /scan 400", "POST /scan 503", "GET /put 405",
                "POST /health 405", "GET /health 200", "GET /clusters 200", "GET /metrics 200", "GET /openapi.json 200",
                "GET /no/such/route 404")) {
            assertTrue(seen.contains(needed), "checked " + needed + ": " + seen);
        }
    }

    @Test
    @Order(11)
    void everyMetricOfTheGrafanaDashboardIsInARealScrape() throws IOException {
        Path repo = Path.of(System.getProperty("ravel.node.jar")).getParent().getParent().getParent();
        JsonNode root = AdminHttp.JSON.readTree(Files.readString(repo.resolve("docs").resolve("grafana-dashboard.json")));
        assertTrue(root.path("panels").size() > 0, "the dashboard has panels");
        boolean datasourceVariable = false;
        for (JsonNode variable : root.path("templating").path("list")) {
            datasourceVariable |= variable.path("name").asText().equals("datasource")
                    && variable.path("type").asText().equals("datasource") && variable.path("query").asText().equals("prometheus");
        }
        assertTrue(datasourceVariable, "the dashboard picks its Prometheus data source in the variable $datasource");
        for (JsonNode panel : root.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            }
        }
        List<String> exprs = new ArrayList<>();
        root.findValues("expr").forEach(e -> exprs.add(e.asText()));
        assertFalse(exprs.isEmpty(), "the dashboard has queries");
        Pattern metric = Pattern.compile("\\b((?:ravel|grpc|jvm|process)_[a-zA-Z0-9_]+)\\b");
        String scraped = send("GET", "/metrics", null).body() + "\n"
                + scrape("http://" + replicaMetrics + "/metrics");
        Set<String> names = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = metric.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        assertTrue(names.size() >= 8, "the dashboard queries the metrics: " + names);
        for (String name : names) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scraped).find(),
                    name + " (queried by the dashboard) is in a real scrape of the admin or a replica");
        }
    }

    /** A POST the document describes, checked against it with its answer, which must be {@code status}. */
    private Answer post(String route, String body, int status) {
        return check("POST", route, body, Expect.CONFORMS, status);
    }

    /** A GET the document describes, answered 200. */
    private Answer get(String route) {
        return check("GET", route, null, Expect.CONFORMS, 200);
    }

    /** POSTs of bodies against the document's rules: the document rejects each, and the admin answers it 400. */
    private void rejected(String route, String... bodies) {
        for (String body : bodies) {
            check("POST", route, body, Expect.BREAKS_THE_DOCUMENT, 400);
        }
    }

    /** Sends the request, checks it and its answer against the document, and returns the answer. */
    private Answer check(String method, String path, String body, Expect expect, int status) {
        HttpResponse<String> r = send(method, path, body);
        String what = method + " " + path + " " + (body == null ? "" : abbreviated(body)) + " -> " + r.statusCode()
                + " " + abbreviated(r.body());
        assertEquals(status, r.statusCode(), what);
        Request request = request(method, path, body);
        ValidationReport asked = validator.validateRequest(request);
        if (expect == Expect.CONFORMS) {
            assertValid("request " + what, asked);
        } else {
            assertTrue(asked.hasErrors(), "the document rejects the request " + what);
        }
        assertValid("answer " + what,
                validator.validateResponse(path, Request.Method.valueOf(method), response(r)));
        seen.add(method + " " + path + " " + r.statusCode());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                json = AdminHttp.JSON.readTree(r.body());
            } catch (IOException e) {
                fail("not JSON: " + what);
            }
        }
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), json);
    }

    private static void assertValid(String what, ValidationReport report) {
        if (report.hasErrors()) {
            fail(what + " does not match /openapi.json:\n" + SimpleValidationReportFormat.getInstance().apply(report));
        }
    }

    private static Request request(String method, String path, String body) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
        if (body != null) {
            b.withContentType("application/json").withBody(body);
        }
        return b.build();
    }

    private static SimpleResponse response(HttpResponse<String> r) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(r.statusCode()).withBody(r.body());
        r.headers().map().forEach(b::withHeader);
        r.headers().firstValue("Content-Type").ifPresent(b::withContentType);
        return b.build();
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + system.adminHttp() + path))
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return exchange(b.build());
    }

    private static String scrape(String url) {
        return exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build()).body();
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
