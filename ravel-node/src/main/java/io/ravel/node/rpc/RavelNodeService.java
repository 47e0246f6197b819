package io.ravel.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ravel.node.command.Command;
import io.ravel.node.command.Member;
import io.ravel.node.raft.CommandResult;
import io.ravel.node.raft.RaftReplica;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.Operation;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;
import io.ravel.proto.Void;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The RavelNode gRPC service: checks a request's shape, turns it into a {@link RaftReplica} call and
 * completes the response from that call's future. No handler blocks a gRPC thread on Raft; each
 * answer comes from the Raft closure (or the request deadline, whichever is first).
 */
public final class RavelNodeService extends RavelNodeGrpc.RavelNodeImplBase {

    static final int DEFAULT_SCAN_BATCH = 512;
    private static final int MAX_SCAN_BATCH = 65_536;

    private final RaftReplica raft;
    private final long requestTimeoutMs;

    public RavelNodeService(RaftReplica raft, long requestTimeoutMs) {
        this.raft = raft;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    public void join(Node request, StreamObserver<Response> out) {
        String problem = checkNode(request);
        if (problem != null) {
            reply(out, ErrorMapping.invalid(problem));
            return;
        }
        Member member = new Member(request.getId(), request.getGrpcAddress(), request.getRaftAddress());
        respond(raft.addMember(member), out, ignored -> ok());
    }

    @Override
    public void leave(Node request, StreamObserver<Response> out) {
        if (request.getId().isBlank()) {
            reply(out, ErrorMapping.invalid("node id is required"));
            return;
        }
        String raftAddress = request.getRaftAddress();
        if (raftAddress.isBlank()) {
            Member known = raft.members().byId(request.getId());
            raftAddress = known == null ? null : known.raftAddress();
        } else if (invalidAddress(raftAddress)) {
            reply(out, ErrorMapping.invalid("raft_address '" + raftAddress + "' is not host:port"));
            return;
        }
        respond(raft.removeMember(request.getId(), raftAddress), out, ignored -> ok());
    }

    @Override
    public void run(io.ravel.proto.Command request, StreamObserver<Response> out) {
        String problem = checkCommand(request);
        if (problem != null) {
            reply(out, ErrorMapping.invalid(problem));
            return;
        }
        if (request.getOperation() == Operation.GET) {
            respond(raft.get(request.getPartition(), request.getKey().toByteArray()), out, RavelNodeService::found);
        } else {
            respond(write(request), out, this::toResponse);
        }
    }

    /**
     * Runs each command as {@link #run} would and answers them all at once, in order. The GETs of the
     * batch share one ReadIndex: every GET reads after the same confirmed leadership and applied index,
     * which is at least as recent as each GET's arrival, so each one is still linearizable.
     */
    @Override
    public void runBatch(CommandBatch request, StreamObserver<ResponseBatch> out) {
        int n = request.getCommandsCount();
        List<CompletableFuture<Response>> answers = new ArrayList<>(n);
        CompletableFuture<java.lang.Void> barrier = null;
        for (io.ravel.proto.Command command : request.getCommandsList()) {
            String problem = checkCommand(command);
            if (problem != null) {
                answers.add(CompletableFuture.completedFuture(ErrorMapping.invalid(problem)));
            } else if (command.getOperation() == Operation.GET) {
                if (barrier == null) {
                    barrier = raft.readBarrier();
                }
                int partition = command.getPartition();
                byte[] key = command.getKey().toByteArray();
                answers.add(barrier.thenApply(ignored -> found(raft.readAfterBarrier(partition, key))));
            } else {
                answers.add(write(command).thenApply(this::toResponse));
            }
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((ignored, timeout) -> {
                    ResponseBatch.Builder batch = ResponseBatch.newBuilder();
                    for (CompletableFuture<Response> answer : answers) {
                        Response response;
                        try {
                            response = answer.isDone() ? answer.join() : ErrorMapping.toResponse(timeout);
                        } catch (RuntimeException e) {
                            response = ErrorMapping.toResponse(e);
                        }
                        batch.addResponses(response);
                    }
                    try {
                        out.onNext(batch.build());
                        out.onCompleted();
                    } catch (RuntimeException e) {
                        // the caller cancelled or went away; nothing left to tell it
                    }
                });
    }

    /** What is wrong with a single-key command, or null when it can run. */
    private static String checkCommand(io.ravel.proto.Command request) {
        if (!KeyCodec.validPartition(request.getPartition())) {
            return "partition " + request.getPartition() + " is outside 0.." + KeyCodec.MAX_PARTITION;
        }
        if (request.getKey().isEmpty()) {
            return "key must not be empty";
        }
        return switch (request.getOperation()) {
            case GET, DELETE, GET_AND_DELETE -> null;
            case SET -> request.getValue().isEmpty() ? "SET needs a value" : null;
            default -> "unknown operation " + request.getOperationValue();
        };
    }

    /** A checked single-key write, through the Raft log. */
    private CompletableFuture<CommandResult> write(io.ravel.proto.Command request) {
        int partition = request.getPartition();
        byte[] key = request.getKey().toByteArray();
        return switch (request.getOperation()) {
            case SET -> raft.apply(new Command.Set(partition, key, request.getValue().toByteArray()));
            case DELETE -> raft.apply(new Command.Delete(partition, key));
            case GET_AND_DELETE -> raft.apply(new Command.GetAndDelete(partition, key));
            default -> throw new IllegalArgumentException("not a write: " + request.getOperation());
        };
    }

    private static Response found(byte[] value) {
        return value == null ? notFound() : Response.newBuilder().setCode(Code.OK).setValue(ByteString.copyFrom(value)).build();
    }

    @Override
    public void isLeader(Void request, StreamObserver<LeaderInfo> out) {
        LeaderInfo.Builder info = LeaderInfo.newBuilder()
                .setLeader(raft.isLeader())
                .setNodeId(raft.self().id())
                .setClusterId(raft.groupId());
        Member leader = raft.leader();
        if (leader != null) {
            info.setLeaderNode(toNode(leader));
        }
        for (Member m : raft.members().all()) {
            info.addMembers(toNode(m));
        }
        out.onNext(info.build());
        out.onCompleted();
    }

    @Override
    public void scanPartition(PartitionRequest request, StreamObserver<KeyValueBatch> out) {
        if (!KeyCodec.validPartition(request.getPartition())) {
            out.onError(ErrorMapping.toStatus(new IllegalArgumentException(
                    "partition " + request.getPartition() + " is outside 0.." + KeyCodec.MAX_PARTITION)));
            return;
        }
        int batchSize = request.getBatchSize() == 0 ? DEFAULT_SCAN_BATCH : Math.min(request.getBatchSize(), MAX_SCAN_BATCH);
        FlowControl<KeyValueBatch> flow = new FlowControl<>((ServerCallStreamObserver<KeyValueBatch>) out);
        raft.scanPartition(request.getPartition(), batchSize, entries -> flow.send(toBatch(entries)), requestTimeoutMs)
                .whenComplete((ignored, error) -> {
                    if (error == null) {
                        flow.complete();
                    } else {
                        flow.fail(ErrorMapping.toStatus(error));
                    }
                });
    }

    @Override
    public void writeBatch(BatchWrite request, StreamObserver<Response> out) {
        List<Command.Set> entries = new ArrayList<>(request.getEntriesCount());
        for (KeyValue kv : request.getEntriesList()) {
            if (!KeyCodec.validPartition(kv.getPartition()) || kv.getKey().isEmpty()) {
                reply(out, ErrorMapping.invalid("every entry needs a partition in 0.." + KeyCodec.MAX_PARTITION + " and a key"));
                return;
            }
            entries.add(new Command.Set(kv.getPartition(), kv.getKey().toByteArray(), kv.getValue().toByteArray()));
        }
        if (entries.isEmpty()) {
            respond(raft.readBarrier(), out, ignored -> ok());
            return;
        }
        respond(raft.apply(new Command.Batch(entries)), out, r -> ok());
    }

    @Override
    public void deletePartition(PartitionRequest request, StreamObserver<Response> out) {
        if (!KeyCodec.validPartition(request.getPartition())) {
            reply(out, ErrorMapping.invalid("partition " + request.getPartition() + " is outside 0.." + KeyCodec.MAX_PARTITION));
            return;
        }
        respond(raft.apply(new Command.DeletePartition(request.getPartition())), out, r -> ok());
    }

    private <T> void respond(CompletableFuture<T> future, StreamObserver<Response> out, Function<T, Response> onSuccess) {
        future.orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            Response response;
            if (error == null) {
                try {
                    response = onSuccess.apply(value);
                } catch (RuntimeException e) {
                    response = ErrorMapping.toResponse(e);
                }
            } else {
                response = ErrorMapping.toResponse(error);
            }
            reply(out, response);
        });
    }

