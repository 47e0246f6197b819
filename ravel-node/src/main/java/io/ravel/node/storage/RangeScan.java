package io.ravel.node.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first keys of several partitions that start with a prefix and sort after a given key, merged in
 * unsigned byte order of their user keys (the order a client's scan pages through).
 *
 * <p>Each partition is a cursor over its own RocksDB range that reads a few entries at a time, and a
 * heap merges the cursors, so a scan reads about {@code limit} entries plus a few per partition,
 * however many keys the partitions hold. Each chunk of a cursor is one consistent RocksDB view; the
 * whole scan is not one snapshot. Runs on the calling thread.
 *
 * <p>Keys whose deadline has passed but that the expiry sweep has not deleted yet are read past and
 * left out, so a result that says more keys follow always holds at least one live key: a caller that
 * pages on from the last key it got always moves forward.
 */
public final class RangeScan {

    /** The entries found (stored keys, in user-key order) and whether more matching keys follow them. */
    public record Result(List<RocksStore.Entry> entries, boolean more) {
    }

    /**
     * Expired keys read past, once the result holds a live key, before the scan stops and answers
     * with what it has (more follow); before the first live key there is no such bound.
     */
    static final int MAX_EXPIRED_AFTER_LIVE = 4096;

    private RangeScan() {
    }

    /** As {@link #run(RocksStore, Collection, byte[], byte[], int, long, long)} by this node's clock. */
    public static Result run(RocksStore store, Collection<Integer> partitions, byte[] prefix, byte[] after,
                             int limit, long maxBytes) {
        return run(store, partitions, prefix, after, limit, maxBytes, System.currentTimeMillis());
    }

    /**
     * The first {@code limit} entries of {@code partitions} whose user key starts with {@code prefix}
     * and is greater than {@code after} (empty: no lower bound), stopping early once their keys and
     * values pass {@code maxBytes} (the result always holds at least one entry when any matches).
     * Keys expired at {@code nowMs} are skipped and do not count towards the limit.
     */
    public static Result run(RocksStore store, Collection<Integer> partitions, byte[] prefix, byte[] after,
                             int limit, long maxBytes, long nowMs) {
        byte[] start = after.length == 0 ? prefix : max(prefix, Arrays.copyOf(after, after.length + 1));
        byte[] end = prefixEnd(prefix);
        int chunk = Math.max(2, Math.min(limit + 1, 2 * limit / Math.max(1, partitions.size()) + 2));
        PriorityQueue<Cursor> heap = new PriorityQueue<>(RangeScan::compareHeads);
        for (int p : partitions) {
            byte[] from = KeyCodec.encode(p, start);
            byte[] to = end == null ? KeyCodec.partitionEnd(p) : KeyCodec.encode(p, end);
            if (Arrays.compareUnsigned(from, to) < 0) {
                Cursor c = new Cursor(store, from, to, chunk);
                if (c.head() != null) {
                    heap.add(c);
                }
            }
        }
        List<RocksStore.Entry> out = new ArrayList<>(Math.min(limit, 1024));
        long bytes = 0;
        int expiredAfterLive = 0;
        while (!heap.isEmpty() && out.size() < limit && (out.isEmpty() || bytes < maxBytes)
                && expiredAfterLive < MAX_EXPIRED_AFTER_LIVE) {
            Cursor c = heap.poll();
            RocksStore.Entry e = c.head();
            if (StoredValue.decode(e.value()).expiredAt(nowMs)) {
                if (!out.isEmpty()) {
                    expiredAfterLive++;
                }
            } else {
                out.add(e);
                bytes += e.key().length + e.value().length;
            }
            if (c.advance()) {
                heap.add(c);
            }
        }
        return new Result(out, !heap.isEmpty());
    }

    /** The smallest key greater than every key that starts with {@code prefix}; null when there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /** Orders cursors by the user key of their heads (the stored key past its 2-byte partition). */
    private static int compareHeads(Cursor a, Cursor b) {
        byte[] x = a.head().key();
        byte[] y = b.head().key();
        return Arrays.compareUnsigned(x, 2, x.length, y, 2, y.length);
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** One partition's range, read {@code chunk} entries at a time. */
    private static final class Cursor {
        private final RocksStore store;
        private final byte[] to;
        private final int chunk;
        private List<RocksStore.Entry> buffer;
        private int pos;
        private boolean last;

        Cursor(RocksStore store, byte[] from, byte[] to, int chunk) {
            this.store = store;
            this.to = to;
            this.chunk = chunk;
            fill(from);
        }

        private void fill(byte[] from) {
            buffer = store.first(from, to, chunk);
            pos = 0;
            last = buffer.size() < chunk;
        }

        RocksStore.Entry head() {
            return pos < buffer.size() ? buffer.get(pos) : null;
        }

        /** Moves past the head; false when the range holds nothing more. */
        boolean advance() {
            byte[] current = head().key();
            pos++;
            if (pos < buffer.size()) {
                return true;
            }
            if (last) {
                return false;
            }
            fill(Arrays.copyOf(current, current.length + 1));
            return head() != null;
        }
    }
}
