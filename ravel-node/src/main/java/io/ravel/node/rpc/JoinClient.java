package io.ravel.node.rpc;

import io.ravel.node.NodeTimeouts;
import io.grpc.StatusRuntimeException;
import io.ravel.common.GrpcChannels;
import io.ravel.node.command.Member;
import io.ravel.proto.Code;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks a cluster's leader to add this replica (RavelNode.Join), following "not leader" redirects and
 * retrying with backoff until the deadline. Blocks the calling thread: used at start-up only.
 */
public final class JoinClient {

    private static final Logger LOG = LoggerFactory.getLogger(JoinClient.class);

    private final GrpcChannels channels;

    public JoinClient(GrpcChannels channels) {
        this.channels = channels;
    }

    /**
     * Joins {@code self} through {@code leaderAddress}; when that is unknown or stops answering,
     * {@code leaderHint} (may return null) names another address to try.
     *
     * @throws IllegalStateException when the deadline passes without a successful Join
     */
    public void join(Member self, String leaderAddress, Supplier<String> leaderHint, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        String target = leaderAddress;
        String last = "no leader address known";
        long backoffMs = NodeTimeouts.JOIN_BACKOFF.toMillis();
        while (System.nanoTime() < end) {
            if (target == null || target.isBlank()) {
                target = safeHint(leaderHint);
            }
            if (target != null && !target.isBlank()) {
                try {
                    Response r = RavelNodeGrpc.newBlockingStub(channels.get(target))
                            .withDeadlineAfter(NodeTimeouts.JOIN_CALL.toMillis(), TimeUnit.MILLISECONDS)
                            .join(Responses.node(self));
                    if (r.getCode() == Code.OK) {
                        LOG.info("joined the cluster through {}", target);
                        return;
                    }
                    last = target + " answered " + r.getCode() + " " + r.getMessage();
                    if (r.getCode() == Code.NOT_LEADER && !r.getLeaderGrpcAddress().isBlank()
                            && !r.getLeaderGrpcAddress().equals(target)) {
                        target = r.getLeaderGrpcAddress();
                        continue;
                    }
                    if (r.getCode() == Code.INVALID) {
                        throw new IllegalStateException("the leader refused to add this replica: " + r.getMessage());
                    }
                    if (r.getCode() == Code.NOT_LEADER) {
                        target = null;
                    }
                } catch (StatusRuntimeException e) {
                    last = target + " unreachable: " + e.getStatus().getCode();
                    target = null;
                }
            }
            LOG.info("join not done yet ({}); retrying", last);
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, NodeTimeouts.JOIN_BACKOFF_MAX.toMillis());
        }
        throw new IllegalStateException("could not join the cluster: " + last);
    }

    private static String safeHint(Supplier<String> hint) {
        try {
            return hint == null ? null : hint.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining");
        }
    }
}
