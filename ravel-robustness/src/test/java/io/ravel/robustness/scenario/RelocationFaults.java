package io.ravel.robustness.scenario;

import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.Daemon;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Shell;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A third cluster joins (its share of the partitions moves to it) while a follower of the others is
 * SIGKILLed, then leaves again with {@code ravel_node kill} of its three replicas (its partitions move
 * back) while another follower is paused.
 */
final class RelocationFaults {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    private RelocationFaults() {
    }

    static Fault addAndRemoveCluster(RavelSystem system) {
        int[] cycle = new int[1];
        String[][] joined = new String[1][];
        String[] crashed = new String[1];
        Random[] choices = new Random[1];
        return Fault.of("a third cluster joining and leaving, with a follower crashed then paused", false, random -> {
            choices[0] = random;
            crashed[0] = ProcessFaults.FOLLOWER.apply(system, random);
            cycle[0]++;
            String prefix = "extra" + cycle[0] + "-";
            joined[0] = new String[]{prefix + "leader", prefix + "replica1", prefix + "replica2"};
            System.out.println("[robustness] cluster " + List.of(joined[0]) + " joins; SIGKILL " + crashed[0]);
            system.startNode(joined[0][0], true, null);
            system.daemon(crashed[0]).sigkill();
            system.daemon(joined[0][0]).awaitReady(RavelSystem.READY);
            system.startNode(joined[0][1], false, null);
            system.startNode(joined[0][2], false, null);
        }, () -> {
            system.restart(crashed[0]);
            for (String name : joined[0]) {
                system.daemon(name).awaitReady(RavelSystem.READY);
            }
            system.awaitSettled(3, 3, SETTLE);
            Daemon paused = system.daemon(ProcessFaults.FOLLOWER.apply(system, choices[0]));
            System.out.println("[robustness] cluster " + List.of(joined[0]) + " leaves; SIGSTOP " + paused.name());
            paused.pause();
            try {
                for (int i = joined[0].length - 1; i >= 0; i--) {
                    Shell.Result r = system.killReplica(joined[0][i]);
                    if (!r.ok()) {
                        throw new AssertionError("ravel_node kill of " + joined[0][i] + " failed: " + r.output());
                    }
                }
            } finally {
                paused.resume();
            }
        });
    }
}
