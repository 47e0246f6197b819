package io.ravel.admin.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ravel.admin.AdminConfig;
import io.ravel.admin.AdminServer;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.testkit.FreePorts;
import io.ravel.common.HostPort;
import io.ravel.proto.ClusterList;
import io.ravel.proto.JoinResponse;
import io.ravel.proto.Node;
import io.ravel.proto.OwnerTableReply;
import io.ravel.proto.RavelClusterAdminGrpc;
import io.ravel.proto.RelocationProgress;
import io.ravel.proto.RelocationRequest;
import io.ravel.proto.Void;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three admins in one JVM forming an admin group: membership changes made through any admin reach the
 * leader and every admin's state; a stopped leader is replaced and a restarted admin catches up from its dir.
 */
@Timeout(120)
class AdminGroupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;
    private final List<HostPort> peers = new ArrayList<>();
    private final AdminServer[] admins = new AdminServer[3];
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (AdminServer a : admins) {
            if (a != null) {
                a.stop();
            }
        }
    }

    private AdminServer start(int i) {
        AdminConfig config = new AdminConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                root.resolve("admin" + i), new RelocationSettings(Duration.ZERO, 512), new GroupConfig(peers.get(i), peers));
        admins[i] = new AdminServer(config).start();
        return admins[i];
    }

    private void startAll() {
        for (int i = 0; i < 3; i++) {
            peers.add(new HostPort("127.0.0.1", FreePorts.next()));
        }
        for (int i = 0; i < 3; i++) {
            start(i);
        }
    }

    private RavelClusterAdminGrpc.RavelClusterAdminBlockingStub grpc(AdminServer a) {
        HostPort hp = HostPort.parse(a.grpcAddress(), "grpc");
        ManagedChannel c = NettyChannelBuilder.forAddress(hp.host(), hp.port()).usePlaintext().build();
        channels.add(c);
        return RavelClusterAdminGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static JsonNode get(AdminServer a, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + a.httpAddress() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private int leaderIndex() throws Exception {
        for (int i = 0; i < 3; i++) {
            if (admins[i] != null && "leader".equals(get(admins[i], "/health").path("role").asText())) {
                return i;
            }
        }
        return -1;
    }

    private int awaitLeader() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            int i = leaderIndex();
            if (i >= 0 && everyAdminKnowsEveryAdmin()) {
                return i;
            }
            Thread.sleep(50);
        }
        fail("no admin leader within 30 s");
        return -1;
    }

    /** Every admin lists all three with their HTTP addresses, and names a leader. */
    private boolean everyAdminKnowsEveryAdmin() throws Exception {
        for (AdminServer a : admins) {
            JsonNode group = get(a, "/clusters").path("adminGroup");
            if (group.path("leader").isNull()) {
                return false;
            }
            for (JsonNode m : group.path("members")) {
                if (!m.path("httpAddress").isTextual()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Node node() {
        return Node.newBuilder().setId(UUID.randomUUID().toString())
                .setGrpcAddress("127.0.0.1:" + FreePorts.next()).setRaftAddress("127.0.0.1:" + FreePorts.next()).build();
    }

    private static int clusters(AdminServer a) {
        try {
            return get(a, "/health").path("clusters").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void changesThroughAnyAdminReachEveryAdmin() throws Exception {
        startAll();
        int leader = awaitLeader();
        int follower = (leader + 1) % 3;
        JsonNode health = get(admins[follower], "/health");
        assertEquals("follower", health.path("role").asText());
        assertEquals(3, health.path("groupSize").asInt());
        assertEquals("ok", health.path("status").asText());

        JoinResponse created = grpc(admins[follower]).joinAsClusterLeader(node());
        for (AdminServer a : admins) {
            await("every admin knows the new cluster", () -> clusters(a) == 1);
        }
        ClusterList list = grpc(admins[(leader + 2) % 3]).listClusters(Void.getDefaultInstance());
        assertEquals(created.getClusterId(), list.getClusters(0).getId());

        JsonNode group = get(admins[follower], "/clusters").path("adminGroup");
        assertEquals(3, group.path("size").asInt());
        int leaders = 0;
        for (JsonNode m : group.path("members")) {
            assertTrue(m.path("httpAddress").isTextual(), m.toString());
            leaders += m.path("leader").asBoolean() ? 1 : 0;
        }
        assertEquals(1, leaders, group.toString());
        assertEquals(271, get(admins[follower], "/clusters").path("clusters").get(0).path("partitions").asInt());

        // GetOwners through a follower is the leader's table (forwarded), with its ownership epoch
        OwnerTableReply owners = grpc(admins[follower]).getOwners(Void.getDefaultInstance());
        assertEquals(271, owners.getOwnersCount());
        assertTrue(owners.getOwnersList().stream().allMatch(created.getClusterId()::equals), owners.toString());
        assertEquals(0, owners.getOwnerEpoch(), "no partition has moved yet");
    }

    @Test
    void aNewLeaderTakesOverAndAStoppedAdminCatchesUpFromItsDir() throws Exception {
        startAll();
        int leader = awaitLeader();
        grpc(admins[leader]).joinAsClusterLeader(node());
        admins[leader].stop();
        admins[leader] = null;
        int next = awaitNewLeader(leader);
        grpc(admins[next]).joinAsClusterLeader(node());
        int other = 3 - leader - next;
        await("the other admin has both clusters", () -> clusters(admins[other]) == 2);

        start(leader);
        await("the restarted admin has both clusters", () -> clusters(admins[leader]) == 2);
        assertEquals("follower", get(admins[leader], "/health").path("role").asText());
    }

    @Test
    void everyAdminAnswersRelocationProgressFromItsOwnState() throws Exception {
        startAll();
        int leader = awaitLeader();
        int follower = (leader + 1) % 3;
        grpc(admins[follower]).joinAsClusterLeader(node());
        String second = grpc(admins[follower]).joinAsClusterLeader(node()).getClusterId();
        grpc(admins[follower]).initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(second).build());
        // No replica answers, so the planned moves stay planned and every admin ends up with the same plan.
        RelocationProgress planned = grpc(admins[leader]).getRelocationProgress(Void.getDefaultInstance());
        assertTrue(planned.getInProgress() && planned.getTotal() > 0 && planned.getMoved() == 0, planned.toString());
        for (AdminServer a : admins) {
            await("every admin has the plan", () -> planned.equals(grpc(a).getRelocationProgress(Void.getDefaultInstance())));
        }

        // Answered locally, not forwarded: a follower left without a leader still answers.
        int other = 3 - leader - follower;
        admins[leader].stop();
        admins[leader] = null;
        admins[other].stop();
        admins[other] = null;
        assertEquals(planned, grpc(admins[follower]).getRelocationProgress(Void.getDefaultInstance()));
    }

    @Test
    void aLeaveWaitingOnAnAdminThatLosesTheLeadershipFailsSoItsCallerRetries() throws Exception {
        startAll();
        int leader = awaitLeader();
        grpc(admins[leader]).joinAsClusterLeader(node());
        Node last = node();
        String second = grpc(admins[leader]).joinAsClusterLeader(last).getClusterId();
        grpc(admins[leader]).initiateDataRelocation(RelocationRequest.newBuilder().setClusterId(second).build());
        // No replica answers, so the moves never run and the leave waits for its cluster to drain.
        StatusRuntimeException[] failure = new StatusRuntimeException[1];
        Thread leave = new Thread(() -> {
            try {
                grpc(admins[leader]).withDeadlineAfter(110, TimeUnit.SECONDS).leaveCluster(last);
            } catch (StatusRuntimeException e) {
                failure[0] = e;
            }
        });
        leave.start();
        await("the leave waits for its cluster to drain", () -> grpc(admins[leader])
                .getRelocationProgress(Void.getDefaultInstance()).getLeavingClusterIdsList().contains(second));
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                admins[i].stop();
                admins[i] = null;
            }
        }
        leave.join(TimeUnit.SECONDS.toMillis(100));
        assertTrue(failure[0] != null && failure[0].getStatus().getCode() == Status.Code.UNAVAILABLE,
                "the leave must end UNAVAILABLE once its admin no longer leads, not wait: " + failure[0]);
    }

    private int awaitNewLeader(int stopped) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            int i = leaderIndex();
            if (i >= 0 && i != stopped) {
                return i;
            }
            Thread.sleep(50);
        }
        fail("no new admin leader within 30 s");
        return -1;
    }
}
