package io.ravel.node.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import io.ravel.node.command.Command;
import io.ravel.node.command.CommandCodec;
import io.ravel.node.command.LogEntry;
import io.ravel.node.command.Member;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.node.storage.StoredValue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One SOFAJRaft node of the cluster's Raft group (named {@code ravel-<cluster id>}) over a {@link KvStateMachine}.
 *
 * <p>Writes become log entries whose closure completes the returned future; reads wait for a
 * ReadIndex on the leader. Everything is asynchronous: no method blocks on a commit. A replica that
 * does not serve as leader (per {@link KvStateMachine#onLeaderStart}) fails requests with
 * {@link NotLeaderException}, never answers from its local state.
 */
public final class RaftReplica {

    private final String groupId;
    private final Member self;
    private final boolean founder;
    private final Path raftDir;
    private final RaftSettings settings;
    private final RocksStore store;
    private final MemberDirectory members = new MemberDirectory();
    private final KvStateMachine fsm;
    private final MeteredStateMachine metered;
    private final Executor readExecutor;
    private final ExpirySweeper sweeper;
    private RaftObserver observer = RaftObserver.NONE;
    private RaftGroupService group;
    private volatile Node node;

    /**
     * @param founder     whether this replica bootstraps a new one-node group (its initial
     *                    configuration is itself); other replicas start with an empty configuration
     *                    and wait for the leader to add them
     * @param readExecutor runs partition scans once their ReadIndex is confirmed
     */
    public RaftReplica(String groupId, Member self, boolean founder, Path raftDir, RaftSettings settings,
                       RocksStore store, LeadershipListener listener, Executor readExecutor) {
        this.groupId = groupId;
        this.self = self;
        this.founder = founder;
        this.raftDir = raftDir;
        this.settings = settings;
        this.store = store;
        this.readExecutor = readExecutor;
        this.fsm = new KvStateMachine(store, members, listener);
        this.sweeper = new ExpirySweeper(store, this::isLeader, this::apply);
        this.metered = new MeteredStateMachine(fsm);
    }

    /** Tells {@code observer} of the log's writes and the state machine's applies; call before {@link #start()}. */
    public void observe(RaftObserver observer) {
        this.observer = observer;
        metered.observe(observer);
    }

    /** Starts the Raft transport on the self Raft address (its host only) and the node. */
    public void start() {
        RaftMemory.bound();
        PeerId selfPeer = PeerId.parsePeer(self.raftEndpoint());
        NodeOptions options = new NodeOptions();
        settings.applyTo(options);
        options.setLogUri(raftDir.resolve("log").toString());
        options.setRaftMetaUri(raftDir.resolve("meta").toString());
        options.setSnapshotUri(raftDir.resolve("snapshot").toString());
        options.setFsm(metered);
        options.setServiceFactory(new ObservedServices(observer));
        Configuration initial = new Configuration();
        if (founder) {
            initial.addPeer(selfPeer);
        }
        options.setInitialConf(initial);
        group = new RaftGroupService(raftGroupName(groupId), selfPeer, options, RaftTransport.boundTo(selfPeer));
        node = group.start();
        if (node == null) {
            throw new IllegalStateException("the Raft node of " + self.raftAddress() + " did not start");
        }
        sweeper.start();
    }

    /** Stops the node (a leader hands over at once) and its transport; waits for the state machine to finish. */
    public void stop() {
        sweeper.close();
        if (group != null) {
            group.shutdown();
            try {
                group.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            group = null;
        }
    }

    public Member self() {
        return self;
    }

    public String groupId() {
        return groupId;
    }

    /**
     * SOFAJRaft wants a group name that starts with a letter; a cluster id is a UUID, which may start
     * with a digit, so the Raft group of cluster X is named "ravel-X".
     */
    static String raftGroupName(String clusterId) {
        return "ravel-" + clusterId;
    }

    public MemberDirectory members() {
        return members;
    }

    /** The state machine as SOFAJRaft sees it, counting snapshots and noting the last leader's term. */
    public MeteredStateMachine metered() {
        return metered;
    }

    public KvStateMachine stateMachine() {
        return fsm;
    }

    public Node node() {
        return node;
    }

    /** Whether this replica serves as leader (the state machine's leader callback has run). */
    public boolean isLeader() {
        return fsm.leaderTerm() > 0;
    }

    /** The leader as far as this replica knows: its member entry, or null when unknown. */
    public Member leader() {
        if (isLeader()) {
            Member me = members.byId(self.id());
            return me != null ? me : self;
        }
        Node n = node;
        PeerId leader = n == null ? null : n.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return null;
        }
        return members.byRaftEndpoint(leader.getEndpoint().toString());
    }

    private String leaderGrpcAddress() {
        Member leader = leader();
        return leader == null ? null : leader.grpcAddress();
    }

    private RuntimeException failure(Status status) {
        if (status.getRaftError() == RaftError.EPERM || !isLeader()) {
            return new NotLeaderException(leaderGrpcAddress());
        }
        return new UnavailableException("Raft: " + status.getErrorMsg());
    }

    /** Appends {@code command} to the log; completes once it is committed and applied here. */
    public CompletableFuture<CommandResult> apply(Command command) {
        long term = fsm.leaderTerm();
        if (term <= 0) {
            return CompletableFuture.failedFuture(new NotLeaderException(leaderGrpcAddress()));
        }
        Node node = this.node;
        if (node == null) {
            return CompletableFuture.failedFuture(new UnavailableException("the Raft node is still starting"));
        }
        // the leader's clock, read by every replica from the log, dates the entry's request ids and expiry
        boolean stamped = command.hasRequestIds() || command.extended();
        LogEntry entry = new LogEntry(command, stamped ? System.currentTimeMillis() : 0);
        CommandClosure closure = new CommandClosure(entry, this::failure);
        node.apply(new Task(ByteBuffer.wrap(CommandCodec.encode(entry)), closure, term));
        return closure.future();
    }

    /**
     * Completes once a ReadIndex confirms that this replica still leads (a majority answered it) and
     * its state machine has applied everything committed before the call; fails with
     * {@link NotLeaderException} otherwise.
     */
    public CompletableFuture<Void> confirmLeadership() {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(new NotLeaderException(leaderGrpcAddress()));
        }
        Node node = this.node;
        if (node == null) {
            return CompletableFuture.failedFuture(new UnavailableException("the Raft node is still starting"));
        }
        return ReadBarrier.confirm(node, this::isLeader, this::failure);
    }

    /**
     * The linearizable values of {@code keys} (null where absent or expired by this leader's clock), in
     * their order, after one shared ReadIndex begun after the call: each value is at least as recent as
     * the call itself.
     */
    public CompletableFuture<List<StoredValue>> read(List<KeyRef> keys) {
        List<KeyRef> copy = List.copyOf(keys);
        return confirmLeadership().thenApply(ignored -> {
            long now = System.currentTimeMillis();
            List<StoredValue> values = new ArrayList<>(copy.size());
            for (KeyRef key : copy) {
                StoredValue v = StoredValue.decode(store.get(KeyCodec.encode(key.partition(), key.key())));
                values.add(v == null || v.expiredAt(now) ? null : v);
            }
            return values;
        });
    }

    /** The linearizable JSON value of {@code key} in {@code partition} (null when absent). */
    public CompletableFuture<byte[]> get(int partition, byte[] key) {
        return read(List.of(new KeyRef(partition, key))).thenApply(values -> values.get(0) == null ? null
                : values.get(0).json());
    }

    /**
     * Hands every entry of {@code partition} to {@code sink} in lists of at most {@code batchSize},
     * after a ReadIndex (which must come within {@code barrierTimeoutMs}), on the read executor;
     * completes when the scan is done.
     */
    public CompletableFuture<Void> scanPartition(int partition, int batchSize, Consumer<List<RocksStore.Entry>> sink,
                                                 long barrierTimeoutMs) {
        return confirmLeadership().orTimeout(barrierTimeoutMs, TimeUnit.MILLISECONDS)
                .thenRunAsync(() -> store.scanPartition(partition, batchSize, sink), readExecutor);
    }

    /** Runs {@code read} on the store once a ReadIndex confirmed this leader (see {@link #confirmLeadership}), on the read executor. */
    public <T> CompletableFuture<T> readConfirmed(java.util.function.Function<RocksStore, T> read) {
        return confirmLeadership().thenApplyAsync(ignored -> read.apply(store), readExecutor);
    }

    /** Adds {@code member} to the group: its membership entry through the log, then the Raft peer. */
    public CompletableFuture<Void> addMember(Member member) {
        return apply(new Command.MemberAdd(member))
                .thenCompose(ignored -> PeerChanges.add(node, PeerId.parsePeer(member.raftEndpoint()), this::failure));
    }

    /** Removes the member from the group: its membership entry through the log, then the Raft peer. */
    public CompletableFuture<Void> removeMember(String nodeId, String raftAddress) {
        return apply(new Command.MemberRemove(nodeId)).thenCompose(ignored -> raftAddress == null || raftAddress.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : PeerChanges.remove(node, PeerId.parsePeer(Member.endpointOf(raftAddress)), this::failure));
    }

    /** Takes a snapshot now (the log is truncated after it); completes when it is saved. */
    public CompletableFuture<Void> snapshot() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.snapshot(status -> {
            if (status.isOk()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new UnavailableException("snapshot: " + status.getErrorMsg()));
            }
        });
        return done;
    }

    /** Asks the leader to hand leadership to {@code member} (used by tests and operators). */
    public Status transferLeadershipTo(Member member) {
        return node.transferLeadershipTo(PeerId.parsePeer(member.raftEndpoint()));
    }

    /** The peers of the current configuration, as {@code ip:port}. */
    public List<String> peers() {
        return node.listPeers().stream().map(p -> p.getEndpoint().toString()).toList();
    }
}
