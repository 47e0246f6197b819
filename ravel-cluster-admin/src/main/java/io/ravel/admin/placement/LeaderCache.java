package io.ravel.admin.placement;

import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The gRPC address of each cluster's leader as far as the admin knows, in memory only. Seeded from the
 * persisted state at start. Thread-safe and non-blocking; it never touches the disk, so it may be used
 * on a gRPC callback thread.
 */
final class LeaderCache {

    private final ConcurrentMap<String, String> addresses = new ConcurrentHashMap<>();
    private final Consumer<String> onLearned;

    /** {@code onLearned} is told the cluster id of every leader {@link #learned learned} (it must not block). */
    LeaderCache(AdminState state, Consumer<String> onLearned) {
        this.onLearned = onLearned;
        for (ClusterView c : state.clusters()) {
            c.leader().ifPresent(n -> addresses.put(c.id(), n.getGrpcAddress()));
        }
    }

    String get(String clusterId) {
        return addresses.get(clusterId);
    }

    boolean known(String clusterId) {
        return addresses.containsKey(clusterId);
    }

    /** A replica confirmed (or named) {@code address} as the leader: remembered, and reported to the listener. */
    void learned(String clusterId, String address) {
        addresses.put(clusterId, address);
        onLearned.accept(clusterId);
    }

    /** A second-hand guess (a follower's idea of the leader): remembered, not reported. */
    void guess(String clusterId, String address) {
        addresses.put(clusterId, address);
    }

    /** Records a leader that is already persisted (a replica reported it itself). */
    void put(String clusterId, String address) {
        addresses.put(clusterId, address);
    }

    void forget(String clusterId) {
        addresses.remove(clusterId);
    }

    /** Forgets the leader only if it is still {@code address} (a newer leader stays). */
    void forget(String clusterId, String address) {
        addresses.remove(clusterId, address);
    }
}
