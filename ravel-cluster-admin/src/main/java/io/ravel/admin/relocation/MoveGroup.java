package io.ravel.admin.relocation;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.MoveRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The moves one attempt runs together: the leading moves of the plan that share their source, target
 * and phase (and, in phase COPY, the cluster that owns them today), at most a cap of them, each
 * partition once. One epoch, one fence change per cluster and one admin commit per step serve the
 * whole group, so an empty partition costs a fraction of one admin commit.
 *
 * @param moves  the group's moves, the head of the plan first
 * @param source the cluster that owns the group's partitions in the owner table (null: none)
 */
record MoveGroup(List<MoveRecord> moves, String source) {

    MoveGroup {
        moves = List.copyOf(moves);
    }

    /** The group at the head of {@code plan} (not empty), given today's {@code owners}. */
    static MoveGroup lead(List<MoveRecord> plan, OwnerTable owners, int cap) {
        MoveRecord head = plan.get(0);
        String source = owners.owner(head.partition());
        List<MoveRecord> group = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (MoveRecord m : plan) {
            boolean fits = group.size() < cap && Objects.equals(m.from(), head.from()) && m.to().equals(head.to())
                    && m.phase() == head.phase() && !seen.contains(m.partition())
                    && (m.phase() != MoveRecord.Phase.COPY || Objects.equals(owners.owner(m.partition()), source));
            if (!fits) {
                break;
            }
            seen.add(m.partition());
            group.add(m);
        }
        return new MoveGroup(group, source);
    }

    MoveRecord head() {
        return moves.get(0);
    }

    String from() {
        return head().from();
    }

    String to() {
        return head().to();
    }

    MoveRecord.Phase phase() {
        return head().phase();
    }

    List<Integer> partitions() {
        return moves.stream().map(MoveRecord::partition).toList();
    }

    int size() {
        return moves.size();
    }

    @Override
    public String toString() {
        return moves.size() + " partition(s) " + partitions() + " from cluster " + from() + " to cluster " + to();
    }
}
