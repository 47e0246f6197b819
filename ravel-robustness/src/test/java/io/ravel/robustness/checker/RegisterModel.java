package io.ravel.robustness.checker;

import io.ravel.robustness.history.Op;

import java.util.Objects;

/**
 * One key of Ravel as a sequential object: its state is the stored JSON text, or null when the key is
 * absent. Put sets it; get reads it (404: absent); delete removes it (404: it was already absent).
 * An operation of unknown outcome is a write that may land: a put sets the value, a delete leaves the
 * key absent whichever answer it would have had.
 */
final class RegisterModel {

    private RegisterModel() {
    }

    /** Whether {@code op} may run on {@code state}; null result means it may not. */
    static Step step(String state, Op op) {
        return switch (op.kind()) {
            case PUT -> new Step(op.value());
            case GET -> switch (op.outcome()) {
                case OK -> Objects.equals(state, op.value()) ? new Step(state) : null;
                case NOT_FOUND -> state == null ? new Step(null) : null;
                default -> throw new IllegalArgumentException("a get without a definite answer: " + op);
            };
            case DELETE -> switch (op.outcome()) {
                case OK -> state != null ? new Step(null) : null;
                case NOT_FOUND -> state == null ? new Step(null) : null;
                case UNKNOWN -> new Step(null);
                case FAILED -> throw new IllegalArgumentException("a failed delete has no effect: " + op);
            };
        };
    }

    /** The state after a legal step ({@code state} null: the key is absent). */
    record Step(String state) {
    }
}
