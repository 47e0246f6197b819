package io.ravel.robustness.scenario;

import io.ravel.robustness.system.Hosts;
import io.ravel.robustness.system.RavelSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of an admin group: three admins (one Raft group) and two clusters of three on the loopback,
 * the clients spread over the three admins. One system for the class, each scenario on keys of its own;
 * the last one leaves three clusters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminGroupFaultsTest {

    /** Test-only knob: each partition move waits this long first, so a relocation lasts long enough to kill its admin. */
    private static final String SLOW_RELOCATION = "-Dravel.relocation.delayMs=10";

    private RavelSystem system;

    @BeforeAll
    void start() {
        system = new RavelSystem("admin-group-faults", Hosts.loopback());
        try {
            system.startAdminGroupAndTwoClustersOfThree(3, SLOW_RELOCATION);
        } catch (RuntimeException | AssertionError e) {
            System.err.println(system.logs());
            system.close();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void killAdminLeader() {
        Scenarios.runOnGroup(system, "kill-admin-leader", AdminGroupFaults.killLeader(system), 2);
    }

    @Test
    @Order(2)
    void pauseAdminFollowerDuringRelocation() {
        Scenarios.runOnGroup(system, "pause-admin-follower-during-relocation",
                AdminGroupFaults.pauseFollowerDuringRelocation(system), 2);
    }

    @Test
    @Order(3)
    void killAdminLeaderDuringRelocation() {
        Scenarios.runOnGroup(system, "kill-admin-leader-during-relocation",
                AdminGroupFaults.killLeaderDuringRelocation(system), 3);
    }
}
