package io.ravel.node.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCodecTest {

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Test
    void prefixesTheKeyWithTheBigEndianPartition() {
        byte[] stored = KeyCodec.encode(258, "ab".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {1, 2, 'a', 'b'}, stored);
        assertEquals(258, KeyCodec.partitionOf(stored));
        assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8), KeyCodec.userKey(stored));
    }

    @Test
    void everyKeyOfAPartitionLiesInItsRangeAndNoOtherKeyDoes() {
        byte[] highKey = new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        for (int p = 0; p <= KeyCodec.MAX_PARTITION; p++) {
            byte[] start = KeyCodec.partitionStart(p);
            byte[] end = KeyCodec.partitionEnd(p);
            for (byte[] key : new byte[][] {new byte[0], highKey, "k".getBytes(StandardCharsets.UTF_8)}) {
                byte[] stored = KeyCodec.encode(p, key);
                assertTrue(compare(start, stored) <= 0 && compare(stored, end) < 0, "partition " + p);
            }
            if (p > 0) {
                assertTrue(compare(KeyCodec.encode(p - 1, highKey), start) < 0);
            }
        }
    }

    @Test
    void membershipEntriesLieOutsideEveryPartition() {
        byte[] member = KeyCodec.memberKey("5f0c2a0e-1111-2222-3333-444455556666");
        assertTrue(compare(KeyCodec.partitionEnd(KeyCodec.MAX_PARTITION), member) <= 0);
        assertTrue(compare(KeyCodec.membersStart(), member) <= 0);
        assertTrue(compare(member, KeyCodec.membersEnd()) < 0);
    }

    @Test
    void rejectsPartitionsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.encode(271, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.encode(-1, new byte[] {1}));
        assertTrue(KeyCodec.validPartition(0));
        assertTrue(KeyCodec.validPartition(270));
    }
}
