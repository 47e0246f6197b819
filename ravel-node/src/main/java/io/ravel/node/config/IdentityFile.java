package io.ravel.node.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code replica.yaml}, the identity file of a storage dir. Keys: {@code nodeId},
 * {@code clusterId}, {@code grpcAddress}, {@code raftAddress}, {@code founder}, {@code adminAddress}. Written atomically
 * (temp file + rename).
 */
public final class IdentityFile {

    public static final String FILE_NAME = "replica.yaml";

    private IdentityFile() {
    }

    public static Path in(Path storageDir) {
        return storageDir.resolve(FILE_NAME);
    }

    public static boolean exists(Path storageDir) {
        return Files.isRegularFile(in(storageDir));
    }

    /** The identity stored in {@code storageDir}; {@link ConfigException} when it is missing or malformed. */
    public static ReplicaIdentity read(Path storageDir) {
        Path file = in(storageDir);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(storageDir + " is not a Ravel replica dir (no " + FILE_NAME + ")");
        }
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new ConfigException(file + " is not a replica identity file");
        }
        String nodeId = text(map, "nodeId", file);
        String clusterId = text(map, "clusterId", file);
        String grpc = text(map, "grpcAddress", file);
        String raft = text(map, "raftAddress", file);
        boolean founder = Boolean.TRUE.equals(map.get("founder"));
        Object admin = map.get("adminAddress");
        return new ReplicaIdentity(nodeId, clusterId, grpc, raft, founder, admin == null ? "" : admin.toString());
    }

    private static String text(Map<?, ?> map, String key, Path file) {
        Object v = map.get(key);
        if (v == null || v.toString().isBlank()) {
            throw new ConfigException(file + " has no " + key);
        }
        return v.toString();
    }

    public static void write(Path storageDir, ReplicaIdentity identity) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("nodeId", identity.nodeId());
        map.put("clusterId", identity.clusterId());
        map.put("grpcAddress", identity.grpcAddress());
        map.put("raftAddress", identity.raftAddress());
        map.put("founder", identity.founder());
        map.put("adminAddress", identity.adminAddress());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String text = "# Identity of this Ravel replica. Do not edit: the cluster knows it by these values.\n"
                + new Yaml(options).dump(map);
        Path file = in(storageDir);
        Path tmp = storageDir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(storageDir);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