    private static void reply(StreamObserver<Response> out, Response response) {
        try {
            out.onNext(response);
            out.onCompleted();
        } catch (RuntimeException ignored) {
            // the caller cancelled or went away; nothing left to tell it
        }
    }

    private Response toResponse(CommandResult result) {
        if (!result.found()) {
            return notFound();
        }
        Response.Builder b = Response.newBuilder().setCode(Code.OK);
        if (result.value() != null) {
            b.setValue(ByteString.copyFrom(result.value()));
        }
        return b.build();
    }

    private static Response ok() {
        return Response.newBuilder().setCode(Code.OK).build();
    }

    private static Response notFound() {
        return Response.newBuilder().setCode(Code.NOT_FOUND).setMessage("key not found").build();
    }

    private static KeyValueBatch toBatch(List<RocksStore.Entry> entries) {
        KeyValueBatch.Builder b = KeyValueBatch.newBuilder();
        for (RocksStore.Entry e : entries) {
            b.addEntries(KeyValue.newBuilder()
                    .setPartition(KeyCodec.partitionOf(e.key()))
                    .setKey(ByteString.copyFrom(KeyCodec.userKey(e.key())))
                    .setValue(ByteString.copyFrom(e.value())));
        }
        return b.build();
    }

    static Node toNode(Member m) {
        return Node.newBuilder().setId(m.id()).setGrpcAddress(m.grpcAddress()).setRaftAddress(m.raftAddress()).build();
    }

