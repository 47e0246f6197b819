package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three admins in an admin group over two clusters of three replicas, as real processes: clients use
 * all three admins; the admin leader is SIGKILLed and the other two serve again; the killed admin
 * restarts from its dir; losing a majority of the admins is a clear 503 until a majority is back.
 */
@Timeout(600)
class AdminGroupFailoverTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS_PER_ADMIN = 100;

    private final Map<String, Long> acked = new HashMap<>();
    private final List<AdminHttp> admins = new ArrayList<>();

    @BeforeAll
    void threeAdminsAndTwoClustersOfThree() {
        newSystem("admingroup");
        system.startAdminGroup(3, "");
        for (int i = 0; i < 3; i++) {
            admins.add(new AdminHttp(system.adminHttp(i)));
        }
        http = admins.get(0);
        system.startTwoClustersOfThree(DEADLINE);
    }

    @Test
    @Order(1)
    void everyAdminServesWritesAndReadsOfEveryOther() throws Exception {
        for (int i = 0; i < 3; i++) {
            acked.putAll(KeyChecks.load(admins.get(i), "via" + i + "-", KEYS_PER_ADMIN, DEADLINE));
        }
        for (AdminHttp admin : admins) {
            KeyChecks.assertAllReadBack(admin, acked, DEADLINE);
        }
        int leaders = 0;
        for (AdminHttp admin : admins) {
            JsonNode health = admin.get("/health").body();
            assertEquals(3, health.get("groupSize").asInt(), health.toString());
            leaders += "leader".equals(health.get("role").asText()) ? 1 : 0;
            assertEquals(3, admin.clusters().get("adminGroup").get("members").size());
        }
        assertEquals(1, leaders, "exactly one admin leads");
    }

    @Test
    @Order(2)
    void theOtherTwoServeAgainAfterTheAdminLeaderIsKilled() {
        int leader = leaderIndex();
        system.process("admin" + leader).sigkill();
        List<AdminHttp> survivors = new ArrayList<>(admins);
        survivors.remove(leader);
        // One writer per key, each acknowledged write read back at once through the other admin: a read
        // never returns a value older than the last acknowledged one.
        for (int i = 0; i < 40; i++) {
            AdminHttp writer = survivors.get(i % 2);
            AdminHttp reader = survivors.get((i + 1) % 2);
            String key = "after-kill-" + (i % 5);
            writer.putAcked(key, JsonNodeFactory.instance.numberNode(i), DEADLINE);
            acked.put(key, (long) i);
            AdminHttp.Reply r = KeyChecks.readWhenServed(reader, key, DEADLINE);
            assertEquals(200, r.status(), r.toString());
            assertEquals(i, r.body().get("val").asLong(), key + " read through the other admin");
        }
        for (AdminHttp admin : survivors) {
            KeyChecks.assertAllReadBack(admin, acked, DEADLINE);
        }
        // The killed admin restarts from its dir and serves again, with everything.
        system.restart("admin" + leader);
        AdminHttp back = admins.get(leader);
        Waits.until(DEADLINE, "the restarted admin to know both clusters", () ->
                back.clusters().get("clusters").size() == 2
                        && !back.clusters().get("adminGroup").get("leader").isNull());
        KeyChecks.assertAllReadBack(back, acked, DEADLINE);
    }

    @Test
    @Order(3)
    void losingAMajorityIsAClear503UntilAMajorityIsBack() {
        int leader = leaderIndex();
        int keep = (leader + 1) % 3;
        List<Integer> killed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != keep) {
                system.process("admin" + i).sigkill();
                killed.add(i);
            }
        }
        AdminHttp lone = admins.get(keep);
        Waits.until(DEADLINE, "the lone admin to refuse requests", () -> lone.read("via0-1").status() == 503);
        AdminHttp.Reply refused = lone.put("during-outage", JsonNodeFactory.instance.textNode("x"));
        assertEquals(503, refused.status(), refused.toString());
        assertTrue(refused.body().get("error").asText().contains("admin group has no leader"), refused.toString());
        assertEquals(200, lone.get("/health").status(), "/health still answers");

        system.restart("admin" + killed.get(0));
        lone.putAcked("after-outage", JsonNodeFactory.instance.textNode("back"), DEADLINE);
        acked.put("after-outage-n", 1L);
        lone.putAcked("after-outage-n", JsonNodeFactory.instance.numberNode(1), DEADLINE);
        KeyChecks.assertAllReadBack(lone, acked, DEADLINE);
        KeyChecks.assertAllReadBack(admins.get(killed.get(0)), acked, DEADLINE);
        system.restart("admin" + killed.get(1));
        KeyChecks.assertAllReadBack(admins.get(killed.get(1)), acked, DEADLINE);
    }

    private int leaderIndex() {
        return SystemState.adminLeader(system, admins, DEADLINE);
    }
}
