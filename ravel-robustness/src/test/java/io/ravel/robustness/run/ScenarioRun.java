package io.ravel.robustness.run;

import io.ravel.robustness.checker.CheckResult;
import io.ravel.robustness.checker.LinearizabilityChecker;
import io.ravel.robustness.client.AdminChoice;
import io.ravel.robustness.client.KvClient;
import io.ravel.robustness.client.Workload;
import io.ravel.robustness.history.History;
import io.ravel.robustness.history.HistoryFile;
import io.ravel.robustness.history.Op;
import io.ravel.testkit.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One scenario against a running system: concurrent clients on the scenario's own keys; the fault
 * injected, held and healed (once in a short run, over and over for the duration of a long one); the
 * system waited for; every key read back; the history written to a file and checked. Fails with the
 * offending key's operations when the history is not linearizable, a write was lost, or too few
 * operations succeeded.
 */
public final class ScenarioRun {

    private static final long CHECK_BUDGET = 20_000_000;
    /** Successful operations before the first fault; with the final reads, above the floor. */
    private static final int WARM = 50;

    private final String name;
    private final RunSettings settings;
    private final Supplier<String> admin;
    private final IntFunction<AdminChoice> clientAdmins;
    private final Duration requestTimeout;
    private final Runnable awaitSettled;

    /** @param awaitSettled waits until the system is whole again (all processes up, leaders known) */
    public ScenarioRun(String name, RunSettings settings, Supplier<String> admin, Runnable awaitSettled) {
        this(name, settings, admin, id -> admin::get, KvClient.REQUEST_TIMEOUT, awaitSettled);
    }

    /**
     * @param reader         the admin of each final read
     * @param clientAdmins   the admins each client thread sends to, by client id
     * @param requestTimeout each client request's timeout (an admin paused for longer answers after it)
     */
    public ScenarioRun(String name, RunSettings settings, Supplier<String> reader, IntFunction<AdminChoice> clientAdmins,
                       Duration requestTimeout, Runnable awaitSettled) {
        this.name = name;
        this.settings = settings;
        this.admin = reader;
        this.clientAdmins = clientAdmins;
        this.requestTimeout = requestTimeout;
        this.awaitSettled = awaitSettled;
    }

    public RunStats run(Fault fault) {
        Random random = new Random(settings.seed() ^ name.hashCode());
        System.out.println("[robustness] " + name + ": seed " + settings.seed()
                + (settings.isLong() ? ", duration " + settings.duration().toSeconds() + " s" : ", short run"));
        List<String> keys = IntStream.range(0, settings.keys()).mapToObj(i -> name + "/k" + i).toList();
        History history = new History();
        List<RunStats.Window> spans = new ArrayList<>();
        long from = System.nanoTime();
        long end = from + settings.duration().toNanos();
        try (Workload workload = new Workload(history, keys, requestTimeout)) {
            workload.start(settings.clients(), 0, settings.seed() ^ name.hashCode(), clientAdmins);
            Waits.sleep(settings.warmup());
            // Load first: on a busy machine the warm-up alone may not see enough answers.
            Waits.until(Duration.ofSeconds(90), WARM + " successful operations before the first fault",
                    () -> history.ops().stream().filter(Op::succeeded).count() >= WARM);
            do {
                long start = System.nanoTime();
                fault.inject(random);
                Waits.sleep(settings.hold());
                fault.heal();
                spans.add(new RunStats.Window(fault.name(), start, System.nanoTime(), 0, 0));
                awaitSettled.run();
                Waits.sleep(settings.rest());
            } while (System.nanoTime() < end);
        }
        long to = System.nanoTime();
        awaitSettled.run();
        KvClient reader = new KvClient(KvClient.newHttpClient(), admin, ReadBack.CLIENT);
        List<Op> finals = ReadBack.readAll(reader, keys, history, Duration.ofSeconds(90));
        Path file = Path.of(System.getProperty("ravel.robustness.workdir", "target/robustness"),
                "histories", name + ".jsonl");
        HistoryFile.write(history, file);

        RunStats stats = RunStats.of(history.ops(), spans, from, to);
        CheckResult check = new LinearizabilityChecker(CHECK_BUDGET, settings.exactDeleteNotFound()).check(history);
        List<String> lost = ReadBack.lostWrites(history, finals, settings.exactDeleteNotFound());
        String line = name + ": " + stats.summary() + "; " + check.verdict() + "; history " + file;
        System.out.println("[robustness] " + line);
        report(line);

        if (!check.linearizable()) {
            throw new AssertionError(name + " (seed " + settings.seed() + "): " + check.describe());
        }
        if (!lost.isEmpty()) {
            throw new AssertionError(name + " (seed " + settings.seed() + "): acknowledged writes lost: " + lost);
        }
        if (stats.succeeded() < settings.minSucceeded()) {
            throw new AssertionError(name + ": only " + stats.succeeded() + " operations succeeded (floor "
                    + settings.minSucceeded() + ")");
        }
        if (fault.serviceExpectedDuring()) {
            for (RunStats.Window w : stats.faults()) {
                if (w.succeeded() == 0) {
                    throw new AssertionError(name + ": no operation succeeded while " + w.fault() + " lasted");
                }
            }
        }
        return stats;
    }

    private static void report(String line) {
        Path file = Path.of(System.getProperty("ravel.robustness.workdir", "target/robustness"), "report.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
