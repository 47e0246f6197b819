package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.StoredValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.ravel.node.command.Command.UNCONDITIONAL;
import static io.ravel.node.raft.ApplierFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions, conditional writes and expiry as the state machine decides them, applied to a real
 * RocksDB entry by entry with chosen leader stamps (the log's clock).
 */
class VersionedApplyTest {

    private static final int P = 42;

    @RegisterExtension
    final ApplierFixture db = new ApplierFixture();

    private static Command.Set put(String key, String json, long ifVersion, long expiresAt) {
        return new Command.Set(P, b(key), b(json), Command.NO_ID, ifVersion, expiresAt, 0);
    }

    @Test
    void everyWriteOfAKeyRaisesItsVersion() throws Exception {
        assertEquals(1, db.apply(new Command.Set(P, b("k"), b("1")), 0).version());
        assertEquals(2, db.apply(new Command.Set(P, b("k"), b("2")), 0).version());
        assertEquals(3, db.apply(new Command.Batch(List.of(new Command.Set(P, b("k"), b("3")))), 0).found() ? db.stored(P, "k").version() : -1);
        assertEquals(1, db.apply(new Command.Set(P, b("other"), b("1")), 0).version(), "versions are per key");
        assertArrayEquals(b("3"), db.stored(P, "k").json());
        assertEquals(3, db.apply(new Command.Delete(P, b("k")), 0).version(), "a delete answers the version it removed");
        assertNull(db.stored(P, "k"));
        assertEquals(1, db.apply(new Command.Set(P, b("k"), b("again")), 0).version(), "a deleted key starts over");
    }

    @Test
    void aValueWrittenBeforeVersionsReadsAsVersionOne() throws Exception {
        db.store().put(KeyCodec.encode(P, b("old")), b("{\"a\":1}"));
        StoredValue old = db.stored(P, "old");
        assertEquals(1, old.version());
        assertEquals(0, old.expiresAtMs());
        assertArrayEquals(b("{\"a\":1}"), old.json());
        assertTrue(db.apply(put("old", "0", 0, 0), 0).conflict(), "the old key exists");
        CommandResult next = db.apply(put("old", "\"new\"", 1, 0), 0);
        assertFalse(next.conflict());
        assertEquals(2, next.version());
        assertArrayEquals(b("\"new\""), db.stored(P, "old").json());
    }

    @Test
    void conditionalWritesApplyOnlyAtTheirVersion() throws Exception {
        assertEquals(1, db.apply(put("k", "\"a\"", 0, 0), 0).version(), "0: only if absent");
        CommandResult lost = db.apply(put("k", "\"b\"", 0, 0), 0);
        assertTrue(lost.conflict());
        assertEquals(1, lost.version());
        assertArrayEquals(b("\"a\""), db.stored(P, "k").json(), "a lost condition writes nothing");
        assertEquals(2, db.apply(put("k", "\"c\"", 1, 0), 0).version());
        CommandResult staleDelete = db.apply(new Command.Delete(P, b("k"), Command.NO_ID, 1), 0);
        assertTrue(staleDelete.conflict());
        assertEquals(2, staleDelete.version());
        assertEquals(2, db.stored(P, "k").version());
        assertTrue(db.apply(new Command.Delete(P, b("k"), Command.NO_ID, 2), 0).found());
        assertNull(db.stored(P, "k"));
        CommandResult absent = db.apply(put("k", "\"d\"", 5, 0), 0);
        assertTrue(absent.conflict());
        assertEquals(0, absent.version(), "an absent key is at version 0");
    }

    @Test
    void aRetriedConditionalWriteGetsItsFirstAnswer() throws Exception {
        Command.Set first = new Command.Set(P, b("k"), b("1"), b("req-1"), 0, 0, 0);
        assertEquals(1, db.apply(first, 1000).version());
        CommandResult again = db.apply(first, 1001);
        assertFalse(again.conflict(), "the retry is the same request, not a second writer");
        assertEquals(1, again.version());
        Command.Set loser = new Command.Set(P, b("k"), b("2"), b("req-2"), 0, 0, 0);
        assertTrue(db.apply(loser, 1002).conflict());
        db.apply(new Command.Delete(P, b("k")), 1003);
        CommandResult retriedLoser = db.apply(loser, 1004);
        assertTrue(retriedLoser.conflict(), "the retry answers the first verdict even though the key is gone now");
        assertEquals(1, retriedLoser.version());
        assertNull(db.stored(P, "k"));
    }

    @Test
    void anExpiredKeyCountsAsAbsentByTheLogsClock() throws Exception {
        db.apply(put("k", "1", UNCONDITIONAL, 3000), 1000);
        assertEquals(3000, db.stored(P, "k").expiresAtMs());
        assertTrue(db.apply(put("k", "2", 0, 3000), 2999).conflict(), "not expired yet at 2999");
        CommandResult afterExpiry = db.apply(put("k", "3", 0, 0), 3000);
        assertFalse(afterExpiry.conflict(), "expired at its deadline: absent, so ifVersion 0 applies");
        assertEquals(1, afterExpiry.version());
        assertEquals(0, db.stored(P, "k").expiresAtMs(), "a write without ttl clears the expiry");
        assertTrue(ExpiryIndex.due(db.store(), Long.MAX_VALUE - 1, 10).isEmpty(), "the old deadline left the index");
    }

    @Test
    void expireRemovesOnlyKeysStillCarryingTheirPassedDeadline() throws Exception {
        db.apply(put("gone", "1", UNCONDITIONAL, 2000), 1000);
        db.apply(put("rewritten", "1", UNCONDITIONAL, 2000), 1000);
        db.apply(put("later", "1", UNCONDITIONAL, 9000), 1000);
        List<Command.Expiry> due = ExpiryIndex.due(db.store(), 2500, 10);
        assertEquals(2, due.size());
        db.apply(put("rewritten", "2", UNCONDITIONAL, 0), 1500);
        db.apply(new Command.Expire(due), 2500);
        assertNull(db.stored(P, "gone"));
        assertArrayEquals(b("2"), db.stored(P, "rewritten").json(), "rewritten without ttl after the sweep was planned");
        assertEquals(9000, db.stored(P, "later").expiresAtMs());
        assertTrue(ExpiryIndex.due(db.store(), 2500, 10).isEmpty());
        assertEquals(1, ExpiryIndex.due(db.store(), 9000, 10).size());
        db.apply(new Command.Expire(ExpiryIndex.due(db.store(), 9000, 10)), 8000);
        assertEquals(9000, db.stored(P, "later").expiresAtMs(), "a deadline after the entry's stamp is not removed");
    }

    @Test
    void aCopyKeepsItsVersionAndDeadline() throws Exception {
        Command.Set copy = new Command.Set(P, b("moved"), b("\"v\""), Command.NO_ID, UNCONDITIONAL, 5000, 7);
        db.apply(new Command.Batch(List.of(copy)), 1000);
        StoredValue moved = db.stored(P, "moved");
        assertEquals(7, moved.version());
        assertEquals(5000, moved.expiresAtMs());
        assertEquals(1, ExpiryIndex.due(db.store(), 5000, 10).size(), "the copy's deadline is indexed on its new owner");
        assertEquals(8, db.apply(new Command.Set(P, b("moved"), b("1")), 1000).version());
    }

    @Test
    void aRepeatedCopyWithAnotherDeadlineKeepsTheLatestAndItsOldIndexEntryExpiresNothing() throws Exception {
        db.apply(new Command.Batch(List.of(new Command.Set(P, b("moved"), b("1"), Command.NO_ID, UNCONDITIONAL, 2000, 3))), 1000);
        db.apply(new Command.Batch(List.of(new Command.Set(P, b("moved"), b("2"), Command.NO_ID, UNCONDITIONAL, 6000, 4))), 1000);
        StoredValue moved = db.stored(P, "moved");
        assertEquals(4, moved.version());
        assertEquals(6000, moved.expiresAtMs());
        db.apply(new Command.Expire(ExpiryIndex.due(db.store(), 2500, 10)), 2500);
        assertArrayEquals(b("2"), db.stored(P, "moved").json(), "the first copy's deadline no longer applies");
        db.apply(new Command.Expire(ExpiryIndex.due(db.store(), 6000, 10)), 6000);
        assertNull(db.stored(P, "moved"), "the latest copy's deadline does");
        assertTrue(ExpiryIndex.due(db.store(), Long.MAX_VALUE - 1, 10).isEmpty());
    }
}
