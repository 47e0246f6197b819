package io.ravel.admin.http;

import io.ravel.admin.AdminException;

/** The HTTP status of a failed request: the one its {@link io.ravel.common.Outcome} names. */
final class ErrorMapping {

    private ErrorMapping() {
    }

    static int status(AdminException e) {
        return e.outcome().httpStatus();
    }
}
