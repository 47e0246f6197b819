package io.ravel.common;

import java.nio.file.Path;

/** Turns a path as a user typed it (possibly quoted, possibly starting with {@code ~}) into a Path. */
public final class UserPaths {

    private UserPaths() {
    }

    /** Expands a leading {@code ~} or {@code ~/} to the user's home and makes the path absolute. */
    public static Path expand(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("a path is required");
        }
        String p = raw.trim();
        if (p.equals("~")) {
            p = System.getProperty("user.home");
        } else if (p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return Path.of(p).toAbsolutePath().normalize();
    }
}
