package io.ravel.node.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.ravel.node.NodeTimeouts;
import io.ravel.node.command.CommandCodec;
import io.ravel.node.command.LogEntry;
import io.ravel.node.storage.Dirs;
import io.ravel.node.storage.RocksStore;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Applies committed log entries to the {@link RocksStore}.
 *
 * <p>Threading: every callback runs on SOFAJRaft's single state-machine thread, in log order.
 * {@link #leaderTerm()} is read by request threads.
 *
 * <p>Apply ({@link Applier}): consecutive entries are written as one RocksDB write batch; a range
 * delete (which a write batch with index cannot hold) first writes what is pending. A write whose
 * request id was already applied answers its first answer ({@link AppliedRequests}). Leader entries carry their
 * decoded command in a {@link CommandClosure}; only followers decode. Closures complete after their
 * entry's batch is written, so a read after an acknowledged write sees it.
 *
 * <p>Ownership ({@link Ownership}): read from the store at start and after a snapshot load.
 *
 * <p>Snapshots: a RocksDB checkpoint written into the snapshot directory; loading one replaces the
 * database with its files.
 */
public final class KvStateMachine extends StateMachineAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);

    private final RocksStore store;
    private final MemberDirectory members;
    private final LeadershipListener listener;
    private final AppliedRequests requests;
    private final Ownership ownership = new Ownership();
    private final AtomicInteger snapshotsLoaded = new AtomicInteger();
    private volatile long leaderTerm = -1;

    public KvStateMachine(RocksStore store, MemberDirectory members, LeadershipListener listener) {
        this.store = store;
        this.members = members;
        this.listener = listener;
        this.requests = new AppliedRequests(store, NodeTimeouts.REQUEST_ID_RETENTION.toMillis());
        ownership.reload(store);
    }

    /** Which partitions this cluster owns, as the applied log says (the ownership fence). */
    public Ownership ownership() {
        return ownership;
    }

    /** The term this replica leads in since {@link #onLeaderStart}, or -1 when it does not serve as leader. */
    public long leaderTerm() {
        return leaderTerm;
    }

    /** How many snapshots this state machine has loaded (at start or installed from the leader). */
    public int snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    @Override
    public void onApply(Iterator it) {
        Applier applier = new Applier(store, members, requests, ownership);
        try {
            while (it.hasNext()) {
                Closure done = it.done();
                CommandClosure closure = done instanceof CommandClosure c ? c : null;
                LogEntry entry;
                if (closure != null) {
                    entry = closure.entry();
                } else {
                    try {
                        entry = CommandCodec.decodeEntry(it.getData());
                    } catch (IllegalArgumentException e) {
                        applier.flush();
                        LOG.error("undecodable log entry at index {}: {}", it.getIndex(), e.getMessage());
                        it.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE,
                                "undecodable log entry at index %d: %s", it.getIndex(), e.getMessage()));
                        return;
                    }
                }
                CommandResult result = applier.apply(entry.command(), entry.stampMs(), closure != null);
                if (closure != null) {
                    applier.pending(closure, result);
                } else if (done != null) {
                    applier.pendingOther(done);
                }
                it.next();
            }
            applier.flush();
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("state machine write failed; this replica stops applying", e);
            it.setErrorAndRollback(applier.unflushed(), new Status(RaftError.EIO, "storage failure: %s", e.getMessage()));
        } finally {
            applier.close();
        }
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        Path dir = Path.of(writer.getPath());
        Path tmp = dir.resolve("rocksdb-checkpoint.tmp");
        try {
            Dirs.deleteTree(tmp);
            store.checkpoint(tmp);
            List<Path> files;
            try (Stream<Path> list = Files.list(tmp)) {
                files = list.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                Files.move(file, dir.resolve(name));
                if (!writer.addFile(name)) {
                    throw new IOException("snapshot writer refused file " + name);
                }
            }
            Dirs.deleteTree(tmp);
            done.run(Status.OK());
        } catch (IOException | RuntimeException e) {
            LOG.error("snapshot save failed", e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (leaderTerm > 0) {
            LOG.warn("refusing to load a snapshot while serving as leader");
            return false;
        }
        try {
            Path dir = Path.of(reader.getPath());
            List<Path> files = new ArrayList<>();
            for (String name : reader.listFiles()) {
                files.add(dir.resolve(name));
            }
            store.replaceWith(files);
            members.reload(store);
            requests.reload();
            ownership.reload(store);
            snapshotsLoaded.incrementAndGet();
            var meta = reader.load();
            LOG.info("loaded snapshot at index {} ({} files)", meta == null ? -1 : meta.getLastIncludedIndex(), files.size());
            return true;
        } catch (RuntimeException e) {
            LOG.error("snapshot load failed", e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        leaderTerm = term;
        LOG.info("serving as leader in term {}", term);
        listener.onLeaderStart(term);
    }

    @Override
    public void onLeaderStop(Status status) {
        boolean was = leaderTerm > 0;
        leaderTerm = -1;
        if (was) {
            LOG.info("stopped serving as leader: {}", status);
            listener.onLeaderStop();
        }
    }

    @Override
    public void onShutdown() {
        leaderTerm = -1;
    }

    @Override
    public void onError(RaftException e) {
        leaderTerm = -1;
        RaftFailures.report(e);
    }
}
