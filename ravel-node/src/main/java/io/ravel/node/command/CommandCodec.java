package io.ravel.node.command;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ravel.node.command.WireBytes.getBytes;
import static io.ravel.node.command.WireBytes.getPartition;
import static io.ravel.node.command.WireBytes.getString;
import static io.ravel.node.command.WireBytes.putBytes;
import static io.ravel.node.command.WireBytes.putString;
import static io.ravel.node.command.WireBytes.stringSize;

/**
 * The binary form of a {@link Command} in the Raft log.
 *
 * <pre>
 * entry            = version:u8 type:u8 body
 * version 1        : every command without request ids (what earlier replicas wrote, byte for byte)
 * version 2        : a command with request ids; the body starts with stamp:u64 (the leader's clock)
 * version 3        : a command with a condition, an expiry, an explicit version, or EXPIRE; as version 2
 *                    (stamp, ids), and SET / DELETE end with the fields marked v3
 *
 * SET              = [v2+: id:bytes] partition:u16 key:bytes value:bytes
 *                    [v3: ifVersion:i64 (-1: none) expiresAtMs:i64 (0: none) version:i64 (0: next)]
 * DELETE           = [v2+: id:bytes] partition:u16 key:bytes [v3: ifVersion:i64]
 * GET_AND_DELETE   = [v2+: id:bytes] partition:u16 key:bytes
 * BATCH            = count:u32 (SET){count}
 * EXPIRE (v3 only) = count:u32 (partition:u16 key:bytes expiresAtMs:i64){count}
 * BATCH_OPS (v3 only) = count:u32 (type:u8 (SET | DELETE as in version 3)){count}; type is SET's or DELETE's code
 * DELETE_PARTITION = partition:u16
 * MEMBER_ADD       = id:string grpc:string raft:string
 * MEMBER_REMOVE    = id:string
 * ASSIGN_OWNERSHIP = epoch:u64 count:u32 (partition:u16){count}
 * OWN_PARTITION    = partition:u16 epoch:u64
 * RELEASE_PARTITION = partition:u16 epoch:u64
 * bytes / string   = length:u32 then the bytes (strings in UTF-8); integers big-endian
 * </pre>
 *
 * Decoding rejects anything malformed with {@link IllegalArgumentException}. Stateless, thread-safe.
 */
public final class CommandCodec {

    static final int VERSION = 1;
    static final int VERSION_WITH_IDS = 2;
    static final int VERSION_EXTENDED = 3;

    private CommandCodec() {
    }

    /** A command without a stamp (version 1 unless it carries request ids). */
    public static byte[] encode(Command command) {
        return encode(new LogEntry(command, 0));
    }

    public static byte[] encode(LogEntry entry) {
        Command command = entry.command();
        int fmt = command.extended() ? VERSION_EXTENDED : command.hasRequestIds() ? VERSION_WITH_IDS : VERSION;
        boolean ids = fmt != VERSION;
        ByteBuffer buf = ByteBuffer.allocate(2 + (ids ? 8 : 0) + bodySize(command, fmt));
        buf.put((byte) fmt).put((byte) command.type().code);
        if (ids) {
            buf.putLong(entry.stampMs());
        }
        if (command instanceof Command.Set s) {
            putSet(buf, s, fmt);
        } else if (command instanceof Command.Delete d) {
            putDelete(buf, d, fmt);
        } else if (command instanceof Command.BatchOps o) {
            buf.putInt(o.ops().size());
            for (Command op : o.ops()) {
                buf.put((byte) op.type().code);
                if (op instanceof Command.Set s) {
                    putSet(buf, s, fmt);
                } else {
                    putDelete(buf, (Command.Delete) op, fmt);
                }
            }
        } else if (command instanceof Command.GetAndDelete g) {
            putKeyed(buf, g.requestId(), g.partition(), g.key(), ids);
        } else if (command instanceof Command.Batch b) {
            buf.putInt(b.entries().size());
            for (Command.Set s : b.entries()) {
                putSet(buf, s, fmt);
            }
        } else if (command instanceof Command.Expire x) {
            buf.putInt(x.keys().size());
            for (Command.Expiry e : x.keys()) {
                buf.putShort((short) e.partition());
                putBytes(buf, e.key());
                buf.putLong(e.expiresAtMs());
            }
        } else if (command instanceof Command.DeletePartition p) {
            buf.putShort((short) p.partition());
        } else if (command instanceof Command.MemberAdd m) {
            putString(buf, m.member().id());
            putString(buf, m.member().grpcAddress());
            putString(buf, m.member().raftAddress());
        } else if (command instanceof Command.MemberRemove r) {
            putString(buf, r.nodeId());
        } else if (command instanceof Command.AssignOwnership a) {
            buf.putLong(a.epoch()).putInt(a.partitions().size());
            for (int p : a.partitions()) {
                buf.putShort((short) p);
            }
        } else if (command instanceof Command.OwnPartition o) {
            buf.putShort((short) o.partition()).putLong(o.epoch());
        } else if (command instanceof Command.ReleasePartition r) {
            buf.putShort((short) r.partition()).putLong(r.epoch());
        }
        return buf.array();
    }

