package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ravel_node kill} of a cluster's last replica prints the relocation progress while the admin
 * moves the cluster's partitions away (numbers that never go down, ending with every partition moved),
 * then its summary line; killing a replica that is not its cluster's last prints no progress.
 */
@Timeout(400)
class KillProgressTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS = 2000;
    private static final Pattern PROGRESS =
            Pattern.compile("^relocation: (\\d+)/(\\d+) partitions moved, ([\\d,]+) keys moved$", Pattern.MULTILINE);
    private static final String SUMMARY = "ravel_node kill: replica ";

    private Map<String, Long> loaded;

    @BeforeAll
    void twoLoadedClustersAndASlowRelocatingAdmin() throws Exception {
        newSystem("killprogress");
        // Test-only knob: each partition move pauses, so a relocation spans several progress polls.
        startAdmin("-Dravel.relocation.delayMs=60");
        system.startNode("a1", true);
        system.startNode("a2", false);
        SystemState.awaitClusters(system, 1, 2, DEADLINE);
        system.startNode("b1", true);
        SystemState.awaitClusters(system, 2, 0, DEADLINE, true);
        awaitEveryClusterServing(http, 2);
        loaded = KeyChecks.load(http, "k-", KEYS, DEADLINE);
    }

    @Test
    @Order(1)
    void killingAReplicaThatIsNotItsClustersLastPrintsNoProgress() {
        ProcessCluster.CommandResult result = system.killReplica("a2");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of(), progress(result.output()), result.output());
        assertTrue(result.output().contains(SUMMARY), result.output());
        assertFalse(Files.exists(system.replicaDir("a2")));
    }

    @Test
    @Order(2)
    void killingAClustersLastReplicaPrintsTheRelocationProgress() {
        ProcessCluster.CommandResult result = system.killReplica("b1");
        String output = result.output();
        assertEquals(0, result.exitCode(), output);
        assertProgressThenSummary(output);
        assertFalse(Files.exists(system.replicaDir("b1")));

        JsonNode state = SystemState.awaitClusters(system, 1, 1, DEADLINE);
        assertEquals(271, state.get("clusters").get(0).get("partitions").asInt(), state.toString());
        KeyChecks.assertAllReadBack(http, loaded, DEADLINE);
    }

    /** Waits until {@code clusters} clusters each own partitions and no relocation runs (a join's move is over). */
    static void awaitEveryClusterServing(AdminHttp http, int clusters) {
        Waits.until(DEADLINE, clusters + " clusters owning partitions, no relocation", () -> {
            JsonNode state = http.clusters();
            if (state.get("relocation").get("inProgress").asBoolean() || state.get("clusters").size() != clusters) {
                return false;
            }
            for (JsonNode c : state.get("clusters")) {
                if (c.get("partitions").asInt() == 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Asserts that the kill's output has progress lines that never go down, the last one with every
     * partition moved and some keys moved, followed by the summary line.
     */
    static void assertProgressThenSummary(String output) {
        List<long[]> lines = progress(output);
        assertFalse(lines.isEmpty(), "no progress line: " + output);
        long[] previous = {0, 0, 0};
        for (long[] line : lines) {
            assertTrue(line[0] <= line[1], "moved <= total: " + output);
            for (int i = 0; i < 3; i++) {
                assertTrue(line[i] >= previous[i], "the progress never goes down: " + output);
            }
            previous = line;
        }
        long[] last = lines.get(lines.size() - 1);
        assertEquals(last[1], last[0], "the last progress line has every partition moved: " + output);
        assertTrue(last[1] > 0 && last[1] <= 271, output);
        assertTrue(last[2] > 0, "the leaving cluster's keys moved: " + output);
        Matcher lastProgress = PROGRESS.matcher(output);
        int end = 0;
        while (lastProgress.find()) {
            end = lastProgress.end();
        }
        assertTrue(output.indexOf(SUMMARY, end) >= 0, "the summary line comes last: " + output);
    }

    /** The progress lines of a kill's output as {moved, total, keys moved}, in order. */
    static List<long[]> progress(String output) {
        List<long[]> lines = new ArrayList<>();
        Matcher m = PROGRESS.matcher(output);
        while (m.find()) {
            lines.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3).replace(",", ""))});
        }
        return lines;
    }
}
