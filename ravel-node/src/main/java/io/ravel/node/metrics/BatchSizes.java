package io.ravel.node.metrics;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.CommandBatch;

/**
 * Operations per batch call ({@code ravel_grpc_batch_operations}, by method): the commands of a
 * RunBatch (the admin's grouped client operations) and the entries of a WriteBatch (a relocation's
 * copied keys). Read from each request as it arrives; other methods pass untouched.
 */
final class BatchSizes implements ServerInterceptor {

    private final DistributionSummary runBatch;
    private final DistributionSummary writeBatch;

    BatchSizes(MeterRegistry registry) {
        runBatch = summary(registry, "RunBatch");
        writeBatch = summary(registry, "WriteBatch");
    }

    private static DistributionSummary summary(MeterRegistry registry, String method) {
        return DistributionSummary.builder("ravel_grpc_batch_operations").tag("method", method)
                .description("operations per batch call: commands of a RunBatch, entries of a WriteBatch")
                .register(registry);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                     ServerCallHandler<Q, A> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        String method = call.getMethodDescriptor().getBareMethodName();
        if (!"RunBatch".equals(method) && !"WriteBatch".equals(method)) {
            return listener;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof CommandBatch b) {
                    runBatch.record(b.getCommandsCount());
                } else if (message instanceof BatchWrite w) {
                    writeBatch.record(w.getEntriesCount());
                }
                super.onMessage(message);
            }
        };
    }
}
