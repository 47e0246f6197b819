package io.ravel.robustness.scenario;

import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.NetNamespaces;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Topology;

import java.util.List;

/** Network partitions between hosts, each healed by removing every rule. */
final class NetworkFaults {

    private NetworkFaults() {
    }

    /** The leader's link goes down: it reaches no one, and no one reaches it. */
    static Fault isolateLeader(RavelSystem system, NetNamespaces net) {
        return Fault.of("isolation of a leader", false, random -> {
            String leader = ProcessFaults.pickCluster(system, random).leader();
            System.out.println("[robustness] isolate " + leader);
            net.isolate(leader);
        }, net::healAll);
    }

    /** One replica cut from the two others of its cluster (it still reaches the admin). */
    static Fault splitCluster(RavelSystem system, NetNamespaces net) {
        return Fault.of("a 1/2 split of a cluster", false, random -> {
            Topology.Cluster cluster = ProcessFaults.pickCluster(system, random);
            List<String> replicas = cluster.replicas();
            String alone = replicas.get(random.nextInt(replicas.size()));
            System.out.println("[robustness] split " + alone + " from " + replicas);
            for (String other : replicas) {
                if (!other.equals(alone)) {
                    net.block(alone, other);
                }
            }
        }, net::healAll);
    }

    /**
     * The admin cut from every replica of one cluster. The other cluster goes on serving, but a client
     * blocked on a key of the cut one waits out the admin's deadline, so answers during the fault are
     * not required: they are what the figures show.
     */
    static Fault isolateAdminFromCluster(RavelSystem system, NetNamespaces net) {
        return Fault.of("isolation of the admin from one cluster", false, random -> {
            Topology.Cluster cluster = ProcessFaults.pickCluster(system, random);
            System.out.println("[robustness] cut the admin from " + cluster.replicas());
            for (String replica : cluster.replicas()) {
                net.block("admin", replica);
            }
        }, net::healAll);
    }
}
