package io.ravel.admin.state;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.proto.Node;

import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin's whole state in memory, written through to {@link AdminStateStore} on every change.
 *
 * <p>Clusters and replicas are listed in id order, the same before and after a restart.
 *
 * <p>Thread-safe: changes and multi-part reads hold this object's monitor; a change is persisted
 * before it becomes visible in memory, so nothing is ever served that a restart would forget. The
 * owner table is also published through a volatile field, so the request path reads it without a lock.
 */
public final class AdminState {

    /** A cluster with its replicas, as one consistent snapshot. */
    public record ClusterView(ClusterRecord record, List<Node> replicas) {
        public String id() {
            return record.id();
        }

        public Optional<Node> leader() {
            String leaderId = record.leaderId();
            return replicas.stream().filter(n -> n.getId().equals(leaderId)).findFirst();
        }
    }

    /**
     * Where changes go when the state is replicated: {@link #replicate} returns once the change is
     * committed by the admin group and applied here (through {@link #applyCommitted}), or throws.
     */
    public interface ChangeLog {
        void replicate(StateChange change);

        /** Whether this admin may change the state now (it serves as the admin leader). */
        boolean writable();
    }

    private final AdminStateStore store;
    private final ChangeLog log;
    private final Map<String, ClusterRecord> clusters;
    private final Map<String, Node> replicas;
    private final Map<String, AdminMember> admins = new TreeMap<>();
    private volatile OwnerTable owners;
    private PlanRecord plan;
    private volatile long ownerEpoch;

    /** The single admin's state: read from {@code store}, every change written through to it. */
    public AdminState(AdminStateStore store) {
        this.store = store;
        this.log = null;
        AdminStateStore.Contents contents = store.load();
        this.clusters = new TreeMap<>(contents.clusters());
        this.replicas = new TreeMap<>(contents.replicas());
        this.owners = contents.owners();
        this.plan = contents.plan();
        this.ownerEpoch = contents.ownerEpoch();
    }

    /** A replicated state: starts empty and is filled by the group's snapshot and log. */
    public AdminState(ChangeLog log) {
        this.store = null;
        this.log = log;
        this.clusters = new TreeMap<>();
        this.replicas = new TreeMap<>();
        this.owners = OwnerTable.empty();
        this.plan = PlanRecord.EMPTY;
    }

    /** Whether this admin may change the state: always for a single admin, only on the admin leader of a group. */
    public boolean writable() {
        return log == null || log.writable();
    }

    /**
     * Single admin: persists {@code change} in one batch, then applies it in memory. Admin group: hands
     * it to the group's log and returns once it is applied here; the caller must not hold this monitor.
     */
    public void commit(StateChange change) {
        if (log != null) {
            log.replicate(change);
            return;
        }
        synchronized (this) {
            store.write(change);
            applyCommitted(change);
        }
    }

    /** Applies a change the admin group committed (or the single admin persisted) to the memory state. */
    public synchronized void applyCommitted(StateChange change) {
        for (AdminMember a : change.adminPuts) {
            admins.put(a.raftAddress(), a);
        }
        for (ClusterRecord c : change.clusterPuts) {
            clusters.put(c.id(), c);
        }
        for (String id : change.clusterDeletes) {
            clusters.remove(id);
        }
        for (Node n : change.replicaPuts) {
            replicas.put(n.getId(), n);
        }
        for (String id : change.replicaDeletes) {
            replicas.remove(id);
        }
        if (change.owners != null) {
            owners = change.owners;
        }
        if (change.plan != null) {
            plan = change.plan;
        }
        if (change.ownerEpoch != null) {
            ownerEpoch = Math.max(ownerEpoch, change.ownerEpoch);
        }
    }

    /** The whole state, as one consistent copy (what an admin group snapshot holds). */
    public synchronized Snapshot snapshot() {
        return new Snapshot(new TreeMap<>(clusters), new TreeMap<>(replicas), owners, plan, new TreeMap<>(admins),
                ownerEpoch);
    }

    /** Replaces the whole memory state with {@code s} (an admin group snapshot being installed). */
    public synchronized void restore(Snapshot s) {
        clusters.clear();
        clusters.putAll(s.clusters());
        replicas.clear();
        replicas.putAll(s.replicas());
        admins.clear();
        admins.putAll(s.admins());
        owners = s.owners();
        plan = s.plan();
        ownerEpoch = s.ownerEpoch();
    }

    /** Everything the state holds. */
    public record Snapshot(Map<String, ClusterRecord> clusters, Map<String, Node> replicas, OwnerTable owners,
                           PlanRecord plan, Map<String, AdminMember> admins, long ownerEpoch) {
    }

    /** The admins of the group by Raft address (empty for a single admin). */
    public synchronized List<AdminMember> admins() {
        return new ArrayList<>(admins.values());
    }

    public synchronized Optional<AdminMember> admin(String raftAddress) {
        return Optional.ofNullable(admins.get(raftAddress));
    }

    public OwnerTable owners() {
        return owners;
    }

    /**
     * The highest ownership epoch the relocation protocol has used: each attempt at a partition move
     * commits a higher one before it changes a cluster's fence (0 before the first move).
     */
    public long ownerEpoch() {
        return ownerEpoch;
    }

    public synchronized PlanRecord plan() {
        return plan;
    }

    public synchronized Optional<ClusterRecord> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    public synchronized Optional<Node> replica(String nodeId) {
        return Optional.ofNullable(replicas.get(nodeId));
    }

    public synchronized Optional<Node> replicaByGrpcAddress(String grpcAddress) {
        return replicas.values().stream().filter(n -> n.getGrpcAddress().equals(grpcAddress)).findFirst();
    }

    public synchronized List<Node> replicasOf(String clusterId) {
        List<Node> list = new ArrayList<>();
        for (Node n : replicas.values()) {
            if (n.getClusterId().equals(clusterId)) {
                list.add(n);
            }
        }
        return list;
    }

    public synchronized List<ClusterView> clusters() {
        List<ClusterView> views = new ArrayList<>();
        for (ClusterRecord c : clusters.values()) {
            views.add(new ClusterView(c, replicasOf(c.id())));
        }
        return views;
    }

    public synchronized Optional<ClusterView> view(String clusterId) {
        ClusterRecord c = clusters.get(clusterId);
        return c == null ? Optional.empty() : Optional.of(new ClusterView(c, replicasOf(clusterId)));
    }

    public synchronized int clusterCount() {
        return clusters.size();
    }
}
