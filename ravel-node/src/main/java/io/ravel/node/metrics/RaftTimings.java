package io.ravel.node.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ravel.node.raft.RaftObserver;

import java.util.concurrent.TimeUnit;

/**
 * The Raft log's synced writes and the state machine's applies, as Prometheus summaries: how many
 * entries each one carried and how long it took ({@code ravel_raft_log_sync_*}, {@code ravel_raft_apply_*}).
 */
final class RaftTimings implements RaftObserver {

    private final Timer logSync;
    private final DistributionSummary logSyncEntries;
    private final Timer apply;
    private final DistributionSummary applyEntries;

    RaftTimings(MeterRegistry registry) {
        logSync = Timer.builder("ravel_raft_log_sync")
                .description("writes to the Raft log, each synced to disk before it counts, and their time")
                .register(registry);
        logSyncEntries = DistributionSummary.builder("ravel_raft_log_sync_entries")
                .description("Raft log entries per synced log write").register(registry);
        apply = Timer.builder("ravel_raft_apply")
                .description("state machine apply calls (one RocksDB write each), and their time").register(registry);
        applyEntries = DistributionSummary.builder("ravel_raft_apply_entries")
                .description("committed Raft log entries per state machine apply call").register(registry);
    }

    @Override
    public void logWritten(int entries, long nanos) {
        logSync.record(nanos, TimeUnit.NANOSECONDS);
        logSyncEntries.record(entries);
    }

    @Override
    public void applied(long entries, long nanos) {
        apply.record(nanos, TimeUnit.NANOSECONDS);
        applyEntries.record(entries);
    }
}
