package io.ravel.node.rpc;

import com.google.protobuf.ByteString;
import io.ravel.node.command.Member;
import io.ravel.node.raft.CommandResult;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
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

    /** A read's answer: the value, or NOT_FOUND for null. */
    static Response found(byte[] value) {
        return value == null ? notFound() : Response.newBuilder().setCode(Code.OK).setValue(ByteString.copyFrom(value)).build();
    }

    /** An applied write's answer. */
    static Response of(CommandResult result) {
        if (!result.found()) {
            return notFound();
        }
        Response.Builder b = Response.newBuilder().setCode(Code.OK);
        if (result.value() != null) {
            b.setValue(ByteString.copyFrom(result.value()));
        }
        return b.build();
    }

    static KeyValueBatch batch(List<RocksStore.Entry> entries) {
        KeyValueBatch.Builder b = KeyValueBatch.newBuilder();
        for (RocksStore.Entry e : entries) {
            b.addEntries(KeyValue.newBuilder()
                    .setPartition(KeyCodec.partitionOf(e.key()))
                    .setKey(ByteString.copyFrom(KeyCodec.userKey(e.key())))
                    .setValue(ByteString.copyFrom(e.value())));
        }
        return b.build();
    }

    static RangeScanReply rangeScan(RangeScan.Result result) {
        return RangeScanReply.newBuilder().setStatus(ok()).addAllEntries(batch(result.entries()).getEntriesList())
                .setMore(result.more()).build();
    }

    static Node node(Member m) {
        return Node.newBuilder().setId(m.id()).setGrpcAddress(m.grpcAddress()).setRaftAddress(m.raftAddress()).build();
    }
}
