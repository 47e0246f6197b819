package io.ravel.admin.placement;

import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.state.AdminState;
import io.ravel.common.Outcome;
import io.ravel.proto.Node;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The retry loops: runs a call on a cluster's leader, and finds the leader, until a final outcome or the
 * deadline. What to do with each answer is the {@link Outcome}'s {@link Outcome.Retry}: NEVER ends the
 * call, SAME_REPLICA tries the same leader after {@link AdminTimeouts#RETRY_BACKOFF}, and
 * AFTER_FINDING_LEADER follows a NOT_LEADER redirect at once or forgets the leader and searches again.
 *
 * <p>A call that waits for a leader is woken as soon as one is {@link #leaderKnown known} (a new leader
 * reported itself, or a search found a replica that says it leads), rather than at the end of its pause:
 * after a leader crash the waiting requests go to the new leader within milliseconds of its report.
 * Second-hand names of a leader (redirects, a follower's guess) wake nobody.
 *
 * <p>Thread-safe and non-blocking: retries are scheduled, never slept, and nothing here writes to disk
 * (answers are handled on gRPC callback threads).
 */
final class LeaderCalls {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderCalls.class);

    /** NOT_LEADER redirects followed in a row without a pause (guards against two replicas naming each other). */
    private static final int MAX_IMMEDIATE_REDIRECTS = 3;

    private final AdminState state;
    private final NodeClient nodes;
    private final LeaderCache cache;
    private final LeaderSearch search;
    private final ScheduledExecutorService scheduler;
    /** Per cluster, the retries waiting out their pause; each runs once, on a leader or at its time. */
    private final ConcurrentMap<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();

    LeaderCalls(AdminState state, NodeClient nodes, LeaderCache cache, LeaderSearch search,
                ScheduledExecutorService scheduler) {
        this.state = state;
        this.nodes = nodes;
        this.cache = cache;
        this.search = search;
        this.scheduler = scheduler;
    }

    /** A leader of the cluster became known: the calls waiting for one go on now, off the caller's thread. */
    void leaderKnown(String clusterId) {
        Set<Runnable> wake = waiting.remove(clusterId);
        if (wake != null) {
            for (Runnable r : wake) {
                scheduler.execute(r);
            }
        }
    }

    /** Runs {@code retry} after {@code delayNanos}, or earlier when a leader of the cluster becomes known. */
    private void retryLater(String clusterId, Runnable retry, long delayNanos) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                retry.run();
            }
        };
        Set<Runnable> set = waiting.computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet());
        set.add(once);
        scheduler.schedule(() -> {
            set.remove(once);
            once.run();
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The cluster's leader, searching for it (until {@code deadlineNanos}, a System.nanoTime value) if unknown. */
    CompletableFuture<Node> leader(String clusterId, long deadlineNanos) {
        CompletableFuture<Node> result = new CompletableFuture<>();
        findLeader(clusterId, deadlineNanos, result);
        return result;
    }

    private void findLeader(String clusterId, long deadlineNanos, CompletableFuture<Node> result) {
        String known = cache.get(clusterId);
        if (known != null) {
            result.complete(nodeAt(clusterId, known));
            return;
        }
        search.search(clusterId).whenComplete((address, error) -> {
            if (address != null) {
                result.complete(nodeAt(clusterId, address));
            } else if (System.nanoTime() - deadlineNanos >= 0) {
                result.completeExceptionally(noLeader(clusterId));
            } else {
                retryLater(clusterId, () -> findLeader(clusterId, deadlineNanos, result),
                        AdminTimeouts.RETRY_BACKOFF.toNanos());
            }
        });
    }

    /** Runs {@code call} (given the leader's gRPC address) on the cluster's leader; see the class comment. */
    CompletableFuture<Response> onLeader(String clusterId, Function<String, CompletableFuture<Response>> call,
                                         long deadlineNanos) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        new Attempts(clusterId, call, deadlineNanos, result).next();
        return result;
    }

    /** The attempts of one call. */
    private final class Attempts {
        private final String clusterId;
        private final Function<String, CompletableFuture<Response>> call;
        private final long deadlineNanos;
        private final CompletableFuture<Response> result;
        private final AtomicInteger redirects = new AtomicInteger();

        Attempts(String clusterId, Function<String, CompletableFuture<Response>> call, long deadlineNanos,
                 CompletableFuture<Response> result) {
            this.clusterId = clusterId;
            this.call = call;
            this.deadlineNanos = deadlineNanos;
            this.result = result;
        }

        void next() {
            if (result.isDone()) {
                return;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                result.completeExceptionally(noLeader(clusterId));
                return;
            }
            String address = cache.get(clusterId);
            if (address == null) {
                if (state.cluster(clusterId).isEmpty()) {
                    result.completeExceptionally(new AdminException(AdminException.Reason.UNAVAILABLE,
                            "cluster " + clusterId + " is no longer part of the system"));
                    return;
                }
                search.search(clusterId).whenComplete((found, error) -> {
                    if (found != null) {
                        next();
                    } else {
                        later();
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
            reply.whenComplete((response, error) -> answered(address, response, error));
        }

        private void answered(String address, Response response, Throwable error) {
            Outcome outcome = error != null ? Outcome.of(error) : Outcome.of(response.getCode());
            switch (outcome.retry()) {
                // WRONG_OWNER: the answer goes back to the router, which routes the command again (Reroute)
                case NEVER, AFTER_REFRESHING_OWNERS -> {
                    if (error == null) {
                        result.complete(response);
                    } else {
                        result.completeExceptionally(new AdminException(outcome,
                                "replica " + address + " failed: " + Outcome.describe(error)));
                    }
                }
                case SAME_REPLICA -> later();
                case AFTER_FINDING_LEADER -> {
                    String hint = response == null ? "" : response.getLeaderGrpcAddress();
                    if (!hint.isEmpty() && !hint.equals(address) && redirects.incrementAndGet() <= MAX_IMMEDIATE_REDIRECTS) {
                        cache.learned(clusterId, hint);
                        LOG.debug("cluster {}: {} redirected to leader {}", clusterId, address, hint);
                        next();
                        return;
                    }
                    if (error != null) {
                        LOG.debug("leader {} of cluster {} failed: {}", address, clusterId, error.toString());
                        nodes.reconnect(address);
                    }
                    cache.forget(clusterId, address);
                    later();
                }
            }
        }

        private void later() {
            redirects.set(0);
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                result.completeExceptionally(noLeader(clusterId));
                return;
            }
            retryLater(clusterId, this::next, Math.min(AdminTimeouts.RETRY_BACKOFF.toNanos(), left));
        }
    }

    private Node nodeAt(String clusterId, String address) {
        return state.replicaByGrpcAddress(address)
                .orElse(Node.newBuilder().setGrpcAddress(address).setClusterId(clusterId).build());
    }

    private static AdminException noLeader(String clusterId) {
        return new AdminException(AdminException.Reason.UNAVAILABLE, "cluster " + clusterId
                + " has no reachable leader within " + AdminTimeouts.REQUEST.toSeconds() + " s; retry later");
    }
}
