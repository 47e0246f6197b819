package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.Waits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loading keys through the admin and checking where and how they read back. */
final class KeyChecks {

    private KeyChecks() {
    }

    /** Writes keys {@code prefix0..prefix(count-1)} with their index as value, from 4 client threads. */
    static Map<String, Long> load(AdminHttp http, String prefix, int count, Duration deadline) throws Exception {
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(prefix + i, (long) i);
        }
        putAll(http, values, deadline);
        return values;
    }

    /** Writes every key with its number as value, from 4 client threads, each write retried until acknowledged. */
    static void putAll(AdminHttp http, Map<String, Long> values, Duration deadline) throws Exception {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(values.entrySet());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < entries.size(); i += 4) {
                        Map.Entry<String, Long> e = entries.get(i);
                        http.putAcked(e.getKey(), JsonNodeFactory.instance.numberNode(e.getValue()), deadline);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads {@code key}, retrying while the admin answers 503 (a leader change or a move under way). */
    static AdminHttp.Reply readWhenServed(AdminHttp http, String key, Duration deadline) {
        return Waits.retry(deadline, "read " + key, () -> {
            AdminHttp.Reply reply = http.read(key);
            if (reply.status() == 503) {
                throw new IllegalStateException("not served yet: " + reply);
            }
            return reply;
        });
    }

    /** Every key reads back through the admin with exactly its expected number. */
    static void assertAllReadBack(AdminHttp http, Map<String, Long> expected, Duration deadline) {
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            AdminHttp.Reply r = readWhenServed(http, e.getKey(), deadline);
            assertEquals(200, r.status(), e.getKey() + ": " + r);
            assertEquals(e.getValue().longValue(), r.body().get("val").asLong(), e.getKey());
        }
    }

    /**
     * Asks every cluster's leader directly (not through the admin) for each key and asserts exactly one
     * cluster holds it; returns how many of the keys {@code countedCluster} holds.
     */
    static int assertEachKeyOnExactlyOneCluster(AdminHttp http, Collection<String> keys, String countedCluster,
                                                Duration deadline) {
        int counted = 0;
        for (Map.Entry<String, List<String>> e : holders(http, keys, deadline).entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + " is held by " + e.getValue());
            if (e.getValue().get(0).equals(countedCluster)) {
                counted++;
            }
        }
        return counted;
    }

    /**
     * The ids of the clusters that hold each key (in {@code keys} order), asked on every cluster's leader
     * directly, not through the admin; the clusters and their leaders come from the admin's {@code /clusters}.
     */
    static Map<String, List<String>> holders(AdminHttp http, Collection<String> keys, Duration deadline) {
        Map<String, List<String>> holders = new LinkedHashMap<>();
        try (NodeProbe probe = new NodeProbe()) {
            JsonNode[] clusters = {http.clusters().get("clusters")};
            for (String key : keys) {
                holders.put(key, Waits.retry(deadline, "ask every leader for " + key, () -> {
                    try {
                        return holdersOf(probe, clusters[0], key);
                    } catch (RuntimeException leaderMoved) {
                        clusters[0] = http.clusters().get("clusters");
                        throw leaderMoved;
                    }
                }));
            }
        }
        return holders;
    }

    private static List<String> holdersOf(NodeProbe probe, JsonNode clusters, String key) {
        List<String> found = new ArrayList<>();
        for (JsonNode c : clusters) {
            if (probe.holds(c.get("leader").get("grpcAddress").asText(), key)) {
                found.add(c.get("id").asText());
            }
        }
        return found;
    }
}
