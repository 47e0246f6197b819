package io.ravel.node.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.error.RaftError;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One ReadIndex on a leader as a future, with its own deadline.
 *
 * <p>SOFAJRaft's {@code ReadIndexClosure} times out on a process-wide {@code HashedWheelTimer} that
 * ticks every millisecond: after a replica's first read, a thread that wakes 1,000 times a second for
 * good (the largest part of an idle leader's CPU). Here the closure has no timer of SOFAJRaft's; the
 * deadline is a task on one scheduled executor thread, which sleeps until the next deadline and drops
 * the task when the ReadIndex answers first. The outcome is the same: after {@link #TIMEOUT_MS} without
 * an answer the read fails as unavailable.
 */
final class ReadBarrier {

    /** SOFAJRaft's default ReadIndex timeout. */
    static final long TIMEOUT_MS = 2_000;
    private static final byte[] NO_CONTEXT = new byte[0];
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private ReadBarrier() {
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ravel-read-index-deadlines");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Completes once the ReadIndex succeeded and {@code leading} still holds; fails with
     * {@code failure} of SOFAJRaft's status otherwise, or of ETIMEDOUT after {@link #TIMEOUT_MS}.
     */
    static CompletableFuture<Void> confirm(Node node, BooleanSupplier leading, Function<Status, RuntimeException> failure) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> future.completeExceptionally(
                failure.apply(new Status(RaftError.ETIMEDOUT, "read-index request timeout"))), TIMEOUT_MS, TimeUnit.MILLISECONDS);
        future.whenComplete((ok, error) -> deadline.cancel(false));
        node.readIndex(NO_CONTEXT, new ReadIndexClosure(-1) {
            @Override
            public void run(Status status, long index, byte[] reqCtx) {
                if (status.isOk() && leading.getAsBoolean()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(failure.apply(status.isOk() ? new Status(RaftError.EPERM, "not leader") : status));
                }
            }
        });
        return future;
    }
}
