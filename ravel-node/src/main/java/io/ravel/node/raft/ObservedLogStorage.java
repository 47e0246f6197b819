package io.ravel.node.raft;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;

import java.util.List;

/**
 * The Raft log (SOFAJRaft's RocksDB log, whose appends are synced writes) with every append timed for
 * {@link RaftObserver#logWritten}. SOFAJRaft's own append metric counts whole milliseconds, too coarse
 * for a sync that takes a fraction of one. Everything else passes through.
 */
final class ObservedLogStorage implements LogStorage {

    private final LogStorage inner;
    private final RaftObserver observer;

    ObservedLogStorage(LogStorage inner, RaftObserver observer) {
        this.inner = inner;
        this.observer = observer;
    }

    @Override
    public int appendEntries(List<LogEntry> entries) {
        long start = System.nanoTime();
        int written = inner.appendEntries(entries);
        observer.logWritten(written, System.nanoTime() - start);
        return written;
    }

    @Override
    public boolean appendEntry(LogEntry entry) {
        long start = System.nanoTime();
        boolean ok = inner.appendEntry(entry);
        observer.logWritten(ok ? 1 : 0, System.nanoTime() - start);
        return ok;
    }

    @Override
    public boolean init(LogStorageOptions opts) {
        return inner.init(opts);
    }

    @Override
    public void shutdown() {
        inner.shutdown();
    }

    @Override
    public long getFirstLogIndex() {
        return inner.getFirstLogIndex();
    }

    @Override
    public long getLastLogIndex() {
        return inner.getLastLogIndex();
    }

    @Override
    public LogEntry getEntry(long index) {
        return inner.getEntry(index);
    }

    @Override
    @Deprecated
    public long getTerm(long index) {
        return inner.getTerm(index);
    }

    @Override
    public boolean truncatePrefix(long firstIndexKept) {
        return inner.truncatePrefix(firstIndexKept);
    }

    @Override
    public boolean truncateSuffix(long lastIndexKept) {
        return inner.truncateSuffix(lastIndexKept);
    }

    @Override
    public boolean reset(long nextLogIndex) {
        return inner.reset(nextLogIndex);
    }
}
