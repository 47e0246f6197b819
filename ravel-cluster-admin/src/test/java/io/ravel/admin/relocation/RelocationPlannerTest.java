package io.ravel.admin.relocation;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.MoveRecord.Phase;
import io.ravel.admin.state.PlanRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planning on its own: literal owner tables and plans in, moves and plans out. */
class RelocationPlannerTest {

    /** A table written as ranges: {@code table("a", 0, 135, "b", 136, 270)}; every partition must be named. */
    private static OwnerTable table(Object... ranges) {
        String[] owners = new String[271];
        for (int i = 0; i < ranges.length; i += 3) {
            for (int p = (int) ranges[i + 1]; p <= (int) ranges[i + 2]; p++) {
                owners[p] = (String) ranges[i];
            }
        }
        for (String o : owners) {
            assertTrue(o != null, "the literal table leaves a partition without owner");
        }
        return OwnerTable.of(List.of(owners));
    }

    private static PlanRecord plan(int total, int moved, long keys, MoveRecord... moves) {
        return new PlanRecord(List.of(moves), total, moved, keys);
    }

    @Test
    void thePlannedTableAppliesTheMovesThatHaveNotSwitchedTheirOwnerYet() {
        // Partition 7 already switched to c (its move is deleting the old copy); partition 5 is still copying.
        OwnerTable owners = table("a", 0, 6, "c", 7, 7, "a", 8, 270);
        PlanRecord plan = plan(2, 0, 0, new MoveRecord(5, "a", "b", Phase.COPY), new MoveRecord(7, "a", "c", Phase.DELETE));
        OwnerTable planned = RelocationPlanner.plannedTable(owners, plan);
        assertEquals("b", planned.owner(5));
        assertEquals("c", planned.owner(7));
        assertEquals("a", planned.owner(0));
        assertEquals("a", planned.owner(270));
        assertEquals(owners, RelocationPlanner.plannedTable(owners, PlanRecord.EMPTY));
    }

    @Test
    void aJoiningClusterOnlyTakesPartitions() {
        OwnerTable owners = table("a", 0, 270);
        RelocationPlanner.Planned planned = RelocationPlanner.join(owners, PlanRecord.EMPTY, "b");
        assertTrue(planned.moves().size() >= 108 && planned.moves().size() <= 163, "b takes about half: "
                + planned.moves().size());
        for (OwnerTable.Move m : planned.moves()) {
            assertEquals("a", m.from());
            assertEquals("b", m.to());
        }
        assertEquals(planned.moves().size(), planned.target().load("b"));
        assertEquals(planned.moves().size(), planned.plan().moves().size());
        assertEquals(planned.moves().size(), planned.plan().total());
        assertEquals(0, planned.plan().moved());
        assertEquals(0, planned.plan().keysMoved());
        planned.plan().moves().forEach(m -> assertEquals(Phase.COPY, m.phase()));
    }

    @Test
    void aJoinWhileAnotherPlanRunsStartsWhereTheQueuedMovesLeaveEachPartition() {
        OwnerTable owners = table("a", 0, 270);
        RelocationPlanner.Planned first = RelocationPlanner.join(owners, PlanRecord.EMPTY, "b");
        // Two moves of the first plan are done meanwhile (progress recorded, owners still as they were).
        List<MoveRecord> left = new ArrayList<>(first.plan().moves().subList(2, first.plan().moves().size()));
        PlanRecord running = new PlanRecord(left, first.plan().total(), 2, 17);
        OwnerTable now = owners.withOwner(first.moves().get(0).partition(), "b")
                .withOwner(first.moves().get(1).partition(), "b");
        RelocationPlanner.Planned second = RelocationPlanner.join(now, running, "c");

        assertEquals(first.target().withClusterAdded("c"), second.target());
        assertEquals(left, second.plan().moves().subList(0, left.size()), "queued moves stay first, unchanged");
        assertEquals(left.size() + second.moves().size(), second.plan().moves().size());
        assertEquals(first.plan().total() + second.moves().size(), second.plan().total());
        assertEquals(2, second.plan().moved());
        assertEquals(17, second.plan().keysMoved());
        for (OwnerTable.Move m : second.moves()) {
            assertEquals("c", m.to());
            assertEquals(first.target().owner(m.partition()), m.from(), "from the owner after the queued moves");
        }
    }

