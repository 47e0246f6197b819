package io.ravel.robustness.run;

import java.time.Duration;

/**
 * How long and how hard a scenario runs. The short run of {@code mvn verify} injects each fault once;
 * a long run ({@code -Dravel.robustness.duration=S}) repeats it for S seconds per scenario. The seed
 * drives the clients' choices and the faults' targets; it is printed so a failure can be replayed.
 */
public record RunSettings(Duration duration, long seed, Duration warmup, Duration hold, Duration rest,
                          int clients, int keys, int minSucceeded,
                          boolean exactDeleteNotFound) {

    /** One seed per JVM, so every scenario of a run shares it and one number replays the run. */
    private static final long SEED = Long.getLong("ravel.robustness.seed", 0) != 0
            ? Long.getLong("ravel.robustness.seed") : System.nanoTime() & 0xffffffffL;

    public static RunSettings fromSystemProperties() {
        long seconds = Long.getLong("ravel.robustness.duration", 0);
        long seed = SEED;
        return new RunSettings(Duration.ofSeconds(seconds), seed, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), 4, 16, 60,
                !"lenient".equals(System.getProperty("ravel.robustness.deleteNotFound", "exact")));
    }

    /** The same settings with {@code clients} client threads. */
    public RunSettings withClients(int clients) {
        return new RunSettings(duration, seed, warmup, hold, rest, clients, keys, minSucceeded, exactDeleteNotFound);
    }

    public boolean isLong() {
        return !duration.isZero();
    }
}
