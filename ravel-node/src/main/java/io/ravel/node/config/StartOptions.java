package io.ravel.node.config;

import io.ravel.common.HostPort;
import io.ravel.common.UserPaths;
import io.ravel.node.raft.RaftSettings;

import java.nio.file.Path;

/**
 * The settings of {@code ravel_node start} as the user gave them (null = not given): flags first,
 * then the YAML file, then the defaults. {@link #resolve()} checks every value and builds the
 * {@link NodeConfig}.
 */
public record StartOptions(String storageDir, String grpcAddress, String raftAddress, String adminAddress,
                           Boolean leader, String yamlFile, String metricsAddress) {

    public StartOptions(String storageDir, String grpcAddress, String raftAddress, String adminAddress,
                        Boolean leader, String yamlFile) {
        this(storageDir, grpcAddress, raftAddress, adminAddress, leader, yamlFile, null);
    }

    public NodeConfig resolve() {
        YamlSettings yaml = yamlFile == null ? YamlSettings.empty() : YamlSettings.read(path(yamlFile, "--yaml"));
        String dir = pick(storageDir, yaml.text("storagedir"), NodeConfig.DEFAULT_STORAGE_DIR);
        String grpc = address(pick(grpcAddress, yaml.text("grpcaddr"), NodeConfig.DEFAULT_GRPC_ADDRESS), "--grpcaddr");
        String raft = address(pick(raftAddress, yaml.text("raftaddr"), NodeConfig.DEFAULT_RAFT_ADDRESS), "--raftaddr");
        String admin = addressList(pick(adminAddress, yaml.text("adminrpcaddr"), NodeConfig.DEFAULT_ADMIN_ADDRESS), "--adminrpcaddr");
        String metricsRaw = metricsAddress != null ? unquote(metricsAddress) : yaml.text("metricsaddr");
        String metrics = metricsRaw == null ? null : address(metricsRaw, "--metrics");
        boolean lead = leader != null ? leader : Boolean.TRUE.equals(yaml.bool("leader"));
        int election = positive(yaml.integer("electionTimeoutMs"), RaftSettings.DEFAULT_ELECTION_TIMEOUT_MS, "electionTimeoutMs", 100);
        Integer snapshotRaw = yaml.integer("snapshotIntervalSecs");
        int snapshot = snapshotRaw == null ? RaftSettings.DEFAULT_SNAPSHOT_INTERVAL_SECS : snapshotRaw;
        if (snapshot < 0) {
            throw new ConfigException("--yaml: snapshotIntervalSecs must be 0 (off) or more, not " + snapshot);
        }
        int requestTimeout = positive(yaml.integer("requestTimeoutMs"), NodeConfig.DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs", 100);
        if (sameEndpoint(grpc, raft)) {
            throw new ConfigException("--grpcaddr and --raftaddr must differ (both are " + grpc + ")");
        }
        if (metrics != null && (sameEndpoint(metrics, grpc) || sameEndpoint(metrics, raft))) {
            throw new ConfigException("--metrics must differ from --grpcaddr and --raftaddr (it is " + metrics + ")");
        }
        return new NodeConfig(path(dir, "--storagedir"), grpc, raft, admin, lead, new RaftSettings(election, snapshot),
                requestTimeout, metrics);
    }

    private static String pick(String flag, String yaml, String fallback) {
        if (flag != null) {
            return unquote(flag);
        }
        return yaml != null ? yaml : fallback;
    }

    /** Strips one pair of surrounding quotes a caller without a shell may have left on a value. */
    public static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** {@code value} as a checked host:port; {@link ConfigException} naming {@code flag} otherwise. */
    public static String checkedAddress(String value, String flag) {
        return address(value, flag);
    }

    /**
     * A comma-separated list of host:port (one admin, or every admin of an admin group), each checked;
     * {@link ConfigException} naming {@code flag} otherwise.
     */
    public static String addressList(String value, String flag) {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new ConfigException(flag + ": empty address in the list '" + value + "'");
            }
            list.add(address(part.trim(), flag));
        }
        return String.join(",", list);
    }

    static String address(String value, String flag) {
        try {
            return HostPort.parse(value, flag).toString();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    static Path path(String value, String flag) {
        try {
            return UserPaths.expand(unquote(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + ": " + e.getMessage());
        }
    }

    private static int positive(Integer value, int fallback, String key, int min) {
        if (value == null) {
            return fallback;
        }
        if (value < min) {
            throw new ConfigException("--yaml: " + key + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    static boolean sameEndpoint(String a, String b) {
        HostPort x = HostPort.parse(a, "address");
        HostPort y = HostPort.parse(b, "address");
        return x.port() == y.port() && (x.ipHost().equals(y.ipHost()) || x.ipHost().equals("0.0.0.0") || y.ipHost().equals("0.0.0.0"));
    }
}
