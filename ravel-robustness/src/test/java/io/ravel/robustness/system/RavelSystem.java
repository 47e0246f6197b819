package io.ravel.robustness.system;

import io.ravel.testkit.Waits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Ravel system of real processes: one admin and replicas, each started from its packaged jar with
 * the seed's command line, each on the {@link Host} that {@link Hosts} gives it. {@link #close()}
 * SIGKILLs everything it started, by PID, then removes the hosts.
 */
public final class RavelSystem implements AutoCloseable {

    public static final Duration READY = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Hosts hosts;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String nodeJar = jar("ravel.node.jar");
    private final String adminJar = jar("ravel.admin.jar");
    private final Map<String, Daemon> daemons = new LinkedHashMap<>();
    private final Map<String, Path> dirs = new LinkedHashMap<>();
    private final Map<String, String> grpcToName = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Runnable> cleanups = new ArrayList<>();
    private final List<String> adminHttps = new ArrayList<>();
    private String adminHttp;
    private String adminGrpc;

    public RavelSystem(String testName, Hosts hosts) {
        this.hosts = hosts;
        try {
            Path base = Path.of(System.getProperty("ravel.robustness.workdir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            this.root = Files.createTempDirectory(base, testName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jar(String property) {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(property + " not built: " + jar + " (run mvn verify from the top)");
        }
        return Path.of(jar).toAbsolutePath().normalize().toString();
    }

    public Path root() {
        return root;
    }

    /** One admin, two clusters of three: two {@code -l=true} leaders, then four placed replicas at once. */
    public RavelSystem startTwoClustersOfThree() {
        startAdmin();
        startNode("leader1", true, null).awaitReady(READY);
        startNode("leader2", true, null).awaitReady(READY);
        List<Daemon> followers = new ArrayList<>();
        for (String name : List.of("replica1", "replica2", "replica3", "replica4")) {
            followers.add(startNode(name, false, null));
        }
        followers.forEach(d -> d.awaitReady(READY));
        awaitSettled(2, 3, READY);
        return this;
    }

    /**
     * An admin group and two clusters of three, the replicas given every admin's gRPC address:
     * {@link #startAdminGroup}, then as {@link #startTwoClustersOfThree()}.
     */
    public RavelSystem startAdminGroupAndTwoClustersOfThree(int admins, String adminJvmArgs) {
        startAdminGroup(admins, adminJvmArgs);
        awaitAdminLeader(READY);
        startNode("leader1", true, null).awaitReady(READY);
        startNode("leader2", true, null).awaitReady(READY);
        // The second cluster's half of the partitions moves while both clusters are single replicas:
        // their fences commit without a network round trip, and the replicas then join a settled system.
        awaitGroupSettled(2, 1, READY, List.of());
        List<Daemon> followers = new ArrayList<>();
        for (String name : List.of("replica1", "replica2", "replica3", "replica4")) {
            followers.add(startNode(name, false, null));
        }
        followers.forEach(d -> d.awaitReady(READY));
        awaitGroupSettled(2, 3, READY, List.of());
        return this;
    }

    /**
     * Starts {@code size} admins {@code admin0..}, each with
     * {@code --http --grpc --backupPath --raft=RAFT_i --peers=RAFT_0,..,RAFT_n-1} and {@code jvmArgs}
     * (test-only knobs such as {@code -Dravel.relocation.delayMs=N}), and waits for each one's
     * readiness line. Replicas started afterwards get {@code -a=GRPC_0,..,GRPC_n-1}.
     */
    public List<Daemon> startAdminGroup(int size, String jvmArgs) {
        List<String> https = new ArrayList<>();
        List<String> grpcs = new ArrayList<>();
        List<String> rafts = new ArrayList<>();
        List<Host> where = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Host host = hosts.host(adminName(i));
            where.add(host);
            https.add(host.ip() + ":" + FreePorts.next());
            grpcs.add(host.ip() + ":" + FreePorts.next());
            rafts.add(host.ip() + ":" + FreePorts.next());
        }
        adminHttps.clear();
        adminHttps.addAll(https);
        adminHttp = https.get(0);
        adminGrpc = String.join(",", grpcs);
        List<Daemon> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String cmd = jvm(adminJar, jvmArgs) + " --http=\"" + https.get(i) + "\" --grpc=\"" + grpcs.get(i)
                    + "\" --backupPath=\"" + root.resolve(adminName(i)) + "\" --raft=\"" + rafts.get(i)
                    + "\" --peers=\"" + String.join(",", rafts) + "\"";
            started.add(launch(adminName(i), where.get(i), cmd, "ravel_cluster_admin ready"));
        }
        started.forEach(d -> d.awaitReady(READY));
        return started;
    }

