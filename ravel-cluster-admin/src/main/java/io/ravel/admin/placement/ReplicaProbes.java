package io.ravel.admin.placement;

import io.ravel.admin.node.NodeClient;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.proto.Node;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether each replica answers, for GET /clusters (and the console at /ui). While someone has read
 * /clusters in the last {@link #INTEREST_MS} ms, every replica is asked IsLeader every
 * {@link #PERIOD_MS} ms; a replica that answers is reachable and reports RocksDB's estimate of its keys,
 * one that fails or does not answer within the probe deadline is unreachable. Nobody reading: no probes.
 * Thread-safe.
 */
public final class ReplicaProbes implements AutoCloseable {

    static final long PERIOD_MS = 1_000;
    /**
     * How long one read of /clusters keeps the probes going. The console reads it every 2 s; anything
     * longer only keeps six IsLeader calls a second running after a one-off read (a health check).
     */
    static final long INTEREST_MS = 5_000;

    /** The last answer of one replica: reachable or not, and its estimated keys (-1 if unknown). */
    public record Probe(boolean reachable, long estimatedKeys) {
    }

    private final AdminState state;
    private final NodeClient nodes;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> task;
    private volatile long askedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(2 * INTEREST_MS);

    public ReplicaProbes(AdminState state, NodeClient nodes, ScheduledExecutorService scheduler) {
        this.state = state;
        this.nodes = nodes;
        this.scheduler = scheduler;
        this.task = scheduler.scheduleWithFixedDelay(this::tick, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The last probe of the replica with this gRPC address; null before its first answer. */
    public Probe probe(String grpcAddress) {
        return probes.get(grpcAddress);
    }

    /** Someone reads the replicas' state: probe them for the next {@link #INTEREST_MS} ms. */
    public void asked() {
        long before = askedAt;
        askedAt = System.nanoTime();
        if (System.nanoTime() - before > TimeUnit.MILLISECONDS.toNanos(INTEREST_MS)) {
            probes.clear(); // answers from long ago say nothing about now
            try {
                scheduler.execute(this::tick); // fresh answers now, not at the next period
            } catch (RuntimeException stopping) {
                // the admin is stopping
            }
        }
    }

    private void tick() {
        if (System.nanoTime() - askedAt > TimeUnit.MILLISECONDS.toNanos(INTEREST_MS)) {
            return;
        }
        Set<String> known = new HashSet<>();
        for (ClusterView c : state.clusters()) {
            for (Node n : c.replicas()) {
                String address = n.getGrpcAddress();
                known.add(address);
                nodes.isLeader(address).whenComplete((info, error) -> {
                    if (error == null) {
                        probes.put(address, new Probe(true, info.getEstimatedKeys()));
                    } else {
                        probes.put(address, new Probe(false, -1));
                        nodes.reconnect(address); // a restarted replica answers the next probe, not minutes later
                    }
                });
            }
        }
        probes.keySet().retainAll(known);
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
