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

    private final AdminStateStore store;
    private final Map<String, ClusterRecord> clusters;
    private final Map<String, Node> replicas;
    private volatile OwnerTable owners;
    private PlanRecord plan;

    public AdminState(AdminStateStore store) {
        this.store = store;
        AdminStateStore.Contents contents = store.load();
        this.clusters = new TreeMap<>(contents.clusters());
        this.replicas = new TreeMap<>(contents.replicas());
        this.owners = contents.owners();
        this.plan = contents.plan();
    }

    /** Persists {@code change} in one batch, then applies it in memory. */
    public synchronized void commit(StateChange change) {
        store.write(change);
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
    }

    public OwnerTable owners() {
        return owners;
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
