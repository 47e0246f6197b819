package io.ravel.admin.node;

import io.ravel.proto.BatchWrite;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;

/**
 * Sends concurrent client writes bound for the same replica as one {@code WriteBatch} call (one Raft
 * entry) instead of one {@code Run(SET)} each.
 *
 * <p>Per replica address at most {@link #MAX_IN_FLIGHT} batches are outstanding. A write that finds a
 * free slot leaves at once (alone, when nothing else waits: no added latency under light load); the
 * others queue and leave together, up to {@link #MAX_BATCH_BYTES}, as soon as a batch is answered.
 * Every write of a batch gets the batch's answer (OK, NOT_LEADER, UNAVAILABLE or the gRPC failure),
 * so the caller's leader recovery and retries work for each write as for a single call. Writes that
 * share a batch were concurrent, so any order between them is a valid one. Thread-safe.
 */
final class WriteCoalescer {

    /** Batches outstanding per replica; more queue. Raft pipelines these, so two keep it busy. */
    static final int MAX_IN_FLIGHT = 2;

    /** A batch stops growing past this many bytes of keys and values (it holds at least one write). */
    static final int MAX_BATCH_BYTES = 4 << 20;

    private final BiFunction<String, BatchWrite, CompletableFuture<Response>> writeBatch;
    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

    /** @param writeBatch sends one WriteBatch call to the replica at the given address */
    WriteCoalescer(BiFunction<String, BatchWrite, CompletableFuture<Response>> writeBatch) {
        this.writeBatch = writeBatch;
    }

    /** Writes {@code entry} on the replica at {@code address}; completes with the answer of its batch. */
    CompletableFuture<Response> write(String address, KeyValue entry) {
        Lane lane = lanes.get(address);
        if (lane == null) {
            lane = lanes.computeIfAbsent(address, Lane::new);
        }
        return lane.submit(entry);
    }

    /** The replica left the system: forget its queue (nothing waits in it once its calls are answered). */
    void forget(String address) {
        lanes.remove(address);
    }

    private record Pending(KeyValue entry, CompletableFuture<Response> reply) {
    }

    /** The writes waiting for one replica and the number of its batches in flight. */
    private final class Lane {
        private final String address;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private int inFlight;

        Lane(String address) {
            this.address = address;
        }

        CompletableFuture<Response> submit(KeyValue entry) {
            Pending pending = new Pending(entry, new CompletableFuture<>());
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
            return pending.reply();
        }

        /** The next batch from the head of the queue; called holding the lock with the queue not empty. */
        private List<Pending> take() {
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), 1024));
            long bytes = 0;
            while (!queue.isEmpty()) {
                Pending next = queue.peek();
                long size = next.entry().getKey().size() + next.entry().getValue().size();
                if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.add(queue.poll());
                bytes += size;
            }
            return batch;
        }

        private void send(List<Pending> batch) {
            CompletableFuture<Response> call;
            try {
                BatchWrite.Builder write = BatchWrite.newBuilder();
                for (Pending p : batch) {
                    write.addEntries(p.entry());
                }
                call = writeBatch.apply(address, write.build());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((response, error) -> {
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
                for (Pending p : batch) {
                    if (error == null) {
                        p.reply().complete(response);
                    } else {
                        p.reply().completeExceptionally(error);
                    }
                }
            });
        }
    }
}
