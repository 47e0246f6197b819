package io.ravel.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: the only way the end-to-end tests wait for anything. */
final class Waits {

    private Waits() {
    }

    static void until(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        Throwable last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(100);
        }
        AssertionError error = new AssertionError("gave up after " + deadline.toSeconds() + " s waiting for " + what);
        if (last != null) {
            error.initCause(last);
        }
        throw error;
    }

    /** Retries {@code action} until it returns without throwing, then returns its value. */
    static <T> T retry(Duration deadline, String what, Supplier<T> action) {
        long end = System.nanoTime() + deadline.toNanos();
        RuntimeException last = null;
        AssertionError lastAssertion = null;
        while (System.nanoTime() < end) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                last = e;
            } catch (AssertionError e) {
                lastAssertion = e;
            }
            sleep(200);
        }
        AssertionError error = new AssertionError("gave up after " + deadline.toSeconds() + " s: " + what);
        error.initCause(lastAssertion != null ? lastAssertion : last);
        throw error;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
