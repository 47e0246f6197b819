package io.ravel.e2e;

import io.ravel.testkit.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A Ravel system of real processes on free loopback ports: one admin (or an admin group) and any number of replicas,
 * each started from its packaged jar with the command line a user would type. Everything it started
 * is stopped by PID in {@link #close()}.
 */
final class ProcessCluster implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(90);
    /** How long a one-shot command (ravel_node kill, --help) may run before the test fails. */
    static final Duration COMMAND_DEADLINE = Duration.ofSeconds(180);
    private static final String NODE_READY = "ravel_node ready";
    private static final String ADMIN_READY = "ravel_cluster_admin ready";

    private final Path root;
    private final String java;
    private final String nodeJar;
    private final String adminJar;
    private final Map<String, DaemonProcess> processes = new LinkedHashMap<>();
    private final AtomicInteger commands = new AtomicInteger();
    private final Map<String, Path> replicaDirs = new LinkedHashMap<>();
    private final Map<String, String> replicaGrpc = new LinkedHashMap<>();
    private String adminHttp;
    private String adminGrpc;
    private final List<String> adminHttps = new ArrayList<>();
    private Path adminBackup;

    ProcessCluster(String testName) {
        try {
            Path base = Path.of(System.getProperty("ravel.e2e.workdir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            this.root = Files.createTempDirectory(base, testName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.nodeJar = requireJar("ravel.node.jar");
        this.adminJar = requireJar("ravel.admin.jar");
    }

    private static String requireJar(String property) {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(property + " not built: " + jar + " (run mvn verify from the top)");
        }
        return Path.of(jar).toAbsolutePath().normalize().toString();
    }

    Path root() {
        return root;
    }

    String adminHttp() {
        return adminHttp;
    }

    String adminGrpc() {
        return adminGrpc;
    }

    AdminHttp http() {
        return new AdminHttp(adminHttp);
    }

    private String jvm(String jar, String extraJvmArgs) {
        return java + " -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlogback.middleware.log.disable=true "
                + extraJvmArgs + " -jar " + jar;
    }

    /** Starts the admin with the seed's flag forms; {@code jvmArgs} may set test-only system properties. */
    DaemonProcess startAdmin(String jvmArgs) {
        return startAdmin(jvmArgs, "");
    }

    /** As {@link #startAdmin(String)}, with {@code extraFlags} (such as --maxRequestBytes) after the usual ones. */
    DaemonProcess startAdmin(String jvmArgs, String extraFlags) {
        adminHttp = FreePorts.address();
        adminGrpc = FreePorts.address();
        adminBackup = root.resolve("admin");
        return launch("admin", adminCommand(jvmArgs) + extraFlags, ADMIN_READY);
    }

    private String adminCommand(String jvmArgs) {
        return jvm(adminJar, jvmArgs) + " --http=\"" + adminHttp + "\" --grpc=\"" + adminGrpc
                + "\" --backupPath=\"" + adminBackup + "\"";
    }

    /**
     * Starts an admin group of {@code size} admins ({@code admin0}, {@code admin1}, ...), each with
     * {@code --raft} and the same {@code --peers}; replicas started after it get every admin's gRPC address
     * in {@code -a}, and {@link #http()} talks to admin0.
     */
    List<String> startAdminGroup(int size, String jvmArgs) {
        List<String> https = new ArrayList<>();
        List<String> grpcs = new ArrayList<>();
        List<String> rafts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            https.add(FreePorts.address());
            grpcs.add(FreePorts.address());
            rafts.add(FreePorts.address());
        }
        adminHttp = https.get(0);
        adminGrpc = String.join(",", grpcs);
        adminHttps.clear();
        adminHttps.addAll(https);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = "admin" + i;
            String cmd = jvm(adminJar, jvmArgs) + " --http=\"" + https.get(i) + "\" --grpc=\"" + grpcs.get(i)
                    + "\" --backupPath=\"" + root.resolve(name) + "\" --raft=\"" + rafts.get(i)
                    + "\" --peers=\"" + String.join(",", rafts) + "\"";
            DaemonProcess process = new DaemonProcess(name, cmd, root.resolve("logs").resolve(name + ".log"));
            processes.put(name, process);
            process.start();
            names.add(name);
        }
        for (String name : names) {
            processes.get(name).awaitReady(ADMIN_READY, READY);
        }
        return names;
    }

    /** The HTTP address of admin {@code i} of the group started by {@link #startAdminGroup}. */
    String adminHttp(int i) {
        return adminHttps.get(i);
    }

    /**
     * Starts the admin again on the same addresses and --backupPath with {@code extraFlags} added
     * (e.g. --raft/--peers: the same system moved into an admin group).
     */
    DaemonProcess restartAdminWith(String extraFlags) {
        DaemonProcess old = processes.get("admin");
        if (old.isAlive()) {
            throw new IllegalStateException("the admin is still running");
        }
        DaemonProcess process = new DaemonProcess("admin", old.commandLine() + " " + extraFlags,
                root.resolve("logs").resolve("admin.log"));
        processes.put("admin", process);
        process.start();
        return process.awaitReady(ADMIN_READY, READY);
    }

    /** Starts the admin again with the same command line (after a crash or stop). */
    DaemonProcess restartAdmin() {
        return restart("admin");
    }

    /**
     * Starts the stopped admin again on the same addresses and backup path, with other JVM arguments
     * (test-only knobs on or off); later {@link #restartAdmin()} calls use this command line.
     */
    DaemonProcess restartAdmin(String jvmArgs) {
        if (processes.get("admin").isAlive()) {
            throw new IllegalStateException("the admin is still running");
        }
        return launch("admin", adminCommand(jvmArgs), ADMIN_READY);
    }

    /**
     * Starts a replica exactly as the seed's walkthrough does:
     * {@code ravel_node start -s="DIR" [-l=true] -r="RAFT" -g="GRPC" -a="ADMIN"}.
     */
    DaemonProcess startNode(String name, boolean leader) {
        return startNode(name, leader, "");
    }

    /** As {@link #startNode(String, boolean)}, with {@code extraFlags} after the usual ones. */
    DaemonProcess startNode(String name, boolean leader, String extraFlags) {
        Path dir = root.resolve(name);
        String grpc = FreePorts.address();
        replicaDirs.put(name, dir);
        replicaGrpc.put(name, grpc);
        String cmd = jvm(nodeJar, "") + " start -s=\"" + dir + "\"" + (leader ? " -l=true" : "")
                + " -r=\"" + FreePorts.address() + "\" -g=\"" + grpc + "\" -a=\"" + adminGrpc + "\"" + extraFlags;
        return launch(name, cmd, NODE_READY);
    }

    /**
     * The seed walkthrough's two clusters of three: leaders a1 and b1, then the replicas a2, b2, a3 and b3,
     * each placed by the admin; waits until the admin ({@link #http()}) shows two clusters of three
     * replicas with their leaders and no relocation under way.
     */
    void startTwoClustersOfThree(Duration deadline) {
        startNode("a1", true);
        startNode("b1", true);
        for (String name : List.of("a2", "b2", "a3", "b3")) {
            startNode(name, false);
        }
        SystemState.awaitClusters(this, 2, 3, deadline);
        SystemState.awaitNoRelocation(this, deadline);
    }

    DaemonProcess restart(String name) {
        processes.get(name).start();
        return restartAwaitReady(name);
    }

    /** Waits for the readiness line of a process started again with {@link DaemonProcess#start()}. */
    DaemonProcess restartAwaitReady(String name) {
        return processes.get(name).awaitReady(name.startsWith("admin") ? ADMIN_READY : NODE_READY, READY);
    }

    private DaemonProcess launch(String name, String cmd, String ready) {
        DaemonProcess process = new DaemonProcess(name, cmd, root.resolve("logs").resolve(name + ".log"));
        processes.put(name, process);
        process.start();
        return process.awaitReady(ready, READY);
    }

    DaemonProcess process(String name) {
        return processes.get(name);
    }

    Path replicaDir(String name) {
        return replicaDirs.get(name);
    }

    String grpcAddress(String name) {
        return replicaGrpc.get(name);
    }

    /** The replica whose RavelNode service listens on {@code grpcAddress}. */
    String nameOfGrpc(String grpcAddress) {
        return replicaGrpc.entrySet().stream().filter(e -> e.getValue().equals(grpcAddress))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no replica at " + grpcAddress));
    }

    List<String> replicaNames() {
        return new ArrayList<>(replicaDirs.keySet());
    }

    /** Runs {@code ravel_node kill -s="DIR"} as its own process and returns its exit code and output. */
    CommandResult killReplica(String name) {
        return runNodeCommand(" kill -s=\"" + replicaDirs.get(name) + "\"");
    }

    CommandResult runNodeCommand(String args) {
        return run(jvm(nodeJar, "") + args);
    }

    CommandResult runAdminCommand(String args) {
        return run(jvm(adminJar, "") + args);
    }

    /**
     * Runs a short-lived command to its end. Its output goes to a file, read only after the process
     * exited: reading a pipe would block until the child closes it, and the deadline would never fire.
     */
    private CommandResult run(String cmd) {
        try {
            Path output = root.resolve("logs").resolve("command-" + commands.incrementAndGet() + ".log");
            Files.createDirectories(output.getParent());
            Process p = new ProcessBuilder(List.of("bash", "-c", "exec " + cmd)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                if (!p.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("command did not finish within " + COMMAND_DEADLINE + ": " + cmd
                            + "\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            return new CommandResult(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record CommandResult(int exitCode, String output) {
    }

    /** Prints the tail of every process log; called when a test fails, so the cause is visible. */
    void dumpLogs() {
        for (DaemonProcess p : processes.values()) {
            System.err.println("----- " + p.name() + " (" + (p.isAlive() ? "alive" : "dead") + ") -----");
            System.err.println(p.tail());
        }
    }

    @Override
    public void close() {
        for (DaemonProcess p : processes.values()) {
            p.sigcont();
        }
        for (DaemonProcess p : processes.values()) {
            if (!p.name().startsWith("admin")) {
                p.sigkill();
            }
        }
        for (DaemonProcess p : processes.values()) {
            if (p.name().startsWith("admin") && !p.name().equals("admin")) {
                p.sigkill();
            }
        }
        DaemonProcess admin = processes.get("admin");
        if (admin != null) {
            admin.sigkill();
        }
        if (!Boolean.getBoolean("ravel.e2e.keep")) {
            deleteTree(root);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir under target/ is harmless
        }
    }
}
