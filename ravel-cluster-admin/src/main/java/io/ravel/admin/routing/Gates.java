package io.ravel.admin.routing;

import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.relocation.PartitionGate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Enters several partitions of the {@link PartitionGate} at once, as one client operation each. */
final class Gates {

    private Gates() {
    }

    /**
     * Completes once the caller is inside every partition (then it must {@link #exitAll} them); if any
     * stays held past {@link AdminTimeouts#PARTITION_HOLD}, fails with that partition's failure and
     * leaves the partitions it had entered.
     */
    static CompletableFuture<Void> enterAll(PartitionGate gate, Collection<Integer> partitions) {
        List<Integer> entered = new ArrayList<>();
        List<CompletableFuture<Void>> entries = new ArrayList<>(partitions.size());
        for (int p : partitions) {
            entries.add(gate.enter(p, AdminTimeouts.PARTITION_HOLD).thenRun(() -> {
                synchronized (entered) {
                    entered.add(p);
                }
            }));
        }
        return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
            if (error != null) {
                synchronized (entered) {
                    exitAll(gate, entered);
                }
            }
        });
    }

    static void exitAll(PartitionGate gate, Collection<Integer> partitions) {
        for (int p : partitions) {
            gate.exit(p);
        }
    }
}
