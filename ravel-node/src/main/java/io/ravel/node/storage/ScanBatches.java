package io.ravel.node.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups the entries of a scan, in order, into lists of at most {@code maxEntries} entries and
 * {@code maxBytes} of keys and values, handing each full list to a sink. A list always holds at
 * least one entry, however large. Used by one scan on one thread.
 */
final class ScanBatches {

    private final int maxEntries;
    private final long maxBytes;
    private final Consumer<List<RocksStore.Entry>> sink;
    private final List<RocksStore.Entry> chunk = new ArrayList<>();
    private long bytes;

    ScanBatches(int maxEntries, long maxBytes, Consumer<List<RocksStore.Entry>> sink) {
        this.maxEntries = Math.max(1, maxEntries);
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    /** Adds the next entry, first handing on the list so far if the entry would not fit in it. */
    boolean add(RocksStore.Entry e) {
        long entryBytes = (long) e.key().length + e.value().length;
        if (!chunk.isEmpty() && (chunk.size() >= maxEntries || bytes + entryBytes > maxBytes)) {
            flush();
        }
        chunk.add(e);
        bytes += entryBytes;
        return true;
    }

    /** Hands on the last list, if it holds anything. */
    void finish() {
        if (!chunk.isEmpty()) {
            flush();
        }
    }

    private void flush() {
        sink.accept(List.copyOf(chunk));
        chunk.clear();
        bytes = 0;
    }
}
