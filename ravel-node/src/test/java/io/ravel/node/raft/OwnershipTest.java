package io.ravel.node.raft;

import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ownership fence in a real RocksDB: unfenced until told, refuses with the epoch, own, release, stale entries. */
class OwnershipTest {

    @TempDir
    Path dir;

    private RocksStore store;
    private Ownership ownership;

    @BeforeEach
    void open() {
        store = RocksStore.open(dir.resolve("db"));
        ownership = new Ownership();
        ownership.reload(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private interface Step {
        boolean apply(WriteBatchWithIndex batch) throws RocksDBException;
    }

    /** Applies one ownership entry as the state machine does: into a batch, written, then published. */
    private boolean apply(Step step) throws RocksDBException {
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            boolean applied = step.apply(batch);
            store.write(batch);
            ownership.publish();
            return applied;
        }
    }

    @Test
    void aStoreWithoutOwnershipEntriesServesEveryPartition() {
        store.put(KeyCodec.encode(7, "k".getBytes(StandardCharsets.UTF_8)), "v".getBytes(StandardCharsets.UTF_8));
        ownership.reload(store);
        assertFalse(ownership.fenced());
        for (int p = 0; p <= KeyCodec.MAX_PARTITION; p++) {
            assertEquals(-1, ownership.refusal(p));
        }
    }

    @Test
    void ownAndReleaseLeaveAnUnfencedClusterServingEveryPartition() throws RocksDBException {
        assertFalse(apply(b -> ownership.own(b, 3, 2)));
        assertFalse(apply(b -> ownership.release(b, 4, 2)));
        assertFalse(ownership.fenced());
        assertEquals(-1, ownership.refusal(4));
        ownership.reload(store);
        assertFalse(ownership.fenced());
    }

    @Test
    void theFirstAssignmentFencesAndRefusalsCarryTheEpoch() throws RocksDBException {
        assertTrue(apply(b -> ownership.assign(b, List.of(1, 2, 3), 5)));
        assertTrue(ownership.fenced());
        assertEquals(-1, ownership.refusal(2));
        assertEquals(5, ownership.refusal(4));
        assertEquals(Set.of(1, 2, 3), ownership.owned());
    }

    @Test
    void ownThenReleaseMovesAPartitionInAndOut() throws RocksDBException {
        apply(b -> ownership.assign(b, List.of(1), 5));
        assertEquals(5, ownership.refusal(9));
        assertTrue(apply(b -> ownership.own(b, 9, 6)));
        assertEquals(-1, ownership.refusal(9));
        assertTrue(apply(b -> ownership.release(b, 1, 7)));
        assertEquals(7, ownership.refusal(1));
        assertEquals(7, ownership.epoch());
        assertEquals(Set.of(9), ownership.owned());
    }

    @Test
    void staleEntriesAreIgnored() throws RocksDBException {
        apply(b -> ownership.assign(b, List.of(1), 5));
        apply(b -> ownership.own(b, 2, 8));
        assertFalse(apply(b -> ownership.release(b, 2, 7)));
        assertFalse(apply(b -> ownership.assign(b, List.of(3), 6)));
        assertEquals(Set.of(1, 2), ownership.owned());
        assertEquals(8, ownership.refusal(3));
    }

    @Test
    void aFreshAssignmentReplacesTheOwnedSet() throws RocksDBException {
        apply(b -> ownership.assign(b, List.of(1, 2), 5));
        apply(b -> ownership.assign(b, List.of(2, 3), 5));
        assertEquals(Set.of(2, 3), ownership.owned());
        assertEquals(5, ownership.refusal(1));
    }

    @Test
    void theStateMachineThreadSeesItsUnflushedEntriesOthersOnlyPublishedOnes() throws RocksDBException {
        apply(b -> ownership.assign(b, List.of(1), 5));
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            ownership.own(batch, 4, 6);
            assertEquals(-1, ownership.refusalApplying(4));
            assertEquals(5, ownership.refusal(4));
            store.write(batch);
            ownership.publish();
        }
        assertEquals(-1, ownership.refusal(4));
    }

    @Test
    void ownershipSurvivesARestartAndStaysOutOfPartitionRanges() throws RocksDBException {
        apply(b -> ownership.assign(b, List.of(0, KeyCodec.MAX_PARTITION), 3));
        apply(b -> ownership.release(b, 0, 4));
        AtomicInteger inPartitions = new AtomicInteger();
        store.scan(KeyCodec.partitionStart(0), KeyCodec.partitionEnd(KeyCodec.MAX_PARTITION), 64,
                entries -> inPartitions.addAndGet(entries.size()));
        assertEquals(0, inPartitions.get());
        store.close();
        store = RocksStore.open(dir.resolve("db"));
        Ownership reopened = new Ownership();
        reopened.reload(store);
        assertTrue(reopened.fenced());
        assertEquals(4, reopened.epoch());
        assertEquals(Set.of(KeyCodec.MAX_PARTITION), reopened.owned());
        assertEquals(4, reopened.refusal(0));
    }
}
