package io.ravel.node.raft;

import io.ravel.node.Replica;
import io.ravel.node.ReplicaCluster;
import io.ravel.node.command.Command;
import io.ravel.node.storage.RocksStore;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands handed to Raft back to back, so that the state machine applies them in shared write
 * batches: each result must be what applying them one by one, in order, gives.
 */
@Timeout(60)
class PipelinedApplyTest {

    @TempDir
    Path dir;

    private ReplicaCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void resultsAndStateFollowLogOrderInsideOneBatch() throws Exception {
        cluster = new ReplicaCluster(dir, 1).startAll();
        Replica leader = cluster.leader();
        RaftReplica raft = leader.raft();

        List<CompletableFuture<CommandResult>> results = new ArrayList<>();
        results.add(raft.apply(new Command.Set(7, b("k"), b("v1"))));
        results.add(raft.apply(new Command.GetAndDelete(7, b("k"))));
        results.add(raft.apply(new Command.Delete(7, b("k"))));
        results.add(raft.apply(new Command.Set(7, b("k"), b("v2"))));
        results.add(raft.apply(new Command.Batch(List.of(new Command.Set(7, b("a"), b("1")), new Command.Set(8, b("b"), b("2"))))));
        results.add(raft.apply(new Command.DeletePartition(7)));
        results.add(raft.apply(new Command.Set(7, b("after"), b("3"))));
        results.add(raft.apply(new Command.GetAndDelete(8, b("b"))));
        results.add(raft.apply(new Command.Delete(8, b("never-written"))));

        CommandResult set = await(results.get(0));
        assertTrue(set.found());
        CommandResult taken = await(results.get(1));
        assertTrue(taken.found());
        assertArrayEquals(b("v1"), taken.value());
        assertFalse(await(results.get(2)).found(), "the key was already taken");
        assertTrue(await(results.get(3)).found());
        assertTrue(await(results.get(4)).found());
        assertTrue(await(results.get(5)).found());
        assertTrue(await(results.get(6)).found());
        CommandResult takenB = await(results.get(7));
        assertArrayEquals(b("2"), takenB.value());
        assertFalse(await(results.get(8)).found());

        assertNull(await(raft.get(7, b("k"))), "the range delete removed the key written before it");
        assertNull(await(raft.get(7, b("a"))));
        assertArrayEquals(b("3"), await(raft.get(7, b("after"))), "the write after the range delete survives");
        assertNull(await(raft.get(8, b("b"))));

        List<RocksStore.Entry> seven = new ArrayList<>();
        await(raft.scanPartition(7, 100, seven::addAll, 10_000));
        assertEquals(1, seven.size());
    }

    @Test
    void theFounderRecordsItselfAsAMember() {
        cluster = new ReplicaCluster(dir, 1).startAll();
        Replica leader = cluster.leader();
        Waits.until(java.time.Duration.ofSeconds(30), "the founder's membership entry",
                () -> leader.self().equals(leader.raft().members().byId(leader.self().id())));
        assertEquals(leader.self(), leader.raft().leader());
    }
}
