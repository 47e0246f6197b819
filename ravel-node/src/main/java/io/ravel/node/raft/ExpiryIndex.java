package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys that carry an expiry, in deadline order, so the leader finds the expired ones without a
 * walk over every key. Layout, beside the partitions and the request-id records:
 * {@code FF FB deadline:u64 storedKey} → empty. Written in the same batch as the key it indexes; an
 * entry whose key was deleted or rewritten meanwhile is dropped when its deadline comes.
 */
final class ExpiryIndex {

    private static final byte[] PREFIX = {(byte) 0xFF, (byte) 0xFB};

    private ExpiryIndex() {
    }

    static byte[] key(long deadlineMs, byte[] storedKey) {
        return ByteBuffer.allocate(PREFIX.length + 8 + storedKey.length).put(PREFIX).putLong(deadlineMs).put(storedKey)
                .array();
    }

    /** Up to {@code limit} indexed keys whose deadline is at or before {@code nowMs}, earliest first. */
    static List<Command.Expiry> due(RocksStore store, long nowMs, int limit) {
        List<RocksStore.Entry> entries = store.first(PREFIX, key(nowMs + 1, new byte[0]), limit);
        List<Command.Expiry> out = new ArrayList<>(entries.size());
        for (RocksStore.Entry e : entries) {
            byte[] k = e.key();
            long deadline = ByteBuffer.wrap(k, PREFIX.length, 8).getLong();
            byte[] stored = Arrays.copyOfRange(k, PREFIX.length + 8, k.length);
            out.add(new Command.Expiry(KeyCodec.partitionOf(stored), KeyCodec.userKey(stored), deadline));
        }
        return out;
    }
}
