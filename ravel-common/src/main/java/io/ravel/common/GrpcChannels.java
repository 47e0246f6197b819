package io.ravel.common;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived gRPC channel per remote address, created on first use and reused for every call
 * after it (a channel reconnects by itself when its peer comes back). Thread-safe.
 */
public final class GrpcChannels implements AutoCloseable {

    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** The channel to {@code address} (host:port), created if there is none yet. */
    public ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, GrpcChannels::open);
    }

    /** Closes and forgets the channel to {@code address}, e.g. for a replica removed for good. */
    public void drop(String address) {
        ManagedChannel channel = channels.remove(address);
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    private static ManagedChannel open(String address) {
        HostPort hp = HostPort.parse(address, "address");
        return NettyChannelBuilder.forAddress(hp.ipHost(), hp.port())
                .usePlaintext()
                // Ravel retries at its own level (leader tracking, registration); gRPC's retry
                // bookkeeping only adds a contended lock on every call.
                .disableRetry()
                .maxInboundMessageSize(GrpcLimits.MAX_MESSAGE_BYTES)
                .keepAliveTime(GrpcLimits.KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(false)
                .build();
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
