package io.ravel.admin.relocation;

import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.RelocationSettings.PausePoint;
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
 * Moving partition p from A to B:
 * <ol>
 *   <li>phase COPY: (before holding anything) p's range on B is cleared, removing left-overs of an
 *       interrupted attempt, and A's leader is found and confirmed;</li>
 *   <li>client operations on p are held ({@link PartitionGate}) and those already running drain;</li>
 *   <li>p is streamed from A's leader (ScanPartition) into B's leader (WriteBatch, through B's Raft log);</li>
 *   <li>the owner of p becomes B and the move enters phase DELETE, in one persisted batch;</li>
 *   <li>held operations are released and now go to B;</li>
 *   <li>phase DELETE: p is deleted on A (DeletePartition) and the move leaves the plan.</li>
 * </ol>
 * After an admin crash the head move is redone from its phase: copying again overwrites the same keys
 * and nothing wrote to p in between (the admin was down); the owner switch and the delete are idempotent.
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

    PartitionMover(AdminState state, LeaderTracker leaders, NodeClient nodes, PartitionGate gate,
                   RelocationSettings settings, Object planLock) {
        this.state = state;
        this.leaders = leaders;
        this.nodes = nodes;
        this.gate = gate;
        this.settings = settings;
        this.planLock = planLock;
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
            pauseIfAsked(PausePoint.COPY, move);
            switchOwner(move, keys);
        } finally {
            gate.open(p);
        }
        LOG.info("partition {}: {} keys copied from cluster {} to cluster {}; owner switched", p, keys,
                source, move.to());
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
