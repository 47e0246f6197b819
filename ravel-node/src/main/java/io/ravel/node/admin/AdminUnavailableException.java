package io.ravel.node.admin;

/** The cluster admin could not be reached (or refused) within the retry deadline; the message is one user-facing line. */
public final class AdminUnavailableException extends RuntimeException {
    public AdminUnavailableException(String message) {
        super(message);
    }
}
