package io.ravel.node.storage;

import io.ravel.common.Partitioner;

import java.util.Arrays;

/**
 * The RocksDB key layout of a replica.
 *
 * <p>A user key of partition {@code p} is stored as {@code [p as 2 bytes big-endian][key bytes]}, so
 * each partition is one contiguous range {@code [p, p+1)} and can be scanned or range-deleted in one
 * call. Partitions are 0..{@value #MAX_PARTITION}.
 *
 * <p>Cluster membership entries live in the same database under the reserved prefix
 * {@code 0xFF 0xFF} followed by the node id. No partition can reach that prefix, so a partition range
 * never covers a membership entry, and a RocksDB checkpoint (a snapshot) carries both.
 */
public final class KeyCodec {

    /** The highest partition id (partitions are 0..270, 271 in all). */
    public static final int MAX_PARTITION = Partitioner.PARTITIONS - 1;

    private static final byte[] MEMBER_PREFIX = {(byte) 0xFF, (byte) 0xFF};
    private static final byte[] MEMBER_END = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    private KeyCodec() {
    }

    /** Whether {@code partition} is a valid partition id. */
    public static boolean validPartition(long partition) {
        return partition >= 0 && partition <= MAX_PARTITION;
    }

    /** The stored form of {@code key} in {@code partition}. */
    public static byte[] encode(int partition, byte[] key) {
        checkPartition(partition);
        byte[] out = new byte[2 + key.length];
        out[0] = (byte) (partition >>> 8);
        out[1] = (byte) partition;
        System.arraycopy(key, 0, out, 2, key.length);
        return out;
    }

    /** The partition of a stored key. */
    public static int partitionOf(byte[] storedKey) {
        return ((storedKey[0] & 0xFF) << 8) | (storedKey[1] & 0xFF);
    }

    /** The user key of a stored key (the bytes after the partition prefix). */
    public static byte[] userKey(byte[] storedKey) {
        return Arrays.copyOfRange(storedKey, 2, storedKey.length);
    }

    /** Inclusive lower bound of {@code partition}'s range. */
    public static byte[] partitionStart(int partition) {
        checkPartition(partition);
        return new byte[] {(byte) (partition >>> 8), (byte) partition};
    }

    /** Exclusive upper bound of {@code partition}'s range (the start of the next partition). */
    public static byte[] partitionEnd(int partition) {
        checkPartition(partition);
        int next = partition + 1;
        return new byte[] {(byte) (next >>> 8), (byte) next};
    }

    /** The stored key of the membership entry of node {@code nodeId}. */
    public static byte[] memberKey(String nodeId) {
        byte[] id = nodeId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[MEMBER_PREFIX.length + id.length];
        System.arraycopy(MEMBER_PREFIX, 0, out, 0, MEMBER_PREFIX.length);
        System.arraycopy(id, 0, out, MEMBER_PREFIX.length, id.length);
        return out;
    }

    /** Inclusive lower bound of the membership range. */
    public static byte[] membersStart() {
        return MEMBER_PREFIX.clone();
    }

    /** Exclusive upper bound of the membership range. */
    public static byte[] membersEnd() {
        return MEMBER_END.clone();
    }

    private static void checkPartition(int partition) {
        if (!validPartition(partition)) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0.." + MAX_PARTITION);
        }
    }
}
