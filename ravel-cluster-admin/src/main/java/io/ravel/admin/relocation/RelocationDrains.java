package io.ravel.admin.relocation;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.PlanRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The futures of clusters waiting to be emptied (their last replica is leaving): each completes once
 * the cluster owns nothing and no queued move involves it. Thread-safe.
 */
final class RelocationDrains {

    private final Map<String, CompletableFuture<Void>> drains = new ConcurrentHashMap<>();

    /** The future of the cluster's drain (the same one for every caller while it runs). */
    CompletableFuture<Void> of(String clusterId) {
        return drains.computeIfAbsent(clusterId, id -> new CompletableFuture<>());
    }

    /** Completes the drains that {@code plan} and {@code owners} show finished. */
    void completeFinished(PlanRecord plan, OwnerTable owners) {
        List<MoveRecord> moves = plan.moves();
        for (Map.Entry<String, CompletableFuture<Void>> e : drains.entrySet()) {
            String id = e.getKey();
            boolean involved = moves.stream().anyMatch(m -> id.equals(m.from()) || id.equals(m.to()));
            if (!involved && !owners.clusters().contains(id)) {
                e.getValue().complete(null);
            }
        }
    }

    /**
     * Fails every pending drain with {@code why}: this admin no longer runs the relocation (it lost the
     * admin leadership), so the callers retry on the admin that does. Later drains get new futures.
     */
    void failAll(RuntimeException why) {
        for (String id : List.copyOf(drains.keySet())) {
            CompletableFuture<Void> f = drains.remove(id);
            if (f != null) {
                f.completeExceptionally(why);
            }
        }
    }

    /** The cluster is gone; its drain is no longer tracked. */
    void forget(String clusterId) {
        drains.remove(clusterId);
    }
}
