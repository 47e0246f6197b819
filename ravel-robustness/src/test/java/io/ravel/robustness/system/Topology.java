package io.ravel.robustness.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The admin's view of the system ({@code GET /clusters}) in daemon names. */
public record Topology(List<Cluster> clusters, boolean relocating) {

    /**
     * @param leader     the daemon name of the leader the admin knows, or null
     * @param partitions how many partitions the admin's owner table gives it
     */
    public record Cluster(String id, String leader, List<String> replicas, int partitions) {

        public List<String> followers() {
            return replicas.stream().filter(r -> !r.equals(leader)).toList();
        }
    }

    static Topology parse(JsonNode json, Function<String, String> nameOfGrpc) {
        List<Cluster> clusters = new ArrayList<>();
        for (JsonNode c : json.get("clusters")) {
            JsonNode leader = c.get("leader");
            List<String> replicas = new ArrayList<>();
            for (JsonNode r : c.get("replicas")) {
                replicas.add(nameOfGrpc.apply(r.get("grpcAddress").asText()));
            }
            clusters.add(new Cluster(c.get("id").asText(),
                    leader == null || leader.isNull() ? null : nameOfGrpc.apply(leader.get("grpcAddress").asText()),
                    replicas, c.path("partitions").asInt(0)));
        }
        return new Topology(clusters, json.get("relocation").get("inProgress").asBoolean());
    }

    /** Every one of {@code count} clusters has {@code replicas} replicas and a known leader; no relocation runs. */
    public boolean settled(int count, int replicas) {
        return !relocating && clusters.size() == count
                && clusters.stream().allMatch(c -> c.leader != null && c.replicas.size() == replicas);
    }

    /** The cluster of {@code replica} owns partitions and no relocation runs: the moves to it are over. */
    public boolean relocatedTo(String replica) {
        return !relocating && clusters.stream().anyMatch(c -> c.replicas.contains(replica) && c.partitions > 0);
    }

    public Cluster clusterOf(String replica) {
        return clusters.stream().filter(c -> c.replicas.contains(replica)).findFirst()
                .orElseThrow(() -> new IllegalStateException(replica + " is in no cluster: " + this));
    }
}
