package io.ravel.e2e;

import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real binaries' help and their answers to a user's mistakes: one clear line, exit != 0, no stack trace. */
@Timeout(180)
class CommandLineTest {

    private final ProcessCluster system = new ProcessCluster("cli");

    @AfterEach
    void cleanUp() {
        system.close();
    }

    @Test
    void helpListsTheSeedsFlags() {
        ProcessCluster.CommandResult node = system.runNodeCommand(" start --help");
        assertEquals(0, node.exitCode(), node.output());
        for (String flag : new String[] {"--storagedir", "-s", "--grpcaddr", "-g", "--raftaddr", "-r",
                "--adminrpcaddr", "-a", "--yaml", "-y", "--leader", "-l"}) {
            assertTrue(node.output().contains(flag), "ravel_node start --help mentions " + flag + ":\n" + node.output());
        }
        ProcessCluster.CommandResult top = system.runNodeCommand(" --help");
        assertEquals(0, top.exitCode(), top.output());
        assertTrue(top.output().contains("start") && top.output().contains("kill"), top.output());

        ProcessCluster.CommandResult admin = system.runAdminCommand(" --help");
        assertEquals(0, admin.exitCode(), admin.output());
        for (String flag : new String[] {"--http", "--grpc", "--backupPath"}) {
            assertTrue(admin.output().contains(flag), "ravel_cluster_admin --help mentions " + flag);
        }
    }

    @Test
    void badNodeFlagsGetOneClearLine() {
        Path dir = system.root().resolve("n");
        assertClearFailure(system.runNodeCommand(" start -s=\"" + dir + "\" -g=\"not-an-address\""));
        assertClearFailure(system.runNodeCommand(" start -s=\"" + dir + "\" -r=\"127.0.0.1:99999\""));
        assertClearFailure(system.runNodeCommand(" start --no-such-flag"));
        assertClearFailure(system.runNodeCommand(" start -s=\"" + dir + "\" -y=\"" + dir.resolve("missing.yaml") + "\""));
    }

    @Test
    void killOfADirThatIsNotAReplicaDeletesNothing() throws IOException {
        Path dir = Files.createDirectories(system.root().resolve("not-a-replica"));
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        assertClearFailure(system.runNodeCommand(" kill -s=\"" + dir + "\""));
        assertTrue(Files.exists(dir.resolve("precious.txt")));
    }

    @Test
    void adminRefusesAPortInUseAndAnUnwritableBackupPath() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String busy = "127.0.0.1:" + taken.getLocalPort();
            Path backup = system.root().resolve("admin");
            assertClearFailure(system.runAdminCommand(" --http=\"" + busy + "\" --grpc=\"" + FreePorts.address()
                    + "\" --backupPath=\"" + backup + "\""));
            assertClearFailure(system.runAdminCommand(" --http=\"" + FreePorts.address() + "\" --grpc=\"" + busy
                    + "\" --backupPath=\"" + backup + "\""));
        }
        Path file = Files.writeString(system.root().resolve("a-file"), "x");
        assertClearFailure(system.runAdminCommand(" --http=\"" + FreePorts.address() + "\" --grpc=\""
                + FreePorts.address() + "\" --backupPath=\"" + file.resolve("sub") + "\""));
        assertFalse(Files.isDirectory(file.resolve("sub")));
    }

    private static void assertClearFailure(ProcessCluster.CommandResult result) {
        assertNotEquals(0, result.exitCode(), result.output());
        String out = result.output().strip();
        assertFalse(out.isEmpty(), "says what is wrong");
        assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), "no stack trace:\n" + out);
    }
}
