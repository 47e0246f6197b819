package io.ravel.node.raft;

/** Raft could not complete the request now (no quorum, shutting down, timed out); a retry may succeed. */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}
