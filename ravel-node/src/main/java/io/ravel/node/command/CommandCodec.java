package io.ravel.node.command;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link Command} in the Raft log.
 *
 * <pre>
 * entry            = version:u8 (=1) type:u8 body
 * SET              = partition:u16 key:bytes value:bytes
 * DELETE           = partition:u16 key:bytes
 * GET_AND_DELETE   = partition:u16 key:bytes
 * BATCH            = count:u32 (partition:u16 key:bytes value:bytes){count}
 * DELETE_PARTITION = partition:u16
 * MEMBER_ADD       = id:string grpc:string raft:string
 * MEMBER_REMOVE    = id:string
 * bytes / string   = length:u32 then the bytes (strings in UTF-8); integers big-endian
 * </pre>
 *
 * Decoding rejects anything malformed with {@link IllegalArgumentException}. Stateless, thread-safe.
 */
public final class CommandCodec {

    static final int VERSION = 1;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        ByteBuffer buf = ByteBuffer.allocate(size(command));
        buf.put((byte) VERSION).put((byte) command.type().code);
        if (command instanceof Command.Set s) {
            putSet(buf, s);
        } else if (command instanceof Command.Delete d) {
            buf.putShort((short) d.partition());
            putBytes(buf, d.key());
        } else if (command instanceof Command.GetAndDelete g) {
            buf.putShort((short) g.partition());
            putBytes(buf, g.key());
        } else if (command instanceof Command.Batch b) {
            buf.putInt(b.entries().size());
            for (Command.Set s : b.entries()) {
                putSet(buf, s);
            }
        } else if (command instanceof Command.DeletePartition p) {
            buf.putShort((short) p.partition());
        } else if (command instanceof Command.MemberAdd m) {
            putString(buf, m.member().id());
            putString(buf, m.member().grpcAddress());
            putString(buf, m.member().raftAddress());
        } else if (command instanceof Command.MemberRemove r) {
            putString(buf, r.nodeId());
        }
        return buf.array();
    }

    public static Command decode(ByteBuffer data) {
        ByteBuffer buf = data.slice();
        try {
            int version = buf.get() & 0xFF;
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown command format version " + version);
            }
            Command.Type type = Command.Type.of(buf.get() & 0xFF);
            Command command = switch (type) {
                case SET -> getSet(buf);
                case DELETE -> new Command.Delete(getPartition(buf), getBytes(buf));
                case GET_AND_DELETE -> new Command.GetAndDelete(getPartition(buf), getBytes(buf));
                case BATCH -> {
                    int count = buf.getInt();
                    if (count < 0 || count > buf.remaining()) {
                        throw new IllegalArgumentException("bad batch size " + count);
                    }
                    List<Command.Set> entries = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        entries.add(getSet(buf));
                    }
                    yield new Command.Batch(entries);
                }
                case DELETE_PARTITION -> new Command.DeletePartition(getPartition(buf));
                case MEMBER_ADD -> new Command.MemberAdd(new Member(getString(buf), getString(buf), getString(buf)));
                case MEMBER_REMOVE -> new Command.MemberRemove(getString(buf));
            };
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes after a " + type + " command");
            }
            return command;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated command", e);
        }
    }

    public static Command decode(byte[] data) {
        return decode(ByteBuffer.wrap(data));
    }

    private static int size(Command command) {
        int body;
        if (command instanceof Command.Set s) {
            body = setSize(s);
        } else if (command instanceof Command.Delete d) {
            body = 2 + 4 + d.key().length;
        } else if (command instanceof Command.GetAndDelete g) {
            body = 2 + 4 + g.key().length;
        } else if (command instanceof Command.Batch b) {
            body = 4;
            for (Command.Set s : b.entries()) {
                body += setSize(s);
            }
        } else if (command instanceof Command.DeletePartition) {
            body = 2;
        } else if (command instanceof Command.MemberAdd m) {
            body = stringSize(m.member().id()) + stringSize(m.member().grpcAddress())
                    + stringSize(m.member().raftAddress());
        } else if (command instanceof Command.MemberRemove r) {
            body = stringSize(r.nodeId());
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        return 2 + body;
    }

    private static int setSize(Command.Set s) {
        return 2 + 4 + s.key().length + 4 + s.value().length;
    }

    private static int stringSize(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putSet(ByteBuffer buf, Command.Set s) {
        buf.putShort((short) s.partition());
        putBytes(buf, s.key());
        putBytes(buf, s.value());
    }

    private static Command.Set getSet(ByteBuffer buf) {
        return new Command.Set(getPartition(buf), getBytes(buf), getBytes(buf));
    }

    private static int getPartition(ByteBuffer buf) {
        return buf.getShort() & 0xFFFF;
    }

    private static void putBytes(ByteBuffer buf, byte[] bytes) {
        buf.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw new IllegalArgumentException("bad length " + len);
        }
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    private static void putString(ByteBuffer buf, String s) {
        putBytes(buf, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String getString(ByteBuffer buf) {
        return new String(getBytes(buf), StandardCharsets.UTF_8);
    }
}
