package io.ravel.robustness.system;

import io.ravel.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real daemon process, started as {@code [prefix...] bash -c "exec <command line>"}: the prefix
 * ({@code ip netns exec NS}) and {@code exec} both keep the PID, so the PID held is the JVM's own and
 * signals reach it directly. Its output is appended to one log file across restarts.
 */
public final class Daemon {

    private final String name;
    private final List<String> prefix;
    private final String commandLine;
    private final Path log;
    private final String readyLine;
    private Process process;

    Daemon(String name, List<String> prefix, String commandLine, Path log, String readyLine) {
        this.name = name;
        this.prefix = prefix;
        this.commandLine = commandLine;
        this.log = log;
        this.readyLine = readyLine;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Starts it (again): same command line, log appended to. */
    public Daemon start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== start: " + commandLine + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(List.of("bash", "-c", "exec " + commandLine));
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits for the readiness line printed after the latest start. */
    public Daemon awaitReady(Duration deadline) {
        Waits.until(deadline, name + " to print '" + readyLine + "' (log " + log + ")", () -> {
            if (!isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(3000));
            }
            return lastStart().contains(readyLine);
        });
        return this;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the process to exit by itself; its exit code, or null if it is still running. */
    public Integer awaitExit(Duration deadline) {
        try {
            return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A crash: SIGKILL (resuming it first if paused, so it dies now), then wait until it is gone. */
    public void sigkill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        signal("CONT");
        awaitExit(Duration.ofSeconds(30));
    }

    /** A long GC pause: SIGSTOP; {@link #resume()} sends SIGCONT. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The log since the latest start. */
    public String lastStart() {
        String text = readLog();
        int at = text.lastIndexOf("=== start: ");
        return at < 0 ? text : text.substring(at);
    }

    public String tail(int chars) {
        String text = readLog();
        return text.length() > chars ? text.substring(text.length() - chars) : text;
    }

    private String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
