package io.ravel.robustness.system;

import io.ravel.common.GrpcChannels;
import io.ravel.common.Partitioner;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RavelNodeGrpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Where keys are stored, asked of every cluster's leader directly: {@code ScanPartition} of each key's
 * partition (unfenced, after a ReadIndex), bypassing the admins and their owner tables. A key written by
 * a relocation to two clusters, or cleared from both, shows here.
 */
public final class KeyPlacement {

    private KeyPlacement() {
    }

    /**
     * For each key, the ids of the clusters whose leader's copy of its partition holds it.
     *
     * @param leaderGrpc each cluster id and its leader's gRPC address
     */
    public static Map<String, List<String>> holders(Collection<String> keys, Map<String, String> leaderGrpc) {
        Set<Integer> partitions = new TreeSet<>();
        keys.forEach(k -> partitions.add(Partitioner.partitionOf(k)));
        Map<String, Set<String>> stored = new LinkedHashMap<>();
        try (GrpcChannels channels = new GrpcChannels()) {
            for (Map.Entry<String, String> cluster : leaderGrpc.entrySet()) {
                Set<String> found = new HashSet<>();
                for (int partition : partitions) {
                    Iterator<KeyValueBatch> batches = RavelNodeGrpc.newBlockingStub(channels.get(cluster.getValue()))
                            .withDeadlineAfter(20, TimeUnit.SECONDS)
                            .scanPartition(PartitionRequest.newBuilder().setPartition(partition).build());
                    while (batches.hasNext()) {
                        for (KeyValue kv : batches.next().getEntriesList()) {
                            found.add(kv.getKey().toString(StandardCharsets.UTF_8));
                        }
                    }
                }
                stored.put(cluster.getKey(), found);
            }
        }
        Map<String, List<String>> holders = new LinkedHashMap<>();
        for (String key : keys) {
            List<String> on = new ArrayList<>();
            stored.forEach((cluster, found) -> {
                if (found.contains(key)) {
                    on.add(cluster);
                }
            });
            holders.put(key, on);
        }
        return holders;
    }
}
