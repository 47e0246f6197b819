package io.ravel.admin;

/**
 * A failure the admin reports to its caller, sorted by what the caller should do about it. The HTTP
 * edge ({@code http.ErrorMapping}) and the gRPC edge ({@code rpc.RavelClusterAdminService}) each map
 * {@link Reason} once.
 */
public final class AdminException extends RuntimeException {

    public enum Reason {
        /** The request is malformed; retrying it unchanged fails again. */
        BAD_REQUEST,
        /** The key, node or cluster does not exist. */
        NOT_FOUND,
        /** The body is larger than the admin accepts. */
        TOO_LARGE,
        /** The system state does not allow it (e.g. joining an existing cluster when there is none). */
        PRECONDITION,
        /** No cluster exists, or no leader answered within the deadline; retrying later may work. */
        UNAVAILABLE,
        /** A replica reported a storage failure. */
        INTERNAL
    }

    private final Reason reason;

    public AdminException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The AdminException behind {@code t} (unwrapping completion wrappers), or null. */
    public static AdminException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AdminException a) {
                return a;
            }
        }
        return null;
    }
}
