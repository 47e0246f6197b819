package io.ravel.node.config;

import io.ravel.node.raft.RaftSettings;

import java.nio.file.Path;

/**
 * Everything a replica is started with, after flags, YAML and defaults were merged and validated.
 *
 * @param storageDir    the replica's storage dir (identity file, Raft data, RocksDB)
 * @param grpcAddress   host:port of this replica's RavelNode gRPC service
 * @param raftAddress   host:port of this replica's Raft transport (its Raft peer id)
 * @param adminAddress  host:port of the cluster admin's gRPC service, or comma-separated host:port of every admin of an admin group
 * @param leader        register as the first replica of a new cluster (fresh dirs only)
 * @param raft          Raft tuning
 * @param requestTimeoutMs how long a request may wait for Raft before it is answered UNAVAILABLE
 * @param metricsAddress host:port that serves {@code GET /metrics}, or null for no metrics
 */
public record NodeConfig(Path storageDir, String grpcAddress, String raftAddress, String adminAddress,
                         boolean leader, RaftSettings raft, int requestTimeoutMs, String metricsAddress) {

    /** A replica without metrics. */
    public NodeConfig(Path storageDir, String grpcAddress, String raftAddress, String adminAddress,
                      boolean leader, RaftSettings raft, int requestTimeoutMs) {
        this(storageDir, grpcAddress, raftAddress, adminAddress, leader, raft, requestTimeoutMs, null);
    }

    public static final String DEFAULT_STORAGE_DIR = "~/ravel_replica";
    public static final String DEFAULT_GRPC_ADDRESS = "localhost:50000";
    public static final String DEFAULT_RAFT_ADDRESS = "localhost:60000";
    public static final String DEFAULT_ADMIN_ADDRESS = "localhost:42000";
    /** Default request deadline on the node: a client retry is cheaper than a parked request. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    public Path raftDir() {
        return storageDir.resolve("raft");
    }

    public Path dataDir() {
        return storageDir.resolve("data");
    }

    public Path pidFile() {
        return storageDir.resolve("ravel.pid");
    }
}
