package io.ravel.node.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ravel.node.command.Command;
import io.ravel.node.command.Member;
import io.ravel.node.raft.KeyRef;
import io.ravel.node.raft.RaftReplica;
import io.ravel.node.storage.RangeScan;
import io.ravel.common.GrpcLimits;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.Operation;
import io.ravel.proto.OwnershipChange;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RangeScanReply;
import io.ravel.proto.RangeScanRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;
import io.ravel.proto.Void;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The RavelNode gRPC service: checks a request's shape ({@link RequestChecks}), turns it into one
 * {@link RaftReplica} call and answers from that call's future ({@link Replies}, {@link Responses}).
 * No handler blocks a gRPC thread on Raft; each answer comes from the Raft closure (or the request
 * deadline, whichever is first).
 *
 * <p>The ownership fence: key writes (Run, RunBatch, WriteBatch) for a partition the cluster does not
 * own are refused by the state machine; GETs and ScanRange are checked after their ReadIndex
 * ({@link OwnershipChanges#check}). Relocation's writes (DeletePartition, and a WriteBatch of copied
 * entries) are refused for a partition the cluster owns. ScanPartition is not fenced (relocation
 * reads the old owner after it released the partition).
 */
public final class RavelNodeService extends RavelNodeGrpc.RavelNodeImplBase {

    static final int DEFAULT_SCAN_BATCH = 512;
    private static final int MAX_SCAN_BATCH = 65_536;
    static final int DEFAULT_RANGE_LIMIT = 100;
    static final int MAX_RANGE_LIMIT = 1000;

    private final RaftReplica raft;
    private final Replies replies;
    private final long requestTimeoutMs;
    /** RocksDB's estimate of the keys this replica stores (IsLeader's estimated_keys). */
    private final java.util.function.LongSupplier estimatedKeys;

    public RavelNodeService(RaftReplica raft, long requestTimeoutMs) {
        this(raft, requestTimeoutMs, () -> -1);
    }

    public RavelNodeService(RaftReplica raft, long requestTimeoutMs, java.util.function.LongSupplier estimatedKeys) {
        this.raft = raft;
        this.estimatedKeys = estimatedKeys;
        this.requestTimeoutMs = requestTimeoutMs;
        this.replies = new Replies(requestTimeoutMs);
    }

    @Override
    public void join(Node request, StreamObserver<Response> out) {
        String problem = RequestChecks.node(request);
        if (problem != null) {
            Replies.send(out, ErrorMapping.invalid(problem));
            return;
        }
        Member member = new Member(request.getId(), request.getGrpcAddress(), request.getRaftAddress());
        replies.answer(raft.addMember(member), out, ignored -> Responses.ok());
    }

    @Override
    public void leave(Node request, StreamObserver<Response> out) {
        if (request.getId().isBlank()) {
            Replies.send(out, ErrorMapping.invalid("node id is required"));
            return;
        }
        String raftAddress = request.getRaftAddress();
        if (raftAddress.isBlank()) {
            Member known = raft.members().byId(request.getId());
            raftAddress = known == null ? null : known.raftAddress();
        } else if (RequestChecks.raftAddress(raftAddress) != null) {
            Replies.send(out, ErrorMapping.invalid(RequestChecks.raftAddress(raftAddress)));
            return;
        }
        replies.answer(raft.removeMember(request.getId(), raftAddress), out, ignored -> Responses.ok());
    }

    @Override
    public void run(io.ravel.proto.Command request, StreamObserver<Response> out) {
        String problem = RequestChecks.command(request);
        if (problem != null) {
            Replies.send(out, ErrorMapping.invalid(problem));
        } else if (request.getOperation() == Operation.GET) {
            int partition = request.getPartition();
            replies.answer(raft.read(List.of(new KeyRef(partition, request.getKey().toByteArray())))
                    .thenApply(values -> {
                        OwnershipChanges.check(raft.stateMachine().ownership(), partition);
                        return values.get(0);
                    }), out, Responses::found);
        } else {
            replies.answer(raft.apply(Translate.write(request)), out, Responses::of);
        }
    }

    /**
     * Runs each command as {@link #run} would and answers them all at once, in order. The GETs of the
     * batch are one {@link RaftReplica#read} (one ReadIndex, begun after each of them arrived); its
     * SETs and DELETEs travel together in one Raft entry ({@link BatchedWrites}).
     */
    @Override
    public void runBatch(CommandBatch request, StreamObserver<ResponseBatch> out) {
        List<CompletableFuture<Response>> answers = new ArrayList<>(request.getCommandsCount());
        List<KeyRef> reads = new ArrayList<>();
        var ownership = raft.stateMachine().ownership();
        List<CompletableFuture<Response>> readAnswers = new ArrayList<>();
        BatchedWrites writes = new BatchedWrites(raft);
        for (io.ravel.proto.Command command : request.getCommandsList()) {
            String problem = RequestChecks.command(command);
            if (problem != null) {
                answers.add(CompletableFuture.completedFuture(ErrorMapping.invalid(problem)));
            } else if (command.getOperation() == Operation.GET) {
                CompletableFuture<Response> answer = new CompletableFuture<>();
                reads.add(new KeyRef(command.getPartition(), command.getKey().toByteArray()));
                readAnswers.add(answer);
                answers.add(answer);
            } else {
                answers.add(writes.add(Translate.write(command)));
            }
        }
        writes.propose();
        if (!reads.isEmpty()) {
            raft.read(reads).whenComplete((values, error) -> {
                for (int i = 0; i < readAnswers.size(); i++) {
                    long refused = error == null ? ownership.refusal(reads.get(i).partition()) : -1;
                    if (refused >= 0) {
                        readAnswers.get(i).complete(ErrorMapping.wrongOwner(reads.get(i).partition(), refused));
                    } else if (error == null) {
                        readAnswers.get(i).complete(Responses.found(values.get(i)));
                    } else {
                        readAnswers.get(i).completeExceptionally(error);
                    }
                }
            });
        }
        replies.answerAll(answers, out);
    }

    @Override
    public void isLeader(Void request, StreamObserver<LeaderInfo> out) {
        LeaderInfo.Builder info = LeaderInfo.newBuilder()
                .setLeader(raft.isLeader())
                .setNodeId(raft.self().id())
                .setClusterId(raft.groupId())
                .setEstimatedKeys(estimatedKeys.getAsLong());
        Member leader = raft.leader();
        if (leader != null) {
            info.setLeaderNode(Responses.node(leader));
        }
        for (Member m : raft.members().all()) {
            info.addMembers(Responses.node(m));
        }
        Replies.send(out, info.build());
    }

    @Override
    public void confirmLeadership(Void request, StreamObserver<Response> out) {
        replies.answer(raft.confirmLeadership(), out, ignored -> Responses.ok());
    }

    @Override
    public void scanPartition(PartitionRequest request, StreamObserver<KeyValueBatch> out) {
        String problem = RequestChecks.partition(request.getPartition());
        if (problem != null) {
            out.onError(ErrorMapping.toStatus(new IllegalArgumentException(problem)));
            return;
        }
        int batchSize = request.getBatchSize() == 0 ? DEFAULT_SCAN_BATCH : Math.min(request.getBatchSize(), MAX_SCAN_BATCH);
        FlowControl<KeyValueBatch> flow = new FlowControl<>((ServerCallStreamObserver<KeyValueBatch>) out);
        raft.scanPartition(request.getPartition(), batchSize, entries -> flow.send(Responses.batch(entries)), requestTimeoutMs)
                .whenComplete((ignored, error) -> {
                    if (error == null) {
                        flow.complete();
                    } else {
                        flow.fail(ErrorMapping.toStatus(error));
                    }
                });
    }

    /** A client scan: the first matching keys of the named partitions after one ReadIndex ({@link RangeScan}). */
    @Override
    public void scanRange(RangeScanRequest request, StreamObserver<RangeScanReply> out) {
        for (int p : request.getPartitionsList()) {
            String problem = RequestChecks.partition(p);
            if (problem != null) {
                Replies.send(out, RangeScanReply.newBuilder().setStatus(ErrorMapping.invalid(problem)).build());
                return;
            }
        }
        int limit = request.getLimit() == 0 ? DEFAULT_RANGE_LIMIT : Math.min(request.getLimit(), MAX_RANGE_LIMIT);
        List<Integer> partitions = List.copyOf(new java.util.TreeSet<>(request.getPartitionsList()));
        byte[] prefix = request.getPrefix().toByteArray();
        byte[] after = request.getAfter().toByteArray();
        raft.readConfirmed(store -> {
                    partitions.forEach(p -> OwnershipChanges.check(raft.stateMachine().ownership(), p));
                    return RangeScan.run(store, partitions, prefix, after, limit, GrpcLimits.SCAN_BATCH_BYTES);
                })
                .orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> Replies.send(out, error == null ? Responses.rangeScan(result)
                        : RangeScanReply.newBuilder().setStatus(ErrorMapping.toResponse(error)).build()));
    }

    /** An empty batch is the leadership probe of admins that predate ConfirmLeadership. */
    @Override
    public void writeBatch(BatchWrite request, StreamObserver<Response> out) {
        for (KeyValue kv : request.getEntriesList()) {
            String problem = RequestChecks.entry(kv);
            if (problem != null) {
                Replies.send(out, ErrorMapping.invalid(problem));
                return;
            }
        }
        if (request.getEntriesCount() == 0) {
            confirmLeadership(Void.getDefaultInstance(), out);
            return;
        }
        replies.answer(raft.apply(Translate.batch(request)), out, Responses::of);
    }

    @Override
    public void deletePartition(PartitionRequest request, StreamObserver<Response> out) {
        String problem = RequestChecks.partition(request.getPartition());
        if (problem != null) {
            Replies.send(out, ErrorMapping.invalid(problem));
            return;
        }
        replies.answer(raft.apply(new Command.DeletePartition(request.getPartition())), out,
                result -> result.wrongOwner() ? Responses.of(result) : Responses.ok());
    }

    /** Records an ownership change in the log ({@link OwnershipChanges}); leader only, like Run. */
    @Override
    public void changeOwnership(OwnershipChange request, StreamObserver<Response> out) {
        String problem = OwnershipChanges.problem(request);
        if (problem != null) {
            Replies.send(out, ErrorMapping.invalid(problem));
            return;
        }
        replies.answer(OwnershipChanges.apply(raft, request), out, response -> response);
    }
}
