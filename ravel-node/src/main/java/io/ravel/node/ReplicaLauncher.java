package io.ravel.node;

import io.ravel.common.GrpcChannels;
import io.ravel.node.admin.AdminClient;
import io.ravel.node.admin.LeaderReporter;
import io.ravel.node.admin.Registration;
import io.ravel.node.config.IdentityFile;
import io.ravel.node.config.Knobs;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.node.config.StartupChecks;
import io.ravel.node.metrics.MetricsServer;
import io.ravel.node.metrics.ReplicaMetrics;
import io.ravel.node.storage.Dirs;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ravel_node start} flow: check the settings and dir, register with the admin (fresh dirs
 * only), start the {@link Replica}, join the cluster's Raft group through its leader (new replicas
 * only), print the readiness line, write {@code ravel.pid}, and run until the process is told to stop.
 */
public final class ReplicaLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLauncher.class);

    private final NodeConfig config;
    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private GrpcChannels channels;
    private LeaderReporter reporter;
    private Replica replica;
    private MetricsServer metricsServer;

    public ReplicaLauncher(NodeConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** The readiness line that scripts and tests wait for on stdout. */
    public static String readyLine(ReplicaIdentity id, NodeConfig config) {
        return "ravel_node ready node=" + id.nodeId() + " cluster=" + id.clusterId() + " grpc=" + config.grpcAddress()
                + " raft=" + config.raftAddress();
    }

    /**
     * Starts the replica and returns once it is ready; throws with a one-line message when it cannot
     * (ConfigException, AdminUnavailableException, IllegalStateException), after cleaning up.
     */
    public void start() throws IOException {
        boolean freshDir = !Files.exists(config.storageDir());
        try {
            startIn();
        } catch (IOException | RuntimeException | Error e) {
            if (freshDir && !IdentityFile.exists(config.storageDir())) {
                // nothing was registered: leave no trace of a failed first start
                try {
                    Dirs.deleteTree(config.storageDir());
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    private void startIn() throws IOException {
        Optional<ReplicaIdentity> existing = StartupChecks.check(config);
        channels = new GrpcChannels();
        boolean ok = false;
        try {
            String adminAddress = config.adminAddress();
            AdminClient admin = new AdminClient(adminAddress, channels, Knobs.adminRetry());
            Registration.Outcome outcome = Registration.resolve(config, existing, admin);
            ReplicaIdentity id = outcome.identity();
            Files.writeString(config.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            Node self = Node.newBuilder().setId(id.nodeId()).setGrpcAddress(config.grpcAddress())
                    .setRaftAddress(config.raftAddress()).setClusterId(id.clusterId()).build();
            reporter = new LeaderReporter(admin, self,
                    id.founder() ? config.storageDir().resolve(LeaderReporter.RELOCATION_MARKER) : null);
            Replica r = new Replica(config, id, reporter);
            replica = r;
            ReplicaMetrics metrics = config.metricsAddress() == null ? null : new ReplicaMetrics();
            if (metrics != null) {
                r.interceptGrpc(metrics.grpcInterceptor());
                r.observeRaft(metrics.raftObserver());
            }
            r.start();
            if (metrics != null) {
                metrics.bind(r::raft, r::store, config.raftDir().resolve("log"));
                metricsServer = MetricsServer.start(config.metricsAddress(), metrics);
            }
            if (outcome.needsJoin()) {
                replica.joinCluster(outcome.leaderGrpc(), () -> admin.clusterLeaderGrpc(id.clusterId()), Knobs.joinTimeout());
                Registration.markJoined(config.storageDir());
            }
            out.println(readyLine(id, config));
            out.flush();
            ok = true;
        } finally {
            if (!ok) {
                stop();
            }
        }
    }

    /** Blocks until {@link #stop()} ran (from the shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops everything this launcher started and removes {@code ravel.pid}; safe to call twice. */
    public synchronized void stop() {
        if (metricsServer != null) {
            metricsServer.close();
            metricsServer = null;
        }
        if (replica != null) {
            replica.stop();
            replica = null;
        }
        if (reporter != null) {
            reporter.close();
            reporter = null;
        }
        if (channels != null) {
            channels.close();
            channels = null;
        }
        try {
            Optional<Long> other = StartupChecks.runningPid(config.pidFile());
            if (other.isEmpty()) {
                Files.deleteIfExists(config.pidFile());
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", config.pidFile(), e.getMessage());
        }
        stopped.countDown();
    }
}
