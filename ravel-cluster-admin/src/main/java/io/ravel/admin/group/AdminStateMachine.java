package io.ravel.admin.group;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.StateChange;
import io.ravel.admin.state.StateCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executor;

/**
 * The admin state as a SOFAJRaft state machine: each log entry is one {@link StateChange}, applied to the
 * in-memory {@link AdminState} in log order on every admin; a snapshot is the whole state as one JSON file.
 *
 * <p>Threading: every callback runs on SOFAJRaft's single FSM thread. Leadership callbacks are handed to
 * {@code listenerExecutor}, because the listener commits changes itself and must not block this thread.
 */
final class AdminStateMachine extends StateMachineAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AdminStateMachine.class);
    static final String SNAPSHOT_FILE = "admin-state.json";

    /** Told (on the listener executor) when this admin starts or stops serving as the admin leader. */
    interface LeadershipListener {
        void onLeaderStart(long term);

        void onLeaderStop();
    }

    private final AdminState state;
    private final LeadershipListener listener;
    private final Executor listenerExecutor;
    private volatile long leaderTerm = -1;

    AdminStateMachine(AdminState state, LeadershipListener listener, Executor listenerExecutor) {
        this.state = state;
        this.listener = listener;
        this.listenerExecutor = listenerExecutor;
    }

    /** The term this admin leads in since {@link #onLeaderStart}, or -1 when it does not serve as leader. */
    long leaderTerm() {
        return leaderTerm;
    }

    @Override
    public void onApply(Iterator it) {
        while (it.hasNext()) {
            Closure done = it.done();
            StateChange change = done instanceof ChangeClosure c ? c.change() : null;
            try {
                if (change == null) {
                    change = StateCodec.decodeChange(bytes(it));
                }
                state.applyCommitted(change);
            } catch (RuntimeException e) {
                // A committed entry that cannot be applied would leave this admin diverged: stop here.
                LOG.error("cannot apply admin log entry {}: {}", it.getIndex(), e.getMessage());
                it.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, "cannot apply entry: %s", e.getMessage()));
                return;
            }
            if (done != null) {
                done.run(Status.OK());
            }
            it.next();
        }
    }

    private static byte[] bytes(Iterator it) {
        byte[] b = new byte[it.getData().remaining()];
        it.getData().duplicate().get(b);
        return b;
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        byte[] bytes = StateCodec.encode(state.snapshot());
        Path file = Path.of(writer.getPath()).resolve(SNAPSHOT_FILE);
        try {
            Path tmp = file.resolveSibling(SNAPSHOT_FILE + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!writer.addFile(SNAPSHOT_FILE)) {
                throw new IOException("the snapshot writer refused " + SNAPSHOT_FILE);
            }
            done.run(Status.OK());
        } catch (IOException e) {
            LOG.error("admin snapshot save failed: {}", e.getMessage());
            done.run(new Status(RaftError.EIO, "admin snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (leaderTerm > 0) {
            LOG.warn("refusing to load a snapshot while serving as the admin leader");
            return false;
        }
        try {
            state.restore(StateCodec.decodeSnapshot(Files.readAllBytes(Path.of(reader.getPath()).resolve(SNAPSHOT_FILE))));
            LOG.info("admin state loaded from snapshot: {} clusters", state.clusterCount());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("admin snapshot load failed: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        leaderTerm = term;
        LOG.info("serving as the admin leader in term {}", term);
        listenerExecutor.execute(() -> listener.onLeaderStart(term));
    }

    @Override
    public void onLeaderStop(Status status) {
        boolean was = leaderTerm > 0;
        leaderTerm = -1;
        if (was) {
            LOG.info("no longer the admin leader: {}", status);
            listenerExecutor.execute(listener::onLeaderStop);
        }
    }

    @Override
    public void onShutdown() {
        leaderTerm = -1;
    }

    @Override
    public void onError(RaftException e) {
        leaderTerm = -1;
        LOG.error("the admin group's Raft node stopped on an error: {}", e.getStatus());
    }
}