    /** The daemon name of admin {@code i} of a group. */
    public static String adminName(int i) {
        return "admin" + i;
    }

    /** The HTTP addresses of the admin group, in --peers order (one entry for a single admin). */
    public List<String> adminHttps() {
        return adminHttps.isEmpty() ? List.of(adminHttp) : List.copyOf(adminHttps);
    }

    /** {@code GET /health} of admin {@code i}: its "role", or null when it does not answer within 2 s. */
    public String adminRole(int i) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + adminHttps.get(i) + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("role").asText(null) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until exactly one admin of the group says it is the leader (the others answering follower or not at all). */
    public int awaitAdminLeader(Duration deadline) {
        int[] leader = {-1};
        Waits.until(deadline, "exactly one admin leader", () -> {
            leader[0] = -1;
            int count = 0;
            for (int i = 0; i < adminHttps.size(); i++) {
                if ("leader".equals(adminRole(i))) {
                    leader[0] = i;
                    count++;
                }
            }
            return count == 1;
        });
        return leader[0];
    }

    /**
     * Waits until every daemon started is running, one admin is the leader and every admin not in
     * {@code skip} (paused ones, say) sees the given shape, leaders known, no relocation running.
     */
    public void awaitGroupSettled(int clusters, int replicas, Duration deadline, List<Integer> skip) {
        Waits.until(deadline, clusters + " clusters of " + replicas + " replicas with leaders on every admin but "
                + skip + ", one admin leader, all processes up", () -> {
            for (Daemon d : daemons.values()) {
                if (!d.isAlive()) {
                    throw new AssertionError(d.name() + " is not running:\n" + d.tail(3000));
                }
            }
            int leaders = 0;
            for (int i = 0; i < adminHttps.size(); i++) {
                if (skip.contains(i)) {
                    continue;
                }
                String role = adminRole(i);
                if (role == null) {
                    return false;
                }
                leaders += role.equals("leader") ? 1 : 0;
                if (!topology(i).settled(clusters, replicas)) {
                    return false;
                }
            }
            return leaders == 1;
        });
    }

    /** Waits until every admin not in {@code skip} sees the relocation to {@code replica}'s cluster over. */
    public void awaitRelocatedTo(String replica, Duration deadline, List<Integer> skip) {
        Waits.until(deadline, "the relocation to the cluster of " + replica + " to be over on every admin but " + skip, () -> {
            for (int i = 0; i < adminHttps.size(); i++) {
                if (!skip.contains(i) && !topology(i).relocatedTo(replica)) {
                    return false;
                }
            }
            return true;
        });
    }

    public Daemon startAdmin() {
        Host host = hosts.host("admin");
        adminHttp = host.ip() + ":" + FreePorts.next();
        adminGrpc = host.ip() + ":" + FreePorts.next();
        String cmd = jvm(adminJar) + " --http=\"" + adminHttp + "\" --grpc=\"" + adminGrpc
                + "\" --backupPath=\"" + root.resolve("admin") + "\"";
        return launch("admin", host, cmd, "ravel_cluster_admin ready").awaitReady(READY);
    }

    /**
     * Starts a replica with {@code ravel_node start -s="DIR" [-l=true] -r="RAFT" -g="GRPC" -a="ADMIN"};
     * {@code dir} null means a fresh dir under the system's root. Returns without waiting for it.
     */
    public Daemon startNode(String name, boolean leader, Path dir) {
        Host host = hosts.host(name);
        Path storage = dir != null ? dir : root.resolve(name);
        String grpc = host.ip() + ":" + FreePorts.next();
        dirs.put(name, storage);
        grpcToName.put(grpc, name);
        String cmd = jvm(nodeJar) + " start -s=\"" + storage + "\"" + (leader ? " -l=true" : "")
                + " -r=\"" + host.ip() + ":" + FreePorts.next() + "\" -g=\"" + grpc + "\" -a=\"" + adminGrpc + "\"";
        return launch(name, host, cmd, "ravel_node ready");
    }

