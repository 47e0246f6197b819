package io.ravel.node.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a {@code -y FILE}: the same keys as the flags ({@code storagedir}, {@code grpcaddr},
 * {@code raftaddr}, {@code adminrpcaddr}, {@code leader}, {@code metricsaddr}) plus the Raft tuning keys
 * {@code electionTimeoutMs}, {@code snapshotIntervalSecs} and {@code requestTimeoutMs}. Unknown keys
 * and wrong types are errors.
 */
public final class YamlSettings {

    public static final Set<String> KEYS = Set.of("storagedir", "grpcaddr", "raftaddr", "adminrpcaddr", "leader",
            "metricsaddr", "electionTimeoutMs", "snapshotIntervalSecs", "requestTimeoutMs");

    private final Map<String, Object> values;
    private final Path file;

    private YamlSettings(Path file, Map<String, Object> values) {
        this.file = file;
        this.values = values;
    }

    public static YamlSettings empty() {
        return new YamlSettings(null, Map.of());
    }

    public static YamlSettings read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--yaml: " + file + " does not exist or is not a file");
        }
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("--yaml: cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException("--yaml: " + file + " is not valid YAML: " + oneLine(e.getMessage()));
        }
        if (loaded == null) {
            return new YamlSettings(file, Map.of());
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new ConfigException("--yaml: " + file + " must hold key: value lines");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!KEYS.contains(key)) {
                throw new ConfigException("--yaml: unknown key '" + key + "' in " + file + " (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
            values.put(key, e.getValue());
        }
        return new YamlSettings(file, values);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** The text value of {@code key}, or null when absent. */
    public String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof Iterable) {
            throw new ConfigException("--yaml: " + key + " in " + file + " must be a single value");
        }
        return v.toString();
    }

    /** The boolean value of {@code key}, or null when absent. */
    public Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException("--yaml: " + key + " in " + file + " must be true or false, not '" + v + "'");
    }

    /** The integer value of {@code key}, or null when absent. */
    public Integer integer(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("--yaml: " + key + " in " + file + " must be a whole number, not '" + v + "'");
        }
    }
}
