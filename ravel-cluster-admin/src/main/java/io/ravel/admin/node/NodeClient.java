package io.ravel.admin.node;

import io.grpc.stub.StreamObserver;
import io.ravel.admin.AdminTimeouts;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Command;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import io.ravel.proto.Void;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls the RavelNode service of one replica by its gRPC address, over the one long-lived channel per
 * address that {@link GrpcChannels} keeps. Unary calls are asynchronous (a future completed by gRPC's
 * callback, so no thread waits for a Raft commit); every call carries a deadline. Thread-safe.
 */
public final class NodeClient implements AutoCloseable {

    private final GrpcChannels channels;

    public NodeClient(GrpcChannels channels) {
        this.channels = channels;
    }

    private RavelNodeGrpc.RavelNodeStub stub(String address, Duration deadline) {
        return RavelNodeGrpc.newStub(channels.get(address)).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<Response> run(String address, Command command) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).run(command, f);
        return f.future;
    }

    public CompletableFuture<Response> join(String address, Node node) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).join(node, f);
        return f.future;
    }

    public CompletableFuture<Response> leave(String address, Node node) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).leave(node, f);
        return f.future;
    }

    public CompletableFuture<Response> writeBatch(String address, BatchWrite batch) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).writeBatch(batch, f);
        return f.future;
    }

    public CompletableFuture<Response> deletePartition(String address, int partition) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).deletePartition(
                PartitionRequest.newBuilder().setPartition(partition).build(), f);
        return f.future;
    }

    public CompletableFuture<LeaderInfo> isLeader(String address) {
        FutureObserver<LeaderInfo> f = new FutureObserver<>();
        stub(address, AdminTimeouts.LEADER_PROBE).isLeader(Void.getDefaultInstance(), f);
        return f.future;
    }

    /**
     * Streams one partition from a replica (blocking; for the relocation thread only). The iterator
     * throws {@link io.grpc.StatusRuntimeException} if the stream fails.
     */
    public Iterator<KeyValueBatch> scanPartition(String address, int partition, int batchSize) {
        return RavelNodeGrpc.newBlockingStub(channels.get(address))
                .withDeadlineAfter(AdminTimeouts.PARTITION_SCAN.toMillis(), TimeUnit.MILLISECONDS)
                .scanPartition(PartitionRequest.newBuilder().setPartition(partition).setBatchSize(batchSize).build());
    }

    /**
     * Asks the channel to a replica that just failed to connect again at once instead of after its
     * exponential reconnect backoff (which grows to minutes), so a restarted replica is reached quickly.
     */
    public void reconnect(String address) {
        try {
            channels.get(address).resetConnectBackoff();
        } catch (RuntimeException ignored) {
            // an address that cannot even be parsed has no channel to reset
        }
    }

    /** Closes the channel to a replica that left the system. */
    public void forget(String address) {
        channels.drop(address);
    }

    @Override
    public void close() {
        channels.close();
    }

    private static final class FutureObserver<T> implements StreamObserver<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();

        @Override
        public void onNext(T value) {
            future.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            future.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            if (!future.isDone()) {
                future.completeExceptionally(new IllegalStateException("the replica sent no response"));
            }
        }
    }
}
