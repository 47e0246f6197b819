package io.ravel.admin.rpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ravel.admin.AdminException;
import io.ravel.admin.Membership;
import io.ravel.admin.placement.ClusterRegistry.Registration;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.admin.state.PlanRecord;
import io.ravel.proto.Cluster;
import io.ravel.proto.ClusterList;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import io.ravel.proto.OwnerTableReply;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.RelocationProgress;
import io.ravel.proto.RelocationRequest;
import io.ravel.proto.Void;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The RavelClusterAdmin gRPC service: converts protos, hands each call to {@link Membership} and maps
 * {@link AdminException} reasons to gRPC statuses through their {@link io.ravel.common.Outcome} (BAD_REQUEST →
 * INVALID_ARGUMENT, NOT_FOUND → NOT_FOUND, PRECONDITION → FAILED_PRECONDITION, UNAVAILABLE → UNAVAILABLE,
 * anything else → INTERNAL).
 */
public final class RavelClusterAdminService extends RavelClusterAdminGrpc.RavelClusterAdminImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(RavelClusterAdminService.class);

    private final Membership membership;
    private final AdminState state;

    public RavelClusterAdminService(Membership membership, AdminState state) {
        this.membership = membership;
        this.state = state;
    }

    @Override
    public void joinExistingCluster(Node request, StreamObserver<JoinResponse> out) {
        unary(out, () -> joinResponse(membership.joinExisting(request)));
    }

    @Override
    public void joinAsClusterLeader(Node request, StreamObserver<JoinResponse> out) {
        unary(out, () -> joinResponse(membership.joinAsLeader(request)));
    }

    @Override
    public void updateClusterLeader(Node request, StreamObserver<Void> out) {
        unary(out, () -> {
            membership.leaderReported(request);
            return Void.getDefaultInstance();
        });
    }

    @Override
    public void leaveCluster(Node request, StreamObserver<Void> out) {
        async(out, () -> membership.leave(request).thenApply(v -> Void.getDefaultInstance()));
    }

    @Override
    public void getClusterLeader(Cluster request, StreamObserver<Node> out) {
        async(out, () -> membership.leaderOf(request.getId()));
    }

    @Override
    public void initiateDataRelocation(RelocationRequest request, StreamObserver<Void> out) {
        unary(out, () -> {
            membership.initiateRelocation(request.getClusterId());
            return Void.getDefaultInstance();
        });
    }

    @Override
    public void listClusters(Void request, StreamObserver<ClusterList> out) {
        unary(out, () -> {
            ClusterList.Builder list = ClusterList.newBuilder();
            for (ClusterView c : state.clusters()) {
                Cluster.Builder b = Cluster.newBuilder().setId(c.id()).addAllReplicas(c.replicas());
                c.leader().ifPresent(b::setLeader);
                list.addClusters(b);
            }
            return list.build();
        });
    }

    @Override
    public void getRelocationProgress(Void request, StreamObserver<RelocationProgress> out) {
        unary(out, () -> {
            PlanRecord plan = state.plan();
            RelocationProgress.Builder b = RelocationProgress.newBuilder().setInProgress(plan.inProgress())
                    .setMoved(plan.moved()).setTotal(plan.total()).setKeysMoved(plan.keysMoved());
            for (ClusterView c : state.clusters()) {
                if (c.record().leaving()) {
                    b.addLeavingClusterIds(c.id());
                }
            }
            return b.build();
        });
    }

    @Override
    public void getOwners(Void request, StreamObserver<OwnerTableReply> out) {
        unary(out, () -> {
            long epoch = state.ownerEpoch();
            OwnerTableReply.Builder b = OwnerTableReply.newBuilder();
            for (String owner : state.owners().asList()) {
                b.addOwners(owner == null ? "" : owner);
            }
            for (ClusterView c : state.clusters()) {
                c.leader().ifPresent(b::addLeaders);
            }
            return b.setOwnerEpoch(epoch).build();
        });
    }

    private static JoinResponse joinResponse(Registration r) {
        JoinResponse.Builder b = JoinResponse.newBuilder().setClusterId(r.clusterId());
        r.leader().ifPresent(b::setLeader);
        return b.build();
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    private static <T> void async(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        future.whenComplete((value, error) -> {
            if (error != null) {
                out.onError(toStatus(error));
            } else {
                out.onNext(value);
                out.onCompleted();
            }
        });
    }

    static io.grpc.StatusRuntimeException toStatus(Throwable error) {
        AdminException a = AdminException.find(error);
        if (a == null) {
            LOG.error("admin RPC failed", error);
            return Status.INTERNAL.withDescription(String.valueOf(error.getMessage())).asRuntimeException();
        }
        return a.reason().outcome().grpcStatus().withDescription(a.getMessage()).asRuntimeException();
    }
}
