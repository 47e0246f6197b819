package io.ravel.node.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The field encodings of the log format ({@link CommandCodec}): length-prefixed bytes and strings, partitions. */
final class WireBytes {

    private WireBytes() {
    }

    static void putBytes(ByteBuffer buf, byte[] bytes) {
        buf.putInt(bytes.length).put(bytes);
    }

    static byte[] getBytes(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw new IllegalArgumentException("bad length " + len);
        }
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    static void putString(ByteBuffer buf, String s) {
        putBytes(buf, s.getBytes(StandardCharsets.UTF_8));
    }

    static String getString(ByteBuffer buf) {
        return new String(getBytes(buf), StandardCharsets.UTF_8);
    }

    static int stringSize(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    static int getPartition(ByteBuffer buf) {
        return buf.getShort() & 0xFFFF;
    }
}
