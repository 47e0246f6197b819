package io.ravel.admin;

import io.ravel.common.Outcome;

/**
 * A failure the admin reports to its caller: an {@link Outcome} (which decides the HTTP status) with a
 * message for the caller, and its coarse {@link Reason}. The HTTP edge ({@code http.ErrorMapping}) and
 * the gRPC edge ({@code rpc.RavelClusterAdminService}) each map it once.
 */
public final class AdminException extends RuntimeException {

    /** What the caller should do about the failure; each reason stands for one outcome of the table. */
    public enum Reason {
        /** The request is malformed; retrying it unchanged fails again. */
        BAD_REQUEST(Outcome.INVALID),
        /** The key, node or cluster does not exist. */
        NOT_FOUND(Outcome.NOT_FOUND),
        /** The body is larger than the admin accepts. */
        TOO_LARGE(Outcome.TOO_LARGE),
        /** The system state does not allow it (e.g. joining an existing cluster when there is none). */
        PRECONDITION(Outcome.PRECONDITION),
        /** No cluster exists, or no leader answered within the deadline; retrying later may work. */
        UNAVAILABLE(Outcome.UNAVAILABLE),
        /** A replica reported a storage failure, or a call to it failed for good. */
        INTERNAL(Outcome.INTERNAL);

        private final Outcome outcome;

        Reason(Outcome outcome) {
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }

        /** The reason a caller is given for {@code outcome}: the one whose HTTP status it shares. */
        public static Reason of(Outcome outcome) {
            for (Reason r : values()) {
                if (r.outcome.httpStatus() == outcome.httpStatus()) {
                    return r;
                }
            }
            return INTERNAL;
        }
    }

    private final Reason reason;
    private final Outcome outcome;

    public AdminException(Reason reason, String message) {
        this(reason, reason.outcome(), message);
    }

    public AdminException(Outcome outcome, String message) {
        this(Reason.of(outcome), outcome, message);
    }

    private AdminException(Reason reason, Outcome outcome, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.outcome = outcome;
    }

    public Reason reason() {
        return reason;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The AdminException behind {@code t} (unwrapping completion wrappers), or null. */
    public static AdminException find(Throwable t) {
        return t != null && Outcome.unwrap(t) instanceof AdminException a ? a : null;
    }
}
