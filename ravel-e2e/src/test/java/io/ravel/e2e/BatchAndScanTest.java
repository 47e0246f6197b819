package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /batch and POST /scan against real processes: a batch of mixed operations across both
 * clusters, batches refused whole (too many operations, too large, one malformed operation), and
 * 5,000 keys under several prefixes paged through with small limits, before and while a third
 * cluster joins and partitions move to it.
 */
@Timeout(600)
class BatchAndScanTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final List<String> PREFIXES = List.of("fruit/", "veg/", "nut/", "fruit/red/");
    private static final int SCANNED_KEYS = 5000;

    /** The scanned keys and their values, in the byte order of their UTF-8 form. */
    private final TreeMap<String, Integer> loaded = new TreeMap<>(BatchAndScanTest::utf8Order);

    @BeforeAll
    void twoClusters() {
        newSystem("batch-scan");
        // moves are slowed down so that the scans of the last step overlap the relocation
        startAdmin("-Dravel.relocation.delayMs=60");
        system.startNode("a1", true);
        system.startNode("b1", true);
        SystemState.awaitClusters(system, 2, 1, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
    }

    private static int utf8Order(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode op(String kind, String key, Integer value) {
        ObjectNode op = AdminHttp.JSON.createObjectNode().put("op", kind).put("key", key);
        if (value != null) {
            op.put("val", value);
        }
        return op;
    }

    private AdminHttp.Reply batch(List<ObjectNode> ops) {
        ObjectNode body = AdminHttp.JSON.createObjectNode();
        ArrayNode array = body.putArray("ops");
        ops.forEach(array::add);
        return http.post("/batch", body.toString());
    }

    @Test
    @Order(1)
    void aMixedBatchAcrossBothClustersAnswersEachOperationInOrder() {
        List<ObjectNode> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ops.add(op("put", "mixed-" + i, i));
        }
        ops.add(op("get", "mixed-3", null));
        ops.add(op("delete", "mixed-4", null));
        ops.add(op("get", "mixed-4", null));
        ops.add(op("delete", "never-written", null));
        ops.add(op("put", "mixed-5", 500));
        ops.add(op("get", "mixed-5", null));
        AdminHttp.Reply reply = Waits.retry(DEADLINE, "a first batch", () -> {
            AdminHttp.Reply r = batch(ops);
            if (r.status() != 200) {
                throw new IllegalStateException(r.toString());
            }
            return r;
        });
        JsonNode results = reply.body().get("results");
        assertEquals(ops.size(), results.size(), reply.toString());
        for (int i = 0; i < 40; i++) {
            assertEquals(AdminHttp.JSON.createObjectNode().put("msg", "ok"), results.get(i), "op " + i);
        }
        assertEquals(AdminHttp.JSON.createObjectNode().put("key", "mixed-3").put("val", 3), results.get(40));
        assertEquals(AdminHttp.JSON.createObjectNode().put("msg", "ok"), results.get(41));
        assertEquals(AdminHttp.JSON.createObjectNode().put("error", "key not found").put("status", 404), results.get(42));
        assertEquals(AdminHttp.JSON.createObjectNode().put("error", "key not found").put("status", 404), results.get(43));
        assertEquals(AdminHttp.JSON.createObjectNode().put("msg", "ok"), results.get(44));
        assertEquals(AdminHttp.JSON.createObjectNode().put("key", "mixed-5").put("val", 500), results.get(45));
        // the single routes see the same state
        assertEquals(404, http.read("mixed-4").status());
        assertEquals(500, http.read("mixed-5").body().get("val").asInt());
        assertEquals(39, http.read("mixed-39").body().get("val").asInt());
        // the keys landed on both clusters
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i != 4) {
                keys.add("mixed-" + i);
            }
        }
        String first = http.clusters().get("clusters").get(0).get("id").asText();
        int onFirst = KeyChecks.assertEachKeyOnExactlyOneCluster(http, keys, first, DEADLINE);
        assertTrue(onFirst > 0 && onFirst < keys.size(), onFirst + " of " + keys.size() + " keys on one cluster");
    }

    @Test
    @Order(2)
    void overLimitAndMalformedBatchesAreRefusedWithNothingApplied() {
        List<ObjectNode> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(op("put", "refused-many-" + i, i));
        }
        AdminHttp.Reply many = batch(tooMany);
        assertEquals(413, many.status(), many.toString());
        assertTrue(many.body().get("error").asText().contains("1000"), many.toString());

        List<ObjectNode> tooLarge = new ArrayList<>();
        String big = "x".repeat(400_000);
        for (int i = 0; i < 5; i++) {
            tooLarge.add(AdminHttp.JSON.createObjectNode().put("op", "put").put("key", "refused-big-" + i).put("val", big));
        }
        AdminHttp.Reply large = batch(tooLarge);
        assertEquals(413, large.status(), large.toString());

        List<ObjectNode> malformed = new ArrayList<>();
        malformed.add(op("put", "refused-bad-0", 0));
        malformed.add(op("put", "refused-bad-1", 1));
        malformed.add(AdminHttp.JSON.createObjectNode().put("op", "put").put("key", "refused-bad-2"));
        AdminHttp.Reply noValue = batch(malformed);
        assertEquals(400, noValue.status(), noValue.toString());
        assertEquals("ops[2]: \"val\" is missing (the value may also be given as \"value\")", noValue.body().get("error").asText());

        malformed.set(2, op("upsert", "refused-bad-2", 2));
        assertEquals(400, batch(malformed).status());
        malformed.set(2, op("put", "refused-bad-2", 2).put("ttl", 5));
        assertEquals(400, batch(malformed).status());
        assertEquals(400, http.post("/batch", "{\"ops\": {}}").status());
        assertEquals(400, http.post("/batch", "{\"ops\": [").status());
        assertEquals(400, http.post("/batch", "{}").status());

        for (String key : List.of("refused-many-0", "refused-many-1000", "refused-big-0", "refused-bad-0", "refused-bad-1")) {
            assertEquals(404, http.read(key).status(), key + " must not have been written");
        }
        AdminHttp.Reply scan = http.post("/scan", "{\"prefix\": \"refused-\"}");
        assertEquals(200, scan.status(), scan.toString());
        assertEquals(0, scan.body().get("items").size(), scan.toString());
    }

    @Test
    @Order(3)
    void fiveThousandKeysUnderSeveralPrefixesPageInOrderOnce() {
        List<ObjectNode> ops = new ArrayList<>();
        for (int i = 0; i < SCANNED_KEYS; i++) {
            String prefix = PREFIXES.get(i % PREFIXES.size());
            String key = prefix + Integer.toString(i * 7919 % 100_003, 36) + (i % 11 == 0 ? "-é" : "");
            loaded.put(key, i);
            ops.add(op("put", key, i));
            if (ops.size() == 100 || i == SCANNED_KEYS - 1) {
                List<ObjectNode> sent = List.copyOf(ops);
                Waits.retry(DEADLINE, "a load batch", () -> {
                    AdminHttp.Reply r = batch(sent);
                    for (JsonNode result : r.body().path("results")) {
                        if (!result.has("msg")) {
                            throw new IllegalStateException(r.toString());
                        }
                    }
                    if (r.status() != 200) {
                        throw new IllegalStateException(r.toString());
                    }
                    return r;
                });
                ops.clear();
            }
        }
        assertEquals(SCANNED_KEYS, loaded.size());
        for (String prefix : PREFIXES) {
            assertEquals(expected(prefix), scanAll(prefix, 97), prefix);
        }
        List<String> everything = scanAll("", 1000);
        assertEquals(expected(""), everything.stream().filter(loaded::containsKey).toList());
        assertEquals(loaded.size() + 39, everything.size(), "the scanned keys and the 39 left by the first batch");
        AdminHttp.Reply capped = http.post("/scan", "{\"prefix\": \"fruit/\", \"limit\": 100000}");
        assertEquals(200, capped.status(), capped.toString());
        assertEquals(1000, capped.body().get("items").size());
        assertEquals(400, http.post("/scan", "{\"limit\": \"ten\"}").status());
        assertEquals(400, http.post("/scan", "{\"limit\": 0}").status());
        assertEquals(400, http.post("/scan", "{\"prefix\": 5}").status());
        assertEquals(400, http.post("/scan", "{\"after\": [1]}").status());
    }

    @Test
    @Order(4)
    void scansStayCompleteAndOrderedWhileAThirdClusterJoins() {
        system.startNode("c1", true);
        int passes = 0;
        boolean overlapped = false;
        do {
            boolean moving = relocating();
            for (String prefix : List.of("veg/", "fruit/")) {
                assertEquals(expected(prefix), scanAll(prefix, 53), prefix + " during the move, pass " + passes);
            }
            overlapped |= moving || relocating();
            passes++;
        } while (relocating() || passes < 2);
        SystemState.awaitClusters(system, 3, 1, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
        assertTrue(overlapped, "at least one pass of scans ran during the relocation");
        for (String prefix : PREFIXES) {
            assertEquals(expected(prefix), scanAll(prefix, 211), prefix + " after the move");
        }
    }

    private boolean relocating() {
        JsonNode relocation = http.clusters().get("relocation");
        return relocation != null && relocation.get("inProgress").asBoolean();
    }

    private List<String> expected(String prefix) {
        return loaded.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    /** Every key under {@code prefix}, page after page of {@code limit}; fails on a key out of order or repeated. */
    private List<String> scanAll(String prefix, int limit) {
        List<String> keys = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            ObjectNode body = AdminHttp.JSON.createObjectNode().put("prefix", prefix).put("limit", limit);
            if (after != null) {
                body.put("after", after);
            }
            AdminHttp.Reply page = Waits.retry(DEADLINE, "a scan page", () -> {
                AdminHttp.Reply r = http.post("/scan", body.toString());
                if (r.status() != 200) {
                    throw new IllegalStateException(r.toString());
                }
                return r;
            });
            JsonNode items = page.body().get("items");
            assertTrue(items.size() <= limit, page.toString());
            for (JsonNode item : items) {
                String key = item.get("key").asText();
                assertTrue(key.startsWith(prefix), key);
                assertTrue(keys.isEmpty() || utf8Order(keys.get(keys.size() - 1), key) < 0,
                        key + " after " + (keys.isEmpty() ? "" : keys.get(keys.size() - 1)));
                if (loaded.containsKey(key)) {
                    assertEquals(loaded.get(key), item.get("val").asInt(), key);
                }
                keys.add(key);
            }
            JsonNode next = page.body().get("next");
            if (next.isNull()) {
                return keys;
            }
            assertEquals(keys.get(keys.size() - 1), next.asText());
            after = next.asText();
        }
        throw new AssertionError("the scan of " + prefix + " did not end");
    }
}
