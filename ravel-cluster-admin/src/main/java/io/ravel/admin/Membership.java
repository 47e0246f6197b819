package io.ravel.admin;

import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.ClusterRegistry;
import io.ravel.admin.placement.ClusterRegistry.Registration;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.Relocator;
import io.ravel.admin.state.AdminState;
import io.ravel.common.Outcome;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin does when replicas join, lead and leave: the decisions behind the RavelClusterAdmin
 * RPCs. Thread-safe (each collaborator is).
 */
public final class Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final AdminState state;
    private final ClusterRegistry registry;
    private final LeaderTracker leaders;
    private final Relocator relocator;
    private final NodeClient nodes;
    /** Leaves run one after another, so "is it the last replica?" is decided on settled membership. */
    private CompletableFuture<Void> leaves = CompletableFuture.completedFuture(null);

    public Membership(AdminState state, ClusterRegistry registry, LeaderTracker leaders, Relocator relocator,
                      NodeClient nodes) {
        this.state = state;
        this.registry = registry;
        this.leaders = leaders;
        this.relocator = relocator;
        this.nodes = nodes;
    }

    public Registration joinAsLeader(Node node) {
        Registration r = registry.joinAsLeader(node);
        r.leader().ifPresent(l -> {
            if (l.getId().equals(node.getId())) {
                leaders.reported(l);
            }
        });
        return r;
    }

    public Registration joinExisting(Node node) {
        return registry.joinExisting(node);
    }

    public void leaderReported(Node node) {
        if (node.getClusterId().isEmpty()) {
            throw new AdminException(AdminException.Reason.BAD_REQUEST, "the reporting node has no cluster_id");
        }
        leaders.reported(node);
    }

    public CompletableFuture<Node> leaderOf(String clusterId) {
        if (state.cluster(clusterId).isEmpty()) {
            return CompletableFuture.failedFuture(
                    new AdminException(AdminException.Reason.NOT_FOUND, "unknown cluster " + clusterId));
        }
        return leaders.leader(clusterId, System.nanoTime() + AdminTimeouts.REQUEST.toNanos());
    }

    public void initiateRelocation(String clusterId) {
        relocator.addToRing(clusterId);
    }

    /**
     * Removes a replica for good. Not the last of its cluster: its cluster's leader removes it from the
     * Raft group, then the admin forgets it. The last of its cluster: the cluster's partitions move to the
     * other clusters first (none for the last cluster: its keys go with it), then the cluster is forgotten.
     * A replica the admin does not know (already removed) succeeds at once. Leaves are serialised.
     */
    public CompletableFuture<Void> leave(Node request) {
        CompletableFuture<Void> mine;
        synchronized (this) {
            mine = leaves.handle((v, t) -> null).thenCompose(v -> leaveNow(request));
            leaves = mine;
        }
        return mine;
    }

    private CompletableFuture<Void> leaveNow(Node request) {
        Optional<Node> known = state.replica(request.getId());
        if (known.isEmpty() && request.getId().isEmpty() && !request.getGrpcAddress().isEmpty()) {
            known = state.replicaByGrpcAddress(request.getGrpcAddress());
        }
        if (known.isEmpty()) {
            LOG.info("node {} asked to leave but is not registered; nothing to do", request.getId());
            return CompletableFuture.completedFuture(null);
        }
        Node node = known.get();
        String clusterId = node.getClusterId();
        List<Node> replicas = state.replicasOf(clusterId);
        if (replicas.size() > 1) {
            long deadline = System.nanoTime() + AdminTimeouts.REQUEST.toNanos();
            return leaders.onLeader(clusterId, address -> nodes.leave(address, node), deadline).thenAccept(r -> {
                if (!Outcome.of(r.getCode()).removalComplete()) {
                    throw new AdminException(AdminException.Reason.UNAVAILABLE, "the leader of cluster " + clusterId
                            + " could not remove node " + node.getId() + ": " + r.getCode() + " " + r.getMessage());
                }
                registry.forgetReplica(node);
                leaders.forgetAddress(clusterId, node.getGrpcAddress());
                if (state.replicasOf(clusterId).stream().noneMatch(n -> n.getId().equals(node.getId()))) {
                    nodes.forget(node.getGrpcAddress());
                }
            });
        }
        LOG.info("node {} is the last replica of cluster {}; moving the cluster's partitions away first",
                node.getId(), clusterId);
        return relocator.drain(clusterId).thenRun(() -> {
            relocator.forgetCluster(clusterId);
            nodes.forget(node.getGrpcAddress());
        });
    }
}
