package io.ravel.admin.node;

import com.google.protobuf.ByteString;
import io.ravel.proto.Code;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grouping rules of {@link CallCoalescer}, with the replica's WriteBatch calls recorded and
 * answered by the test (the calls themselves are covered with real replicas in ravel-e2e).
 */
@Timeout(60)
class CallCoalescerTest {

    /** How long a test waits for an answer that should already be there; a hang fails instead. */
    private static final long ANSWER_SECONDS = 10;

    /** Every WriteBatch call made, with the future the test completes to answer it. */
    private final List<List<KeyValue>> sent = new ArrayList<>();
    private final List<CompletableFuture<Response>> answers = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    /** Batches answered with one answer for all their operations, as WriteBatch does. */
    private final CallCoalescer<KeyValue> coalescer = new CallCoalescer<>((address, batch) -> {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        synchronized (sent) {
            addresses.add(address);
            sent.add(batch);
            answers.add(answer);
        }
        return answer.thenApply(a -> java.util.Collections.nCopies(batch.size(), a));
    }, kv -> kv.getKey().size() + kv.getValue().size());

    private static KeyValue kv(String key, int valueBytes) {
        return KeyValue.newBuilder().setPartition(7).setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFrom(new byte[valueBytes])).build();
    }

    /** The future's value, or its failure as a CompletionException (as join() gives), within a deadline. */
    private static <T> T answerOf(CompletableFuture<T> future) {
        try {
            return future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + ANSWER_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static List<String> keys(List<KeyValue> batch) {
        return batch.stream().map(e -> e.getKey().toStringUtf8()).toList();
    }

    @Test
    void writesLeaveAloneWhileSlotsAreFreeAndTogetherOnceTheyAreTaken() {
        CompletableFuture<Response> a = coalescer.submit("r1:1", kv("a", 3));
        CompletableFuture<Response> b = coalescer.submit("r1:1", kv("b", 3));
        assertEquals(CallCoalescer.MAX_IN_FLIGHT, 2, "the test assumes two batches in flight");
        assertEquals(List.of(List.of("a"), List.of("b")), sent.stream().map(CallCoalescerTest::keys).toList());

        CompletableFuture<Response> c = coalescer.submit("r1:1", kv("c", 3));
        CompletableFuture<Response> d = coalescer.submit("r1:1", kv("d", 3));
        assertEquals(2, sent.size(), "both slots taken: c and d wait");

        Response ok = Response.newBuilder().setCode(Code.OK).build();
        answers.get(0).complete(ok);
        assertSame(ok, answerOf(a));
        assertFalse(b.isDone());
        assertEquals(3, sent.size());
        assertEquals(List.of("c", "d"), keys(sent.get(2)), "the waiting writes leave as one batch, in order");

        Response notLeader = Response.newBuilder().setCode(Code.NOT_LEADER).setLeaderGrpcAddress("r2:2").build();
        answers.get(2).complete(notLeader);
        assertSame(notLeader, answerOf(c), "each write of a batch gets the batch's answer");
        assertSame(notLeader, answerOf(d));

        answers.get(1).completeExceptionally(new IllegalStateException("connection lost"));
        CompletionException failed = assertThrows(CompletionException.class, () -> answerOf(b));
        assertTrue(failed.getCause() instanceof IllegalStateException);

        CompletableFuture<Response> e = coalescer.submit("r1:1", kv("e", 3));
        assertEquals(4, sent.size(), "every slot is free again");
        assertEquals(List.of("e"), keys(sent.get(3)));
        answers.get(3).complete(ok);
        assertSame(ok, answerOf(e));
    }

    @Test
    void eachOperationGetsItsOwnAnswerAndAShortAnswerFailsTheBatch() {
        List<CompletableFuture<List<Response>>> calls = new ArrayList<>();
        CallCoalescer<String> reads = new CallCoalescer<>((address, keys) -> {
            CompletableFuture<List<Response>> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        }, String::length);
        reads.submit("r1:1", "a");
        reads.submit("r1:1", "b");
        CompletableFuture<Response> c = reads.submit("r1:1", "c");
        CompletableFuture<Response> d = reads.submit("r1:1", "d");
        Response found = Response.newBuilder().setCode(Code.OK).setValue(ByteString.copyFromUtf8("1")).build();
        Response missing = Response.newBuilder().setCode(Code.NOT_FOUND).build();
        calls.get(0).complete(List.of(found));
        assertEquals(3, calls.size(), "c and d leave together");
        calls.get(2).complete(List.of(missing, found));
        assertSame(missing, answerOf(c));
        assertSame(found, answerOf(d));

        CompletableFuture<Response> e = reads.submit("r1:1", "e");
        calls.get(3).complete(List.of(found, missing));
        CompletionException tooMany = assertThrows(CompletionException.class, () -> answerOf(e));
        assertTrue(tooMany.getCause() instanceof IllegalStateException, "two answers for one read");
        CompletableFuture<Response> f = reads.submit("r1:1", "f");
        assertEquals(5, calls.size());
        calls.get(4).complete(List.of());
        assertTrue(f.isCompletedExceptionally(), "no answer for a read fails it");
        calls.get(1).complete(List.of(found));
    }

    @Test
    void eachReplicaHasItsOwnSlots() {
        coalescer.submit("r1:1", kv("a", 1));
        coalescer.submit("r1:1", kv("b", 1));
        coalescer.submit("r2:2", kv("c", 1));
        assertEquals(List.of("r1:1", "r1:1", "r2:2"), addresses);
    }

    @Test
    void aBatchStopsGrowingAtItsByteLimitButAlwaysHoldsOneWrite() {
        int big = CallCoalescer.MAX_BATCH_BYTES / 2;
        coalescer.submit("r1:1", kv("x", 1));
        coalescer.submit("r1:1", kv("y", 1));
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        for (String k : List.of("k1", "k2", "k3")) {
            waiting.add(coalescer.submit("r1:1", kv(k, big)));
        }
        CompletableFuture<Response> huge = coalescer.submit("r1:1", kv("huge", CallCoalescer.MAX_BATCH_BYTES + 10));
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
            assertSame(ok, answerOf(w));
        }
        assertSame(ok, answerOf(huge));
        assertEquals(6, sent.size());
    }
}
