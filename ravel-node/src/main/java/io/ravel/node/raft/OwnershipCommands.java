package io.ravel.node.raft;

import io.ravel.node.command.Command;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

/**
 * How the state machine applies the ownership fence ({@link Ownership}) to commands: which writes it
 * refuses, and the ownership entries themselves. A client's key write is refused for a partition the
 * cluster does not own; relocation's writes (DELETE_PARTITION, and a BATCH of copied entries, which
 * carry their version) are refused for a partition it owns. Expiry and membership entries are never
 * refused.
 */
final class OwnershipCommands {

    private OwnershipCommands() {
    }

    /**
     * -1 when {@code command} may apply, else the cluster's ownership epoch: a key write for a
     * partition it does not own (for a BATCH, any of its entries), as the state machine thread sees it.
     */
    static long refusal(Ownership ownership, Command command) {
        if (command instanceof Command.Set s) {
            return ownership.refusalApplying(s.partition());
        } else if (command instanceof Command.Delete d) {
            return ownership.refusalApplying(d.partition());
        } else if (command instanceof Command.GetAndDelete g) {
            return ownership.refusalApplying(g.partition());
        } else if (command instanceof Command.Batch b) {
            for (Command.Set s : b.entries()) {
                // a copied entry keeps its version (relocation's copy); a client's put has none
                long refused = s.copy() ? ownership.ownedRefusal(s.partition())
                        : ownership.refusalApplying(s.partition());
                if (refused >= 0) {
                    return refused;
                }
            }
        } else if (command instanceof Command.DeletePartition d) {
            return ownership.ownedRefusal(d.partition());
        }
        return -1;
    }

    /** Applies {@code command} into {@code batch} if it is an ownership entry (stale ones change nothing); false otherwise. */
    static boolean apply(Ownership ownership, WriteBatchWithIndex batch, Command command) throws RocksDBException {
        if (command instanceof Command.AssignOwnership a) {
            ownership.assign(batch, a.partitions(), a.epoch());
        } else if (command instanceof Command.OwnPartition o) {
            ownership.own(batch, o.partition(), o.epoch());
        } else if (command instanceof Command.ReleasePartition r) {
            ownership.release(batch, r.partition(), r.epoch());
        } else {
            return false;
        }
        return true;
    }
}
