package io.ravel.common;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionerTest {

    /**
     * Partitions of fixed keys, computed outside Ravel from the published xxHash64 definition
     * (seed 0, unsigned, mod 271). A change here would move stored keys: it must never happen.
     */
    private static final Map<String, Integer> EXPECTED = Map.of(
            "", 171,
            "a", 122,
            "the_answer", 157,
            "dogegod", 37,
            "hello_friend", 3,
            "primes", 179,
            "ключ", 174,
            "\uD83E\uDD80 crab", 79,
            "key-with-a-length-over-thirty-two-bytes-0123456789", 94);

    @Test
    void fixedKeysHaveFixedPartitions() {
        EXPECTED.forEach((key, partition) -> assertEquals(partition, Partitioner.partitionOf(key), key));
    }

    @Test
    void xxHash64MatchesItsPublishedVectors() {
        assertEquals(0xEF46DB3751D8E999L, Partitioner.hash(new byte[0]));
        assertEquals(0xD24EC4F1A98C6E5BL, Partitioner.hash("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0x44BC2CF5AD770999L, Partitioner.hash("abc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyPartitionIsInRangeAndKeysSpreadOverEveryPartition() {
        BitSet seen = new BitSet();
        for (int i = 0; i < 20_000; i++) {
            int p = Partitioner.partitionOf("k" + i);
            assertTrue(p >= 0 && p < Partitioner.PARTITIONS, "partition " + p);
            seen.set(p);
        }
        assertEquals(Partitioner.PARTITIONS, seen.cardinality());
    }

    @Test
    void stringAndBytesAgree() {
        assertEquals(Partitioner.partitionOf("the_answer"),
                Partitioner.partitionOf("the_answer".getBytes(StandardCharsets.UTF_8)));
    }
}
