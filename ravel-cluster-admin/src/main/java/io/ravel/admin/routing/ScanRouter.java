package io.ravel.admin.routing;

import com.google.protobuf.ByteString;
import io.ravel.admin.AdminException;
import io.ravel.admin.AdminTimeouts;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.relocation.PartitionGate;
import io.ravel.common.Outcome;
import io.ravel.common.Partitioner;
import io.ravel.proto.KeyValue;
import io.ravel.proto.RangeScanReply;
import io.ravel.proto.RangeScanRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Runs one page of a client scan (POST /scan): the first {@code limit} keys, in unsigned byte order of
 * their UTF-8 form, that start with a prefix and sort after a given key, across every cluster.
 *
 * <p>Keys are hashed to partitions, so any partition may hold the next key: the scan enters the
 * {@link PartitionGate} of every partition (waiting for a moving one, as a single operation does),
 * groups the partitions by owner and asks each owner's leader, in one ScanRange call, for the first
 * {@code limit} matching keys of its partitions (read after a ReadIndex). The answers are merged;
 * a cluster that had more than it sent bounds the page at its last key, so nothing beyond a key the
 * page could have missed is returned. Each page reads every partition from its owner of the moment,
 * so across pages no key is missed or listed twice, moves or not, unless it was written meanwhile.
 * A page is not one snapshot across partitions. Thread-safe; no thread waits for a replica.
 */
public final class ScanRouter {

    /** One key and its stored JSON text. */
    public record Item(String key, byte[] jsonValue) {
    }

    /** A page: its items and the key to continue after, or null when the scan is done. */
    public record Page(List<Item> items, String next) {
    }

    private static final List<Integer> ALL = IntStream.range(0, Partitioner.PARTITIONS).boxed().toList();

    private final OwnerLookup owners;
    private final PartitionGate gate;
    private final LeaderTracker leaders;
    private final NodeClient nodes;

    public ScanRouter(OwnerLookup owners, PartitionGate gate, LeaderTracker leaders, NodeClient nodes) {
        this.owners = owners;
        this.gate = gate;
        this.leaders = leaders;
        this.nodes = nodes;
    }

    public CompletableFuture<Page> scan(String prefix, String after, int limit) {
        return attempt(prefix, after, limit, System.nanoTime() + AdminTimeouts.REQUEST.toNanos(), 0);
    }

    /** One reading of the page; when a cluster's fence refused it, the page is read again ({@link Reroute}). */
    private CompletableFuture<Page> attempt(String prefix, String after, int limit, long deadline, int refusals) {
        return Gates.enterAll(gate, ALL).thenCompose(entered -> {
            CompletableFuture<Page> page;
            try {
                page = routed(prefix.getBytes(StandardCharsets.UTF_8), after.getBytes(StandardCharsets.UTF_8), limit,
                        deadline);
            } catch (RuntimeException e) {
                page = CompletableFuture.failedFuture(e);
            }
            return page.whenComplete((p, t) -> Gates.exitAll(gate, ALL));
        }).handle((page, error) -> {
            AdminException failure = error == null ? null : AdminException.find(error);
            if (failure == null || failure.outcome() != Outcome.WRONG_OWNER) {
                return error == null ? CompletableFuture.completedFuture(page) : CompletableFuture.<Page>failedFuture(error);
            }
            return Reroute.after(owners, refusals, deadline).thenCompose(again -> again
                    ? attempt(prefix, after, limit, deadline, refusals + 1) : CompletableFuture.<Page>failedFuture(error));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Page> routed(byte[] prefix, byte[] after, int limit, long deadline) {
        Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
        for (int p : ALL) {
            String owner = owners.owner(p);
            if (owner != null) {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(p);
            }
        }
        if (byOwner.isEmpty()) {
            return CompletableFuture.failedFuture(new AdminException(AdminException.Reason.UNAVAILABLE,
                    "no cluster exists yet: start a replica with -l=true to create one"));
        }
        List<CompletableFuture<RangeScanReply>> replies = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byOwner.entrySet()) {
            RangeScanRequest request = RangeScanRequest.newBuilder().addAllPartitions(e.getValue())
                    .setPrefix(ByteString.copyFrom(prefix)).setAfter(ByteString.copyFrom(after)).setLimit(limit).build();
            AtomicReference<RangeScanReply> reply = new AtomicReference<>();
            replies.add(leaders.onLeader(e.getKey(), address -> nodes.scanRange(address, request).thenApply(r -> {
                reply.set(r);
                return r.getStatus();
            }), deadline).thenApply(status -> {
                KvRouter.check(status);
                return reply.get();
            }));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(v -> merge(replies.stream().map(CompletableFuture::join).toList(), limit));
    }

    /** The first {@code limit} entries of all replies, bounded by the last key of every reply that had more. */
    static Page merge(List<RangeScanReply> replies, int limit) {
        Comparator<byte[]> order = Arrays::compareUnsigned;
        byte[] bound = null;
        List<KeyValue> all = new ArrayList<>();
        for (RangeScanReply r : replies) {
            all.addAll(r.getEntriesList());
            if (r.getMore() && r.getEntriesCount() > 0) {
                byte[] last = r.getEntries(r.getEntriesCount() - 1).getKey().toByteArray();
                bound = bound == null || order.compare(last, bound) < 0 ? last : bound;
            }
        }
        all.sort((a, b) -> order.compare(a.getKey().toByteArray(), b.getKey().toByteArray()));
        List<Item> items = new ArrayList<>(Math.min(limit, all.size()));
        boolean cut = bound != null;
        for (KeyValue kv : all) {
            if (items.size() == limit || (bound != null && order.compare(kv.getKey().toByteArray(), bound) > 0)) {
                cut = true;
                break;
            }
            items.add(new Item(kv.getKey().toStringUtf8(), kv.getValue().toByteArray()));
        }
        String next = cut && !items.isEmpty() ? items.get(items.size() - 1).key() : null;
        return new Page(items, next);
    }
}
