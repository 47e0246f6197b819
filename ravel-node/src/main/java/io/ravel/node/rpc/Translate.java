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
        return switch (request.getOperation()) {
            case SET -> new Command.Set(partition, key, request.getValue().toByteArray(), id);
            case DELETE -> new Command.Delete(partition, key, id);
            case GET_AND_DELETE -> new Command.GetAndDelete(partition, key, id);
            default -> throw new IllegalArgumentException("not a write: " + request.getOperation());
        };
    }

    /** Every entry of a WriteBatch as one command. */
    static Command.Batch batch(BatchWrite request) {
        List<Command.Set> entries = new ArrayList<>(request.getEntriesCount());
        for (KeyValue kv : request.getEntriesList()) {
            entries.add(new Command.Set(kv.getPartition(), kv.getKey().toByteArray(), kv.getValue().toByteArray(),
                    kv.getRequestId().toByteArray()));
        }
        return new Command.Batch(entries);
    }
}
