package io.ravel.robustness.scenario;

import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.Daemon;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Tmpfs;

import java.nio.file.Path;
import java.time.Duration;

/** A follower whose storage dir (a small tmpfs) fills up. */
final class DiskFaults {

    /** How long a replica may take to notice a full disk and stop. */
    static final Duration STOPS_WITHIN = Duration.ofSeconds(60);

    private DiskFaults() {
    }

    /**
     * Injects: fills the tmpfs under {@code follower}'s dir while clients write, and requires it to stop
     * by itself with one clear line about the full disk. Heals: frees the space and starts it again.
     */
    static Fault fillUp(RavelSystem system, String follower) {
        return Fault.of("a full disk on a follower", true, random -> {
            Path dir = system.dir(follower);
            Daemon d = system.daemon(follower);
            System.out.println("[robustness] filling " + dir + " of " + follower);
            Tmpfs.fill(dir);
            Integer exit = d.awaitExit(STOPS_WITHIN);
            if (exit == null) {
                throw new AssertionError(follower + " did not stop on a full disk:\n" + d.tail(3000)
                        + "\n" + Tmpfs.usage(dir));
            }
            System.out.println("[robustness] " + follower + " exited with " + exit);
            DiskFullLog.assertOneClearLine(d.lastStart(), follower);
        }, () -> {
            Tmpfs.free(system.dir(follower));
            system.restart(follower);
        });
    }
}
