package io.ravel.admin.placement;

import io.ravel.admin.node.NodeClient;
import io.ravel.proto.Node;
import io.ravel.proto.Response;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Knows the leader of each cluster and runs calls on it. Leaders are learned three ways: a node
 * reports it (UpdateClusterLeader, saved at once), a replica answers NOT_LEADER naming the leader, or,
 * when the known leader does not answer, every replica of the cluster is asked IsLeader. A call is
 * retried on the right leader until it succeeds or its deadline passes; then it fails with UNAVAILABLE.
 *
 * <p>The parts, one job each: {@link LeaderCache} (the leaders, in memory), {@link LeaderSearch} (asks
 * every replica), {@link LeaderCalls} (the retry loops, classified by {@link io.ravel.common.Outcome}),
 * {@link LeaderPersistence} (saves leaders learned on a request's path, off that path).
 *
 * <p>Thread-safe and non-blocking; only {@link #reported} writes to disk, on the reporting RPC's thread.
 */
public final class LeaderTracker implements AutoCloseable {

    private final ClusterRegistry registry;
    private final LeaderCache cache;
    private final LeaderCalls calls;
    private final LeaderPersistence persistence;

    public LeaderTracker(ClusterRegistry registry, NodeClient nodes, ScheduledExecutorService scheduler) {
        this.registry = registry;
        this.persistence = new LeaderPersistence(registry);
        this.cache = new LeaderCache(registry.state(), persistence::saveLater);
        persistence.saving(cache);
        LeaderSearch search = new LeaderSearch(registry.state(), nodes, cache, this::leaderFound);
        this.calls = new LeaderCalls(registry.state(), nodes, cache, search, scheduler);
    }

    private void leaderFound(String clusterId) {
        calls.leaderKnown(clusterId);
    }

    /** Whether a leader address is currently known for the cluster (the /metrics gauge). */
    public boolean leaderKnown(String clusterId) {
        return cache.known(clusterId);
    }

    /** A node reported that it leads its cluster; saved before this returns. */
    public void reported(Node leader) {
        // The cache first: a background save that read an older leader then writes again (LeaderPersistence).
        cache.put(leader.getClusterId(), leader.getGrpcAddress());
        try {
            registry.setLeader(leader);
        } catch (RuntimeException e) {
            cache.forget(leader.getClusterId(), leader.getGrpcAddress());
            throw e;
        }
        calls.leaderKnown(leader.getClusterId());
    }

    /**
     * Another admin's idea of the cluster's leader (its owner table came with it): remembered when this
     * admin knows no leader of the cluster, so it can route to a cluster its own state has not learned yet.
     */
    public void hint(Node leader) {
        if (!cache.known(leader.getClusterId())) {
            cache.guess(leader.getClusterId(), leader.getGrpcAddress());
        }
    }

    /** The cluster left the system; forget its leader. */
    public void forget(String clusterId) {
        cache.forget(clusterId);
    }

    /** A replica left its cluster; if it was the known leader, find the new one on next use. */
    public void forgetAddress(String clusterId, String grpcAddress) {
        cache.forget(clusterId, grpcAddress);
    }

    /** The cluster's leader, searching for it (within {@code deadlineNanos}, a System.nanoTime value) if unknown. */
    public CompletableFuture<Node> leader(String clusterId, long deadlineNanos) {
        return calls.leader(clusterId, deadlineNanos);
    }

    /**
     * Runs {@code call} (given the leader's gRPC address) on the cluster's leader, following NOT_LEADER
     * redirects and searching for a new leader when the known one fails, until an outcome that is not
     * retried arrives or {@code deadlineNanos} passes.
     */
    public CompletableFuture<Response> onLeader(String clusterId, Function<String, CompletableFuture<Response>> call,
                                                long deadlineNanos) {
        return calls.onLeader(clusterId, call, deadlineNanos);
    }

    /** Stops saving leaders, after the saves already asked for (call before the state store closes). */
    @Override
    public void close() {
        persistence.close();
    }
}
