package io.ravel.robustness.checker;

import io.ravel.robustness.client.Workload;
import io.ravel.robustness.history.History;
import io.ravel.robustness.history.Op;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole harness (HTTP clients, recorder, checker) against a fake server: a correct one passes,
 * one that serves stale reads is caught. Runs until enough operations are recorded, not for a time.
 */
class FakeServerHarnessTest {

    private static History run(FakeKvServer server) {
        History history = new History();
        try (Workload w = new Workload(history, List.of("a", "b", "c")).start(4, 0, 1, server::address)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (history.size() < 2000 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return history;
    }

    @Test
    void correctServerIsLinearizable() throws Exception {
        try (FakeKvServer server = new FakeKvServer(false)) {
            History history = run(server);
            assertTrue(history.ops().stream().allMatch(Op::succeeded), "every answer is 200 or 404");
            CheckResult result = new LinearizabilityChecker(5_000_000).check(history);
            assertTrue(result.linearizable(), result.describe());
        }
    }

    @Test
    void staleReadsAreCaught() throws Exception {
        try (FakeKvServer server = new FakeKvServer(true)) {
            CheckResult result = new LinearizabilityChecker(5_000_000).check(run(server));
            assertEquals(CheckResult.Verdict.VIOLATION, result.verdict(), result.describe());
        }
    }
}
