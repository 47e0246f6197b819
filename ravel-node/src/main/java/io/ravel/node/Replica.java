package io.ravel.node;

import io.grpc.ServerInterceptor;
import io.ravel.common.GrpcChannels;
import io.ravel.node.command.Command;
import io.ravel.node.command.Member;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.node.raft.LeadershipListener;
import io.ravel.node.raft.RaftObserver;
import io.ravel.node.raft.RaftReplica;
import io.ravel.node.rpc.JoinClient;
import io.ravel.node.rpc.NodeGrpcServer;
import io.ravel.node.rpc.RavelNodeService;
import io.ravel.node.storage.RocksStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One Ravel replica: its RocksDB state, its SOFAJRaft node (bolt transport on the Raft address,
 * group {@code ravel-<cluster id>}) and its RavelNode gRPC service on the gRPC address. Built from a
 * {@link NodeConfig} and the {@link ReplicaIdentity} of its storage dir; knows nothing of the
 * command line or the admin, so tests run several in one JVM.
 *
 * <p>On every start the RocksDB directory is rebuilt: emptied, then filled by SOFAJRaft from the
 * latest snapshot and the log after it. The database therefore never has to survive a crash, and
 * its writes skip fsync.
 */
public final class Replica implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

    private final NodeConfig config;
    private final ReplicaIdentity identity;
    private final LeadershipListener listener;
    private final Member self;
    private final GrpcChannels channels = new GrpcChannels();
    private ExecutorService background;
    private RocksStore store;
    private RaftReplica raft;
    private NodeGrpcServer grpc;
    private ServerInterceptor grpcInterceptor;
    private RaftObserver raftObserver = RaftObserver.NONE;

    /**
     * @param listener told (on the state machine thread) when this replica starts or stops serving as
     *                 leader; {@link LeadershipListener#NONE} when nobody needs to know
     */
    public Replica(NodeConfig config, ReplicaIdentity identity, LeadershipListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.self = new Member(identity.nodeId(), config.grpcAddress(), config.raftAddress());
    }

    /** Wraps every gRPC call of this replica in {@code interceptor} (metrics); call before {@link #start()}. */
    public synchronized void interceptGrpc(ServerInterceptor interceptor) {
        this.grpcInterceptor = interceptor;
    }

    /** Tells {@code observer} of the Raft log's writes and the state machine's applies (metrics); call before {@link #start()}. */
    public synchronized void observeRaft(RaftObserver observer) {
        this.raftObserver = Objects.requireNonNull(observer, "observer");
    }

    /** Opens the state, starts Raft and the gRPC service. Throws if any part cannot start (ports, dirs). */
    public synchronized void start() throws IOException {
        Files.createDirectories(config.storageDir());
        Files.createDirectories(config.raftDir());
        AtomicInteger threads = new AtomicInteger();
        background = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ravel-replica-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        boolean ok = false;
        try {
            store = RocksStore.openEmpty(config.dataDir());
            raft = new RaftReplica(identity.clusterId(), self, identity.founder(), config.raftDir(), config.raft(),
                    store, new SelfRegistration(), background);
            raft.observe(raftObserver);
            raft.start();
            RocksStore opened = store;
            grpc = NodeGrpcServer.start(config.grpcAddress(), new RavelNodeService(raft, config.requestTimeoutMs(),
                    () -> opened.longProperty("rocksdb.estimate-num-keys")),
                    grpcInterceptor);
            ok = true;
            LOG.info("replica {} of cluster {} started (grpc {}, raft {})", self.id(), identity.clusterId(),
                    config.grpcAddress(), config.raftAddress());
        } finally {
            if (!ok) {
                stop();
            }
        }
    }

    /** Stops the gRPC service, the Raft node and the state; safe to call more than once. */
    public synchronized void stop() {
        if (grpc != null) {
            grpc.stop();
            grpc = null;
        }
        if (raft != null) {
            raft.stop();
            raft = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(NodeTimeouts.SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            background = null;
        }
        channels.close();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Asks the cluster's leader to add this replica to the Raft group, through {@code leaderGrpcAddress}
     * and then whatever {@code leaderHint} names; blocks until it is in or the deadline passed.
     */
    public void joinCluster(String leaderGrpcAddress, Supplier<String> leaderHint, Duration deadline) {
        new JoinClient(channels).join(self, leaderGrpcAddress, leaderHint, deadline);
    }

    /** Takes a Raft snapshot now (the log is truncated after it) and waits for it. */
    public void snapshotNow() {
        try {
            raft.snapshot().get(NodeTimeouts.SNAPSHOT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("snapshot failed: " + e.getMessage(), e);
        }
    }

    public Member self() {
        return self;
    }

    public ReplicaIdentity identity() {
        return identity;
    }

    public NodeConfig config() {
        return config;
    }

    /** Whether this replica serves as its cluster's leader. */
    public boolean isLeader() {
        RaftReplica r = raft;
        return r != null && r.isLeader();
    }

    /** The Raft side, for tests and tools (leadership transfer, peers, snapshot counters). */
    public RaftReplica raft() {
        return raft;
    }

    /** The replica's RocksDB state while it runs, else null (read by the metrics). */
    public RocksStore store() {
        return store;
    }

    /**
     * Makes sure the membership records this replica with its current addresses each time it starts
     * leading (a founder's own entry is written this way), then tells the outer listener.
     */
    private final class SelfRegistration implements LeadershipListener {
        @Override
        public void onLeaderStart(long term) {
            ExecutorService bg = background;
            if (bg != null) {
                try {
                    bg.execute(() -> recordSelf(term));
                } catch (RuntimeException e) {
                    LOG.debug("replica stopping; membership entry not written");
                }
            }
            listener.onLeaderStart(term);
        }

        @Override
        public void onLeaderStop() {
            listener.onLeaderStop();
        }

        /** Writes this replica's membership entry while it leads in {@code term}, retrying until it is there. */
        private void recordSelf(long term) {
            long end = System.nanoTime() + NodeTimeouts.SELF_ENTRY.toNanos();
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                RaftReplica r = raft;
                if (r == null || r.stateMachine().leaderTerm() != term || self.equals(r.members().byId(self.id()))) {
                    return;
                }
                try {
                    r.apply(new Command.MemberAdd(self)).get(NodeTimeouts.SELF_ENTRY_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    LOG.debug("membership entry not written yet: {}", e.getMessage());
                }
                try {
                    Thread.sleep(NodeTimeouts.POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

}
