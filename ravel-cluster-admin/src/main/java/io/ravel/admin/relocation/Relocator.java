package io.ravel.admin.relocation;

import io.ravel.admin.AdminException;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.admin.state.ClusterRecord;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.PlanRecord;
import io.ravel.admin.state.StateChange;
import io.ravel.common.Outcome;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs relocation: keeps the persisted plan (a queue of partition moves) and works through it, one move
 * group ({@link MoveGroup}) at a time, on one background thread. Planning is {@link RelocationPlanner}'s (a cluster joins the ring,
 * or leaves it); each move is run by {@link PartitionMover} in resumable steps; clusters waiting to be
 * emptied are {@link RelocationDrains}. A move that fails is retried after a pause with a fresh leader.
 *
 * <p>Thread-safe: plan changes hold this object's monitor; moves run only on the relocation thread.
 */
public final class Relocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relocator.class);
    /** Pause before a failed move is tried again (a new leader is usually elected by then). */
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

    private final AdminState state;
    private final LeaderTracker leaders;
    private final PartitionMover mover;
    private final int groupSize;
    private final RelocationDrains drains = new RelocationDrains();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ravel-relocation");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private boolean scheduled;

    public Relocator(AdminState state, LeaderTracker leaders, NodeClient nodes, PartitionGate gate,
                     RelocationSettings settings) {
        this.state = state;
        this.leaders = leaders;
        this.mover = new PartitionMover(state, leaders, nodes, gate, settings, this);
        this.groupSize = settings.groupSize();
    }

    /** Resumes a plan left unfinished by a previous run of the admin (or by the previous admin leader). */
    public synchronized void start() {
        PlanRecord plan = state.plan();
        if (plan.inProgress()) {
            LOG.info("resuming relocation: {} of {} partitions moved, {} moves left", plan.moved(), plan.total(),
                    plan.moves().size());
            kick();
        }
    }

    /**
     * Puts the cluster on the ring and plans the moves of the partitions it takes. Idempotent: a
     * cluster already on the ring, or leaving, is left as it is.
     */
    public synchronized void addToRing(String clusterId) {
        ClusterRecord cluster = state.cluster(clusterId).orElseThrow(() -> new AdminException(
                AdminException.Reason.NOT_FOUND, "unknown cluster " + clusterId));
        if (cluster.onRing() || cluster.leaving()) {
            return;
        }
        StateChange change = new StateChange().putCluster(cluster.onRing(true));
        if (RelocationPlanner.plannedTable(state.owners(), state.plan()).isEmpty() && !state.plan().inProgress()) {
            state.commit(change.owners(OwnerTable.allTo(clusterId)));
            LOG.info("cluster {} is the only cluster on the ring; it owns every partition", clusterId);
            return;
        }
        RelocationPlanner.Planned planned = RelocationPlanner.join(state.owners(), state.plan(), clusterId);
        state.commit(change.plan(planned.plan()));
        LOG.info("cluster {} joins the ring: {} partitions will move to it", clusterId, planned.moves().size());
        kick();
    }

    /**
     * Plans moving every partition of a leaving cluster to the other clusters and completes once none of
     * the plan's moves involves it. Completes at once when no other cluster exists (the caller then forgets
     * the cluster, and its keys go with it).
     */
    public synchronized CompletableFuture<Void> drain(String clusterId) {
        ClusterRecord cluster = state.cluster(clusterId).orElse(null);
        if (cluster == null) {
            return CompletableFuture.completedFuture(null);
        }
        Set<String> others = new TreeSet<>();
        for (ClusterView c : state.clusters()) {
            if (!c.id().equals(clusterId) && !c.record().leaving()) {
                others.add(c.id());
            }
        }
        if (others.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!cluster.leaving()) {
            RelocationPlanner.Planned planned = RelocationPlanner.leave(state.owners(), state.plan(), clusterId, others);
            StateChange change = new StateChange().putCluster(cluster.leaving(true).onRing(false));
            for (String owner : planned.target().clusters()) {
                state.cluster(owner).filter(c -> !c.onRing()).ifPresent(c -> change.putCluster(c.onRing(true)));
            }
            state.commit(change.plan(planned.plan()));
            LOG.info("cluster {} is leaving: {} partitions will move to the other clusters", clusterId,
                    planned.moves().size());
        }
        CompletableFuture<Void> done = drains.of(clusterId);
        drains.completeFinished(state.plan(), state.owners());
        kick();
        return done;
    }

    /**
     * Forgets a cluster that owns nothing any more (after {@link #drain}), with its last replica. When it
     * was the last cluster, the owner table and plan are emptied: its keys are gone with it and the next
     * cluster to join starts from an empty system.
     */
    public synchronized void forgetCluster(String clusterId) {
        StateChange change = new StateChange().deleteCluster(clusterId);
        for (Node n : state.replicasOf(clusterId)) {
            change.deleteReplica(n.getId());
        }
        boolean last = state.clusters().stream().allMatch(c -> c.id().equals(clusterId));
        if (last) {
            change.owners(OwnerTable.empty()).plan(PlanRecord.EMPTY);
        } else if (state.owners().clusters().contains(clusterId)) {
            throw new AdminException(AdminException.Reason.UNAVAILABLE,
                    "cluster " + clusterId + " still owns partitions; its relocation is not finished");
        }
        state.commit(change);
        leaders.forget(clusterId);
        drains.forget(clusterId);
        LOG.info(last ? "cluster {} removed; it was the last cluster, the system is now empty"
                : "cluster {} removed", clusterId);
    }

    private void kick() {
        if (!scheduled && running) {
            scheduled = true;
            worker.execute(this::runPlan);
        }
    }

    private void runPlan() {
        while (running) {
            MoveGroup head;
            synchronized (this) {
                List<MoveRecord> moves = state.plan().moves();
                // In an admin group only the admin leader moves partitions; a new leader resumes the plan.
                if (moves.isEmpty() || !state.writable()) {
                    scheduled = false;
                    drains.completeFinished(state.plan(), state.owners());
                    if (!moves.isEmpty()) {
                        // a LeaveCluster waiting here would wait forever: its caller retries on the new leader
                        drains.failAll(new AdminException(AdminException.Reason.UNAVAILABLE, "this admin is no"
                                + " longer the admin leader, which moves the partitions; retry on the admin leader"));
                    }
                    return;
                }
                head = MoveGroup.lead(moves, state.owners(), groupSize);
            }
            try {
                mover.run(head);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                LOG.warn("moving {} failed, retrying: {}", head, Outcome.describe(e));
                try {
                    Thread.sleep(FAILURE_PAUSE.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (this) {
                drains.completeFinished(state.plan(), state.owners());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        worker.shutdownNow();
        mover.close();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
