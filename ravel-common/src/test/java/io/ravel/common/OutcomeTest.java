package io.ravel.common;

import io.grpc.Status;
import io.ravel.proto.Code;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static io.ravel.common.Outcome.Retry.AFTER_FINDING_LEADER;
import static io.ravel.common.Outcome.Retry.AFTER_REFRESHING_OWNERS;
import static io.ravel.common.Outcome.Retry.NEVER;
import static io.ravel.common.Outcome.Retry.SAME_REPLICA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outcome table, written out by hand: a change to any entry has to change this test too. */
class OutcomeTest {

    @Test
    void everyReplicaAnswerCodeHasItsOutcome() {
        Map<Code, Outcome> expected = new EnumMap<>(Code.class);
        expected.put(Code.OK, Outcome.OK);
        expected.put(Code.NOT_FOUND, Outcome.NOT_FOUND);
        expected.put(Code.NOT_LEADER, Outcome.NOT_LEADER);
        expected.put(Code.INVALID, Outcome.INVALID);
        expected.put(Code.UNAVAILABLE, Outcome.UNAVAILABLE);
        expected.put(Code.INTERNAL, Outcome.INTERNAL);
        expected.put(Code.VERSION_MISMATCH, Outcome.VERSION_MISMATCH);
        expected.put(Code.WRONG_OWNER, Outcome.WRONG_OWNER);
        expected.put(Code.UNRECOGNIZED, Outcome.UNKNOWN_CODE);
        assertEquals(Code.values().length, expected.size(), "a new Code needs a row here and in Outcome");
        expected.forEach((code, outcome) -> assertSame(outcome, Outcome.of(code), code.toString()));
    }

    @Test
    void replicaAnswersRoundTripThroughTheirCode() {
        for (Outcome o : Outcome.values()) {
            if (o.isReplicaAnswer()) {
                assertSame(o, Outcome.of(o.code()), o.toString());
            } else {
                assertThrows(IllegalStateException.class, o::code, o.toString());
            }
        }
    }

    @Test
    void grpcStatusesTheAdminSees() {
        assertSame(Outcome.NOT_LEADER, Outcome.of(Status.Code.FAILED_PRECONDITION));
        assertSame(Outcome.GRPC_UNAVAILABLE, Outcome.of(Status.Code.UNAVAILABLE));
        assertSame(Outcome.GRPC_DEADLINE_EXCEEDED, Outcome.of(Status.Code.DEADLINE_EXCEEDED));
        assertSame(Outcome.GRPC_CANCELLED, Outcome.of(Status.Code.CANCELLED));
        assertSame(Outcome.GRPC_UNKNOWN, Outcome.of(Status.Code.UNKNOWN));
        assertSame(Outcome.GRPC_ABORTED, Outcome.of(Status.Code.ABORTED));
        for (Status.Code final_ : new Status.Code[]{Status.Code.INVALID_ARGUMENT, Status.Code.INTERNAL,
                Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.PERMISSION_DENIED, Status.Code.DATA_LOSS}) {
            assertSame(Outcome.CALL_FAILED, Outcome.of(final_), final_.toString());
        }
    }

    @Test
    void retryPolicies() {
        Map<Outcome, Outcome.Retry> expected = new EnumMap<>(Outcome.class);
        expected.put(Outcome.OK, NEVER);
        expected.put(Outcome.NOT_FOUND, NEVER);
        expected.put(Outcome.INVALID, NEVER);
        expected.put(Outcome.NOT_LEADER, AFTER_FINDING_LEADER);
        expected.put(Outcome.UNAVAILABLE, SAME_REPLICA);
        expected.put(Outcome.INTERNAL, NEVER);
        expected.put(Outcome.UNKNOWN_CODE, NEVER);
        expected.put(Outcome.VERSION_MISMATCH, NEVER);
        expected.put(Outcome.WRONG_OWNER, AFTER_REFRESHING_OWNERS);
        expected.put(Outcome.TOO_LARGE, NEVER);
        expected.put(Outcome.PRECONDITION, NEVER);
        expected.put(Outcome.GRPC_UNAVAILABLE, AFTER_FINDING_LEADER);
        expected.put(Outcome.GRPC_DEADLINE_EXCEEDED, AFTER_FINDING_LEADER);
        expected.put(Outcome.GRPC_CANCELLED, AFTER_FINDING_LEADER);
        expected.put(Outcome.GRPC_UNKNOWN, AFTER_FINDING_LEADER);
        expected.put(Outcome.GRPC_ABORTED, AFTER_FINDING_LEADER);
        expected.put(Outcome.CALL_FAILED, NEVER);
        assertEquals(Outcome.values().length, expected.size());
        expected.forEach((o, retry) -> assertEquals(retry, o.retry(), o.toString()));
    }

