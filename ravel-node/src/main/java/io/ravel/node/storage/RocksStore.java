package io.ravel.node.storage;

import io.ravel.common.GrpcLimits;
import org.rocksdb.Checkpoint;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The replica's key-value state in one RocksDB database (key layout: {@link KeyCodec}).
 *
 * <p>Durability: none of its own. Writes skip RocksDB's write-ahead log: the Raft log is the durable
 * record, and {@code Replica} empties this database and rebuilds it from the latest Raft snapshot plus
 * the log on every start, so a WAL would only be written, never read. What a snapshot needs is still
 * on disk: a checkpoint flushes the memtables first, and so does closing the database.
 *
 * <p>Threading: every method is thread-safe. Reads and writes share a read lock; {@link #replaceWith}
 * and {@link #close} take the write lock, so no read ever sees a half-swapped database.
 */
public final class RocksStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    /** One stored pair of a partition scan. */
    public record Entry(byte[] key, byte[] value) {
    }

    private final Path dir;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(true);
    /** Default read options, shared by every point read: one native object instead of one per read. */
    private final ReadOptions pointReads = new ReadOptions();
    private StoreOptions options;
    private RocksDB db;

    private RocksStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the database in {@code dir}, keeping what it holds. */
    public static RocksStore open(Path dir) {
        RocksStore store = new RocksStore(dir);
        store.openDb();
        return store;
    }

    /** Deletes whatever {@code dir} holds and opens an empty database there. */
    public static RocksStore openEmpty(Path dir) {
        Dirs.deleteTree(dir);
        return open(dir);
    }

    public Path dir() {
        return dir;
    }

    private void openDb() {
        try {
            Files.createDirectories(dir);
            options = new StoreOptions();
            db = RocksDB.open(options.rocks(), dir.toString());
        } catch (IOException | RocksDBException e) {
            throw new StorageException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void closeDb() {
        if (db != null) {
            db.close();
            db = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
    }

    /** A RocksDB integer property such as {@code rocksdb.estimate-num-keys}; -1 when the store is closed. */
    public long longProperty(String name) {
        RocksDB d = db;
        if (d == null) {
            return -1;
        }
        try {
            return d.getLongProperty(name);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    private RocksDB db() {
        if (db == null) {
            throw new StorageException("store in " + dir + " is closed", null);
        }
        return db;
    }

    public byte[] get(byte[] storedKey) {
        lock.readLock().lock();
        try {
            return db().get(storedKey);
        } catch (RocksDBException e) {
            throw new StorageException("get failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The value of {@code storedKey} as seen through the pending {@code batch} (its writes first). */
    public byte[] get(WriteBatchWithIndex batch, byte[] storedKey) {
        lock.readLock().lock();
        try {
            return batch.getFromBatchAndDB(db(), pointReads, storedKey);
        } catch (RocksDBException e) {
            throw new StorageException("get failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    public void put(byte[] storedKey, byte[] value) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(storedKey, value);
            write(batch);
        } catch (RocksDBException e) {
            throw new StorageException("put failed: " + e.getMessage(), e);
        }
    }

    public void delete(byte[] storedKey) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(storedKey);
            write(batch);
        } catch (RocksDBException e) {
            throw new StorageException("delete failed: " + e.getMessage(), e);
        }
    }

    /** Writes {@code batch} atomically. */
    public void write(WriteBatch batch) {
        writeUnderLock(db -> db.write(writeOptions, batch));
    }

    /** Writes {@code batch} atomically. */
    public void write(WriteBatchWithIndex batch) {
        writeUnderLock(db -> db.write(writeOptions, batch));
    }

    /** RocksDB has one write method per batch type; both share the lock and the error mapping here. */
    private interface BatchWrite {
        void writeTo(RocksDB db) throws RocksDBException;
    }

    private void writeUnderLock(BatchWrite write) {
        lock.readLock().lock();
        try {
            write.writeTo(db());
        } catch (RocksDBException e) {
            throw new StorageException("batch write failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes every key in {@code [from, to)}. */
    public void deleteRange(byte[] from, byte[] to) {
        lock.readLock().lock();
        try {
            db().deleteRange(writeOptions, from, to);
        } catch (RocksDBException e) {
            throw new StorageException("range delete failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes every key of {@code partition}. */
    public void deletePartition(int partition) {
        deleteRange(KeyCodec.partitionStart(partition), KeyCodec.partitionEnd(partition));
    }

    /**
     * Hands every entry of {@code [from, to)} in key order to {@code sink}, in lists of at most
     * {@code batchSize} entries. The scan reads one consistent RocksDB view (the iterator's implicit snapshot).
     */
    public void scan(byte[] from, byte[] to, int batchSize, Consumer<List<Entry>> sink) {
        scan(from, to, batchSize, Long.MAX_VALUE, sink);
    }

    /**
     * As {@link #scan(byte[], byte[], int, Consumer)}, and a list also ends before its keys and values
     * would pass {@code maxBatchBytes} (a list always holds at least one entry).
     */
    public void scan(byte[] from, byte[] to, int batchSize, long maxBatchBytes, Consumer<List<Entry>> sink) {
        ScanBatches batches = new ScanBatches(batchSize, maxBatchBytes, sink);
        iterate(from, to, batches::add);
        batches.finish();
    }

    /** The first {@code limit} entries of {@code [from, to)}, in key order. */
    public List<Entry> first(byte[] from, byte[] to, int limit) {
        List<Entry> out = new ArrayList<>();
        iterate(from, to, e -> out.add(e) && out.size() < limit);
        return out;
    }

    /** Walks {@code [from, to)} in key order under the read lock while {@code more} answers true. */
    private void iterate(byte[] from, byte[] to, Predicate<Entry> more) {
        lock.readLock().lock();
        try (Slice upper = new Slice(to);
             ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db().newIterator(ro)) {
            for (it.seek(from); it.isValid() && more.test(new Entry(it.key(), it.value())); it.next()) {
                // the predicate does the work
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("scan failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Every entry of {@code partition} (stored keys), in lists of at most {@code batchSize} entries and
     * {@link GrpcLimits#SCAN_BATCH_BYTES}: each list becomes one streamed message (and one WriteBatch on
     * the partition's new owner), which must stay under the gRPC message limit even with large values.
     */
    public void scanPartition(int partition, int batchSize, Consumer<List<Entry>> sink) {
        scan(KeyCodec.partitionStart(partition), KeyCodec.partitionEnd(partition), batchSize,
                GrpcLimits.SCAN_BATCH_BYTES, sink);
    }

    /**
     * Writes a consistent copy of the database into {@code target} (which must not exist yet) as a
     * RocksDB checkpoint: memtables are flushed, SST files are hard-linked where possible.
     */
    public void checkpoint(Path target) {
        lock.readLock().lock();
        try (Checkpoint cp = Checkpoint.create(db())) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("checkpoint into " + target + " failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the whole database with the files of {@code files} (a checkpoint's files, each copied
     * by its file name): closes the database, empties its directory, copies, reopens.
     */
    public void replaceWith(List<Path> files) {
        lock.writeLock().lock();
        try {
            closeDb();
            Dirs.deleteTree(dir);
            Files.createDirectories(dir);
            for (Path f : files) {
                Files.copy(f, dir.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
            openDb();
        } catch (IOException e) {
            throw new StorageException("cannot replace RocksDB in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closeDb();
        } finally {
            lock.writeLock().unlock();
        }
        writeOptions.close();
        pointReads.close();
    }
}
