package io.ravel.node.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Raft configuration changes as futures; a change already in place completes at once. */
final class PeerChanges {

    private PeerChanges() {
    }

    static CompletableFuture<Void> add(Node node, PeerId peer, Function<Status, RuntimeException> failure) {
        if (node.listPeers().contains(peer)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.addPeer(peer, status -> complete(done, status, failure));
        return done;
    }

    static CompletableFuture<Void> remove(Node node, PeerId peer, Function<Status, RuntimeException> failure) {
        if (!node.listPeers().contains(peer)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.removePeer(peer, status -> complete(done, status, failure));
        return done;
    }

    private static void complete(CompletableFuture<Void> done, Status status, Function<Status, RuntimeException> failure) {
        if (status.isOk()) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure.apply(status));
        }
    }
}
