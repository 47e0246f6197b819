package io.ravel.robustness.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small tmpfs mounted over a replica's storage dir, and a filler file that takes all its space. */
public final class Tmpfs {

    private static final String FILLER = "zz-filler";

    private Tmpfs() {
    }

    /** Why a tmpfs cannot be mounted here, or null when it can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the full-disk scenario mounts a tmpfs and needs root (running as " + System.getProperty("user.name") + ")";
        }
        try {
            Path probe = Files.createTempDirectory("ravel-tmpfs-probe");
            Shell.Result r = Shell.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString());
            Shell.run("umount", probe.toString());
            Files.deleteIfExists(probe);
            return r.ok() ? null : "cannot mount a tmpfs here: " + r.output();
        } catch (IOException e) {
            return "cannot mount a tmpfs here: " + e.getMessage();
        }
    }

    /** Moves the contents of {@code dir} onto a new tmpfs of {@code size} (as mount(8) takes it) at {@code dir}. */
    public static void moveOnto(Path dir, String size) {
        Path aside = dir.resolveSibling(dir.getFileName() + ".before-tmpfs");
        Shell.must("mv", dir.toString(), aside.toString());
        Shell.must("mkdir", dir.toString());
        Shell.must("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Shell.must("cp", "-a", aside + "/.", dir.toString());
        Shell.must("rm", "-rf", aside.toString());
    }

    /** Writes a file until the tmpfs is full. */
    public static void fill(Path dir) {
        // dd stops with "No space left on device": the exit code is expected to be non-zero.
        Shell.run("dd", "if=/dev/zero", "of=" + dir.resolve(FILLER), "bs=64k");
    }

    public static void free(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILLER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String usage(Path dir) {
        return Shell.run("df", "-h", dir.toString()).output();
    }

    /** Lazy unmount: a process still holding files there cannot keep it mounted. */
    public static void unmount(Path dir) {
        Shell.run("umount", "-l", dir.toString());
    }
}
