package io.ravel.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling with a deadline: the only way Ravel's tests wait for anything. A failure names what was
 * awaited and carries the last exception seen. An {@link AssertionError} thrown by the condition
 * ends the wait at once (the condition knows it can never hold, e.g. the process died).
 */
public final class Waits {

    private static final long POLL_MILLIS = 50;
    private static final long RETRY_MILLIS = 200;

    private Waits() {
    }

    /** Polls {@code condition} until it is true; a RuntimeException counts as "not yet". */
    public static void until(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(POLL_MILLIS);
        }
        throw new AssertionError("gave up after " + deadline + " waiting for " + what, last);
    }

    /** Retries {@code action} until it returns without throwing, then returns its value. */
    public static <T> T retry(Duration deadline, String what, Supplier<T> action) {
        long end = System.nanoTime() + deadline.toNanos();
        Throwable last = null;
        while (System.nanoTime() < end) {
            try {
                return action.get();
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            sleep(RETRY_MILLIS);
        }
        throw new AssertionError("gave up after " + deadline + ": " + what, last);
    }

    /** Holds a phase (a fault, a load) for {@code d}: a run's length, never a wait for a condition. */
    public static void sleep(Duration d) {
        sleep(d.toMillis());
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
