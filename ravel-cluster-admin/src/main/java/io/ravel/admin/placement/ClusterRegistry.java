package io.ravel.admin.placement;

import io.ravel.admin.AdminException;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.admin.state.ClusterRecord;
import io.ravel.admin.state.StateChange;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;

/**
 * Membership of the system: registers replicas into clusters and forgets them. Registration is
 * idempotent by node id (a replica that retries after a lost answer gets the same cluster back).
 * Thread-safe: every change holds this registry's monitor and is persisted before it returns.
 */
public final class ClusterRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistry.class);

    /** The outcome of a registration: the replica's cluster and, when known, that cluster's leader. */
    public record Registration(String clusterId, Optional<Node> leader) {
    }

    private final AdminState state;

    public ClusterRegistry(AdminState state) {
        this.state = state;
    }

    public AdminState state() {
        return state;
    }

    /**
     * Registers {@code node} as the first replica and leader of a new cluster. The very first cluster
     * of an empty system owns every partition at once; later clusters own nothing until their
     * relocation moves partitions to them.
     */
    public synchronized Registration joinAsLeader(Node node) {
        validate(node);
        Optional<Node> known = state.replica(node.getId());
        if (known.isPresent()) {
            return existing(known.get());
        }
        String clusterId = newClusterId();
        Node member = node.toBuilder().setClusterId(clusterId).build();
        boolean first = state.owners().isEmpty() && !state.plan().inProgress();
        StateChange change = new StateChange()
                .putCluster(new ClusterRecord(clusterId, first, false, member.getId()))
                .putReplica(member);
        if (first) {
            change.owners(OwnerTable.allTo(clusterId));
        }
        state.commit(change);
        LOG.info("new cluster {} led by node {} ({}){}", clusterId, member.getId(), member.getGrpcAddress(),
                first ? "; it owns every partition" : "");
        return new Registration(clusterId, Optional.of(member));
    }

    /** Registers {@code node} into the cluster with the fewest replicas. */
    public synchronized Registration joinExisting(Node node) {
        validate(node);
        Optional<Node> known = state.replica(node.getId());
        if (known.isPresent()) {
            return existing(known.get());
        }
        ClusterView target = ReplicaPlacement.choose(state.clusters()).orElseThrow(() -> new AdminException(
                AdminException.Reason.PRECONDITION,
                "no cluster exists yet: start the first replica with -l=true to create one"));
        Node member = node.toBuilder().setClusterId(target.id()).build();
        state.commit(new StateChange().putReplica(member));
        LOG.info("node {} ({}) joins cluster {} ({} replicas before it)", member.getId(), member.getGrpcAddress(),
                target.id(), target.replicas().size());
        return new Registration(target.id(), target.leader());
    }

    /** Records {@code node} as its cluster's leader; returns false if that was known already. */
    public synchronized boolean setLeader(Node node) {
        if (!state.writable()) {
            // An admin group follower learns leaders for its own routing only; the admin leader records them.
            return false;
        }
        ClusterRecord cluster = state.cluster(node.getClusterId()).orElseThrow(() -> new AdminException(
                AdminException.Reason.NOT_FOUND, "unknown cluster " + node.getClusterId()));
        Optional<Node> known = state.replica(node.getId());
        StateChange change = new StateChange();
        if (known.isEmpty() || !known.get().getClusterId().equals(cluster.id())) {
            change.putReplica(node);
        }
        if (node.getId().equals(cluster.leaderId()) && change.replicaPutsEmpty()) {
            return false;
        }
        state.commit(change.putCluster(cluster.withLeader(node.getId())));
        LOG.info("cluster {} leader is node {} ({})", cluster.id(), node.getId(), node.getGrpcAddress());
        return true;
    }

    /** Forgets one replica (not its cluster). */
    public synchronized void forgetReplica(Node node) {
        StateChange change = new StateChange().deleteReplica(node.getId());
        state.cluster(node.getClusterId()).filter(c -> node.getId().equals(c.leaderId()))
                .ifPresent(c -> change.putCluster(c.withLeader(null)));
        state.commit(change);
        LOG.info("node {} ({}) left cluster {}", node.getId(), node.getGrpcAddress(), node.getClusterId());
    }

    /**
     * A new random UUID that starts with a letter: the cluster id is also the cluster's SOFAJRaft group
     * id, which must start with a letter.
     */
    static String newClusterId() {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (Character.isLetter(id.charAt(0))) {
                return id;
            }
        }
    }

    private Registration existing(Node member) {
        ClusterView view = state.view(member.getClusterId()).orElseThrow(() -> new AdminException(
                AdminException.Reason.NOT_FOUND, "node " + member.getId() + " belongs to no known cluster"));
        return new Registration(view.id(), view.leader());
    }

    private static void validate(Node node) {
        if (node.getId().isBlank()) {
            throw new AdminException(AdminException.Reason.BAD_REQUEST, "node id is empty");
        }
        requireAddress(node.getGrpcAddress(), "grpc_address");
        requireAddress(node.getRaftAddress(), "raft_address");
    }

    private static void requireAddress(String address, String what) {
        try {
            io.ravel.common.HostPort.parse(address, what);
        } catch (IllegalArgumentException e) {
            throw new AdminException(AdminException.Reason.BAD_REQUEST, e.getMessage());
        }
    }
}
