package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's walkthrough with real processes: one admin, two leaders started with {@code -l=true} and
 * four replicas the admin places, all with the seed's command-line forms; then the seed's samples,
 * every JSON type, and crashes of leaders, of every node and of the admin. The steps build on each
 * other (the same system lives through all of them), so they run in order.
 */
@Timeout(300)
class SeedWalkthroughTest extends ProcessClusterTest {

    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Every write the admin acknowledged, by key: what a read must return from now on. */
    private final Map<String, JsonNode> acknowledged = new LinkedHashMap<>();

    @BeforeAll
    void startTheSeedsSystem() {
        newSystem("walkthrough");
        startAdmin("");
        system.startNode("leader1", true);
        system.startNode("leader2", true);
        for (int i = 1; i <= 4; i++) {
            system.startNode("replica" + i, false);
        }
        SystemState.awaitClusters(system, 2, 3, RECOVERY);
    }

    @Test
    @Order(1)
    void theSeedsSamplesWork() {
        AdminHttp.Reply put = http.post("/put", "{\"key\": \"the_answer\", \"value\": 42}");
        assertEquals(200, put.status(), put.raw());
        assertEquals("ok", put.body().get("msg").asText());
        assertEquals(200, http.post("/put", "{\"key\": \"dogegod\", \"value\": \"Elon Musk\"}").status());
        assertEquals(200, http.post("/put", "{\"key\": \"hello_friend\", \"value\": {\"elliot\": \"Rami Malek\","
                + " \"darlene\": \"Carly Chaikin\"}}").status());

        AdminHttp.Reply get = http.post("/get", "{\"key\": \"dogegod\"}");
        assertEquals(200, get.status(), get.raw());
        assertEquals("dogegod", get.body().get("key").asText());
        assertEquals(F.textNode("Elon Musk"), get.body().get("val"));
        assertEquals(F.numberNode(42), http.read("the_answer").body().get("val"));
        ObjectNode friends = F.objectNode().put("elliot", "Rami Malek").put("darlene", "Carly Chaikin");
        assertEquals(friends, http.read("hello_friend").body().get("val"));

        AdminHttp.Reply delete = http.post("/delete", "{\"key\": \"dogegod\"}");
        assertEquals(200, delete.status(), delete.raw());
        assertEquals("ok", delete.body().get("msg").asText());
        assertEquals(404, http.read("dogegod").status());

        acknowledged.put("the_answer", F.numberNode(42));
        acknowledged.put("hello_friend", friends);
    }

    @Test
    @Order(2)
    void everyJsonTypeRoundTripsOnBothClusters() {
        for (int i = 0; i < 300; i++) {
            String key = "typed-" + i;
            JsonNode value = valueOfType(i);
            AdminHttp.Reply r = http.put(key, value);
            assertEquals(200, r.status(), key + ": " + r);
            acknowledged.put(key, value);
        }
        // "val" is the spec's field; the seed's samples use "value": both are accepted.
        assertEquals(200, http.post("/put", "{\"key\":\"spelled-val\",\"val\":[1,\"two\",{\"three\":3}]}").status());
        acknowledged.put("spelled-val", F.arrayNode().add(1).add("two").add(F.objectNode().put("three", 3)));
        // a value of 1 MiB is under the default request limit (1.5 MiB) and reads back whole
        JsonNode oneMiB = F.textNode("m".repeat(1 << 20));
        AdminHttp.Reply bigPut = http.put("one-mebibyte", oneMiB);
        assertEquals(200, bigPut.status(), "a 1 MiB value: " + bigPut.status() + " " + bigPut.body().path("error"));
        acknowledged.put("one-mebibyte", oneMiB);
        assertEverythingReadsBack();
        JsonNode clusters = http.clusters().get("clusters");
        assertEquals(2, clusters.size());
        int partitions = 0;
        for (JsonNode c : clusters) {
            assertTrue(c.get("partitions").asInt() > 0, "both clusters own partitions: " + clusters);
            partitions += c.get("partitions").asInt();
        }
        assertEquals(271, partitions);
    }

