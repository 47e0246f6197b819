package io.ravel.node.admin;

import io.ravel.node.config.IdentityFile;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides who a starting replica is. A dir with an identity resumes it and never registers again.
 * A fresh dir registers with the admin, as the founder of a new cluster ({@code -l=true}) or as a
 * replica of the cluster the admin picks, and persists the identity before Raft starts.
 */
public final class Registration {

    /** Present in a non-founder's storage dir once the leader added it to the Raft group. */
    public static final String JOINED_MARKER = "joined";

    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

    /**
     * @param identity     who this replica is
     * @param needsJoin    whether it must still ask its leader to add it to the Raft group
     * @param leaderGrpc   the leader the admin named, when it named one
     */
    public record Outcome(ReplicaIdentity identity, boolean needsJoin, String leaderGrpc) {
    }

    private Registration() {
    }

    public static Outcome resolve(NodeConfig config, Optional<ReplicaIdentity> existing, AdminClient admin) {
        Path dir = config.storageDir();
        if (existing.isPresent()) {
            ReplicaIdentity id = existing.get();
            boolean needsJoin = !id.founder() && !Files.exists(dir.resolve(JOINED_MARKER));
            LOG.info("resuming replica {} of cluster {} from {}", id.nodeId(), id.clusterId(), dir);
            return new Outcome(id, needsJoin, null);
        }
        String nodeId = UUID.randomUUID().toString();
        Node self = Node.newBuilder().setId(nodeId).setGrpcAddress(config.grpcAddress()).setRaftAddress(config.raftAddress()).build();
        ReplicaIdentity identity;
        String leaderGrpc = null;
        if (config.leader()) {
            String clusterId = admin.joinAsClusterLeader(self);
            identity = new ReplicaIdentity(nodeId, clusterId, config.grpcAddress(), config.raftAddress(), true, admin.address());
            LOG.info("registered replica {} as the founder of the new cluster {}", nodeId, clusterId);
        } else {
            JoinResponse response = admin.joinExistingCluster(self);
            identity = new ReplicaIdentity(nodeId, response.getClusterId(), config.grpcAddress(), config.raftAddress(), false, admin.address());
            leaderGrpc = response.hasLeader() && !response.getLeader().getGrpcAddress().isBlank()
                    ? response.getLeader().getGrpcAddress() : null;
            LOG.info("registered replica {} with cluster {} (leader {})", nodeId, response.getClusterId(), leaderGrpc);
        }
        IdentityFile.write(dir, identity);
        return new Outcome(identity, !identity.founder(), leaderGrpc);
    }

    /** Records that the leader added this replica, so a restart does not ask again. */
    public static void markJoined(Path dir) {
        try {
            Files.writeString(dir.resolve(JOINED_MARKER), "added to the Raft group\n");
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", dir.resolve(JOINED_MARKER), e.getMessage());
        }
    }
}
