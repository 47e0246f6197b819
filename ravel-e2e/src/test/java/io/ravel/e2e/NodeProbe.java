package io.ravel.e2e;

import com.google.protobuf.ByteString;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.Operation;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import net.openhft.hashing.LongHashFunction;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Asks replicas directly over gRPC, bypassing the admin, so a test can check where a key really lives.
 * The partition is computed from DESIGN.md's formula here, independently of the admin's code.
 */
final class NodeProbe implements AutoCloseable {

    private static final LongHashFunction XX = LongHashFunction.xx(0);
    private final GrpcChannels channels = new GrpcChannels();

    static int partitionOf(String key) {
        return (int) Long.remainderUnsigned(XX.hashBytes(key.getBytes(StandardCharsets.UTF_8)), 271);
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
