package io.ravel.node;

import com.google.protobuf.ByteString;
import io.ravel.node.raft.Ownership;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.CommandBatch;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Operation;
import io.ravel.proto.OwnershipChange;
import io.ravel.proto.OwnershipKind;
import io.ravel.proto.PartitionRequest;
import io.ravel.proto.RangeScanRequest;
import io.ravel.proto.Response;
import io.ravel.proto.ResponseBatch;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ownership fence on real replicas: refusals with the epoch, own/release, stale changes, restarts, snapshots. */
@Timeout(180)
class OwnershipFenceTest {

    @TempDir
    Path dir;

    private ReplicaCluster cluster;

    /** Three keys in three different partitions. */
    private final List<String> keys = keysInDistinctPartitions(3);

    @AfterEach
    void stopAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> keysInDistinctPartitions(int n) {
        List<String> found = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        for (int i = 0; found.size() < n; i++) {
            String key = "fence" + i;
            int p = ReplicaCluster.partitionOf(key);
            if (!partitions.contains(p)) {
                found.add(key);
                partitions.add(p);
            }
        }
        return found;
    }

    private static int p(String key) {
        return ReplicaCluster.partitionOf(key);
    }

    /** The leader's answer to {@code call}, retried while the cluster is between leaders. */
    private <T> T onLeader(Function<Replica, T> call, Function<T, Response> status) {
        Object[] out = new Object[1];
        Waits.until(ReplicaCluster.WAIT, "an answer from the leader", () -> {
            T answer = call.apply(cluster.leader());
            Code code = status.apply(answer).getCode();
            if (code == Code.NOT_LEADER || code == Code.UNAVAILABLE) {
                return false;
            }
            out[0] = answer;
            return true;
        });
        @SuppressWarnings("unchecked")
        T answer = (T) out[0];
        return answer;
    }

    private Response run(Operation op, String key, String value) {
        return onLeader(r -> cluster.run(r, op, key, value), res -> res);
    }

    private Response change(OwnershipKind kind, long epoch, String... ownedKeys) {
        OwnershipChange.Builder change = OwnershipChange.newBuilder().setKind(kind).setEpoch(epoch);
        for (String key : ownedKeys) {
            change.addPartitions(p(key));
        }
        Response res = onLeader(r -> cluster.stub(r).changeOwnership(change.build()), x -> x);
        assertEquals(Code.OK, res.getCode(), res.getMessage());
        return res;
    }

    private static void assertWrongOwner(long epoch, Response res) {
        assertEquals(Code.WRONG_OWNER, res.getCode(), res.getMessage());
        assertEquals(epoch, res.getOwnerEpoch());
        assertTrue(res.getValue().isEmpty());
    }

    private static Command command(Operation op, String key, String value, String requestId) {
        Command.Builder c = Command.newBuilder().setOperation(op).setPartition(p(key)).setKey(ByteString.copyFromUtf8(key));
        if (value != null) {
            c.setValue(ByteString.copyFromUtf8(value));
        }
        if (requestId != null) {
            c.setRequestId(ByteString.copyFromUtf8(requestId));
        }
        return c.build();
    }

    @Test
    void aClusterRefusesPartitionsItDoesNotOwnAndTakesThemOnceOwned() {
        cluster = new ReplicaCluster(dir, 3).startAll();
        String outside = keys.get(0);
        String inside = keys.get(1);
        // unfenced: every partition is served
        assertEquals(Code.OK, run(Operation.SET, outside, "\"before\"").getCode());

        assertEquals(5, change(OwnershipKind.ASSIGN, 5, inside, keys.get(2)).getOwnerEpoch());
        assertWrongOwner(5, run(Operation.SET, outside, "1"));
        assertWrongOwner(5, run(Operation.GET, outside, null));
        assertWrongOwner(5, run(Operation.DELETE, outside, null));
        assertWrongOwner(5, run(Operation.GET_AND_DELETE, outside, null));
        assertEquals(Code.OK, run(Operation.SET, inside, "2").getCode());
        assertEquals("2", run(Operation.GET, inside, null).getValue().toStringUtf8());

        ResponseBatch batch = onLeader(r -> cluster.stub(r).runBatch(CommandBatch.newBuilder()
                .addCommands(command(Operation.GET, outside, null, null))
                .addCommands(command(Operation.GET, inside, null, null)).build()), b -> b.getResponses(1));
        assertWrongOwner(5, batch.getResponses(0));
        assertEquals("2", batch.getResponses(1).getValue().toStringUtf8());

        Response scan = onLeader(r -> cluster.stub(r).scanRange(RangeScanRequest.newBuilder()
                .addPartitions(p(inside)).addPartitions(p(outside)).build()).getStatus(), x -> x);
        assertWrongOwner(5, scan);
        Response write = onLeader(r -> cluster.stub(r).writeBatch(BatchWrite.newBuilder()
                .addEntries(KeyValue.newBuilder().setPartition(p(inside)).setKey(ByteString.copyFromUtf8("x")).setValue(ByteString.copyFromUtf8("3")))
                .addEntries(KeyValue.newBuilder().setPartition(p(outside)).setKey(ByteString.copyFromUtf8("y")).setValue(ByteString.copyFromUtf8("4")))
                .build()), x -> x);
        assertWrongOwner(5, write);
        // relocation clears only partitions the cluster does not own
        assertWrongOwner(5, onLeader(r -> cluster.stub(r).deletePartition(PartitionRequest.newBuilder()
                .setPartition(p(keys.get(2))).build()), x -> x));
        assertEquals(Code.OK, onLeader(r -> cluster.stub(r).deletePartition(PartitionRequest.newBuilder()
                .setPartition(p(outside)).build()), x -> x).getCode());

        // a refused write with a request id is applied once the partition arrives
        Command retried = command(Operation.SET, outside, "\"after\"", "request-1");
        assertWrongOwner(5, onLeader(r -> cluster.stub(r).run(retried), x -> x));
        assertEquals(6, change(OwnershipKind.OWN, 6, outside).getOwnerEpoch());
        Response applied = onLeader(r -> cluster.stub(r).run(retried), x -> x);
        assertEquals(Code.OK, applied.getCode(), applied.getMessage());
        assertEquals("\"after\"", run(Operation.GET, outside, null).getValue().toStringUtf8());

        // stale changes (below the cluster's epoch) are ignored
        assertEquals(6, change(OwnershipKind.RELEASE, 5, outside).getOwnerEpoch());
        assertEquals(6, change(OwnershipKind.ASSIGN, 4).getOwnerEpoch());
        assertEquals(Code.OK, run(Operation.SET, outside, "5").getCode());
        assertEquals(Code.OK, run(Operation.SET, inside, "6").getCode());

        assertEquals(7, change(OwnershipKind.RELEASE, 7, inside).getOwnerEpoch());
        assertWrongOwner(7, run(Operation.GET, inside, null));
        assertEquals(Code.OK, run(Operation.GET, outside, null).getCode());
    }

