package io.ravel.admin;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ravel.common.GrpcLimits;
import io.ravel.admin.group.AdminRole;
import io.ravel.admin.group.GroupMode;
import io.ravel.admin.http.HttpApi;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.ClusterRegistry;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.placement.ReplicaProbes;
import io.ravel.admin.relocation.PartitionGate;
import io.ravel.admin.relocation.Relocator;
import io.ravel.admin.routing.BatchRouter;
import io.ravel.admin.routing.KvRouter;
import io.ravel.admin.routing.OwnerLookup;
import io.ravel.admin.routing.ScanRouter;
import io.ravel.admin.rpc.RavelClusterAdminService;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminStateStore;
import io.ravel.admin.state.StateStoreException;
import io.ravel.common.GrpcChannels;
import io.ravel.common.HostPort;
import io.ravel.common.StartupProbes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One embeddable ravel_cluster_admin: built from an {@link AdminConfig}, {@link #start()} opens the
 * state under the backup path, binds HTTP and gRPC and resumes any unfinished relocation;
 * {@link #stop()} releases everything. The CLI and the tests use it the same way.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminConfig config;
    private AdminStateStore store;
    private ScheduledExecutorService scheduler;
    private ReplicaProbes probes;
    private NodeClient nodes;
    private LeaderTracker leaders;
    private Relocator relocator;
    private HttpApi http;
    private Server grpc;
    private AdminState state;
    private GroupMode groupMode;

    public AdminServer(AdminConfig config) {
        this.config = config;
    }

    /**
     * Starts serving. On failure everything opened so far is closed and an {@link AdminStartException}
     * with a one-line reason is thrown.
     */
    public synchronized AdminServer start() {
        try {
            // Checked first so that a mistake in the addresses leaves the backup path untouched.
            ensureFree(config.http(), "HTTP");
            ensureFree(config.grpc(), "gRPC");
            if (config.group() != null) {
                ensureFree(config.group().raft(), "Raft");
            }
            Path dir = prepareBackupPath(config.backupPath());
            if (config.group() == null) {
                store = AdminStateStore.open(dir);
                state = new AdminState(store);
            } else {
                groupMode = new GroupMode(config.group(), dir);
                state = groupMode.state();
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ravel-admin-retry");
                t.setDaemon(true);
                return t;
            });
            nodes = new NodeClient(new GrpcChannels());
            ClusterRegistry registry = new ClusterRegistry(state);
            leaders = new LeaderTracker(registry, nodes, scheduler);
            PartitionGate gate = new PartitionGate();
            relocator = new Relocator(state, leaders, nodes, gate, config.relocation());
            Membership membership = new Membership(state, registry, leaders, relocator, nodes);
            RavelClusterAdminService service = new RavelClusterAdminService(membership, state);
            AdminRole role = groupMode == null ? AdminRole.single(this::httpAddress, this::grpcAddress) : groupMode.role();
            if (groupMode != null) {
                Relocator resumer = relocator;
                groupMode.start(resumer::start);
            }
            probes = new ReplicaProbes(state, nodes, scheduler);
            OwnerLookup owners = new OwnerLookup(state, groupMode == null ? null : groupMode.leaderOwners(), leaders::hint);
            http = new HttpApi(new KvRouter(owners, gate, leaders, nodes), state, leaders, role, probes,
                    config.maxRequestBytes());
            http.bulk(new BatchRouter(owners, gate, leaders, nodes), new ScanRouter(owners, gate, leaders, nodes));
            http.start(config.http());
            grpc = startGrpc(config.grpc(), groupMode == null ? service.bindService() : groupMode.service(service));
            if (groupMode == null) {
                relocator.start();
            } else {
                groupMode.serving(httpAddress(), grpcAddress());
            }
            LOG.info("admin state in {}: {} clusters{}", dir, state.clusterCount(),
                    groupMode == null ? "" : " (admin group of " + config.group().peers().size() + ")");
            return this;
        } catch (AdminStartException e) {
            stop();
            throw e;
        } catch (StateStoreException | IllegalStateException e) {
            stop();
            throw new AdminStartException(e.getMessage(), e);
        }
    }

    /** host:port the HTTP API listens on (the real port when configured with port 0). */
    public String httpAddress() {
        return config.http().host() + ":" + http.port();
    }

    /** host:port the gRPC service listens on (the real port when configured with port 0). */
    public String grpcAddress() {
        return config.grpc().host() + ":" + grpc.getPort();
    }

    public synchronized void stop() {
        if (relocator != null) {
            relocator.close();
            relocator = null;
        }
        if (http != null) {
            quietly(http::stop);
            http = null;
        }
        if (grpc != null) {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc = null;
        }
        if (probes != null) {
            probes.close();
            probes = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (leaders != null) {
            leaders.close();
            leaders = null;
        }
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
        if (groupMode != null) {
            groupMode.close();
            groupMode = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static Server startGrpc(HostPort address, ServerServiceDefinition service) {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(address.ipHost(), address.port()))
                .addService(service)
                .permitKeepAliveTime(GrpcLimits.PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .build();
        try {
            return server.start();
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            throw new AdminStartException("cannot serve gRPC on " + address + ": " + StartupProbes.bindFailure(e), e);
        }
    }

    /** Fails with a one-line reason if nothing could listen on {@code address} now. */
    private static void ensureFree(HostPort address, String what) {
        StartupProbes.whyCannotListen(address).ifPresent(why -> {
            throw new AdminStartException("cannot serve " + what + " on " + address + ": " + why, null);
        });
    }

    private static Path prepareBackupPath(Path dir) {
        StartupProbes.whyNotWritableDir(dir).ifPresent(why -> {
            throw new AdminStartException("backup path " + dir + " " + why, null);
        });
        return dir;
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("ignored while stopping: {}", e.toString());
        }
    }

    /** The admin could not start; the message is one line fit for a user. */
    public static final class AdminStartException extends RuntimeException {
        public AdminStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
