package io.ravel.admin.cli;

import io.ravel.testkit.FreePorts;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ravel_cluster_admin as a real process: flags, readiness line, one-line failures, SIGTERM. */
@Timeout(120)
class RavelClusterAdminMainTest {

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killStarted() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process launch(String... args) throws IOException {
        return launch(Map.of(), args);
    }

    private Process launch(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Dlogback.middleware.log.disable=true",
                "-cp", System.getProperty("java.class.path"),
                RavelClusterAdminMain.class.getName()));
        command.addAll(List.of(args));
        // Output goes to files, read after the fact: a pipe read would block past any deadline.
        int n = started.size();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process p = builder
                .redirectOutput(tmp.resolve("stdout-" + n).toFile())
                .redirectError(tmp.resolve("stderr-" + n).toFile())
                .start();
        started.add(p);
        return p;
    }

    private record Outcome(int exit, String stdout, List<String> stderrLines) {
    }

    private Outcome finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the admin did not exit");
        int n = started.indexOf(p);
        String out = Files.readString(tmp.resolve("stdout-" + n), StandardCharsets.UTF_8);
        List<String> err = Files.readString(tmp.resolve("stderr-" + n), StandardCharsets.UTF_8).lines().toList();
        return new Outcome(p.exitValue(), out, err);
    }

    private static void assertOneLine(Outcome o, String fragment) {
        assertNotEquals(0, o.exit());
        assertEquals(1, o.stderrLines().size(), "stderr: " + o.stderrLines());
        assertTrue(o.stderrLines().get(0).startsWith("ravel_cluster_admin: "), o.stderrLines().get(0));
        assertTrue(o.stderrLines().get(0).contains(fragment), o.stderrLines().get(0));
    }

    private static String readyLine(Path stdout) {
        try {
            return Files.readString(stdout, StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("ravel_cluster_admin ready")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private String addr(int port) {
        return "127.0.0.1:" + port;
    }

    @Test
    void httpPortInUseIsOneLineAndNonZeroExit() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = finish(launch("--http=" + addr(busy.getLocalPort()), "--grpc", addr(FreePorts.next()),
                    "--backupPath=" + tmp.resolve("admin")));
            assertOneLine(o, "already in use");
            assertFalse(Files.exists(tmp.resolve("admin")), "a failed start leaves the backup path untouched");
        }
    }

    @Test
    void grpcPortInUseIsOneLineAndNonZeroExit() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = finish(launch("--http", addr(FreePorts.next()), "--grpc=" + addr(busy.getLocalPort()),
                    "--backupPath", tmp.resolve("admin").toString()));
            assertOneLine(o, "already in use");
        }
    }

    @Test
    void unwritableBackupPathIsOneLineAndNonZeroExit() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Outcome o = finish(launch("--http=" + addr(FreePorts.next()), "--grpc=" + addr(FreePorts.next()),
                "--backupPath=" + file.resolve("admin")));
        assertOneLine(o, "backup path");
    }

    @Test
    void badAddressAndUnknownFlagAreOneLine() throws Exception {
        assertOneLine(finish(launch("--http=nonsense")), "not host:port");
        assertOneLine(finish(launch("--grpc=localhost:99999")), "outside");
        assertOneLine(finish(launch("--bogus")), "--bogus");
        assertOneLine(finish(launch("--maxRequestBytes=lots")), "--maxRequestBytes");
        assertOneLine(finish(launch("--maxRequestBytes", "10")), "--maxRequestBytes");
        assertOneLine(finish(launch("--maxRequestBytes=" + (1L << 40))), "--maxRequestBytes");
    }

    @Test
    void groupFlagMistakesAreOneLine() throws Exception {
        String raft = addr(FreePorts.next());
        assertOneLine(finish(launch("--raft=" + raft)), "--raft and --peers go together");
        assertOneLine(finish(launch("--raft=" + raft, "--peers=" + addr(FreePorts.next()))), "own --raft address");
        assertOneLine(finish(launch("--raft=" + raft, "--peers=" + raft + ",nonsense")), "not host:port");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String taken = addr(busy.getLocalPort());
            assertOneLine(finish(launch("--http=" + addr(FreePorts.next()), "--grpc=" + addr(FreePorts.next()),
                    "--backupPath=" + tmp.resolve("g"), "--raft=" + taken, "--peers=" + taken)), "already in use");
        }
    }

    @Test
    void aBadSettingIsOneLineAndNonZeroExit() throws Exception {
        Outcome o = finish(launch(Map.of("RAVEL_RELOCATION_DELAY_MS", "later"), "--http=" + addr(FreePorts.next()),
                "--grpc=" + addr(FreePorts.next()), "--backupPath=" + tmp.resolve("admin")));
        assertOneLine(o, "ravel.relocation.delayMs");
        assertFalse(Files.exists(tmp.resolve("admin")), "a refused start leaves the backup path untouched");
    }

    @Test
    void helpLooksLikeTheSeed() throws Exception {
        Outcome o = finish(launch("--help"));
        assertEquals(0, o.exit());
        assertTrue(o.stdout().contains("Ravel Cluster Admin - Start a Ravel Cluster Admin server"), o.stdout());
        for (String flag : new String[] {"--http value", "--grpc value", "--backupPath value",
                "--maxRequestBytes value", "--help, -h"}) {
            assertTrue(o.stdout().contains(flag), o.stdout());
        }
        assertEquals(0, finish(launch("-h")).exit());
    }

    @Test
    void printsTheReadinessLineServesAndStopsOnSigterm() throws Exception {
        int http = FreePorts.next();
        int grpc = FreePorts.next();
        Process p = launch("--http=localhost:" + http, "--grpc=localhost:" + grpc,
                "--backupPath=" + tmp.resolve("state"));
        Path stdout = tmp.resolve("stdout-" + started.indexOf(p));
        Waits.until(Duration.ofSeconds(60), "the readiness line", () -> {
            if (!p.isAlive()) {
                throw new AssertionError("the admin exited with " + p.exitValue());
            }
            return readyLine(stdout) != null;
        });
        String ready = readyLine(stdout);
        assertEquals("ravel_cluster_admin ready http=localhost:" + http + " grpc=localhost:" + grpc, ready);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(Files.isDirectory(tmp.resolve("state")));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the admin");
    }
}