    private static String checkNode(Node node) {
        if (node.getId().isBlank()) {
            return "node id is required";
        }
        if (invalidAddress(node.getGrpcAddress())) {
            return "grpc_address '" + node.getGrpcAddress() + "' is not host:port";
        }
        if (invalidAddress(node.getRaftAddress())) {
            return "raft_address '" + node.getRaftAddress() + "' is not host:port";
        }
        return null;
    }

    private static boolean invalidAddress(String address) {
        try {
            Member.endpointOf(address);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * Sends a server stream at the pace the client reads it: the sending (read executor) thread waits
     * while the transport is not ready, and gives up when the call is cancelled.
     */
    private static final class FlowControl<T> {
        private final ServerCallStreamObserver<T> call;
        private final Object ready = new Object();

        FlowControl(ServerCallStreamObserver<T> call) {
            this.call = call;
            call.setOnReadyHandler(() -> {
                synchronized (ready) {
                    ready.notifyAll();
                }
            });
            call.setOnCancelHandler(() -> {
                synchronized (ready) {
                    ready.notifyAll();
                }
            });
        }

        void send(T message) {
            synchronized (ready) {
                while (!call.isReady() && !call.isCancelled()) {
                    try {
                        ready.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("interrupted");
                    }
                }
            }
            if (call.isCancelled()) {
                throw new CancellationException("the caller cancelled the scan");
            }
            call.onNext(message);
        }

        void complete() {
            try {
                call.onCompleted();
            } catch (RuntimeException ignored) {
                // cancelled meanwhile
            }
        }

        void fail(RuntimeException status) {
            try {
                call.onError(status);
            } catch (RuntimeException ignored) {
                // cancelled meanwhile
            }
        }
    }
}
