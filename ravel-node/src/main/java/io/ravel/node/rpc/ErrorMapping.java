package io.ravel.node.rpc;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.ravel.common.Outcome;
import io.ravel.node.raft.NotLeaderException;
import io.ravel.node.raft.UnavailableException;
import io.ravel.node.raft.WrongOwnerException;
import io.ravel.node.storage.StorageException;
import io.ravel.proto.Response;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where the replica's failures become wire answers, through the {@link Outcome} table: a
 * {@link Response} code for unary RPCs, a gRPC status for the streamed scan.
 *
 * <p>For {@code ScanPartition}, "not leader" is {@code FAILED_PRECONDITION} with the trailer
 * {@value #LEADER_TRAILER} holding the leader's gRPC address when known.
 */
final class ErrorMapping {

    /** Trailer of a not-leader scan failure: the leader's RavelNode address. */
    static final String LEADER_TRAILER = "ravel-leader-grpc-address";
    static final Metadata.Key<String> LEADER_KEY = Metadata.Key.of(LEADER_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

    private ErrorMapping() {
    }

    static Throwable unwrap(Throwable t) {
        return Outcome.unwrap(t);
    }

    static Response invalid(String message) {
        return Response.newBuilder().setCode(Outcome.INVALID.code()).setMessage(message).build();
    }

    /** The fence's refusal: the cluster does not own {@code partition}; it is at ownership {@code epoch}. */
    static Response wrongOwner(int partition, long epoch) {
        return Response.newBuilder().setCode(Outcome.WRONG_OWNER.code()).setOwnerEpoch(epoch)
                .setMessage("this cluster does not own partition " + partition + " (ownership epoch " + epoch + ")").build();
    }

    static Response toResponse(Throwable error) {
        Throwable t = unwrap(error);
        Response.Builder b = Response.newBuilder();
        if (t instanceof NotLeaderException nl) {
            b.setCode(Outcome.NOT_LEADER.code()).setMessage(nl.getMessage());
            if (nl.leaderGrpcAddress() != null) {
                b.setLeaderGrpcAddress(nl.leaderGrpcAddress());
            }
        } else if (t instanceof WrongOwnerException wo) {
            return wrongOwner(wo.partition(), wo.epoch());
        } else if (t instanceof UnavailableException) {
            b.setCode(Outcome.UNAVAILABLE.code()).setMessage(t.getMessage());
        } else if (t instanceof TimeoutException) {
            b.setCode(Outcome.UNAVAILABLE.code()).setMessage("Raft did not answer in time (the outcome of a write is unknown)");
        } else if (t instanceof IllegalArgumentException) {
            b.setCode(Outcome.INVALID.code()).setMessage(String.valueOf(t.getMessage()));
        } else if (t instanceof StorageException) {
            b.setCode(Outcome.INTERNAL.code()).setMessage("storage: " + t.getMessage());
        } else {
            b.setCode(Outcome.INTERNAL.code()).setMessage(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return b.build();
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof NotLeaderException nl) {
            Metadata trailers = new Metadata();
            if (nl.leaderGrpcAddress() != null) {
                trailers.put(LEADER_KEY, nl.leaderGrpcAddress());
            }
            return Outcome.NOT_LEADER.grpcStatus().withDescription("NOT_LEADER: " + nl.getMessage()).asRuntimeException(trailers);
        }
        if (t instanceof UnavailableException || t instanceof TimeoutException) {
            return Outcome.UNAVAILABLE.grpcStatus().withDescription(String.valueOf(t.getMessage())).asRuntimeException();
        }
        if (t instanceof IllegalArgumentException) {
            return Outcome.INVALID.grpcStatus().withDescription(t.getMessage()).asRuntimeException();
        }
        if (t instanceof CancellationException) {
            return Outcome.GRPC_CANCELLED.grpcStatus().withDescription("scan cancelled").asRuntimeException();
        }
        return Outcome.INTERNAL.grpcStatus().withDescription(t.getClass().getSimpleName() + ": " + t.getMessage()).asRuntimeException();
    }
}
