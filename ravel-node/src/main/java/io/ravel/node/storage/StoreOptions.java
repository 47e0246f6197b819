package io.ravel.node.storage;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * The RocksDB options of a replica's key-value state, sized so a replica's resident memory stays
 * bounded under sustained writes (docs/configuration.md, "Memory"). RocksDB's defaults (two 64 MiB
 * memtables, a 32 MiB block cache per database, every table file kept open) let one replica's native
 * memory pass 300 MiB under batch writes; this database is rebuilt from the Raft log and snapshot on
 * every start, so it needs no large buffers to be fast or safe.
 */
final class StoreOptions implements AutoCloseable {

    /** One memtable; a full one is flushed to an SST file in the background (every second or two under batch writes). */
    static final long WRITE_BUFFER_BYTES = 4L << 20;
    /** The active memtable plus one being flushed: at most 8 MiB of memtables. */
    static final int WRITE_BUFFERS = 2;
    /** Uncompressed data blocks kept for reads (gets and partition scans); the OS page cache holds the rest. */
    static final long BLOCK_CACHE_BYTES = 4L << 20;
    /** Table files kept open, each with its index and filter in memory; more are opened on demand. */
    static final int MAX_OPEN_FILES = 256;

    private final LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
    private final Options options = new Options()
            .setCreateIfMissing(true)
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(WRITE_BUFFERS)
            .setMaxOpenFiles(MAX_OPEN_FILES)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));

    /** The options to open the database with; valid until {@link #close}. */
    Options rocks() {
        return options;
    }

    /** Frees the options and the block cache; call after the database is closed. */
    @Override
    public void close() {
        options.close();
        cache.close();
    }
}
