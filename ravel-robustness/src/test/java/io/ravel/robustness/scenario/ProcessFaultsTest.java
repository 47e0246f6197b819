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
import org.junit.jupiter.api.Timeout;

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
@Timeout(600)
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
}
