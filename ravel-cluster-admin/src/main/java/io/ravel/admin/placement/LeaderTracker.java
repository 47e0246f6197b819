package io.ravel.admin.placement;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.proto.Code;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Knows the leader of each cluster and runs calls on it. Leaders are learned three ways: a node
 * reports it (UpdateClusterLeader), a replica answers NOT_LEADER naming the leader, or, when the
 * known leader does not answer, every replica of the cluster is asked IsLeader. A call is retried
 * on the right leader until it succeeds or its deadline passes; then it fails with UNAVAILABLE.
 *
 * <p>Thread-safe and non-blocking: retries are scheduled, never slept; at most one leader search per
 * cluster runs at a time and every waiting call shares it.
 */
public final class LeaderTracker {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderTracker.class);

    /** NOT_LEADER redirects followed in a row without a pause (guards against two replicas naming each other). */
    private static final int MAX_IMMEDIATE_REDIRECTS = 3;

    private final ClusterRegistry registry;
    private final NodeClient nodes;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentMap<String, String> leaderAddress = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<String>> searches = new ConcurrentHashMap<>();

    public LeaderTracker(ClusterRegistry registry, NodeClient nodes, ScheduledExecutorService scheduler) {
        this.registry = registry;
        this.nodes = nodes;
        this.scheduler = scheduler;
        for (ClusterView c : registry.state().clusters()) {
            c.leader().ifPresent(n -> leaderAddress.put(c.id(), n.getGrpcAddress()));
        }
    }

    /** Whether a leader address is currently known for the cluster (the /metrics gauge). */
    public boolean leaderKnown(String clusterId) {
        return leaderAddress.containsKey(clusterId);
    }

    /** A node reported that it leads its cluster. */
    public void reported(Node leader) {
        registry.setLeader(leader);
        leaderAddress.put(leader.getClusterId(), leader.getGrpcAddress());
    }

    /** The cluster left the system; forget its leader. */
    public void forget(String clusterId) {
        leaderAddress.remove(clusterId);
    }

    /** A replica left its cluster; if it was the known leader, find the new one on next use. */
    public void forgetAddress(String clusterId, String grpcAddress) {
        leaderAddress.remove(clusterId, grpcAddress);
    }

    /** The cluster's leader, searching for it (within {@code deadlineNanos}, a System.nanoTime value) if unknown. */
    public CompletableFuture<Node> leader(String clusterId, long deadlineNanos) {
        CompletableFuture<Node> result = new CompletableFuture<>();
        findLeader(clusterId, deadlineNanos, result);
        return result;
    }

    private void findLeader(String clusterId, long deadlineNanos, CompletableFuture<Node> result) {
        String known = leaderAddress.get(clusterId);
        if (known != null) {
            result.complete(nodeAt(clusterId, known));
            return;
        }
        search(clusterId).whenComplete((address, error) -> {
            if (address != null) {
                result.complete(nodeAt(clusterId, address));
            } else if (System.nanoTime() - deadlineNanos >= 0) {
                result.completeExceptionally(noLeader(clusterId));
            } else {
                scheduler.schedule(() -> findLeader(clusterId, deadlineNanos, result),
                        AdminTimeouts.RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Runs {@code call} (given the leader's gRPC address) on the cluster's leader, following NOT_LEADER
     * redirects and searching for a new leader when the known one fails, until a response other than
     * NOT_LEADER/UNAVAILABLE arrives or {@code deadlineNanos} passes.
     */
    public CompletableFuture<Response> onLeader(String clusterId, Function<String, CompletableFuture<Response>> call,
                                                long deadlineNanos) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        attempt(clusterId, call, deadlineNanos, result, new AtomicInteger());
        return result;
    }

    private void attempt(String clusterId, Function<String, CompletableFuture<Response>> call, long deadlineNanos,
                         CompletableFuture<Response> result, AtomicInteger redirects) {
        if (result.isDone()) {
            return;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            result.completeExceptionally(noLeader(clusterId));
            return;
        }
        String address = leaderAddress.get(clusterId);
        if (address == null) {
            if (registry.state().cluster(clusterId).isEmpty()) {
                result.completeExceptionally(new AdminException(AdminException.Reason.UNAVAILABLE,
                        "cluster " + clusterId + " is no longer part of the system"));
                return;
            }
            search(clusterId).whenComplete((found, error) -> {
                if (found != null) {
                    attempt(clusterId, call, deadlineNanos, result, redirects);
                } else {
                    retryLater(clusterId, call, deadlineNanos, result, redirects);
                }
            });
            return;
        }
        CompletableFuture<Response> reply;
        try {
            reply = call.apply(address);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((response, error) -> {
            if (error != null) {
                if (isTransient(error)) {
                    LOG.debug("leader {} of cluster {} failed: {}", address, clusterId, error.toString());
                    leaderAddress.remove(clusterId, address);
                    nodes.reconnect(address);
                    retryLater(clusterId, call, deadlineNanos, result, redirects);
                } else {
                    result.completeExceptionally(new AdminException(AdminException.Reason.INTERNAL,
                            "replica " + address + " failed: " + describe(error)));
                }
                return;
            }
            if (response.getCode() == Code.NOT_LEADER) {
                String hint = response.getLeaderGrpcAddress();
                if (!hint.isEmpty() && !hint.equals(address) && redirects.incrementAndGet() <= MAX_IMMEDIATE_REDIRECTS) {
                    learned(clusterId, hint, address);
                    attempt(clusterId, call, deadlineNanos, result, redirects);
                } else {
                    leaderAddress.remove(clusterId, address);
                    retryLater(clusterId, call, deadlineNanos, result, redirects);
                }
            } else if (response.getCode() == Code.UNAVAILABLE) {
                retryLater(clusterId, call, deadlineNanos, result, redirects);
            } else {
                result.complete(response);
            }
        });
    }

    private void retryLater(String clusterId, Function<String, CompletableFuture<Response>> call, long deadlineNanos,
                            CompletableFuture<Response> result, AtomicInteger redirects) {
        redirects.set(0);
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            result.completeExceptionally(noLeader(clusterId));
            return;
        }
        long delay = Math.min(AdminTimeouts.RETRY_BACKOFF.toNanos(), left);
        scheduler.schedule(() -> attempt(clusterId, call, deadlineNanos, result, redirects), delay, TimeUnit.NANOSECONDS);
    }

    /** A replica named {@code address} as the leader; record it (persisting when it is a known replica). */
    private void learned(String clusterId, String address, String previous) {
        leaderAddress.put(clusterId, address);
        Optional<Node> node = registry.state().replicaByGrpcAddress(address)
                .filter(n -> n.getClusterId().equals(clusterId));
        node.ifPresent(n -> {
            try {
                registry.setLeader(n);
            } catch (RuntimeException e) {
                LOG.warn("cannot record leader of cluster {}: {}", clusterId, e.getMessage());
            }
        });
        LOG.debug("cluster {}: {} redirected to leader {}", clusterId, previous, address);
    }

    /** One shared search for the cluster's leader: asks every replica IsLeader; completes with an address or null. */
    private CompletableFuture<String> search(String clusterId) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = searches.putIfAbsent(clusterId, mine);
        if (running != null) {
            return running;
        }
        mine.whenComplete((a, t) -> searches.remove(clusterId, mine));
        List<Node> replicas = registry.state().replicasOf(clusterId);
        if (replicas.isEmpty()) {
            mine.complete(null);
            return mine;
        }
        AtomicInteger pending = new AtomicInteger(replicas.size());
        String[] hint = new String[1];
        for (Node replica : replicas) {
            CompletableFuture<LeaderInfo> probe;
            try {
                probe = nodes.isLeader(replica.getGrpcAddress());
            } catch (RuntimeException e) {
                probe = CompletableFuture.failedFuture(e);
            }
            probe.whenComplete((info, error) -> {
                if (error != null) {
                    nodes.reconnect(replica.getGrpcAddress());
                }
                if (info != null && info.getLeader()) {
                    if (!mine.isDone()) {
                        learned(clusterId, replica.getGrpcAddress(), "search");
                        mine.complete(replica.getGrpcAddress());
                    }
                } else if (info != null && info.hasLeaderNode() && !info.getLeaderNode().getGrpcAddress().isEmpty()) {
                    synchronized (hint) {
                        hint[0] = info.getLeaderNode().getGrpcAddress();
                    }
                }
                if (pending.decrementAndGet() == 0 && !mine.isDone()) {
                    String h;
                    synchronized (hint) {
                        h = hint[0];
                    }
                    if (h != null) {
                        leaderAddress.put(clusterId, h);
                    }
                    mine.complete(h);
                }
            });
        }
        return mine;
    }

    private Node nodeAt(String clusterId, String address) {
        return registry.state().replicaByGrpcAddress(address)
                .orElse(Node.newBuilder().setGrpcAddress(address).setClusterId(clusterId).build());
    }

    private static boolean isTransient(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException sre) {
            Status.Code code = sre.getStatus().getCode();
            return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                    || code == Status.Code.CANCELLED || code == Status.Code.UNKNOWN
                    || code == Status.Code.ABORTED || code == Status.Code.FAILED_PRECONDITION;
        }
        return false;
    }

    private static String describe(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static AdminException noLeader(String clusterId) {
        return new AdminException(AdminException.Reason.UNAVAILABLE, "cluster " + clusterId
                + " has no reachable leader within " + AdminTimeouts.REQUEST.toSeconds() + " s; retry later");
    }
}
