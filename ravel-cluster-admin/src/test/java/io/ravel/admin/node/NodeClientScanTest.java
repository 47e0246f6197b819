package io.ravel.admin.node;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * NodeClient's partition scan and the copy's WriteBatch against a real gRPC server that streams a
 * partition as a replica does, records what it is asked to write and holds its answers until the test
 * releases them.
 */
@Timeout(60)
class NodeClientScanTest {

    private Server server;
    private NodeClient nodes;

    @AfterEach
    void close() throws InterruptedException {
        if (nodes != null) {
            nodes.close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A relocation copies a partition by writing each scanned batch from inside the scan's sink, and
     * checks the last write after the scan has ended: ending the scan must not cancel that write.
     */
    @Test
    void aCallMadeInsideTheSinkOutlivesTheScan() throws Exception {
        List<StreamObserver<Response>> heldWrites = new ArrayList<>();
        List<BatchWrite> written = new ArrayList<>();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RavelNodeGrpc.RavelNodeImplBase() {
                    @Override
                    public void scanPartition(PartitionRequest request, StreamObserver<KeyValueBatch> out) {
                        out.onNext(KeyValueBatch.newBuilder().addAllEntries(entries(request.getPartition())).build());
                        out.onCompleted();
                    }

                    @Override
                    public void writeBatch(BatchWrite request, StreamObserver<Response> out) {
                        synchronized (heldWrites) {
                            written.add(request);
                            heldWrites.add(out);
                        }
                    }
                }).build().start();
        String address = "127.0.0.1:" + server.getPort();
        nodes = new NodeClient(new GrpcChannels());

        List<CompletableFuture<Response>> writes = new ArrayList<>();
        nodes.scanPartition(address, 7, 512, batch -> {
            assertEquals(2, batch.entries());
            writes.add(nodes.writeBatch(address, batch));
        });
        assertEquals(1, writes.size(), "one batch scanned, one write made");

        // the scan is over; only now does the replica answer the write (a cancelled write never arrives)
        CompletableFuture<Response> write = writes.get(0);
        while (!write.isDone()) {
            synchronized (heldWrites) {
                if (!heldWrites.isEmpty()) {
                    heldWrites.get(0).onNext(Response.newBuilder().setCode(Code.OK).build());
                    heldWrites.get(0).onCompleted();
                    break;
                }
            }
            Thread.sleep(10);
        }
        assertEquals(Code.OK, write.get(10, TimeUnit.SECONDS).getCode());
        synchronized (heldWrites) {
            assertEquals(List.of(BatchWrite.newBuilder().addAllEntries(entries(7)).build()), written,
                    "the scanned entries reach the replica as they were scanned");
        }
    }

    private static List<KeyValue> entries(int partition) {
        return List.of(
                KeyValue.newBuilder().setPartition(partition).setKey(ByteString.copyFromUtf8("a"))
                        .setValue(ByteString.copyFromUtf8("{\"n\":1}")).setVersion(3).setExpiresAtMs(99).build(),
                KeyValue.newBuilder().setPartition(partition).setKey(ByteString.copyFromUtf8("b"))
                        .setValue(ByteString.copyFromUtf8("\"x\"")).setVersion(1).build());
    }
}
