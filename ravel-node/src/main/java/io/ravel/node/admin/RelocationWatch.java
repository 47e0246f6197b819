package io.ravel.node.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ravel.node.NodeTimeouts;
import io.ravel.proto.RelocationProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reports the relocation a {@code ravel_node kill} waits for: while its LeaveCluster call is pending,
 * polls the admin's GetRelocationProgress about once a second and hands a line such as
 * {@code relocation: 37/135 partitions moved, 4,210 keys moved} to the sink whenever the progress changed.
 *
 * <p>Only a relocation that moves the leaving replica's own cluster away is reported, so killing a
 * replica that is not its cluster's last reports nothing. After the call, a last poll reports the end
 * of the run ({@code moved == total}) when the relocation was seen, or when it ran entirely between two
 * polls; while the polled admin still shows it running (a follower of an admin group that has not
 * applied the end yet), it asks again for a few seconds. A failed poll is skipped (the admin may be
 * briefly away); an admin without the RPC (UNIMPLEMENTED) ends the polling silently. Lines never go
 * backwards: an answer below the last reported one (a lagging admin of a group) is not reported.
 *
 * <p>Threading: {@link #start} and {@link #finish} are called by the thread that makes the LeaveCluster
 * call; polls run on one daemon thread of this object, and the sink is called from both, never at once.
 */
public final class RelocationWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelocationWatch.class);

    private final AdminClient admin;
    private final String clusterId;
    private final Consumer<String> sink;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relocation-progress");
        t.setDaemon(true);
        return t;
    });
    /** The progress before the LeaveCluster call; null when the admin did not answer. Guarded by this. */
    private RelocationProgress before;
    /** The last progress handed to the sink; null before the first line. Guarded by this. */
    private RelocationProgress reported;
    /** Whether a poll saw the relocation of {@link #clusterId} running. Guarded by this. */
    private boolean seen;
    /** Set once the admin answered UNIMPLEMENTED: no more polls. */
    private volatile boolean unsupported;

    /**
     * @param clusterId the cluster of the leaving replica: only a relocation that moves it away is reported
     * @param sink      receives each progress line
     */
    public RelocationWatch(AdminClient admin, String clusterId, Consumer<String> sink) {
        this.admin = admin;
        this.clusterId = clusterId;
        this.sink = sink;
    }

    /** Notes the progress before the leave and starts polling. Call just before LeaveCluster. */
    public RelocationWatch start() {
        RelocationProgress now = poll();
        synchronized (this) {
            before = now;
        }
        long period = NodeTimeouts.PROGRESS_POLL.toMillis();
        poller.scheduleWithFixedDelay(this::pollAndReport, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops polling and reports the end of the relocation, if one ran. Call once LeaveCluster returned. */
    public void finish() {
        close();
        RelocationProgress last = poll();
        long end = System.nanoTime() + NodeTimeouts.PROGRESS_SETTLE.toNanos();
        while (stillRunning(last) && System.nanoTime() < end) {
            try {
                Thread.sleep(NodeTimeouts.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = poll();
        }
        if (last == null) {
            return;
        }
        synchronized (this) {
            boolean ranUnseen = before != null && !last.getInProgress() && last.getMoved() == last.getTotal()
                    && (last.getTotal() != before.getTotal() || last.getMoved() != before.getMoved()
                    || last.getKeysMoved() != before.getKeysMoved());
            if (seen || ranUnseen) {
                report(last);
            }
        }
    }

    /** Stops polling (a poll under way ends first). */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(NodeTimeouts.PROGRESS_CALL.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code p} (null: no answer) may not show the end yet of a relocation that was seen running. */
    private boolean stillRunning(RelocationProgress p) {
        if (unsupported) {
            return false;
        }
        synchronized (this) {
            return p == null ? seen : movesThisCluster(p);
        }
    }

    private boolean movesThisCluster(RelocationProgress p) {
        return p.getInProgress() && p.getLeavingClusterIdsList().contains(clusterId);
    }

    private void pollAndReport() {
        RelocationProgress now = poll();
        if (now == null) {
            return;
        }
        synchronized (this) {
            if (movesThisCluster(now)) {
                seen = true;
                report(now);
            }
        }
    }

    /** Hands {@code p} to the sink unless it says what was reported last, or goes below it. Holds this. */
    private void report(RelocationProgress p) {
        if (reported != null) {
            boolean back = p.getMoved() < reported.getMoved() || p.getTotal() < reported.getTotal()
                    || p.getKeysMoved() < reported.getKeysMoved();
            boolean same = p.getMoved() == reported.getMoved() && p.getTotal() == reported.getTotal()
                    && p.getKeysMoved() == reported.getKeysMoved();
            if (back || same) {
                return;
            }
        }
        reported = p;
        sink.accept(line(p));
    }

    /** The progress line, e.g. {@code relocation: 37/135 partitions moved, 4,210 keys moved}. */
    public static String line(RelocationProgress p) {
        return String.format(Locale.ROOT, "relocation: %d/%d partitions moved, %,d keys moved",
                p.getMoved(), p.getTotal(), p.getKeysMoved());
    }

    /** One progress call; null when it failed or the admin has no such RPC. */
    private RelocationProgress poll() {
        if (unsupported) {
            return null;
        }
        try {
            return admin.relocationProgress(NodeTimeouts.PROGRESS_CALL);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                unsupported = true;
                LOG.debug("the admin reports no relocation progress (it predates GetRelocationProgress)");
            } else {
                LOG.debug("relocation progress unavailable: {}", e.getStatus().getCode());
            }
            return null;
        } catch (RuntimeException e) {
            LOG.debug("relocation progress unavailable: {}", e.toString());
            return null;
        }
    }
}
