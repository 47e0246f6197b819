package io.ravel.admin.relocation;

import io.ravel.admin.AdminException;
import io.ravel.common.Partitioner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Holds client operations on one partition while it moves, and lets the others pass untouched.
 *
 * <p>A client operation {@link #enter enters} its partition before it reads the partition's owner and
 * {@link #exit exits} when its replica call is finished. Relocation {@link #close closes} the partition,
 * {@link #awaitDrained waits} for operations already inside to finish, moves the data, switches the owner
 * and {@link #open opens} it again; held operations then read the new owner. Entering counts first and
 * checks the gate second, and closing sets the gate first and reads the count second (both through
 * volatile atomics), so an operation is either counted before the drain check or sees the gate closed.
 * Thread-safe; closing and opening are done by the one relocation thread.
 */
public final class PartitionGate {

    private static final CompletableFuture<Void> OPEN = CompletableFuture.completedFuture(null);

    private final AtomicIntegerArray inside = new AtomicIntegerArray(Partitioner.PARTITIONS);
    private final AtomicReferenceArray<CompletableFuture<Void>> barriers =
            new AtomicReferenceArray<>(Partitioner.PARTITIONS);

    /**
     * Completes once the caller is inside partition p (the caller must then {@link #exit}); fails with
     * UNAVAILABLE if p stays closed past {@code hold}.
     */
    public CompletableFuture<Void> enter(int partition, Duration hold) {
        return enter(partition, System.nanoTime() + hold.toNanos());
    }

    private CompletableFuture<Void> enter(int partition, long deadlineNanos) {
        inside.incrementAndGet(partition);
        CompletableFuture<Void> barrier = barriers.get(partition);
        if (barrier == null) {
            return OPEN;
        }
        inside.decrementAndGet(partition);
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return CompletableFuture.failedFuture(held(partition));
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        barrier.thenRun(() -> wait.complete(null));
        return wait.orTimeout(left, TimeUnit.NANOSECONDS)
                .handle((v, t) -> t == null ? null : t)
                .thenCompose(t -> t == null ? enter(partition, deadlineNanos)
                        : CompletableFuture.failedFuture(held(partition)));
    }

    public void exit(int partition) {
        inside.decrementAndGet(partition);
    }

    /** Holds every operation that enters partition p from now on. */
    public void close(int partition) {
        barriers.compareAndSet(partition, null, new CompletableFuture<>());
    }

    /** Waits (polling, at most {@code max}) until no operation is inside partition p; false if some still are. */
    public boolean awaitDrained(int partition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (inside.get(partition) > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** {@link #close} of every partition of a move group. */
    public void close(java.util.Collection<Integer> partitions) {
        partitions.forEach(this::close);
    }

    /** {@link #awaitDrained} of every partition of a move group, within one wait of at most {@code max}. */
    public boolean awaitDrained(java.util.Collection<Integer> partitions, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (int p : partitions) {
            if (!awaitDrained(p, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #open} of every partition of a move group. */
    public void open(java.util.Collection<Integer> partitions) {
        partitions.forEach(this::open);
    }

    /** Releases partition p; held operations go on and read its (possibly new) owner. */
    public void open(int partition) {
        CompletableFuture<Void> barrier = barriers.getAndSet(partition, null);
        if (barrier != null) {
            barrier.complete(null);
        }
    }

    private static AdminException held(int partition) {
        return new AdminException(AdminException.Reason.UNAVAILABLE,
                "partition " + partition + " is being moved to another cluster; retry shortly");
    }
}
