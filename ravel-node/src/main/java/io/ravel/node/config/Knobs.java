package io.ravel.node.config;

import io.ravel.common.Settings;

import java.time.Duration;

/**
 * Operational settings of {@code ravel_node} read from system properties or the environment, all in
 * this one place, each with its default and the reason for it. Tests shorten them; a production
 * replica keeps the defaults. A value that is not a whole number of seconds is a
 * {@link ConfigException} (one line, non-zero exit), never a silent fallback.
 */
public final class Knobs {

    public static final String ADMIN_RETRY_PROPERTY = "ravel.node.adminRetrySecs";
    public static final String ADMIN_RETRY_ENV = "RAVEL_NODE_ADMIN_RETRY_SECS";
    /**
     * How long start-up and kill keep retrying an unreachable cluster admin: long enough to ride out
     * an admin restart (its RocksDB reopens in seconds), short enough that a wrong -a fails visibly.
     */
    public static final Duration DEFAULT_ADMIN_RETRY = Duration.ofSeconds(30);

    public static final String JOIN_TIMEOUT_PROPERTY = "ravel.node.joinTimeoutSecs";
    public static final String JOIN_TIMEOUT_ENV = "RAVEL_NODE_JOIN_TIMEOUT_SECS";
    /**
     * How long a new replica keeps asking its cluster's leader to add it: the leader may be in an
     * election or installing a snapshot on another follower, which on a loaded machine takes minutes.
     */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(300);

    private Knobs() {
    }

    public static Duration adminRetry() {
        return seconds(ADMIN_RETRY_PROPERTY, ADMIN_RETRY_ENV, DEFAULT_ADMIN_RETRY);
    }

    public static Duration joinTimeout() {
        return seconds(JOIN_TIMEOUT_PROPERTY, JOIN_TIMEOUT_ENV, DEFAULT_JOIN_TIMEOUT);
    }

    private static Duration seconds(String property, String env, Duration defaultValue) {
        try {
            return Duration.ofSeconds(Settings.nonNegative(property, env, defaultValue.toSeconds(), "seconds"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
