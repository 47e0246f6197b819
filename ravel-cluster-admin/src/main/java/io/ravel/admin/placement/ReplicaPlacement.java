package io.ravel.admin.placement;

import io.ravel.admin.state.AdminState.ClusterView;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Chooses the cluster a new replica joins: the one with the fewest replicas (ties: smallest id). */
public final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /** The cluster for a new replica among {@code clusters}, ignoring clusters that are being removed. */
    public static Optional<ClusterView> choose(List<ClusterView> clusters) {
        return clusters.stream()
                .filter(c -> !c.record().leaving())
                .min(Comparator.<ClusterView>comparingInt(c -> c.replicas().size()).thenComparing(ClusterView::id));
    }
}
