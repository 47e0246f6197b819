package io.ravel.node.raft;

import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;

/**
 * The Raft tuning of a replica.
 *
 * @param electionTimeoutMs     how long a follower waits without hearing from a leader before it
 *                              starts an election; leaders heartbeat at a quarter of it
 * @param snapshotIntervalSecs  how often a snapshot is taken (and the log truncated) when anything
 *                              was applied since the last one; 0 or less turns the timer off
 */
public record RaftSettings(int electionTimeoutMs, int snapshotIntervalSecs) {

    /**
     * Default election timeout. With heartbeats every half of it (400 ms), a follower starts an
     * election only after two heartbeats in a row went missing; a leader crash costs about one
     * timeout plus half a timer period (the follower's election timer runs on its own period, not
     * from the last heartbeat).
     */
    public static final int DEFAULT_ELECTION_TIMEOUT_MS = 800;
    /** Default snapshot interval: bounds the log a restarted replica replays. */
    public static final int DEFAULT_SNAPSHOT_INTERVAL_SECS = 300;
    /**
     * Heartbeats per election timeout (SOFAJRaft's default is 10): every 400 ms at the default timeout.
     * Heartbeats are most of an idle replica's CPU (each one wakes several threads on both sides), so
     * the rate is as low as failover allows: a follower stands once it heard nothing for a whole
     * lease ({@link #LEADER_LEASE_PERCENT}), and since its last heartbeat came on average half an
     * interval before a leader crash, a longer interval does not delay failover. A follower and the
     * leader's step-down check still tolerate one heartbeat lost or 400 ms late.
     */
    static final int HEARTBEATS_PER_TIMEOUT = 2;
    /**
     * The leader lease as a percentage of the election timeout (SOFAJRaft's default is 90): a leader
     * steps down when no majority acknowledged a heartbeat sent within it, a follower rejects votes
     * while it heard its leader within it. The whole timeout gives a 400 ms-late heartbeat answer the
     * same slack the 90% lease gave at four heartbeats per timeout.
     */
    static final int LEADER_LEASE_PERCENT = 100;
    /**
     * The election timer's random extra period, as a fraction of the timeout (SOFAJRaft's default is a
     * fixed 1 s, which adds half a second to every failover). Followers' timers are not synchronised,
     * so a small spread is enough to keep two of them from standing at once. SOFAJRaft also runs the
     * ReadIndex service's scanner at this period (on every replica, idle or not): a quarter of the
     * timeout (200 ms) keeps that at 5 wake-ups a second.
     */
    static final int ELECTION_DELAY_DIVISOR = 4;
    /**
     * AppendEntries requests a leader keeps in flight to one follower (SOFAJRaft's default is 256).
     * Each carries at least one log entry, and a relocation's WriteBatch is one entry of up to about
     * 512 KB: catching up a new follower on such a log with 256 in flight held over 100 MB per follower
     * on the leader's heap and ran a 96 MB heap out of memory. 16 bounds that to about 8 MB per
     * follower and still keeps a loopback or LAN link busy.
     */
    static final int MAX_INFLIGHT_APPENDS = 16;

    public static RaftSettings defaults() {
        return new RaftSettings(DEFAULT_ELECTION_TIMEOUT_MS, DEFAULT_SNAPSHOT_INTERVAL_SECS);
    }

    /** The heartbeat interval a leader of these settings uses, in ms. */
    public int heartbeatIntervalMs() {
        return Math.max(electionTimeoutMs / HEARTBEATS_PER_TIMEOUT, 10);
    }

    /** The most the election timer adds at random to {@link #electionTimeoutMs}, in ms. */
    public int maxElectionDelayMs() {
        return Math.max(electionTimeoutMs / ELECTION_DELAY_DIVISOR, 10);
    }

    /**
     * Sets these settings on a Raft node's options. The election, vote, step-down and snapshot
     * timers run on SOFAJRaft's shared timer pools: a node's own timers are four threads that each
     * wake every millisecond, the largest part of an idle replica's CPU (docs/performance.md).
     * None of these timings is part of Raft's safety (reads use ReadIndex, not the leader lease):
     * a timeout that is too short for the machine costs spurious elections, never data.
     */
    void applyTo(NodeOptions options) {
        options.setElectionTimeoutMs(electionTimeoutMs);
        options.setSnapshotIntervalSecs(snapshotIntervalSecs);
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        options.setEnableMetrics(true);
        options.setLeaderLeaseTimeRatio(LEADER_LEASE_PERCENT);
        RaftOptions raft = options.getRaftOptions();
        raft.setElectionHeartbeatFactor(HEARTBEATS_PER_TIMEOUT);
        raft.setMaxElectionDelayMs(maxElectionDelayMs());
        raft.setMaxReplicatorInflightMsgs(MAX_INFLIGHT_APPENDS);
    }
}
