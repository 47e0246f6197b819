package io.ravel.node.rpc;

import io.ravel.node.command.Command;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.KeyValue;

import java.util.ArrayList;
import java.util.List;

/** Turns checked wire requests ({@link RequestChecks}) into the commands that go into the Raft log. */
final class Translate {

    private Translate() {
    }

    /** A single-key write (SET, DELETE, GET_AND_DELETE). */
    static Command write(io.ravel.proto.Command request) {
        int partition = request.getPartition();
        byte[] key = request.getKey().toByteArray();
        byte[] id = request.getRequestId().toByteArray();
        long ifVersion = request.hasIfVersion() ? request.getIfVersion() : Command.UNCONDITIONAL;
        return switch (request.getOperation()) {
            case SET -> new Command.Set(partition, key, request.getValue().toByteArray(), id, ifVersion,
                    deadline(request.getTtlMs()), 0);
            case DELETE -> new Command.Delete(partition, key, id, ifVersion);
            case GET_AND_DELETE -> new Command.GetAndDelete(partition, key, id);
            default -> throw new IllegalArgumentException("not a write: " + request.getOperation());
        };
    }

    /**
     * The absolute deadline of a write with {@code ttlMs} (0: none): this replica only proposes as the
     * leader, so the deadline is the leader's clock plus the ttl, fixed in the log entry for every replica.
     */
    private static long deadline(long ttlMs) {
        return ttlMs == 0 ? 0 : System.currentTimeMillis() + ttlMs;
    }

    /** Every entry of a WriteBatch as one command; an entry with a version is stored with exactly it (a copy). */
    static Command.Batch batch(BatchWrite request) {
        List<Command.Set> entries = new ArrayList<>(request.getEntriesCount());
        for (KeyValue kv : request.getEntriesList()) {
            entries.add(new Command.Set(kv.getPartition(), kv.getKey().toByteArray(), kv.getValue().toByteArray(),
                    kv.getRequestId().toByteArray(), Command.UNCONDITIONAL,
                    kv.getVersion() > 0 ? kv.getExpiresAtMs() : 0, kv.getVersion()));
        }
        return new Command.Batch(entries);
    }
}
