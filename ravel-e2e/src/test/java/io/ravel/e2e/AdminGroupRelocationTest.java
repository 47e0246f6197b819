package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin leader of a group SIGKILLed in the middle of a relocation: a new admin leader resumes the
 * replicated plan and finishes it; every key is on exactly one cluster (asked on the replicas) and reads back.
 */
@Timeout(400)
class AdminGroupRelocationTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS = 600;

    private final List<AdminHttp> admins = new ArrayList<>();
    private Map<String, Long> loaded;

    @BeforeAll
    void threeSlowRelocatingAdminsAndOneLoadedCluster() throws Exception {
        newSystem("admingroup-reloc");
        // Test-only knob: each partition move pauses, so the leader can be killed in the middle of one.
        system.startAdminGroup(3, "-Dravel.relocation.delayMs=40");
        for (int i = 0; i < 3; i++) {
            admins.add(new AdminHttp(system.adminHttp(i)));
        }
        http = admins.get(0);
        system.startNode("a1", true);
        SystemState.awaitClusters(system, 1, 1, DEADLINE);
        loaded = KeyChecks.load(admins.get(1), "k-", KEYS, DEADLINE);
    }

    @Test
    void aNewAdminLeaderFinishesTheRelocation() {
        system.startNode("b1", true);
        int leader = leaderIndex();
        AdminHttp leaderHttp = admins.get(leader);
        Waits.until(DEADLINE, "the relocation to be under way", () -> {
            JsonNode relocation = leaderHttp.clusters().get("relocation");
            return relocation.get("inProgress").asBoolean() && relocation.get("partitionsMoved").asInt() >= 5;
        });
        JsonNode before = leaderHttp.clusters().get("relocation");
        assertTrue(before.get("partitionsMoved").asInt() < before.get("partitionsTotal").asInt(), before.toString());
        system.process("admin" + leader).sigkill();

        AdminHttp survivor = admins.get((leader + 1) % 3);
        Waits.until(DEADLINE, "the new admin leader to finish the relocation", () -> {
            JsonNode relocation = survivor.clusters().get("relocation");
            return !relocation.get("inProgress").asBoolean();
        });
        JsonNode state = survivor.clusters();
        int total = 0;
        for (JsonNode c : state.get("clusters")) {
            assertTrue(c.get("partitions").asInt() > 0, state.toString());
            total += c.get("partitions").asInt();
        }
        assertEquals(271, total);
        for (int i = 1; i <= 2; i++) {
            KeyChecks.assertAllReadBack(admins.get((leader + i) % 3), loaded, DEADLINE);
        }
        KeyChecks.assertEachKeyOnExactlyOneCluster(survivor, loaded.keySet(), null, DEADLINE);
    }

    private int leaderIndex() {
        return SystemState.adminLeader(system, admins, DEADLINE);
    }
}