    public static Command decode(ByteBuffer data) {
        return decodeEntry(data).command();
    }

    public static Command decode(byte[] data) {
        return decode(ByteBuffer.wrap(data));
    }

    public static LogEntry decodeEntry(ByteBuffer data) {
        ByteBuffer buf = data.slice();
        try {
            int version = buf.get() & 0xFF;
            if (version != VERSION && version != VERSION_WITH_IDS && version != VERSION_EXTENDED) {
                throw new IllegalArgumentException("unknown command format version " + version);
            }
            boolean ids = version != VERSION;
            boolean ext = version == VERSION_EXTENDED;
            Command.Type type = Command.Type.of(buf.get() & 0xFF);
            long stamp = ids ? buf.getLong() : 0;
            Command command = switch (type) {
                case SET -> getSet(buf, version);
                case DELETE -> getDelete(buf, version);
                case BATCH_OPS -> {
                    int count = ext ? buf.getInt() : -1;
                    if (count < 0 || count > buf.remaining()) {
                        throw new IllegalArgumentException("bad BATCH_OPS size " + count + " (format " + version + ")");
                    }
                    List<Command> ops = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        Command.Type op = Command.Type.of(buf.get() & 0xFF);
                        if (op != Command.Type.SET && op != Command.Type.DELETE) {
                            throw new IllegalArgumentException("BATCH_OPS cannot hold " + op);
                        }
                        ops.add(op == Command.Type.SET ? getSet(buf, version) : getDelete(buf, version));
                    }
                    yield new Command.BatchOps(ops);
                }
                case GET_AND_DELETE -> {
                    byte[] id = getId(buf, ids);
                    yield new Command.GetAndDelete(getPartition(buf), getBytes(buf), id);
                }
                case BATCH -> {
                    int count = buf.getInt();
                    if (count < 0 || count > buf.remaining()) {
                        throw new IllegalArgumentException("bad batch size " + count);
                    }
                    List<Command.Set> entries = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        entries.add(getSet(buf, version));
                    }
                    yield new Command.Batch(entries);
                }
                case EXPIRE -> {
                    if (!ext) {
                        throw new IllegalArgumentException("EXPIRE needs format version " + VERSION_EXTENDED);
                    }
                    int count = buf.getInt();
                    if (count < 0 || count > buf.remaining()) {
                        throw new IllegalArgumentException("bad expire size " + count);
                    }
                    List<Command.Expiry> keys = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        int partition = getPartition(buf);
                        byte[] key = getBytes(buf);
                        keys.add(new Command.Expiry(partition, key, buf.getLong()));
                    }
                    yield new Command.Expire(keys);
                }
                case DELETE_PARTITION -> new Command.DeletePartition(getPartition(buf));
                case MEMBER_ADD -> new Command.MemberAdd(new Member(getString(buf), getString(buf), getString(buf)));
                case MEMBER_REMOVE -> new Command.MemberRemove(getString(buf));
                case ASSIGN_OWNERSHIP -> {
                    long epoch = buf.getLong();
                    int count = buf.getInt();
                    if (count < 0 || count > buf.remaining() / 2) {
                        throw new IllegalArgumentException("bad assignment size " + count);
                    }
                    List<Integer> partitions = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        partitions.add(getPartition(buf));
                    }
                    yield new Command.AssignOwnership(partitions, epoch);
                }
                case OWN_PARTITION -> new Command.OwnPartition(getPartition(buf), buf.getLong());
                case RELEASE_PARTITION -> new Command.ReleasePartition(getPartition(buf), buf.getLong());
            };
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes after a " + type + " command");
            }
            return new LogEntry(command, stamp);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated command", e);
        }
    }

    private static int bodySize(Command command, int fmt) {
        boolean ids = fmt != VERSION;
        if (command instanceof Command.Set s) {
            return setSize(s, fmt);
        } else if (command instanceof Command.Delete d) {
            return deleteSize(d, fmt);
        } else if (command instanceof Command.BatchOps o) {
            int body = 4;
            for (Command op : o.ops()) {
                body += 1 + (op instanceof Command.Set s ? setSize(s, fmt) : deleteSize((Command.Delete) op, fmt));
            }
            return body;
        } else if (command instanceof Command.GetAndDelete g) {
            return idSize(g.requestId(), ids) + 2 + 4 + g.key().length;
        } else if (command instanceof Command.Batch b) {
            int body = 4;
            for (Command.Set s : b.entries()) {
                body += setSize(s, fmt);
            }
            return body;
        } else if (command instanceof Command.Expire x) {
            int body = 4;
            for (Command.Expiry e : x.keys()) {
                body += 2 + 4 + e.key().length + 8;
            }
            return body;
        } else if (command instanceof Command.DeletePartition) {
            return 2;
        } else if (command instanceof Command.MemberAdd m) {
            return stringSize(m.member().id()) + stringSize(m.member().grpcAddress())
                    + stringSize(m.member().raftAddress());
        } else if (command instanceof Command.MemberRemove r) {
            return stringSize(r.nodeId());
        } else if (command instanceof Command.AssignOwnership a) {
            return 8 + 4 + 2 * a.partitions().size();
        } else if (command instanceof Command.OwnPartition || command instanceof Command.ReleasePartition) {
            return 2 + 8;
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private static int idSize(byte[] id, boolean ids) {
        return ids ? 4 + id.length : 0;
    }

    private static int setSize(Command.Set s, int fmt) {
        return idSize(s.requestId(), fmt != VERSION) + 2 + 4 + s.key().length + 4 + s.value().length
                + (fmt == VERSION_EXTENDED ? 24 : 0);
    }

    private static int deleteSize(Command.Delete d, int fmt) {
        return idSize(d.requestId(), fmt != VERSION) + 2 + 4 + d.key().length + (fmt == VERSION_EXTENDED ? 8 : 0);
    }

    private static void putKeyed(ByteBuffer buf, byte[] id, int partition, byte[] key, boolean ids) {
        if (ids) {
            putBytes(buf, id);
        }
        buf.putShort((short) partition);
        putBytes(buf, key);
    }

    private static void putSet(ByteBuffer buf, Command.Set s, int fmt) {
        putKeyed(buf, s.requestId(), s.partition(), s.key(), fmt != VERSION);
        putBytes(buf, s.value());
        if (fmt == VERSION_EXTENDED) {
            buf.putLong(s.ifVersion()).putLong(s.expiresAtMs()).putLong(s.version());
        }
    }

    private static void putDelete(ByteBuffer buf, Command.Delete d, int fmt) {
        putKeyed(buf, d.requestId(), d.partition(), d.key(), fmt != VERSION);
        if (fmt == VERSION_EXTENDED) {
            buf.putLong(d.ifVersion());
        }
    }

    private static Command.Delete getDelete(ByteBuffer buf, int fmt) {
        byte[] id = getId(buf, fmt != VERSION);
        int partition = getPartition(buf);
        byte[] key = getBytes(buf);
        return new Command.Delete(partition, key, id, fmt == VERSION_EXTENDED ? buf.getLong() : Command.UNCONDITIONAL);
    }

    private static Command.Set getSet(ByteBuffer buf, int fmt) {
        byte[] id = getId(buf, fmt != VERSION);
        int partition = getPartition(buf);
        byte[] key = getBytes(buf);
        byte[] value = getBytes(buf);
        if (fmt != VERSION_EXTENDED) {
            return new Command.Set(partition, key, value, id);
        }
        return new Command.Set(partition, key, value, id, buf.getLong(), buf.getLong(), buf.getLong());
    }

    private static byte[] getId(ByteBuffer buf, boolean ids) {
        if (!ids) {
            return Command.NO_ID;
        }
        byte[] id = getBytes(buf);
        return id.length == 0 ? Command.NO_ID : id;
    }
}
