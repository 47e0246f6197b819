package io.ravel.admin;

import io.ravel.admin.group.GroupConfig;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.GrpcLimits;
import io.ravel.common.HostPort;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything an {@link AdminServer} needs: where to serve HTTP and gRPC (port 0 picks a free port),
 * where to keep its state, relocation settings, the largest request body it accepts, and the admin
 * group it belongs to ({@code group} is null for a single admin).
 */
public record AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation,
                          int maxRequestBytes, GroupConfig group) {

    public static final String DEFAULT_HTTP = "localhost:5000";
    public static final String DEFAULT_GRPC = "localhost:42000";
    public static final String DEFAULT_BACKUP_PATH = "~/ravel_admin";
    /**
     * 1.5 MiB, etcd's request limit: a 1 MiB value fits with room for its key and JSON framing, while
     * one request cannot make the admin buffer an unbounded body.
     */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    /** The smallest --maxRequestBytes: below it even a short key with a small value would be refused. */
    public static final int MIN_MAX_REQUEST_BYTES = 1024;
    /** The largest --maxRequestBytes: a value must fit in one gRPC message to its replica, alone. */
    public static final int MAX_MAX_REQUEST_BYTES = GrpcLimits.MAX_VALUE_BYTES;

    public AdminConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(backupPath, "backupPath");
        Objects.requireNonNull(relocation, "relocation");
        if (maxRequestBytes < MIN_MAX_REQUEST_BYTES || maxRequestBytes > MAX_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("--maxRequestBytes: " + maxRequestBytes + " is outside "
                    + MIN_MAX_REQUEST_BYTES + ".." + MAX_MAX_REQUEST_BYTES);
        }
    }

    /** A single admin with the default request limit. */
    public AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation) {
        this(http, grpc, backupPath, relocation, DEFAULT_MAX_REQUEST_BYTES, null);
    }

    /** A single admin with the given request limit. */
    public AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation,
                       int maxRequestBytes) {
        this(http, grpc, backupPath, relocation, maxRequestBytes, null);
    }

    /** A member of an admin group ({@code group} null: a single admin) with the default request limit. */
    public AdminConfig(HostPort http, HostPort grpc, Path backupPath, RelocationSettings relocation,
                       GroupConfig group) {
        this(http, grpc, backupPath, relocation, DEFAULT_MAX_REQUEST_BYTES, group);
    }

    public AdminConfig(HostPort http, HostPort grpc, Path backupPath) {
        this(http, grpc, backupPath, RelocationSettings.fromEnvironment());
    }
}
