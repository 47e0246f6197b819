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
