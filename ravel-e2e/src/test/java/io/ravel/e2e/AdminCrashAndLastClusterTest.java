package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin SIGKILLed in the middle of a relocation, and at each step of a partition move, resumes it
 * after a restart, leaving every key on exactly one cluster; killing the last replica of the last cluster deletes every key, and a new first
 * cluster then starts from empty.
 */
@Timeout(400)
class AdminCrashAndLastClusterTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS = 1000;

    private Map<String, Long> loaded;

    @BeforeAll
    void oneLoadedClusterAndASlowRelocatingAdmin() throws Exception {
        newSystem("admincrash");
        // Test-only knob: each partition move pauses, so the admin can be killed in the middle of one.
        startAdmin("-Dravel.relocation.delayMs=40");
        system.startNode("a1", true);
        system.startNode("a2", false);
        system.startNode("a3", false);
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
        loaded = KeyChecks.load(http, "k-", KEYS, DEADLINE);
    }

    @Test
    @Order(1)
    void adminKilledInTheMiddleOfARelocationFinishesItAfterRestart() {
        system.startNode("b1", true);
        Waits.until(DEADLINE, "the relocation to be under way", () -> {
            JsonNode relocation = http.clusters().get("relocation");
            return relocation.get("inProgress").asBoolean() && relocation.get("partitionsMoved").asInt() >= 5;
        });
        JsonNode before = http.clusters().get("relocation");
        assertTrue(before.get("partitionsMoved").asInt() < before.get("partitionsTotal").asInt(), before.toString());
        system.process("admin").sigkill();
        system.restartAdmin();
        SystemState.awaitNoRelocation(system, DEADLINE);

        JsonNode state = SystemState.awaitClusters(system, 2, 0, DEADLINE, true);
        int total = 0;
        for (JsonNode c : state.get("clusters")) {
            assertTrue(c.get("partitions").asInt() > 0, state.toString());
            total += c.get("partitions").asInt();
        }
        assertEquals(271, total);
        assertAllReadBack();
        assertEachKeyOnExactlyOneCluster();
    }

    @Test
    @Order(2)
    void killingTheLastReplicaOfAClusterMovesItsPartitionsBack() {
        ProcessCluster.CommandResult result = system.killReplica("b1");
        assertEquals(0, result.exitCode(), result.output());
        assertFalse(Files.exists(system.replicaDir("b1")));
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
        assertAllReadBack();
        assertEachKeyOnExactlyOneCluster();
    }

    /**
     * The admin is SIGKILLed at each step of a move: with the partition copied but its owner not switched
     * (copy), with the owner switched but the old copy still there (switch), and with the old copy deleted
     * but the move still in the plan (delete). A test-only knob stops the relocation exactly there. After a
     * restart without the knob the relocation finishes and every key is on exactly one cluster.
     */
    @ParameterizedTest(name = "admin killed at {0}")
    @ValueSource(strings = {"copy", "switch", "delete"})
    @Order(3)
    void adminKilledAtEachStepOfAMoveFinishesItAfterRestart(String step) {
        system.process("admin").sigkill();
        system.restartAdmin("-Dravel.relocation.pauseAt=" + step);
        String node = "p-" + step;
        system.startNode(node, true);
        system.process("admin").awaitOutput("relocation paused at " + step, DEADLINE);
        system.process("admin").sigkill();
        system.restartAdmin("");
        SystemState.awaitNoRelocation(system, DEADLINE);
        SystemState.awaitClusters(system, 2, 0, DEADLINE, true);
        assertAllReadBack();
        assertEachKeyOnExactlyOneCluster();

        ProcessCluster.CommandResult result = system.killReplica(node);
        assertEquals(0, result.exitCode(), result.output());
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
    }

    @Test
    @Order(4)
    void killingTheLastClusterDeletesEveryKeyAndANewClusterStartsEmpty() {
        for (String name : List.of("a2", "a3", "a1")) {
            ProcessCluster.CommandResult result = system.killReplica(name);
            assertEquals(0, result.exitCode(), name + ": " + result.output());
            assertFalse(Files.exists(system.replicaDir(name)));
        }
        assertEquals(0, http.clusters().get("clusters").size());
        assertEquals(503, http.read("k-1").status(), "no cluster: nothing can be served");

        system.startNode("fresh1", true);
        SystemState.awaitClusters(system, 1, 1, DEADLINE);
        for (String key : List.of("k-0", "k-1", "k-2", "k-" + (KEYS - 1))) {
            AdminHttp.Reply r = KeyChecks.readWhenServed(http, key, DEADLINE);
            assertEquals(404, r.status(), key + " must be gone: " + r);
        }
        http.putAcked("new-life", JsonNodeFactory.instance.textNode("hello"), DEADLINE);
        assertEquals("hello", http.read("new-life").body().get("val").asText());
    }

    private void assertAllReadBack() {
        KeyChecks.assertAllReadBack(http, loaded, DEADLINE);
    }

    private void assertEachKeyOnExactlyOneCluster() {
        KeyChecks.assertEachKeyOnExactlyOneCluster(http, loaded.keySet(), null, DEADLINE);
    }
}
