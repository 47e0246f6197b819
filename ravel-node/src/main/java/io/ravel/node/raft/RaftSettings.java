package io.ravel.node.raft;

import com.alipay.sofa.jraft.option.NodeOptions;

/**
 * The Raft tuning of a replica.
 *
 * @param electionTimeoutMs     how long a follower waits without hearing from a leader before it
 *                              starts an election; leaders heartbeat at a tenth of it
 * @param snapshotIntervalSecs  how often a snapshot is taken (and the log truncated) when anything
 *                              was applied since the last one; 0 or less turns the timer off
 */
public record RaftSettings(int electionTimeoutMs, int snapshotIntervalSecs) {

    /** Default election timeout: long enough for a loaded 2-core machine to keep heartbeats on time. */
    public static final int DEFAULT_ELECTION_TIMEOUT_MS = 2000;
    /** Default snapshot interval: bounds the log a restarted replica replays. */
    public static final int DEFAULT_SNAPSHOT_INTERVAL_SECS = 300;

    public static RaftSettings defaults() {
        return new RaftSettings(DEFAULT_ELECTION_TIMEOUT_MS, DEFAULT_SNAPSHOT_INTERVAL_SECS);
    }

    /**
     * Sets these settings on a Raft node's options. The election, vote, step-down and snapshot
     * timers run on SOFAJRaft's shared timer pools: a node's own timers are four threads that each
     * wake every millisecond, the largest part of an idle replica's CPU (docs/performance.md).
     */
    void applyTo(NodeOptions options) {
        options.setElectionTimeoutMs(electionTimeoutMs);
        options.setSnapshotIntervalSecs(snapshotIntervalSecs);
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        options.setEnableMetrics(true);
    }
}
