package io.ravel.node.raft;

/** A key command for a partition this cluster does not own (the ownership fence, {@link Ownership}). */
public final class WrongOwnerException extends RuntimeException {

    private final int partition;
    private final long epoch;

    public WrongOwnerException(int partition, long epoch) {
        super("this cluster does not own partition " + partition + " (ownership epoch " + epoch + ")");
        this.partition = partition;
        this.epoch = epoch;
    }

    public int partition() {
        return partition;
    }

    /** The cluster's ownership epoch when it refused. */
    public long epoch() {
        return epoch;
    }
}
