package io.ravel.robustness.scenario;

import io.ravel.robustness.history.HistoryFile;
import io.ravel.robustness.run.RunSettings;
import io.ravel.robustness.system.Hosts;
import io.ravel.robustness.system.RavelSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults of an admin group: three admins (one Raft group) and two clusters of three on the loopback,
 * the clients spread over the three admins. One system for the class, each scenario on keys of its own;
 * the last one leaves three clusters (two in a long run) and checks, on the clusters' leaders, that every key of the class is
 * stored on exactly one cluster (none if it reads back 404).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminGroupFaultsTest {

    /** Test-only knob: each partition move waits this long first, so a relocation lasts long enough to kill its admin. */
    private static final String SLOW_RELOCATION = "-Dravel.relocation.delayMs=10";

    private static final List<String> SCENARIOS = List.of("kill-admin-leader", "pause-admin-follower-during-relocation",
            "kill-admin-leader-during-relocation");

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
        Scenarios.runOnGroup(system, SCENARIOS.get(0), AdminGroupFaults.killLeader(system), 2);
    }

    @Test
    @Order(2)
    void pauseAdminFollowerDuringRelocation() {
        AdminGroupFaults.PauseWindow window = new AdminGroupFaults.PauseWindow();
        Scenarios.runOnGroup(system, SCENARIOS.get(1), AdminGroupFaults.pauseFollowerDuringRelocation(system, window), 2);
        Path history = Path.of(System.getProperty("ravel.robustness.workdir", "target/robustness"), "histories",
                SCENARIOS.get(1) + ".jsonl");
        System.out.println("[robustness] " + window.heldRequests(HistoryFile.read(history).ops(), system.adminHttps().size()));
    }

    @Test
    @Order(3)
    void killAdminLeaderDuringRelocation() {
        // A long run repeats the fault: each cycle's cluster leaves again, so the next one joins two.
        boolean repeated = RunSettings.fromSystemProperties().isLong();
        Scenarios.runOnGroup(system, SCENARIOS.get(2),
                AdminGroupFaults.killLeaderDuringRelocation(system, repeated), repeated ? 2 : 3);
        // Every scenario's keys, after all the relocations of the class.
        int keys = RunSettings.fromSystemProperties().keys();
        List<String> all = new ArrayList<>();
        for (String scenario : SCENARIOS) {
            for (int i = 0; i < keys; i++) {
                all.add(scenario + "/k" + i);
            }
        }
        try {
            AdminGroupFaults.assertEachKeyOnOneCluster(system, all);
        } catch (AssertionError | RuntimeException e) {
            System.err.println(system.logs());
            throw e;
        }
    }
}
