package io.ravel.e2e;

import com.google.protobuf.ByteString;
import io.ravel.common.GrpcChannels;
import io.ravel.common.Partitioner;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.Operation;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;

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

    /** Whether the leader at {@code grpcAddress} holds {@code key}; fails on anything but OK or NOT_FOUND. */
    boolean holds(String grpcAddress, String key) {
        Response r = get(grpcAddress, key);
        if (r.getCode() == Code.OK) {
            return true;
        }
        if (r.getCode() == Code.NOT_FOUND) {
            return false;
        }
        throw new IllegalStateException(grpcAddress + " answered " + r.getCode() + " " + r.getMessage());
    }

    @Override
    public void close() {
        channels.close();
    }
}
