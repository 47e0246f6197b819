package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.node.storage.StoredValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ownership fence as the state machine applies it, entry by entry, on a real RocksDB. */
class FencedApplyTest {

    private static final int OWNED = 3;
    private static final int OTHER = 4;

    @TempDir
    Path dir;

    private RocksStore store;
    private AppliedRequests requests;
    private Ownership ownership;

    @BeforeEach
    void open() {
        store = RocksStore.open(dir.resolve("db"));
        requests = new AppliedRequests(store, 60_000);
        ownership = new Ownership();
        ownership.reload(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private CommandResult apply(Command command) throws Exception {
        try (Applier applier = new Applier(store, new MemberDirectory(), requests, ownership)) {
            CommandResult result = applier.apply(command, 1_000, true);
            applier.flush();
            return result;
        }
    }

    private boolean stored(int partition, String key) {
        return store.get(KeyCodec.encode(partition, b(key))) != null;
    }

    @Test
    void keyWritesOutsideTheAssignmentAreRefusedWholeWithTheEpoch() throws Exception {
        assertTrue(apply(new Command.Set(OTHER, b("before"), b("1"))).found(), "unfenced: every partition");
        apply(new Command.AssignOwnership(List.of(OWNED), 2));
        assertEquals(2, ownership.epoch());

        assertEquals(2, apply(new Command.Set(OTHER, b("k"), b("1"))).ownerEpoch());
        assertEquals(2, apply(new Command.Delete(OTHER, b("before"))).ownerEpoch());
        assertEquals(2, apply(new Command.GetAndDelete(OTHER, b("before"))).ownerEpoch());
        CommandResult batch = apply(new Command.Batch(List.of(new Command.Set(OWNED, b("a"), b("1")),
                new Command.Set(OTHER, b("b"), b("1")))));
        assertTrue(batch.wrongOwner());
        assertFalse(stored(OWNED, "a"), "a refused batch writes none of its entries");
        assertFalse(stored(OTHER, "k"));
        assertTrue(stored(OTHER, "before"));

        assertFalse(apply(new Command.Set(OWNED, b("a"), b("1"))).wrongOwner());
        assertTrue(stored(OWNED, "a"));
        assertFalse(apply(new Command.DeletePartition(OTHER)).wrongOwner(), "relocation clears a partition it does not own");
        assertFalse(stored(OTHER, "before"));
    }

    @Test
    void relocationWritesAreRefusedOnOwnedPartitionsAndAllowedOnTheOthers() throws Exception {
        apply(new Command.AssignOwnership(List.of(OWNED), 4));
        apply(new Command.Set(OWNED, b("live"), b("1")));
        assertEquals(4, apply(new Command.DeletePartition(OWNED)).ownerEpoch(), "an owned partition is never cleared");
        assertTrue(stored(OWNED, "live"));
        Command.Set copied = new Command.Set(OWNED, b("live"), b("0"), Command.NO_ID, Command.UNCONDITIONAL, 0, 7);
        assertEquals(4, apply(new Command.Batch(List.of(copied))).ownerEpoch(), "nor copied into");
        assertEquals(1, StoredValue.decode(store.get(KeyCodec.encode(OWNED, b("live")))).version());

        Command.Set copy = new Command.Set(OTHER, b("moved"), b("2"), Command.NO_ID, Command.UNCONDITIONAL, 0, 7);
        assertFalse(apply(new Command.Batch(List.of(copy))).wrongOwner(), "a copy goes into a partition not owned yet");
        assertEquals(7, StoredValue.decode(store.get(KeyCodec.encode(OTHER, b("moved")))).version());
        apply(new Command.OwnPartition(OTHER, 5));
        assertTrue(apply(new Command.Batch(List.of(copy))).wrongOwner(), "once owned, a late copy is refused");
    }

    @Test
    void changesBelowTheClusterEpochAreIgnoredEvenForAPartitionReleasedSince() throws Exception {
        apply(new Command.AssignOwnership(List.of(OWNED, OTHER), 2));
        apply(new Command.ReleasePartition(OTHER, 6));
        apply(new Command.OwnPartition(OTHER, 5));
        assertEquals(6, ownership.refusalApplying(OTHER), "an own of an earlier move attempt is ignored");
        apply(new Command.ReleasePartition(OWNED, 3));
        assertEquals(-1, ownership.refusalApplying(OWNED), "so is a release");
        apply(new Command.AssignOwnership(List.of(OTHER), 5));
        assertEquals(-1, ownership.refusalApplying(OWNED), "and an assignment");
        apply(new Command.OwnPartition(OTHER, 6));
        assertEquals(-1, ownership.refusalApplying(OTHER), "a change at the cluster's epoch applies");
    }

    @Test
    void aBatchOfOpsIsFencedOpByOp() throws Exception {
        apply(new Command.AssignOwnership(List.of(OWNED), 3));
        CommandResult result = apply(new Command.BatchOps(List.of(
                new Command.Set(OWNED, b("a"), b("1"), b("id-a")),
                new Command.Set(OTHER, b("b"), b("1"), b("id-b")),
                new Command.Delete(OTHER, b("c"), b("id-c"), Command.UNCONDITIONAL))));
        assertFalse(result.parts().get(0).wrongOwner());
        assertEquals(3, result.parts().get(1).ownerEpoch());
        assertEquals(3, result.parts().get(2).ownerEpoch());
        assertTrue(stored(OWNED, "a"), "ops on owned partitions apply");
        assertFalse(stored(OTHER, "b"), "ops on other partitions write nothing");
    }

    @Test
    void aRefusedWriteLeavesNoRequestRecordSoItsRetryApplies() throws Exception {
        apply(new Command.AssignOwnership(List.of(OWNED), 1));
        Command.Set write = new Command.Set(OTHER, b("k"), b("1"), b("request-1"));
        assertTrue(apply(write).wrongOwner());
        apply(new Command.OwnPartition(OTHER, 2));
        CommandResult retried = apply(write);
        assertFalse(retried.wrongOwner());
        assertEquals(1, retried.version());
        assertEquals(1, apply(write).version(), "applied once from then on");
        assertNotNull(store.get(KeyCodec.encode(OTHER, b("k"))));
    }

    @Test
    void ownershipEntriesAreVisibleOnlyOnceTheirBatchIsWrittenAndSurviveAReload() throws Exception {
        try (Applier applier = new Applier(store, new MemberDirectory(), requests, ownership)) {
            applier.apply(new Command.AssignOwnership(List.of(OWNED), 5), 1_000, true);
            assertEquals(5, applier.apply(new Command.Set(OTHER, b("k"), b("1")), 1_000, true).ownerEpoch(),
                    "later entries of the same batch see the assignment");
            assertEquals(-1, ownership.refusal(OTHER), "readers see it only once written");
            applier.flush();
        }
        assertEquals(5, ownership.refusal(OTHER));
        Ownership reloaded = new Ownership();
        reloaded.reload(store);
        assertEquals(5, reloaded.refusal(OTHER));
        assertEquals(-1, reloaded.refusal(OWNED));
        apply(new Command.ReleasePartition(OWNED, 4));
        assertEquals(-1, ownership.refusal(OWNED), "a stale release is ignored");
        assertNull(store.get(KeyCodec.encode(OTHER, b("k"))));
    }
}
