package io.ravel.admin.sharding;

import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionerTest {

    @Test
    void partitionIsUnsignedXxHash64ModuloPartitionCount() {
        for (int i = 0; i < 5_000; i++) {
            String key = "key-" + i + "-ключ";
            long hash = LongHashFunction.xx(0).hashBytes(key.getBytes(StandardCharsets.UTF_8));
            int p = Partitioner.partitionOf(key);
            assertEquals(Long.remainderUnsigned(hash, 271), p, key);
            assertTrue(p >= 0 && p < Partitioner.PARTITIONS);
        }
    }

    @Test
    void keysSpreadOverEveryPartition() {
        BitSet seen = new BitSet();
        for (int i = 0; i < 20_000; i++) {
            seen.set(Partitioner.partitionOf("k" + i));
        }
        assertEquals(Partitioner.PARTITIONS, seen.cardinality());
    }

    @Test
    void stringAndBytesAgree() {
        assertEquals(Partitioner.partitionOf("the_answer"),
                Partitioner.partitionOf("the_answer".getBytes(StandardCharsets.UTF_8)));
    }
}
