package io.ravel.admin.node;

import io.ravel.proto.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * Sends concurrent client operations bound for the same replica as one call carrying all of them
 * (writes: one {@code WriteBatch}, one Raft entry; reads: one {@code RunBatch}, one ReadIndex) instead
 * of one call each.
 *
 * <p>Per replica address at most {@link #MAX_IN_FLIGHT} calls are outstanding. An operation that finds
 * a free slot leaves at once (alone, when nothing else waits: no added latency under light load); the
 * others queue and leave together, up to {@link #MAX_BATCH_BYTES}, as soon as a call is answered.
 * Each operation gets its own answer from the call (or the call's failure), so the caller's leader
 * recovery and retries work per operation as for a single call. Operations that share a call were
 * concurrent, so any order between them is a valid one. Thread-safe.
 *
 * @param <T> one operation as it travels in the batched call
 */
final class CallCoalescer<T> {

    /** Calls outstanding per replica; more operations queue. Raft pipelines these, so two keep it busy. */
    static final int MAX_IN_FLIGHT = 2;

    /** A call stops growing past this many bytes of keys and values (it holds at least one operation). */
    static final int MAX_BATCH_BYTES = 4 << 20;

    private final BiFunction<String, List<T>, CompletableFuture<List<Response>>> call;
    private final ToLongFunction<T> size;
    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * @param call sends the operations to the replica at the given address in one call; completes with
     *             one answer per operation, in their order
     * @param size the bytes of keys and values an operation carries
     */
    CallCoalescer(BiFunction<String, List<T>, CompletableFuture<List<Response>>> call, ToLongFunction<T> size) {
        this.call = call;
        this.size = size;
    }

    /** Runs {@code operation} on the replica at {@code address}; completes with its answer. */
    CompletableFuture<Response> submit(String address, T operation) {
        Lane lane = lanes.get(address);
        if (lane == null) {
            lane = lanes.computeIfAbsent(address, Lane::new);
        }
        return lane.submit(operation);
    }

    /** The replica left the system: forget its queue (nothing waits in it once its calls are answered). */
    void forget(String address) {
        lanes.remove(address);
    }

    private final class Pending {
        final T operation;
        final CompletableFuture<Response> reply = new CompletableFuture<>();

        Pending(T operation) {
            this.operation = operation;
        }
    }

    /** The operations waiting for one replica and the number of its calls in flight. */
    private final class Lane {
        private final String address;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private int inFlight;

        Lane(String address) {
            this.address = address;
        }

        CompletableFuture<Response> submit(T operation) {
            Pending pending = new Pending(operation);
            List<Pending> batch = null;
            synchronized (this) {
                queue.add(pending);
                if (inFlight < MAX_IN_FLIGHT) {
                    inFlight++;
                    batch = take();
                }
            }
            if (batch != null) {
                send(batch);
            }
            return pending.reply;
        }

        /** The next batch from the head of the queue; called holding the lock with the queue not empty. */
        private List<Pending> take() {
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), 1024));
            long bytes = 0;
            while (!queue.isEmpty()) {
                long next = size.applyAsLong(queue.peek().operation);
                if (!batch.isEmpty() && bytes + next > MAX_BATCH_BYTES) {
                    break;
                }
                batch.add(queue.poll());
                bytes += next;
            }
            return batch;
        }

        private void send(List<Pending> batch) {
            CompletableFuture<List<Response>> answers;
            try {
                List<T> operations = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    operations.add(p.operation);
                }
                answers = call.apply(address, operations);
            } catch (RuntimeException e) {
                answers = CompletableFuture.failedFuture(e);
            }
            answers.whenComplete((responses, error) -> {
                List<Pending> next;
                synchronized (this) {
                    if (queue.isEmpty()) {
                        inFlight--;
                        next = null;
                    } else {
                        next = take();
                    }
                }
                if (next != null) {
                    send(next);
                }
                Throwable failure = error != null || responses.size() == batch.size() ? error
                        : new IllegalStateException("replica " + address + " sent " + responses.size()
                        + " answers for " + batch.size() + " operations");
                for (int i = 0; i < batch.size(); i++) {
                    if (failure == null) {
                        batch.get(i).reply.complete(responses.get(i));
                    } else {
                        batch.get(i).reply.completeExceptionally(failure);
                    }
                }
            });
        }
    }
}
