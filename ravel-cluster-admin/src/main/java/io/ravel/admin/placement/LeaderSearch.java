package io.ravel.admin.placement;

import io.ravel.admin.node.NodeClient;
import io.ravel.admin.state.AdminState;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Finds a cluster's leader by asking every replica IsLeader at once. The first replica that says it
 * leads is {@link LeaderCache#learned learned}; when none does, a leader some follower named is kept
 * as a guess. Thread-safe and non-blocking: at most one search per cluster runs at a time, and every
 * caller that asks meanwhile shares it.
 */
final class LeaderSearch {

    private final AdminState state;
    private final NodeClient nodes;
    private final LeaderCache cache;
    private final Consumer<String> onFound;
    private final ConcurrentMap<String, CompletableFuture<String>> running = new ConcurrentHashMap<>();

    /** {@code onFound} is told the cluster id each time a replica says it leads (it must not block). */
    LeaderSearch(AdminState state, NodeClient nodes, LeaderCache cache, Consumer<String> onFound) {
        this.state = state;
        this.nodes = nodes;
        this.cache = cache;
        this.onFound = onFound;
    }

    /** Completes with the leader's gRPC address (or a follower's guess of it), or null if no replica knows. */
    CompletableFuture<String> search(String clusterId) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> other = running.putIfAbsent(clusterId, mine);
        if (other != null) {
            return other;
        }
        mine.whenComplete((a, t) -> running.remove(clusterId, mine));
        List<Node> replicas = state.replicasOf(clusterId);
        if (replicas.isEmpty()) {
            mine.complete(null);
            return mine;
        }
        AtomicInteger pending = new AtomicInteger(replicas.size());
        AtomicReference<String> hint = new AtomicReference<>();
        for (Node replica : replicas) {
            String address = replica.getGrpcAddress();
            CompletableFuture<LeaderInfo> probe;
            try {
                probe = nodes.isLeader(address);
            } catch (RuntimeException e) {
                probe = CompletableFuture.failedFuture(e);
            }
            probe.whenComplete((info, error) -> {
                if (error != null) {
                    nodes.reconnect(address);
                }
                if (info != null && info.getLeader()) {
                    if (!mine.isDone()) {
                        cache.learned(clusterId, address);
                        mine.complete(address);
                        onFound.accept(clusterId);
                    }
                } else if (info != null && info.hasLeaderNode() && !info.getLeaderNode().getGrpcAddress().isEmpty()) {
                    hint.set(info.getLeaderNode().getGrpcAddress());
                }
                if (pending.decrementAndGet() == 0 && !mine.isDone()) {
                    String guess = hint.get();
                    if (guess != null) {
                        cache.guess(clusterId, guess);
                    }
                    mine.complete(guess);
                }
            });
        }
        return mine;
    }
}
