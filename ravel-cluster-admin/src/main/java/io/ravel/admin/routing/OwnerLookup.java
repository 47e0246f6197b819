package io.ravel.admin.routing;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The owner table the routers route with: this admin's own copy (its applied admin state), or, after
 * a cluster's fence refused a command (WRONG_OWNER), the admin leader's table fetched with GetOwners
 * when that one is at least as new (by ownership epoch). An admin that was paused or cut off, and whose
 * admin log is still catching up, so routes by the leader's table at once. Once its own copy passes the
 * fetched epoch, the own copy is used again. Every table is only a routing hint: the clusters' fences
 * refuse what a stale one sends, and the router then refreshes again.
 *
 * <p>Thread-safe; at most one fetch is in flight, and fetches are at least {@link #MIN_INTERVAL} apart.
 */
public final class OwnerLookup {

    /** A table with the ownership epoch its admin state had. */
    public record Fetched(OwnerTable owners, long epoch, List<Node> leaders) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(OwnerLookup.class);
    private static final Duration MIN_INTERVAL = Duration.ofMillis(50);
    /** How recent a fetched table must be for this admin to route although it sees no admin leader itself. */
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final AdminState state;
    /** Fetches the admin leader's table; null for a single admin (its own table is the only one). */
    private final Supplier<CompletableFuture<Fetched>> leaderTable;
    private final Consumer<Node> leaderHint;
    private volatile long lastSuccessNanos = System.nanoTime() - FRESH.toNanos() - 1;
    private final LongAdder refusals = new LongAdder();
    private final LongAdder fetches = new LongAdder();
    private volatile Fetched fetched;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private long lastFetchNanos = System.nanoTime() - MIN_INTERVAL.toNanos();

    /** {@code leaderHint} takes the cluster leaders a fetched table came with. */
    public OwnerLookup(AdminState state, Supplier<CompletableFuture<Fetched>> leaderTable, Consumer<Node> leaderHint) {
        this.state = state;
        this.leaderTable = leaderTable;
        this.leaderHint = leaderHint;
    }

    /** The table to route with now. */
    public OwnerTable owners() {
        Fetched f = fetched;
        if (f != null && f.epoch() >= state.ownerEpoch()) {
            return f.owners();
        }
        return state.owners();
    }

    /**
     * For an admin that sees no admin leader itself (it was paused, say, and its Raft node has not heard
     * from the leader again yet): fetches the leader's table through any admin and completes with whether
     * a table came back within the last second. If so the leader is there and requests may be routed
     * with that table; the clusters' fences keep that safe whatever the table.
     */
    public CompletableFuture<Boolean> reachesLeader() {
        return refreshTable().thenApply(v -> System.nanoTime() - lastSuccessNanos < FRESH.toNanos());
    }

    /** Commands a cluster's fence refused (WRONG_OWNER) and that were routed again. */
    public long refusals() {
        return refusals.sum();
    }

    /** Owner tables fetched from the admin leader. */
    public long fetches() {
        return fetches.sum();
    }

    public String owner(int partition) {
        return owners().owner(partition);
    }

    /**
     * After a WRONG_OWNER: fetches the admin leader's table unless a fetch is running or one ended less
     * than {@link #MIN_INTERVAL} ago; completes when the fetch (if any) has ended, never exceptionally.
     */
    public CompletableFuture<Void> refresh() {
        refusals.increment();
        return refreshTable();
    }

    private synchronized CompletableFuture<Void> refreshTable() {
        if (leaderTable == null || !inFlight.isDone() || System.nanoTime() - lastFetchNanos < MIN_INTERVAL.toNanos()) {
            return inFlight;
        }
        lastFetchNanos = System.nanoTime();
        fetches.increment();
        CompletableFuture<Fetched> call;
        try {
            call = leaderTable.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        inFlight = call.handle((table, error) -> {
            if (table != null) {
                table.leaders().forEach(leaderHint);
                fetched = table;
                lastSuccessNanos = System.nanoTime();
            } else {
                LOG.debug("could not fetch the admin leader's owner table: {}", String.valueOf(error));
            }
            synchronized (this) {
                lastFetchNanos = System.nanoTime();
            }
            return null;
        });
        return inFlight;
    }
}