    private String jvm(String jar) {
        return jvm(jar, "");
    }

    private String jvm(String jar, String extraArgs) {
        return java + " -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlogback.middleware.log.disable=true "
                + (extraArgs.isBlank() ? "" : extraArgs.strip() + " ") + "-jar " + jar;
    }

    private Daemon launch(String name, Host host, String cmd, String ready) {
        Daemon d = new Daemon(name, host.prefix(), cmd, root.resolve("logs").resolve(name + ".log"), ready);
        daemons.put(name, d);
        return d.start();
    }

    /** Starts a stopped daemon again with its own command line and waits until it is ready. */
    public Daemon restart(String name) {
        return daemons.get(name).start().awaitReady(READY);
    }

    /** {@code ravel_node kill -s="DIR"}, run on the replica's host; its exit code and output. */
    public Shell.Result killReplica(String name) {
        List<String> argv = new ArrayList<>(hosts.host(name).prefix());
        argv.addAll(List.of("bash", "-c", "exec " + jvm(nodeJar) + " kill -s=\"" + dirs.get(name) + "\""));
        Shell.Result r = Shell.run(argv);
        daemons.get(name).sigkill();
        daemons.remove(name);
        return r;
    }

    /** The gRPC address of replica {@code name}. */
    public String grpcOf(String name) {
        return grpcToName.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no replica " + name));
    }

    public Daemon daemon(String name) {
        return daemons.get(name);
    }

    public Path dir(String name) {
        return dirs.get(name);
    }

    public String adminHttp() {
        return adminHttp;
    }

    public Topology topology() {
        return topology(adminHttp);
    }

    /** The view of admin {@code i} of the group, from its own copy of the admin state. */
    public Topology topology(int i) {
        return topology(adminHttps.get(i));
    }

    private Topology topology(String admin) {
        return Topology.parse(clusters(admin), g -> grpcToName.getOrDefault(g, g));
    }

    /** The "relocation" object of admin {@code i}'s {@code GET /clusters}: inProgress, partitionsMoved, partitionsTotal. */
    public JsonNode relocation(int i) {
        return clusters(adminHttps.get(i)).get("relocation");
    }

    private JsonNode clusters(String admin) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + admin + "/clusters"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every daemon started is running and the admin sees the given shape, leaders known. */
    public Topology awaitSettled(int clusters, int replicas, Duration deadline) {
        Topology[] seen = new Topology[1];
        Waits.until(deadline, clusters + " clusters of " + replicas + " replicas with leaders, all processes up", () -> {
            for (Daemon d : daemons.values()) {
                if (!d.isAlive()) {
                    throw new AssertionError(d.name() + " is not running:\n" + d.tail(3000));
                }
            }
            seen[0] = topology();
            return seen[0].settled(clusters, replicas);
        });
        return seen[0];
    }

    /** The tail of every daemon's log, for a failed test. */
    public String logs() {
        StringBuilder s = new StringBuilder();
        for (Daemon d : daemons.values()) {
            s.append("----- ").append(d.name()).append(d.isAlive() ? " (alive)" : " (dead)").append(" -----\n")
                    .append(d.tail(4000)).append('\n');
        }
        return s.toString();
    }

    /** Runs {@code cleanup} on close, after every process is gone (e.g. unmounting a replica's dir). */
    public void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @Override
    public void close() {
        daemons.values().stream().filter(d -> !d.name().equals("admin")).forEach(Daemon::sigkill);
        if (daemons.containsKey("admin")) {
            daemons.get("admin").sigkill();
        }
        cleanups.forEach(Runnable::run);
        hosts.close();
        if (!Boolean.getBoolean("ravel.robustness.keep")) {
            deleteTree(root);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover under target/ is harmless
        }
    }
}
