package io.ravel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ravel.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A stale router. One follower of a group of three admins is paused (SIGSTOP) while a second cluster
 * joins and relocation moves about half the partitions to it; then every key is overwritten (v1 to v2)
 * and a few are deleted through the admin leader. Requests for keys of the moved partitions are sent to
 * the paused admin: they wait in the kernel (its accept queue) until it is resumed (SIGCONT), so the
 * first requests it serves after the pause find in its own copy of the owner table the owners from
 * before the moves. Each must be answered as a fresh admin answers it (the old owner refuses a partition
 * it no longer owns, and the admin refreshes its table and retries on the new owner): a GET reads v2, or
 * 404 for a deleted key, never v1 nor a 404 for a live key; a PUT of v3 lands on the new owner and reads
 * back through every admin; a DELETE deletes the key on the new owner; no answer is a 5xx. Afterwards
 * every live key is on exactly one cluster and no deleted key on any, as the replicas themselves say.
 *
 * <p>The paused admin measures its request deadline from when it reads a request, so the time a request
 * waited in the accept queue (well under the client's 30 s) costs it nothing: no 503 is allowed.
 */
@Timeout(600)
class StaleRouterTest extends ProcessClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int KEYS = 400;
    /**
     * Requests waiting in the paused admin's accept queue when it is resumed: the first one of each client
     * thread, each on a connection of its own. Well within the accept queue of the admin's HTTP listener
     * (Jetty's default: the JVM's backlog of 50); the threads' later requests follow as soon as it answers.
     */
    private static final int QUEUED = 24;
    /** Values are {@code version * VERSION + key index}: which of v1, v2, v3 a read returned is visible. */
    private static final long VERSION = 1_000_000;

    private final List<AdminHttp> admins = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private int paused = -1;
    private AdminHttp leader;
    /** What every live key must read after the paused admin's requests; and the keys that must be gone. */
    private final Map<String, Long> expected = new LinkedHashMap<>();
    private final Set<String> deleted = new LinkedHashSet<>();
    private List<Answer> answers;

    /** One request sent to the paused admin and the answer a fresh admin gives it. */
    record Request(String op, String key, int status, Long value) {
        @Override
        public String toString() {
            return op + " " + key;
        }
    }

    /** {@code queued}: the request waited in the paused admin's accept queue (its thread's first). */
    record Answer(Request request, boolean queued, AdminHttp.Reply reply, RuntimeException failure) {
    }

    @BeforeAll
    void threeAdminsAndOneLoadedClusterOfThree() throws Exception {
        newSystem("stale-router");
        system.startAdminGroup(3, "");
        for (int i = 0; i < 3; i++) {
            admins.add(new AdminHttp(system.adminHttp(i)));
        }
        http = admins.get(0);
        system.startNode("a1", true);
        system.startNode("a2", false);
        system.startNode("a3", false);
        SystemState.awaitClusters(system, 1, 3, DEADLINE);
        for (int i = 0; i < KEYS; i++) {
            keys.add("k-" + i);
        }
        for (int a = 0; a < 3; a++) {
            Map<String, Long> third = new LinkedHashMap<>();
            for (int i = a; i < KEYS; i += 3) {
                third.put(keys.get(i), value(1, keys.get(i)));
            }
            KeyChecks.putAll(admins.get(a), third, DEADLINE);
        }
    }

    @AfterAll
    void resumeThePausedAdmin() {
        if (system != null && paused >= 0) {
            system.process("admin" + paused).sigcont();
        }
    }

    @Test
    @Order(1)
    void aPausedAdminAnswersItsFirstRequestsOnMovedPartitionsLikeAFreshOne() throws Exception {
        int leaderIndex = SystemState.adminLeader(system, admins, DEADLINE);
        leader = admins.get(leaderIndex);
        paused = (leaderIndex + 1) % 3;
        assertEquals("follower", admins.get(paused).get("/health").body().get("role").asText());
        Map<String, List<String>> before = KeyChecks.holders(leader, keys, DEADLINE);
        DaemonProcess pausedAdmin = system.process("admin" + paused);
        List<Request> requests;
        pausedAdmin.sigstop();
        try {
            List<String> moved = moveHalfThePartitionsAndRewriteThroughTheLeader(before);
            requests = plan(moved);
            answers = sendWhilePaused(pausedAdmin, requests);
        } finally {
            pausedAdmin.sigcont();
        }
        List<String> violations = new ArrayList<>();
        int queuedWrong = 0;
        for (Answer a : answers) {
            String wrong = wrongAnswer(a);
            if (wrong != null) {
                violations.add((a.queued() ? "(queued) " : "") + wrong);
                queuedWrong += a.queued() ? 1 : 0;
            }
        }
        violations.sort(Comparator.comparing(v -> !v.startsWith("(queued)")));
        assertTrue(violations.isEmpty(), violations.size() + " of " + answers.size() + " requests to the paused admin"
                + " (admin" + paused + "; " + queuedWrong + " of the " + QUEUED + " queued before it was resumed)"
                + " were answered unlike on a fresh admin:\n  "
                + String.join("\n  ", violations.subList(0, Math.min(40, violations.size()))));
        String metrics = admins.get(paused).get("/metrics").raw();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ravel_routing_wrong_owner_total ")
                && Double.parseDouble(l.substring(l.indexOf(' ') + 1)) > 0), "the paused admin's requests were refused"
                + " by the old owners' fences and routed again, as its /metrics must count:\n" + metrics);
    }

    @Test
    @Order(2)
    void everyKeyReadsBackThroughEveryAdmin() {
        assumeTrue(answers != null, "the paused admin's requests were not sent");
        assertEveryKeyReadsBackThroughEveryAdmin();
    }

    private void assertEveryKeyReadsBackThroughEveryAdmin() {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < admins.size(); i++) {
            AdminHttp admin = admins.get(i);
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                AdminHttp.Reply r = KeyChecks.readWhenServed(admin, e.getKey(), DEADLINE);
                if (r.status() != 200 || r.body().get("val").asLong() != e.getValue()) {
                    wrong.add("admin" + i + ": " + e.getKey() + " answered " + describe(r) + ", expected "
                            + name(e.getValue()));
                }
            }
            for (String key : deleted) {
                AdminHttp.Reply r = KeyChecks.readWhenServed(admin, key, DEADLINE);
                if (r.status() != 404) {
                    wrong.add("admin" + i + ": deleted " + key + " answered " + describe(r));
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " reads differ from what was acknowledged:\n  "
                + String.join("\n  ", wrong.subList(0, Math.min(40, wrong.size()))));
    }

    @Test
    @Order(3)
    void everyLiveKeyIsOnExactlyOneClusterAndNoDeletedKeyOnAny() {
        assumeTrue(answers != null, "the paused admin's requests were not sent");
        assertEveryLiveKeyOnExactlyOneClusterAndNoDeletedKeyOnAny();
    }

    private void assertEveryLiveKeyOnExactlyOneClusterAndNoDeletedKeyOnAny() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : KeyChecks.holders(leader, keys, DEADLINE).entrySet()) {
            int want = deleted.contains(e.getKey()) ? 0 : 1;
            if (e.getValue().size() != want) {
                wrong.add(e.getKey() + (want == 0 ? " (deleted)" : "") + " is held by " + e.getValue());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " keys are on the wrong number of clusters:\n  "
                + String.join("\n  ", wrong.subList(0, Math.min(40, wrong.size()))));
    }

    /**
     * The batch and scan routes of a stale admin: the same follower is paused again while a third
     * cluster joins and takes its share of the partitions; a batch (a get of every key that moved, a
     * put of some) and a scan of every key wait in the paused admin's accept queue until it is resumed.
     * The batch answers every get as a fresh admin does and applies its puts on the new owners; the
     * scan lists exactly the live keys with their values (a key the batch put may show either value,
     * since the two run concurrently). Then everything reads back and sits on one cluster, as before.
     */
    @Test
    @Order(4)
    void aPausedAdminsBatchAndScanOnMovedPartitionsAreAnsweredAsByAFreshOne() throws Exception {
        assumeTrue(answers != null, "the paused admin's first requests were not sent");
        Map<String, List<String>> before = KeyChecks.holders(leader, keys, DEADLINE);
        DaemonProcess pausedAdmin = system.process("admin" + paused);
        AdminHttp.Reply batch;
        AdminHttp.Reply scan;
        List<String> moved = new ArrayList<>();
        Map<String, Long> putByBatch = new LinkedHashMap<>();
        pausedAdmin.sigstop();
        try {
            system.startNode("c1", true);
            system.startNode("c2", false);
            system.startNode("c3", false);
            SystemState.awaitClusters(leader, 3, 3, DEADLINE, false);
            SystemState.awaitNoRelocation(leader, DEADLINE);
            Map<String, List<String>> after = KeyChecks.holders(leader, keys, DEADLINE);
            for (String key : keys) {
                if (!after.get(key).equals(before.get(key))) {
                    moved.add(key);
                }
            }
            assertTrue(!moved.isEmpty(), "no key moved to the third cluster");
            StringBuilder ops = new StringBuilder();
            for (int j = 0; j < moved.size(); j++) {
                String key = moved.get(j);
                ops.append(ops.length() == 0 ? "" : ",").append("{\"op\":\"get\",\"key\":\"").append(key).append("\"}");
                if (j % 5 == 0 && expected.containsKey(key)) {
                    putByBatch.put(key, value(4, key));
                    ops.append(",{\"op\":\"put\",\"key\":\"").append(key).append("\",\"val\":")
                            .append(value(4, key)).append('}');
                }
            }
            AdminHttp client = AdminHttp.withOwnConnections(system.adminHttp(paused));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<AdminHttp.Reply> batchReply = pool.submit(() -> client.post("/batch", "{\"ops\":[" + ops + "]}"));
                Future<AdminHttp.Reply> scanReply = pool.submit(() -> client.post("/scan", "{\"prefix\":\"k-\",\"limit\":1000}"));
                String address = system.adminHttp(paused);
                int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                Waits.until(DEADLINE, "2 connections waiting for the paused admin",
                        () -> ListeningSockets.acceptQueue(pausedAdmin.pid(), port) >= 2);
                pausedAdmin.sigcont();
                batch = batchReply.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                scan = scanReply.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            pausedAdmin.sigcont();
        }

        List<String> wrong = new ArrayList<>();
        assertEquals(200, batch.status(), "batch: " + batch);
        int n = 0;
        for (int j = 0; j < moved.size(); j++) {
            String key = moved.get(j);
            JsonNode r = batch.body().get("results").get(n++);
            Long want = expected.get(key);
            if (want == null ? !r.has("status") || r.get("status").asInt() != 404
                    : !r.has("val") || r.get("val").asLong() != want) {
                wrong.add("batch get " + key + " answered " + r + ", a fresh admin answers "
                        + (want == null ? "404" : name(want)));
            }
            if (putByBatch.containsKey(key)) {
                JsonNode put = batch.body().get("results").get(n++);
                if (!put.has("msg")) {
                    wrong.add("batch put " + key + " answered " + put);
                }
            }
        }
        assertEquals(200, scan.status(), "scan: " + scan);
        Map<String, Long> listed = new LinkedHashMap<>();
        scan.body().get("items").forEach(item -> listed.put(item.get("key").asText(), item.get("val").asLong()));
        if (!listed.keySet().equals(expected.keySet())) {
            Set<String> extra = new LinkedHashSet<>(listed.keySet());
            extra.removeAll(expected.keySet());
            Set<String> missing = new LinkedHashSet<>(expected.keySet());
            missing.removeAll(listed.keySet());
            wrong.add("scan listed " + listed.size() + " keys, " + expected.size() + " live: extra " + extra
                    + ", missing " + missing);
        }
        for (Map.Entry<String, Long> e : listed.entrySet()) {
            Long want = expected.get(e.getKey());
            if (want != null && e.getValue().longValue() != want && !e.getValue().equals(putByBatch.get(e.getKey()))) {
                wrong.add("scan listed " + e.getKey() + " as " + name(e.getValue()) + ", expected " + name(want));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " answers of the paused admin's batch and scan differ from a"
                + " fresh admin's:\n  " + String.join("\n  ", wrong.subList(0, Math.min(40, wrong.size()))));
        expected.putAll(putByBatch);
        assertEveryKeyReadsBackThroughEveryAdmin();
        assertEveryLiveKeyOnExactlyOneClusterAndNoDeletedKeyOnAny();
    }

    /**
     * With the paused admin stopped: a second cluster of three joins, relocation moves partitions to it
     * (awaited through the admin leader), every key is overwritten with v2 and a few are deleted through
     * the leader. Returns the keys whose cluster changed, as the replicas say.
     */
    private List<String> moveHalfThePartitionsAndRewriteThroughTheLeader(Map<String, List<String>> before)
            throws Exception {
        system.startNode("b1", true);
        system.startNode("b2", false);
        system.startNode("b3", false);
        SystemState.awaitClusters(leader, 2, 3, DEADLINE, false);
        SystemState.awaitNoRelocation(leader, DEADLINE);
        Map<String, List<String>> after = KeyChecks.holders(leader, keys, DEADLINE);
        List<String> moved = new ArrayList<>();
        List<String> stayed = new ArrayList<>();
        for (String key : keys) {
            assertEquals(1, after.get(key).size(), key + " after the relocation is held by " + after.get(key));
            (after.get(key).equals(before.get(key)) ? stayed : moved).add(key);
        }
        assertTrue(moved.size() >= KEYS / 4 && !stayed.isEmpty(), moved.size() + " of " + KEYS + " keys moved");

        Map<String, Long> v2 = new LinkedHashMap<>();
        for (String key : keys) {
            v2.put(key, value(2, key));
        }
        KeyChecks.putAll(leader, v2, DEADLINE);
        expected.putAll(v2);
        List<String> deleteNow = new ArrayList<>(stayed.subList(0, Math.min(5, stayed.size())));
        for (int j = 0; j < moved.size(); j += 10) {
            deleteNow.add(moved.get(j));
        }
        for (String key : deleteNow) {
            AdminHttp.Reply r = Waits.retry(DEADLINE, "delete " + key + " through the leader", () -> {
                AdminHttp.Reply reply = leader.delete(key);
                if (reply.status() == 503) {
                    throw new IllegalStateException(reply.toString());
                }
                return reply;
            });
            assertEquals(200, r.status(), "delete " + key + ": " + r);
            expected.remove(key);
            deleted.add(key);
        }
        return moved;
    }

    /**
     * One request per moved key, each with the answer a fresh admin gives it: of the live keys, half are
     * read (v2), a quarter written (v3), a quarter deleted; of the keys deleted through the leader, half
     * are read and half deleted again (404 both).
     */
    private List<Request> plan(List<String> moved) {
        List<Request> requests = new ArrayList<>();
        for (int j = 0; j < moved.size(); j++) {
            String key = moved.get(j);
            if (deleted.contains(key)) {
                requests.add(new Request((j / 10) % 2 == 0 ? "GET" : "DELETE", key, 404, null));
                continue;
            }
            switch (j % 4) {
                case 0, 1 -> requests.add(new Request("GET", key, 200, value(2, key)));
                case 2 -> {
                    requests.add(new Request("PUT", key, 200, value(3, key)));
                    expected.put(key, value(3, key));
                }
                default -> {
                    requests.add(new Request("DELETE", key, 200, null));
                    expected.remove(key);
                    deleted.add(key);
                }
            }
        }
        return requests;
    }

    /**
     * Sends the requests to the paused admin from {@link #QUEUED} threads (request i on thread i mod
     * QUEUED, in order), waits until every thread's first request is in the admin's accept queue, resumes
     * the admin and collects every answer.
     */
    private List<Answer> sendWhilePaused(DaemonProcess pausedAdmin, List<Request> requests) throws Exception {
        String address = system.adminHttp(paused);
        AdminHttp client = AdminHttp.withOwnConnections(address);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        ExecutorService pool = Executors.newFixedThreadPool(QUEUED);
        try {
            List<Future<List<Answer>>> threads = new ArrayList<>();
            for (int t = 0; t < QUEUED; t++) {
                int first = t;
                threads.add(pool.submit(() -> {
                    List<Answer> mine = new ArrayList<>();
                    for (int i = first; i < requests.size(); i += QUEUED) {
                        mine.add(send(client, requests.get(i), i == first));
                    }
                    return mine;
                }));
            }
            Waits.until(DEADLINE, QUEUED + " connections waiting for the paused admin",
                    () -> ListeningSockets.acceptQueue(pausedAdmin.pid(), port) >= QUEUED);
            pausedAdmin.sigcont();
            List<Answer> all = new ArrayList<>();
            for (Future<List<Answer>> f : threads) {
                all.addAll(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Answer send(AdminHttp client, Request request, boolean queued) {
        try {
            AdminHttp.Reply reply = switch (request.op()) {
                case "GET" -> client.read(request.key());
                case "PUT" -> client.put(request.key(), JsonNodeFactory.instance.numberNode(request.value()));
                default -> client.delete(request.key());
            };
            return new Answer(request, queued, reply, null);
        } catch (RuntimeException e) {
            return new Answer(request, queued, null, e);
        }
    }

    /** Null if the paused admin answered as a fresh admin does; else what it answered instead. */
    private static String wrongAnswer(Answer a) {
        Request q = a.request();
        if (a.failure() != null) {
            return q + ": no answer: " + a.failure();
        }
        AdminHttp.Reply r = a.reply();
        String want = q.status() + ("GET".equals(q.op()) && q.value() != null ? " " + name(q.value()) : "");
        if (r.status() != q.status()) {
            return q + " answered " + describe(r) + ", a fresh admin answers " + want;
        }
        if ("GET".equals(q.op()) && q.value() != null && r.body().get("val").asLong() != q.value()) {
            return q + " answered " + describe(r) + ", a fresh admin answers " + want;
        }
        return null;
    }

    private static long value(int version, String key) {
        return version * VERSION + Long.parseLong(key.substring(key.indexOf('-') + 1));
    }

    /** "v2 (2000017)" for a value of this test. */
    private static String name(long value) {
        return "v" + value / VERSION + " (" + value + ")";
    }

    private static String describe(AdminHttp.Reply r) {
        if (r.status() == 200 && r.body().has("val")) {
            return "200 " + name(r.body().get("val").asLong());
        }
        return r.toString();
    }
}
