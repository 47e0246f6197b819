package io.ravel.admin.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ravel.admin.AdminConfig;
import io.ravel.admin.AdminServer;
import io.ravel.admin.group.GroupConfig;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.testkit.FreePorts;
import io.ravel.common.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A --backupPath written by the single admin of Ravel 0.1 (the fixture under src/test/resources/fixtures)
 * opens with today's code: as a single admin, and as the first state of a new admin group.
 */
@Timeout(60)
class OldBackupPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "d34e4894-0fe3-4f25-8374-d789688892dc";
    private static final String B = "bd6cc226-75e5-4ca5-ad8a-a4b8035f01d2";

    @TempDir
    Path tmp;

    private Path copyOfFixture() throws Exception {
        Path from = Path.of(OldBackupPathTest.class.getResource("/fixtures/single-admin-v0.1/state").toURI());
        Path backup = tmp.resolve("backup");
        Files.createDirectories(backup.resolve("state"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, backup.resolve("state").resolve(f.getFileName()));
            }
        }
        return backup;
    }

    private static JsonNode clusters(AdminServer a) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + a.httpAddress() + "/clusters")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    private static void assertFixture(JsonNode body) {
        Map<String, Integer> partitions = new HashMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        for (JsonNode c : body.path("clusters")) {
            partitions.put(c.path("id").asText(), c.path("partitions").asInt());
            replicas.put(c.path("id").asText(), c.path("replicas").size());
        }
        assertEquals(Map.of(A, 155, B, 116), partitions, body.toString());
        assertEquals(Map.of(A, 1, B, 2), replicas, body.toString());
        assertEquals(120, body.path("relocation").path("partitionsTotal").asInt());
        assertEquals(4242, body.path("relocation").path("keysMoved").asInt());
    }

    private static AdminConfig config(Path backup, GroupConfig group) {
        return new AdminConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), backup,
                new RelocationSettings(Duration.ZERO, 512), group);
    }

    @Test
    void aSingleAdminServesTheOldState() throws Exception {
        try (AdminServer admin = new AdminServer(config(copyOfFixture(), null)).start()) {
            assertFixture(clusters(admin));
        }
    }

    @Test
    void anAdminGroupStartsFromTheOldState() throws Exception {
        Path backup = copyOfFixture();
        HostPort raft = new HostPort("127.0.0.1", FreePorts.next());
        try (AdminServer admin = new AdminServer(config(backup, new GroupConfig(raft, List.of(raft)))).start()) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (clusters(admin).path("clusters").size() < 2 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertFixture(clusters(admin));
        }
        assertFalse(Files.exists(backup.resolve("state")), "the old store is moved aside once in the group");
        assertTrue(Files.isDirectory(backup.resolve("state.moved-to-group")));
        // Restarted, the group's own log holds the state.
        try (AdminServer admin = new AdminServer(config(backup, new GroupConfig(raft, List.of(raft)))).start()) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (clusters(admin).path("clusters").size() < 2 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertFixture(clusters(admin));
        }
    }
}
