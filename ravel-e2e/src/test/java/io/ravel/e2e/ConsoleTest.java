package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console at GET /ui, in headless Chromium against 1 admin and 2 clusters of 3 replicas: it shows both
 * clusters and all six replicas up, a follower killed with SIGKILL turns unreachable within 10 s, and
 * up again once restarted.
 * Skipped where /usr/bin/chromium or /usr/bin/chromedriver (or the system properties
 * {@code ravel.chromium} and {@code ravel.chromedriver}) is missing. With the system property
 * {@code ravel.console.screenshot} set to a file, the page is saved there as a PNG.
 */
@Timeout(300)
class ConsoleTest extends ProcessClusterTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("ravel.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("ravel.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Duration UNREACHABLE_WITHIN = Duration.ofSeconds(10);

    private ChromeDriverService service;
    private ChromeDriver browser;
    private Path profile;
    private String killed;

    @BeforeAll
    void aBrowserOnTheConsoleOfTwoClustersOfThree() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String why = "ConsoleTest skipped: it needs headless Chromium (" + CHROMIUM + ") and " + CHROMEDRIVER
                + "; on Debian: apt-get install chromium chromium-driver";
        if (!installed) {
            System.err.println(why); // surefire does not print the reason of a class skipped in @BeforeAll
        }
        assumeTrue(installed, why);
        newSystem("console");
        startAdmin("");
        system.startTwoClustersOfThree(DEADLINE);
        for (int i = 0; i < 20; i++) {
            http.putAcked("console-" + i, TextNode.valueOf("v" + i), DEADLINE);
        }
        profile = Files.createTempDirectory(system.root(), "chromium-profile-");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(system.root().resolve("logs").resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        browser.get("http://" + system.adminHttp() + "/ui");
    }

    @Test
    @Order(1)
    void showsBothClustersAndSixReplicasUp() throws IOException {
        awaitPage(DEADLINE, "two clusters and six replicas up", () ->
                browser.findElements(By.cssSelector("section.cluster")).size() == 2
                        && browser.findElements(By.cssSelector("tr.replica[data-state='up']")).size() == 6
                        && browser.findElements(By.cssSelector("tr.replica[data-leader='true']")).size() == 2);
        for (JsonNode c : http.clusters().get("clusters")) {
            assertEquals(1, browser.findElements(By.cssSelector("section.cluster[data-cluster-id='" + c.get("id").asText() + "']")).size());
            assertTrue(c.get("estimatedKeys").isIntegralNumber(), c.toString());
            for (JsonNode r : c.get("replicas")) {
                assertTrue(r.get("reachable").asBoolean(), r.toString());
                assertTrue(r.get("estimatedKeys").asLong() >= 0, r.toString());
            }
        }
        awaitPage(DEADLINE, "request rates of /put", () ->
                !browser.findElements(By.cssSelector("#rates tr[data-route='/put']")).isEmpty());
        String screenshot = System.getProperty("ravel.console.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos(); // traffic over a few refreshes
            for (int i = 0; System.nanoTime() < until; i++) {
                http.putAcked("shown-" + i, TextNode.valueOf("v" + i), DEADLINE);
                http.read("shown-" + (i + 1)); // a 404: an error rate to show
            }
            Files.write(Path.of(screenshot), browser.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    @Order(2)
    void aFollowerKilledWithSigkillIsShownUnreachable() throws Exception {
        JsonNode cluster = http.clusters().get("clusters").get(0);
        String leader = cluster.get("leader").get("id").asText();
        JsonNode follower = null;
        for (JsonNode r : cluster.get("replicas")) {
            if (!r.get("id").asText().equals(leader)) {
                follower = r;
            }
        }
        assertNotNull(follower, "the cluster has a follower: " + cluster);
        String name = system.nameOfGrpc(follower.get("grpcAddress").asText());
        killed = name;
        long pid = system.process(name).pid();
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor());
        system.process(name).sigkill(); // waits until it is gone
        String row = "tr.replica[data-replica-id='" + follower.get("id").asText() + "']";
        awaitPage(UNREACHABLE_WITHIN, name + " shown unreachable", () ->
                browser.findElements(By.cssSelector(row + "[data-state='unreachable']")).size() == 1);
        assertEquals(5, browser.findElements(By.cssSelector("tr.replica[data-state='up']")).size());
        for (JsonNode r : http.clusters().get("clusters").get(0).get("replicas")) {
            if (r.get("id").equals(follower.get("id"))) {
                assertFalse(r.get("reachable").asBoolean(), r.toString());
                assertTrue(r.get("estimatedKeys").isNull(), r.toString());
            }
        }
    }

    @Test
    @Order(3)
    void theFollowerRestartedIsShownUpAgain() {
        system.restart(killed);
        awaitPage(DEADLINE, killed + " shown up again", () ->
                browser.findElements(By.cssSelector("tr.replica[data-state='up']")).size() == 6);
    }

    private void awaitPage(Duration within, String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, within, Duration.ofMillis(200)).withMessage(what)
                .until(d -> condition.getAsBoolean());
    }

    @AfterAll
    void quitTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            String marker = profile.toString();
            Waits.until(Duration.ofSeconds(30), "chromium and chromedriver to exit", () ->
                    ProcessHandle.current().descendants().noneMatch(p -> p.isAlive() && p.info().commandLine()
                            .map(c -> c.contains("chromedriver") || c.contains(marker)).orElse(false)));
        }
    }
}
