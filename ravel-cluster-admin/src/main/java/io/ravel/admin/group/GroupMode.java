package io.ravel.admin.group;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.ravel.admin.routing.OwnerLookup;
import io.ravel.admin.rpc.RavelClusterAdminService;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.OwnerTableReply;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.Void;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything an admin does differently in an admin group, for {@code AdminServer}: the replicated state,
 * the forwarding gRPC service, its role for the HTTP pages, and what it does on becoming the admin
 * leader (seed from a single admin's old state, then resume relocation).
 */
public final class GroupMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMode.class);
    private static final Duration OWNERS_CALL = Duration.ofSeconds(2);

    private final Path backupPath;
    private final AdminGroup group;
    private final AdminState state;
    private final GrpcChannels admins = new GrpcChannels();
    private final ExecutorService leadership = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ravel-admin-leadership");
        t.setDaemon(true);
        return t;
    });
    private MemberRegistrar registrar;

    public GroupMode(GroupConfig config, Path backupPath) {
        this.backupPath = backupPath;
        this.group = new AdminGroup(config, backupPath.resolve("raft"));
        this.state = new AdminState(group);
    }

    public AdminState state() {
        return state;
    }

    public AdminGroup group() {
        return group;
    }

    public AdminRole role() {
        return AdminRole.of(group, state);
    }

    public ServerServiceDefinition service(RavelClusterAdminService local) {
        return new ForwardingAdminService(local, state, group, admins).definition();
    }

    /**
     * Fetches the admin leader's owner table (GetOwners) for {@link OwnerLookup}: from the leader, or,
     * while this admin knows no leader, through the other admins in turn (a follower forwards it to its
     * leader). Completes with null when this admin leads, and fails when no admin answers in time.
     */
    public Supplier<CompletableFuture<OwnerLookup.Fetched>> leaderOwners() {
        return () -> {
            if (group.isLeader()) {
                return CompletableFuture.completedFuture(null);
            }
            List<String> targets = new ArrayList<>();
            String leader = ForwardingAdminService.leaderGrpcAddress(group, state);
            if (leader != null) {
                targets.add(leader);
            } else {
                String self = GroupConfig.key(group.config().raft());
                state.admins().stream().filter(a -> !a.raftAddress().equals(self))
                        .forEach(a -> targets.add(a.grpcAddress()));
            }
            return ownersFrom(targets, 0);
        };
    }

    private CompletableFuture<OwnerLookup.Fetched> ownersFrom(List<String> targets, int next) {
        if (next >= targets.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException(group.noLeaderMessage()));
        }
        CompletableFuture<OwnerLookup.Fetched> result = new CompletableFuture<>();
        RavelClusterAdminGrpc.newStub(admins.get(targets.get(next)))
                .withDeadlineAfter(OWNERS_CALL.toMillis(), TimeUnit.MILLISECONDS)
                .getOwners(Void.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(OwnerTableReply reply) {
                        List<String> owners = new ArrayList<>(reply.getOwnersCount());
                        for (String o : reply.getOwnersList()) {
                            owners.add(o.isEmpty() ? null : o);
                        }
                        result.complete(new OwnerLookup.Fetched(OwnerTable.of(owners), reply.getOwnerEpoch(),
                                reply.getLeadersList()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        ownersFrom(targets, next + 1).whenComplete((f, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(f);
                            }
                        });
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(null);
                    }
                });
        return result;
    }

    /**
     * Starts this admin's Raft node; it replays the log into the state. {@code onLeaderStart} runs (on its
     * own thread) each time this admin becomes the admin leader, after the state is seeded if it must be.
     */
    public void start(Runnable onLeaderStart) {
        SingleAdminSeed seed = new SingleAdminSeed(backupPath);
        group.start(state, new AdminStateMachine.LeadershipListener() {
            @Override
            public void onLeaderStart(long term) {
                try {
                    seed.seedIfNeeded(state);
                } catch (RuntimeException e) {
                    LOG.warn("could not move the single admin's state into the group yet: {}", e.getMessage());
                }
                onLeaderStart.run();
            }

            @Override
            public void onLeaderStop() {
                // The relocator stops by itself: it checks before every move that this admin still leads.
            }
        }, leadership);
    }

    /** Once HTTP and gRPC are bound: keep this admin's addresses in the group's admin list. */
    public void serving(String httpAddress, String grpcAddress) {
        registrar = new MemberRegistrar(state, group, admins, httpAddress, grpcAddress);
        registrar.start();
    }

    @Override
    public void close() {
        if (registrar != null) {
            registrar.close();
        }
        group.close();
        leadership.shutdownNow();
        admins.close();
    }
}
