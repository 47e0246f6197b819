package io.ravel.admin.group;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.ravel.admin.AdminException;
import io.ravel.admin.rpc.RavelClusterAdminService;
import io.ravel.admin.state.AdminState;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.AdminMember;
import io.ravel.proto.Cluster;
import io.ravel.proto.ClusterList;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.RavelClusterAdminGrpc.RavelClusterAdminStub;
import io.ravel.proto.OwnerTableReply;
import io.ravel.proto.RelocationProgress;
import io.ravel.proto.RelocationRequest;
import io.ravel.proto.Void;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The RavelClusterAdmin service of an admin in a group. Reads (GetClusterLeader, ListClusters,
 * GetRelocationProgress) are answered from this admin's replicated state; changes (joins, leader
 * reports, leaves, relocation, RegisterAdmin) and GetOwners (the leader's owner table, for an admin
 * whose copy lags) run here on the admin leader and are forwarded to it from
 * a follower, so a replica may talk to any admin. A forwarded call is never forwarded again (two admins
 * that each believe the other leads answer UNAVAILABLE instead, and the caller retries).
 */
public final class ForwardingAdminService extends RavelClusterAdminGrpc.RavelClusterAdminImplBase {

    /** Longest a forwarded call may take when the caller set no deadline (a leave may relocate data first). */
    private static final Duration DEFAULT_FORWARD_DEADLINE = Duration.ofMinutes(10);
    private static final Metadata.Key<String> FORWARDED = Metadata.Key.of("ravel-forwarded-by", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> FORWARDED_BY = Context.key("ravel-forwarded-by");

    @FunctionalInterface
    private interface Call<Q, R> {
        void run(RavelClusterAdminStub stub, Q request, StreamObserver<R> out);
    }

    private final RavelClusterAdminService local;
    private final AdminState state;
    private final AdminGroup group;
    private final GrpcChannels channels;

    public ForwardingAdminService(RavelClusterAdminService local, AdminState state, AdminGroup group,
                                  GrpcChannels channels) {
        this.local = local;
        this.state = state;
        this.group = group;
        this.channels = channels;
    }

    /** This service with the interceptor that recognises forwarded calls. */
    public ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(this, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String by = headers.get(FORWARDED);
                if (by == null) {
                    return next.startCall(call, headers);
                }
                return io.grpc.Contexts.interceptCall(Context.current().withValue(FORWARDED_BY, by), call, headers, next);
            }
        });
    }

    @Override
    public void joinExistingCluster(Node request, StreamObserver<JoinResponse> out) {
        onLeader(request, out, local::joinExistingCluster, RavelClusterAdminStub::joinExistingCluster);
    }

    @Override
    public void joinAsClusterLeader(Node request, StreamObserver<JoinResponse> out) {
        onLeader(request, out, local::joinAsClusterLeader, RavelClusterAdminStub::joinAsClusterLeader);
    }

    @Override
    public void updateClusterLeader(Node request, StreamObserver<Void> out) {
        onLeader(request, out, local::updateClusterLeader, RavelClusterAdminStub::updateClusterLeader);
    }

    @Override
    public void leaveCluster(Node request, StreamObserver<Void> out) {
        onLeader(request, out, local::leaveCluster, RavelClusterAdminStub::leaveCluster);
    }

    @Override
    public void initiateDataRelocation(RelocationRequest request, StreamObserver<Void> out) {
        onLeader(request, out, local::initiateDataRelocation, RavelClusterAdminStub::initiateDataRelocation);
    }

    @Override
    public void registerAdmin(AdminMember request, StreamObserver<Void> out) {
        onLeader(request, out, this::registerHere, RavelClusterAdminStub::registerAdmin);
    }

    @Override
    public void getClusterLeader(Cluster request, StreamObserver<Node> out) {
        local.getClusterLeader(request, out);
    }

    @Override
    public void listClusters(Void request, StreamObserver<ClusterList> out) {
        local.listClusters(request, out);
    }

    @Override
    public void getRelocationProgress(Void request, StreamObserver<RelocationProgress> out) {
        local.getRelocationProgress(request, out);
    }

    @Override
    public void getOwners(Void request, StreamObserver<OwnerTableReply> out) {
        onLeader(request, out, local::getOwners, RavelClusterAdminStub::getOwners);
    }

    private void registerHere(AdminMember m, StreamObserver<Void> out) {
        try {
            state.commit(new io.ravel.admin.state.StateChange().putAdmin(
                    new io.ravel.admin.state.AdminMember(m.getRaftAddress(), m.getHttpAddress(), m.getGrpcAddress())));
        } catch (AdminException e) {
            out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(Void.getDefaultInstance());
        out.onCompleted();
    }

    private <Q, R> void onLeader(Q request, StreamObserver<R> out, java.util.function.BiConsumer<Q, StreamObserver<R>> here,
                                 Call<Q, R> remote) {
        if (group.isLeader()) {
            here.accept(request, out);
            return;
        }
        String leaderGrpc = leaderGrpcAddress();
        if (leaderGrpc == null) {
            out.onError(Status.UNAVAILABLE.withDescription(group.noLeaderMessage()).asRuntimeException());
            return;
        }
        if (FORWARDED_BY.get() != null) {
            out.onError(Status.UNAVAILABLE.withDescription("this admin is not the admin leader (the call came forwarded"
                    + " from " + FORWARDED_BY.get() + "); retry").asRuntimeException());
            return;
        }
        Metadata headers = new Metadata();
        headers.put(FORWARDED, GroupConfig.key(group.config().raft()));
        Deadline deadline = Context.current().getDeadline();
        RavelClusterAdminStub stub = RavelClusterAdminGrpc.newStub(channels.get(leaderGrpc))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadline(deadline != null ? deadline
                        : Deadline.after(DEFAULT_FORWARD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        // The caller's own cancellation must not cancel the forwarded call half-way through a change.
        Context.ROOT.run(() -> remote.run(stub, request, out));
    }

    private String leaderGrpcAddress() {
        return leaderGrpcAddress(group, state);
    }

    /** The admin leader's gRPC address from the replicated admin list, or null while unknown. */
    static String leaderGrpcAddress(AdminGroup group, AdminState state) {
        String raft = group.leaderRaftAddress();
        if (raft == null) {
            return null;
        }
        return state.admin(raft).map(io.ravel.admin.state.AdminMember::grpcAddress).orElse(null);
    }
}
