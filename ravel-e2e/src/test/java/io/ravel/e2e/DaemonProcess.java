package io.ravel.e2e;

import io.ravel.testkit.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real daemon process (admin or replica) started through bash with the exact command line a user
 * would type, so shell quoting such as {@code -s="/tmp/x"} is exercised as written. {@code exec}
 * makes the JVM take over bash's PID, so the PID we hold is the daemon's own.
 */
final class DaemonProcess {

    private final String name;
    private final String commandLine;
    private final Path log;
    private Process process;

    DaemonProcess(String name, String commandLine, Path log) {
        this.name = name;
        this.commandLine = commandLine;
        this.log = log;
    }

    String name() {
        return name;
    }

    String commandLine() {
        return commandLine;
    }

    /** Starts the process (again, if it was stopped): same command line, log appended to. */
    DaemonProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== start: " + commandLine + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(List.of("bash", "-c", "exec " + commandLine))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until the log shows the daemon's readiness line after its latest start. */
    DaemonProcess awaitReady(String readyPrefix, Duration deadline) {
        return awaitOutput(readyPrefix, deadline);
    }

    /** Waits until a line of the log since the latest start contains {@code text}; fails if the daemon exits. */
    DaemonProcess awaitOutput(String text, Duration deadline) {
        Waits.until(deadline, name + " to print '" + text + "' (log " + log + ")", () -> {
            if (!isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            return lastStartSection().lines().anyMatch(l -> l.contains(text));
        });
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * A pause: SIGSTOP, then wait until the kernel shows the process stopped. It keeps its sockets; what
     * arrives for it (connections, requests, Raft messages) waits in the kernel until {@link #sigcont()}.
     */
    void sigstop() {
        signal("STOP");
        Waits.until(Duration.ofSeconds(30), name + " to be stopped", () -> state() == 'T');
    }

    /** Resumes a process paused by {@link #sigstop()}; does nothing if it is not stopped (or not running). */
    void sigcont() {
        if (!stopped()) {
            return;
        }
        signal("CONT");
        Waits.until(Duration.ofSeconds(30), name + " to run again", () -> !stopped());
    }

    /** Whether the process is alive and stopped by a signal. */
    boolean stopped() {
        return isAlive() && state() == 'T';
    }

    /** The process state letter of {@code /proc/PID/stat} (R, S, T, ...); '?' once it is gone. */
    private char state() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException gone) {
            return '?';
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A crash: SIGKILL, then wait for the process to be gone. */
    void sigkill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitExit();
    }

    /** A clean stop: SIGTERM, then SIGKILL if it has not exited in time. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        waitExit();
    }

    private void waitExit() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        String text = readLog();
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    private String lastStartSection() {
        String text = readLog();
        int at = text.lastIndexOf("=== start: ");
        return at < 0 ? text : text.substring(at);
    }

    private String readLog() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
