package io.ravel.admin.relocation;

import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.RelocationSettings.PausePoint;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.PlanRecord;
import io.ravel.admin.state.StateChange;
import io.ravel.common.Outcome;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Node;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the move at the head of the plan, from its persisted phase to its end, in resumable steps.
 * Moving partition p from A to B, one attempt:
 * <ol>
 *   <li>phase COPY: the attempt commits a new ownership epoch e into the admin state
 *       ({@link ClusterFences}); B's fence is set to what the owner table gives it, without p, at e;
 *       p's range on B is cleared (left-overs of an interrupted attempt); A's leader is confirmed;</li>
 *   <li>client operations on p are held ({@link PartitionGate}) and those already running drain;</li>
 *   <li>A's fence is set without p at e: from here A refuses every client command on p, whichever
 *       admin sent it and however old its owner table;</li>
 *   <li>p is streamed from A's leader (ScanPartition, after a ReadIndex: every write A acknowledged)
 *       into B's leader (WriteBatch of copied entries, which B accepts only while it does not own p);</li>
 *   <li>B's fence is set with p at e; then the owner of p becomes B and the move enters phase DELETE,
 *       in one persisted batch; held operations are released and now go to B;</li>
 *   <li>phase DELETE: p is deleted on A (DeletePartition, which A accepts only for a partition it does
 *       not own) and the move leaves the plan.</li>
 * </ol>
 * After a failure or an admin (leader) change the head move is redone from its phase with a new epoch;
 * its clusters then ignore whatever the earlier attempt still has in flight. An admin whose owner table
 * is older than the move gets WRONG_OWNER from A and routes again once its table has caught up.
 *
 * <p>Runs on the relocation thread only, and blocks it; plan commits hold {@code planLock}, the lock
 * every other plan change holds.
 */
