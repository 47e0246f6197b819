package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;

import java.time.Duration;

/** Reads the admin's view of the system ({@code GET /clusters}) and waits for a shape of it. */
final class SystemState {

    private SystemState() {
    }

    /** Waits until the admin knows {@code clusters} clusters, each with {@code replicas} replicas and a leader. */
    static JsonNode awaitClusters(ProcessCluster system, int clusters, int replicas, Duration deadline) {
        return awaitClusters(system, clusters, replicas, deadline, false);
    }

    /** As above; with {@code anyReplicaCount} only the number of clusters and their leaders count. */
    static JsonNode awaitClusters(ProcessCluster system, int clusters, int replicas, Duration deadline,
                                  boolean anyReplicaCount) {
        AdminHttp http = system.http();
        JsonNode[] seen = new JsonNode[1];
        Waits.until(deadline, clusters + " clusters of " + replicas + " replicas with leaders", () -> {
            JsonNode state = http.clusters();
            seen[0] = state;
            JsonNode list = state.get("clusters");
            if (list == null || list.size() != clusters) {
                return false;
            }
            for (JsonNode c : list) {
                if ((!anyReplicaCount && c.get("replicas").size() != replicas) || c.get("leader") == null || c.get("leader").isNull()) {
                    return false;
                }
            }
            return true;
        });
        return seen[0];
    }

    /** Waits until no relocation is in progress. */
    static void awaitNoRelocation(ProcessCluster system, Duration deadline) {
        Waits.until(deadline, "relocation to finish", () -> {
            JsonNode relocation = system.http().clusters().get("relocation");
            return relocation != null && !relocation.get("inProgress").asBoolean();
        });
    }
}
