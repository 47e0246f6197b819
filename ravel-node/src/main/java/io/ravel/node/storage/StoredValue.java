package io.ravel.node.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The stored form of a user value: its JSON text with the key's version and expiry deadline.
 *
 * <pre>
 * current format = 0x00 format:u8(=1) version:u64 expiresAtMs:i64 json-bytes
 * earlier format = json-bytes (no header)
 * </pre>
 *
 * JSON text never starts with a 0x00 byte, so the first byte tells the formats apart. A value in the
 * earlier format (written before keys had versions) reads as version 1 with no expiry.
 * {@code expiresAtMs} is milliseconds since the epoch; 0 means the key never expires.
 */
public record StoredValue(byte[] json, long version, long expiresAtMs) {

    private static final byte MARK = 0;
    private static final byte FORMAT = 1;
    private static final int HEADER = 2 + 8 + 8;

    /** Whether the key has expired at {@code nowMs}. */
    public boolean expiredAt(long nowMs) {
        return expiresAtMs > 0 && expiresAtMs <= nowMs;
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + json.length).put(MARK).put(FORMAT).putLong(version).putLong(expiresAtMs)
                .put(json).array();
    }

    /** The stored bytes read back; null for null (no such key). */
    public static StoredValue decode(byte[] stored) {
        if (stored == null) {
            return null;
        }
        if (stored.length == 0 || stored[0] != MARK) {
            return new StoredValue(stored, 1, 0);
        }
        if (stored.length < HEADER || stored[1] != FORMAT) {
            throw new StorageException("unknown stored value format " + (stored.length > 1 ? stored[1] : -1), null);
        }
        ByteBuffer buf = ByteBuffer.wrap(stored);
        buf.position(2);
        long version = buf.getLong();
        long expires = buf.getLong();
        return new StoredValue(Arrays.copyOfRange(stored, HEADER, stored.length), version, expires);
    }
}
