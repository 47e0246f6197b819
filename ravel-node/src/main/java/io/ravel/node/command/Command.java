package io.ravel.node.command;

import java.util.List;
import java.util.Objects;

/**
 * A state change of a replica: exactly what one Raft log entry carries. A command's effect depends
 * only on the state it is applied to and on its log entry (the leader's stamp included), so every
 * replica that applies the same log ends in the same state. Versions, conditions ({@code ifVersion})
 * and expiry are decided here, in the state machine, never by the router.
 *
 * <p>A client write (SET, DELETE, GET_AND_DELETE, each SET of a BATCH, and each op of BATCH_OPS) may carry a request id,
 * unique per client request and the same on the router's retries of it: the state machine applies
 * an id once and answers a repeat with the first answer. An empty id means none.
 */
public sealed interface Command {

    /** The request id of a write that has none. */
    byte[] NO_ID = new byte[0];

    /** Request ids are at most this long (the router sends 16-byte random ids). */
    int MAX_ID_BYTES = 64;

    /** The {@code ifVersion} of a write that is not conditional. */
    long UNCONDITIONAL = -1;

    /** The kind of command; the first byte of its encoding. Codes never change; 9 is reserved. */
    enum Type {
        SET(1), DELETE(2), GET_AND_DELETE(3), BATCH(4), DELETE_PARTITION(5), MEMBER_ADD(6), MEMBER_REMOVE(7),
        EXPIRE(8), BATCH_OPS(9), ASSIGN_OWNERSHIP(10), OWN_PARTITION(11), RELEASE_PARTITION(12);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown command type " + code);
        }
    }

    Type type();

    /** Whether this command, or an entry of this batch, carries a request id. */
    default boolean hasRequestIds() {
        if (this instanceof Set s) {
            return s.requestId().length > 0;
        } else if (this instanceof Delete d) {
            return d.requestId().length > 0;
        } else if (this instanceof GetAndDelete g) {
            return g.requestId().length > 0;
        } else if (this instanceof Batch b) {
            return b.entries().stream().anyMatch(Set::hasRequestIds);
        } else if (this instanceof BatchOps o) {
            return o.ops().stream().anyMatch(Command::hasRequestIds);
        }
        return false;
    }

    /**
     * Whether this command uses what only the third log format carries: a condition, an expiry, an
     * explicit version, expiry removal, or a BATCH_OPS.
     */
    default boolean extended() {
        if (this instanceof Set s) {
            return s.ifVersion() != UNCONDITIONAL || s.expiresAtMs() != 0 || s.version() != 0;
        } else if (this instanceof Delete d) {
            return d.ifVersion() != UNCONDITIONAL;
        } else if (this instanceof Batch b) {
            return b.entries().stream().anyMatch(Set::extended);
        }
        return this instanceof Expire || this instanceof BatchOps;
    }

    /**
     * Stores {@code value} under {@code key} of {@code partition}.
     *
     * @param ifVersion   {@link #UNCONDITIONAL}, or the version the key must have (0: absent) for the write to apply
     * @param expiresAtMs the absolute deadline after which the key reads as absent (ms since the epoch); 0: never
     * @param version     0: the key's next version; otherwise exactly this version (a relocation copy)
     */
    record Set(int partition, byte[] key, byte[] value, byte[] requestId, long ifVersion, long expiresAtMs,
               long version) implements Command {
        public Set {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(requestId, "requestId");
        }

        public Set(int partition, byte[] key, byte[] value, byte[] requestId) {
            this(partition, key, value, requestId, UNCONDITIONAL, 0, 0);
        }

        public Set(int partition, byte[] key, byte[] value) {
            this(partition, key, value, NO_ID);
        }

        /** Whether this is relocation's copy of a key: it carries its source's version and is never conditional. */
        public boolean copy() {
            return version > 0;
        }

        @Override
        public Type type() {
            return Type.SET;
        }
    }

    /**
     * Removes {@code key} of {@code partition}; the result says whether it existed. With an
     * {@code ifVersion} other than {@link #UNCONDITIONAL}, only if the key has that version.
     */
    record Delete(int partition, byte[] key, byte[] requestId, long ifVersion) implements Command {
        public Delete {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestId, "requestId");
        }

        public Delete(int partition, byte[] key, byte[] requestId) {
            this(partition, key, requestId, UNCONDITIONAL);
        }

        public Delete(int partition, byte[] key) {
            this(partition, key, NO_ID);
        }

        @Override
        public Type type() {
            return Type.DELETE;
        }
    }

    /** Removes {@code key} of {@code partition}; the result carries the value it had. */
    record GetAndDelete(int partition, byte[] key, byte[] requestId) implements Command {
        public GetAndDelete {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestId, "requestId");
        }

        public GetAndDelete(int partition, byte[] key) {
            this(partition, key, NO_ID);
        }

        @Override
        public Type type() {
            return Type.GET_AND_DELETE;
        }
    }

    /** Stores every entry at once (relocation copies a partition in such batches). */
    record Batch(List<Set> entries) implements Command {
        public Batch {
            entries = List.copyOf(entries);
        }

        @Override
        public Type type() {
            return Type.BATCH;
        }
    }

    /**
     * Client writes ({@link Set} and {@link Delete} only) applied in order in one log entry and one
     * RocksDB write, each with its own request id, condition and result, as if applied one by one:
     * a delete of a missing key or a failed condition answers for that op only.
     */
    record BatchOps(List<Command> ops) implements Command {
        public BatchOps {
            ops = List.copyOf(ops);
            for (Command op : ops) {
                if (!(op instanceof Set) && !(op instanceof Delete)) {
                    throw new IllegalArgumentException("BATCH_OPS holds SET and DELETE only, not " + op.type());
                }
            }
        }

        @Override
        public Type type() {
            return Type.BATCH_OPS;
        }
    }

    /** Removes every key of {@code partition} (a RocksDB range delete). */
    record DeletePartition(int partition) implements Command {
        @Override
        public Type type() {
            return Type.DELETE_PARTITION;
        }
    }

    /** Records {@code member} in the cluster's membership (replacing an entry with its id). */
    record MemberAdd(Member member) implements Command {
        public MemberAdd {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public Type type() {
            return Type.MEMBER_ADD;
        }
    }

    /** Forgets the member with id {@code nodeId}. */
    record MemberRemove(String nodeId) implements Command {
        public MemberRemove {
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public Type type() {
            return Type.MEMBER_REMOVE;
        }
    }

    /** One key the leader found expired: removed if it still has this deadline and the deadline has passed. */
    record Expiry(int partition, byte[] key, long expiresAtMs) {
        public Expiry {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Removes expired keys. Each is removed only if it still carries the listed deadline and that
     * deadline is not after the entry's stamp, so a key written again meanwhile stays.
     */
    record Expire(List<Expiry> keys) implements Command {
        public Expire {
            keys = List.copyOf(keys);
        }

        @Override
        public Type type() {
            return Type.EXPIRE;
        }
    }

    /**
     * The cluster owns exactly {@code partitions} from ownership epoch {@code epoch} on (the fence,
     * see {@code Ownership}); ignored when older than the cluster's epoch.
     */
    record AssignOwnership(List<Integer> partitions, long epoch) implements Command {
        public AssignOwnership {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Type type() {
            return Type.ASSIGN_OWNERSHIP;
        }
    }

    /** The cluster owns {@code partition} from {@code epoch} on; ignored when stale or unfenced. */
    record OwnPartition(int partition, long epoch) implements Command {
        @Override
        public Type type() {
            return Type.OWN_PARTITION;
        }
    }

    /** The cluster no longer owns {@code partition} as of {@code epoch}; ignored when stale or unfenced. */
    record ReleasePartition(int partition, long epoch) implements Command {
        @Override
        public Type type() {
            return Type.RELEASE_PARTITION;
        }
    }
}
