package io.ravel.common;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.ravel.proto.Code;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table of what a call can end in: the answers of a replica ({@link Code} in a Response), the
 * gRPC statuses a caller of a replica sees, and the admin's own verdicts on a client request. Each
 * outcome states what it means, whether and where the call may be retried (and why), the HTTP status a
 * client gets when the outcome is final, and the gRPC status it travels as.
 *
 * <p>Every edge maps through this table once: the replica turns its failures into an outcome and sends
 * {@link #code()} or {@link #grpcStatus()}; the admin reads an answer back with {@link #of(Code)} or
 * {@link #of(Throwable)}, retries by {@link #retry()} and answers HTTP with {@link #httpStatus()}.
 * Entries keep their names: logs and tests refer to them.
 */
public enum Outcome {

    // Answers of a replica, carried as Response.code.

    OK(Code.OK, Status.Code.OK, Retry.NEVER, 200,
            "done: the command was applied by a Raft majority, or the read was answered after a ReadIndex",
            "there is nothing left to do"),
    NOT_FOUND(Code.NOT_FOUND, Status.Code.NOT_FOUND, Retry.NEVER, 404,
            "the key (or node, or cluster) does not exist",
            "the answer is final; asking again gets the same answer"),
    INVALID(Code.INVALID, Status.Code.INVALID_ARGUMENT, Retry.NEVER, 400,
            "the request is malformed (empty key, partition out of range, bad address, bad JSON)",
            "the same request fails the same way"),
    NOT_LEADER(Code.NOT_LEADER, Status.Code.FAILED_PRECONDITION, Retry.AFTER_FINDING_LEADER, 503,
            "the replica is not its cluster's leader; the answer names the leader when the replica knows it",
            "nothing was applied; the leader (named, or found by asking the replicas) can serve it"),
    UNAVAILABLE(Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Retry.SAME_REPLICA, 503,
            "the replica could not serve in time: no leader yet, Raft did not commit in time, or it is stopping",
            "an election or a commit is under way on this replica's group; the same replica answers after it"),
    INTERNAL(Code.INTERNAL, Status.Code.INTERNAL, Retry.NEVER, 500,
            "the replica's storage failed",
            "the same replica would fail the same way; the failure is the operator's to look at"),
    /**
     * A conditional write lost: the replica's state machine found another version. The answer carries
     * the current version. Only ever a Response code (ABORTED is gRPC's name for such a conflict).
     */
    VERSION_MISMATCH(Code.VERSION_MISMATCH, Status.Code.ABORTED, Retry.NEVER, 409,
            "a conditional write (ifVersion) found the key at another version, and nothing was written",
            "the condition is decided once, in the Raft log; a retry with the same request id gets the same"
                    + " answer, and only the client can decide what to write after reading the new version"),
    /**
     * The ownership fence refused a key command: the replica's cluster does not own the partition (it
     * moved, or has not arrived yet). The answer carries the cluster's ownership epoch. Only ever a
     * Response code.
     */
    WRONG_OWNER(Code.WRONG_OWNER, Status.Code.FAILED_PRECONDITION, Retry.AFTER_REFRESHING_OWNERS, 503,
            "this cluster does not own the partition: refresh the owner table, then retry",
            "nothing was applied; the owner table that routed the command here is older than the answer's"
                    + " epoch, and the owner it names after a refresh can serve it"),
    /** A Response code this version does not know (a newer replica). */
    UNKNOWN_CODE(null, Status.Code.UNKNOWN, Retry.NEVER, 503,
            "the replica answered with a code this version does not know",
            "what the replica did is not known, so repeating it could do it twice"),

    // The admin's own verdicts on a request, before any replica is asked.

    TOO_LARGE(null, Status.Code.INVALID_ARGUMENT, Retry.NEVER, 413,
            "the request body is larger than the admin accepts",
            "the same body is refused again"),
    PRECONDITION(null, Status.Code.FAILED_PRECONDITION, Retry.NEVER, 409,
            "the state of the system does not allow it (joining an existing cluster when there is none)",
            "it fails until the operator changes the system (starts a first replica with -l=true)"),

    // How a gRPC call to a replica can fail, as the caller sees it.

    GRPC_UNAVAILABLE(null, Status.Code.UNAVAILABLE, Retry.AFTER_FINDING_LEADER, 503,
            "no connection to the replica: it is down, restarting or cut off, or it could not serve a stream",
            "another replica may have become leader; asking them all finds out"),
    GRPC_DEADLINE_EXCEEDED(null, Status.Code.DEADLINE_EXCEEDED, Retry.AFTER_FINDING_LEADER, 503,
            "the replica did not answer within the call's deadline: paused, partitioned or overloaded",
            "a leader that stopped answering is usually replaced by an election; the first attempt may have"
                    + " been applied, and a retried write carries its request id, so it is applied once"),
    GRPC_CANCELLED(null, Status.Code.CANCELLED, Retry.AFTER_FINDING_LEADER, 503,
            "the call was cut off: its channel was shut down, or the replica stopped while answering",
            "a replica that stops is replaced as leader; the first attempt may have been applied, and a"
                    + " retried write carries its request id, so it is applied once"),
    GRPC_UNKNOWN(null, Status.Code.UNKNOWN, Retry.AFTER_FINDING_LEADER, 503,
            "the call failed with no status: the replica's handler threw outside the mapping, typically while"
                    + " the replica shuts down, or the connection broke mid-answer",
            "it is a replica in trouble rather than a verdict on the request, so another leader is looked for"),
    GRPC_ABORTED(null, Status.Code.ABORTED, Retry.AFTER_FINDING_LEADER, 503,
            "the call was aborted; Ravel's replicas never send it, gRPC defines it as a conflict to retry above",
            "gRPC's own advice for ABORTED is to retry at a higher level, here after finding the leader"),
    /** Any other gRPC status, or a failure before the call left (no channel). */
    CALL_FAILED(null, Status.Code.INTERNAL, Retry.NEVER, 500,
            "the call failed in a way no retry fixes (unimplemented, message too large, a local failure)",
            "the same call fails the same way");

    /** Whether and where a call that ended in an outcome may be tried again. */
    public enum Retry {
        /** The outcome is final: report it to the caller. */
        NEVER,
        /** Try the same replica again after a short pause: it is the right one, just not ready. */
        SAME_REPLICA,
        /** Find the cluster's leader (the redirect, or by asking every replica), then try it. */
        AFTER_FINDING_LEADER,
        /** Another cluster owns the partition: refresh the owner table, then send it to the owner. */
        AFTER_REFRESHING_OWNERS
    }

    private final Code code;
    private final Status.Code grpcStatus;
    private final Retry retry;
    private final int httpStatus;
    private final String meaning;
    private final String retryReason;

    Outcome(Code code, Status.Code grpcStatus, Retry retry, int httpStatus, String meaning, String retryReason) {
        this.code = code;
        this.grpcStatus = grpcStatus;
        this.retry = retry;
        this.httpStatus = httpStatus;
        this.meaning = meaning;
        this.retryReason = retryReason;
    }

    /** What a replica's Response.code means. */
    public static Outcome of(Code code) {
        return switch (code) {
            case OK -> OK;
            case NOT_FOUND -> NOT_FOUND;
            case NOT_LEADER -> NOT_LEADER;
            case INVALID -> INVALID;
            case UNAVAILABLE -> UNAVAILABLE;
            case INTERNAL -> INTERNAL;
            case VERSION_MISMATCH -> VERSION_MISMATCH;
            case WRONG_OWNER -> WRONG_OWNER;
            case UNRECOGNIZED -> UNKNOWN_CODE;
        };
    }

    /**
     * What a failed call to a replica means. FAILED_PRECONDITION is the replica's "not leader" for a
     * streamed call (the leader's address in a trailer); UNAVAILABLE is read as the transport's "no
     * connection" since that is what the caller can act on.
     */
    public static Outcome of(Status.Code status) {
        return switch (status) {
            case OK -> OK;
            case FAILED_PRECONDITION -> NOT_LEADER;
            case UNAVAILABLE -> GRPC_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> GRPC_DEADLINE_EXCEEDED;
            case CANCELLED -> GRPC_CANCELLED;
            case UNKNOWN -> GRPC_UNKNOWN;
            case ABORTED -> GRPC_ABORTED;
            default -> CALL_FAILED;
        };
    }

    /** What the failure of a call to a replica means (completion wrappers unwrapped). */
    public static Outcome of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException sre) {
            return of(sre.getStatus().getCode());
        }
        if (t instanceof StatusException se) {
            return of(se.getStatus().getCode());
        }
        return CALL_FAILED;
    }

    /**
     * The failure behind the wrappers a future adds ({@link CompletionException}, {@link ExecutionException}):
     * the one place they are taken off.
     */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The message of the failure behind the wrappers, or its class name when it has none. */
    public static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The Response code a replica sends for this outcome. */
    public Code code() {
        if (code == null) {
            throw new IllegalStateException(this + " is not a replica's answer");
        }
        return code;
    }

    /** Whether a replica answers this outcome as a Response code. */
    public boolean isReplicaAnswer() {
        return code != null;
    }

    /** The gRPC status this outcome travels as (a replica's stream, the admin's gRPC service). */
    public Status grpcStatus() {
        return Status.fromCode(grpcStatus);
    }

    public Retry retry() {
        return retry;
    }

    /** The HTTP status a client gets when the request ends in this outcome. */
    public int httpStatus() {
        return httpStatus;
    }

    public String meaning() {
        return meaning;
    }

    /** Why {@link #retry()} is what it is. */
    public String retryReason() {
        return retryReason;
    }

    /** Whether a removal (of a partition's range, of a Raft member) that answered this is complete. */
    public boolean removalComplete() {
        return this == OK || this == NOT_FOUND;
    }
}
