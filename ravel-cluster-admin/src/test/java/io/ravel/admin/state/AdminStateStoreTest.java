package io.ravel.admin.state;

import io.ravel.admin.sharding.OwnerTable;
import io.ravel.proto.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminStateStoreTest {

    private static Node node(String id, String cluster, int port) {
        return Node.newBuilder().setId(id).setClusterId(cluster)
                .setGrpcAddress("localhost:" + port).setRaftAddress("localhost:" + (port + 1000)).build();
    }

    @Test
    void everythingWrittenIsThereAfterReopening(@TempDir Path dir) {
        OwnerTable owners = OwnerTable.empty().withClusterAdded("c1").withClusterAdded("c2");
        PlanRecord plan = new PlanRecord(List.of(
                new MoveRecord(7, "c1", "c2", MoveRecord.Phase.DELETE),
                new MoveRecord(9, "c1", "c2", MoveRecord.Phase.COPY)), 12, 10, 345);
        try (AdminStateStore store = AdminStateStore.open(dir)) {
            AdminState state = new AdminState(store);
            state.commit(new StateChange()
                    .putCluster(new ClusterRecord("c1", true, false, "n1"))
                    .putCluster(new ClusterRecord("c2", true, true, null))
                    .putReplica(node("n1", "c1", 50000))
                    .putReplica(node("n2", "c1", 50001))
                    .putReplica(node("n3", "c2", 50002))
                    .owners(owners)
                    .plan(plan)
                    .ownerEpoch(41));
            state.commit(new StateChange().deleteReplica("n2").ownerEpoch(42));
        }
        try (AdminStateStore store = AdminStateStore.open(dir)) {
            AdminState state = new AdminState(store);
            assertEquals(2, state.clusterCount());
            assertEquals(new ClusterRecord("c1", true, false, "n1"), state.cluster("c1").orElseThrow());
            assertEquals(new ClusterRecord("c2", true, true, null), state.cluster("c2").orElseThrow());
            assertEquals(List.of(node("n1", "c1", 50000)), state.replicasOf("c1"));
            assertEquals(List.of(node("n3", "c2", 50002)), state.replicasOf("c2"));
            assertFalse(state.replica("n2").isPresent());
            assertEquals("n1", state.view("c1").orElseThrow().leader().orElseThrow().getId());
            assertEquals(owners, state.owners());
            assertEquals(plan, state.plan());
            assertTrue(state.plan().inProgress());
            assertEquals(42, state.ownerEpoch());
        }
    }

    @Test
    void theOwnershipEpochTravelsInLogEntriesAndSnapshotsAndOlderOnesReadAsZero() {
        StateChange change = StateCodec.decodeChange(StateCodec.encode(new StateChange().ownerEpoch(7)));
        AdminState state = new AdminState(new AdminState.ChangeLog() {
            @Override
            public void replicate(StateChange c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean writable() {
                return false;
            }
        });
        state.applyCommitted(change);
        assertEquals(7, state.ownerEpoch());
        state.applyCommitted(new StateChange().ownerEpoch(3));
        assertEquals(7, state.ownerEpoch(), "the epoch never goes down");
        assertEquals(7, StateCodec.decodeSnapshot(StateCodec.encode(state.snapshot())).ownerEpoch());

        // written by an admin that predates the epoch: no such field
        String older = "{\"clusters\":[],\"replicas\":[],\"plan\":null,\"admins\":[]}";
        assertEquals(0, StateCodec.decodeSnapshot(older.getBytes(java.nio.charset.StandardCharsets.UTF_8)).ownerEpoch());
        state.applyCommitted(StateCodec.decodeChange("{\"clusterDeletes\":[\"x\"]}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(7, state.ownerEpoch());
    }

    @Test
    void aFreshStoreIsEmpty(@TempDir Path dir) {
        try (AdminStateStore store = AdminStateStore.open(dir)) {
            AdminState state = new AdminState(store);
            assertEquals(0, state.clusterCount());
            assertTrue(state.owners().isEmpty());
            assertFalse(state.plan().inProgress());
        }
    }

    @Test
    void aSecondOpenOfTheSameDirIsRefusedWithAClearMessage(@TempDir Path dir) {
        try (AdminStateStore store = AdminStateStore.open(dir)) {
            StateStoreException e = assertThrows(StateStoreException.class, () -> AdminStateStore.open(dir));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
