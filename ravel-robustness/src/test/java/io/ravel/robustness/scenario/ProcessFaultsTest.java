package io.ravel.robustness.scenario;

import io.ravel.robustness.run.RunSettings;
import io.ravel.robustness.system.Hosts;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Tmpfs;
import io.ravel.robustness.system.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.util.Random;

import static io.ravel.robustness.scenario.ProcessFaults.ADMIN;
import static io.ravel.robustness.scenario.ProcessFaults.FOLLOWER;
import static io.ravel.robustness.scenario.ProcessFaults.LEADER;

/**
 * Crashes and pauses of each kind of process, one scenario each, on one system of real processes on
 * the loopback (one admin, two clusters of three), reused from scenario to scenario: each scenario
 * leaves it whole again, and uses keys of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultsTest {

    private RavelSystem system;

    @BeforeAll
    void start() {
        system = new RavelSystem("process-faults", Hosts.loopback());
        try {
            system.startTwoClustersOfThree();
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
    void killLeader() {
        Scenarios.run(system, "kill-leader", ProcessFaults.kill(system, "leader", LEADER));
    }

    @Test
    @Order(2)
    void killFollower() {
        Scenarios.run(system, "kill-follower", ProcessFaults.kill(system, "follower", FOLLOWER));
    }

    @Test
    @Order(3)
    void killAdmin() {
        Scenarios.run(system, "kill-admin", ProcessFaults.kill(system, "admin", ADMIN));
    }

    @Test
    @Order(4)
    void pauseLeader() {
        Scenarios.run(system, "pause-leader", ProcessFaults.pause(system, "leader", LEADER));
    }

    @Test
    @Order(5)
    void pauseFollower() {
        Scenarios.run(system, "pause-follower", ProcessFaults.pause(system, "follower", FOLLOWER));
    }

    @Test
    @Order(6)
    void pauseAdmin() {
        Scenarios.run(system, "pause-admin", ProcessFaults.pause(system, "admin", ADMIN));
    }

    @Test
    @Order(7)
    void thirdClusterJoinsAndLeavesUnderFaults() {
        Scenarios.run(system, "relocation", RelocationFaults.addAndRemoveCluster(system));
    }

    /**
     * A follower moved onto a small tmpfs that fills up: it stops with one clear line, the others go on;
     * with space freed and the follower restarted, it catches up, which the second run shows by crashing
     * the cluster's other follower: every write then needs the restarted one for its majority.
     */
    @Test
    @Order(8)
    void fullDiskOnAFollower() {
        String missing = Tmpfs.unavailableReason();
        Assumptions.assumeTrue(missing == null, () -> "skipping the full-disk scenario: " + missing);
        Topology.Cluster cluster = ProcessFaults.pickCluster(system, new Random(RunSettings.fromSystemProperties().seed()));
        String follower = cluster.followers().get(0);
        Path dir = system.dir(follower);
        system.daemon(follower).sigkill();
        Tmpfs.moveOnto(dir, "64m");
        system.onClose(() -> Tmpfs.unmount(dir));
        system.restart(follower);
        system.awaitSettled(2, 3, Scenarios.SETTLE);
        System.out.println("[robustness] " + follower + " runs on a tmpfs: " + Tmpfs.usage(dir));

        Scenarios.run(system, "full-disk", DiskFaults.fillUp(system, follower));
        Scenarios.run(system, "full-disk-caught-up", ProcessFaults.kill(system, "follower", (s, r) -> s.topology()
                .clusterOf(follower).followers().stream().filter(n -> !n.equals(follower)).findFirst()
                .orElseThrow(() -> new AssertionError(follower + " leads its cluster; no other follower to stop"))));
    }
}
