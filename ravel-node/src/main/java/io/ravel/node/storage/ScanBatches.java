package io.ravel.node.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a scan into lists for its sink: a list ends at {@code batchSize} entries or before its keys and
 * values would pass {@code maxBatchBytes}, and always holds at least one entry. Single-threaded.
 */
final class ScanBatches {

    private final int size;
    private final long maxBytes;
    private final Consumer<List<RocksStore.Entry>> sink;
    private final List<RocksStore.Entry> chunk;
    private long bytes;

    ScanBatches(int batchSize, long maxBatchBytes, Consumer<List<RocksStore.Entry>> sink) {
        this.size = Math.max(1, batchSize);
        this.maxBytes = maxBatchBytes;
        this.sink = sink;
        this.chunk = new ArrayList<>(Math.min(size, 1024));
    }

    /** Adds one scanned entry, handing the list before it to the sink when it is full; always true (scan on). */
    boolean add(RocksStore.Entry e) {
        long entryBytes = (long) e.key().length + e.value().length;
        if (!chunk.isEmpty() && (chunk.size() >= size || bytes + entryBytes > maxBytes)) {
            finish();
        }
        chunk.add(e);
        bytes += entryBytes;
        return true;
    }

    /** Hands what is left to the sink. */
    void finish() {
        if (!chunk.isEmpty()) {
            sink.accept(List.copyOf(chunk));
            chunk.clear();
            bytes = 0;
        }
    }
}
