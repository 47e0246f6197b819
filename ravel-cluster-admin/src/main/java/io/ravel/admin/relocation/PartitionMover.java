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
 * Runs the move group at the head of the plan ({@link MoveGroup}: up to
 * {@link RelocationSettings#groupSize} leading moves that share source, target and phase), from its
 * persisted phase to its end, in resumable steps. Moving the group's partitions G from A to B, one
 * attempt:
 * <ol>
 *   <li>phase COPY: the attempt commits a new ownership epoch e into the admin state
 *       ({@link ClusterFences}); B's fence is set to what the owner table gives it, without G, at e
 *       (one entry); G's ranges on B are cleared (left-overs of an interrupted attempt; the calls run in
 *       parallel); A's leader is confirmed;</li>
 *   <li>client operations on G are held ({@link PartitionGate}) and those already running drain;</li>
 *   <li>A's fence is set without G at e: from here A refuses every client command on G, whichever
 *       admin sent it and however old its owner table;</li>
 *   <li>each partition of G is streamed from A's leader (ScanPartition, after a ReadIndex: every write A
 *       acknowledged) into B's leader (WriteBatch of copied entries, which B accepts only while it does
 *       not own the partition), several partitions at once ({@link PartitionCopier});</li>
 *   <li>B's fence is set with G at e; then the owners of all of G become B and the moves enter phase
 *       DELETE, in one persisted batch (a group is never partly switched); held operations are released
 *       and now go to B;</li>
 *   <li>phase DELETE: G is deleted on A (DeletePartition per partition, in parallel, which A accepts
 *       only for partitions it does not own) and the group leaves the plan in one commit.</li>
 * </ol>
 * Moves without a source (nothing owns the partitions yet) need no clear, drain of a source or copy:
 * the epoch, B's fence and the switch. After a failure or an admin (leader) change the head group is
 * redone from its phase with a new epoch; its clusters then ignore whatever the earlier attempt still
 * has in flight. An admin whose owner table is older than the move gets WRONG_OWNER from A and routes
 * again once its table has caught up.
 *
 * <p>Runs on the relocation thread only, and blocks it; plan commits hold {@code planLock}, the lock
 * every other plan change holds.
 */
final class PartitionMover implements AutoCloseable {

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
    private final PartitionCopier copier;

    PartitionMover(AdminState state, LeaderTracker leaders, NodeClient nodes, PartitionGate gate,
                   RelocationSettings settings, Object planLock) {
        this.state = state;
        this.leaders = leaders;
        this.nodes = nodes;
        this.gate = gate;
        this.settings = settings;
        this.planLock = planLock;
        this.fences = new ClusterFences(state, leaders, nodes);
        this.copier = new PartitionCopier(leaders, nodes, settings.scanBatchSize());
    }

    /** Runs {@code group} (the head of the plan) to its end; a failure leaves it to be run again. */
    void run(MoveGroup group) throws InterruptedException, ExecutionException, TimeoutException {
        if (group.phase() == MoveRecord.Phase.COPY) {
            copyAndSwitch(group);
            pauseIfAsked(PausePoint.SWITCH, group);
        }
        deleteOldCopies(group);
        pauseIfAsked(PausePoint.DELETE, group);
        PlanRecord after = leavePlan(group);
        LOG.info("relocation: {}/{} partitions moved, {} keys moved{}", after.moved(), after.total(),
                after.keysMoved(), after.inProgress() ? "" : "; relocation finished");
    }

    private void copyAndSwitch(MoveGroup group) throws InterruptedException, ExecutionException, TimeoutException {
        if (!settings.delayPerPartition().isZero()) {
            Thread.sleep(settings.delayPerPartition().toMillis() * group.size());
        }
        OwnerTable table = state.owners();
        String source = group.source();
        String to = group.to();
        List<Integer> partitions = group.partitions();
        if (to.equals(source)) {
            switchOwners(group, 0);
            return;
        }
        boolean needsCopy = source != null;
        long epoch = fences.newEpoch();
        String sourceLeader = null;
        // Everything that may wait for a leader happens before the partitions are held.
        fences.assign(to, table, partitions, false, epoch);
        if (needsCopy) {
            deleteEach(to, partitions, "clearing");
            sourceLeader = confirmedLeader(source);
        }
        long keys;
        gate.close(partitions);
        try {
            if (!gate.awaitDrained(partitions, DRAIN_WAIT)) {
                throw new IllegalStateException("client operations on " + group
                        + " are still running; the move will be tried again");
            }
            if (needsCopy) {
                fences.assign(source, table, partitions, false, epoch);
            }
            keys = needsCopy ? copier.copy(partitions, sourceLeader, to) : 0;
            pauseIfAsked(PausePoint.COPY, group);
            fences.assign(to, table, partitions, true, epoch);
            switchOwners(group, keys);
        } finally {
            gate.open(partitions);
        }
        LOG.info("{}: {} keys copied; owners switched (ownership epoch {})", group, keys, epoch);
    }

