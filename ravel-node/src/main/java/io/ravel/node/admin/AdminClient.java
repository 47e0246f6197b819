package io.ravel.node.admin;

import io.ravel.node.NodeTimeouts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.Cluster;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.RelocationProgress;
import io.ravel.proto.RelocationRequest;
import io.ravel.proto.Void;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The replica's calls to the cluster admin over one long-lived channel per admin. The address is one
 * admin, or the comma-separated admins of an admin group: any of them takes every call (followers
 * forward changes to their leader), so a call goes to the admin that answered last and moves on to the
 * next one when it is unreachable or has no leader (UNAVAILABLE, DEADLINE_EXCEEDED). Every call retries
 * so, with backoff after each round over the admins, up to the retry deadline, then fails with an
 * {@link AdminUnavailableException} whose message is one line for the user. Any other answer from an
 * admin is final. Blocking: called from start-up, kill and a background reporter.
 */
public final class AdminClient {

    private static final Logger LOG = LoggerFactory.getLogger(AdminClient.class);

    private final String address;
    private final List<String> admins;
    private final GrpcChannels channels;
    private final Duration retryDeadline;
    /** Index in {@link #admins} of the admin to try first: the one that answered last. */
    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param address       host:port of the admin, or comma-separated host:port of every admin of a group
     * @param retryDeadline how long to keep retrying unreachable admins before giving up
     */
    public AdminClient(String address, GrpcChannels channels, Duration retryDeadline) {
        this.address = address;
        this.admins = Arrays.stream(address.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
        this.channels = channels;
        this.retryDeadline = retryDeadline;
    }

    /** The address(es) as given: what the replica records in its storage dir for a later kill. */
    public String address() {
        return address;
    }

    private RavelClusterAdminGrpc.RavelClusterAdminBlockingStub stub(String admin, long timeoutMs) {
        return RavelClusterAdminGrpc.newBlockingStub(channels.get(admin)).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Registers {@code self} as the first replica of a new cluster; returns the new cluster id. */
    public String joinAsClusterLeader(Node self) {
        return call("register as a new cluster's leader", s -> s.joinAsClusterLeader(self)).getClusterId();
    }

    /**
     * Registers {@code self} with the cluster the admin picks; returns it and its leader. "No cluster
     * yet" (FAILED_PRECONDITION) is retried like an unreachable admin: replicas started together with
     * their cluster's first node may ask before it registered.
     */
    public JoinResponse joinExistingCluster(Node self) {
        return call("join an existing cluster", s -> s.joinExistingCluster(self), NodeTimeouts.ADMIN_CALL.toMillis(), true);
    }

    /** Reports that {@code self} leads its cluster now. */
    public void updateClusterLeader(Node self) {
        call("report the new leader", s -> s.updateClusterLeader(self));
    }

    /** Asks the admin to move partitions to the new cluster {@code clusterId}. */
    public void initiateDataRelocation(String clusterId) {
        call("request data relocation", s -> s.initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(clusterId).build()));
    }

    /** The leader's gRPC address as the admin knows it, or null when it knows none. */
    public String clusterLeaderGrpc(String clusterId) {
        for (int i = 0; i < admins.size(); i++) {
            String admin = admins.get(Math.floorMod(current.get() + i, admins.size()));
            try {
                Node leader = stub(admin, NodeTimeouts.ADMIN_CALL.toMillis()).getClusterLeader(Cluster.newBuilder().setId(clusterId).build());
                return leader.getGrpcAddress().isBlank() ? null : leader.getGrpcAddress();
            } catch (StatusRuntimeException e) {
                LOG.debug("admin {} could not name the leader of {}: {}", admin, clusterId, e.getStatus().getCode());
            }
        }
        return null;
    }

    /** Removes {@code self} from the system for good; may take long when the admin relocates data first. */
    public void leaveCluster(Node self, Duration callTimeout) {
        call("leave the cluster", s -> s.leaveCluster(self), callTimeout.toMillis(), false);
    }

    /**
     * The admin's relocation progress, in one round without backoff: each admin once, starting with the one
     * that answered last, each for {@code callTimeout}. UNIMPLEMENTED (an admin that predates the RPC) is
     * thrown at once; when no admin answers, the last admin's error is thrown.
     */
    public RelocationProgress relocationProgress(Duration callTimeout) {
        StatusRuntimeException last = null;
        for (int i = 0; i < admins.size(); i++) {
            int index = Math.floorMod(current.get() + i, admins.size());
            try {
                RelocationProgress answer = stub(admins.get(index), callTimeout.toMillis())
                        .getRelocationProgress(Void.getDefaultInstance());
                current.set(index);
                return answer;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                    throw e;
                }
                last = e;
            }
        }
        throw last != null ? last : Status.UNAVAILABLE.withDescription("no admin address").asRuntimeException();
    }

    private <T> T call(String what, Function<RavelClusterAdminGrpc.RavelClusterAdminBlockingStub, T> rpc) {
        return call(what, rpc, NodeTimeouts.ADMIN_CALL.toMillis(), false);
    }

    private <T> T call(String what, Function<RavelClusterAdminGrpc.RavelClusterAdminBlockingStub, T> rpc, long attemptMs,
                       boolean retryPrecondition) {
        long end = System.nanoTime() + retryDeadline.toNanos();
        long backoffMs = NodeTimeouts.ADMIN_BACKOFF.toMillis();
        StatusRuntimeException last;
        while (true) {
            last = null;
            // One round: every admin once, starting with the one that answered last.
            for (int i = 0; i < admins.size(); i++) {
                int index = Math.floorMod(current.get() + i, admins.size());
                String admin = admins.get(index);
                try {
                    T answer = rpc.apply(stub(admin, attemptMs));
                    current.set(index);
                    return answer;
                } catch (StatusRuntimeException e) {
                    last = e;
                    Status.Code code = e.getStatus().getCode();
                    boolean retry = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                            || (retryPrecondition && code == Status.Code.FAILED_PRECONDITION);
                    if (!retry) {
                        String detail = e.getStatus().getDescription();
                        throw new AdminUnavailableException("the cluster admin at " + admin + " refused to " + what + ": "
                                + code + (detail == null ? "" : " (" + detail + ")"));
                    }
                    if (code == Status.Code.FAILED_PRECONDITION) {
                        break; // the admin group answered; asking another admin now gives the same answer
                    }
                }
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > end) {
                break;
            }
            LOG.info("cluster admin at {} could not {} yet ({}); retrying", address, what, last.getStatus().getCode());
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdminUnavailableException("interrupted while trying to " + what);
            }
            backoffMs = Math.min(backoffMs * 2, NodeTimeouts.ADMIN_BACKOFF_MAX.toMillis());
        }
        if (last.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
            String detail = last.getStatus().getDescription();
            throw new AdminUnavailableException("the cluster admin at " + address + " refused to " + what + " for "
                    + retryDeadline.toSeconds() + " s" + (detail == null ? "" : ": " + detail));
        }
        throw new AdminUnavailableException("the cluster admin at " + address + " is unreachable (tried for "
                + retryDeadline.toSeconds() + " s to " + what + ": " + last.getStatus().getCode() + ")");
    }
}
