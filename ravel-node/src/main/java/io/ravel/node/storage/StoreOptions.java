package io.ravel.node.storage;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
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

    /**
     * Bits of each table file's Bloom filter per key. Most point reads of a write look for a key the
     * database does not hold (a fresh request id, a new key): the filter answers those without
     * searching each table file's index and reading a data block. 10 bits: about 1% false positives,
     * 1.25 bytes of memory per key of an open table file.
     */
    static final double BLOOM_BITS_PER_KEY = 10;

    private final LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
    private final BloomFilter filter = new BloomFilter(BLOOM_BITS_PER_KEY, false);
    private final Options options = new Options()
            .setCreateIfMissing(true)
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(WRITE_BUFFERS)
            .setMaxOpenFiles(MAX_OPEN_FILES)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter));

    /** The options to open the database with; valid until {@link #close}. */
    Options rocks() {
        return options;
    }

    /** Frees the options, the block cache and the filter policy; call after the database is closed. */
    @Override
    public void close() {
        options.close();
        cache.close();
        filter.close();
    }
}
