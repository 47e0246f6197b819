package io.ravel.node.config;

import java.util.Objects;

/**
 * Who a replica is, kept in {@code <storagedir>/replica.yaml} from its first start on: its node id,
 * its cluster (the Raft group id), the addresses it registered with, and whether it founded the
 * cluster (bootstrapped the one-node Raft group), and the admin it registered with ({@code ravel_node
 * kill} tells that admin; empty when the replica runs without one).
 */
public record ReplicaIdentity(String nodeId, String clusterId, String grpcAddress, String raftAddress, boolean founder,
                              String adminAddress) {

    public ReplicaIdentity {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        Objects.requireNonNull(raftAddress, "raftAddress");
        adminAddress = adminAddress == null ? "" : adminAddress;
    }
}
