package io.ravel.admin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ravel.admin.group.AdminRole;
import io.ravel.admin.placement.ReplicaProbes;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.admin.state.PlanRecord;
import io.ravel.proto.Node;

import java.io.IOException;
import java.util.Map;

/** The JSON bodies of GET /health and GET /clusters. */
final class StatusPages {

    private final AdminState state;
    private final AdminRole role;
    private final ReplicaProbes probes;

    StatusPages(AdminState state, AdminRole role, ReplicaProbes probes) {
        this.state = state;
        this.role = role;
        this.probes = probes;
    }

    byte[] health() {
        int clusters = state.clusterCount();
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeNumberField("clusters", clusters);
            g.writeStringField("role", role.role());
            g.writeNumberField("groupSize", role.groupSize());
            g.writeEndObject();
        });
    }

    byte[] clusters() {
        OwnerTable owners = state.owners();
        Map<String, Integer> loads = owners.loads();
        PlanRecord plan = state.plan();
        probes.asked();
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("clusters");
            for (ClusterView c : state.clusters()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeFieldName("leader");
                if (c.leader().isPresent()) {
                    node(g, c.leader().get());
                } else {
                    g.writeNull();
                }
                g.writeArrayFieldStart("replicas");
                long keys = -1;
                for (Node n : c.replicas()) {
                    ReplicaProbes.Probe p = probes.probe(n.getGrpcAddress());
                    replica(g, n, p);
                    if (p != null && p.reachable() && p.estimatedKeys() >= 0
                            && (keys < 0 || c.leader().map(l -> l.getId().equals(n.getId())).orElse(false))) {
                        keys = p.estimatedKeys(); // the leader's estimate when it answers, else any replica's
                    }
                }
                g.writeEndArray();
                g.writeNumberField("partitions", loads.getOrDefault(c.id(), 0));
                g.writeFieldName("estimatedKeys");
                if (keys >= 0) {
                    g.writeNumber(keys);
                } else {
                    g.writeNull();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("relocation");
            g.writeBooleanField("inProgress", plan.inProgress());
            g.writeNumberField("partitionsMoved", plan.moved());
            g.writeNumberField("partitionsTotal", plan.total());
            g.writeNumberField("keysMoved", plan.keysMoved());
            g.writeEndObject();
            adminGroup(g);
            g.writeEndObject();
        });
    }

    /**
     * "adminGroup": {"size", "leader": {raftAddress, httpAddress, grpcAddress} or null while there is none,
     * "members": [{raftAddress, httpAddress, grpcAddress, leader}]}; raftAddress is null for a single admin.
     */
    private void adminGroup(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("adminGroup");
        g.writeNumberField("size", role.groupSize());
        AdminRole.Member leader = null;
        for (AdminRole.Member m : role.members()) {
            if (m.leader()) {
                leader = m;
            }
        }
        g.writeFieldName("leader");
        if (leader == null) {
            g.writeNull();
        } else {
            admin(g, leader, false);
        }
        g.writeArrayFieldStart("members");
        for (AdminRole.Member m : role.members()) {
            admin(g, m, true);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void admin(JsonGenerator g, AdminRole.Member m, boolean withRole) throws IOException {
        g.writeStartObject();
        g.writeStringField("raftAddress", m.raftAddress());
        g.writeStringField("httpAddress", m.httpAddress());
        g.writeStringField("grpcAddress", m.grpcAddress());
        if (withRole) {
            g.writeBooleanField("leader", m.leader());
        }
        g.writeEndObject();
    }

    private static void node(JsonGenerator g, Node n) throws IOException {
        g.writeStartObject();
        address(g, n);
        g.writeEndObject();
    }

    /** A replica: its addresses, "reachable" (true, false, or null before the first probe) and "estimatedKeys". */
    private static void replica(JsonGenerator g, Node n, ReplicaProbes.Probe p) throws IOException {
        g.writeStartObject();
        address(g, n);
        g.writeFieldName("reachable");
        if (p == null) {
            g.writeNull();
        } else {
            g.writeBoolean(p.reachable());
        }
        g.writeFieldName("estimatedKeys");
        if (p == null || !p.reachable() || p.estimatedKeys() < 0) {
            g.writeNull();
        } else {
            g.writeNumber(p.estimatedKeys());
        }
        g.writeEndObject();
    }

    private static void address(JsonGenerator g, Node n) throws IOException {
        g.writeStringField("id", n.getId());
        g.writeStringField("grpcAddress", n.getGrpcAddress());
        g.writeStringField("raftAddress", n.getRaftAddress());
    }
}
