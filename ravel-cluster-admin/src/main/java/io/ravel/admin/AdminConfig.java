package io.ravel.admin;

import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.HostPort;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything an {@link AdminServer} needs: where to serve HTTP and gRPC (port 0 picks a free port),
 * where to keep its state, and relocation settings.
 */
public record AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation) {

    public static final String DEFAULT_HTTP = "localhost:5000";
    public static final String DEFAULT_GRPC = "localhost:42000";
    public static final String DEFAULT_BACKUP_PATH = "~/ravel_admin";

    public AdminConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(backupPath, "backupPath");
        Objects.requireNonNull(relocation, "relocation");
    }

    public AdminConfig(HostPort http, HostPort grpc, Path backupPath) {
        this(http, grpc, backupPath, RelocationSettings.fromEnvironment());
    }
}
