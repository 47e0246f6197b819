package io.ravel.node.config;

import java.time.Duration;

/**
 * Operational settings read from system properties or the environment, all in this one place.
 * Tests shorten them; a production replica keeps the defaults.
 *
 * <ul>
 *   <li>{@code ravel.node.adminRetrySecs} / {@code RAVEL_NODE_ADMIN_RETRY_SECS} (default 30): how long
 *       start-up and kill keep retrying an unreachable cluster admin before giving up.</li>
 *   <li>{@code ravel.node.joinTimeoutSecs} / {@code RAVEL_NODE_JOIN_TIMEOUT_SECS} (default 300): how long
 *       a new replica keeps asking its cluster's leader to add it.</li>
 * </ul>
 */
public final class Knobs {

    private Knobs() {
    }

    public static Duration adminRetry() {
        return Duration.ofSeconds(read("ravel.node.adminRetrySecs", "RAVEL_NODE_ADMIN_RETRY_SECS", 30));
    }

    public static Duration joinTimeout() {
        return Duration.ofSeconds(read("ravel.node.joinTimeoutSecs", "RAVEL_NODE_JOIN_TIMEOUT_SECS", 300));
    }

    private static long read(String property, String env, long fallback) {
        String raw = System.getProperty(property);
        if (raw == null || raw.isBlank()) {
            raw = System.getenv(env);
        }
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(0, Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
