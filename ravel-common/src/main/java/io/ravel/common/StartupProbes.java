package io.ravel.common;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checks both daemons make before they serve: can a listener bind this address, can files be
 * written in this directory, and why did a listener fail to bind. Each answer is a short reason fit
 * for the one line a user sees; the caller says which flag it is about.
 */
public final class StartupProbes {

    public static final String IN_USE = "the address is already in use";
    public static final String UNKNOWN_HOST = "unknown host";

    private StartupProbes() {
    }

    /**
     * Why nothing could listen on {@code address} now, or empty when something could. The probe
     * binds and releases the address at once; port 0 (any free port) is never refused.
     */
    public static Optional<String> whyCannotListen(HostPort address) {
        if (address.port() == 0) {
            return Optional.empty();
        }
        InetSocketAddress socketAddress = new InetSocketAddress(address.ipHost(), address.port());
        if (socketAddress.isUnresolved()) {
            return Optional.of(UNKNOWN_HOST);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(socketAddress);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return Optional.of(bindFailure(e));
        }
    }

    /**
     * One reason for a listener that failed to bind, whatever layer reported it (the JDK, gRPC's
     * Netty, Jetty): "already in use", "unknown host", or the first line of the deepest message.
     */
    public static String bindFailure(Throwable failure) {
        String deepest = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("already in use") || message.contains("Failed to bind")
                    || (t instanceof BindException && message.contains("in use"))) {
                return IN_USE;
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return UNKNOWN_HOST;
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String reason = deepest == null ? failure.getClass().getSimpleName() : deepest;
        return "cannot listen on this address (" + reason.lines().findFirst().orElse(reason) + ")";
    }

    /**
     * Why {@code dir} cannot hold a daemon's files, or empty when it can: it is created when missing,
     * must be a directory, and a file must be creatable and deletable in it. The reason starts with a
     * verb, to follow the directory's name ("is not a directory", "cannot be created: ...").
     */
    public static Optional<String> whyNotWritableDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Optional.of("exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            return Optional.of("cannot be created: " + fileReason(e));
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of("is not a directory");
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("is not writable: " + fileReason(e));
        }
    }

    private static String fileReason(Exception e) {
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file with that name exists";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
