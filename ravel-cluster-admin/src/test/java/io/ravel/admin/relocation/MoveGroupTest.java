package io.ravel.admin.relocation;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.MoveRecord;
import io.ravel.admin.state.MoveRecord.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which leading moves of a plan run as one attempt. */
class MoveGroupTest {

    private static MoveRecord copy(int p, String from, String to) {
        return new MoveRecord(p, from, to, Phase.COPY);
    }

    @Test
    void theLeadingMovesWithTheSameSourceTargetAndPhaseGoTogether() {
        OwnerTable owners = OwnerTable.allTo("a");
        List<MoveRecord> plan = List.of(copy(1, "a", "c"), copy(2, "a", "c"), copy(3, "b", "c"), copy(4, "a", "c"));
        MoveGroup group = MoveGroup.lead(plan, owners, 32);
        assertEquals(List.of(1, 2), group.partitions());
        assertEquals("a", group.source());
        assertEquals("c", group.to());
    }

    @Test
    void theCapAPhaseChangeAndARepeatedPartitionEndTheGroup() {
        OwnerTable owners = OwnerTable.allTo("a");
        List<MoveRecord> plan = List.of(copy(1, "a", "c"), copy(2, "a", "c"), copy(3, "a", "c"));
        assertEquals(List.of(1, 2), MoveGroup.lead(plan, owners, 2).partitions());
        List<MoveRecord> phases = List.of(new MoveRecord(1, "a", "c", Phase.DELETE), copy(2, "a", "c"));
        assertEquals(List.of(1), MoveGroup.lead(phases, owners, 32).partitions());
        List<MoveRecord> repeated = List.of(copy(1, "a", "c"), copy(1, "a", "c"));
        assertEquals(List.of(1), MoveGroup.lead(repeated, owners, 32).partitions());
    }

    @Test
    void aCopyGroupKeepsToPartitionsWhoseOwnerIsTheHeadsOwner() {
        // partition 2 already belongs to c (owner table ahead of the plan): it is not copied with 1
        OwnerTable owners = OwnerTable.allTo("a").withOwner(2, "c");
        List<MoveRecord> plan = List.of(copy(1, "a", "c"), copy(2, "a", "c"), copy(3, "a", "c"));
        assertEquals(List.of(1), MoveGroup.lead(plan, owners, 32).partitions());
        assertEquals(List.of(2), MoveGroup.lead(plan.subList(1, 3), owners, 32).partitions());
        assertEquals("c", MoveGroup.lead(plan.subList(1, 3), owners, 32).source());
    }

    @Test
    void movesIntoAnEmptySystemHaveNoSource() {
        List<MoveRecord> plan = List.of(copy(1, null, "c"), copy(2, null, "c"));
        MoveGroup group = MoveGroup.lead(plan, OwnerTable.empty(), 32);
        assertEquals(List.of(1, 2), group.partitions());
        assertNull(group.source());
    }
}
