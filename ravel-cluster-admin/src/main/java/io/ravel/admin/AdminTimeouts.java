package io.ravel.admin;

import java.time.Duration;

/** Every wait of the admin has a deadline; they are named here with the reason for each value. */
public final class AdminTimeouts {

    /** One gRPC call to a replica. Long enough for a Raft commit on a loaded machine. */
    public static final Duration NODE_CALL = Duration.ofSeconds(5);

    /**
     * A whole client request including leader discovery and retries; covers a Raft election after a
     * leader crash (about one to two seconds with the node's settings) with room to spare. After it: 503.
     */
    public static final Duration REQUEST = Duration.ofSeconds(10);

    /** How long a client operation waits for the partition it addresses to finish moving. After it: 503. */
    public static final Duration PARTITION_HOLD = Duration.ofSeconds(10);

    /** One IsLeader question while looking for a cluster's leader. */
    public static final Duration LEADER_PROBE = Duration.ofSeconds(2);

    /** Streaming one partition out of its old owner during relocation. */
    public static final Duration PARTITION_SCAN = Duration.ofSeconds(60);

    /** Pause between retries of a replica call that found no leader. */
    public static final Duration RETRY_BACKOFF = Duration.ofMillis(150);

    /**
     * How much longer a thread that blocks on a call waits than the call's own deadline, so the call
     * ends with its own answer (such as "no reachable leader") rather than the waiter's timeout.
     */
    public static final Duration BLOCKING_MARGIN = Duration.ofSeconds(1);

    /** Blocking on a call to a cluster's leader, which retries by itself until {@link #REQUEST}. */
    public static final Duration LEADER_CALL_WAIT = REQUEST.plus(BLOCKING_MARGIN);

    /** Blocking on one IsLeader question. */
    public static final Duration LEADER_PROBE_WAIT = LEADER_PROBE.plus(BLOCKING_MARGIN);

    private AdminTimeouts() {
    }
}
