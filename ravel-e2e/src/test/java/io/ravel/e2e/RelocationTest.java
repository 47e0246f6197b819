package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding a cluster under load moves a third of the partitions to it, with every key in exactly one
 * cluster afterwards; removing it with {@code ravel_node kill} moves them back and deletes its dirs.
 */
@Timeout(400)
class RelocationTest extends ProcessClusterTest {

    static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int LOADED_KEYS = 3000;
    /** Writes and reads the continuous client must get through, each, across the move. */
    private static final int MIN_CLIENT_SUCCESSES = 40;
    /** Values of 1 MiB, the largest the default request limit is meant for: relocation moves them too. */
    private static final int BIG_KEYS = 12;
    private static final int BIG_VALUE_CHARS = 1 << 20;

    private final Map<String, Long> loaded = new ConcurrentHashMap<>();
    private final Map<String, String> big = new ConcurrentHashMap<>();
    private Map<String, Long> live;

    @BeforeAll
    void twoLoadedClusters() throws Exception {
        newSystem("relocation");
        startAdmin("");
        system.startTwoClustersOfThree(DEADLINE);
        loaded.putAll(KeyChecks.load(http, "k-", LOADED_KEYS, DEADLINE));
        for (int i = 0; i < BIG_KEYS; i++) {
            String value = i + "-" + "x".repeat(BIG_VALUE_CHARS);
            http.putAcked("big-" + i, JsonNodeFactory.instance.textNode(value), DEADLINE);
            big.put("big-" + i, value);
        }
        assertBigValuesReadBack();
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
            long readsAfterMove = client.successfulReads();
            Waits.until(DEADLINE, "the client to write after the move", () -> client.acknowledgedWrites() > acksAfterMove + 20);
            Waits.until(DEADLINE, "the client to read after the move", () -> client.successfulReads() > readsAfterMove + 20);
            client.close();
            assertEquals(List.of(), client.violations());
            // the system kept serving: a floor of successes, whatever the failures
            assertTrue(client.acknowledgedWrites() >= MIN_CLIENT_SUCCESSES, client.summary());
            assertTrue(client.successfulReads() >= MIN_CLIENT_SUCCESSES, client.summary());
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
        KeyChecks.assertEachKeyOnExactlyOneCluster(http, big.keySet(), null, DEADLINE);
        int onNew = KeyChecks.assertEachKeyOnExactlyOneCluster(http, loaded.keySet(), newCluster, DEADLINE);
        assertTrue(onNew > LOADED_KEYS / 6, "new cluster holds " + onNew + " of " + LOADED_KEYS + " keys");
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
        KeyChecks.assertEachKeyOnExactlyOneCluster(http, loaded.keySet(), null, DEADLINE);
        KeyChecks.assertEachKeyOnExactlyOneCluster(http, big.keySet(), null, DEADLINE);
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
        KeyChecks.assertAllReadBack(http, expected, DEADLINE);
        assertBigValuesReadBack();
    }

    private void assertBigValuesReadBack() {
        for (Map.Entry<String, String> e : big.entrySet()) {
            AdminHttp.Reply r = KeyChecks.readWhenServed(http, e.getKey(), DEADLINE);
            assertEquals(200, r.status(), e.getKey() + ": " + r.status());
            assertTrue(e.getValue().equals(r.body().get("val").asText()), e.getKey() + " reads back whole");
        }
    }
}