    /** The owners of the group's partitions become its target and its moves enter phase DELETE, in one batch. */
    private void switchOwners(MoveGroup group, long keys) {
        synchronized (planLock) {
            PlanRecord plan = state.plan();
            List<MoveRecord> moves = new ArrayList<>(plan.moves());
            requireAtHead(moves, group);
            OwnerTable owners = state.owners();
            for (int i = 0; i < group.size(); i++) {
                MoveRecord m = group.moves().get(i);
                moves.set(i, m.inPhase(MoveRecord.Phase.DELETE));
                owners = owners.withOwner(m.partition(), m.to());
            }
            state.commit(new StateChange().owners(owners)
                    .plan(new PlanRecord(moves, plan.total(), plan.moved(), plan.keysMoved() + keys)));
        }
    }

    private void deleteOldCopies(MoveGroup group) throws InterruptedException, ExecutionException, TimeoutException {
        String from = group.from();
        if (from != null && !from.equals(group.to()) && state.cluster(from).isPresent()) {
            deleteEach(from, group.partitions(), "DeletePartition of");
        }
    }

    private PlanRecord leavePlan(MoveGroup group) {
        synchronized (planLock) {
            PlanRecord plan = state.plan();
            List<MoveRecord> moves = new ArrayList<>(plan.moves());
            requireAtHead(moves, group.moves().stream().map(m -> m.inPhase(MoveRecord.Phase.DELETE)).toList());
            moves.subList(0, group.size()).clear();
            PlanRecord after = new PlanRecord(moves, plan.total(), plan.moved() + group.size(), plan.keysMoved());
            state.commit(new StateChange().plan(after));
            return after;
        }
    }

    private static void requireAtHead(List<MoveRecord> moves, MoveGroup group) {
        requireAtHead(moves, group.moves());
    }

    /** Plans only grow at their tail while a group runs; anything else (the plan was dropped) ends the attempt. */
    private static void requireAtHead(List<MoveRecord> moves, List<MoveRecord> expected) {
        if (moves.size() < expected.size() || !moves.subList(0, expected.size()).equals(expected)) {
            throw new IllegalStateException("the relocation plan changed under the running move group");
        }
    }

    /**
     * Deletes each of {@code partitions} on {@code cluster}, all calls at once (its Raft log takes them in
     * few fsyncs). On the target before a copy this needs no hold: the target does not own them yet, and
     * it removes keys an interrupted earlier attempt left there (and that may since have been deleted on
     * the source), so they cannot come back. On the source after the switch it removes the old copy.
     */
    private void deleteEach(String cluster, List<Integer> partitions, String what) throws InterruptedException,
            ExecutionException, TimeoutException {
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int p : partitions) {
            calls.add(leaders.onLeader(cluster, a -> nodes.deletePartition(a, p), deadline()));
        }
        for (int i = 0; i < calls.size(); i++) {
            Response answer = await(calls.get(i));
            if (!Outcome.of(answer.getCode()).removalComplete()) {
                throw new IllegalStateException(what + " partition " + partitions.get(i) + " on cluster " + cluster
                        + " answered " + answer.getCode() + " " + answer.getMessage());
            }
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

    /** Test knob: stops the relocation thread for good at {@code point} (until the admin stops). */
    private void pauseIfAsked(PausePoint point, MoveGroup group) throws InterruptedException {
        if (settings.pauseAt().filter(point::equals).isEmpty()) {
            return;
        }
        LOG.warn("{} {} of {}, as {} asks", RelocationSettings.PAUSED_LOG,
                point.name().toLowerCase(java.util.Locale.ROOT), group, RelocationSettings.PAUSE_PROPERTY);
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

    @Override
    public void close() {
        copier.close();
    }
}
