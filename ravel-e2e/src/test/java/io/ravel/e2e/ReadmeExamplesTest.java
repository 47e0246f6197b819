package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's examples, as written, against a live system: every {@code $ curl ...} line is sent
 * (with the README's localhost:5000 replaced by the admin's real address) and its answer compared
 * with the line the README shows under it, and every {@code $ ravel_... --help} block is compared
 * with the real binaries' output.
 */
@Timeout(300)
class ReadmeExamplesTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern CURL = Pattern.compile(
            "^\\$ curl (?<opts>.*?)(?:-X (?<method>[A-Z]+) )?localhost:5000(?<route>/\\S*)(?: -d '(?<body>.*)')?$");
    private static final Pattern STATUS_SUFFIX = Pattern.compile("^(?<body>.*) (?<status>\\d{3})$");

    private List<String> readme;

    @BeforeAll
    void twoClustersAndTheReadme() throws IOException {
        readme = Files.readAllLines(repoRoot().resolve("README.md"), StandardCharsets.UTF_8);
        newSystem("readme");
        startAdmin("");
        // The README's /health sample shows two clusters; one replica each is enough here.
        system.startNode("leader1", true);
        system.startNode("leader2", true);
        SystemState.awaitClusters(system, 2, 1, DEADLINE);
        SystemState.awaitNoRelocation(system, DEADLINE);
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("ravel.node.jar")).getParent().getParent().getParent();
    }

    @Test
    @Order(1)
    void everyCurlExampleAnswersAsShown() {
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            if (!line.startsWith("$ curl ")) {
                continue;
            }
            Matcher m = CURL.matcher(line);
            assertTrue(m.matches(), "README line " + (i + 1) + " is a curl example this test cannot read: " + line);
            String next = i + 1 < readme.size() ? readme.get(i + 1) : "";
            String expected = next.startsWith("$ ") || next.startsWith("```") || next.isBlank() ? null : next;
            AdminHttp.Reply reply = send(m);
            checkAnswer(line, expected, reply);
            checked++;
        }
        assertTrue(checked >= 10, "the README shows its curl examples (found " + checked + ")");
    }

    private AdminHttp.Reply send(Matcher m) {
        String body = m.group("body");
        String method = m.group("method") != null ? m.group("method") : body != null ? "POST" : "GET";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + http.address() + m.group("route")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request);
    }

    private static void checkAnswer(String command, String expected, AdminHttp.Reply reply) {
        if (expected == null) {
            assertEquals(200, reply.status(), command + " -> " + reply);
            return;
        }
        int status = 200;
        Matcher withStatus = STATUS_SUFFIX.matcher(expected);
        if (withStatus.matches() && command.contains("%{http_code}")) {
            expected = withStatus.group("body");
            status = Integer.parseInt(withStatus.group("status"));
        }
        assertEquals(status, reply.status(), command + " -> " + reply);
        JsonNode want;
        try {
            want = AdminHttp.JSON.readTree(expected);
        } catch (IOException e) {
            throw new AssertionError("README answer is not JSON: " + expected, e);
        }
        assertEquals(want, reply.body(), command);
    }

    @Test
    @Order(2)
    void everyHelpBlockIsTheRealOutput() {
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            if (!line.startsWith("$ ravel_node ") && !line.startsWith("$ ravel_cluster_admin ")) {
                continue;
            }
            List<String> shown = new ArrayList<>();
            for (int j = i + 1; j < readme.size() && !readme.get(j).startsWith("```"); j++) {
                shown.add(readme.get(j));
            }
            String args = line.substring(line.indexOf(' ', 2));
            ProcessCluster.CommandResult result = line.startsWith("$ ravel_node ")
                    ? system.runNodeCommand(args) : system.runAdminCommand(args);
            assertEquals(0, result.exitCode(), line + ": " + result.output());
            assertEquals(String.join("\n", shown).strip(), result.output().strip(), line);
            checked++;
        }
        assertTrue(checked >= 3, "the README shows the usage of both commands");
    }
}
