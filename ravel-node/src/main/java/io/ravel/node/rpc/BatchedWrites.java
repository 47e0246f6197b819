package io.ravel.node.rpc;

import io.ravel.node.command.Command;
import io.ravel.node.raft.CommandResult;
import io.ravel.node.raft.RaftReplica;
import io.ravel.proto.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The writes of one RunBatch, proposed in their order: consecutive SETs and DELETEs travel in one
 * BATCH_OPS log entry (one Raft entry, one RocksDB write) and answer one by one from its per-op
 * results; a GET_AND_DELETE is an entry of its own, after the writes before it. A single SET or
 * DELETE keeps its own command. Not thread-safe: one instance per call.
 */
final class BatchedWrites {

    private final RaftReplica raft;
    private final List<Command> ops = new ArrayList<>();
    private final List<CompletableFuture<Response>> answers = new ArrayList<>();

    BatchedWrites(RaftReplica raft) {
        this.raft = raft;
    }

    /** The answer to {@code write}, once {@link #propose()} (or a later GET_AND_DELETE) sent it. */
    CompletableFuture<Response> add(Command write) {
        if (!(write instanceof Command.Set) && !(write instanceof Command.Delete)) {
            propose();
            return raft.apply(write).thenApply(Responses::of);
        }
        CompletableFuture<Response> answer = new CompletableFuture<>();
        ops.add(write);
        answers.add(answer);
        return answer;
    }

    /** Proposes the SETs and DELETEs added since the last call. */
    void propose() {
        if (ops.isEmpty()) {
            return;
        }
        List<Command> sent = List.copyOf(ops);
        List<CompletableFuture<Response>> waiting = List.copyOf(answers);
        ops.clear();
        answers.clear();
        if (sent.size() == 1) {
            raft.apply(sent.get(0)).whenComplete((result, error) -> answer(waiting.get(0), result, error));
            return;
        }
        raft.apply(new Command.BatchOps(sent)).whenComplete((result, error) -> {
            if (error == null && result.parts().size() != sent.size()) {
                error = new IllegalStateException("the state machine answered " + result.parts().size()
                        + " results for " + sent.size() + " writes");
            }
            for (int i = 0; i < waiting.size(); i++) {
                answer(waiting.get(i), error == null ? result.parts().get(i) : null, error);
            }
        });
    }

    private static void answer(CompletableFuture<Response> answer, CommandResult result, Throwable error) {
        if (error != null) {
            answer.completeExceptionally(error);
        } else {
            answer.complete(Responses.of(result));
        }
    }
}
