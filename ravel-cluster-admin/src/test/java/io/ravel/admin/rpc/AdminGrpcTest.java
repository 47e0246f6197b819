package io.ravel.admin.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ravel.admin.AdminConfig;
import io.ravel.admin.AdminServer;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.HostPort;
import io.ravel.proto.Cluster;
import io.ravel.proto.ClusterList;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.RelocationProgress;
import io.ravel.proto.RelocationRequest;
import io.ravel.proto.Void;
import io.ravel.testkit.FreePorts;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RavelClusterAdmin service of a real admin, driven over gRPC the way replicas drive it, for the
 * parts that need no running replica: registration, placement, leader reports, persistence across an
 * admin restart, and removal of the last cluster. Replicas are registered with addresses nothing
 * listens on, so calls the admin makes to them fail fast.
 */
@Timeout(90)
class AdminGrpcTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path backup;
    private AdminServer server;
    private ManagedChannel channel;

    private RavelClusterAdminGrpc.RavelClusterAdminBlockingStub admin() {
        return RavelClusterAdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private void startAdmin() {
        server = new AdminServer(new AdminConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                backup, new RelocationSettings(Duration.ZERO, 512))).start();
        HostPort grpc = HostPort.parse(server.grpcAddress(), "grpc");
        channel = NettyChannelBuilder.forAddress(grpc.host(), grpc.port()).usePlaintext().build();
    }

    private void stopAdmin() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            channel = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stopAdmin();
    }

    private static Node node() {
        return Node.newBuilder().setId(UUID.randomUUID().toString())
                .setGrpcAddress("127.0.0.1:" + FreePorts.next()).setRaftAddress("127.0.0.1:" + FreePorts.next()).build();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + server.httpAddress() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    /**
     * The persisted part of GET /clusters: without the admin's own addresses and without what the
     * admin observes live (each replica's reachability and key estimate, from probes that run after
     * a read of /clusters and that a restarted admin has not made yet).
     */
    private static String withoutAdminGroup(JsonNode clusters) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) clusters).remove("adminGroup");
        for (JsonNode cluster : clusters.get("clusters")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) cluster).remove("estimatedKeys");
            for (JsonNode replica : cluster.get("replicas")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) replica).remove(List.of("reachable", "estimatedKeys"));
            }
        }
        return clusters.toString();
    }

    @Test
    void joiningAnExistingClusterWhenThereIsNoneIsAFailedPrecondition() {
        startAdmin();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin().joinExistingCluster(node()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("-l=true"), e.getStatus().getDescription());
    }

    @Test
    void registrationPlacementLeadersAndRestart() throws Exception {
        startAdmin();
        Node leader1 = node();
        JoinResponse c1 = admin().joinAsClusterLeader(leader1);
        assertEquals(c1.getClusterId(), admin().joinAsClusterLeader(leader1).getClusterId(), "registration is idempotent");
        assertEquals(leader1.getId(), c1.getLeader().getId());
        Node leader2 = node();
        JoinResponse c2 = admin().joinAsClusterLeader(leader2);
        assertNotEquals(c1.getClusterId(), c2.getClusterId());

        // The first cluster owns every partition at once; the second owns nothing before its relocation.
        JsonNode clusters = get("/clusters").get("clusters");
        assertEquals(2, clusters.size());
        for (JsonNode c : clusters) {
            int expected = c.get("id").textValue().equals(c1.getClusterId()) ? 271 : 0;
            assertEquals(expected, c.get("partitions").intValue());
        }

        // Four replicas spread two and two (the cluster with the fewest replicas each time).
        for (int i = 0; i < 4; i++) {
            Node replica = node();
            JoinResponse joined = admin().joinExistingCluster(replica);
            assertEquals(joined.getClusterId(), admin().joinExistingCluster(replica).getClusterId());
        }
        ClusterList list = admin().listClusters(Void.getDefaultInstance());
        assertEquals(2, list.getClustersCount());
        list.getClustersList().forEach(c -> assertEquals(3, c.getReplicasCount()));

        // A follower reports leadership; GetClusterLeader answers it, unknown clusters are NOT_FOUND.
        Node follower = list.getClustersList().stream().filter(c -> c.getId().equals(c2.getClusterId()))
                .findFirst().orElseThrow().getReplicasList().stream()
                .filter(n -> !n.getId().equals(leader2.getId())).findFirst().orElseThrow();
        admin().updateClusterLeader(follower);
        assertEquals(follower.getId(),
                admin().getClusterLeader(Cluster.newBuilder().setId(c2.getClusterId()).build()).getId());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> admin().getClusterLeader(Cluster.newBuilder().setId("no-such-cluster").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());

        // Restarted from its backup path, the admin knows everything at once.
        // (the admin's own addresses under "adminGroup" change: it restarts on new free ports)
        String before = withoutAdminGroup(get("/clusters"));
        stopAdmin();
        startAdmin();
        assertEquals(before, withoutAdminGroup(get("/clusters")));
        assertEquals(2, get("/health").get("clusters").intValue());
        assertEquals(follower.getId(),
                admin().getClusterLeader(Cluster.newBuilder().setId(c2.getClusterId()).build()).getId());
        assertTrue(get("/clusters").toString().contains(follower.getGrpcAddress()));
    }

    @Test
    void relocationOfTheOnlyClusterIsANoOpAndIdempotent() throws Exception {
        startAdmin();
        JoinResponse c1 = admin().joinAsClusterLeader(node());
        RelocationRequest request = RelocationRequest.newBuilder().setClusterId(c1.getClusterId()).build();
        admin().initiateDataRelocation(request);
        admin().initiateDataRelocation(request);
        JsonNode status = get("/clusters");
        assertEquals(271, status.get("clusters").get(0).get("partitions").intValue());
        assertEquals(false, status.get("relocation").get("inProgress").booleanValue());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> admin()
                .initiateDataRelocation(RelocationRequest.newBuilder().setClusterId("no-such-cluster").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    }

    @Test
    void aPlannedRelocationIsPersistedAndNewClustersOwnNothingUntilMoved() throws Exception {
        startAdmin();
        String first = admin().joinAsClusterLeader(node()).getClusterId();
        String second = admin().joinAsClusterLeader(node()).getClusterId();
        admin().initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(second).build());
        admin().initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(second).build());

        // No replica answers, so no partition can move: the first cluster keeps every key reachable.
        JsonNode status = get("/clusters");
        JsonNode relocation = status.get("relocation");
        assertTrue(relocation.get("inProgress").booleanValue());
        int total = relocation.get("partitionsTotal").intValue();
        assertTrue(total > 271 / 4 && total <= 163, "planned moves: " + total);
        assertEquals(0, relocation.get("partitionsMoved").intValue());
        for (JsonNode c : status.get("clusters")) {
            assertEquals(c.get("id").textValue().equals(first) ? 271 : 0, c.get("partitions").intValue());
        }

        stopAdmin();
        startAdmin();
        JsonNode after = get("/clusters").get("relocation");
        assertTrue(after.get("inProgress").booleanValue());
        assertEquals(total, after.get("partitionsTotal").intValue());
        assertEquals(0, after.get("partitionsMoved").intValue());
    }

    @Test
    void relocationProgressFollowsThePlanAndNamesTheLeavingCluster() throws Exception {
        startAdmin();
        RelocationProgress none = admin().getRelocationProgress(Void.getDefaultInstance());
        assertEquals(RelocationProgress.getDefaultInstance(), none, "no relocation ever ran");

        Node firstLeader = node();
        String first = admin().joinAsClusterLeader(firstLeader).getClusterId();
        String second = admin().joinAsClusterLeader(node()).getClusterId();
        admin().initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(second).build());
        // No replica answers, so the planned moves stay planned; the answer matches GET /clusters.
        RelocationProgress joining = admin().getRelocationProgress(Void.getDefaultInstance());
        JsonNode relocation = get("/clusters").get("relocation");
        assertTrue(joining.getInProgress());
        assertEquals(relocation.get("partitionsTotal").intValue(), joining.getTotal());
        assertEquals(0, joining.getMoved());
        assertEquals(0, joining.getKeysMoved());
        assertEquals(List.of(), joining.getLeavingClusterIdsList());

        // The first cluster's only replica leaves: its partitions join the plan, and it is named as leaving
        // while the (pending) LeaveCluster waits for them to move.
        RavelClusterAdminGrpc.newStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                .leaveCluster(firstLeader, new io.grpc.stub.StreamObserver<>() {
                    @Override public void onNext(Void value) { }
                    @Override public void onError(Throwable t) { }
                    @Override public void onCompleted() { }
                });
        Waits.until(Duration.ofSeconds(30), "the first cluster to be leaving", () ->
                admin().getRelocationProgress(Void.getDefaultInstance()).getLeavingClusterIdsCount() > 0);
        RelocationProgress leaving = admin().getRelocationProgress(Void.getDefaultInstance());
        assertEquals(List.of(first), leaving.getLeavingClusterIdsList());
        assertTrue(leaving.getInProgress());
        assertTrue(leaving.getTotal() >= joining.getTotal(), leaving.toString());
        assertEquals(get("/clusters").get("relocation").get("partitionsTotal").intValue(), leaving.getTotal());

        // The plan is the admin's persisted state: a restarted admin reports the same progress.
        stopAdmin();
        startAdmin();
        assertEquals(leaving, admin().getRelocationProgress(Void.getDefaultInstance()));
    }

    @Test
    void lastReplicaOfTheLastClusterLeavingEmptiesTheAdmin() throws Exception {
        startAdmin();
        Node only = node();
        String first = admin().joinAsClusterLeader(only).getClusterId();
        admin().leaveCluster(only);
        assertEquals(0, get("/health").get("clusters").intValue());
        assertEquals(0, admin().listClusters(Void.getDefaultInstance()).getClustersCount());
        admin().leaveCluster(only);

        // A new first cluster starts from an empty system and owns every partition.
        String next = admin().joinAsClusterLeader(node()).getClusterId();
        assertNotEquals(first, next);
        assertEquals(271, get("/clusters").get("clusters").get(0).get("partitions").intValue());
    }

    @Test
    void aClusterWhoseLeaderIsUnreachableGets503WithinTheDeadline() throws Exception {
        startAdmin();
        admin().joinAsClusterLeader(node());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + server.httpAddress() + "/put"))
                .timeout(Duration.ofSeconds(40))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"a\",\"val\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("error").textValue().contains("no reachable leader"), r.body());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + server.httpAddress() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("ravel_cluster_leader_known{cluster="), metrics);
    }

    @Test
    void malformedRegistrationsAreInvalidArguments() {
        startAdmin();
        StatusRuntimeException noId = assertThrows(StatusRuntimeException.class,
                () -> admin().joinAsClusterLeader(node().toBuilder().setId("").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noId.getStatus().getCode());
        StatusRuntimeException badAddress = assertThrows(StatusRuntimeException.class,
                () -> admin().joinAsClusterLeader(node().toBuilder().setGrpcAddress("nowhere").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badAddress.getStatus().getCode());
        assertEquals(0, admin().listClusters(Void.getDefaultInstance()).getClustersCount());
    }
}
