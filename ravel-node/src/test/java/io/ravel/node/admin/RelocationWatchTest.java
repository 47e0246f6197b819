package io.ravel.node.admin;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ravel.common.GrpcChannels;
import io.ravel.proto.RelocationProgress;
import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code ravel_node kill} prints about a relocation when the admin cannot tell: an admin without
 * GetRelocationProgress (a gRPC server that serves no RavelClusterAdmin method answers UNIMPLEMENTED, as
 * an admin that predates it does) and an unreachable admin yield no line and no error. The lines of a
 * real relocation are checked end to end in ravel-e2e's KillProgressTest.
 */
@Timeout(60)
class RelocationWatchTest {

    private Server server;
    private final GrpcChannels channels = new GrpcChannels();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        channels.close();
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private String serverWithoutTheRpc() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
        return "127.0.0.1:" + server.getPort();
    }

    private void watchOneLeave(String adminAddress) {
        AdminClient admin = new AdminClient(adminAddress, channels, Duration.ofSeconds(1));
        try (RelocationWatch watch = new RelocationWatch(admin, "some-cluster", lines::add).start()) {
            watch.finish();
        }
    }

    @Test
    void anAdminWithoutTheRpcYieldsNoLine() throws IOException {
        watchOneLeave(serverWithoutTheRpc());
        assertEquals(List.of(), lines);
    }

    @Test
    void anUnreachableAdminBeforeOneWithoutTheRpcYieldsNoLine() throws IOException {
        watchOneLeave("127.0.0.1:" + FreePorts.next() + "," + serverWithoutTheRpc());
        assertEquals(List.of(), lines);
    }

    @Test
    void anUnreachableAdminYieldsNoLine() {
        watchOneLeave("127.0.0.1:" + FreePorts.next());
        assertEquals(List.of(), lines);
    }

    @Test
    void theLineGroupsThousandsOfKeys() {
        RelocationProgress p = RelocationProgress.newBuilder().setInProgress(true).setMoved(37).setTotal(135)
                .setKeysMoved(4210).build();
        assertEquals("relocation: 37/135 partitions moved, 4,210 keys moved", RelocationWatch.line(p));
    }
}