    @Test
    void httpStatuses() {
        Map<Outcome, Integer> expected = new EnumMap<>(Outcome.class);
        expected.put(Outcome.OK, 200);
        expected.put(Outcome.NOT_FOUND, 404);
        expected.put(Outcome.INVALID, 400);
        expected.put(Outcome.NOT_LEADER, 503);
        expected.put(Outcome.UNAVAILABLE, 503);
        expected.put(Outcome.INTERNAL, 500);
        expected.put(Outcome.UNKNOWN_CODE, 503);
        expected.put(Outcome.VERSION_MISMATCH, 409);
        expected.put(Outcome.WRONG_OWNER, 503);
        expected.put(Outcome.TOO_LARGE, 413);
        expected.put(Outcome.PRECONDITION, 409);
        expected.put(Outcome.GRPC_UNAVAILABLE, 503);
        expected.put(Outcome.GRPC_DEADLINE_EXCEEDED, 503);
        expected.put(Outcome.GRPC_CANCELLED, 503);
        expected.put(Outcome.GRPC_UNKNOWN, 503);
        expected.put(Outcome.GRPC_ABORTED, 503);
        expected.put(Outcome.CALL_FAILED, 500);
        assertEquals(Outcome.values().length, expected.size());
        expected.forEach((o, status) -> assertEquals(status, o.httpStatus(), o.toString()));
    }

    @Test
    void grpcStatusesSent() {
        assertEquals(Status.Code.FAILED_PRECONDITION, Outcome.NOT_LEADER.grpcStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, Outcome.UNAVAILABLE.grpcStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, Outcome.INVALID.grpcStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, Outcome.TOO_LARGE.grpcStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, Outcome.NOT_FOUND.grpcStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, Outcome.PRECONDITION.grpcStatus().getCode());
        assertEquals(Status.Code.INTERNAL, Outcome.INTERNAL.grpcStatus().getCode());
        assertEquals(Status.Code.CANCELLED, Outcome.GRPC_CANCELLED.grpcStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, Outcome.WRONG_OWNER.grpcStatus().getCode());
        // What a replica sends on a stream, the admin reads back as the same outcome.
        assertSame(Outcome.NOT_LEADER, Outcome.of(Outcome.NOT_LEADER.grpcStatus().getCode()));
        assertSame(Outcome.GRPC_CANCELLED, Outcome.of(Outcome.GRPC_CANCELLED.grpcStatus().getCode()));
    }

    @Test
    void everyOutcomeSaysWhatItMeansAndWhyItIsRetriedOrNot() {
        for (Outcome o : Outcome.values()) {
            assertFalse(o.meaning().isBlank(), o.toString());
            assertFalse(o.retryReason().isBlank(), o.toString());
        }
    }

    @Test
    void failuresAreUnwrappedOnce() {
        Exception inner = Status.DEADLINE_EXCEEDED.withDescription("slow").asRuntimeException();
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(inner)));
        assertSame(inner, Outcome.unwrap(wrapped));
        assertSame(Outcome.GRPC_DEADLINE_EXCEEDED, Outcome.of(wrapped));
        assertSame(Outcome.GRPC_UNAVAILABLE, Outcome.of(Status.UNAVAILABLE.asException()));
        assertEquals("DEADLINE_EXCEEDED: slow", Outcome.describe(wrapped));
        assertSame(Outcome.CALL_FAILED, Outcome.of(new CompletionException(new IllegalStateException("no channel"))));
        assertEquals("IllegalStateException", Outcome.describe(new CompletionException(new IllegalStateException())));
        CompletionException bare = new CompletionException(null);
        assertSame(bare, Outcome.unwrap(bare), "a wrapper with no cause is the failure itself");
    }

    @Test
    void removalsAreCompleteWhenDoneOrWhenNothingWasThere() {
        for (Outcome o : Outcome.values()) {
            assertEquals(o == Outcome.OK || o == Outcome.NOT_FOUND, o.removalComplete(), o.toString());
        }
        assertTrue(Outcome.of(Code.NOT_FOUND).removalComplete());
    }
}
