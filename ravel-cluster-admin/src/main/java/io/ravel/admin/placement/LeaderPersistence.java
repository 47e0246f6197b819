package io.ravel.admin.placement;

import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Saves leaders the admin learned by itself (a NOT_LEADER redirect, a leader search) to its state, on
 * its own thread: the state write is a synced disk write, and it must never run on a request's path.
 * What is saved is the cache's leader at the time of the write, not at the time it was learned, and a
 * write is repeated if the cache changed meanwhile, so an older leader never ends up on disk after a
 * newer one. Saving is only a hint for the next start: a leader reports itself anyway.
 *
 * <p>Thread-safe: {@link #saveLater} never blocks; writes run one at a time on the writer thread.
 */
final class LeaderPersistence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderPersistence.class);

    private final ClusterRegistry registry;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ravel-leader-save");
        t.setDaemon(true);
        return t;
    });
    private volatile LeaderCache cache;

    LeaderPersistence(ClusterRegistry registry) {
        this.registry = registry;
    }

    /** The cache whose leaders are saved; set once, before the first {@link #saveLater}. */
    void saving(LeaderCache cache) {
        this.cache = cache;
    }

    /** Saves the cluster's current leader soon, off the caller's thread. Never blocks. */
    void saveLater(String clusterId) {
        if (!pending.add(clusterId)) {
            return; // a write not started yet will read the newest leader
        }
        try {
            writer.execute(() -> save(clusterId));
        } catch (RejectedExecutionException stopping) {
            pending.remove(clusterId);
        }
    }

    private void save(String clusterId) {
        pending.remove(clusterId);
        String address = cache.get(clusterId);
        while (address != null) {
            write(clusterId, address);
            String now = cache.get(clusterId);
            if (address.equals(now)) {
                return;
            }
            address = now; // the leader changed while this one was written
        }
    }

    private void write(String clusterId, String address) {
        if (!registry.state().writable()) {
            return; // an admin that does not lead its admin group records nothing; its leader does
        }
        Optional<Node> node = registry.state().replicaByGrpcAddress(address)
                .filter(n -> n.getClusterId().equals(clusterId));
        if (node.isEmpty()) {
            return; // not a registered replica of the cluster: nothing to record
        }
        try {
            registry.setLeader(node.get());
        } catch (RuntimeException e) {
            LOG.warn("cannot record leader of cluster {}: {}", clusterId, e.getMessage());
        }
    }

    /** Finishes the writes already asked for, then stops (before the state store closes). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
