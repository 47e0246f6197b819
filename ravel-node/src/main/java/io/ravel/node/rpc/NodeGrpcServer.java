package io.ravel.node.rpc;

import io.ravel.node.NodeTimeouts;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ravel.common.GrpcLimits;
import io.ravel.common.HostPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The gRPC server of a replica, listening on its --grpcaddr. */
public final class NodeGrpcServer {

    private final Server server;

    private NodeGrpcServer(Server server) {
        this.server = server;
    }

    /** Binds {@code address} and starts serving {@code service}; IOException when the port is taken. */
    public static NodeGrpcServer start(String address, RavelNodeService service) throws IOException {
        return start(address, service, null);
    }

    /** As {@link #start(String, RavelNodeService)}, with {@code interceptor} (null = none) around every call. */
    public static NodeGrpcServer start(String address, RavelNodeService service, ServerInterceptor interceptor)
            throws IOException {
        HostPort hp = HostPort.parse(address, "--grpcaddr");
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(hp.ipHost(), hp.port()))
                .addService(interceptor == null ? service.bindService()
                        : ServerInterceptors.intercept(service, interceptor))
                // every handler only hands work to Raft or a read executor and returns: run them on
                // the transport thread instead of handing each call to another thread
                .directExecutor()
                .maxInboundMessageSize(GrpcLimits.MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(GrpcLimits.PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .build()
                .start();
        return new NodeGrpcServer(server);
    }

    public void stop() {
        server.shutdown();
        try {
            if (!server.awaitTermination(NodeTimeouts.SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(NodeTimeouts.SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
