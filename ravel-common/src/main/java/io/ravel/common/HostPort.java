package io.ravel.common;

import java.util.Objects;

/**
 * A validated {@code host:port} address as given on the command line ("localhost:50000",
 * "127.0.0.1:60000"). Parsing never throws anything but {@link IllegalArgumentException} with a
 * message fit to show a user.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /** Parses {@code host:port}; {@code what} names the flag in the error message. */
    public static HostPort parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + ": an address is required (host:port)");
        }
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": port " + port + " is outside 1..65535");
        }
        return new HostPort(host, port);
    }

    /**
     * The host with "localhost" resolved to 127.0.0.1. SOFAJRaft peer ids must be IP literals or
     * resolvable names; loopback is the common case, so it is spelled out once here.
     */
    public String ipHost() {
        return "localhost".equalsIgnoreCase(host) ? "127.0.0.1" : host;
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
