package io.ravel.admin;

import io.ravel.admin.group.GroupConfig;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.HostPort;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything an {@link AdminServer} needs: where to serve HTTP and gRPC (port 0 picks a free port),
 * where to keep its state, relocation settings, and the admin group it belongs to ({@code group} is null
 * for a single admin).
 */
public record AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation,
                          GroupConfig group) {

    public static final String DEFAULT_HTTP = "localhost:5000";
    public static final String DEFAULT_GRPC = "localhost:42000";
    public static final String DEFAULT_BACKUP_PATH = "~/ravel_admin";

    public AdminConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(backupPath, "backupPath");
        Objects.requireNonNull(relocation, "relocation");
    }

    public AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation) {
        this(http, grpc, backupPath, relocation, null);
    }

    public AdminConfig(HostPort http, HostPort grpc, Path backupPath) {
        this(http, grpc, backupPath, RelocationSettings.fromEnvironment());
    }
}
