package io.ravel.node;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import io.ravel.proto.LeaderInfo;
import io.ravel.proto.Node;
import io.ravel.proto.Operation;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;
import io.ravel.proto.Void;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RavelNode gRPC service of a three-replica cluster, RPC by RPC. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeServiceTest {

    @TempDir
    static Path dir;

    private ReplicaCluster cluster;

    @BeforeAll
    void start() {
        cluster = new ReplicaCluster(dir, 3).startAll();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KeyValue kv(int partition, String key, String value) {
        return KeyValue.newBuilder().setPartition(partition).setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build();
    }

    /** Scans on whoever leads, again from the start if leadership moves during the scan. */
    private List<KeyValue> scanOnLeader(int partition, int batchSize) {
        List<List<KeyValue>> result = new ArrayList<>();
        Waits.until(ReplicaCluster.WAIT, "a scan of partition " + partition, () -> {
            try {
                result.add(scan(cluster.leader(), partition, batchSize));
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION || e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    return false;
                }
                throw e;
            }
        });
        return result.get(0);
    }

    /** Sends an idempotent write to whoever leads until it is acknowledged. */
    private void untilOk(java.util.function.Function<Replica, Response> write) {
        Waits.until(ReplicaCluster.WAIT, "an acknowledged write", () -> {
            Response r = write.apply(cluster.leader());
            if (r.getCode() == Code.NOT_LEADER || r.getCode() == Code.UNAVAILABLE) {
                return false;
            }
            assertEquals(Code.OK, r.getCode(), r.getMessage());
            return true;
        });
    }

    private List<KeyValue> scan(Replica r, int partition, int batchSize) {
        List<KeyValue> all = new ArrayList<>();
        Iterator<KeyValueBatch> it = cluster.stub(r).scanPartition(
                PartitionRequest.newBuilder().setPartition(partition).setBatchSize(batchSize).build());
        while (it.hasNext()) {
            KeyValueBatch batch = it.next();
            assertTrue(batch.getEntriesCount() <= batchSize, "a batch larger than asked for");
            all.addAll(batch.getEntriesList());
        }
        return all;
    }

    @Test
    void writeBatchScanAndDeletePartition() {
        BatchWrite.Builder batch = BatchWrite.newBuilder();
        for (int i = 0; i < 100; i++) {
            batch.addEntries(kv(5, String.format("p5-%03d", i), "{\"i\":" + i + "}"));
        }
        for (int i = 0; i < 10; i++) {
            batch.addEntries(kv(6, "p6-" + i, "\"six\""));
        }
        batch.addEntries(kv(270, "last", "true"));
        untilOk(leader -> cluster.stub(leader).writeBatch(batch.build()));

        List<KeyValue> five = scanOnLeader(5, 7);
        assertEquals(100, five.size());
        for (int i = 0; i < 100; i++) {
            KeyValue e = five.get(i);
            assertEquals(5, e.getPartition());
            assertEquals(String.format("p5-%03d", i), e.getKey().toStringUtf8());
            assertEquals("{\"i\":" + i + "}", e.getValue().toStringUtf8());
        }
        assertEquals(10, scanOnLeader(6, 512).size());
        assertEquals(1, scanOnLeader(270, 1).size());

        untilOk(leader -> cluster.stub(leader).deletePartition(PartitionRequest.newBuilder().setPartition(5).build()));
        assertTrue(scanOnLeader(5, 512).isEmpty());
        assertEquals(10, scanOnLeader(6, 512).size(), "a neighbouring partition was touched");
        assertEquals(1, scanOnLeader(270, 512).size(), "the last partition was touched");
    }

    @Test
    void scanOnAFollowerFailsWithTheLeadersAddress() {
        Metadata.Key<String> key = Metadata.Key.of("ravel-leader-grpc-address", Metadata.ASCII_STRING_MARSHALLER);
        Waits.until(ReplicaCluster.WAIT, "a follower to refuse a scan and name the leader", () -> {
            Replica leader = cluster.leader();
            Replica follower = cluster.replica((cluster.indexOf(leader) + 1) % cluster.size());
            Response write = cluster.stub(follower).writeBatch(BatchWrite.newBuilder().addEntries(kv(1, "k", "1")).build());
            if (write.getCode() != Code.NOT_LEADER) {
                assertTrue(follower.isLeader(), "a follower accepted a batch: " + write);
                return false;
            }
            StatusRuntimeException e;
            try {
                scan(follower, 1, 10);
                assertTrue(follower.isLeader(), "a follower served a scan");
                return false;
            } catch (StatusRuntimeException thrown) {
                e = thrown;
            }
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            return leader.self().grpcAddress().equals(e.getTrailers().get(key));
        });
    }

    @Test
    void runCoversEveryOperationAndRejectsMalformedCommands() {
        Replica leader = cluster.leader();
        assertEquals(Code.OK, cluster.run(leader, Operation.SET, "run-key", "{\"a\":[1,2]}").getCode());
        Response got = cluster.run(leader, Operation.GET, "run-key", null);
        assertEquals(Code.OK, got.getCode());
        assertEquals("{\"a\":[1,2]}", got.getValue().toString(StandardCharsets.UTF_8));
        Response taken = cluster.run(leader, Operation.GET_AND_DELETE, "run-key", null);
        assertEquals(Code.OK, taken.getCode());
        assertEquals("{\"a\":[1,2]}", taken.getValue().toStringUtf8());
        assertEquals(Code.NOT_FOUND, cluster.run(leader, Operation.GET_AND_DELETE, "run-key", null).getCode());
        assertEquals(Code.NOT_FOUND, cluster.run(leader, Operation.GET, "run-key", null).getCode());
        assertEquals(Code.NOT_FOUND, cluster.run(leader, Operation.DELETE, "run-key", null).getCode());
        assertEquals(Code.OK, cluster.run(leader, Operation.SET, "run-key", "1").getCode());
        assertEquals(Code.OK, cluster.run(leader, Operation.DELETE, "run-key", null).getCode());

        io.ravel.proto.Command badPartition = io.ravel.proto.Command.newBuilder().setOperation(Operation.SET)
                .setPartition(271).setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("1")).build();
        assertEquals(Code.INVALID, cluster.stub(leader).run(badPartition).getCode());
        io.ravel.proto.Command noKey = io.ravel.proto.Command.newBuilder().setOperation(Operation.GET).setPartition(1).build();
        assertEquals(Code.INVALID, cluster.stub(leader).run(noKey).getCode());
        assertEquals(Code.INVALID, cluster.run(leader, Operation.SET, "no-value", null).getCode());
        assertEquals(Code.INVALID, cluster.stub(leader).join(Node.newBuilder().setId("x").setRaftAddress("nohost").build()).getCode());
    }

    private static io.ravel.proto.Command command(Operation op, int partition, String key, String value) {
        io.ravel.proto.Command.Builder b = io.ravel.proto.Command.newBuilder().setOperation(op).setPartition(partition);
        if (key != null) {
            b.setKey(ByteString.copyFromUtf8(key));
        }
        if (value != null) {
            b.setValue(ByteString.copyFromUtf8(value));
        }
        return b.build();
    }

    @Test
    void runBatchAnswersEachCommandInOrderAndFollowersRefuseIt() {
        untilOk(r -> cluster.run(r, Operation.SET, "batch-a", "\"A\""));
        untilOk(r -> cluster.run(r, Operation.SET, "batch-b", "[2]"));
        Replica leader = cluster.leader();
        CommandBatch batch = CommandBatch.newBuilder()
                .addCommands(command(Operation.GET, ReplicaCluster.partitionOf("batch-a"), "batch-a", null))
                .addCommands(command(Operation.GET, ReplicaCluster.partitionOf("batch-missing"), "batch-missing", null))
                .addCommands(command(Operation.SET, ReplicaCluster.partitionOf("batch-c"), "batch-c", "true"))
                .addCommands(command(Operation.GET, 271, "batch-a", null))
                .addCommands(command(Operation.GET, 30, null, null))
                .addCommands(command(Operation.GET, ReplicaCluster.partitionOf("batch-b"), "batch-b", null))
                .addCommands(command(Operation.DELETE, ReplicaCluster.partitionOf("batch-never"), "batch-never", null))
                .build();
        ResponseBatch answers = cluster.stub(leader).runBatch(batch);
        List<Code> codes = answers.getResponsesList().stream().map(Response::getCode).toList();
        assertEquals(List.of(Code.OK, Code.NOT_FOUND, Code.OK, Code.INVALID, Code.INVALID, Code.OK, Code.NOT_FOUND), codes);
        assertEquals("\"A\"", answers.getResponses(0).getValue().toStringUtf8());
        assertEquals("[2]", answers.getResponses(5).getValue().toStringUtf8());
        assertEquals("true", cluster.run(leader, Operation.GET, "batch-c", null).getValue().toStringUtf8());
        assertEquals(0, cluster.stub(leader).runBatch(CommandBatch.getDefaultInstance()).getResponsesCount());

        for (int i = 0; i < cluster.size(); i++) {
            Replica r = cluster.replica(i);
            if (r == leader) {
                continue;
            }
            ResponseBatch refused = cluster.stub(r).runBatch(CommandBatch.newBuilder()
                    .addCommands(command(Operation.GET, ReplicaCluster.partitionOf("batch-a"), "batch-a", null))
                    .addCommands(command(Operation.SET, ReplicaCluster.partitionOf("batch-d"), "batch-d", "1")).build());
            for (Response response : refused.getResponsesList()) {
                assertEquals(Code.NOT_LEADER, response.getCode(), "a follower never reads or writes on its own");
                assertEquals(leader.self().grpcAddress(), response.getLeaderGrpcAddress());
            }
        }
    }

    @Test
    void runBatchWritesTravelInOneRaftEntryWithAnAnswerEach() {
        untilOk(r -> cluster.run(r, Operation.SET, "ops-old", "1"));
        Replica leader = cluster.leader();
        CommandBatch batch = CommandBatch.newBuilder()
                .addCommands(withId(command(Operation.SET, ReplicaCluster.partitionOf("ops-new"), "ops-new", "2"), "id-ops-1"))
                .addCommands(withId(command(Operation.DELETE, ReplicaCluster.partitionOf("ops-old"), "ops-old", null), "id-ops-2"))
                .addCommands(withId(command(Operation.DELETE, ReplicaCluster.partitionOf("ops-missing"), "ops-missing", null), "id-ops-3"))
                .addCommands(withId(command(Operation.SET, ReplicaCluster.partitionOf("ops-old"), "ops-old", "3"), "id-ops-4")
                        .toBuilder().setIfVersion(5).build())
                .build();
        long before = leader.raft().node().getLastLogIndex();
        List<Code> codes = cluster.stub(leader).runBatch(batch).getResponsesList().stream().map(Response::getCode).toList();
        assertEquals(List.of(Code.OK, Code.OK, Code.NOT_FOUND, Code.VERSION_MISMATCH), codes);
        assertEquals(before + 1, leader.raft().node().getLastLogIndex(), "the batch's writes are one Raft entry");

        List<Code> again = cluster.stub(leader).runBatch(batch).getResponsesList().stream().map(Response::getCode).toList();
        assertEquals(codes, again, "a retried batch answers each write as the first time");
        assertEquals("2", cluster.get(leader, "ops-new"));
        assertEquals(Code.NOT_FOUND, cluster.run(leader, Operation.GET, "ops-old", null).getCode());
    }

    private static io.ravel.proto.Command withId(io.ravel.proto.Command command, String id) {
        return command.toBuilder().setRequestId(ByteString.copyFromUtf8(id)).build();
    }

    @Test
    void scanRangeMergesPartitionsInKeyOrderOnTheLeaderOnly() {
        BatchWrite.Builder batch = BatchWrite.newBuilder();
        for (int i = 0; i < 30; i++) {
            batch.addEntries(kv(100 + i % 3, String.format("range-%02d", i), Integer.toString(i)));
        }
        batch.addEntries(kv(103, "range-99", "99"));
        untilOk(leader -> cluster.stub(leader).writeBatch(batch.build()));
        List<String> keys = new ArrayList<>();
        Waits.until(ReplicaCluster.WAIT, "a range scan on the leader", () -> {
            io.ravel.proto.RangeScanReply reply = cluster.stub(cluster.leader()).scanRange(io.ravel.proto.RangeScanRequest.newBuilder()
                    .addAllPartitions(List.of(100, 101, 102)).setPrefix(ByteString.copyFromUtf8("range-"))
                    .setAfter(ByteString.copyFromUtf8("range-04")).setLimit(10).build());
            if (reply.getStatus().getCode() != Code.OK) {
                return false;
            }
            assertTrue(reply.getMore());
            reply.getEntriesList().forEach(e -> keys.add(e.getKey().toStringUtf8()));
            return true;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 5; i < 15; i++) {
            expected.add(String.format("range-%02d", i));
        }
        assertEquals(expected, keys, "partition 103 is not asked for, and keys come in order across partitions");
        Replica leader = cluster.leader();
        io.ravel.proto.RangeScanReply bad = cluster.stub(leader).scanRange(
                io.ravel.proto.RangeScanRequest.newBuilder().addPartitions(271).build());
        assertEquals(Code.INVALID, bad.getStatus().getCode());
        for (int i = 0; i < cluster.size(); i++) {
            Replica r = cluster.replica(i);
            if (r != leader) {
                io.ravel.proto.RangeScanReply refused = cluster.stub(r).scanRange(
                        io.ravel.proto.RangeScanRequest.newBuilder().addPartitions(100).build());
                assertEquals(Code.NOT_LEADER, refused.getStatus().getCode(), "a follower never scans on its own");
            }
        }
    }

    @Test
    void everyReplicaKnowsTheLeaderAndTheMembers() {
        Replica leader = cluster.leader();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cluster.size(); i++) {
            ids.add(cluster.replica(i).self().id());
        }
        for (int i = 0; i < cluster.size(); i++) {
            Replica r = cluster.replica(i);
            Waits.until(ReplicaCluster.WAIT, "replica " + i + " to know the leader and the members", () -> {
                LeaderInfo info = cluster.stub(r).isLeader(Void.getDefaultInstance());
                return info.getLeaderNode().getGrpcAddress().equals(leader.self().grpcAddress())
                        && info.getMembersList().stream().map(Node::getId).collect(Collectors.toSet()).equals(ids);
            });
            LeaderInfo info = cluster.stub(r).isLeader(Void.getDefaultInstance());
            assertEquals(r == leader, info.getLeader());
            assertEquals(r.self().id(), info.getNodeId());
            assertEquals(ReplicaCluster.CLUSTER_ID, info.getClusterId());
            assertEquals(leader.self().raftAddress(), info.getLeaderNode().getRaftAddress());
        }
        assertFalse(leader.raft().peers().isEmpty());
    }

    @Test
    void confirmLeadershipAnswersOkOnTheLeaderOnlyAndAnEmptyWriteBatchStillProbes() {
        Waits.until(ReplicaCluster.WAIT, "the leader to confirm its leadership", () -> {
            Replica leader = cluster.leader();
            Response confirmed = cluster.stub(leader).confirmLeadership(Void.getDefaultInstance());
            Response probed = cluster.stub(leader).writeBatch(BatchWrite.getDefaultInstance());
            if (confirmed.getCode() != Code.OK || probed.getCode() != Code.OK) {
                assertFalse(leader.isLeader() && confirmed.getCode() == Code.INVALID, confirmed.toString());
                return false;
            }
            for (int i = 0; i < cluster.size(); i++) {
                Replica r = cluster.replica(i);
                if (r == leader) {
                    continue;
                }
                for (Response refused : List.of(cluster.stub(r).confirmLeadership(Void.getDefaultInstance()),
                        cluster.stub(r).writeBatch(BatchWrite.getDefaultInstance()))) {
                    if (r.isLeader()) {
                        return false;
                    }
                    assertEquals(Code.NOT_LEADER, refused.getCode(), refused.getMessage());
                    if (!leader.self().grpcAddress().equals(refused.getLeaderGrpcAddress())) {
                        return false;
                    }
                }
            }
            return true;
        });
    }
}
