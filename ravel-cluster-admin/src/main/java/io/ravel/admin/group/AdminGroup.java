package io.ravel.admin.group;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.StateChange;
import io.ravel.admin.state.StateCodec;
import io.ravel.common.HostPort;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This admin's member of the admin group: a SOFAJRaft node (group {@value #GROUP_ID}) over an
 * {@link AdminStateMachine}, its log, metadata and snapshots under {@code <backupPath>/raft}. It is the
 * {@link AdminState.ChangeLog} of a replicated {@link AdminState}: a change is proposed on the admin
 * leader and returns once committed by a majority and applied here.
 *
 * <p>Thread-safe. {@link #replicate} blocks its caller up to {@link AdminTimeouts#REQUEST}; it is only
 * called on membership and relocation changes, never per client request, and never on the FSM thread.
 */
public final class AdminGroup implements AdminState.ChangeLog, AutoCloseable {

    public static final String GROUP_ID = "ravel-admin";
    /**
     * Election timeout: a follower that hears nothing from the leader for this long starts an election.
     * While no admin leader is known, key requests are answered 503, so a crashed admin leader costs
     * clients about this plus half of {@link #MAX_ELECTION_DELAY_MS} and a vote. Timings are not part
     * of Raft's safety (reads go through ReadIndex): too short a timeout costs spurious elections only.
     */
    static final int ELECTION_TIMEOUT_MS = 800;
    /** Heartbeats per election timeout: every 100 ms, so eight in a row must go missing before an election. */
    static final int HEARTBEATS_PER_TIMEOUT = 8;
    /**
     * The election timer's random extra period (SOFAJRaft's default is 1 s, added to every failover);
     * the admins' timers are not synchronised, so a small spread keeps two of them from standing at once.
     */
    static final int MAX_ELECTION_DELAY_MS = 100;
    /** The admin state is small; a snapshot every minute keeps the log (and a restart's replay) short. */
    static final int SNAPSHOT_INTERVAL_SECS = 60;

    private final GroupConfig config;
    private final Path dir;
    private AdminStateMachine fsm;
    private RaftGroupService service;
    private volatile Node node;
    private volatile boolean caughtUp;
    private final AtomicBoolean catchingUp = new AtomicBoolean();

    public AdminGroup(GroupConfig config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    public GroupConfig config() {
        return config;
    }

    /** Starts the Raft transport (bound to the --raft address only) and the node, which replays its log into {@code state}. */
    public void start(AdminState state, AdminStateMachine.LeadershipListener listener, Executor listenerExecutor) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        GroupMemory.bound();
        fsm = new AdminStateMachine(state, listener, listenerExecutor);
        PeerId self = peer(config.raft());
        Configuration peers = new Configuration();
        for (HostPort p : config.peers()) {
            peers.addPeer(peer(p));
        }
        NodeOptions options = new NodeOptions();
        options.setElectionTimeoutMs(ELECTION_TIMEOUT_MS);
        options.setSnapshotIntervalSecs(SNAPSHOT_INTERVAL_SECS);
        options.setLogUri(dir.resolve("log").toString());
        options.setRaftMetaUri(dir.resolve("meta").toString());
        options.setSnapshotUri(dir.resolve("snapshot").toString());
        options.setFsm(fsm);
        options.setEnableMetrics(false);
        // SOFAJRaft's shared timer pools sleep until the next deadline; a node's own timers wake every millisecond
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        options.getRaftOptions().setElectionHeartbeatFactor(HEARTBEATS_PER_TIMEOUT);
        options.getRaftOptions().setMaxElectionDelayMs(MAX_ELECTION_DELAY_MS);
        options.setInitialConf(peers);
        // Bolt's default server listens on every interface; the admin's Raft port listens on --raft only.
        RpcServer rpc = new BoltRpcServer(new com.alipay.remoting.rpc.RpcServer(config.raft().ipHost(),
                config.raft().port(), true));
        RaftRpcServerFactory.addRaftRequestProcessors(rpc);
        service = new RaftGroupService(GROUP_ID, self, options, rpc);
        node = service.start();
        if (node == null) {
            throw new IllegalStateException("the admin group's Raft node on " + config.raft() + " did not start");
        }
    }

    /** Whether this admin serves as the admin leader now. */
    public boolean isLeader() {
        return fsm != null && fsm.leaderTerm() > 0;
    }

    @Override
    public boolean writable() {
        return isLeader();
    }

    /** The admin leader's Raft address (host:port as in --peers), or null while there is none. */
    public String leaderRaftAddress() {
        if (isLeader()) {
            return GroupConfig.key(config.raft());
        }
        Node n = node;
        PeerId leader = n == null ? null : n.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return null;
        }
        return leader.getEndpoint().getIp() + ":" + leader.getEndpoint().getPort();
    }

    /**
     * Whether this admin's applied state has reached what the admin group had committed when this admin
     * last asked its leader (a Raft ReadIndex). A restarted follower replays its log through older owner
     * tables before it reaches the current one; routing keys with such a table would read a partition
     * from a cluster that no longer holds it. Until the first ReadIndex succeeds this answers false and
     * starts one (at most one in flight); the leader is always caught up (SOFAJRaft applies every earlier
     * entry before it starts leading).
     */
    public boolean caughtUp() {
        if (caughtUp || isLeader()) {
            return true;
        }
        Node n = node;
        if (n != null && catchingUp.compareAndSet(false, true)) {
            n.readIndex(new byte[0], new ReadIndexClosure() {
                @Override
                public void run(Status status, long index, byte[] context) {
                    if (status.isOk()) {
                        caughtUp = true;
                    }
                    catchingUp.set(false);
                }
            });
        }
        return caughtUp;
    }

    /** The one-line reason key requests get while this admin replays the group's log. */
    public String catchingUpMessage() {
        return "this admin is catching up with the admin group's log; retry shortly";
    }

    public int size() {
        return config.peers().size();
    }

    /** The one-line reason key and membership requests get while no admin leader is known. */
    public String noLeaderMessage() {
        return "the admin group has no leader: fewer than " + config.majority() + " of its " + size()
                + " admins are reachable (or an election is under way); retry later";
    }

    @Override
    public void replicate(StateChange change) {
        long term = fsm == null ? -1 : fsm.leaderTerm();
        if (term <= 0) {
            throw new AdminException(AdminException.Reason.UNAVAILABLE,
                    "this admin is not the admin leader; the change must be made on the leader");
        }
        CompletableFuture<Status> done = new CompletableFuture<>();
        Task task = new Task(ByteBuffer.wrap(StateCodec.encode(change)), new ChangeClosure(change, done));
        task.setExpectedTerm(term);
        node.apply(task);
        Status status;
        try {
            status = done.get(AdminTimeouts.REQUEST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AdminException(AdminException.Reason.UNAVAILABLE, "the admin group did not commit the change within "
                    + AdminTimeouts.REQUEST.toSeconds() + " s: fewer than " + config.majority() + " of its " + size()
                    + " admins may be reachable; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(AdminException.Reason.UNAVAILABLE, "interrupted while committing an admin change");
        } catch (ExecutionException e) {
            throw new AdminException(AdminException.Reason.UNAVAILABLE, "the admin group failed: " + e.getCause());
        }
        if (!status.isOk()) {
            throw new AdminException(AdminException.Reason.UNAVAILABLE,
                    "the admin group did not commit the change: " + status.getErrorMsg() + "; retry later");
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.shutdown();
            try {
                service.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            service = null;
            node = null;
        }
    }

    private static PeerId peer(HostPort address) {
        return new PeerId(address.ipHost(), address.port());
    }
}
