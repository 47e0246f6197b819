package io.ravel.node;

import io.ravel.common.GrpcChannels;
import io.ravel.common.UserPaths;
import io.ravel.node.admin.AdminClient;
import io.ravel.node.admin.LeaderReporter;
import io.ravel.node.admin.RelocationWatch;
import io.ravel.node.config.ConfigException;
import io.ravel.node.config.IdentityFile;
import io.ravel.node.config.Knobs;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.node.config.StartupChecks;
import io.ravel.node.raft.RaftSettings;
import io.ravel.node.storage.Dirs;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code ravel_node kill} flow: read the dir's identity, make sure the replica can serve (start it
 * in this process when no replica process runs from the dir), ask the admin to remove it for good
 * (LeaveCluster), stop the replica (SIGTERM, then SIGKILL), delete the dir. Nothing is deleted unless
 * the admin confirmed the removal. While LeaveCluster relocates the cluster's partitions (the cluster's
 * last replica), its progress goes to the progress sink line by line (see {@link RelocationWatch}).
 */
public final class ReplicaRemoval {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRemoval.class);
    /** LeaveCluster of a cluster's last replica relocates its partitions first; that may take a while. */

    private final Path dir;
    private final String adminOverride;
    private final Consumer<String> progress;

    /**
     * @param adminOverride the admin address to use instead of the recorded one; null to use the recorded one
     * @param progress      receives the relocation progress lines while the admin relocates the cluster's data
     */
    public ReplicaRemoval(String rawDir, String adminOverride, Consumer<String> progress) {
        this.progress = progress;
        try {
            this.dir = UserPaths.expand(rawDir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--storagedir: " + e.getMessage());
        }
        this.adminOverride = adminOverride;
    }

    /** Removes the replica; returns the one-line summary. Throws with a one-line message on failure. */
    public String run() throws IOException {
        if (!IdentityFile.exists(dir)) {
            throw new ConfigException(dir + " is not a Ravel replica dir (no " + IdentityFile.FILE_NAME + "); nothing deleted");
        }
        ReplicaIdentity id = IdentityFile.read(dir);
        String adminAddress = adminOverride != null ? adminOverride : id.adminAddress();
        if (adminAddress == null || adminAddress.isBlank()) {
            throw new ConfigException(dir + " records no cluster admin address; pass --adminrpcaddr; nothing deleted");
        }
        Node self = Node.newBuilder().setId(id.nodeId()).setGrpcAddress(id.grpcAddress()).setRaftAddress(id.raftAddress())
                .setClusterId(id.clusterId()).build();
        NodeConfig config = new NodeConfig(dir, id.grpcAddress(), id.raftAddress(), adminAddress, false,
                RaftSettings.defaults(), NodeConfig.DEFAULT_REQUEST_TIMEOUT_MS);
        Optional<Long> pid = StartupChecks.runningPid(config.pidFile());
        try (GrpcChannels channels = new GrpcChannels()) {
            AdminClient admin = new AdminClient(adminAddress, channels, Knobs.adminRetry());
            Replica inProcess = null;
            LeaderReporter reporter = null;
            try {
                if (pid.isEmpty()) {
                    reporter = new LeaderReporter(admin, self, null);
                    inProcess = new Replica(config, id, reporter);
                    try {
                        inProcess.start();
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException("cannot run the replica from " + dir + " to remove it: " + e.getMessage());
                    }
                    awaitLeaderKnown(inProcess);
                }
                try (RelocationWatch watch = new RelocationWatch(admin, id.clusterId(), progress).start()) {
                    admin.leaveCluster(self, NodeTimeouts.LEAVE);
                    watch.finish();
                }
            } finally {
                if (inProcess != null) {
                    inProcess.stop();
                }
                if (reporter != null) {
                    reporter.close();
                }
            }
        }
        pid.ifPresent(ReplicaRemoval::terminate);
        Dirs.deleteTree(dir);
        return "ravel_node kill: replica " + id.nodeId() + " left cluster " + id.clusterId() + "; deleted " + dir;
    }

    /** Gives the started replica a few election timeouts to find (or become) its leader. */
    private static void awaitLeaderKnown(Replica replica) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3L * replica.config().raft().electionTimeoutMs());
        while (System.nanoTime() < end) {
            if (replica.raft() != null && replica.raft().leader() != null) {
                return;
            }
            try {
                Thread.sleep(NodeTimeouts.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("the replica found no leader of its cluster yet; asking the admin anyway");
    }

    /** SIGTERM, wait, then SIGKILL. */
    private static void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(NodeTimeouts.KILL_TERM.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                try {
                    p.onExit().get(NodeTimeouts.KILL_FORCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception ignored) {
                    // the dir is deleted anyway; a process that survives SIGKILL is beyond us
                }
            }
        });
    }
}
