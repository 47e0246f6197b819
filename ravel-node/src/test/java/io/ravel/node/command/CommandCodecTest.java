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
}
