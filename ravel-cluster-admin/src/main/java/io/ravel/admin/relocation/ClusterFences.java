package io.ravel.admin.relocation;

import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.StateChange;
import io.ravel.common.Outcome;
import io.ravel.proto.OwnershipChange;
import io.ravel.proto.OwnershipKind;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin's side of the clusters' ownership fences: each cluster records in its own Raft log which
 * partitions it owns, at an ownership epoch, and refuses client commands for the others (and
 * relocation's writes into the ones it owns). Every attempt at a partition move first commits a new,
 * higher epoch into the admin state ({@link #newEpoch}) and then sets the fences of the move's two
 * clusters at that epoch ({@link #assign}); a cluster ignores changes below the highest epoch it has
 * seen, so nothing an earlier attempt (or a deposed admin leader) still has in flight changes it.
 *
 * <p>Only the relocation thread uses it.
 */
final class ClusterFences {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFences.class);

    private final AdminState state;
    private final LeaderTracker leaders;
    private final NodeClient nodes;
    /** The highest epoch a cluster answered with; above the admin's only if the admin state was lost. */
    private long highestSeen;

    ClusterFences(AdminState state, LeaderTracker leaders, NodeClient nodes) {
        this.state = state;
        this.leaders = leaders;
        this.nodes = nodes;
    }

    /** Commits, and returns, the epoch of a new move attempt: above every epoch used or seen before. */
    long newEpoch() {
        long epoch = Math.max(state.ownerEpoch(), highestSeen) + 1;
        state.commit(new StateChange().ownerEpoch(epoch));
        return epoch;
    }

    /**
     * Sets {@code cluster}'s fence to exactly the partitions {@code table} gives it, with the move
     * group's {@code partitions} added ({@code withGroup}) or taken out, at {@code epoch}; returns once
     * its log has it (one entry). A cluster whose replicas predate the fence is left unfenced, as it
     * always was.
     */
    void assign(String cluster, OwnerTable table, java.util.Collection<Integer> partitions, boolean withGroup,
                long epoch) throws InterruptedException, ExecutionException, TimeoutException {
        java.util.Set<Integer> owned = new java.util.TreeSet<>(table.partitionsOf(cluster));
        owned.removeAll(partitions);
        if (withGroup) {
            owned.addAll(partitions);
        }
        OwnershipChange change = OwnershipChange.newBuilder().setKind(OwnershipKind.ASSIGN)
                .addAllPartitions(owned).setEpoch(epoch).build();
        Response answer = leaders.onLeader(cluster, a -> nodes.changeOwnership(a, change),
                        System.nanoTime() + AdminTimeouts.REQUEST.toNanos())
                .get(AdminTimeouts.LEADER_CALL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (answer.getMessage().equals(NodeClient.NO_FENCE)) {
            LOG.warn("cluster {} runs replicas without the ownership fence; its partitions stay unfenced", cluster);
            return;
        }
        if (Outcome.of(answer.getCode()) != Outcome.OK) {
            throw new IllegalStateException("ChangeOwnership on cluster " + cluster + " answered "
                    + answer.getCode() + " " + answer.getMessage());
        }
        if (answer.getOwnerEpoch() > epoch) {
            highestSeen = Math.max(highestSeen, answer.getOwnerEpoch());
            throw new IllegalStateException("cluster " + cluster + " is at ownership epoch " + answer.getOwnerEpoch()
                    + ", above this move's " + epoch + "; the move will be tried again at a higher epoch");
        }
    }
}
