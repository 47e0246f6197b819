package io.ravel.admin.state;

import java.util.List;

/**
 * The relocation plan: the moves still to do (head first) and the progress of the current run.
 * A run starts when moves are added to an empty plan; {@code total} counts the moves added since.
 */
public record PlanRecord(List<MoveRecord> moves, int total, int moved, long keysMoved) {

    public static final PlanRecord EMPTY = new PlanRecord(List.of(), 0, 0, 0);

    public PlanRecord {
        moves = List.copyOf(moves);
    }

    public boolean inProgress() {
        return !moves.isEmpty();
    }
}
