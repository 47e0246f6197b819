package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.FreePorts;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single admin's --backupPath with keys behind it: after a SIGKILL the single admin serves every key
 * again from it, and the same admin started with --raft/--peers moves that state into a (one-member)
 * admin group and serves every key too.
 */
@Timeout(300)
class SingleAdminIntoGroupTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private Map<String, Long> loaded;

    @BeforeAll
    void aSingleAdminWithKeys() throws Exception {
        newSystem("single-into-group");
        startAdmin("");
        system.startNode("a1", true);
        system.startNode("b1", true);
        SystemState.awaitClusters(system, 2, 1, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
        loaded = KeyChecks.load(http, "old-", 200, DEADLINE);
    }

    @Test
    @Order(1)
    void theSingleAdminServesItsKeysAgainFromItsBackupPath() {
        system.process("admin").sigkill();
        system.restartAdmin();
        KeyChecks.assertAllReadBack(http, loaded, DEADLINE);
        assertEquals("leader", http.get("/health").body().get("role").asText());
    }

    @Test
    @Order(2)
    void theSameBackupPathStartsAnAdminGroup() {
        system.process("admin").sigkill();
        String raft = FreePorts.address();
        system.restartAdminWith("--raft=\"" + raft + "\" --peers=\"" + raft + "\"");
        Waits.until(DEADLINE, "the group to hold the single admin's clusters",
                () -> http.clusters().get("clusters").size() == 2);
        JsonNode health = http.get("/health").body();
        assertEquals(1, health.get("groupSize").asInt(), health.toString());
        KeyChecks.assertAllReadBack(http, loaded, DEADLINE);
        http.putAcked("new-in-group", JsonNodeFactory.instance.textNode("yes"), DEADLINE);
        assertTrue(Files.isDirectory(system.root().resolve("admin").resolve("state.moved-to-group")));
    }
}
