package io.ravel.admin.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.proto.Node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of an admin group's log entries ({@link StateChange}) and snapshots ({@link AdminState.Snapshot}):
 * JSON, with replicas as their protobuf bytes (base64 in the JSON). Unknown fields are ignored, so an
 * older admin reads what a newer one wrote as far as it understands it. Thread-safe.
 */
public final class StateCodec {

    /** One log entry. Field names are the format: never rename them. */
    record ChangeJson(List<ClusterRecord> clusterPuts, List<String> clusterDeletes, List<byte[]> replicaPuts,
                      List<String> replicaDeletes, List<AdminMember> adminPuts, List<String> owners, PlanRecord plan,
                      Long ownerEpoch) {
    }

    /** One snapshot. */
    record SnapshotJson(List<ClusterRecord> clusters, List<byte[]> replicas, List<String> owners, PlanRecord plan,
                        List<AdminMember> admins, Long ownerEpoch) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StateCodec() {
    }

    public static byte[] encode(StateChange c) {
        List<byte[]> nodes = new ArrayList<>();
        for (Node n : c.replicaPuts) {
            nodes.add(n.toByteArray());
        }
        return write(new ChangeJson(c.clusterPuts, c.clusterDeletes, nodes, c.replicaDeletes, c.adminPuts,
                c.owners == null ? null : c.owners.asList(), c.plan, c.ownerEpoch));
    }

    public static StateChange decodeChange(byte[] bytes) {
        ChangeJson j = read(bytes, ChangeJson.class);
        StateChange c = new StateChange();
        orEmpty(j.clusterPuts()).forEach(c::putCluster);
        orEmpty(j.clusterDeletes()).forEach(c::deleteCluster);
        for (byte[] n : orEmpty(j.replicaPuts())) {
            c.putReplica(node(n));
        }
        orEmpty(j.replicaDeletes()).forEach(c::deleteReplica);
        orEmpty(j.adminPuts()).forEach(c::putAdmin);
        if (j.owners() != null) {
            c.owners(OwnerTable.of(j.owners()));
        }
        if (j.plan() != null) {
            c.plan(j.plan());
        }
        if (j.ownerEpoch() != null) {
            c.ownerEpoch(j.ownerEpoch());
        }
        return c;
    }

    public static byte[] encode(AdminState.Snapshot s) {
        List<byte[]> nodes = new ArrayList<>();
        for (Node n : s.replicas().values()) {
            nodes.add(n.toByteArray());
        }
        return write(new SnapshotJson(new ArrayList<>(s.clusters().values()), nodes, s.owners().asList(), s.plan(),
                new ArrayList<>(s.admins().values()), s.ownerEpoch()));
    }

    public static AdminState.Snapshot decodeSnapshot(byte[] bytes) {
        SnapshotJson j = read(bytes, SnapshotJson.class);
        Map<String, ClusterRecord> clusters = new TreeMap<>();
        orEmpty(j.clusters()).forEach(c -> clusters.put(c.id(), c));
        Map<String, Node> replicas = new TreeMap<>();
        for (byte[] b : orEmpty(j.replicas())) {
            Node n = node(b);
            replicas.put(n.getId(), n);
        }
        Map<String, AdminMember> admins = new TreeMap<>();
        orEmpty(j.admins()).forEach(a -> admins.put(a.raftAddress(), a));
        return new AdminState.Snapshot(clusters, replicas,
                j.owners() == null ? OwnerTable.empty() : OwnerTable.of(j.owners()),
                j.plan() == null ? PlanRecord.EMPTY : j.plan(), admins, j.ownerEpoch() == null ? 0 : j.ownerEpoch());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Node node(byte[] bytes) {
        try {
            return Node.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StateStoreException("a replica in the admin log is not readable: " + e.getMessage(), e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new StateStoreException("cannot encode admin state: " + e.getMessage(), e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new StateStoreException("cannot decode admin state: " + e.getMessage(), e);
        }
    }
}
