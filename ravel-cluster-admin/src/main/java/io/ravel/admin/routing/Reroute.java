package io.ravel.admin.routing;

import io.ravel.common.Outcome;
import io.ravel.proto.Response;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * When to route again after a WRONG_OWNER: the owner's replica refused the command because its
 * cluster's fence says it does not own the partition. Either this admin's owner table is older than
 * the cluster's fence (it was paused or cut off while the partition moved) or a move of the partition
 * is under way. The router refreshes its table ({@link OwnerLookup#refresh}: the admin leader's), waits
 * a little, reads the owner again and retries, with pauses that grow up to {@link #MAX_PAUSE}, until
 * the request's deadline.
 * Nothing was applied by a refused command, so routing it again is always safe.
 */
final class Reroute {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration MAX_PAUSE = Duration.ofMillis(200);

    private Reroute() {
    }

    static boolean refused(Response response) {
        return Outcome.of(response.getCode()) == Outcome.WRONG_OWNER;
    }

    /**
     * Completes with true once {@code owners} is refreshed and the pause before retry number
     * {@code refusals + 1} is over, or with false at once when the deadline ({@code System.nanoTime()}
     * value) leaves no time for it.
     */
    static CompletableFuture<Boolean> after(OwnerLookup owners, int refusals, long deadlineNanos) {
        long pause = Math.min(FIRST_PAUSE.toNanos() << Math.min(refusals, 10), MAX_PAUSE.toNanos());
        if (deadlineNanos - System.nanoTime() <= pause) {
            return CompletableFuture.completedFuture(false);
        }
        return owners.refresh().thenCompose(refreshed -> CompletableFuture.supplyAsync(() -> true,
                CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS)));
    }
}