    @Test
    void aJoinFromSeveralSourcesIsQueuedBySourceSoItRunsInFewGroups() {
        // a and b own alternate partitions: the moves to c come from both, interleaved in partition order.
        String[] alternate = new String[271];
        for (int p = 0; p < alternate.length; p++) {
            alternate[p] = p % 2 == 0 ? "a" : "b";
        }
        OwnerTable owners = OwnerTable.of(List.of(alternate));
        RelocationPlanner.Planned planned = RelocationPlanner.join(owners, PlanRecord.EMPTY, "c");
        List<MoveRecord> queued = planned.plan().moves();
        long fromA = queued.stream().filter(m -> m.from().equals("a")).count();
        assertTrue(fromA > 0 && fromA < queued.size(), "c takes from both: " + queued);
        for (int i = 0; i < queued.size(); i++) {
            assertEquals(i < fromA ? "a" : "b", queued.get(i).from(), "every move from a first, then b's");
            if (i > 0 && queued.get(i).from().equals(queued.get(i - 1).from())) {
                assertTrue(queued.get(i).partition() > queued.get(i - 1).partition(), "by partition within a source");
            }
        }
        assertEquals(Set.copyOf(planned.moves()), Set.copyOf(queued.stream()
                .map(m -> new OwnerTable.Move(m.partition(), m.from(), m.to())).toList()), "the same moves");
        // The relocation thread takes them 32 at a time: one group per 32 moves of a source.
        int groups = 0;
        List<MoveRecord> left = new ArrayList<>(queued);
        while (!left.isEmpty()) {
            MoveGroup group = MoveGroup.lead(left, owners, 32);
            left.subList(0, group.size()).clear();
            groups++;
        }
        long fromB = queued.size() - fromA;
        assertEquals((fromA + 31) / 32 + (fromB + 31) / 32, groups);
    }

    @Test
    void aLeavingClusterGivesAwayExactlyItsPartitions() {
        OwnerTable owners = table("a", 0, 89, "b", 90, 179, "c", 180, 270);
        RelocationPlanner.Planned planned = RelocationPlanner.leave(owners, PlanRecord.EMPTY, "c", Set.of("a", "b"));
        assertEquals(91, planned.moves().size());
        for (int i = 0; i < planned.moves().size(); i++) {
            OwnerTable.Move m = planned.moves().get(i);
            assertEquals(180 + i, m.partition());
            assertEquals("c", m.from());
            assertTrue(m.to().equals("a") || m.to().equals("b"), m.toString());
        }
        assertEquals(Set.of("a", "b"), planned.target().clusters());
        assertTrue(planned.target().maxLoad() <= 163, "the bound for two clusters: ceil(271 / 2 x 1.2)");
        for (int p = 0; p < 180; p++) {
            assertEquals(owners.owner(p), planned.target().owner(p));
        }
    }

    @Test
    void aClusterLeavingBeforeItsPartitionsArrivedSendsThemBack() {
        OwnerTable owners = table("a", 0, 270);
        PlanRecord plan = plan(2, 0, 0, new MoveRecord(5, "a", "b", Phase.COPY), new MoveRecord(6, "a", "b", Phase.COPY));
        RelocationPlanner.Planned planned = RelocationPlanner.leave(owners, plan, "b", Set.of("a"));
        assertEquals(List.of(new OwnerTable.Move(5, "b", "a"), new OwnerTable.Move(6, "b", "a")), planned.moves());
        assertEquals(List.of(new MoveRecord(5, "a", "b", Phase.COPY), new MoveRecord(6, "a", "b", Phase.COPY),
                new MoveRecord(5, "b", "a", Phase.COPY), new MoveRecord(6, "b", "a", Phase.COPY)), planned.plan().moves());
        assertEquals(4, planned.plan().total());
        assertEquals(table("a", 0, 270), planned.target());
    }

    @Test
    void appendingStartsARunOrAddsToTheRunningOne() {
        List<OwnerTable.Move> moves = List.of(new OwnerTable.Move(2, "a", "c"), new OwnerTable.Move(3, "a", "c"));
        PlanRecord fresh = RelocationPlanner.append(plan(40, 40, 900), moves);
        assertEquals(new PlanRecord(List.of(new MoveRecord(2, "a", "c", Phase.COPY),
                new MoveRecord(3, "a", "c", Phase.COPY)), 2, 0, 0), fresh, "a finished run's progress is reset");

        PlanRecord running = plan(10, 9, 50, new MoveRecord(1, "a", "b", Phase.DELETE));
        assertEquals(new PlanRecord(List.of(new MoveRecord(1, "a", "b", Phase.DELETE),
                new MoveRecord(2, "a", "c", Phase.COPY), new MoveRecord(3, "a", "c", Phase.COPY)), 12, 9, 50),
                RelocationPlanner.append(running, moves));
        assertEquals(running, RelocationPlanner.append(running, List.of()));
    }
}
