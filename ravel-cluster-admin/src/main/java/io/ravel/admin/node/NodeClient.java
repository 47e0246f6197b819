package io.ravel.admin.node;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.ravel.admin.AdminTimeouts;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.KeyValue;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.OwnershipChange;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RangeScanReply;
import io.ravel.proto.RangeScanRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;
import io.ravel.proto.Void;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Calls the RavelNode service of one replica by its gRPC address, over the one long-lived channel per
 * address that {@link GrpcChannels} keeps. Unary calls are asynchronous (a future completed by gRPC's
 * callback, so no thread waits for a Raft commit); every call carries a deadline. Thread-safe.
 */
public final class NodeClient implements AutoCloseable {

    /** Runs a gRPC callback on the thread that delivers it. */
    private static final Executor DIRECT = Runnable::run;

    private final GrpcChannels channels;
    private final CallCoalescer<KeyValue> writes = new CallCoalescer<>(
            (address, entries) -> writeClientBatch(address, BatchWrite.newBuilder().addAllEntries(entries).build())
                    .thenApply(answer -> Collections.nCopies(entries.size(), answer)),
            kv -> kv.getKey().size() + kv.getValue().size());
    private final CallCoalescer<Command> reads = new CallCoalescer<>(
            (address, commands) -> runClientBatch(address, CommandBatch.newBuilder().addAllCommands(commands).build())
                    .thenApply(ResponseBatch::getResponsesList),
            command -> command.getKey().size());

    public NodeClient(GrpcChannels channels) {
        this.channels = channels;
    }

