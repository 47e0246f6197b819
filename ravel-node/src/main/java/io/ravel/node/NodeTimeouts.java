package io.ravel.node;

import java.time.Duration;

/**
 * Every fixed wait of a replica, named here with the reason for its value. Waits an operator may
 * tune (admin retry, join deadline, Raft timings, the request timeout) are settings elsewhere; these
 * are not meant to change.
 */
public final class NodeTimeouts {

    /** One call to the cluster admin. Covers an admin that is itself busy planning a relocation. */
    public static final Duration ADMIN_CALL = Duration.ofSeconds(10);

    /** First pause between calls to an unreachable admin; it doubles up to {@link #ADMIN_BACKOFF_MAX}. */
    public static final Duration ADMIN_BACKOFF = Duration.ofMillis(200);

    /** Longest pause between calls to an unreachable admin: a restarted admin is found within seconds. */
    public static final Duration ADMIN_BACKOFF_MAX = Duration.ofSeconds(3);

    /** Pause between attempts to report leadership or ask for relocation while the admin is away. */
    public static final Duration REPORT_RETRY = Duration.ofSeconds(1);

    /** One Join call to the leader: the leader may first have to ship a snapshot to the new replica. */
    public static final Duration JOIN_CALL = Duration.ofSeconds(20);

    /** First pause between Join attempts; it doubles up to {@link #JOIN_BACKOFF_MAX}. */
    public static final Duration JOIN_BACKOFF = Duration.ofMillis(200);

    /** Longest pause between Join attempts: a new leader is elected within a couple of seconds. */
    public static final Duration JOIN_BACKOFF_MAX = Duration.ofSeconds(2);

    /**
     * How long a new leader keeps trying to write its own membership entry. Long enough to outlast a
     * slow first commit on a loaded machine; a leader that cannot commit for this long has lost its term.
     */
    public static final Duration SELF_ENTRY = Duration.ofSeconds(60);

    /** One attempt at writing the leader's own membership entry (one Raft commit). */
    public static final Duration SELF_ENTRY_ATTEMPT = Duration.ofSeconds(10);

    /** Pause between attempts at the membership entry, and between polls for a known leader. */
    public static final Duration POLL = Duration.ofMillis(100);

    /** A snapshot on demand: a RocksDB checkpoint is hard links, but the flush before it may be large. */
    public static final Duration SNAPSHOT = Duration.ofSeconds(60);

    /**
     * Stopping a server or a worker thread: in-flight calls end within this, and the process exits
     * anyway, so a longer wait only delays shutdown.
     */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    /** {@code kill}: SIGTERM, then this long for the replica to hand over leadership and exit before SIGKILL. */
    public static final Duration KILL_TERM = Duration.ofSeconds(20);

    /** {@code kill}: how long to wait for a replica to exit after SIGKILL. */
    public static final Duration KILL_FORCE = Duration.ofSeconds(10);

    /** {@code kill}: LeaveCluster returns once the cluster's partitions moved, which can take minutes. */
    public static final Duration LEAVE = Duration.ofMinutes(10);

    /** {@code kill}: pause between polls of the admin's relocation progress while LeaveCluster is pending. */
    public static final Duration PROGRESS_POLL = Duration.ofSeconds(1);

    /** {@code kill}: one progress poll; an admin that takes longer is skipped until the next poll. */
    public static final Duration PROGRESS_CALL = Duration.ofSeconds(2);

    /**
     * {@code kill}: after LeaveCluster returned, how long to keep asking for the end of the relocation run
     * while the polled admin still shows it running (a follower of an admin group applies it just after the leader).
     */
    public static final Duration PROGRESS_SETTLE = Duration.ofSeconds(3);

    /**
     * How long the state machine remembers an applied request id, by the time stamped in the log.
     * The admin retries a write within its 10 s request deadline; the rest absorbs clock differences
     * between successive leaders. Longer costs space: every write of the last minute keeps a record.
     */
    public static final Duration REQUEST_ID_RETENTION = Duration.ofMinutes(1);

    private NodeTimeouts() {
    }
}
