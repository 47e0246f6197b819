package io.ravel.node.raft;

/**
 * Told what a replica's Raft layer did, for its metrics. Called on SOFAJRaft's threads (the log
 * manager's, the state machine's): an implementation only records, never blocks.
 */
public interface RaftObserver {

    /** Nobody listens. */
    RaftObserver NONE = new RaftObserver() {
    };

    /** One write of {@code entries} entries to the Raft log, synced to disk, took {@code nanos}. */
    default void logWritten(int entries, long nanos) {
    }

    /** One apply call of the state machine: {@code entries} committed entries in one RocksDB write, in {@code nanos}. */
    default void applied(long entries, long nanos) {
    }
}
