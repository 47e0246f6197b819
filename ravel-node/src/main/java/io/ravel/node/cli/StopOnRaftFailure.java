package io.ravel.node.cli;

import com.alipay.sofa.jraft.error.RaftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Stops the {@code ravel_node start} process when its Raft node failed, with one line that says why:
 * a replica that cannot write its log is of no use to its cluster, and a restart once the cause is
 * fixed (space freed) catches it up from the leader. It halts without the shutdown hook: a graceful
 * Raft shutdown would only fail again on the same disk (saving its meta), and a replica is built to
 * survive a crash; the pid file it leaves names a dead process, which the next start ignores.
 */
final class StopOnRaftFailure implements Consumer<RaftException> {

    private static final Logger LOG = LoggerFactory.getLogger(StopOnRaftFailure.class);
    static final int EXIT_CODE = 3;
    /** Under this much usable space the failure is taken for a full disk (RocksDB needs room to write). */
    private static final long NEARLY_FULL_BYTES = 4L << 20;

    private final Path storageDir;

    StopOnRaftFailure(Path storageDir) {
        this.storageDir = storageDir;
    }

    @Override
    public void accept(RaftException e) {
        LOG.error("ravel_node: stopping: {}", reason(e));
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }

    String reason(RaftException e) {
        if (mentionsNoSpace(e) || nearlyFull()) {
            return "no space left on device for " + storageDir + " (free space there, then start the replica"
                    + " again with the same command line: it catches up from its cluster's leader)";
        }
        return "the Raft node failed and serves nothing: " + e.getStatus()
                + " (see the lines above; start the replica again once the cause is fixed)";
    }

    private static boolean mentionsNoSpace(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("NoSpace"))) {
                return true;
            }
        }
        return false;
    }

    private boolean nearlyFull() {
        try {
            return Files.getFileStore(storageDir).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException ex) {
            return false;
        }
    }
}