    /** Writes {@code key} into the partition of {@code owned} (one the cluster owns). */
    private void writeIn(String owned, String key) {
        Command set = Command.newBuilder().setOperation(Operation.SET).setPartition(p(owned))
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("1")).build();
        Response res = onLeader(r -> cluster.stub(r).run(set), x -> x);
        assertEquals(Code.OK, res.getCode(), res.getMessage());
    }

    @Test
    void changeOwnershipIsLeaderOnlyAndChecked() {
        cluster = new ReplicaCluster(dir, 3).startAll();
        Replica leader = cluster.leader();
        Replica follower = cluster.replica((cluster.indexOf(leader) + 1) % cluster.size());
        OwnershipChange assign = OwnershipChange.newBuilder().setKind(OwnershipKind.ASSIGN).setEpoch(1).addPartitions(1).build();
        Response res = cluster.stub(follower).changeOwnership(assign);
        if (!follower.isLeader()) {
            assertEquals(Code.NOT_LEADER, res.getCode());
        }
        assertEquals(Code.INVALID, cluster.stub(leader).changeOwnership(assign.toBuilder().setEpoch(0).build()).getCode());
        assertEquals(Code.INVALID, cluster.stub(leader).changeOwnership(assign.toBuilder().addPartitions(271).build()).getCode());
    }

    @Test
    void ownershipSurvivesRestartsAndReachesALaggingFollowerThroughASnapshot() {
        cluster = new ReplicaCluster(dir, 3).startAll();
        String a = keys.get(0);
        String b = keys.get(1);
        String c = keys.get(2);
        change(OwnershipKind.ASSIGN, 3, a, b);
        Replica leader = cluster.leader();
        int follower = (cluster.indexOf(leader) + 1) % cluster.size();
        cluster.stop(follower);
        // what the stopped follower misses ends up in snapshots only (two, so its log entries are gone)
        change(OwnershipKind.OWN, 4, c);
        change(OwnershipKind.RELEASE, 5, a);
        for (int i = 0; i < 150; i++) {
            writeIn(b, "k" + i);
        }
        cluster.leader().snapshotNow();
        for (int i = 150; i < 300; i++) {
            writeIn(b, "k" + i);
        }
        cluster.leader().snapshotNow();

        Replica restarted = cluster.start(follower);
        Waits.until(ReplicaCluster.WAIT, "the follower to install the leader's snapshot",
                () -> restarted.raft().stateMachine().snapshotsLoaded() >= 1);
        Waits.until(ReplicaCluster.WAIT, "the follower to apply the ownership changes",
                () -> restarted.raft().stateMachine().ownership().epoch() == 5);
        Ownership ownership = restarted.raft().stateMachine().ownership();
        assertEquals(Set.of(p(b), p(c)), ownership.owned());
        assertTrue(ownership.fenced());
        cluster.makeLeader(follower);
        assertWrongOwner(5, run(Operation.GET, a, null));
        assertEquals(Code.OK, run(Operation.SET, c, "1").getCode());

        for (int i = 0; i < cluster.size(); i++) {
            cluster.stop(i);
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.start(i);
        }
        assertWrongOwner(5, run(Operation.SET, a, "2"));
        assertEquals("1", run(Operation.GET, c, null).getValue().toStringUtf8());
        assertFalse(cluster.leader().raft().stateMachine().ownership().owned().contains(p(a)));
    }
}
