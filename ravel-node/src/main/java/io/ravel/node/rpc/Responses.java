package io.ravel.node.rpc;

import com.google.protobuf.ByteString;
import io.ravel.node.command.Member;
import io.ravel.node.raft.CommandResult;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.node.storage.StoredValue;
import io.ravel.proto.Code;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.Node;
import io.ravel.proto.RangeScanReply;
import io.ravel.node.storage.RangeScan;
import io.ravel.proto.Response;

import java.util.List;

/** Builds the wire answers of successful calls (failures: {@link ErrorMapping}). */
final class Responses {

    private Responses() {
    }

    static Response ok() {
        return Response.newBuilder().setCode(Code.OK).build();
    }

    static Response notFound() {
        return Response.newBuilder().setCode(Code.NOT_FOUND).setMessage("key not found").build();
    }

    /** A read's answer: the value and its version, or NOT_FOUND for null. */
    static Response found(StoredValue value) {
        return value == null ? notFound() : Response.newBuilder().setCode(Code.OK)
                .setValue(ByteString.copyFrom(value.json())).setVersion(value.version()).build();
    }

    /** An applied write's answer. */
    static Response of(CommandResult result) {
        if (result.wrongOwner()) {
            return Response.newBuilder().setCode(Code.WRONG_OWNER).setOwnerEpoch(result.ownerEpoch())
                    .setMessage("this cluster does not own the partition (ownership epoch " + result.ownerEpoch() + ")")
                    .build();
        }
        if (result.conflict()) {
            return Response.newBuilder().setCode(Code.VERSION_MISMATCH).setVersion(result.version())
                    .setMessage(result.version() == 0 ? "the key does not exist"
                            : "the key is at version " + result.version()).build();
        }
        if (!result.found()) {
            return notFound();
        }
        Response.Builder b = Response.newBuilder().setCode(Code.OK).setVersion(result.version());
        if (result.value() != null) {
            b.setValue(ByteString.copyFrom(result.value()));
        }
        return b.build();
    }

    /** Scanned entries with their version and deadline; keys expired by this replica's clock are left out. */
    static KeyValueBatch batch(List<RocksStore.Entry> entries) {
        return batch(entries, System.currentTimeMillis());
    }

    /** As {@link #batch(List)} with {@code now} as the clock (Long.MIN_VALUE: leave every entry in). */
    private static KeyValueBatch batch(List<RocksStore.Entry> entries, long now) {
        KeyValueBatch.Builder b = KeyValueBatch.newBuilder();
        for (RocksStore.Entry e : entries) {
            StoredValue v = StoredValue.decode(e.value());
            if (v.expiredAt(now)) {
                continue;
            }
            b.addEntries(KeyValue.newBuilder()
                    .setPartition(KeyCodec.partitionOf(e.key()))
                    .setKey(ByteString.copyFrom(KeyCodec.userKey(e.key())))
                    .setValue(ByteString.copyFrom(v.json()))
                    .setVersion(v.version())
                    .setExpiresAtMs(v.expiresAtMs()));
        }
        return b.build();
    }

    /** A range scan's entries as found: the scan already left out the keys expired by its clock. */
    static RangeScanReply rangeScan(RangeScan.Result result) {
        return RangeScanReply.newBuilder().setStatus(ok())
                .addAllEntries(batch(result.entries(), Long.MIN_VALUE).getEntriesList())
                .setMore(result.more()).build();
    }

    static Node node(Member m) {
        return Node.newBuilder().setId(m.id()).setGrpcAddress(m.grpcAddress()).setRaftAddress(m.raftAddress()).build();
    }
}
