package io.ravel.node.raft;

import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import com.alipay.sofa.jraft.util.StorageOptionsFactory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;

/**
 * Bounds the native memory of the Raft layer, once per process, before the first Raft node starts
 * (docs/configuration.md, "Memory").
 *
 * <ul>
 * <li>The Raft log's RocksDB: SOFAJRaft's defaults are three 64 MiB memtables per column family and
 * every table file open, up to 400 MiB under sustained writes. Entries are read back from the log only
 * by a lagging follower's replication, so small memtables and a small cache cost little.</li>
 * <li>Bolt's Netty (the Raft transport) allocates pooled direct memory in chunks of 16 MiB, one per
 * event-loop arena (four on two cores), zeroed and so resident at once; two arenas of 2 MiB chunks hold
 * every Raft message but the largest, which Netty allocates outside the pool.</li>
 * </ul>
 */
final class RaftMemory {

    /** One memtable of the Raft log. At the write rates of one machine it fills in seconds and is flushed. */
    static final long LOG_WRITE_BUFFER_BYTES = 4L << 20;
    /** The active memtable plus one being flushed, per column family: at most 8 MiB for the entries. */
    static final int LOG_WRITE_BUFFERS = 2;
    /** Blocks of the Raft log read back (replication to a lagging follower, a restart's replay). */
    static final long LOG_BLOCK_CACHE_BYTES = 2L << 20;
    /** Table files of the Raft log kept open; the log is truncated after every snapshot. */
    static final int LOG_MAX_OPEN_FILES = 64;
    /** Netty's pool chunk is its page (8 KiB) shifted left by this: 2 MiB. */
    static final String NETTY_MAX_ORDER = "8";
    /** Netty's direct arenas (each holds at least one chunk once used); its default is two per core. */
    static final String NETTY_DIRECT_ARENAS = "2";

    private static boolean done;

    private RaftMemory() {
    }

    /** Registers the Raft log's RocksDB options and Netty's chunk size; a second call does nothing. */
    static synchronized void bound() {
        if (done) {
            return;
        }
        done = true;
        // an operator's -Dio.netty.allocator.* wins
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", NETTY_MAX_ORDER);
        }
        if (System.getProperty("io.netty.allocator.numDirectArenas") == null) {
            System.setProperty("io.netty.allocator.numDirectArenas", NETTY_DIRECT_ARENAS);
        }
        DBOptions db = StorageOptionsFactory.getDefaultRocksDBOptions().setMaxOpenFiles(LOG_MAX_OPEN_FILES);
        ColumnFamilyOptions cf = StorageOptionsFactory.getDefaultRocksDBColumnFamilyOptions()
                .setWriteBufferSize(LOG_WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(LOG_WRITE_BUFFERS);
        BlockBasedTableConfig table = StorageOptionsFactory.getDefaultRocksDBTableConfig()
                .setBlockCache(new LRUCache(LOG_BLOCK_CACHE_BYTES));
        try {
            StorageOptionsFactory.registerRocksDBOptions(RocksDBLogStorage.class, db);
            StorageOptionsFactory.registerRocksDBColumnFamilyOptions(RocksDBLogStorage.class, cf);
            StorageOptionsFactory.registerRocksDBTableFormatConfig(RocksDBLogStorage.class, table);
        } catch (IllegalStateException alreadyRegistered) {
            // a node of this process opened its log before with SOFAJRaft's defaults: they stay
        }
    }
}
