package io.ravel.node.config;

/** A mistake in the replica's settings or storage dir; its message is one line fit to show the user. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
