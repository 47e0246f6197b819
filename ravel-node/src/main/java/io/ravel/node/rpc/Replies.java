package io.ravel.node.rpc;

import io.grpc.stub.StreamObserver;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Completes unary calls from futures: each answer comes from the replica's future or, after the
 * request timeout, from the timeout, whichever is first; a caller that went away is ignored.
 */
final class Replies {

    private final long timeoutMs;

    Replies(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** Answers with {@code onSuccess} of the future's value, or the mapped failure. */
    <T> void answer(CompletableFuture<T> future, StreamObserver<Response> out, Function<T, Response> onSuccess) {
        future.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            Response response;
            if (error == null) {
                try {
                    response = onSuccess.apply(value);
                } catch (RuntimeException e) {
                    response = ErrorMapping.toResponse(e);
                }
            } else {
                response = ErrorMapping.toResponse(error);
            }
            send(out, response);
        });
    }

    /** Answers with every future's response, in order, once all are done or the timeout passed. */
    void answerAll(List<CompletableFuture<Response>> answers, StreamObserver<ResponseBatch> out) {
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((ignored, timeout) -> {
                    ResponseBatch.Builder batch = ResponseBatch.newBuilder();
                    for (CompletableFuture<Response> answer : answers) {
                        Response response;
                        try {
                            response = answer.isDone() ? answer.join() : ErrorMapping.toResponse(timeout);
                        } catch (RuntimeException e) {
                            response = ErrorMapping.toResponse(e);
                        }
                        batch.addResponses(response);
                    }
                    send(out, batch.build());
                });
    }

    static <T> void send(StreamObserver<T> out, T response) {
        try {
            out.onNext(response);
            out.onCompleted();
        } catch (RuntimeException ignored) {
            // the caller cancelled or went away; nothing left to tell it
        }
    }
}
