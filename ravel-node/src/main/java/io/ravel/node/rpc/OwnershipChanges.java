package io.ravel.node.rpc;

import io.ravel.node.command.Command;
import io.ravel.node.raft.Ownership;
import io.ravel.node.raft.RaftReplica;
import io.ravel.proto.OwnershipChange;
import io.ravel.proto.Response;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ChangeOwnership and the read side of the ownership fence ({@link Ownership}): an ASSIGN is one log
 * entry, an OWN or RELEASE one entry per partition, applied in order; reads are checked against what
 * the state machine last published, after their ReadIndex.
 */
final class OwnershipChanges {

    private OwnershipChanges() {
    }

    /** What is wrong with {@code change}, or null. */
    static String problem(OwnershipChange change) {
        if (change.getEpoch() <= 0) {
            return "an ownership epoch is at least 1";
        }
        if (change.getKind() == io.ravel.proto.OwnershipKind.UNRECOGNIZED) {
            return "unknown ownership change kind";
        }
        for (int p : change.getPartitionsList()) {
            String bad = RequestChecks.partition(p);
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    /** Applies a checked change; completes with the answer once every entry of it is applied. */
    static CompletableFuture<Response> apply(RaftReplica raft, OwnershipChange change) {
        List<Integer> partitions = List.copyOf(change.getPartitionsList());
        long epoch = change.getEpoch();
        CompletableFuture<?> done;
        switch (change.getKind()) {
            case ASSIGN -> done = raft.apply(new Command.AssignOwnership(partitions, epoch));
            case OWN -> done = each(raft, partitions, p -> new Command.OwnPartition(p, epoch));
            default -> done = each(raft, partitions, p -> new Command.ReleasePartition(p, epoch));
        }
        Ownership ownership = raft.stateMachine().ownership();
        return done.thenApply(ignored -> Responses.ok().toBuilder().setOwnerEpoch(ownership.epoch()).build());
    }

    private static CompletableFuture<?> each(RaftReplica raft, List<Integer> partitions,
                                             java.util.function.IntFunction<Command> command) {
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (int p : partitions) {
            chain = chain.thenCompose(ignored -> raft.apply(command.apply(p)));
        }
        return chain;
    }

    /** Throws {@link io.ravel.node.raft.WrongOwnerException} if this cluster does not own {@code partition}. */
    static void check(Ownership ownership, int partition) {
        long refused = ownership.refusal(partition);
        if (refused >= 0) {
            throw new io.ravel.node.raft.WrongOwnerException(partition, refused);
        }
    }
}
