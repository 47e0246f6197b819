package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions, compare-and-set and expiring keys against real processes: two concurrent conditional
 * writers, a ttl key that expires on the leader, after a leader change, after every node restarts,
 * and keys that keep their version and deadline when a third cluster takes its share.
 */
@Timeout(400)
class VersionsAndExpiryTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int TTL_KEYS = 30;
    private static final List<String> NODES = List.of("a1", "a2", "a3", "b1");

    private final NodeProbe probe = new NodeProbe();

    @BeforeAll
    void twoClusters() {
        newSystem("versions");
        startAdmin("");
        // a1's cluster gets three replicas (so it survives losing its leader), b1's one
        system.startNode("a1", true);
        system.startNode("a2", false);
        system.startNode("a3", false);
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
        system.startNode("b1", true);
        SystemState.awaitClusters(system, 2, 0, DEADLINE, true);
        SystemState.awaitNoRelocation(system, DEADLINE);
    }

    @AfterAll
    void closeProbe() {
        probe.close();
    }

    private AdminHttp.Reply post(String route, String body) {
        return Waits.retry(DEADLINE, route + " " + body, () -> {
            AdminHttp.Reply r = http.post(route, body);
            if (r.status() == 503) {
                throw new IllegalStateException("not served yet: " + r);
            }
            return r;
        });
    }

    private long versionOf(String key) {
        AdminHttp.Reply r = post("/get", "{\"key\": \"" + key + "\", \"version\": true}");
        return r.status() == 404 ? 0 : r.body().get("version").asLong();
    }

    @Test
    @Order(1)
    void twoConcurrentConditionalWritersNeverBothWin() throws Exception {
        int rounds = 15;
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long expected = 0;
            for (int round = 0; round < rounds; round++) {
                long seen = versionOf("cas");
                assertEquals(expected, seen, "round " + round + " starts at the version the last winner made");
                List<Future<AdminHttp.Reply>> replies = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    String body = "{\"key\": \"cas\", \"val\": \"writer-" + w + "-round-" + round + "\", \"ifVersion\": "
                            + seen + "}";
                    replies.add(pool.submit(() -> {
                        barrier.await(30, TimeUnit.SECONDS);
                        return post("/put", body);
                    }));
                }
                AdminHttp.Reply first = replies.get(0).get(60, TimeUnit.SECONDS);
                AdminHttp.Reply second = replies.get(1).get(60, TimeUnit.SECONDS);
                AdminHttp.Reply winner = first.status() == 200 ? first : second;
                AdminHttp.Reply loser = first.status() == 200 ? second : first;
                assertEquals(200, winner.status(), "one writer wins round " + round + ": " + first + " / " + second);
                assertEquals(409, loser.status(), "the other loses round " + round + ": " + first + " / " + second);
                assertEquals(seen + 1, winner.body().get("version").asLong());
                assertEquals(seen + 1, loser.body().get("version").asLong(), "the loser learns the winner's version");
                assertTrue(loser.body().get("error").isTextual());
                expected = seen + 1;
            }
            assertEquals(rounds, versionOf("cas"));
        } finally {
            pool.shutdownNow();
        }
        AdminHttp.Reply stale = post("/delete", "{\"key\": \"cas\", \"ifVersion\": 1}");
        assertEquals(409, stale.status(), stale.toString());
        assertEquals(200, post("/delete", "{\"key\": \"cas\", \"ifVersion\": " + rounds + "}").status());
        assertEquals(404, post("/get", "{\"key\": \"cas\"}").status());
    }

    @Test
    @Order(2)
    void aTtlKeyReadsBackThenExpiresOnTheLeader() {
        long keep = versionOf("keep");
        assertEquals(0, keep);
        assertEquals(200, post("/put", "{\"key\": \"keep\", \"val\": 1}").status());
        assertEquals(200, post("/put", "{\"key\": \"keep\", \"val\": 2}").status());
        for (int i = 0; i < TTL_KEYS; i++) {
            long before = System.currentTimeMillis();
            assertEquals(200, post("/put", "{\"key\": \"ttl-" + i + "\", \"val\": " + i + ", \"ttl\": 2}").status());
            AdminHttp.Reply read = post("/get", "{\"key\": \"ttl-" + i + "\"}");
            if (System.currentTimeMillis() < before + 2000) {
                assertEquals(200, read.status(), "ttl-" + i + " reads back before its deadline: " + read);
                assertEquals(i, read.body().get("val").asInt());
            }
        }
        assertAllExpired();
        assertEquals(2, versionOf("keep"), "a key without ttl stays");
    }

    private void assertAllExpired() {
        for (int i = 0; i < TTL_KEYS; i++) {
            String key = "ttl-" + i;
            Waits.until(DEADLINE, key + " to expire", () -> post("/get", "{\"key\": \"" + key + "\"}").status() == 404);
        }
    }

    @Test
    @Order(3)
    void expiredKeysStayExpiredAfterALeaderChange() {
        String leader = leaderOf("a1");
        system.process(leader).sigkill();
        Waits.until(DEADLINE, "a new leader in " + leader + "'s cluster", () -> {
            String now = leaderOfOrNull(leader);
            return now != null && !now.equals(leader);
        });
        assertAllExpired();
        assertEquals(2, versionOf("keep"));
        system.restart(leader);
    }

    @Test
    @Order(4)
    void expiredKeysStayExpiredAfterEveryNodeRestarts() {
        for (String name : NODES) {
            system.process(name).sigkill();
        }
        for (String name : NODES) {
            system.process(name).start();
        }
        for (String name : NODES) {
            system.restartAwaitReady(name);
        }
        SystemState.awaitClusters(system, 2, 0, DEADLINE, true);
        assertAllExpired();
        assertEquals(2, versionOf("keep"), "versions survive restarts");
    }

    @Test
    @Order(5)
    void versionsAndDeadlinesMoveWithTheirKeys() {
        int keys = 60;
        for (int i = 0; i < keys; i++) {
            for (int w = 0; w < 3; w++) {
                assertEquals(200, post("/put", "{\"key\": \"v-" + i + "\", \"val\": " + w + "}").status());
            }
        }
        long written = System.currentTimeMillis();
        for (int i = 0; i < keys; i++) {
            assertEquals(200, post("/put", "{\"key\": \"moving-ttl-" + i + "\", \"val\": " + i + ", \"ttl\": 30}").status());
        }
        system.startNode("c1", true);
        SystemState.awaitClusters(system, 3, 0, DEADLINE, true);
        SystemState.awaitNoRelocation(system, DEADLINE);
        String c1 = system.grpcAddress("c1");
        int versionedOnC = 0;
        for (int i = 0; i < keys; i++) {
            assertEquals(3, versionOf("v-" + i), "v-" + i + " keeps its version");
            if (probe.holds(c1, "v-" + i)) {
                versionedOnC++;
            }
        }
        assertNotEquals(0, versionedOnC, "some keys moved to the new cluster");
        if (System.currentTimeMillis() < written + 30_000) {
            int ttlOnC = 0;
            for (int i = 0; i < keys; i++) {
                if (probe.holds(c1, "moving-ttl-" + i)) {
                    ttlOnC++;
                }
            }
            if (System.currentTimeMillis() < written + 30_000) {
                assertNotEquals(0, ttlOnC, "ttl keys moved before their deadline");
            }
        }
        for (int i = 0; i < keys; i++) {
            String key = "moving-ttl-" + i;
            Waits.until(DEADLINE, key + " to expire where it moved",
                    () -> post("/get", "{\"key\": \"" + key + "\"}").status() == 404);
        }
        JsonNode clusters = http.clusters();
        assertEquals(3, clusters.get("clusters").size());
    }

    /** The replica named as leader of {@code member}'s cluster by the admin. */
    private String leaderOf(String member) {
        String leader = leaderOfOrNull(member);
        if (leader == null) {
            throw new AssertionError("no leader known for " + member + "'s cluster");
        }
        return leader;
    }

    private String leaderOfOrNull(String member) {
        String grpc = system.grpcAddress(member);
        for (JsonNode c : http.clusters().get("clusters")) {
            boolean mine = false;
            for (JsonNode r : c.get("replicas")) {
                mine |= grpc.equals(r.get("grpcAddress").asText());
            }
            if (mine) {
                JsonNode leader = c.get("leader");
                return leader == null || leader.isNull() ? null : system.nameOfGrpc(leader.get("grpcAddress").asText());
            }
        }
        return null;
    }
}