    private RavelNodeGrpc.RavelNodeStub stub(String address, Duration deadline) {
        return RavelNodeGrpc.newStub(channels.get(address)).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs one client key operation. Its answer is handled on the gRPC transport thread that received
     * it (no hand-off to another thread): what follows it, up to writing the HTTP answer, never blocks.
     */
    public CompletableFuture<Response> run(String address, Command command) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).withExecutor(DIRECT).run(command, f);
        return f.future;
    }

    /**
     * Stores one client write on the replica: concurrent writes to the same replica share one
     * WriteBatch call ({@link CallCoalescer}); completes with the answer of that call.
     */
    public CompletableFuture<Response> set(String address, KeyValue entry) {
        return writes.submit(address, entry);
    }

    /**
     * Runs one client GET on the replica: concurrent reads from the same replica share one RunBatch
     * call and one ReadIndex ({@link CallCoalescer}); completes with this read's answer.
     */
    public CompletableFuture<Response> get(String address, Command get) {
        return reads.submit(address, get);
    }

    /** A RunBatch of client reads; answered on the transport thread like {@link #run}. */
    private CompletableFuture<ResponseBatch> runClientBatch(String address, CommandBatch batch) {
        FutureObserver<ResponseBatch> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).withExecutor(DIRECT).runBatch(batch, f);
        return f.future;
    }

    /** A WriteBatch of client writes; answered on the transport thread like {@link #run}. */
    private CompletableFuture<Response> writeClientBatch(String address, BatchWrite batch) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).withExecutor(DIRECT).writeBatch(batch, f);
        return f.future;
    }

    /** One RunBatch call of a client batch's operations on one cluster (not coalesced with other calls). */
    public CompletableFuture<ResponseBatch> runBatch(String address, CommandBatch batch) {
        return runClientBatch(address, batch);
    }

    /** One ScanRange call of a client scan. */
    public CompletableFuture<RangeScanReply> scanRange(String address, RangeScanRequest request) {
        FutureObserver<RangeScanReply> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).scanRange(request, f);
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

    /** What {@link #changeOwnership} answers (code INVALID) for a replica that predates the ownership fence. */
    public static final String NO_FENCE = "this replica predates the ownership fence";

    /**
     * Records an ownership change in the cluster's log (leader only); OK carries the cluster's epoch.
     * A replica without ChangeOwnership answers INVALID with {@link #NO_FENCE}.
     */
    public CompletableFuture<Response> changeOwnership(String address, OwnershipChange change) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.NODE_CALL).changeOwnership(change, f);
        return f.future.exceptionallyCompose(error -> Status.fromThrowable(error).getCode() == Status.Code.UNIMPLEMENTED
                ? CompletableFuture.completedFuture(Response.newBuilder().setCode(Code.INVALID).setMessage(NO_FENCE).build())
                : CompletableFuture.failedFuture(error));
    }

    public CompletableFuture<LeaderInfo> isLeader(String address) {
        FutureObserver<LeaderInfo> f = new FutureObserver<>();
        stub(address, AdminTimeouts.LEADER_PROBE).isLeader(Void.getDefaultInstance(), f);
        return f.future;
    }

    /**
     * OK once a ReadIndex confirmed that the replica still leads; NOT_LEADER (with the leader) otherwise.
     * A replica that predates ConfirmLeadership is asked the older way, with an empty WriteBatch.
     */
    public CompletableFuture<Response> confirmLeadership(String address) {
        FutureObserver<Response> f = new FutureObserver<>();
        stub(address, AdminTimeouts.LEADER_PROBE).confirmLeadership(Void.getDefaultInstance(), f);
        return f.future.exceptionallyCompose(error -> Status.fromThrowable(error).getCode() == Status.Code.UNIMPLEMENTED
                ? writeBatch(address, BatchWrite.getDefaultInstance())
                : CompletableFuture.failedFuture(error));
    }

    /** Receives the batches of a partition scan, in order; may fail to abort the scan. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(EncodedBatch batch) throws Exception;
    }

    /** ScanPartition with its batches kept as their bytes ({@link EncodedBatch}). */
    private static final MethodDescriptor<PartitionRequest, EncodedBatch> SCAN_ENCODED = RavelNodeGrpc
            .getScanPartitionMethod().toBuilder(ProtoUtils.marshaller(PartitionRequest.getDefaultInstance()),
                    EncodedBatch.MARSHALLER).build();
    /** WriteBatch of a batch sent as its bytes. */
    private static final MethodDescriptor<EncodedBatch, Response> WRITE_ENCODED = RavelNodeGrpc
            .getWriteBatchMethod().toBuilder(EncodedBatch.MARSHALLER,
                    ProtoUtils.marshaller(Response.getDefaultInstance())).build();

    /**
     * Streams one partition from a replica into {@code sink}, blocking the calling thread (the relocation
     * thread only). If the stream or the sink fails, the call is cancelled on the replica too and the
     * failure is rethrown ({@link io.grpc.StatusRuntimeException} for the stream).
     */
    public void scanPartition(String address, int partition, int batchSize, BatchSink sink) throws Exception {
        Context.CancellableContext scope = Context.current().withCancellation();
        try {
            // The call takes the context current when it starts; the sink runs outside it, so the calls the
            // sink makes (the copy's WriteBatch) are not cancelled when the scan ends.
            PartitionRequest request = PartitionRequest.newBuilder().setPartition(partition).setBatchSize(batchSize).build();
            Iterator<EncodedBatch> batches = scope.call(() -> ClientCalls.blockingServerStreamingCall(
                    channels.get(address), SCAN_ENCODED,
                    CallOptions.DEFAULT.withDeadlineAfter(AdminTimeouts.PARTITION_SCAN.toMillis(), TimeUnit.MILLISECONDS),
                    request));
            while (batches.hasNext()) {
                sink.accept(batches.next());
            }
        } finally {
            scope.cancel(null);
        }
    }

    /** A WriteBatch of copied entries, sent as the bytes a partition scan gave them in. */
    public CompletableFuture<Response> writeBatch(String address, EncodedBatch batch) {
        FutureObserver<Response> f = new FutureObserver<>();
        ClientCalls.asyncUnaryCall(channels.get(address).newCall(WRITE_ENCODED, CallOptions.DEFAULT
                .withDeadlineAfter(AdminTimeouts.NODE_CALL.toMillis(), TimeUnit.MILLISECONDS)), batch, f);
        return f.future;
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
        writes.forget(address);
        reads.forget(address);
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
