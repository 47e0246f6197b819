package io.ravel.admin.state;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.proto.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of state updates applied at once by {@link AdminState#commit}: one atomic RocksDB batch for a
 * single admin, one Raft log entry for an admin group.
 */
public final class StateChange {

    final List<ClusterRecord> clusterPuts = new ArrayList<>();
    final List<String> clusterDeletes = new ArrayList<>();
    final List<Node> replicaPuts = new ArrayList<>();
    final List<String> replicaDeletes = new ArrayList<>();
    final List<AdminMember> adminPuts = new ArrayList<>();
    OwnerTable owners;
    PlanRecord plan;
    Long ownerEpoch;

    public StateChange putCluster(ClusterRecord cluster) {
        clusterPuts.add(cluster);
        return this;
    }

    public StateChange deleteCluster(String clusterId) {
        clusterDeletes.add(clusterId);
        return this;
    }

    public StateChange putReplica(Node node) {
        replicaPuts.add(node);
        return this;
    }

    public StateChange deleteReplica(String nodeId) {
        replicaDeletes.add(nodeId);
        return this;
    }

    /** Records an admin of the group (replicated state only; a single admin's store has no admins). */
    public StateChange putAdmin(AdminMember admin) {
        adminPuts.add(admin);
        return this;
    }

    public boolean replicaPutsEmpty() {
        return replicaPuts.isEmpty();
    }

    public StateChange owners(OwnerTable table) {
        this.owners = table;
        return this;
    }

    public StateChange plan(PlanRecord next) {
        this.plan = next;
        return this;
    }

    /**
     * The ownership epoch the relocation protocol gives the clusters' fences (see
     * {@link AdminState#ownerEpoch}); it only ever grows.
     */
    public StateChange ownerEpoch(long epoch) {
        this.ownerEpoch = epoch;
        return this;
    }
}
