package io.ravel.admin.routing;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of client writes, 16 bytes each: a random 8-byte prefix drawn once per admin process, then a
 * counter. Unique within the process by the counter and across admins and restarts by the prefix,
 * with no coordination and no random draw per request. Thread-safe.
 */
final class RequestIds {

    private static final long PREFIX = new SecureRandom().nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIds() {
    }

    static ByteString next() {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(PREFIX).putLong(COUNTER.incrementAndGet()).array());
    }
}
