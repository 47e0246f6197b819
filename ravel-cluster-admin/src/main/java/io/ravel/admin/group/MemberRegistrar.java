package io.ravel.admin.group;

import io.ravel.admin.state.AdminMember;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.StateChange;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.RavelClusterAdminGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this admin's entry (Raft, HTTP and gRPC addresses) in the group's replicated admin list: the
 * leader writes its own, a follower sends RegisterAdmin to the leader. Followers find the leader's gRPC
 * address there to forward changes to it, and GET /clusters shows the list. Checks once a second on its
 * own thread; a check costs nothing once the entry is there.
 */
public final class MemberRegistrar implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberRegistrar.class);
    private static final long PERIOD_MS = 500;
    private static final long CALL_TIMEOUT_MS = 2000;

    private final AdminState state;
    private final AdminGroup group;
    private final GrpcChannels channels;
    private final AdminMember self;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ravel-admin-registrar");
        t.setDaemon(true);
        return t;
    });

    public MemberRegistrar(AdminState state, AdminGroup group, GrpcChannels channels, String httpAddress,
                           String grpcAddress) {
        this.state = state;
        this.group = group;
        this.channels = channels;
        this.self = new AdminMember(GroupConfig.key(group.config().raft()), httpAddress, grpcAddress);
    }

    public AdminMember self() {
        return self;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::check, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (state.admin(self.raftAddress()).filter(self::equals).isPresent()) {
            return;
        }
        try {
            if (group.isLeader()) {
                state.commit(new StateChange().putAdmin(self));
                LOG.info("admin {} recorded in the admin group (http {}, grpc {})", self.raftAddress(),
                        self.httpAddress(), self.grpcAddress());
                return;
            }
            String leader = group.leaderRaftAddress();
            Optional<String> leaderGrpc = leader == null ? Optional.empty()
                    : state.admin(leader).map(AdminMember::grpcAddress);
            if (leaderGrpc.isPresent()) {
                RavelClusterAdminGrpc.newBlockingStub(channels.get(leaderGrpc.get()))
                        .withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .registerAdmin(io.ravel.proto.AdminMember.newBuilder().setRaftAddress(self.raftAddress())
                                .setHttpAddress(self.httpAddress()).setGrpcAddress(self.grpcAddress()).build());
            }
        } catch (RuntimeException e) {
            LOG.debug("admin {} not recorded yet: {}", self.raftAddress(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
