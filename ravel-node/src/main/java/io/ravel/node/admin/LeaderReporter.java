package io.ravel.node.admin;

import io.ravel.node.NodeTimeouts;
import io.ravel.node.raft.LeadershipListener;
import io.ravel.proto.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Tells the admin each time this replica starts leading (UpdateClusterLeader, retried for as long as
 * it still leads in that term), and, for a cluster this replica founded, asks once for data
 * relocation (InitiateDataRelocation, retried likewise). "Once" survives restarts: the marker file
 * {@value #RELOCATION_MARKER} in the storage dir records that the admin accepted the request.
 *
 * <p>Threading: the callbacks come from the state machine thread and only hand work to this
 * reporter's own thread.
 */
public final class LeaderReporter implements LeadershipListener, AutoCloseable {

    /** Present in a founder's storage dir once the admin accepted its relocation request. */
    public static final String RELOCATION_MARKER = "relocation-requested";

    private static final Logger LOG = LoggerFactory.getLogger(LeaderReporter.class);

    private final AdminClient admin;
    private final Node self;
    private final Path relocationMarker;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ravel-leader-reporter");
        t.setDaemon(true);
        return t;
    });
    private volatile long leadingTerm = -1;

    /**
     * @param self              this replica, with its cluster id
     * @param relocationMarker  where to record the accepted relocation request; null when this
     *                          replica never asks (it did not found its cluster)
     */
    public LeaderReporter(AdminClient admin, Node self, Path relocationMarker) {
        this.admin = admin;
        this.self = self;
        this.relocationMarker = relocationMarker;
    }

    @Override
    public void onLeaderStart(long term) {
        leadingTerm = term;
        try {
            worker.execute(() -> report(term));
        } catch (RuntimeException e) {
            LOG.debug("reporter stopped; leadership in term {} not reported", term);
        }
    }

    @Override
    public void onLeaderStop() {
        leadingTerm = -1;
    }

    private boolean leads(long term) {
        return leadingTerm == term && !Thread.currentThread().isInterrupted();
    }

    private void report(long term) {
        while (leads(term)) {
            try {
                admin.updateClusterLeader(self);
                LOG.info("reported leadership of cluster {} (term {}) to the admin", self.getClusterId(), term);
                break;
            } catch (AdminUnavailableException e) {
                LOG.warn("could not report leadership yet: {}", e.getMessage());
                pause();
            }
        }
        if (relocationMarker == null || Files.exists(relocationMarker)) {
            return;
        }
        while (leads(term)) {
            try {
                admin.initiateDataRelocation(self.getClusterId());
                Files.writeString(relocationMarker, "relocation requested for cluster " + self.getClusterId() + "\n");
                LOG.info("asked the admin to relocate partitions to the new cluster {}", self.getClusterId());
                return;
            } catch (AdminUnavailableException e) {
                LOG.warn("could not request relocation yet: {}", e.getMessage());
                pause();
            } catch (java.io.IOException e) {
                LOG.warn("relocation requested, but {} could not be written: {}", relocationMarker, e.getMessage());
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(NodeTimeouts.REPORT_RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        leadingTerm = -1;
        worker.shutdownNow();
        try {
            worker.awaitTermination(NodeTimeouts.SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
