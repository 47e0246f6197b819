package io.ravel.robustness.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.robustness.client.AdminChoice;
import io.ravel.robustness.client.KvClient;
import io.ravel.robustness.history.Op;
import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.Daemon;
import io.ravel.robustness.system.KeyPlacement;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Shell;
import io.ravel.robustness.system.Topology;
import io.ravel.testkit.Waits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults of an admin group of three: its leader crashed, alone or in the middle of a relocation; a
 * follower paused while a relocation runs and ends without it, so that it wakes up with an owner table
 * that is behind (the "stale router" the replicas' ownership fence is for).
 */
final class AdminGroupFaults {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    private AdminGroupFaults() {
    }

    /** SIGKILL of the admin leader (as its /health says), then a restart with its own command line. */
    static Fault killLeader(RavelSystem system) {
        String[] victim = new String[1];
        return Fault.of("kill -9 of the admin leader", true, random -> {
            victim[0] = RavelSystem.adminName(system.awaitAdminLeader(SETTLE));
            System.out.println("[robustness] SIGKILL " + victim[0] + " (the admin leader)");
            system.daemon(victim[0]).sigkill();
        }, () -> system.restart(victim[0]));
    }

    /**
     * SIGSTOP of a follower admin; a third cluster joins (its leader, then, once the relocation to it is
     * over as the other two admins see it, its two followers: moves into a one-replica cluster are
     * quicker on two cores, and the fence is the same); held; SIGCONT (the paused admin answers what it was sent, routing with the owner table
     * it had); then the third cluster leaves through {@code ravel_node kill} of its replicas, the clients
     * running on.
     */
    static Fault pauseFollowerDuringRelocation(RavelSystem system, PauseWindow window) {
        int[] cycle = new int[1];
        int[] paused = new int[1];
        List<String> joined = new ArrayList<>();
        return Fault.of("SIGSTOP of an admin follower while a third cluster joins", true, random -> {
            int leader = system.awaitAdminLeader(SETTLE);
            List<Integer> followers = new ArrayList<>();
            for (int i = 0; i < system.adminHttps().size(); i++) {
                if (i != leader) {
                    followers.add(i);
                }
            }
            paused[0] = followers.get(random.nextInt(followers.size()));
            Daemon admin = system.daemon(RavelSystem.adminName(paused[0]));
            cycle[0]++;
            joined.clear();
            joined.addAll(extraCluster("paused" + cycle[0] + "-"));
            System.out.println("[robustness] SIGSTOP " + admin.name() + " (an admin follower); cluster " + joined + " joins");
            admin.pause();
            window.admin = paused[0];
            window.paused = System.nanoTime();
            system.startNode(joined.get(0), true, null).awaitReady(RavelSystem.READY);
            system.awaitRelocatedTo(joined.get(0), SETTLE, List.of(paused[0]));
            startFollowers(system, joined);
            system.awaitGroupSettled(3, 3, SETTLE, List.of(paused[0]));
            System.out.println("[robustness] relocation to " + joined + " finished without " + admin.name()
                    + ": " + system.relocation(leader(system, paused[0])));
        }, () -> {
            Daemon admin = system.daemon(RavelSystem.adminName(paused[0]));
            System.out.println("[robustness] SIGCONT " + admin.name() + "; cluster " + joined + " leaves");
            window.resumed = System.nanoTime();
            admin.resume();
            for (int i = joined.size() - 1; i >= 0; i--) {
                Shell.Result r = system.killReplica(joined.get(i));
                if (!r.ok()) {
                    throw new AssertionError("ravel_node kill of " + joined.get(i) + " failed: " + r.output());
                }
            }
        });
    }

    /**
     * A third cluster's leader joins (the admins slowed by {@code -Dravel.relocation.delayMs}); once a
     * quarter of its partitions moved, and not all, the admin leader is SIGKILLed and the cluster's two followers
     * start, joining through the survivors; the new leader resumes the replicated plan and finishes it;
     * the old leader is restarted. With {@code leaveAfter} (a long run, which repeats this), the third
     * cluster then leaves again once the relocation is over; else the system keeps three clusters.
     */
    static Fault killLeaderDuringRelocation(RavelSystem system, boolean leaveAfter) {
        int[] cycle = new int[1];
        String[] victim = new String[1];
        List<String> joined = new ArrayList<>();
        return Fault.of("kill -9 of the admin leader in the middle of a relocation", false, random -> {
            int leader = system.awaitAdminLeader(SETTLE);
            victim[0] = RavelSystem.adminName(leader);
            cycle[0]++;
            joined.clear();
            joined.addAll(extraCluster("moving" + cycle[0] + "-"));
            System.out.println("[robustness] cluster " + joined + " joins");
            system.startNode(joined.get(0), true, null).awaitReady(RavelSystem.READY);
            JsonNode[] seen = new JsonNode[1];
            Waits.until(SETTLE, "the relocation to " + joined + " to be under way on " + victim[0], () -> {
                seen[0] = system.relocation(leader);
                return seen[0].get("inProgress").asBoolean()
                        && seen[0].get("partitionsMoved").asInt() >= Math.max(3, seen[0].get("partitionsTotal").asInt() / 4);
            });
            if (seen[0].get("partitionsMoved").asInt() >= seen[0].get("partitionsTotal").asInt()) {
                throw new AssertionError("the relocation was over before the admin leader could be killed: " + seen[0]
                        + " (raise -Dravel.relocation.delayMs)");
            }
            system.daemon(victim[0]).sigkill();
            System.out.println("[robustness] SIGKILL " + victim[0] + " (the admin leader) at " + seen[0]);
            startFollowers(system, joined);
        }, () -> {
            system.restart(victim[0]);
            if (leaveAfter) {
                system.awaitGroupSettled(3, 3, SETTLE, List.of());
                System.out.println("[robustness] cluster " + joined + " leaves");
                for (int i = joined.size() - 1; i >= 0; i--) {
                    Shell.Result r = system.killReplica(joined.get(i));
                    if (!r.ok()) {
                        throw new AssertionError("ravel_node kill of " + joined.get(i) + " failed: " + r.output());
                    }
                }
            }
        });
    }

    /** Which admin was paused, and when (System.nanoTime, as the history's times), for the figures. */
    static final class PauseWindow {
        int admin = -1;
        long paused;
        long resumed;

        /**
         * The requests of the clients on the paused admin ({@link io.ravel.robustness.client.AdminChoice#sticky}:
         * client id mod 3) invoked while it was stopped and answered after SIGCONT, by outcome.
         */
        String heldRequests(List<Op> ops, int admins) {
            Map<Op.Outcome, Integer> outcomes = new java.util.TreeMap<>();
            for (Op op : ops) {
                if (op.client() % admins == admin && op.invoke() < resumed && op.complete() > resumed) {
                    outcomes.merge(op.outcome(), 1, Integer::sum);
                }
            }
            return "requests sent to admin" + admin + " while it was stopped ("
                    + (resumed - paused) / 1_000_000_000 + " s) and answered after SIGCONT: " + outcomes;
        }
    }

    /**
     * With no client running and no relocation: each key that reads back a value is stored on exactly
     * one cluster, each key that reads back 404 on none, as the clusters' leaders say of their own data.
     */
    static void assertEachKeyOnOneCluster(RavelSystem system, List<String> keys) {
        KvClient reader = new KvClient(KvClient.newHttpClient(), AdminChoice.roundRobin(system.adminHttps()), 2000);
        Map<String, Boolean> present = new LinkedHashMap<>();
        for (String key : keys) {
            Op[] read = new Op[1];
            Waits.until(SETTLE, "a definite answer to reading " + key, () -> {
                read[0] = reader.get(key);
                return read[0].succeeded();
            });
            present.put(key, read[0].outcome() == Op.Outcome.OK);
        }
        Map<String, List<String>> holders = Waits.retry(SETTLE, "ask every cluster's leader for the keys", () -> {
            Map<String, String> leaders = new LinkedHashMap<>();
            for (Topology.Cluster c : system.topology(system.awaitAdminLeader(SETTLE)).clusters()) {
                leaders.put(c.id(), system.grpcOf(c.leader()));
            }
            return KeyPlacement.holders(keys, leaders);
        });
        List<String> wrong = new ArrayList<>();
        int stored = 0;
        for (String key : keys) {
            List<String> on = holders.get(key);
            stored += on.isEmpty() ? 0 : 1;
            if (on.size() != (present.get(key) ? 1 : 0)) {
                wrong.add(key + (present.get(key) ? " (reads back a value)" : " (reads back 404)") + " is stored on " + on);
            }
        }
        System.out.println("[robustness] " + keys.size() + " keys: " + stored + " stored, each on one cluster; "
                + (keys.size() - stored) + " absent, on none" + (wrong.isEmpty() ? "" : "; wrong: " + wrong));
        if (!wrong.isEmpty()) {
            throw new AssertionError("keys not on exactly one cluster: " + wrong);
        }
    }

    private static List<String> extraCluster(String prefix) {
        return List.of("extra-" + prefix + "leader", "extra-" + prefix + "replica1", "extra-" + prefix + "replica2");
    }

    /** The two followers of a joining cluster whose leader runs, both ready (they join through whichever admin answers). */
    private static void startFollowers(RavelSystem system, List<String> names) {
        system.startNode(names.get(1), false, null);
        system.startNode(names.get(2), false, null);
        system.daemon(names.get(1)).awaitReady(RavelSystem.READY);
        system.daemon(names.get(2)).awaitReady(RavelSystem.READY);
    }

    /** The admin leader's index, asked of the admins other than {@code skip}. */
    private static int leader(RavelSystem system, int skip) {
        for (int i = 0; i < system.adminHttps().size(); i++) {
            if (i != skip && "leader".equals(system.adminRole(i))) {
                return i;
            }
        }
        return (skip + 1) % system.adminHttps().size();
    }
}
