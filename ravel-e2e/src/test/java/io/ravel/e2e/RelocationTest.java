package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding a cluster under load moves a third of the partitions to it, with every key in exactly one
 * cluster afterwards; removing it with {@code ravel_node kill} moves them back and deletes its dirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(400)
@ExtendWith(DumpLogsOnFailure.class)
class RelocationTest implements HasProcessCluster {

    static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int LOADED_KEYS = 3000;

    private ProcessCluster system;
    private AdminHttp http;
    private final Map<String, Long> loaded = new ConcurrentHashMap<>();
    private Map<String, Long> live;

    @Override
    public ProcessCluster processCluster() {
        return system;
    }

    @BeforeAll
    void twoLoadedClusters() throws Exception {
        system = new ProcessCluster("relocation");
        system.startAdmin("");
        system.startNode("a1", true);
        system.startNode("b1", true);
        for (String name : List.of("a2", "b2", "a3", "b3")) {
            system.startNode(name, false);
        }
        http = system.http();
        SystemState.awaitClusters(system, 2, 3, DEADLINE);
        loaded.putAll(load(http, "k-", LOADED_KEYS));
    }

    /** Writes {@code count} keys from 4 client threads; returns what was acknowledged. */
    static Map<String, Long> load(AdminHttp http, String prefix, int count) throws Exception {
        Map<String, Long> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < count; i += 4) {
                        String key = prefix + i;
                        http.putAcked(key, JsonNodeFactory.instance.numberNode(i), DEADLINE);
                        written.put(key, (long) i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return written;
    }

    @AfterAll
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void aThirdClusterTakesItsShareWhileClientsKeepWorking() {
        try (ContinuousClient client = new ContinuousClient(http, "live-", 64).start()) {
            Waits.until(DEADLINE, "the client to get going", () -> client.acknowledgedWrites() > 20);
            system.startNode("c1", true);
            system.startNode("c2", false);
            system.startNode("c3", false);
            SystemState.awaitClusters(system, 3, 3, DEADLINE);
            SystemState.awaitNoRelocation(system, DEADLINE);
            long acksAfterMove = client.acknowledgedWrites();
            Waits.until(DEADLINE, "the client to write after the move", () -> client.acknowledgedWrites() > acksAfterMove + 20);
            client.close();
            assertEquals(List.of(), client.violations());
            live = new ConcurrentHashMap<>();
            for (String key : client.latestAcknowledged().keySet()) {
                live.put(key, client.attemptedVersion(key));
            }
        }
        JsonNode state = http.clusters();
        JsonNode relocation = state.get("relocation");
        assertFalse(relocation.get("inProgress").asBoolean(), state.toString());
        String newCluster = clusterOf(state, "c1");
        int owned = 0;
        for (JsonNode c : state.get("clusters")) {
            if (c.get("id").asText().equals(newCluster)) {
                owned = c.get("partitions").asInt();
            }
        }
        // ceil(271 / 3 * 1.2) = 109 is the bound; a fair share is about 90.
        assertTrue(owned >= 60 && owned <= 109, "new cluster owns " + owned + " partitions: " + state);

        assertAllReadBack();
        assertEachKeyOnExactlyOneCluster(state, true, newCluster);
    }

    @Test
    @Order(2)
    void killingTheThirdClustersReplicasMovesItsKeysBackAndDeletesTheirDirs() {
        for (String name : List.of("c2", "c3", "c1")) {
            ProcessCluster.CommandResult result = system.killReplica(name);
            assertEquals(0, result.exitCode(), name + ": " + result.output());
            assertFalse(Files.exists(system.replicaDir(name)), name + "'s dir is gone");
            assertFalse(system.process(name).isAlive(), name + " is stopped");
        }
        JsonNode state = SystemState.awaitClusters(system, 2, 3, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
        int partitions = 0;
        for (JsonNode c : state.get("clusters")) {
            partitions += c.get("partitions").asInt();
        }
        assertEquals(271, partitions);
        assertAllReadBack();
        assertEachKeyOnExactlyOneCluster(http.clusters(), false, null);
    }

    private String clusterOf(JsonNode state, String replicaName) {
        String grpc = system.grpcAddress(replicaName);
        for (JsonNode c : state.get("clusters")) {
            for (JsonNode r : c.get("replicas")) {
                if (r.get("grpcAddress").asText().equals(grpc)) {
                    return c.get("id").asText();
                }
            }
        }
        throw new AssertionError(replicaName + " is in no cluster: " + state);
    }

    private void assertAllReadBack() {
        Map<String, Long> expected = new ConcurrentHashMap<>(loaded);
        if (live != null) {
            expected.putAll(live);
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            AdminHttp.Reply r = http.read(e.getKey());
            assertEquals(200, r.status(), e.getKey() + ": " + r);
            assertEquals(e.getValue().longValue(), r.body().get("val").asLong(), e.getKey());
        }
    }

    /** Every loaded key is held by exactly one cluster's leader, asked directly. */
    private void assertEachKeyOnExactlyOneCluster(JsonNode state, boolean newClusterMustHoldSome, String newCluster) {
        int onNew = 0;
        try (NodeProbe probe = new NodeProbe()) {
            for (String key : loaded.keySet()) {
                List<String> holders = Waits.retry(DEADLINE, "ask every leader for " + key, () -> {
                    List<String> found = new ArrayList<>();
                    for (JsonNode c : http.clusters().get("clusters")) {
                        String leader = c.get("leader").get("grpcAddress").asText();
                        if (probe.holds(leader, key)) {
                            found.add(c.get("id").asText());
                        }
                    }
                    return found;
                });
                assertEquals(1, holders.size(), key + " is held by " + holders);
                if (holders.get(0).equals(newCluster)) {
                    onNew++;
                }
            }
        }
        if (newClusterMustHoldSome) {
            assertTrue(onNew > LOADED_KEYS / 6, "new cluster holds " + onNew + " of " + LOADED_KEYS + " keys");
        }
    }
}
