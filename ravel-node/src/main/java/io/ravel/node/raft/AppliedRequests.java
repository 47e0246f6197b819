package io.ravel.node.raft;

import io.ravel.node.storage.RocksStore;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The request ids the state machine has applied, with their answers, kept in the replica's RocksDB
 * (so snapshots carry them) and written in the same write batch as the write they belong to.
 *
 * <p>Time is the log's: each entry with ids carries its leader's clock, and the state machine's clock
 * is the highest stamp applied so far (stored too, so it never goes back when a new leader's clock is
 * behind). A record older than the retention by that clock counts as absent whether or not it was
 * pruned yet, so every replica decides alike; pruning (a bounded batch at a time) only frees space.
 *
 * <p>Layout, beside the partitions and below the membership prefix {@code FF FF}:
 * {@code FF FE id} → stamp:u64 found:u8 value; {@code FF FD stamp:u64 id} → empty (the expiry order);
 * {@code FF FC} → the clock.
 *
 * <p>Threading: used by the state machine thread only.
 */
final class AppliedRequests {

    private static final byte[] RECORD = {(byte) 0xFF, (byte) 0xFE};
    private static final byte[] EXPIRY = {(byte) 0xFF, (byte) 0xFD};
    private static final byte[] CLOCK = {(byte) 0xFF, (byte) 0xFC};
    private static final byte[] EMPTY = new byte[0];
    /** Records pruned at least per pass (more when more were just added); bounded, so a backlog never stalls applying. */
    static final int PRUNE_BATCH = 256;
    /** How often (by the log's clock) expired records are looked for. */
    private static final long PRUNE_EVERY_MS = 1000;

    private final RocksStore store;
    private final long retentionMs;
    private long clock = -1;
    private long nextPrune;

    AppliedRequests(RocksStore store, long retentionMs) {
        this.store = store;
        this.retentionMs = retentionMs;
    }

    /** Forgets what was read from the store (after the store was replaced by a snapshot). */
    void reload() {
        clock = -1;
        nextPrune = 0;
    }

    /** Advances the clock to {@code stampMs} if it is later, in {@code batch}; returns the clock. */
    long advance(WriteBatchWithIndex batch, long stampMs) throws RocksDBException {
        if (clock < 0) {
            byte[] stored = store.get(CLOCK);
            clock = stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
        }
        if (stampMs > clock) {
            clock = stampMs;
            batch.put(CLOCK, ByteBuffer.allocate(8).putLong(clock).array());
        }
        return clock;
    }

    /** The first answer of {@code id} when it was applied within the retention before {@code now}, else null. */
    CommandResult find(WriteBatchWithIndex batch, byte[] id, long now) {
        byte[] record = store.get(batch, key(RECORD, id));
        if (record == null) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(record);
        long stamp = buf.getLong();
        if (stamp < now - retentionMs) {
            return null;
        }
        boolean found = buf.get() != 0;
        byte[] value = buf.remaining() == 0 ? null : Arrays.copyOfRange(record, 9, record.length);
        return new CommandResult(found, value);
    }

    /** Records in {@code batch} that {@code id} was applied at {@code now} with {@code result}. */
    void record(WriteBatchWithIndex batch, byte[] id, long now, CommandResult result) throws RocksDBException {
        byte[] value = result.value() == null ? EMPTY : result.value();
        batch.put(key(RECORD, id), ByteBuffer.allocate(9 + value.length).putLong(now)
                .put((byte) (result.found() ? 1 : 0)).put(value).array());
        batch.put(expiryKey(now, id), EMPTY);
    }

    /**
     * Deletes up to {@code max(PRUNE_BATCH, 2 × added)} records that expired by the clock, oldest
     * first, where {@code added} is how many were just recorded (so pruning keeps up with any write
     * rate); looks at most once per {@value #PRUNE_EVERY_MS} ms of log time unless a full batch shows
     * more are due.
     */
    void prune(int added) throws RocksDBException {
        if (clock < 0 || clock < nextPrune) {
            return;
        }
        long horizon = clock - retentionMs;
        if (horizon <= 0) {
            nextPrune = clock + PRUNE_EVERY_MS;
            return;
        }
        int limit = Math.max(PRUNE_BATCH, 2 * added);
        List<RocksStore.Entry> expired = store.first(EXPIRY, expiryKey(horizon, EMPTY), limit);
        try (WriteBatch batch = new WriteBatch()) {
            for (RocksStore.Entry e : expired) {
                byte[] id = Arrays.copyOfRange(e.key(), EXPIRY.length + 8, e.key().length);
                byte[] recordKey = key(RECORD, id);
                byte[] record = store.get(recordKey);
                // the id may have been applied again since (after expiring): keep the newer record
                if (record != null && ByteBuffer.wrap(record).getLong() < horizon) {
                    batch.delete(recordKey);
                }
                batch.delete(e.key());
            }
            if (batch.count() > 0) {
                store.write(batch);
            }
        }
        nextPrune = expired.size() < limit ? clock + PRUNE_EVERY_MS : clock;
    }

    private static byte[] key(byte[] prefix, byte[] id) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + id.length);
        System.arraycopy(id, 0, out, prefix.length, id.length);
        return out;
    }

    private static byte[] expiryKey(long stamp, byte[] id) {
        return key(EXPIRY, ByteBuffer.allocate(8 + id.length).putLong(stamp).put(id).array());
    }
}
