package io.ravel.node;

import io.ravel.testkit.Waits;
import com.google.protobuf.ByteString;
import io.ravel.node.command.Command;
import io.ravel.node.raft.CommandResult;
import io.ravel.node.raft.RaftReplica;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Operation;
import io.ravel.proto.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write retried with its request id (as the admin retries one whose outcome it does not know) is
 * applied once and answered as its first attempt was, on the leader that applied it and on the next.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetriedWriteTest {

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

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteString newId() {
        return ByteString.copyFromUtf8(UUID.randomUUID().toString().substring(0, 16));
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private io.ravel.proto.Command command(Operation op, String key, String value, ByteString id) {
        io.ravel.proto.Command.Builder c = io.ravel.proto.Command.newBuilder().setOperation(op)
                .setPartition(ReplicaCluster.partitionOf(key)).setKey(ByteString.copyFromUtf8(key)).setRequestId(id);
        if (value != null) {
            c.setValue(ByteString.copyFromUtf8(value));
        }
        return c.build();
    }

    @Test
    void theSameDeleteAppliedTwiceAnswersOkTwiceAndAFreshOneNotFound() throws Exception {
        cluster.put("twice", "1");
        RaftReplica raft = cluster.leader().raft();
        int p = ReplicaCluster.partitionOf("twice");
        byte[] id = b("delete-twice-id");
        CompletableFuture<CommandResult> first = raft.apply(new Command.Delete(p, b("twice"), id));
        CompletableFuture<CommandResult> again = raft.apply(new Command.Delete(p, b("twice"), id));
        assertTrue(await(first).found());
        assertTrue(await(again).found(), "a retried delete answers as its first attempt did");
        assertTrue(!await(raft.apply(new Command.Delete(p, b("twice"), b("another-id")))).found());
        assertTrue(!await(raft.apply(new Command.Delete(p, b("twice")))).found(), "no id: applied as it comes");
    }

    @Test
    void aRetriedDeleteOnTheNextLeaderAnswersOk() {
        cluster.put("moved", "\"here\"");
        Replica first = cluster.leader();
        ByteString id = newId();
        Response deleted = cluster.stub(first).run(command(Operation.DELETE, "moved", null, id));
        assertEquals(Code.OK, deleted.getCode(), deleted.getMessage());

        Replica next = cluster.makeLeader((cluster.indexOf(first) + 1) % cluster.size());
        Response retried = cluster.stub(next).run(command(Operation.DELETE, "moved", null, id));
        assertEquals(Code.OK, retried.getCode(), "the retry of an applied delete: " + retried.getMessage());
        assertEquals(Code.NOT_FOUND, cluster.run(next, Operation.GET, "moved", null).getCode());
        assertEquals(Code.NOT_FOUND, cluster.stub(next).run(command(Operation.DELETE, "moved", null, newId())).getCode());
    }

    @Test
    void aRetriedSetNeverUndoesALaterWriteAndARetriedTakeReturnsTheValueTaken() {
        Replica leader = cluster.leader();
        ByteString setId = newId();
        assertEquals(Code.OK, cluster.stub(leader).run(command(Operation.SET, "later", "\"old\"", setId)).getCode());
        assertEquals(Code.OK, cluster.run(leader, Operation.SET, "later", "\"new\"").getCode());
        KeyValue retry = KeyValue.newBuilder().setPartition(ReplicaCluster.partitionOf("later"))
                .setKey(ByteString.copyFromUtf8("later")).setValue(ByteString.copyFromUtf8("\"old\"")).setRequestId(setId).build();
        assertEquals(Code.OK, cluster.stub(leader).writeBatch(BatchWrite.newBuilder().addEntries(retry).build()).getCode());
        assertEquals("\"new\"", cluster.run(leader, Operation.GET, "later", null).getValue().toStringUtf8());

        assertEquals(Code.OK, cluster.run(leader, Operation.SET, "taken", "[1]").getCode());
        ByteString takeId = newId();
        Response taken = cluster.stub(leader).run(command(Operation.GET_AND_DELETE, "taken", null, takeId));
        Response retaken = cluster.stub(leader).run(command(Operation.GET_AND_DELETE, "taken", null, takeId));
        assertEquals(Code.OK, retaken.getCode());
        assertArrayEquals(taken.getValue().toByteArray(), retaken.getValue().toByteArray());
        assertEquals("[1]", retaken.getValue().toStringUtf8());
    }

    @Test
    void anOverlongRequestIdIsRefused() {
        ByteString tooLong = ByteString.copyFrom(new byte[Command.MAX_ID_BYTES + 1]);
        assertEquals(Code.INVALID, cluster.stub(cluster.leader()).run(command(Operation.DELETE, "k", null, tooLong)).getCode());
    }

    @Test
    void aFollowerThatInstalledASnapshotAnswersARetriedDeleteAsTheFirstAttempt() {
        try (ReplicaCluster own = new ReplicaCluster(dir.resolve("snapshot"), 3).startAll()) {
            own.put("snap", "1");
            Replica leader = own.leader();
            int follower = (own.indexOf(leader) + 1) % own.size();
            own.stop(follower);
            ByteString id = newId();
            assertEquals(Code.OK, own.stub(own.leader()).run(command(Operation.DELETE, "snap", null, id)).getCode());
            // two snapshots: SOFAJRaft keeps the log up to the one before the latest
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 20; i++) {
                    own.put("filler-" + round + "-" + i, "0");
                }
                own.leader().snapshotNow();
            }
            Replica restarted = own.start(follower);
            Waits.until(ReplicaCluster.WAIT, "the follower to install the leader's snapshot",
                    () -> restarted.raft().stateMachine().snapshotsLoaded() >= 1);
            own.makeLeader(follower);
            Response retried = own.stub(restarted).run(command(Operation.DELETE, "snap", null, id));
            assertEquals(Code.OK, retried.getCode(), "the snapshot carries the applied ids: " + retried.getMessage());
        }
    }
}
