package io.ravel.admin.state;

/**
 * One planned partition move from cluster {@code from} to cluster {@code to}.
 *
 * @param phase COPY until the owner switched to {@code to}; DELETE once only the old copy remains to be deleted
 */
public record MoveRecord(int partition, String from, String to, Phase phase) {

    public enum Phase { COPY, DELETE }

    public MoveRecord inPhase(Phase next) {
        return new MoveRecord(partition, from, to, next);
    }
}
