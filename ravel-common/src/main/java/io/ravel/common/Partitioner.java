package io.ravel.common;

import net.openhft.hashing.LongHashFunction;

import java.nio.charset.StandardCharsets;

/**
 * Maps a key to one of {@link #PARTITIONS} partitions: xxHash64 of the key's UTF-8 bytes (seed 0),
 * taken as an unsigned 64-bit value, modulo 271. The admin routes with it and the replicas bound
 * their partition ids with it. Stateless and thread-safe.
 */
public final class Partitioner {

    /** Number of partitions in every Ravel system; changing it would move every key. */
    public static final int PARTITIONS = 271;

    private static final LongHashFunction XX = LongHashFunction.xx(0);

    private Partitioner() {
    }

    public static int partitionOf(String key) {
        return partitionOf(key.getBytes(StandardCharsets.UTF_8));
    }

    public static int partitionOf(byte[] keyUtf8) {
        return (int) Long.remainderUnsigned(XX.hashBytes(keyUtf8), PARTITIONS);
    }

    /** xxHash64 (seed 0) of arbitrary bytes; the admin's ring hashes its points and partitions with it. */
    public static long hash(byte[] bytes) {
        return XX.hashBytes(bytes);
    }
}
