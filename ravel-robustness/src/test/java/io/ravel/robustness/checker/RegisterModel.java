package io.ravel.robustness.checker;

import io.ravel.robustness.history.Op;

import java.util.Objects;

/**
 * One key of Ravel as a sequential object: its state is the stored JSON text, or null when the key is
 * absent. Put sets it; get reads it (404: absent); delete removes it (404: it was already absent).
 * An operation of unknown outcome is a write that may land: a put sets the value, a delete leaves the
 * key absent whichever answer it would have had.
 *
 * <p>With {@code exactDeleteNotFound} false, a delete answered 404 only says the key is absent once it
 * returns: an admin that retries a delete whose first attempt was applied answers 404 for a delete that
 * took place, and this reading accepts that answer while still checking everything else.
 */
final class RegisterModel {

    private RegisterModel() {
    }

    /** Whether {@code op} may run on {@code state}; null result means it may not. */
    static Step step(String state, Op op, boolean exactDeleteNotFound) {
        return switch (op.kind()) {
            case PUT -> new Step(op.value());
            case GET -> switch (op.outcome()) {
                case OK -> Objects.equals(state, op.value()) ? new Step(state) : null;
                case NOT_FOUND -> state == null ? new Step(null) : null;
                default -> throw new IllegalArgumentException("a get without a definite answer: " + op);
            };
            case DELETE -> switch (op.outcome()) {
                case OK -> state != null ? new Step(null) : null;
                case NOT_FOUND -> state == null || !exactDeleteNotFound ? new Step(null) : null;
                case UNKNOWN -> new Step(null);
                case FAILED -> throw new IllegalArgumentException("a failed delete has no effect: " + op);
            };
        };
    }

    /** The state after a legal step ({@code state} null: the key is absent). */
    record Step(String state) {
    }
}
