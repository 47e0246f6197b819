package io.ravel.node.raft;

import io.ravel.node.command.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.ravel.node.raft.ApplierFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A BATCH_OPS entry (sets and deletes of one client batch) applied to a real RocksDB, with per-op results. */
class BatchOpsApplyTest {

    private static final int P = 7;

    @RegisterExtension
    final ApplierFixture db = new ApplierFixture();

    @Test
    void aMixedBatchAppliesInOneEntryWithAResultPerOp() throws Exception {
        db.apply(new Command.Set(P, b("old"), b("1")), 0);
        db.apply(new Command.Set(P, b("kept"), b("1")), 0);
        Command.BatchOps ops = new Command.BatchOps(List.of(
                new Command.Set(P, b("new"), b("\"n\""), b("id-1")),
                new Command.Delete(P, b("old"), b("id-2")),
                new Command.Delete(P, b("missing"), b("id-3")),
                new Command.Set(P, b("old"), b("\"again\""), b("id-4")),
                new Command.Delete(P, b("kept"), b("id-5"), 5)));

        CommandResult result = db.apply(ops, 1_000);
        List<CommandResult> parts = result.parts();
        assertEquals(5, parts.size());
        assertEquals(CommandResult.written(1), parts.get(0));
        assertTrue(parts.get(1).found());
        assertFalse(parts.get(2).found(), "a delete of a missing key answers NOT_FOUND for that op only");
        assertFalse(parts.get(2).conflict());
        assertEquals(CommandResult.written(1), parts.get(3), "the set sees the delete before it in the entry");
        assertTrue(parts.get(4).conflict());
        assertEquals(1, parts.get(4).version());

        assertArrayEquals(b("\"n\""), db.stored(P, "new").json());
        assertArrayEquals(b("\"again\""), db.stored(P, "old").json());
        assertEquals(1, db.stored(P, "kept").version());
        assertNull(db.stored(P, "missing"));

        // the same entry again (a retried call): every op answers as the first time and applies nothing
        db.apply(new Command.Set(P, b("new"), b("\"changed\"")), 2_000);
        CommandResult again = db.apply(ops, 3_000);
        assertEquals(5, again.parts().size());
        assertTrue(again.parts().get(1).found(), "the retried delete answers as the first time");
        assertFalse(again.parts().get(2).found());
        assertEquals(1, again.parts().get(0).version());
        assertTrue(again.parts().get(4).conflict());
        assertArrayEquals(b("\"changed\""), db.stored(P, "new").json());
        assertEquals(1, db.stored(P, "old").version());
    }
}
