package io.ravel.admin.routing;

import com.google.protobuf.ByteString;
import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.PartitionGate;
import io.ravel.common.Outcome;
import io.ravel.common.Partitioner;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.Operation;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a client batch (POST /batch). The operations are cut, in order, into rounds in which no key
 * appears twice; rounds run one after the other, so every operation sees the ones before it on the
 * same key. Within a round the operations are grouped by the cluster that owns their partition, and
 * each cluster gets one RunBatch call: its leader proposes the puts and deletes together as one Raft
 * entry and serves the gets after one shared ReadIndex. Every write carries a request id, so a
 * retried call applies it once. A round enters the {@link PartitionGate} of every partition it
 * touches before it reads their owners, exactly as a single operation does.
 *
 * <p>No atomicity across operations: each one succeeds or fails on its own, and a failure of one
 * cluster fails only the operations bound for it. Thread-safe; no thread waits for a replica.
 */
public final class BatchRouter {

    private final OwnerLookup owners;
    private final PartitionGate gate;
    private final LeaderTracker leaders;
    private final NodeClient nodes;

    public BatchRouter(OwnerLookup owners, PartitionGate gate, LeaderTracker leaders, NodeClient nodes) {
        this.owners = owners;
        this.gate = gate;
        this.leaders = leaders;
        this.nodes = nodes;
    }

    /** One result per operation, in their order. */
    public CompletableFuture<List<BatchOp.Result>> run(List<BatchOp> ops) {
        BatchOp.Result[] results = new BatchOp.Result[ops.size()];
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (List<Integer> round : rounds(ops)) {
            chain = chain.thenCompose(v -> round(ops, round, results,
                    System.nanoTime() + AdminTimeouts.REQUEST.toNanos(), 0));
        }
        return chain.thenApply(v -> List.of(results));
    }

    /** The operation indexes cut into rounds in which no key appears twice. */
    static List<List<Integer>> rounds(List<BatchOp> ops) {
        List<List<Integer>> rounds = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            if (!keys.add(ops.get(i).key())) {
                rounds.add(current);
                current = new ArrayList<>();
                keys.clear();
                keys.add(ops.get(i).key());
            }
            current.add(i);
        }
        if (!current.isEmpty()) {
            rounds.add(current);
        }
        return rounds;
    }

    /**
     * Runs the round's operations; those a cluster's fence refused (WRONG_OWNER: this admin's owner
     * table is behind, or their partition is moving) are routed again after a pause ({@link Reroute}),
     * outside the gates, until {@code deadline}.
     */
    private CompletableFuture<Void> round(List<BatchOp> ops, List<Integer> round, BatchOp.Result[] results,
                                          long deadline, int refusals) {
        return gated(ops, round, results, deadline).thenCompose(v -> {
            List<Integer> refused = new ArrayList<>();
            for (int i : round) {
                if (results[i].error() != null && results[i].error().outcome() == Outcome.WRONG_OWNER) {
                    refused.add(i);
                }
            }
            if (refused.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return Reroute.after(owners, refusals, deadline).thenCompose(again -> again
                    ? round(ops, refused, results, deadline, refusals + 1) : CompletableFuture.completedFuture(null));
        });
    }

    private CompletableFuture<Void> gated(List<BatchOp> ops, List<Integer> round, BatchOp.Result[] results,
                                          long deadline) {
        int[] partitions = new int[ops.size()];
        Set<Integer> touched = new TreeSet<>();
        for (int i : round) {
            partitions[i] = Partitioner.partitionOf(ops.get(i).key().getBytes(StandardCharsets.UTF_8));
            touched.add(partitions[i]);
        }
        return Gates.enterAll(gate, touched).handle((entered, held) -> {
            if (held != null) {
                AdminException e = failure(held);
                for (int i : round) {
                    results[i] = new BatchOp.Result(null, e);
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            CompletableFuture<Void> done;
            try {
                done = routed(ops, round, partitions, results, deadline);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            return done.whenComplete((v, t) -> Gates.exitAll(gate, touched));
        }).thenCompose(f -> f);
    }

    /** Sends the round's operations to the owners of their partitions (the caller is inside every partition). */
    private CompletableFuture<Void> routed(List<BatchOp> ops, List<Integer> round, int[] partitions,
                                           BatchOp.Result[] results, long deadline) {
        Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
        for (int i : round) {
            String owner = owners.owner(partitions[i]);
            if (owner == null) {
                results[i] = new BatchOp.Result(null, new AdminException(AdminException.Reason.UNAVAILABLE,
                        "no cluster exists yet: start a replica with -l=true to create one"));
            } else {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(i);
            }
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byOwner.entrySet()) {
            calls.add(onCluster(e.getKey(), ops, e.getValue(), partitions, results, deadline));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    /** One cluster's operations of a round in one RunBatch, in their order. */
    private CompletableFuture<Void> onCluster(String owner, List<BatchOp> ops, List<Integer> indexes, int[] partitions,
                                              BatchOp.Result[] results, long deadline) {
        CommandBatch.Builder batch = CommandBatch.newBuilder();
        for (int i : indexes) {
            Command.Builder command = Command.newBuilder().setPartition(partitions[i])
                    .setKey(ByteString.copyFromUtf8(ops.get(i).key()));
            if (ops.get(i).kind() == BatchOp.Kind.GET) {
                command.setOperation(Operation.GET);
            } else if (ops.get(i).kind() == BatchOp.Kind.PUT) {
                command.setOperation(Operation.SET).setValue(ByteString.copyFrom(ops.get(i).jsonValue()))
                        .setRequestId(RequestIds.next());
            } else {
                command.setOperation(Operation.DELETE).setRequestId(RequestIds.next());
            }
            batch.addCommands(command);
        }
        CommandBatch commands = batch.build();
        AtomicReference<ResponseBatch> answers = new AtomicReference<>();
        return leaders.onLeader(owner, address -> nodes.runBatch(address, commands).thenApply(reply -> {
            // a command the leader could not serve yet makes the whole call retried (its writes carry ids);
            // one the fence refused is answered on its own and routed again by the round
            for (Response r : reply.getResponsesList()) {
                if (Outcome.of(r.getCode()).retry() != Outcome.Retry.NEVER && !Reroute.refused(r)) {
                    return r;
                }
            }
            if (reply.getResponsesCount() != commands.getCommandsCount()) {
                return Response.newBuilder().setCode(Code.INTERNAL).setMessage("the replica sent "
                        + reply.getResponsesCount() + " answers for " + commands.getCommandsCount() + " commands").build();
            }
            answers.set(reply);
            return Response.newBuilder().setCode(Code.OK).build();
        }), deadline).handle((response, error) -> {
            AdminException failure = error != null ? failure(error) : problem(response);
            for (int n = 0; n < indexes.size(); n++) {
                int i = indexes.get(n);
                if (failure != null) {
                    results[i] = new BatchOp.Result(null, failure);
                } else {
                    Response r = answers.get().getResponses(n);
                    AdminException e = problem(r);
                    results[i] = new BatchOp.Result(e == null && ops.get(i).kind() == BatchOp.Kind.GET
                            ? r.getValue().toByteArray() : null, e);
                }
            }
            return null;
        });
    }

    /** Null for a success; otherwise the response's outcome as the single routes report it. */
    private static AdminException problem(Response response) {
        try {
            KvRouter.check(response);
            return null;
        } catch (AdminException e) {
            return e;
        }
    }

    private static AdminException failure(Throwable error) {
        AdminException a = AdminException.find(error);
        return a != null ? a : new AdminException(AdminException.Reason.INTERNAL,
                "internal error: " + Outcome.describe(error));
    }
}
