package io.ravel.admin.group;

import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import com.alipay.sofa.jraft.util.StorageOptionsFactory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;

/**
 * Bounds the native memory of an admin's group member, once per process, before its Raft node starts
 * (docs/configuration.md, "Memory"). The admin group's log holds only membership and relocation
 * changes, so SOFAJRaft's defaults (three 64 MiB memtables per column family, every table file open)
 * are far more than it can use; bolt's Netty pools direct memory in 16 MiB chunks, one per event-loop
 * arena, zeroed and so resident at once, where two arenas of 2 MiB chunks hold every admin-group
 * message. An operator's {@code -Dio.netty.allocator.*} wins.
 */
final class GroupMemory {

    static final long LOG_WRITE_BUFFER_BYTES = 2L << 20;
    static final int LOG_WRITE_BUFFERS = 2;
    static final long LOG_BLOCK_CACHE_BYTES = 1L << 20;
    static final int LOG_MAX_OPEN_FILES = 32;

    private static boolean done;

    private GroupMemory() {
    }

    static synchronized void bound() {
        if (done) {
            return;
        }
        done = true;
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", "8");
        }
        if (System.getProperty("io.netty.allocator.numDirectArenas") == null) {
            System.setProperty("io.netty.allocator.numDirectArenas", "2");
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
            // a Raft log of this process was opened before with SOFAJRaft's defaults: they stay
        }
    }
}
