package io.ravel.node.storage;

import io.ravel.common.GrpcLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocksStoreTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetDeleteScanAndRangeDelete() {
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            for (int p = 3; p <= 5; p++) {
                for (int i = 0; i < 10; i++) {
                    store.put(KeyCodec.encode(p, b("k" + i)), b("v" + p + i));
                }
            }
            store.put(KeyCodec.memberKey("n1"), b("member"));
            assertArrayEquals(b("v47"), store.get(KeyCodec.encode(4, b("k7"))));
            store.delete(KeyCodec.encode(4, b("k7")));
            assertNull(store.get(KeyCodec.encode(4, b("k7"))));

            List<List<RocksStore.Entry>> batches = new ArrayList<>();
            store.scanPartition(4, 4, batches::add);
            assertEquals(List.of(4, 4, 1), batches.stream().map(List::size).toList());

            store.deletePartition(4);
            List<RocksStore.Entry> left = new ArrayList<>();
            store.scanPartition(4, 100, left::addAll);
            assertEquals(0, left.size());
            store.scanPartition(3, 100, left::addAll);
            store.scanPartition(5, 100, left::addAll);
            assertEquals(20, left.size());
            assertArrayEquals(b("member"), store.get(KeyCodec.memberKey("n1")));
        }
    }

    @Test
    void aScanBatchEndsAtItsByteBudgetAndAlwaysHoldsOneEntry() {
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            for (int i = 0; i < 5; i++) {
                store.put(KeyCodec.encode(2, b("k" + i)), new byte[i == 3 ? 1000 : 100]);
            }
            List<List<RocksStore.Entry>> batches = new ArrayList<>();
            store.scan(KeyCodec.partitionStart(2), KeyCodec.partitionEnd(2), 512, 250, batches::add);
            // keys are 4 bytes stored: k0+k1 fit in 250 bytes, k2 alone (k3 is over the budget by itself)
            assertEquals(List.of(2, 1, 1, 1), batches.stream().map(List::size).toList());
            assertEquals(1000, batches.get(2).get(0).value().length);
        }
    }

    @Test
    void aPartitionOfLargeValuesIsScannedInBatchesThatFitOneGrpcMessage() {
        int valueBytes = 3 * 1024 * 1024;
        int keys = 12;
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            for (int i = 0; i < keys; i++) {
                store.put(KeyCodec.encode(9, b(String.format("k%02d", i))), new byte[valueBytes]);
            }
            List<Integer> sizes = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            store.scanPartition(9, 512, batch -> {
                long bytes = 0;
                for (RocksStore.Entry e : batch) {
                    bytes += e.key().length + e.value().length;
                    seen.add(new String(KeyCodec.userKey(e.key()), StandardCharsets.UTF_8));
                }
                assertTrue(bytes <= GrpcLimits.SCAN_BATCH_BYTES, "a batch of " + bytes + " bytes");
                sizes.add(batch.size());
            });
            assertTrue(sizes.size() >= 3, "36 MiB in batches of at most 16 MiB: " + sizes);
            assertEquals(keys, seen.size());
            assertEquals(seen.stream().sorted().toList(), seen, "in key order, each key once");
        }
    }

    @Test
    void aCheckpointReplacesAnotherDatabase() throws Exception {
        Path checkpoint = dir.resolve("cp");
        try (RocksStore source = RocksStore.open(dir.resolve("a"))) {
            source.put(KeyCodec.encode(1, b("x")), b("1"));
            source.checkpoint(checkpoint);
            source.put(KeyCodec.encode(1, b("y")), b("after the checkpoint"));
        }
        try (RocksStore target = RocksStore.openEmpty(dir.resolve("b"));
             Stream<Path> files = Files.list(checkpoint)) {
            target.put(KeyCodec.encode(2, b("gone")), b("2"));
            target.replaceWith(files.toList());
            assertArrayEquals(b("1"), target.get(KeyCodec.encode(1, b("x"))));
            assertNull(target.get(KeyCodec.encode(1, b("y"))));
            assertNull(target.get(KeyCodec.encode(2, b("gone"))));
        }
    }

    @Test
    void writesWithoutAWriteAheadLogSurviveAnOrderlyCloseAndReopen() {
        // the store skips RocksDB's WAL (the Raft log is the durable copy); closing flushes the memtables
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            store.put(KeyCodec.encode(7, b("kept")), b("v"));
            store.put(KeyCodec.encode(8, b("dropped")), b("w"));
            store.deletePartition(8);
        }
        try (RocksStore reopened = RocksStore.open(dir.resolve("db"))) {
            assertArrayEquals(b("v"), reopened.get(KeyCodec.encode(7, b("kept"))));
            assertNull(reopened.get(KeyCodec.encode(7, b("absent"))));
            assertNull(reopened.get(KeyCodec.encode(8, b("dropped"))), "a range delete survives too");
        }
    }
}
