package io.ravel.admin.relocation;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.PlanRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Plans relocations: pure functions from today's owner table and the queued plan to the plan with a
 * cluster's moves added. Plans compose: a new plan starts from the planned table (today's owners with
 * every queued move applied), so a plan made while another runs moves each partition from where the
 * queued moves leave it. No state, no I/O; thread-safe.
 */
public final class RelocationPlanner {

    /** A plan change: the queued plan with the new moves appended, and the owner table they lead to. */
    public record Planned(PlanRecord plan, OwnerTable target, List<OwnerTable.Move> moves) {
    }

    private static final Comparator<OwnerTable.Move> BY_SOURCE_AND_TARGET =
            Comparator.comparing(OwnerTable.Move::from, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(OwnerTable.Move::to)
                    .thenComparingInt(OwnerTable.Move::partition);

    private RelocationPlanner() {
    }

    /** Today's owners with every queued move that has not switched its owner yet (phase COPY) applied. */
    public static OwnerTable plannedTable(OwnerTable owners, PlanRecord plan) {
        OwnerTable table = owners;
        for (MoveRecord m : plan.moves()) {
            if (m.phase() == MoveRecord.Phase.COPY) {
                table = table.withOwner(m.partition(), m.to());
            }
        }
        return table;
    }

    /** {@code joining} goes on the ring: it takes its share of the planned table, only from the others. */
    public static Planned join(OwnerTable owners, PlanRecord plan, String joining) {
        OwnerTable planned = plannedTable(owners, plan);
        OwnerTable target = planned.withClusterAdded(joining);
        List<OwnerTable.Move> moves = planned.movesTo(target);
        return new Planned(append(plan, moves), target, moves);
    }

    /** {@code leaving} leaves the ring: its planned partitions go to {@code remaining} under the new bound. */
    public static Planned leave(OwnerTable owners, PlanRecord plan, String leaving, Set<String> remaining) {
        OwnerTable planned = plannedTable(owners, plan);
        OwnerTable target = planned.withClusterRemoved(leaving, remaining);
        List<OwnerTable.Move> moves = planned.movesTo(target);
        return new Planned(append(plan, moves), target, moves);
    }

    /**
     * {@code plan} with {@code moves} queued behind its own moves, in phase COPY. Appended to an empty plan
     * they start a new run (progress from zero); appended to a running plan they add to its total. The
     * new moves are queued by source, then target, then partition: a {@link MoveGroup} is a run of
     * moves that share both, so a join that takes partitions from several clusters runs in a few large
     * groups instead of many small ones (the moves of one change are independent of each other's order).
     */
    public static PlanRecord append(PlanRecord plan, List<OwnerTable.Move> moves) {
        List<MoveRecord> queue = new ArrayList<>(plan.moves());
        List<OwnerTable.Move> ordered = new ArrayList<>(moves);
        ordered.sort(BY_SOURCE_AND_TARGET);
        for (OwnerTable.Move m : ordered) {
            queue.add(new MoveRecord(m.partition(), m.from(), m.to(), MoveRecord.Phase.COPY));
        }
        if (!plan.inProgress()) {
            return new PlanRecord(queue, moves.size(), 0, 0);
        }
        return new PlanRecord(queue, plan.total() + moves.size(), plan.moved(), plan.keysMoved());
    }
}
