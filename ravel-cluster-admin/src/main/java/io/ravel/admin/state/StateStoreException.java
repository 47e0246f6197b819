package io.ravel.admin.state;

/** The admin's state directory could not be opened, read or written. */
public final class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