    @Test
    @Order(3)
    void badInputOnEveryRouteGetsAClearErrorAndChangesNothing() {
        String key = "the_answer";
        // a lone surrogate would encode to UTF-8 as "?": it must not reach that key
        http.putAcked("?", F.textNode("question mark"), RECOVERY);
        acknowledged.put("?", F.textNode("question mark"));
        for (String route : List.of("/put", "/get", "/delete")) {
            assertError(400, http.post(route, "{\"key\": \"\\ud800\", \"val\": \"lone\"}"), route + " lone surrogate key");
        }
        for (String route : List.of("/put", "/get", "/delete")) {
            assertError(400, http.post(route, "{not json"), route + " malformed");
            assertError(400, http.post(route, "{}"), route + " missing key");
            assertError(400, http.post(route, "{\"key\": 42, \"val\": 1}"), route + " non-string key");
            assertError(400, http.post(route, "[\"key\"]"), route + " not an object");
            assertError(405, http.get(route), route + " wrong method");
            String huge = "{\"key\":\"" + key + "\",\"val\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
            assertError(413, http.post(route, huge), route + " over the size limit");
        }
        assertError(400, http.post("/put", "{\"key\": \"" + key + "\"}"), "put without a value");
        assertError(404, http.read("never-written"), "unknown key");
        // inside a value a lone surrogate is kept as its JSON escape and reads back as written
        String lone = "{\"key\": \"lone-in-value\", \"val\": {\"a\\udc00\": \"x\\ud800y\"}}";
        assertEquals(200, http.post("/put", lone).status(), "a value with a lone surrogate");
        acknowledged.put("lone-in-value", F.objectNode().put("a\udc00", "x\ud800y"));
        assertError(404, http.delete("never-written"), "delete of an unknown key");
        assertEquals(404, http.read("never-written").status(), "a failed delete creates nothing");
        assertEverythingReadsBack();
    }

    private static void assertError(int status, AdminHttp.Reply reply, String what) {
        assertEquals(status, reply.status(), what + ": " + reply);
        assertTrue(reply.body().hasNonNull("error") && !reply.body().get("error").asText().isBlank(),
                what + " has a JSON error message: " + reply);
    }

    @Test
    @Order(4)
    void killedLeaderIsReplacedAndEveryKeyStaysReadableAndWritable() {
        for (JsonNode cluster : http.clusters().get("clusters")) {
            String leader = system.nameOfGrpc(cluster.get("leader").get("grpcAddress").asText());
            system.process(leader).sigkill();
        }
        assertEverythingReadsBack();
        for (int i = 0; i < 50; i++) {
            String key = "after-leader-crash-" + i;
            http.putAcked(key, F.numberNode(i), RECOVERY);
            acknowledged.put(key, F.numberNode(i));
        }
        assertEverythingReadsBack();
    }

    @Test
    @Order(5)
    void everyNodeKilledAndRestartedWithItsCommandLineLosesNothing() {
        List<String> names = system.replicaNames();
        for (String name : names) {
            system.process(name).sigkill();
        }
        for (String name : names) {
            system.process(name).start();
        }
        for (String name : names) {
            system.restartAwaitReady(name);
        }
        SystemState.awaitClusters(system, 2, 3, RECOVERY);
        assertEverythingReadsBack();
    }

    @Test
    @Order(6)
    void adminKilledAndRestartedServesEveryKeyWithItsType() {
        system.process("admin").sigkill();
        system.restartAdmin();
        assertEverythingReadsBack();
        http.putAcked("after-admin-restart", F.booleanNode(true), RECOVERY);
        acknowledged.put("after-admin-restart", F.booleanNode(true));
        assertEverythingReadsBack();
    }

    private void assertEverythingReadsBack() {
        for (Map.Entry<String, JsonNode> e : acknowledged.entrySet()) {
            AdminHttp.Reply r = KeyChecks.readWhenServed(http, e.getKey(), RECOVERY);
            assertEquals(200, r.status(), e.getKey() + ": " + r);
            assertEquals(AdminHttp.normalized(e.getValue()), r.body().get("val"), e.getKey());
        }
    }

    static JsonNode valueOfType(int i) {
        switch (i % 8) {
            case 0:
                return F.textNode("string value " + i + " \u00e9\u4e2d\"quoted\"");
            case 1:
                return F.numberNode(i * 1000L);
            case 2:
                return F.numberNode(i + 0.25);
            case 3:
                return F.booleanNode(i % 16 == 3);
            case 4:
                return F.nullNode();
            case 5: {
                ArrayNode a = F.arrayNode();
                a.add(i).add("x").add(F.nullNode()).add(F.objectNode().put("nested", true));
                return a;
            }
            case 6: {
                ObjectNode o = F.objectNode();
                o.put("n", i);
                o.putObject("inner").put("s", "v" + i).putArray("list").add(1.5).add(false);
                return o;
            }
            default:
                return F.textNode("");
        }
    }
}
