package io.ravel.admin.placement;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ravel.admin.node.NodeClient;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminStateStore;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.Node;
import io.ravel.proto.Operation;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The leader tracker against two replicas on real gRPC servers that answer as a follower (NOT_LEADER,
 * naming the leader) and as the leader would, over a real admin state on disk.
 */
@Timeout(60)
class LeaderTrackerTest {

    @TempDir
    Path dir;
    private final List<Server> servers = new ArrayList<>();
    private AdminStateStore store;
    private ScheduledExecutorService scheduler;
    private NodeClient nodes;
    private LeaderTracker tracker;

    @BeforeEach
    void open() {
        store = AdminStateStore.open(dir);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        nodes = new NodeClient(new GrpcChannels());
    }

    @AfterEach
    void close() throws InterruptedException {
        if (tracker != null) {
            tracker.close();
        }
        nodes.close();
        scheduler.shutdownNow();
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        store.close();
    }

    /**
     * A state write holds the registry while it syncs to disk; a request that meets a NOT_LEADER redirect
     * meanwhile must still be answered: the learned leader is kept in memory on the callback thread and
     * saved afterwards on another one.
     */
    @Test
    void aRedirectIsFollowedWithoutWaitingForTheDisk() throws Exception {
        String leaderAddress = serve(command -> Response.newBuilder().setCode(Code.OK)
                .setValue(ByteString.copyFromUtf8("1")).build());
        String followerAddress = serve(command -> Response.newBuilder().setCode(Code.NOT_LEADER)
                .setLeaderGrpcAddress(leaderAddress).setMessage("not the leader").build());
        AdminState state = new AdminState(store);
        ClusterRegistry registry = new ClusterRegistry(state);
        Node follower = node(followerAddress);
        String cluster = registry.joinAsLeader(follower).clusterId();
        Node leader = node(leaderAddress).toBuilder().setClusterId(cluster).build();
        registry.joinExisting(leader);
        tracker = new LeaderTracker(registry, nodes, scheduler);

        Command get = Command.newBuilder().setOperation(Operation.GET).setPartition(0)
                .setKey(ByteString.copyFromUtf8("k")).build();
        Function<String, java.util.concurrent.CompletableFuture<Response>> call = a -> nodes.run(a, get);
        synchronized (registry) {
            Response answer;
            try {
                answer = tracker.onLeader(cluster, call, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))
                        .get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                fail("the request waited for the state write that holds the registry");
                return;
            }
            assertEquals(Code.OK, answer.getCode());
            assertEquals(follower.getId(), state.view(cluster).orElseThrow().leader().orElseThrow().getId(),
                    "nothing was written while the registry was held");
        }
        // Saved afterwards, off the request's thread: the next start of the admin knows the leader.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!state.view(cluster).orElseThrow().leader().orElseThrow().getId().equals(leader.getId())) {
            assertTrue(System.nanoTime() < end, "the learned leader was never saved");
            Thread.sleep(20);
        }
        // The next call goes straight to the learned leader.
        assertEquals(Code.OK, tracker.onLeader(cluster, call, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))
                .get(20, TimeUnit.SECONDS).getCode());
    }

    /**
     * A leader learned from a redirect is saved late; if the cluster's next leader reports itself before
     * that save runs, the report must be what stays on disk.
     */
    @Test
    void aLateSaveNeverOverwritesANewerReportedLeader() throws Exception {
        String leaderAddress = serve(command -> Response.newBuilder().setCode(Code.OK).build());
        String followerAddress = serve(command -> Response.newBuilder().setCode(Code.NOT_LEADER)
                .setLeaderGrpcAddress(leaderAddress).build());
        AdminState state = new AdminState(store);
        ClusterRegistry registry = new ClusterRegistry(state);
        String cluster = registry.joinAsLeader(node(followerAddress)).clusterId();
        registry.joinExisting(node(leaderAddress));
        Node next = node("127.0.0.1:" + io.ravel.testkit.FreePorts.next()).toBuilder().setClusterId(cluster).build();
        registry.joinExisting(next);
        tracker = new LeaderTracker(registry, nodes, scheduler);

        Command get = Command.newBuilder().setOperation(Operation.GET).setPartition(0)
                .setKey(ByteString.copyFromUtf8("k")).build();
        synchronized (registry) {
            // The redirect's save waits for the registry; meanwhile the next leader reports itself.
            assertEquals(Code.OK, tracker.onLeader(cluster, a -> nodes.run(a, get),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(10)).get(20, TimeUnit.SECONDS).getCode());
            tracker.reported(next);
        }
        tracker.close(); // finishes the pending save
        tracker = null;
        assertEquals(next.getId(), state.view(cluster).orElseThrow().leader().orElseThrow().getId());
    }

    /** A replica's ownership refusal is an answer the admin reports (until routing refreshes owners), never a retry loop. */
    @Test
    void aWrongOwnerAnswerIsReportedAsItCame() throws Exception {
        String leaderAddress = serve(command -> Response.newBuilder().setCode(Code.WRONG_OWNER).setOwnerEpoch(3).build());
        AdminState state = new AdminState(store);
        ClusterRegistry registry = new ClusterRegistry(state);
        String cluster = registry.joinAsLeader(node(leaderAddress)).clusterId();
        tracker = new LeaderTracker(registry, nodes, scheduler);
        Command get = Command.newBuilder().setOperation(Operation.GET).setPartition(0)
                .setKey(ByteString.copyFromUtf8("k")).build();
        Response answer = tracker.onLeader(cluster, a -> nodes.run(a, get), System.nanoTime() + TimeUnit.SECONDS.toNanos(10))
                .get(20, TimeUnit.SECONDS);
        assertEquals(Code.WRONG_OWNER, answer.getCode());
        assertEquals(3, answer.getOwnerEpoch());
    }

    private static Node node(String grpcAddress) {
        return Node.newBuilder().setId(UUID.randomUUID().toString()).setGrpcAddress(grpcAddress)
                .setRaftAddress("127.0.0.1:1").build();
    }

    /** Starts a replica stand-in answering every Run with {@code answer}; returns its address. */
    private String serve(Function<Command, Response> answer) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RavelNodeGrpc.RavelNodeImplBase() {
                    @Override
                    public void run(Command request, StreamObserver<Response> out) {
                        out.onNext(answer.apply(request));
                        out.onCompleted();
                    }
                }).build().start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }
}
