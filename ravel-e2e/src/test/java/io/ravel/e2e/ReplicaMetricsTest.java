package io.ravel.e2e;

import com.fasterxml.jackson.databind.node.TextNode;
import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ravel_node start --metrics}: a replica process serves its Prometheus metrics on that address only. */
@Timeout(240)
class ReplicaMetricsTest extends ProcessClusterTest {

    private static final String[] NAMES = {"ravel_raft_role", "ravel_raft_term", "ravel_raft_commit_index",
        "ravel_raft_applied_index", "ravel_raft_apply_lag", "ravel_raft_snapshot_save_seconds_count",
        "ravel_raft_snapshot_install_seconds_count", "ravel_raft_log_size_bytes", "ravel_raft_log_appends_total",
        "ravel_raft_log_append_entries_mean", "ravel_rocksdb_live_data_size_bytes", "ravel_rocksdb_estimated_keys",
        "grpc_server_processing_duration_seconds_count", "ravel_raft_log_sync_seconds_count",
        "ravel_raft_log_sync_seconds_sum", "ravel_raft_log_sync_entries_count", "ravel_raft_apply_seconds_count",
        "ravel_raft_apply_seconds_sum", "ravel_raft_apply_entries_sum", "ravel_grpc_batch_operations_count"};

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String metrics;

    @BeforeAll
    void startAnAdminAndALeaderWithMetrics() {
        newSystem("metrics");
        startAdmin("");
        metrics = FreePorts.address();
        system.startNode("leader1", true, " --metrics=\"" + metrics + "\"");
    }

    @Test
    void scrapeShowsTheRaftStorageAndGrpcMetricsAndTheAppliedIndexGrows() throws Exception {
        system.http().putAcked("metrics-first", TextNode.valueOf("v"), Duration.ofSeconds(60));
        String before = scrape("/metrics", 200);
        for (String name : NAMES) {
            assertTrue(before.contains("\n" + name), "the scrape has " + name + ":\n" + before);
        }
        assertTrue(before.contains("ravel_raft_role{role=\"leader\"} 1.0"), before);
        double applied = value(before, "ravel_raft_applied_index");
        for (int i = 0; i < 5; i++) {
            system.http().putAcked("metrics-" + i, TextNode.valueOf("v" + i), Duration.ofSeconds(60));
        }
        collectGarbage(system.process("leader1").pid()); // the gauges must outlive a full GC of the replica
        String after = scrape("/metrics", 200);
        assertFalse(after.contains("ravel_raft_applied_index NaN"), after);
        assertTrue(value(after, "ravel_raft_applied_index") >= applied + 5, "applied index grew:\n" + after);
        assertTrue(after.contains("method=\"Put\"") || after.contains("method=\"Write\"") || after.contains("grpc_server_processing_duration_seconds_count{"),
                after);
        scrape("/nothing-here", 404);
    }

    @Test
    void logSyncsAppliesAndBatchSizesMoveWithWrites() throws Exception {
        system.http().putAcked("timed-first", TextNode.valueOf("v"), Duration.ofSeconds(60));
        String before = scrape("/metrics", 200);
        String batch = "{\"ops\":[{\"op\":\"put\",\"key\":\"timed-a\",\"val\":1},"
                + "{\"op\":\"put\",\"key\":\"timed-b\",\"val\":2},{\"op\":\"get\",\"key\":\"timed-a\"}]}";
        assertEquals(200, system.http().post("/batch", batch).status());
        for (int i = 0; i < 3; i++) {
            system.http().putAcked("timed-" + i, TextNode.valueOf("v" + i), Duration.ofSeconds(60));
        }
        String after = scrape("/metrics", 200);
        for (String name : new String[] {"ravel_raft_log_sync_seconds_count", "ravel_raft_log_sync_entries_sum",
            "ravel_raft_apply_seconds_count", "ravel_raft_apply_entries_sum"}) {
            assertTrue(value(after, name) >= value(before, name) + 3, name + " grew by the writes:\n" + after);
        }
        assertTrue(value(after, "ravel_raft_log_sync_seconds_sum") > value(before, "ravel_raft_log_sync_seconds_sum"), after);
        assertTrue(value(after, "ravel_raft_apply_seconds_sum") > value(before, "ravel_raft_apply_seconds_sum"), after);
        String runBatch = "ravel_grpc_batch_operations_sum\\{method=\"RunBatch\"}";
        assertTrue(value(after, runBatch) >= value(before, runBatch) + 1, "the batch's operations were counted:\n" + after);
    }

    @Test
    void aBusyOrBadMetricsAddressIsOneClearLineAndAFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String busy = "127.0.0.1:" + taken.getLocalPort();
            assertClearFailure(system.runNodeCommand(" start -s=\"" + system.root().resolve("busy") + "\" -g=\""
                    + FreePorts.address() + "\" -r=\"" + FreePorts.address() + "\" -a=\"" + system.adminGrpc()
                    + "\" -l=true --metrics=\"" + busy + "\""), "--metrics");
        }
        assertClearFailure(system.runNodeCommand(" start -s=\"" + system.root().resolve("bad") + "\" --metrics=\"nowhere\""),
                "--metrics");
    }

    private static void collectGarbage(long pid) throws Exception {
        String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private String scrape(String path, int status) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + metrics + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return "\n" + r.body();
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("\n" + name + " (\\S+)").matcher(scrape);
        assertTrue(m.find(), name + " in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    private static void assertClearFailure(ProcessCluster.CommandResult result, String mentions) {
        assertNotEquals(0, result.exitCode(), result.output());
        String out = result.output().strip();
        assertTrue(out.contains(mentions), "names " + mentions + ":\n" + out);
        assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), "no stack trace:\n" + out);
    }
}
