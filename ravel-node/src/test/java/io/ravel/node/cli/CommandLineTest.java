package io.ravel.node.cli;

import io.ravel.node.config.IdentityFile;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ravel_node} flags, YAML and start-up checks: a mistake is one line on stderr and a non-zero exit. */
@Timeout(60)
class CommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearKnobs() {
        System.clearProperty("ravel.node.adminRetrySecs");
    }

    private int run(String... args) {
        CommandLine cl = RavelNodeMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private void assertOneLineFailure(int code, String mentioning) {
        assertNotEquals(0, code, "exit code");
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), "exactly one line on stderr: " + text);
        assertTrue(text.contains(mentioning), "stderr mentions '" + mentioning + "': " + text);
        assertFalse(text.contains("Exception") && text.contains("\tat "), "no stack trace: " + text);
    }

    private static StartCommand parse(String... args) {
        CommandLine cl = RavelNodeMain.commandLine();
        CommandLine.ParseResult result = cl.parseArgs(args);
        return (StartCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void helpScreensListTheSeedsCommandsAndFlags() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("start") && out.toString().contains("kill") && out.toString().contains("help, h"));
        assertEquals(0, run("start", "-h"));
        for (String flag : new String[] {"--storagedir value, -s value", "--grpcaddr value, -g value", "--raftaddr value, -r value",
                "--adminrpcaddr value, -a value", "--yaml value, -y value", "--leader, -l", "(default: \"~/ravel_replica\")"}) {
            assertTrue(out.toString().contains(flag), flag);
        }
        assertEquals(0, run("kill", "--help"));
        assertEquals(0, run("h", "start"));
        assertEquals("", err.toString());
    }

    @Test
    void theLeaderFlagTakesEveryForm() {
        assertEquals(Boolean.TRUE, parse("start", "-l").leader);
        assertEquals(Boolean.TRUE, parse("start", "-l=true").leader);
        assertEquals(Boolean.TRUE, parse("start", "--leader=true").leader);
        assertEquals(Boolean.TRUE, parse("start", "-l", "true").leader);
        assertEquals(Boolean.FALSE, parse("start", "-l=false").leader);
        assertEquals(Boolean.TRUE, parse("start", "-l", "-s", "/x").leader);
        assertEquals(null, parse("start").leader);
        assertFalse(parse("start").options().resolve().leader());
    }

    @Test
    void valuesTakeBothFormsAndDefaultsFollowTheSeed() {
        StartCommand eq = parse("start", "-s=/data/r1", "-g=localhost:50001", "--raftaddr=localhost:60001", "-a", "10.0.0.1:42000");
        NodeConfig c = eq.options().resolve();
        assertEquals(Path.of("/data/r1"), c.storageDir());
        assertEquals("localhost:50001", c.grpcAddress());
        assertEquals("localhost:60001", c.raftAddress());
        assertEquals("10.0.0.1:42000", c.adminAddress());
        // An admin group: every admin's gRPC address, comma-separated.
        assertEquals("localhost:42000,localhost:42001,10.0.0.2:42002",
                parse("start", "-a=localhost:42000, localhost:42001,10.0.0.2:42002").options().resolve().adminAddress());
        NodeConfig spaced = parse("start", "-s", "/data/r2", "--grpcaddr", "localhost:50002").options().resolve();
        assertEquals(Path.of("/data/r2"), spaced.storageDir());
        assertEquals("localhost:50002", spaced.grpcAddress());
        NodeConfig quoted = parse("start", "-s=\"/data/r3\"").options().resolve();
        assertEquals(Path.of("/data/r3"), quoted.storageDir());

        NodeConfig defaults = parse("start").options().resolve();
        assertEquals(Path.of(System.getProperty("user.home"), "ravel_replica"), defaults.storageDir());
        assertEquals("localhost:50000", defaults.grpcAddress());
        assertEquals("localhost:60000", defaults.raftAddress());
        assertEquals("localhost:42000", defaults.adminAddress());
    }

    @Test
    void yamlSetsEverythingAndFlagsWin() throws IOException {
        Path yaml = Files.writeString(dir.resolve("node.yaml"), """
                storagedir: /data/from-yaml
                grpcaddr: localhost:51000
                raftaddr: localhost:61000
                adminrpcaddr: localhost:43000
                leader: true
                electionTimeoutMs: 700
                snapshotIntervalSecs: 0
                requestTimeoutMs: 3000
                """);
        NodeConfig fromYaml = parse("start", "-y", yaml.toString()).options().resolve();
        assertEquals(Path.of("/data/from-yaml"), fromYaml.storageDir());
        assertEquals("localhost:51000", fromYaml.grpcAddress());
        assertEquals("localhost:61000", fromYaml.raftAddress());
        assertEquals("localhost:43000", fromYaml.adminAddress());
        assertTrue(fromYaml.leader());
        assertEquals(700, fromYaml.raft().electionTimeoutMs());
        assertEquals(0, fromYaml.raft().snapshotIntervalSecs());
        assertEquals(3000, fromYaml.requestTimeoutMs());

        NodeConfig overridden = parse("start", "--yaml=" + yaml, "-g=localhost:52000", "-l=false", "-s", "/data/flag").options().resolve();
        assertEquals("localhost:52000", overridden.grpcAddress());
        assertEquals("localhost:61000", overridden.raftAddress());
        assertFalse(overridden.leader());
        assertEquals(Path.of("/data/flag"), overridden.storageDir());
    }

    @Test
    void badFlagValuesAreOneClearLine() {
        Path s = dir.resolve("n");
        assertOneLineFailure(run("start", "-s=" + s, "-g=not-an-address"), "--grpcaddr");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-s=" + s, "-r=127.0.0.1:99999"), "--raftaddr");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-s=" + s, "-a=:42000"), "--adminrpcaddr");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-s=" + s, "-a=localhost:42000,,localhost:42001"), "--adminrpcaddr");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "--no-such-flag"), "--no-such-flag");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-l=maybe"), "--leader");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-s=" + s, "-g=127.0.0.1:5000", "-r=localhost:5000"), "must differ");
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("start", "-s=" + s, "-y=" + dir.resolve("missing.yaml")), "missing.yaml");
        assertFalse(Files.exists(s), "a failed start leaves no storage dir behind");
    }

    @Test
    void badYamlIsOneClearLine() throws IOException {
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "storagedir: /x\ncolour: blue\n");
        assertOneLineFailure(run("start", "-y", unknown.toString()), "colour");
        err.getBuffer().setLength(0);
        Path badType = Files.writeString(dir.resolve("type.yaml"), "electionTimeoutMs: soon\n");
        assertOneLineFailure(run("start", "-y", badType.toString()), "electionTimeoutMs");
        err.getBuffer().setLength(0);
        Path badBool = Files.writeString(dir.resolve("bool.yaml"), "leader: perhaps\n");
        assertOneLineFailure(run("start", "-y", badBool.toString()), "leader");
        err.getBuffer().setLength(0);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "storagedir: [unclosed\n");
        assertOneLineFailure(run("start", "-y", broken.toString()), "not valid YAML");
    }

    @Test
    void startUpChecksRefuseABadDirABusyPortAndAForeignIdentity() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertOneLineFailure(run("start", "-s=" + file.resolve("sub"), "-g=" + FreePorts.address(), "-r=" + FreePorts.address()),
                "--storagedir");
        err.getBuffer().setLength(0);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String busy = "127.0.0.1:" + taken.getLocalPort();
            assertOneLineFailure(run("start", "-s=" + dir.resolve("p"), "-g=" + busy, "-r=" + FreePorts.address()), "--grpcaddr");
            err.getBuffer().setLength(0);
            assertOneLineFailure(run("start", "-s=" + dir.resolve("p"), "-g=" + FreePorts.address(), "-r=" + busy), "--raftaddr");
            err.getBuffer().setLength(0);
        }
        Path owned = dir.resolve("owned");
        IdentityFile.write(owned, new ReplicaIdentity("id-1", "c-1", "127.0.0.1:1111", "127.0.0.1:2222", false, "127.0.0.1:3333"));
        assertOneLineFailure(run("start", "-s=" + owned, "-g=" + FreePorts.address(), "-r=" + FreePorts.address()), "id-1");
        assertTrue(IdentityFile.exists(owned), "the identity is kept");
    }

    @Test
    void anUnreachableAdminIsOneLineAndLeavesNothing() {
        System.setProperty("ravel.node.adminRetrySecs", "1");
        Path s = dir.resolve("fresh");
        assertOneLineFailure(run("start", "-s=" + s, "-g=" + FreePorts.address(), "-r=" + FreePorts.address(),
                "-a=" + FreePorts.address()), "unreachable");
        assertFalse(Files.exists(s));
    }

    @Test
    void aBadSettingIsOneLineNamingItNeverASilentDefault() {
        System.setProperty("ravel.node.adminRetrySecs", "soon");
        Path s = dir.resolve("bad-setting");
        assertOneLineFailure(run("start", "-s=" + s, "-g=" + FreePorts.address(), "-r=" + FreePorts.address(),
                "-a=" + FreePorts.address()), "ravel.node.adminRetrySecs");
        assertFalse(Files.exists(s), "a refused start leaves no dir behind");
        err.getBuffer().setLength(0);
        Path replicaDir = dir.resolve("replica-bad-setting");
        IdentityFile.write(replicaDir, new ReplicaIdentity("id-3", "c-3", FreePorts.address(), FreePorts.address(), false,
                FreePorts.address()));
        assertOneLineFailure(run("kill", "--storagedir=" + replicaDir), "ravel.node.adminRetrySecs");
        assertTrue(IdentityFile.exists(replicaDir), "nothing deleted");
    }

    @Test
    void killRefusesADirThatIsNotAReplica() throws IOException {
        Path notReplica = Files.createDirectories(dir.resolve("not-a-replica"));
        Files.writeString(notReplica.resolve("precious.txt"), "keep me");
        assertOneLineFailure(run("kill", "-s=" + notReplica), "not a Ravel replica dir");
        assertTrue(Files.exists(notReplica.resolve("precious.txt")));
        err.getBuffer().setLength(0);
        assertOneLineFailure(run("kill", "-s", dir.resolve("missing").toString()), "not a Ravel replica dir");
    }

    @Test
    void killWithAnUnreachableAdminDeletesNothing() {
        System.setProperty("ravel.node.adminRetrySecs", "1");
        Path replicaDir = dir.resolve("replica");
        IdentityFile.write(replicaDir, new ReplicaIdentity("id-2", "c-2", FreePorts.address(), FreePorts.address(), false,
                FreePorts.address()));
        assertOneLineFailure(run("kill", "--storagedir=" + replicaDir), "unreachable");
        assertTrue(IdentityFile.exists(replicaDir), "nothing deleted");
    }
}
