package io.ravel.robustness.scenario;

import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.Daemon;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Topology;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/** Crashes (SIGKILL, then a restart with the same command line) and pauses (SIGSTOP, SIGCONT) of a process. */
final class ProcessFaults {

    private ProcessFaults() {
    }

    /** A cluster's leader as the admin knows it (of the original two clusters only). */
    static final BiFunction<RavelSystem, Random, String> LEADER = (s, r) -> pickCluster(s, r).leader();

    /** One of a cluster's followers. */
    static final BiFunction<RavelSystem, Random, String> FOLLOWER = (s, r) -> {
        List<String> followers = pickCluster(s, r).followers();
        return followers.get(r.nextInt(followers.size()));
    };

    static final BiFunction<RavelSystem, Random, String> ADMIN = (s, r) -> "admin";

    static Topology.Cluster pickCluster(RavelSystem system, Random random) {
        List<Topology.Cluster> clusters = system.topology().clusters().stream()
                .filter(c -> c.replicas().stream().noneMatch(r -> r.startsWith("extra"))).toList();
        return clusters.get(random.nextInt(clusters.size()));
    }

    static Fault kill(RavelSystem system, String role, BiFunction<RavelSystem, Random, String> target) {
        String[] victim = new String[1];
        return Fault.of("kill -9 of the " + role, role.equals("follower"), random -> {
            victim[0] = target.apply(system, random);
            System.out.println("[robustness] SIGKILL " + victim[0]);
            system.daemon(victim[0]).sigkill();
        }, () -> system.restart(victim[0]));
    }

    static Fault pause(RavelSystem system, String role, BiFunction<RavelSystem, Random, String> target) {
        Daemon[] victim = new Daemon[1];
        return Fault.of("SIGSTOP of the " + role, role.equals("follower"), random -> {
            victim[0] = system.daemon(target.apply(system, random));
            System.out.println("[robustness] SIGSTOP " + victim[0].name());
            victim[0].pause();
        }, () -> victim[0].resume());
    }
}
