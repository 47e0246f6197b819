package io.ravel.admin.routing;

import com.google.protobuf.ByteString;
import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.PartitionGate;
import io.ravel.common.Outcome;
import io.ravel.common.Partitioner;
import io.ravel.proto.Command;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Operation;
import io.ravel.proto.Response;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs one client key operation: key → partition → (wait if the partition is moving) → owner cluster →
 * that cluster's leader, with leader recovery, routing again when the owner's fence refuses it
 * ({@link Reroute}), and a deadline ({@link AdminTimeouts#REQUEST}). Outcomes
 * other than success come back as {@link AdminException}s. Asynchronous and thread-safe; no thread
 * waits for a replica.
 */
public final class KvRouter {

    private final OwnerLookup owners;
    private final PartitionGate gate;
    private final LeaderTracker leaders;
    private final NodeClient nodes;

    public KvRouter(OwnerLookup owners, PartitionGate gate, LeaderTracker leaders, NodeClient nodes) {
        this.owners = owners;
        this.gate = gate;
        this.leaders = leaders;
        this.nodes = nodes;
    }

    /** The owner table this router routes with. */
    public OwnerLookup owners() {
        return owners;
    }

    /** Stores {@code jsonValue} (UTF-8 JSON text) under {@code key}. */
    public CompletableFuture<Void> put(String key, byte[] jsonValue) {
        return run(Operation.SET, key, jsonValue).thenApply(r -> null);
    }

    /** The stored JSON text of {@code key}; fails with NOT_FOUND if there is none. */
    public CompletableFuture<byte[]> get(String key) {
        return run(Operation.GET, key, null).thenApply(r -> r.getValue().toByteArray());
    }

    /** Deletes {@code key}; fails with NOT_FOUND if there is none. */
    public CompletableFuture<Void> delete(String key) {
        return run(Operation.DELETE, key, null).thenApply(r -> null);
    }

    /**
     * A write with a condition or an expiry, decided by the owner's state machine: SET (with
     * {@code jsonValue}) or DELETE (null), applied only if the key is at {@code ifVersion} (0: absent;
     * negative: no condition), expiring {@code ttlMs} after the leader applies it (0: never). Answers the
     * replica's response (its version); a lost condition fails with VERSION_MISMATCH and the current version.
     */
    public CompletableFuture<Response> write(String key, byte[] jsonValue, long ifVersion, long ttlMs) {
        return run(jsonValue == null ? Operation.DELETE : Operation.SET, key, jsonValue, b -> {
            if (ifVersion >= 0) {
                b.setIfVersion(ifVersion);
            }
            b.setTtlMs(ttlMs);
        });
    }

    /** The stored value of {@code key} with its version (Response.value, Response.version); NOT_FOUND if none. */
    public CompletableFuture<Response> getVersioned(String key) {
        return run(Operation.GET, key, null);
    }

    private CompletableFuture<Response> run(Operation operation, String key, byte[] value) {
        return run(operation, key, value, b -> { });
    }

    private CompletableFuture<Response> run(Operation operation, String key, byte[] value,
                                            java.util.function.Consumer<Command.Builder> options) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int partition = Partitioner.partitionOf(keyBytes);
        Command.Builder command = Command.newBuilder().setOperation(operation).setPartition(partition)
                .setKey(ByteString.copyFrom(keyBytes));
        if (value != null) {
            command.setValue(ByteString.copyFrom(value));
        }
        options.accept(command);
        if (operation != Operation.GET) {
            // the same id on every retry: a replica applies it once and answers a repeat as the first attempt
            command.setRequestId(RequestIds.next());
        }
        Command cmd = command.build();
        long deadline = System.nanoTime() + AdminTimeouts.REQUEST.toNanos();
        return attempt(partition, cmd, deadline, 0).thenApply(KvRouter::check);
    }

    /**
     * One routing of the command: through the partition's gate to the owner's leader. A WRONG_OWNER
     * answer routes it again after a pause ({@link Reroute}), outside the gate, so a move waiting for
     * the partition to drain is not held up.
     */
    private CompletableFuture<Response> attempt(int partition, Command cmd, long deadline, int refusals) {
        return gate.enter(partition, AdminTimeouts.PARTITION_HOLD).thenCompose(inside -> {
            CompletableFuture<Response> reply;
            try {
                String owner = owners.owner(partition);
                if (owner == null) {
                    reply = CompletableFuture.failedFuture(new AdminException(AdminException.Reason.UNAVAILABLE,
                            "no cluster exists yet: start a replica with -l=true to create one"));
                } else {
                    reply = leaders.onLeader(owner, call(cmd, refusals == 0), deadline);
                }
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            return reply.whenComplete((r, t) -> gate.exit(partition));
        }).thenCompose(r -> !Reroute.refused(r) ? CompletableFuture.completedFuture(r)
                : Reroute.after(owners, refusals, deadline).thenCompose(again -> again
                        ? attempt(partition, cmd, deadline, refusals + 1) : CompletableFuture.completedFuture(r)));
    }

    /**
     * How the command reaches a leader: a SET joins the other writes bound for the same replica in one
     * WriteBatch (one Raft entry for all of them), a GET the other reads in one RunBatch (one ReadIndex
     * for all of them); a DELETE, and a SET with a condition or an expiry (whose answer is its own), is
     * one Run call. After a WRONG_OWNER ({@code joinOthers} false) a SET goes alone as well: one write
     * for a partition the cluster does not own refuses its whole WriteBatch.
     */
    private Function<String, CompletableFuture<Response>> call(Command cmd, boolean joinOthers) {
        if (joinOthers && cmd.getOperation() == Operation.SET && !cmd.hasIfVersion() && cmd.getTtlMs() == 0) {
            KeyValue entry = KeyValue.newBuilder().setPartition(cmd.getPartition()).setKey(cmd.getKey())
                    .setValue(cmd.getValue()).setRequestId(cmd.getRequestId()).build();
            return address -> nodes.set(address, entry);
        }
        if (cmd.getOperation() == Operation.GET) {
            return address -> nodes.get(address, cmd);
        }
        return address -> nodes.run(address, cmd);
    }

    /** The response if it is a success; otherwise its outcome as an {@link AdminException}. */
    static Response check(Response response) {
        Outcome outcome = Outcome.of(response.getCode());
        if (outcome == Outcome.OK) {
            return response;
        }
        if (outcome == Outcome.VERSION_MISMATCH) {
            throw AdminException.versionMismatch(response.getVersion(), response.getVersion() == 0
                    ? "version mismatch: the key does not exist"
                    : "version mismatch: the key is at version " + response.getVersion());
        }
        String message = switch (outcome) {
            case NOT_FOUND -> "key not found";
            case INVALID -> response.getMessage();
            case INTERNAL -> "the replica failed: " + response.getMessage();
            case WRONG_OWNER -> "the key's partition is moving between clusters and its new owner was not known"
                    + " within the request deadline; retry";
            default -> "the cluster could not serve the request: " + response.getMessage();
        };
        throw new AdminException(outcome, message);
    }
}
