package io.ravel.node.config;

import io.ravel.common.HostPort;
import io.ravel.common.StartupProbes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code ravel_node start} checks before it contacts anyone: the storage dir is usable,
 * no other replica process runs from it, its identity agrees with the flags, and its ports are free.
 * Each failure is a {@link ConfigException} with one line for the user.
 */
public final class StartupChecks {

    private StartupChecks() {
    }

    /** Runs every check; returns the identity already in the dir, if any. */
    public static Optional<ReplicaIdentity> check(NodeConfig config) {
        Path dir = config.storageDir();
        usableDir(dir);
        runningPid(config.pidFile()).ifPresent(pid -> {
            throw new ConfigException("a replica is already running from " + dir + " (pid " + pid + ")");
        });
        Optional<ReplicaIdentity> identity = IdentityFile.exists(dir) ? Optional.of(IdentityFile.read(dir)) : Optional.empty();
        identity.ifPresent(id -> agrees(id, config));
        free(config.grpcAddress(), "--grpcaddr");
        free(config.raftAddress(), "--raftaddr");
        if (config.metricsAddress() != null) {
            free(config.metricsAddress(), "--metrics");
        }
        return identity;
    }

    static void usableDir(Path dir) {
        StartupProbes.whyNotWritableDir(dir).ifPresent(why -> {
            throw new ConfigException("--storagedir: " + dir + " " + why);
        });
    }

    private static void agrees(ReplicaIdentity id, NodeConfig config) {
        if (!StartOptions.sameEndpoint(id.grpcAddress(), config.grpcAddress())
                || !StartOptions.sameEndpoint(id.raftAddress(), config.raftAddress())) {
            throw new ConfigException(config.storageDir() + " holds replica " + id.nodeId() + " of cluster " + id.clusterId()
                    + " with grpc " + id.grpcAddress() + " and raft " + id.raftAddress()
                    + "; start it with those addresses (or use another --storagedir)");
        }
    }

    private static void free(String address, String flag) {
        HostPort hp = HostPort.parse(address, flag);
        StartupProbes.whyCannotListen(hp).ifPresent(why -> {
            throw new ConfigException(flag + ": cannot listen on " + address + ": " + why);
        });
    }

    /** The PID in {@code pidFile} when that process is alive and is not this one. */
    public static Optional<Long> runningPid(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
            if (pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(StartupChecks::looksLikeRavel).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Guards against a recycled PID (after a crash the file stays behind): the process must be a Ravel
     * JVM, unless the system does not tell what it runs.
     */
    private static boolean looksLikeRavel(ProcessHandle p) {
        Optional<String> commandLine = p.info().commandLine();
        return commandLine.isEmpty() || commandLine.get().contains("ravel");
    }
}
