package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code ravel_node kill} of a cluster's last replica with an admin group in {@code -a}: the admin it
 * talks to first is SIGKILLed in the middle of the relocation, and the kill still prints progress that
 * never goes down, ends with every partition moved and succeeds; every key reads back.
 */
@Timeout(400)
class KillProgressAdminGroupTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS = 1500;

    private Map<String, Long> loaded;

    @BeforeAll
    void threeSlowRelocatingAdminsAndTwoLoadedClusters() throws Exception {
        newSystem("killprogress-group");
        // Test-only knob: each partition move pauses, so the relocation outlasts an admin's death.
        system.startAdminGroup(3, "-Dravel.relocation.delayMs=60");
        http = new AdminHttp(system.adminHttp(1));
        system.startNode("a1", true);
        SystemState.awaitClusters(system, 1, 1, DEADLINE);
        system.startNode("b1", true);
        SystemState.awaitClusters(system, 2, 1, DEADLINE);
        KillProgressTest.awaitEveryClusterServing(http, 2);
        loaded = KeyChecks.load(http, "k-", KEYS, DEADLINE);
    }

    @Test
    void theKillReportsProgressAcrossTheDeathOfTheAdminItTalksTo() {
        CompletableFuture<ProcessCluster.CommandResult> kill = CompletableFuture.supplyAsync(() -> system.killReplica("b1"));
        // The kill's admin client starts with the first admin of -a, admin0: it dies mid-relocation.
        Waits.until(DEADLINE, "the relocation to be under way", () -> {
            JsonNode relocation = http.clusters().get("relocation");
            return kill.isDone() || (relocation.get("inProgress").asBoolean() && relocation.get("partitionsMoved").asInt() >= 10);
        });
        system.process("admin0").sigkill();

        ProcessCluster.CommandResult result = kill.join();
        assertEquals(0, result.exitCode(), result.output());
        KillProgressTest.assertProgressThenSummary(result.output());
        assertFalse(Files.exists(system.replicaDir("b1")));

        // SystemState asks admin0, which is dead: ask admin1.
        Waits.until(DEADLINE, "one cluster left", () -> http.clusters().get("clusters").size() == 1);
        JsonNode state = http.clusters();
        assertEquals(271, state.get("clusters").get(0).get("partitions").asInt(), state.toString());
        KeyChecks.assertAllReadBack(http, loaded, DEADLINE);
    }
}
