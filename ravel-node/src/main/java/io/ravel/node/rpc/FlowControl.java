package io.ravel.node.rpc;

import io.grpc.stub.ServerCallStreamObserver;

import java.util.concurrent.CancellationException;

/**
 * Sends a server stream at the pace the client reads it: the sending (read executor) thread waits
 * while the transport is not ready, and gives up when the call is cancelled.
 */
final class FlowControl<T> {

    /** How often a waiting sender looks again even without a ready signal (a missed wake-up costs this). */
    private static final long RECHECK_MS = 100;

    private final ServerCallStreamObserver<T> call;
    private final Object ready = new Object();

    FlowControl(ServerCallStreamObserver<T> call) {
        this.call = call;
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(this::wake);
    }

    private void wake() {
        synchronized (ready) {
            ready.notifyAll();
        }
    }

    void send(T message) {
        synchronized (ready) {
            while (!call.isReady() && !call.isCancelled()) {
                try {
                    ready.wait(RECHECK_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }
        }
        if (call.isCancelled()) {
            throw new CancellationException("the caller cancelled the scan");
        }
        call.onNext(message);
    }

    void complete() {
        try {
            call.onCompleted();
        } catch (RuntimeException ignored) {
            // cancelled meanwhile
        }
    }

    void fail(RuntimeException status) {
        try {
            call.onError(status);
        } catch (RuntimeException ignored) {
            // cancelled meanwhile
        }
    }
}
