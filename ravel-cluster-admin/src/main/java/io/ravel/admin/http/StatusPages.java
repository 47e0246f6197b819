package io.ravel.admin.http;

import com.fasterxml.jackson.core.JsonGenerator;
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

    StatusPages(AdminState state) {
        this.state = state;
    }

    byte[] health() {
        int clusters = state.clusterCount();
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeNumberField("clusters", clusters);
            g.writeEndObject();
        });
    }

    byte[] clusters() {
        OwnerTable owners = state.owners();
        Map<String, Integer> loads = owners.loads();
        PlanRecord plan = state.plan();
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
                for (Node n : c.replicas()) {
                    node(g, n);
                }
                g.writeEndArray();
                g.writeNumberField("partitions", loads.getOrDefault(c.id(), 0));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("relocation");
            g.writeBooleanField("inProgress", plan.inProgress());
            g.writeNumberField("partitionsMoved", plan.moved());
            g.writeNumberField("partitionsTotal", plan.total());
            g.writeNumberField("keysMoved", plan.keysMoved());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void node(JsonGenerator g, Node n) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", n.getId());
        g.writeStringField("grpcAddress", n.getGrpcAddress());
        g.writeStringField("raftAddress", n.getRaftAddress());
        g.writeEndObject();
    }
}