final class PartitionMover {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionMover.class);
    /**
     * Longest a client operation can stay inside a partition: its request deadline plus one replica call
     * started just before it. Waiting this long means no write can still land on the old owner after the copy.
     */
    private static final Duration DRAIN_WAIT = AdminTimeouts.REQUEST.plus(AdminTimeouts.NODE_CALL)
            .plus(AdminTimeouts.BLOCKING_MARGIN);

    private final AdminState state;
    private final LeaderTracker leaders;
    private final NodeClient nodes;
    private final PartitionGate gate;
    private final RelocationSettings settings;
    private final Object planLock;
    private final ClusterFences fences;

    PartitionMover(AdminState state, LeaderTracker leaders, NodeClient nodes, PartitionGate gate,
                   RelocationSettings settings, Object planLock) {
        this.state = state;
        this.leaders = leaders;
        this.nodes = nodes;
        this.gate = gate;
        this.settings = settings;
        this.planLock = planLock;
        this.fences = new ClusterFences(state, leaders, nodes);
    }

    /** Runs {@code move} (the head of the plan) to its end; a failure leaves it to be run again. */
    void run(MoveRecord move) throws InterruptedException, ExecutionException, TimeoutException {
        if (move.phase() == MoveRecord.Phase.COPY) {
            copyAndSwitch(move);
            pauseIfAsked(PausePoint.SWITCH, move);
        }
        deleteOldCopy(move);
        pauseIfAsked(PausePoint.DELETE, move);
        PlanRecord after = leavePlan();
        LOG.info("relocation: {}/{} partitions moved, {} keys moved{}", after.moved(), after.total(),
                after.keysMoved(), after.inProgress() ? "" : "; relocation finished");
    }

    private void copyAndSwitch(MoveRecord move) throws InterruptedException, ExecutionException, TimeoutException {
        int p = move.partition();
        if (!settings.delayPerPartition().isZero()) {
            Thread.sleep(settings.delayPerPartition().toMillis());
        }
        OwnerTable table = state.owners();
        String source = table.owner(p);
        if (move.to().equals(source)) {
            switchOwner(move, 0);
            return;
        }
        boolean needsCopy = source != null;
        long epoch = fences.newEpoch();
        String sourceLeader = null;
        // Everything that may wait for a leader happens before the partition is held.
        fences.assign(move.to(), table, p, false, epoch);
        if (needsCopy) {
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
            if (needsCopy) {
                fences.assign(source, table, p, false, epoch);
            }
            keys = needsCopy ? copy(p, sourceLeader, move.to()) : 0;
            pauseIfAsked(PausePoint.COPY, move);
            fences.assign(move.to(), table, p, true, epoch);
            switchOwner(move, keys);
        } finally {
            gate.open(p);
        }
        LOG.info("partition {}: {} keys copied from cluster {} to cluster {}; owner switched (ownership epoch {})",
                p, keys, source, move.to(), epoch);
    }

    /** The owner of the move's partition becomes its target and the move enters phase DELETE, in one batch. */
    private void switchOwner(MoveRecord move, long keys) {
        synchronized (planLock) {
            PlanRecord plan = state.plan();
            List<MoveRecord> moves = new ArrayList<>(plan.moves());
            moves.set(0, move.inPhase(MoveRecord.Phase.DELETE));
            state.commit(new StateChange().owners(state.owners().withOwner(move.partition(), move.to()))
                    .plan(new PlanRecord(moves, plan.total(), plan.moved(), plan.keysMoved() + keys)));
        }
    }

    private void deleteOldCopy(MoveRecord move) throws InterruptedException, ExecutionException, TimeoutException {
        if (move.from() != null && !move.from().equals(move.to()) && state.cluster(move.from()).isPresent()) {
            Response deleted = await(leaders.onLeader(move.from(), a -> nodes.deletePartition(a, move.partition()),
                    deadline()));
            if (!Outcome.of(deleted.getCode()).removalComplete()) {
                throw new IllegalStateException("DeletePartition on cluster " + move.from() + " answered "
                        + deleted.getCode() + " " + deleted.getMessage());
            }
        }
    }

    private PlanRecord leavePlan() {
        synchronized (planLock) {
            PlanRecord plan = state.plan();
            List<MoveRecord> moves = new ArrayList<>(plan.moves());
            moves.remove(0);
            PlanRecord after = new PlanRecord(moves, plan.total(), plan.moved() + 1, plan.keysMoved());
            state.commit(new StateChange().plan(after));
            return after;
        }
    }

    /**
     * Deletes partition p on the cluster it is about to move to. The target does not own p yet, so this
     * needs no hold; it removes keys an interrupted earlier attempt left there (and that may since have
     * been deleted on the source), so they cannot come back.
     */
    private void clearTarget(int p, String to) throws InterruptedException, ExecutionException, TimeoutException {
        Response cleared = await(leaders.onLeader(to, a -> nodes.deletePartition(a, p), deadline()));
        if (!Outcome.of(cleared.getCode()).removalComplete()) {
            throw new IllegalStateException("clearing partition " + p + " on cluster " + to + " answered "
                    + cleared.getCode() + " " + cleared.getMessage());
        }
    }

    /** The gRPC address of the cluster's leader, confirmed by a ReadIndex on it. */
    private String confirmedLeader(String clusterId) throws InterruptedException, ExecutionException, TimeoutException {
        Node leader = await(leaders.leader(clusterId, deadline()));
        Response confirmed = nodes.confirmLeadership(leader.getGrpcAddress())
                .get(AdminTimeouts.LEADER_PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (Outcome.of(confirmed.getCode()) != Outcome.OK) {
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
                Response written = await(leaders.onLeader(to, a -> nodes.writeBatch(a, write), deadline()));
                if (Outcome.of(written.getCode()) != Outcome.OK) {
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

    /** Test knob: stops the relocation thread for good at {@code point} (until the admin stops). */
    private void pauseIfAsked(PausePoint point, MoveRecord move) throws InterruptedException {
        if (settings.pauseAt().filter(point::equals).isEmpty()) {
            return;
        }
        LOG.warn("{} {} of partition {} (cluster {} to cluster {}), as {} asks", RelocationSettings.PAUSED_LOG,
                point.name().toLowerCase(java.util.Locale.ROOT), move.partition(), move.from(), move.to(),
                RelocationSettings.PAUSE_PROPERTY);
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Waits for a call on a leader, which gives up by itself at its deadline. */
    private static <T> T await(CompletableFuture<T> call) throws InterruptedException, ExecutionException,
            TimeoutException {
        return call.get(AdminTimeouts.LEADER_CALL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long deadline() {
        return System.nanoTime() + AdminTimeouts.REQUEST.toNanos();
    }
}
