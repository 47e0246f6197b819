package io.ravel.robustness.scenario;

import io.ravel.robustness.system.NetNamespaces;
import io.ravel.robustness.system.RavelSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Network partitions: every daemon in a network namespace of its own with its own address (one host
 * each), on a bridge the test makes and removes. Needs root and {@code ip netns}; without them every
 * scenario here is skipped with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionFaultsTest {

    private NetNamespaces net;
    private RavelSystem system;

    @BeforeAll
    void start() {
        String missing = NetNamespaces.unavailableReason();
        Assumptions.assumeTrue(missing == null, () -> "skipping the network partition scenarios: " + missing);
        net = new NetNamespaces();
        system = new RavelSystem("partitions", net);
        try {
            system.startTwoClustersOfThree();
        } catch (RuntimeException | AssertionError e) {
            System.err.println(system.logs());
            system.close();
            system = null;
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close(); // removes the namespaces and the bridge too
        } else if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void isolateLeader() {
        Scenarios.run(system, "isolate-leader", NetworkFaults.isolateLeader(system, net));
    }

    @Test
    @Order(2)
    void splitClusterOneTwo() {
        Scenarios.run(system, "split-cluster", NetworkFaults.splitCluster(system, net));
    }

    @Test
    @Order(3)
    void isolateAdminFromOneCluster() {
        Scenarios.run(system, "isolate-admin-from-cluster", NetworkFaults.isolateAdminFromCluster(system, net));
    }
}
