package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.storage.RocksStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Removes expired keys through the Raft log, so storage does not keep them: while this replica leads,
 * every {@link #PERIOD_MS} ms it looks up to {@link #BATCH} keys whose deadline passed by its clock
 * ({@link ExpiryIndex}) and proposes one {@link Command.Expire} for them; one proposal at a time, and
 * a full batch is followed by the next at once. Reads already treat an expired key as absent, so the
 * sweep only frees space; the state machine re-checks each key's deadline, so a key written again
 * meanwhile stays.
 */
final class ExpirySweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
    static final long PERIOD_MS = 1000;
    static final int BATCH = 256;

    private final RocksStore store;
    private final BooleanSupplier leading;
    private final Function<Command, CompletableFuture<CommandResult>> propose;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ravel-expiry-sweeper");
        t.setDaemon(true);
        return t;
    });

    ExpirySweeper(RocksStore store, BooleanSupplier leading, Function<Command, CompletableFuture<CommandResult>> propose) {
        this.store = store;
        this.leading = leading;
        this.propose = propose;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** One pass: proposes the removal of the keys due now, if this replica leads and no pass is under way. */
    void sweep() {
        if (!leading.getAsBoolean() || !busy.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Command.Expiry> due = ExpiryIndex.due(store, System.currentTimeMillis(), BATCH);
            if (due.isEmpty()) {
                busy.set(false);
                return;
            }
            propose.apply(new Command.Expire(due)).whenComplete((r, error) -> {
                busy.set(false);
                if (error != null) {
                    LOG.debug("expiry sweep not applied: {}", error.getMessage());
                } else if (due.size() == BATCH && !timer.isShutdown()) {
                    timer.execute(this::sweep);
                }
            });
        } catch (RuntimeException e) {
            busy.set(false);
            LOG.warn("expiry sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
