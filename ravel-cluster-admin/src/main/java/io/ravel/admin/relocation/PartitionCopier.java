package io.ravel.admin.relocation;

import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.common.Outcome;
import io.ravel.proto.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies the partitions of a move group from the source cluster's leader into the target cluster's
 * leader: several partitions at once ({@value #PARALLEL_PARTITIONS}), and within a partition the scan
 * of the next batch overlaps the WriteBatch of the previous one, so the target's Raft log takes
 * several batches per fsync. Copied entries of one partition are distinct keys, so their batches may
 * apply in any order. Each scanned batch goes on to the target as the bytes it came in ({@link
 * io.ravel.admin.node.EncodedBatch}). Used by the relocation thread only; {@link #close} stops its threads.
 */
final class PartitionCopier implements AutoCloseable {

    /** Partitions of a group copied at the same time. */
    static final int PARALLEL_PARTITIONS = 8;

    private final LeaderTracker leaders;
    private final NodeClient nodes;
    private final int scanBatchSize;
    private final ExecutorService copiers = Executors.newFixedThreadPool(PARALLEL_PARTITIONS, r -> {
        Thread t = new Thread(r, "ravel-relocation-copy");
        t.setDaemon(true);
        return t;
    });

    PartitionCopier(LeaderTracker leaders, NodeClient nodes, int scanBatchSize) {
        this.leaders = leaders;
        this.nodes = nodes;
        this.scanBatchSize = scanBatchSize;
    }

    /**
     * Copies every partition of {@code partitions} from {@code sourceLeader} (a ScanPartition that starts
     * with a ReadIndex, so it sees every acknowledged write) into cluster {@code to}; returns the number
     * of keys copied. The first failure cancels the other copies and aborts the attempt.
     */
    long copy(List<Integer> partitions, String sourceLeader, String to) throws InterruptedException,
            ExecutionException, TimeoutException {
        List<Future<Long>> copies = new ArrayList<>();
        for (int p : partitions) {
            copies.add(copiers.submit(() -> copyOne(p, sourceLeader, to)));
        }
        long keys = 0;
        try {
            for (Future<Long> copy : copies) {
                keys += copy.get();
            }
        } finally {
            copies.forEach(c -> c.cancel(true));
        }
        return keys;
    }

    private long copyOne(int p, String sourceLeader, String to) throws Exception {
        long[] keys = {0};
        List<CompletableFuture<Response>> inFlight = new ArrayList<>(1);
        nodes.scanPartition(sourceLeader, p, scanBatchSize, batch -> {
            if (batch.entries() == 0) {
                return;
            }
            CompletableFuture<Response> next = leaders.onLeader(to, a -> nodes.writeBatch(a, batch), deadline());
            if (!inFlight.isEmpty()) {
                check(inFlight.remove(0), to);
            }
            inFlight.add(next);
            keys[0] += batch.entries();
        });
        if (!inFlight.isEmpty()) {
            check(inFlight.remove(0), to);
        }
        return keys[0];
    }

    private static void check(CompletableFuture<Response> write, String to) throws InterruptedException,
            ExecutionException, TimeoutException {
        Response written = write.get(AdminTimeouts.LEADER_CALL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (Outcome.of(written.getCode()) != Outcome.OK) {
            throw new IllegalStateException("WriteBatch on cluster " + to + " answered " + written.getCode()
                    + " " + written.getMessage());
        }
    }

    private static long deadline() {
        return System.nanoTime() + AdminTimeouts.REQUEST.toNanos();
    }

    @Override
    public void close() {
        copiers.shutdownNow();
    }
}
