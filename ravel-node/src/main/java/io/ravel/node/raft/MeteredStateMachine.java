package io.ravel.node.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes every call on to the replica's state machine and counts what the metrics report: snapshots
 * saved and loaded (count and total time) and the last term this replica saw a leader in; each apply
 * call's entries and time go to a {@link RaftObserver}.
 */
public final class MeteredStateMachine implements StateMachine {

    private final StateMachine inner;
    private final AtomicLong saved = new AtomicLong();
    private final AtomicLong savedNanos = new AtomicLong();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong loadedNanos = new AtomicLong();
    private final AtomicLong term = new AtomicLong();
    private volatile RaftObserver observer = RaftObserver.NONE;

    MeteredStateMachine(StateMachine inner) {
        this.inner = inner;
    }

    void observe(RaftObserver observer) {
        this.observer = observer;
    }

    /** Counts of this replica's snapshots since it started. */
    public record SnapshotCounts(long saved, double savedSeconds, long loaded, double loadedSeconds) {
    }

    public SnapshotCounts counts() {
        return new SnapshotCounts(saved.get(), savedNanos.get() / 1e9, loaded.get(), loadedNanos.get() / 1e9);
    }

    public long term() {
        return term.get();
    }

    @Override
    public void onApply(Iterator iter) {
        long first = iter.getIndex();
        long start = System.nanoTime();
        inner.onApply(iter);
        // the iterator stands past the last entry applied (or on the one that failed)
        observer.applied(iter.getIndex() - first, System.nanoTime() - start);
    }

    @Override
    public void onShutdown() {
        inner.onShutdown();
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        long start = System.nanoTime();
        inner.onSnapshotSave(writer, status -> {
            if (status.isOk()) {
                saved.incrementAndGet();
                savedNanos.addAndGet(System.nanoTime() - start);
            }
            done.run(status);
        });
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        long start = System.nanoTime();
        boolean ok = inner.onSnapshotLoad(reader);
        if (ok) {
            loaded.incrementAndGet();
            loadedNanos.addAndGet(System.nanoTime() - start);
        }
        return ok;
    }

    @Override
    public void onLeaderStart(long t) {
        term.set(t);
        inner.onLeaderStart(t);
    }

    @Override
    public void onLeaderStop(Status status) {
        inner.onLeaderStop(status);
    }

    @Override
    public void onError(RaftException e) {
        inner.onError(e);
    }

    @Override
    public void onConfigurationCommitted(Configuration conf) {
        inner.onConfigurationCommitted(conf);
    }

    @Override
    public void onStopFollowing(LeaderChangeContext ctx) {
        inner.onStopFollowing(ctx);
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        term.set(ctx.getTerm());
        inner.onStartFollowing(ctx);
    }
}
