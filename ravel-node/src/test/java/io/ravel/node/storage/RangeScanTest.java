package io.ravel.node.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeScanTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pagesThroughSeveralPartitionsInKeyOrderWithPrefixAndAfter() {
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            TreeSet<String> expected = new TreeSet<>();
            Random random = new Random(7);
            for (int i = 0; i < 600; i++) {
                String key = (i % 3 == 0 ? "a/" : i % 3 == 1 ? "b/" : "ab") + i;
                store.put(KeyCodec.encode(random.nextInt(20), b(key)), b("\"" + key + "\""));
                if (key.startsWith("a/")) {
                    expected.add(key);
                }
            }
            store.put(KeyCodec.encode(25, b("a/outside")), b("1"));
            List<Integer> partitions = new ArrayList<>();
            for (int p = 0; p < 20; p++) {
                partitions.add(p);
            }
            List<String> seen = new ArrayList<>();
            String after = "";
            while (true) {
                RangeScan.Result page = RangeScan.run(store, partitions, b("a/"), b(after), 7, Long.MAX_VALUE);
                for (RocksStore.Entry e : page.entries()) {
                    seen.add(new String(KeyCodec.userKey(e.key()), StandardCharsets.UTF_8));
                }
                if (!page.more()) {
                    break;
                }
                assertEquals(7, page.entries().size());
                after = seen.get(seen.size() - 1);
            }
            assertEquals(new ArrayList<>(expected), seen);
        }
    }

    @Test
    void aByteBudgetCutsThePageButKeepsOneEntry() {
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            for (int i = 0; i < 5; i++) {
                store.put(KeyCodec.encode(i, b("k" + i)), b("x".repeat(100)));
            }
            RangeScan.Result page = RangeScan.run(store, List.of(0, 1, 2, 3, 4), b(""), b(""), 100, 10);
            assertEquals(1, page.entries().size());
            assertTrue(page.more());
            RangeScan.Result rest = RangeScan.run(store, List.of(0, 1, 2, 3, 4), b(""), b("k3"), 100, Long.MAX_VALUE);
            assertEquals(1, rest.entries().size());
            assertFalse(rest.more());
        }
    }

    @Test
    void liveScanReadsPastAPageOfExpiredKeysToTheNextLiveOne() {
        try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
            long now = 1_000_000;
            store.put(KeyCodec.encode(0, b("a")), new StoredValue(b("1"), 1, 0).encode());
            for (int i = 0; i < 50; i++) {
                store.put(KeyCodec.encode(i % 3, b(String.format("b%03d", i))), new StoredValue(b("2"), 1, now - 1).encode());
            }
            store.put(KeyCodec.encode(1, b("c")), new StoredValue(b("3"), 1, now + 1).encode());
            store.put(KeyCodec.encode(2, b("d")), new StoredValue(b("4"), 1, 0).encode());
            List<Integer> partitions = List.of(0, 1, 2);

            RangeScan.Result first = RangeScan.run(store, partitions, b(""), b("a"), 2, Long.MAX_VALUE, now);
            assertEquals(List.of("c", "d"), userKeys(first));
            assertFalse(first.more());

            RangeScan.Result one = RangeScan.run(store, partitions, b(""), b("a"), 1, Long.MAX_VALUE, now);
            assertEquals(List.of("c"), userKeys(one));
            assertTrue(one.more());

            RangeScan.Result onlyExpired = RangeScan.run(store, partitions, b("b"), b(""), 3, Long.MAX_VALUE, now);
            assertEquals(List.of(), userKeys(onlyExpired));
            assertFalse(onlyExpired.more());
        }
    }

    private static List<String> userKeys(RangeScan.Result result) {
        List<String> keys = new ArrayList<>();
        for (RocksStore.Entry e : result.entries()) {
            keys.add(new String(KeyCodec.userKey(e.key()), StandardCharsets.UTF_8));
        }
        return keys;
    }

    @Test
    void prefixEndHandlesTrailingFfBytes() {
        assertEquals(null, RangeScan.prefixEnd(new byte[] {(byte) 0xFF}));
        assertEquals(List.of((byte) 'a', (byte) 'c'), toList(RangeScan.prefixEnd(new byte[] {'a', 'b', (byte) 0xFF})));
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> out = new ArrayList<>();
        for (byte x : bytes) {
            out.add(x);
        }
        return out;
    }
}
