package io.ravel.node.raft;

import com.alipay.sofa.jraft.error.RaftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Where a replica's Raft node reports that it stopped on an error (a failed log or state-machine
 * write, such as a full disk). SOFAJRaft leaves such a node running in an error state that serves
 * nothing; the {@code ravel_node start} process installs a handler that stops the process instead.
 * In a test JVM that runs several replicas, the default only logs. Thread-safe.
 */
public final class RaftFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RaftFailures.class);
    private static final Consumer<RaftException> LOG_ONLY =
            e -> LOG.error("Raft node stopped on an error: {}", e.getStatus(), e);

    private static volatile Consumer<RaftException> handler = LOG_ONLY;

    private RaftFailures() {
    }

    public static void setHandler(Consumer<RaftException> h) {
        handler = h == null ? LOG_ONLY : h;
    }

    /** Called on SOFAJRaft's state-machine thread: the handler must not block it. */
    static void report(RaftException e) {
        handler.accept(e);
    }
}
