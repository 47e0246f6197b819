package io.ravel.admin.node;

import com.google.protobuf.ByteString;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grouping rules of {@link WriteCoalescer}, with the replica's WriteBatch calls recorded and
 * answered by the test (the calls themselves are covered with real replicas in ravel-e2e).
 */
class WriteCoalescerTest {

    /** Every WriteBatch call made, with the future the test completes to answer it. */
    private final List<BatchWrite> sent = new ArrayList<>();
    private final List<CompletableFuture<Response>> answers = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    private final WriteCoalescer coalescer = new WriteCoalescer((address, batch) -> {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        synchronized (sent) {
            addresses.add(address);
            sent.add(batch);
            answers.add(answer);
        }
        return answer;
    });

    private static KeyValue kv(String key, int valueBytes) {
        return KeyValue.newBuilder().setPartition(7).setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFrom(new byte[valueBytes])).build();
    }

    private static List<String> keys(BatchWrite batch) {
        return batch.getEntriesList().stream().map(e -> e.getKey().toStringUtf8()).toList();
    }

    @Test
    void writesLeaveAloneWhileSlotsAreFreeAndTogetherOnceTheyAreTaken() {
        CompletableFuture<Response> a = coalescer.write("r1:1", kv("a", 3));
        CompletableFuture<Response> b = coalescer.write("r1:1", kv("b", 3));
        assertEquals(WriteCoalescer.MAX_IN_FLIGHT, 2, "the test assumes two batches in flight");
        assertEquals(List.of(List.of("a"), List.of("b")), sent.stream().map(WriteCoalescerTest::keys).toList());

        CompletableFuture<Response> c = coalescer.write("r1:1", kv("c", 3));
        CompletableFuture<Response> d = coalescer.write("r1:1", kv("d", 3));
        assertEquals(2, sent.size(), "both slots taken: c and d wait");

        Response ok = Response.newBuilder().setCode(Code.OK).build();
        answers.get(0).complete(ok);
        assertSame(ok, a.join());
        assertFalse(b.isDone());
        assertEquals(3, sent.size());
        assertEquals(List.of("c", "d"), keys(sent.get(2)), "the waiting writes leave as one batch, in order");

        Response notLeader = Response.newBuilder().setCode(Code.NOT_LEADER).setLeaderGrpcAddress("r2:2").build();
        answers.get(2).complete(notLeader);
        assertSame(notLeader, c.join(), "each write of a batch gets the batch's answer");
        assertSame(notLeader, d.join());

        answers.get(1).completeExceptionally(new IllegalStateException("connection lost"));
        CompletionException failed = assertThrows(CompletionException.class, b::join);
        assertTrue(failed.getCause() instanceof IllegalStateException);

        CompletableFuture<Response> e = coalescer.write("r1:1", kv("e", 3));
        assertEquals(4, sent.size(), "every slot is free again");
        assertEquals(List.of("e"), keys(sent.get(3)));
        answers.get(3).complete(ok);
        assertSame(ok, e.join());
    }

    @Test
    void eachReplicaHasItsOwnSlots() {
        coalescer.write("r1:1", kv("a", 1));
        coalescer.write("r1:1", kv("b", 1));
        coalescer.write("r2:2", kv("c", 1));
        assertEquals(List.of("r1:1", "r1:1", "r2:2"), addresses);
    }

    @Test
    void aBatchStopsGrowingAtItsByteLimitButAlwaysHoldsOneWrite() {
        int big = WriteCoalescer.MAX_BATCH_BYTES / 2;
        coalescer.write("r1:1", kv("x", 1));
        coalescer.write("r1:1", kv("y", 1));
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        for (String k : List.of("k1", "k2", "k3")) {
            waiting.add(coalescer.write("r1:1", kv(k, big)));
        }
        CompletableFuture<Response> huge = coalescer.write("r1:1", kv("huge", WriteCoalescer.MAX_BATCH_BYTES + 10));
        Response ok = Response.newBuilder().setCode(Code.OK).build();

        answers.get(0).complete(ok);
        assertEquals(List.of("k1"), keys(sent.get(2)), "k1 and k2 together would pass the limit");
        answers.get(1).complete(ok);
        assertEquals(List.of("k2"), keys(sent.get(3)));
        answers.get(2).complete(ok);
        assertEquals(List.of("k3"), keys(sent.get(4)));
        answers.get(3).complete(ok);
        assertEquals(List.of("huge"), keys(sent.get(5)), "a write over the limit still leaves, alone");
        answers.get(4).complete(ok);
        answers.get(5).complete(ok);
        for (CompletableFuture<Response> w : waiting) {
            assertSame(ok, w.join());
        }
        assertSame(ok, huge.join());
        assertEquals(6, sent.size());
    }
}
