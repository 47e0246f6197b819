package io.ravel.admin.routing;

import com.google.protobuf.ByteString;
import io.ravel.proto.KeyValue;
import io.ravel.proto.RangeScanReply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BulkRoutingTest {

    private static BatchOp op(BatchOp.Kind kind, String key) {
        return new BatchOp(kind, key, kind == BatchOp.Kind.PUT ? "1".getBytes() : null);
    }

    @Test
    void aRoundEndsWhereAKeyComesBack() {
        List<BatchOp> ops = List.of(op(BatchOp.Kind.PUT, "a"), op(BatchOp.Kind.PUT, "b"), op(BatchOp.Kind.GET, "a"),
                op(BatchOp.Kind.DELETE, "c"), op(BatchOp.Kind.GET, "a"), op(BatchOp.Kind.GET, "d"));
        assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5)), BatchRouter.rounds(ops));
        assertEquals(List.of(), BatchRouter.rounds(List.of()));
    }

    private static RangeScanReply reply(boolean more, String... keys) {
        RangeScanReply.Builder b = RangeScanReply.newBuilder().setMore(more);
        for (String k : keys) {
            b.addEntries(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(k)).setValue(ByteString.copyFromUtf8("0")));
        }
        return b.build();
    }

    private static List<String> keys(ScanRouter.Page page) {
        return page.items().stream().map(ScanRouter.Item::key).toList();
    }

    @Test
    void aPageMergesInByteOrderAndStopsAtTheBoundOfAClusterWithMore() {
        ScanRouter.Page page = ScanRouter.merge(List.of(reply(true, "b", "d"), reply(false, "a", "c", "e")), 3);
        assertEquals(List.of("a", "b", "c"), keys(page));
        assertEquals("c", page.next());
        // the cluster with more bounds the page at its last key, even below the limit
        page = ScanRouter.merge(List.of(reply(true, "b", "d"), reply(false, "a", "e")), 5);
        assertEquals(List.of("a", "b", "d"), keys(page));
        assertEquals("d", page.next());
        // byte order of UTF-8: "z" < "é" (0xC3 0xA9)
        page = ScanRouter.merge(List.of(reply(false, "é"), reply(false, "z")), 5);
        assertEquals(List.of("z", "é"), keys(page));
        assertNull(page.next());
        page = ScanRouter.merge(List.of(reply(false, "a", "b"), reply(false)), 2);
        assertNull(page.next());
        page = ScanRouter.merge(List.of(reply(false, "a", "b"), reply(false, "c")), 2);
        assertEquals("b", page.next());
    }
}
