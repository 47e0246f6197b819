package io.ravel.admin.relocation;

import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;
import io.ravel.admin.state.ClusterRecord;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.PlanRecord;
import io.ravel.admin.state.StateChange;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.Node;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plans and runs partition moves, one at a time, on one background thread.
 *
 * <p>The plan is a persisted queue of moves. Planning (a cluster joins the ring, or a cluster leaves)
 * appends the moves from the "planned table" (today's owners with every queued move applied) to the new
 * target table, so plans made while another runs compose. Moving partition p from A to B:
 * <ol>
 *   <li>the move is at the head of the persisted plan in phase COPY;</li>
 *   <li>(before holding anything) p's range on B is cleared, removing left-overs of an interrupted attempt,
 *       and A's leader is found and confirmed;</li>
 *   <li>client operations on p are held ({@link PartitionGate}) and those already running drain;</li>
 *   <li>p is streamed from A's leader (ScanPartition) into B's leader (WriteBatch, through B's Raft log);</li>
 *   <li>the owner of p becomes B and the move enters phase DELETE, in one persisted batch;</li>
 *   <li>held operations are released and now go to B;</li>
 *   <li>p is deleted on A (DeletePartition) and the move leaves the plan.</li>
 * </ol>
 * After an admin crash the head move is redone from its phase: copying again overwrites the same keys
 * and nothing wrote to p in between (the admin was down), the owner switch and the delete are idempotent.
 * Any failed step is retried after a pause with a fresh leader. Thread-safe: plan changes hold this
 * object's monitor; moves run only on the relocation thread.
 */
public final class Relocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relocator.class);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);
    /**
     * Longest a client operation can stay inside a partition: its request deadline plus one replica call
     * started just before it. Waiting this long means no write can still land on the old owner after the copy.
     */
    private static final Duration DRAIN_WAIT = AdminTimeouts.REQUEST.plus(AdminTimeouts.NODE_CALL).plusSeconds(1);

    private final AdminState state;
    private final LeaderTracker leaders;
    private final NodeClient nodes;
    private final PartitionGate gate;
    private final RelocationSettings settings;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ravel-relocation");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Void>> drains = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private boolean scheduled;

    public Relocator(AdminState state, LeaderTracker leaders, NodeClient nodes, PartitionGate gate,
                     RelocationSettings settings) {
        this.state = state;
        this.leaders = leaders;
        this.nodes = nodes;
        this.gate = gate;
        this.settings = settings;
    }

    /** Resumes a plan left unfinished by a previous run of the admin. */
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
        OwnerTable planned = plannedTable();
        StateChange change = new StateChange().putCluster(cluster.onRing(true));
        if (planned.isEmpty() && !state.plan().inProgress()) {
            state.commit(change.owners(OwnerTable.allTo(clusterId)));
            LOG.info("cluster {} is the only cluster on the ring; it owns every partition", clusterId);
            return;
        }
        List<OwnerTable.Move> moves = planned.movesTo(planned.withClusterAdded(clusterId));
        state.commit(change.plan(append(moves)));
        LOG.info("cluster {} joins the ring: {} partitions will move to it", clusterId, moves.size());
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
            OwnerTable planned = plannedTable();
            OwnerTable target = planned.withClusterRemoved(clusterId, others);
            List<OwnerTable.Move> moves = planned.movesTo(target);
            StateChange change = new StateChange().putCluster(cluster.leaving(true).onRing(false));
            for (String owner : target.clusters()) {
                state.cluster(owner).filter(c -> !c.onRing()).ifPresent(c -> change.putCluster(c.onRing(true)));
            }
            state.commit(change.plan(append(moves)));
            LOG.info("cluster {} is leaving: {} partitions will move to the other clusters", clusterId, moves.size());
        }
        CompletableFuture<Void> done = drains.computeIfAbsent(clusterId, id -> new CompletableFuture<>());
        completeDrains();
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
        drains.remove(clusterId);
        LOG.info(last ? "cluster {} removed; it was the last cluster, the system is now empty"
                : "cluster {} removed", clusterId);
    }

    private OwnerTable plannedTable() {
        OwnerTable table = state.owners();
        for (MoveRecord m : state.plan().moves()) {
            if (m.phase() == MoveRecord.Phase.COPY) {
                table = table.withOwner(m.partition(), m.to());
            }
        }
        return table;
    }

    private PlanRecord append(List<OwnerTable.Move> moves) {
        PlanRecord plan = state.plan();
        List<MoveRecord> queue = new ArrayList<>(plan.moves());
        for (OwnerTable.Move m : moves) {
            queue.add(new MoveRecord(m.partition(), m.from(), m.to(), MoveRecord.Phase.COPY));
        }
        if (!plan.inProgress()) {
            return new PlanRecord(queue, moves.size(), 0, 0);
        }
        return new PlanRecord(queue, plan.total() + moves.size(), plan.moved(), plan.keysMoved());
    }

    private void kick() {
        if (!scheduled && running) {
            scheduled = true;
            worker.execute(this::runPlan);
        }
    }

    private void runPlan() {
        while (running) {
            MoveRecord head;
            synchronized (this) {
                List<MoveRecord> moves = state.plan().moves();
                if (moves.isEmpty()) {
                    scheduled = false;
                    completeDrains();
                    return;
                }
                head = moves.get(0);
            }
            try {
                execute(head);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOG.warn("moving partition {} from {} to {} failed, retrying: {}", head.partition(), head.from(),
                        head.to(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
                try {
                    Thread.sleep(FAILURE_PAUSE.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (this) {
                completeDrains();
            }
        }
    }

    private void execute(MoveRecord move) throws InterruptedException, ExecutionException, TimeoutException {
        int p = move.partition();
        if (move.phase() == MoveRecord.Phase.COPY) {
            if (!settings.delayPerPartition().isZero()) {
                Thread.sleep(settings.delayPerPartition().toMillis());
            }
            String source = state.owners().owner(p);
            boolean needsCopy = source != null && !source.equals(move.to());
            String sourceLeader = null;
            if (needsCopy) {
                // Everything that may wait for a leader happens before the partition is held.
                clearTarget(p, move.to());
                sourceLeader = confirmedLeader(source);
            }
            long keys;
            gate.close(p);
            try {
                if (!gate.awaitDrained(p, DRAIN_WAIT)) {
                    throw new IllegalStateException("client operations on partition " + p
                            + " are still running; the move will be tried again");
                }
                keys = needsCopy ? copy(p, sourceLeader, move.to()) : 0;
                synchronized (this) {
                    PlanRecord plan = state.plan();
                    List<MoveRecord> moves = new ArrayList<>(plan.moves());
                    moves.set(0, move.inPhase(MoveRecord.Phase.DELETE));
                    state.commit(new StateChange().owners(state.owners().withOwner(p, move.to()))
                            .plan(new PlanRecord(moves, plan.total(), plan.moved(), plan.keysMoved() + keys)));
                }
            } finally {
                gate.open(p);
            }
            LOG.info("partition {}: {} keys copied from cluster {} to cluster {}; owner switched", p, keys,
                    source, move.to());
        }
        if (move.from() != null && !move.from().equals(move.to()) && state.cluster(move.from()).isPresent()) {
            Response deleted = leaders.onLeader(move.from(), a -> nodes.deletePartition(a, p), deadline())
                    .get(AdminTimeouts.REQUEST.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (deleted.getCode() != Code.OK && deleted.getCode() != Code.NOT_FOUND) {
                throw new IllegalStateException("DeletePartition on cluster " + move.from() + " answered "
                        + deleted.getCode() + " " + deleted.getMessage());
            }
        }
        PlanRecord after;
        synchronized (this) {
            PlanRecord plan = state.plan();
            List<MoveRecord> moves = new ArrayList<>(plan.moves());
            moves.remove(0);
            after = new PlanRecord(moves, plan.total(), plan.moved() + 1, plan.keysMoved());
            state.commit(new StateChange().plan(after));
        }
        LOG.info("relocation: {}/{} partitions moved, {} keys moved{}", after.moved(), after.total(),
                after.keysMoved(), after.inProgress() ? "" : "; relocation finished");
    }

    /**
     * Deletes partition p on the cluster it is about to move to. The target does not own p yet, so this
     * needs no hold; it removes keys an interrupted earlier attempt left there (and that may since have
     * been deleted on the source), so they cannot come back.
     */
    private void clearTarget(int p, String to) throws InterruptedException, ExecutionException, TimeoutException {
        Response cleared = leaders.onLeader(to, a -> nodes.deletePartition(a, p), deadline())
                .get(AdminTimeouts.REQUEST.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (cleared.getCode() != Code.OK && cleared.getCode() != Code.NOT_FOUND) {
            throw new IllegalStateException("clearing partition " + p + " on cluster " + to + " answered "
                    + cleared.getCode() + " " + cleared.getMessage());
        }
    }

    /** The gRPC address of the cluster's leader, confirmed by a ReadIndex on it. */
    private String confirmedLeader(String clusterId) throws InterruptedException, ExecutionException, TimeoutException {
        Node leader = leaders.leader(clusterId, deadline())
                .get(AdminTimeouts.REQUEST.toMillis() + 1000, TimeUnit.MILLISECONDS);
        Response confirmed = nodes.confirmLeadership(leader.getGrpcAddress())
                .get(AdminTimeouts.LEADER_PROBE.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (confirmed.getCode() != Code.OK) {
            leaders.forgetAddress(clusterId, leader.getGrpcAddress());
            throw new IllegalStateException("replica " + leader.getGrpcAddress() + " of cluster " + clusterId
                    + " is no longer its leader");
        }
        return leader.getGrpcAddress();
    }

    /**
     * Streams partition p from the source leader (a ScanPartition that starts with a ReadIndex, so it
     * sees every acknowledged write) into the target cluster's leader, one WriteBatch per batch; returns
     * the number of keys copied. A failure (the source lost its leadership, a timeout) aborts the attempt.
     */
    private long copy(int p, String sourceLeader, String to) throws InterruptedException, ExecutionException,
            TimeoutException {
        long[] keys = {0};
        try {
            nodes.scanPartition(sourceLeader, p, settings.scanBatchSize(), batch -> {
                if (batch.getEntriesCount() == 0) {
                    return;
                }
                BatchWrite write = BatchWrite.newBuilder().addAllEntries(batch.getEntriesList()).build();
                Response written = leaders.onLeader(to, a -> nodes.writeBatch(a, write), deadline())
                        .get(AdminTimeouts.REQUEST.toMillis() + 1000, TimeUnit.MILLISECONDS);
                if (written.getCode() != Code.OK) {
                    throw new IllegalStateException("WriteBatch on cluster " + to + " answered " + written.getCode()
                            + " " + written.getMessage());
                }
                keys[0] += batch.getEntriesCount();
            });
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ExecutionException(e);
        }
        return keys[0];
    }

    private void completeDrains() {
        List<MoveRecord> moves = state.plan().moves();
        for (Map.Entry<String, CompletableFuture<Void>> e : drains.entrySet()) {
            String id = e.getKey();
            boolean involved = moves.stream().anyMatch(m -> id.equals(m.from()) || id.equals(m.to()));
            if (!involved && !state.owners().clusters().contains(id)) {
                e.getValue().complete(null);
            }
        }
    }

    private static long deadline() {
        return System.nanoTime() + AdminTimeouts.REQUEST.toNanos();
    }

    /** Progress of the current (or last) relocation run. */
    public PlanRecord progress() {
        return state.plan();
    }

    @Override
    public void close() {
        running = false;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
