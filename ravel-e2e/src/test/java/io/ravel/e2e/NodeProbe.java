package io.ravel.e2e;

import com.google.protobuf.ByteString;
import io.ravel.common.GrpcChannels;
import io.ravel.common.Partitioner;
import io.ravel.proto.Command;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.Operation;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Asks replicas directly over gRPC, bypassing the admin, so a test can check where a key really lives.
 * The partition comes from the system's own {@link Partitioner}, whose fixed expected partitions are
 * pinned by its own test.
 */
final class NodeProbe implements AutoCloseable {

    private final GrpcChannels channels = new GrpcChannels();

    static int partitionOf(String key) {
        return Partitioner.partitionOf(key);
    }

    /** A linearizable GET on the replica at {@code grpcAddress}; that replica must be its cluster's leader. */
    Response get(String grpcAddress, String key) {
        return RavelNodeGrpc.newBlockingStub(channels.get(grpcAddress))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .run(Command.newBuilder()
                        .setOperation(Operation.GET)
                        .setPartition(partitionOf(key))
                        .setKey(ByteString.copyFromUtf8(key))
                        .build());
    }

    /**
     * Whether the leader at {@code grpcAddress} stores {@code key}, whether or not its cluster owns the
     * key's partition: read with ScanPartition (relocation's read, which the ownership fence does not
     * refuse), so a copy left behind on a cluster that no longer owns the partition is found too.
     */
    boolean holds(String grpcAddress, String key) {
        ByteString wanted = ByteString.copyFromUtf8(key);
        Iterator<KeyValueBatch> batches = RavelNodeGrpc.newBlockingStub(channels.get(grpcAddress))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .scanPartition(PartitionRequest.newBuilder().setPartition(partitionOf(key)).build());
        boolean found = false;
        while (batches.hasNext()) {
            for (KeyValue kv : batches.next().getEntriesList()) {
                found |= kv.getKey().equals(wanted);
            }
        }
        return found;
    }

    @Override
    public void close() {
        channels.close();
    }
}
