package io.ravel.node.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandCodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Command roundTrip(Command c) {
        byte[] bytes = CommandCodec.encode(c);
        assertEquals(c.type(), CommandCodec.decode(bytes).type());
        return CommandCodec.decode(ByteBuffer.wrap(bytes));
    }

    @Test
    void everyCommandSurvivesEncoding() {
        Command.Set set = (Command.Set) roundTrip(new Command.Set(270, b("ключ"), b("{\"v\":[1,null]}")));
        assertEquals(270, set.partition());
        assertArrayEquals(b("ключ"), set.key());
        assertArrayEquals(b("{\"v\":[1,null]}"), set.value());

        Command.Delete del = (Command.Delete) roundTrip(new Command.Delete(7, b("k")));
        assertEquals(7, del.partition());
        assertArrayEquals(b("k"), del.key());

        Command.GetAndDelete gad = (Command.GetAndDelete) roundTrip(new Command.GetAndDelete(0, b("g")));
        assertEquals(0, gad.partition());
        assertArrayEquals(b("g"), gad.key());

        Command.Batch batch = (Command.Batch) roundTrip(new Command.Batch(List.of(
                new Command.Set(1, b("a"), b("1")), new Command.Set(2, b("b"), new byte[0]))));
        assertEquals(2, batch.entries().size());
        assertEquals(2, batch.entries().get(1).partition());
        assertArrayEquals(b("b"), batch.entries().get(1).key());
        assertEquals(0, batch.entries().get(1).value().length);

        assertEquals(0, ((Command.Batch) roundTrip(new Command.Batch(List.of()))).entries().size());
        assertEquals(123, ((Command.DeletePartition) roundTrip(new Command.DeletePartition(123))).partition());

        Member m = new Member("id-1", "localhost:50001", "localhost:60001");
        assertEquals(m, ((Command.MemberAdd) roundTrip(new Command.MemberAdd(m))).member());
        assertEquals("id-1", ((Command.MemberRemove) roundTrip(new Command.MemberRemove("id-1"))).nodeId());
    }

    @Test
    void decodesFromABufferPositionedInsideALargerArray() {
        byte[] encoded = CommandCodec.encode(new Command.DeletePartition(9));
        byte[] framed = new byte[encoded.length + 3];
        System.arraycopy(encoded, 0, framed, 3, encoded.length);
        ByteBuffer buf = ByteBuffer.wrap(framed, 3, encoded.length);
        assertInstanceOf(Command.DeletePartition.class, CommandCodec.decode(buf));
    }

    @Test
    void rejectsMalformedEntries() {
        byte[] good = CommandCodec.encode(new Command.Set(1, b("key"), b("value")));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(Arrays.copyOf(good, good.length + 1)));
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(badVersion));
        byte[] badType = good.clone();
        badType[1] = 42;
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(badType));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(new byte[0]));
        byte[] hugeLength = good.clone();
        hugeLength[4] = 0x7F;
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(hugeLength));
    }

    @Test
    void entriesWrittenByEarlierReplicasStillDecode() {
        // version 1, SET, partition 17, key "k", value "1": the bytes earlier replicas wrote to their logs
        byte[] v1 = {1, 1, 0, 17, 0, 0, 0, 1, 'k', 0, 0, 0, 1, '1'};
        LogEntry entry = CommandCodec.decodeEntry(ByteBuffer.wrap(v1));
        Command.Set set = (Command.Set) entry.command();
        assertEquals(17, set.partition());
        assertArrayEquals(b("k"), set.key());
        assertArrayEquals(b("1"), set.value());
        assertEquals(0, set.requestId().length);
        assertEquals(0, entry.stampMs());
        assertArrayEquals(v1, CommandCodec.encode(new Command.Set(17, b("k"), b("1"))), "no id: still version 1");
        assertArrayEquals(v1, CommandCodec.encode(new LogEntry(new Command.Set(17, b("k"), b("1")), 99)));
    }

    @Test
    void requestIdsAndTheStampSurviveEncoding() {
        LogEntry del = CommandCodec.decodeEntry(ByteBuffer.wrap(
                CommandCodec.encode(new LogEntry(new Command.Delete(3, b("d"), b("id-1")), 1_700_000_000_123L))));
        assertEquals(1_700_000_000_123L, del.stampMs());
        assertArrayEquals(b("id-1"), ((Command.Delete) del.command()).requestId());
        assertArrayEquals(b("d"), ((Command.Delete) del.command()).key());

        Command.GetAndDelete gad = (Command.GetAndDelete) roundTrip(new Command.GetAndDelete(4, b("g"), b("id-2")));
        assertArrayEquals(b("id-2"), gad.requestId());
        assertEquals(4, gad.partition());

        Command.Batch batch = (Command.Batch) roundTrip(new Command.Batch(List.of(
                new Command.Set(1, b("a"), b("1"), b("id-a")), new Command.Set(2, b("b"), b("2")))));
        assertArrayEquals(b("id-a"), batch.entries().get(0).requestId());
        assertEquals(0, batch.entries().get(1).requestId().length);
        assertArrayEquals(b("2"), batch.entries().get(1).value());
        assertEquals(CommandCodec.VERSION_WITH_IDS, CommandCodec.encode(batch)[0]);
    }

    @Test
    void conditionsExpiryAndCopiesUseTheThirdFormat() {
        Command.Set cas = new Command.Set(9, b("k"), b("1"), b("id-c"), 4, 1_700_000_005_000L, 0);
        byte[] bytes = CommandCodec.encode(new LogEntry(cas, 1_700_000_000_000L));
        assertEquals(CommandCodec.VERSION_EXTENDED, bytes[0]);
        LogEntry entry = CommandCodec.decodeEntry(ByteBuffer.wrap(bytes));
        assertEquals(1_700_000_000_000L, entry.stampMs());
        Command.Set back = (Command.Set) entry.command();
        assertEquals(4, back.ifVersion());
        assertEquals(1_700_000_005_000L, back.expiresAtMs());
        assertEquals(0, back.version());
        assertArrayEquals(b("id-c"), back.requestId());

        Command.Delete del = (Command.Delete) roundTrip(new Command.Delete(3, b("d"), Command.NO_ID, 0));
        assertEquals(0, del.ifVersion());
        assertEquals(Command.UNCONDITIONAL, ((Command.Delete) roundTrip(new Command.Delete(3, b("d")))).ifVersion());

        Command.Batch copy = (Command.Batch) roundTrip(new Command.Batch(List.of(
                new Command.Set(1, b("a"), b("1"), Command.NO_ID, Command.UNCONDITIONAL, 77, 12),
                new Command.Set(2, b("b"), b("2")))));
        assertEquals(12, copy.entries().get(0).version());
        assertEquals(77, copy.entries().get(0).expiresAtMs());
        assertEquals(Command.UNCONDITIONAL, copy.entries().get(1).ifVersion());
        assertEquals(0, copy.entries().get(1).version());

        Command.Expire expire = (Command.Expire) roundTrip(new Command.Expire(List.of(
                new Command.Expiry(270, b("x"), 123L), new Command.Expiry(0, b("y"), 456L))));
        assertEquals(2, expire.keys().size());
        assertEquals(270, expire.keys().get(0).partition());
        assertArrayEquals(b("y"), expire.keys().get(1).key());
        assertEquals(456L, expire.keys().get(1).expiresAtMs());
    }

    @Test
    void plainWritesKeepTheirEarlierFormats() {
        assertEquals(CommandCodec.VERSION, CommandCodec.encode(new Command.Set(1, b("a"), b("1")))[0]);
        assertEquals(CommandCodec.VERSION_WITH_IDS, CommandCodec.encode(new Command.Set(1, b("a"), b("1"), b("i")))[0]);
        assertEquals(CommandCodec.VERSION_WITH_IDS, CommandCodec.encode(new Command.Delete(1, b("a"), b("i")))[0]);
    }

    @Test
    void batchOpsCarrySetsAndDeletesInTheThirdFormat() {
        Command.BatchOps ops = new Command.BatchOps(List.of(
                new Command.Set(5, b("k"), b("1"), b("i")),
                new Command.Delete(6, b("d"), b("j"), 3)));
        byte[] expected = {
                3, 9, 0, 0, 0, 0, 0, 0, 1, 2, // format 3, BATCH_OPS, stamp 258
                0, 0, 0, 2, // two ops
                1, 0, 0, 0, 1, 'i', 0, 5, 0, 0, 0, 1, 'k', 0, 0, 0, 1, '1', // SET id "i" partition 5 key "k" value "1"
                -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // no condition, expiry, version
                2, 0, 0, 0, 1, 'j', 0, 6, 0, 0, 0, 1, 'd', 0, 0, 0, 0, 0, 0, 0, 3}; // DELETE id "j" partition 6 key "d" ifVersion 3
        assertArrayEquals(expected, CommandCodec.encode(new LogEntry(ops, 258)));

        LogEntry entry = CommandCodec.decodeEntry(ByteBuffer.wrap(expected));
        assertEquals(258, entry.stampMs());
        List<Command> back = ((Command.BatchOps) entry.command()).ops();
        Command.Set set = (Command.Set) back.get(0);
        assertEquals(5, set.partition());
        assertArrayEquals(b("i"), set.requestId());
        assertArrayEquals(b("1"), set.value());
        assertEquals(Command.UNCONDITIONAL, set.ifVersion());
        Command.Delete del = (Command.Delete) back.get(1);
        assertEquals(6, del.partition());
        assertArrayEquals(b("d"), del.key());
        assertArrayEquals(b("j"), del.requestId());
        assertEquals(3, del.ifVersion());

        byte[] notAWrite = expected.clone();
        notAWrite[14] = 3; // GET_AND_DELETE may not travel in a BATCH_OPS
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(notAWrite));
        byte[] earlyFormat = {2, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(earlyFormat));
        assertThrows(IllegalArgumentException.class,
                () -> new Command.BatchOps(List.of(new Command.GetAndDelete(1, b("g")))));
    }

    @Test
    void batchesWrittenByEarlierReplicasStillDecode() {
        // version 1, BATCH of one SET: partition 17, key "k", value "1"
        byte[] v1 = {1, 4, 0, 0, 0, 1, 0, 17, 0, 0, 0, 1, 'k', 0, 0, 0, 1, '1'};
        Command.Batch batch = (Command.Batch) CommandCodec.decode(v1);
        assertEquals(1, batch.entries().size());
        assertEquals(17, batch.entries().get(0).partition());
        assertArrayEquals(b("k"), batch.entries().get(0).key());
        assertArrayEquals(v1, CommandCodec.encode(batch));
    }

    @Test
    void ownershipEntriesHaveFixedEncodings() {
        Command.AssignOwnership assign = new Command.AssignOwnership(List.of(1, 270), 5);
        assertArrayEquals(new byte[] {1, 10, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0, 1, 1, 14},
                CommandCodec.encode(assign));
        assertEquals(assign, CommandCodec.decode(CommandCodec.encode(assign)));
        Command.OwnPartition own = new Command.OwnPartition(258, 7);
        assertArrayEquals(new byte[] {1, 11, 1, 2, 0, 0, 0, 0, 0, 0, 0, 7}, CommandCodec.encode(own));
        assertEquals(own, CommandCodec.decode(CommandCodec.encode(own)));
        Command.ReleasePartition release = new Command.ReleasePartition(3, 9);
        assertArrayEquals(new byte[] {1, 12, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9}, CommandCodec.encode(release));
        assertEquals(release, CommandCodec.decode(CommandCodec.encode(release)));
        assertEquals(List.of(), ((Command.AssignOwnership) roundTrip(new Command.AssignOwnership(List.of(), 1))).partitions());
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(new byte[] {1, 9, 0, 1}),
                "code 9 is BATCH_OPS, which only the third format carries");
        assertThrows(IllegalArgumentException.class,
                () -> CommandCodec.decode(new byte[] {1, 10, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(new byte[] {1, 11, 0, 3, 0, 0}));
    }
}
