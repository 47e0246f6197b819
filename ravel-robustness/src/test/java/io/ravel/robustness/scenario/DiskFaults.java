package io.ravel.robustness.scenario;

import io.ravel.robustness.client.KvClient;
import io.ravel.robustness.run.Fault;
import io.ravel.robustness.system.Daemon;
import io.ravel.robustness.system.RavelSystem;
import io.ravel.robustness.system.Tmpfs;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

/** A follower whose storage dir (a small tmpfs) fills up. */
final class DiskFaults {

    /** How long a replica may take to notice a full disk and stop while the filler writes go on. */
    static final Duration STOPS_WITHIN = Duration.ofSeconds(60);
    /**
     * RocksDB reserves room ahead of its write-ahead logs (fallocate), so a replica keeps appending into
     * the reserved space after the disk is full. Bulky writes use that room up in seconds rather than
     * leaving it to the small writes of the clients.
     */
    private static final int FILLER_KEYS = 16;
    private static final String FILLER_VALUE = "\"" + "f".repeat(128 * 1024) + "\"";

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
            Integer exit = writeUntilExit(system, d);
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

    /** Writes 128 KiB values over a few keys (outside the checked history) until {@code d} exits; its exit code, or null. */
    private static Integer writeUntilExit(RavelSystem system, Daemon d) {
        HttpClient http = KvClient.newHttpClient();
        KvClient filler = new KvClient(http, system::adminHttp, -1);
        long end = System.nanoTime() + STOPS_WITHIN.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            Integer exit = d.awaitExit(Duration.ZERO);
            if (exit != null) {
                return exit;
            }
            filler.put("disk-filler-" + (i % FILLER_KEYS), FILLER_VALUE);
        }
        return d.awaitExit(Duration.ZERO);
    }
}
