package io.ravel.node.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import static io.ravel.node.raft.ApplierFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Applied request ids in a real RocksDB: found within the retention by the log's clock, pruned after it. */
class AppliedRequestsTest {

    private static final long RETENTION = 10_000;

    @RegisterExtension
    final ApplierFixture db = new ApplierFixture(RETENTION);

    /** Applies "an entry stamped {@code stamp}" that records {@code id}; returns the clock. */
    private long applyAt(long stamp, String id, CommandResult result) throws RocksDBException {
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            long now = db.requests().advance(batch, stamp);
            if (id != null) {
                db.requests().record(batch, b(id), now, result);
            }
            db.store().write(batch);
            return now;
        }
    }

    private CommandResult find(String id, long now) {
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            return db.requests().find(batch, b(id), now);
        }
    }

    @Test
    void anIdIsFoundWithItsAnswerUntilItExpiresByTheLogsClock() throws RocksDBException {
        applyAt(1_000, "taken", new CommandResult(true, b("\"v\"")));
        applyAt(1_000, "missing", CommandResult.NOT_FOUND);
        CommandResult taken = find("taken", 1_000 + RETENTION);
        assertNotNull(taken);
        assertTrue(taken.found());
        assertArrayEquals(b("\"v\""), taken.value());
        assertFalse(find("missing", 1_000).found());
        assertNull(find("taken", 1_001 + RETENTION), "expired by the clock, pruned or not");
        assertNull(find("never", 1_000));
    }

    @Test
    void theClockNeverGoesBackAndSurvivesAReload() throws RocksDBException {
        assertEquals(50_000, applyAt(50_000, null, null));
        assertEquals(50_000, applyAt(20_000, null, null), "a new leader whose clock is behind");
        db.requests().reload();
        assertEquals(50_000, applyAt(1, null, null));
    }

    @Test
    void pruningDeletesExpiredRecordsInBoundedBatchesAndKeepsAReappliedOne() throws RocksDBException {
        int ids = AppliedRequests.PRUNE_BATCH + 10;
        for (int i = 0; i < ids; i++) {
            applyAt(1_000, "old-" + i, CommandResult.OK);
        }
        long now = applyAt(1_000 + RETENTION + 1, "old-0", CommandResult.NOT_FOUND);
        db.requests().prune(1);
        int left = 0;
        for (int i = 1; i < ids; i++) {
            left += find("old-" + i, 0) == null ? 0 : 1;
        }
        assertEquals(10, left, "one prune deletes one batch");
        db.requests().prune(1);
        for (int i = 1; i < ids; i++) {
            assertNull(find("old-" + i, 0), "old-" + i + " outlived its retention");
        }
        CommandResult reapplied = find("old-0", now);
        assertNotNull(reapplied, "an id applied again after expiring keeps its new record");
        assertFalse(reapplied.found());
    }

    @Test
    void onePassPrunesTwiceAsManyAsWereJustAddedSoPruningKeepsUp() throws RocksDBException {
        int ids = 3 * AppliedRequests.PRUNE_BATCH;
        for (int i = 0; i < ids; i++) {
            applyAt(1_000, "burst-" + i, CommandResult.OK);
        }
        applyAt(1_000 + RETENTION + 1, null, null);
        db.requests().prune(ids / 2);
        for (int i = 0; i < ids; i++) {
            assertNull(find("burst-" + i, 0), "burst-" + i + " left after one pass");
        }
    }
}
