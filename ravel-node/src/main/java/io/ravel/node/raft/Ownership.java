package io.ravel.node.raft;

import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which partitions this cluster owns, as its own Raft log records them: the replica-side ownership
 * fence. Each owned partition carries the ownership epoch the relocation protocol gave it; the
 * cluster's epoch is the highest epoch of any ownership entry it has applied.
 *
 * <p>A cluster whose log never held an ownership entry is <em>unfenced</em>: it accepts every
 * partition, as a store of the previous version does. The first full assignment ({@link #assign})
 * fences it; {@link #own} and {@link #release} on an unfenced cluster are ignored, since it already
 * serves every partition and only a full assignment says which ones it should stop serving. From
 * then on {@link #refusal} refuses a key command for a
 * partition it does not own and names the cluster's epoch, so a router with an older owner table
 * knows how far to refresh it.
 *
 * <p>Entries with an epoch below the cluster's epoch are stale (a delayed or deposed admin) and
 * ignored. The relocation protocol gives every move attempt a new, higher epoch and changes the
 * clusters of a move at that epoch, so once a cluster has seen an attempt's epoch nothing an earlier
 * attempt still has in flight can change it (not even for a partition it released since, whose own
 * epoch is gone with it).
 *
 * <p>The fence works both ways: a key command for a partition the cluster does not own is refused
 * ({@link #refusal}), and so is relocation's writing into or clearing of a partition it owns
 * ({@link #ownedRefusal}); a copy or a clear by a delayed admin cannot touch a partition that serves
 * clients.
 *
 * <p>Layout, beside the partitions and below the membership prefix {@code FF FF}: the cluster's
 * epoch at {@code FF F9} (present once fenced), each owned partition at {@code FF FA}
 * {@code [partition, 2 bytes]} with its epoch; values are 8-byte big-endian. A RocksDB checkpoint
 * (a snapshot) carries them; {@link #reload} reads them back after a snapshot load or at start.
 *
 * <p>Threading: {@link #assign}, {@link #own}, {@link #release} and {@link #publish} on the state
 * machine thread, which sees its own unflushed entries; {@link #refusal} from any thread sees what
 * was last published (after the batch holding it was written).
 */
public final class Ownership {

    private static final byte[] EPOCH_KEY = {(byte) 0xFF, (byte) 0xF9};
    private static final byte[] OWNED = {(byte) 0xFF, (byte) 0xFA};
    private static final byte[] OWNED_END = {(byte) 0xFF, (byte) 0xFB};

    /** What the log says: fenced or not, the cluster's epoch, the owned partitions with their epochs. */
    private record View(boolean fenced, long epoch, Map<Integer, Long> owned) {
    }

    private static final View UNFENCED = new View(false, 0, Map.of());

    private View pending = UNFENCED;
    private volatile View published = UNFENCED;

    /** Reads the recorded ownership from {@code store} and publishes it. */
    void reload(RocksStore store) {
        byte[] epoch = store.get(EPOCH_KEY);
        if (epoch == null) {
            pending = UNFENCED;
        } else {
            Map<Integer, Long> owned = new HashMap<>();
            store.scan(OWNED, OWNED_END, 512, entries -> {
                for (RocksStore.Entry e : entries) {
                    owned.put(((e.key()[2] & 0xFF) << 8) | (e.key()[3] & 0xFF), toLong(e.value()));
                }
            });
            pending = new View(true, toLong(epoch), Map.copyOf(owned));
        }
        publish();
    }

    /** The full ownership at {@code epoch}: exactly {@code partitions}. False when stale (ignored). */
    boolean assign(WriteBatchWithIndex batch, Collection<Integer> partitions, long epoch) throws RocksDBException {
        if (pending.fenced && epoch < pending.epoch) {
            return false;
        }
        Map<Integer, Long> owned = new HashMap<>();
        for (int p : partitions) {
            owned.put(p, epoch);
            batch.put(ownedKey(p), toBytes(epoch));
        }
        for (int p : pending.owned.keySet()) {
            if (!owned.containsKey(p)) {
                batch.delete(ownedKey(p));
            }
        }
        set(batch, epoch, owned);
        return true;
    }

    /** Partition {@code partition} is owned from {@code epoch} on. False when stale or unfenced (ignored). */
    boolean own(WriteBatchWithIndex batch, int partition, long epoch) throws RocksDBException {
        if (!pending.fenced || epoch < pending.epoch) {
            return false;
        }
        Map<Integer, Long> owned = new HashMap<>(pending.owned);
        owned.put(partition, epoch);
        batch.put(ownedKey(partition), toBytes(epoch));
        set(batch, epoch, owned);
        return true;
    }

    /** Partition {@code partition} is no longer owned as of {@code epoch}. False when stale or unfenced (ignored). */
    boolean release(WriteBatchWithIndex batch, int partition, long epoch) throws RocksDBException {
        if (!pending.fenced || epoch < pending.epoch) {
            return false;
        }
        Map<Integer, Long> owned = new HashMap<>(pending.owned);
        owned.remove(partition);
        batch.delete(ownedKey(partition));
        set(batch, epoch, owned);
        return true;
    }

    private void set(WriteBatchWithIndex batch, long epoch, Map<Integer, Long> owned) throws RocksDBException {
        batch.put(EPOCH_KEY, toBytes(epoch));
        pending = new View(true, epoch, Map.copyOf(owned));
    }

    /** Makes the applied entries visible to {@link #refusal}; call after their batch was written. */
    void publish() {
        published = pending;
    }

    /**
     * Whether a key command for {@code partition} is refused: -1 when it is served (owned, or this
     * cluster is unfenced), else the cluster's ownership epoch, which the refusal carries.
     */
    public long refusal(int partition) {
        return refusal(published, partition);
    }

    /** {@link #refusal} as the state machine thread sees it, unflushed entries included. */
    long refusalApplying(int partition) {
        return refusal(pending, partition);
    }

    private static long refusal(View view, int partition) {
        return !view.fenced || view.owned.containsKey(partition) ? -1 : view.epoch;
    }

    /**
     * Whether relocation's write into {@code partition} (a copy, or a clear) is refused, as the state
     * machine thread sees it: -1 when allowed (the partition is not owned, or this cluster is
     * unfenced), else the cluster's ownership epoch.
     */
    long ownedRefusal(int partition) {
        return pending.fenced && pending.owned.containsKey(partition) ? pending.epoch : -1;
    }

    /** Whether the log ever held an ownership entry. */
    public boolean fenced() {
        return published.fenced;
    }

    /** The cluster's ownership epoch (0 while unfenced). */
    public long epoch() {
        return published.epoch;
    }

    /** The owned partitions (empty while unfenced: then every partition is served). */
    public Set<Integer> owned() {
        return published.owned.keySet();
    }

    private static byte[] ownedKey(int partition) {
        byte[] p = KeyCodec.partitionStart(partition);
        return new byte[] {OWNED[0], OWNED[1], p[0], p[1]};
    }

    private static byte[] toBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static long toLong(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
