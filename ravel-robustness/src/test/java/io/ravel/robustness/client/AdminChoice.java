package io.ravel.robustness.client;

import io.ravel.robustness.history.Op;

import java.util.List;
import java.util.function.Supplier;

/**
 * Which admin one client thread sends its next request to ({@link #get()}), told how each of its
 * requests ended ({@link #ended}). A single admin is a fixed choice; {@link #sticky} spreads clients
 * over an admin group.
 */
@FunctionalInterface
public interface AdminChoice extends Supplier<String> {

    /** An unknown answer faster than this was a refusal (503), not a deadline: the client waits before the next request. */
    long QUICK_NANOS = 1_000_000_000L;

    /** Called with every operation of the client once it is recorded; may hold the client back before its next one. */
    default void ended(Op op) {
    }

    /**
     * Client {@code client} starts on admin {@code client % admins.size()} and stays there until it cannot
     * connect to it (refused, or no connection within the connect timeout: failed for sure), then moves
     * to the next admin of the list. A 503 ("no admin leader", "catching up") or a timeout keeps it
     * where it is: that admin serves again once the group has a leader or it has caught up, and moving on
     * such answers would, a few 503s later, leave every client waiting on a paused admin. After an unknown
     * answer that came quickly the client waits 50 ms, so it does not spin on 503s. Neither changes what
     * an operation proves: its outcome is decided by its own answer alone. The addresses are fixed (a
     * restarted admin keeps its own).
     */
    static AdminChoice sticky(List<String> admins, int client) {
        int[] at = {Math.floorMod(client, admins.size())};
        return new AdminChoice() {
            @Override
            public String get() {
                return admins.get(at[0]);
            }

            @Override
            public void ended(Op op) {
                if (op.outcome() == Op.Outcome.FAILED) {
                    at[0] = (at[0] + 1) % admins.size();
                } else if (op.outcome() == Op.Outcome.UNKNOWN && op.complete() - op.invoke() < QUICK_NANOS) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    /** Each call the next admin of the list, for the final reads that must reach whichever admin serves. */
    static Supplier<String> roundRobin(List<String> admins) {
        int[] next = {0};
        return () -> {
            synchronized (next) {
                return admins.get(next[0]++ % admins.size());
            }
        };
    }
}
