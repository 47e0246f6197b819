package io.ravel.robustness.system;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; never a bare sleep before an assertion. */
public final class Waits {

    private Waits() {
    }

    public static void until(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (AssertionError e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** Holds a fault or load phase for a while; the run's length, not a wait for a condition. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
