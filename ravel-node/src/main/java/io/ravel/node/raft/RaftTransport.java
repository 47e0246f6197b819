package io.ravel.node.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.util.Endpoint;

/**
 * The bolt RPC server of a replica's Raft node, listening on the Raft address's host only.
 *
 * <p>SOFAJRaft's own factory binds every interface ({@code *:port}); the same port serves its CLI
 * service (add, remove, reset peers), so a replica started with {@code -r=localhost:60000} must not
 * be reachable from other hosts. Bolt binds a given ip; the Raft processors are the factory's own.
 */
final class RaftTransport {

    private RaftTransport() {
    }

    /** A server (not started yet: {@code RaftGroupService.start} does that) bound to {@code self}'s ip and port. */
    static RpcServer boundTo(PeerId self) {
        Endpoint endpoint = self.getEndpoint();
        RpcServer server = new BoltRpcServer(
                new com.alipay.remoting.rpc.RpcServer(endpoint.getIp(), endpoint.getPort(), true));
        RaftRpcServerFactory.addRaftRequestProcessors(server);
        return server;
    }
}
