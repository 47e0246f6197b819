package io.ravel.node.storage;

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
}
