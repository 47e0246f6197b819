package io.ravel.admin.http;

import io.ravel.admin.AdminException;

/** The one table from {@link AdminException.Reason} to HTTP status codes. */
final class ErrorMapping {

    private ErrorMapping() {
    }

    static int status(AdminException.Reason reason) {
        return switch (reason) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case PRECONDITION -> 409;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
