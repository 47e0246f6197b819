package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;

import java.time.Duration;
import java.util.List;

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
        return awaitClusters(system.http(), clusters, replicas, deadline, anyReplicaCount);
    }

    /** As above, asking the admin at {@code http} (one admin of a group). */
    static JsonNode awaitClusters(AdminHttp http, int clusters, int replicas, Duration deadline,
                                  boolean anyReplicaCount) {
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
        awaitNoRelocation(system.http(), deadline);
    }

    /** As above, asking the admin at {@code http} (one admin of a group). */
    static void awaitNoRelocation(AdminHttp http, Duration deadline) {
        Waits.until(deadline, "relocation to finish", () -> {
            JsonNode relocation = http.clusters().get("relocation");
            return relocation != null && !relocation.get("inProgress").asBoolean();
        });
    }

    /**
     * Waits until one of the running admins of a group says it is the leader ({@code GET /health}
     * "role") and returns its index in {@code admins} (admin {@code i} is process {@code admin<i>}).
     */
    static int adminLeader(ProcessCluster system, List<AdminHttp> admins, Duration deadline) {
        int[] found = {-1};
        Waits.until(deadline, "an admin leader", () -> {
            for (int i = 0; i < admins.size(); i++) {
                DaemonProcess admin = system.process("admin" + i);
                if (admin.isAlive() && !admin.stopped()) {
                    try {
                        if ("leader".equals(admins.get(i).get("/health").body().get("role").asText())) {
                            found[0] = i;
                            return true;
                        }
                    } catch (RuntimeException notUp) {
                        // not serving yet
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
