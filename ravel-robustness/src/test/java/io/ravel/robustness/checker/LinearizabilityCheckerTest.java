package io.ravel.robustness.checker;

import io.ravel.robustness.history.History;
import io.ravel.robustness.history.HistoryFile;
import io.ravel.robustness.history.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ravel.robustness.history.Op.Outcome.FAILED;
import static io.ravel.robustness.history.Op.Outcome.NOT_FOUND;
import static io.ravel.robustness.history.Op.Outcome.OK;
import static io.ravel.robustness.history.Op.Outcome.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known-good and known-bad histories, and the outcome semantics of failed and unknown operations. */
class LinearizabilityCheckerTest {

    private static final long UNKNOWN_END = Long.MAX_VALUE;

    private static CheckResult.Verdict check(Op... ops) {
        return new LinearizabilityChecker(1_000_000).check(History.of(List.of(ops))).verdict();
    }

    private static void assertLinearizable(Op... ops) {
        assertEquals(CheckResult.Verdict.LINEARIZABLE, check(ops));
    }

    private static void assertViolation(Op... ops) {
        assertEquals(CheckResult.Verdict.VIOLATION, check(ops));
    }

    @Test
    void sequentialPutGetDelete() {
        assertLinearizable(
                Op.get(0, "k", null, 0, 1, NOT_FOUND),
                Op.put(0, "k", "1", 2, 3, OK),
                Op.get(0, "k", "1", 4, 5, OK),
                Op.delete(0, "k", 6, 7, OK),
                Op.get(0, "k", null, 8, 9, NOT_FOUND),
                Op.delete(0, "k", 10, 11, NOT_FOUND));
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        // The read overlaps both writes, so it may see either value, and the later read the other one.
        assertLinearizable(
                Op.put(0, "k", "1", 0, 10, OK),
                Op.put(1, "k", "2", 1, 11, OK),
                Op.get(2, "k", "2", 2, 5, OK),
                Op.get(2, "k", "1", 12, 13, OK));
    }

    @Test
    void staleReadIsCaught() {
        assertViolation(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.put(0, "k", "2", 2, 3, OK),
                Op.get(1, "k", "1", 4, 5, OK));
    }

    @Test
    void readOfAnAcknowledgedDeleteBeforeItIsCaught() {
        assertViolation(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.delete(0, "k", 2, 3, OK),
                Op.get(1, "k", "1", 4, 5, OK));
    }

    @Test
    void lostWriteIsCaught() {
        assertViolation(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.get(1, "k", null, 2, 3, NOT_FOUND));
    }

    @Test
    void readsThatGoBackInTimeAreCaught() {
        // Both reads overlap the write, but once a client saw the new value nobody may see the old one.
        assertViolation(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.put(0, "k", "2", 2, 20, OK),
                Op.get(1, "k", "2", 3, 4, OK),
                Op.get(2, "k", "1", 5, 6, OK));
    }

    @Test
    void deleteOfAMissingKeyAnsweringOkIsCaught() {
        assertViolation(
                Op.get(0, "k", null, 0, 1, NOT_FOUND),
                Op.delete(0, "k", 2, 3, OK));
    }

    @Test
    void valueNeverWrittenIsCaught() {
        assertViolation(Op.get(0, "k", "\"x\"", 0, 1, OK));
    }

    @Test
    void deleteAnsweredNotFoundAfterItTookPlace() {
        // A retried delete whose first attempt was applied: exact reading rejects the 404, lenient accepts it.
        Op[] ops = {
                Op.put(0, "k", "1", 0, 1, OK),
                Op.delete(1, "k", 2, 9, NOT_FOUND),
                Op.get(0, "k", null, 10, 11, NOT_FOUND)};
        assertViolation(ops);
        assertEquals(CheckResult.Verdict.LINEARIZABLE,
                new LinearizabilityChecker(1_000_000, false).check(History.of(List.of(ops))).verdict());
        assertEquals(CheckResult.Verdict.VIOLATION, new LinearizabilityChecker(1_000_000, false).check(History.of(List.of(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.delete(1, "k", 2, 3, NOT_FOUND),
                Op.get(0, "k", "1", 10, 11, OK)))).verdict(), "a lenient 404 still removes the key");
    }

    @Test
    void unknownWriteMayTakeEffectLate() {
        // The put's answer was lost; a read long after it may see it, and one before that need not.
        assertLinearizable(
                Op.put(0, "k", "1", 0, UNKNOWN_END, UNKNOWN),
                Op.get(1, "k", null, 5, 6, NOT_FOUND),
                Op.get(1, "k", "1", 100, 101, OK));
    }

    @Test
    void unknownWriteMayNeverTakeEffect() {
        assertLinearizable(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.put(0, "k", "2", 2, UNKNOWN_END, UNKNOWN),
                Op.get(1, "k", "1", 50, 51, OK));
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsInvocation() {
        assertViolation(
                Op.get(1, "k", "1", 0, 1, OK),
                Op.put(0, "k", "1", 2, UNKNOWN_END, UNKNOWN));
    }

    @Test
    void unknownDeleteMayRemoveTheKey() {
        assertLinearizable(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.delete(0, "k", 2, UNKNOWN_END, UNKNOWN),
                Op.get(1, "k", null, 10, 11, NOT_FOUND));
    }

    @Test
    void failedWriteNeverTakesEffect() {
        assertViolation(
                Op.put(0, "k", "1", 0, 1, OK),
                Op.put(0, "k", "2", 2, 3, FAILED),
                Op.get(1, "k", "2", 10, 11, OK));
    }

    @Test
    void keysAreCheckedIndependently() {
        CheckResult result = new LinearizabilityChecker(1_000_000).check(History.of(List.of(
                Op.put(0, "a", "1", 0, 1, OK),
                Op.put(0, "b", "1", 0, 1, OK),
                Op.get(0, "a", "1", 2, 3, OK),
                Op.get(0, "b", null, 2, 3, NOT_FOUND))));
        assertEquals(CheckResult.Verdict.VIOLATION, result.verdict());
        assertEquals("b", result.key());
        assertTrue(result.describe().contains("b get"), result.describe());
    }

    @Test
    void budgetExhaustionIsItsOwnVerdict() {
        List<Op> ops = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            ops.add(Op.put(c, "k", String.valueOf(c), c, 1000, OK));
        }
        ops.add(Op.get(99, "k", "\"never\"", 2000, 2001, OK));
        assertEquals(CheckResult.Verdict.BUDGET_EXHAUSTED,
                new LinearizabilityChecker(500).check(History.of(ops)).verdict());
    }

    @Test
    void largeRandomSequentialHistoryIsLinearizable(@TempDir Path dir) {
        // A register simulated sequentially, with overlapping intervals stretched around each point:
        // the checker must accept it, also after a round trip through the history file.
        Random random = new Random(7);
        List<Op> ops = new ArrayList<>();
        String[] state = new String[4];
        for (int i = 0; i < 4000; i++) {
            int k = random.nextInt(4);
            long at = i * 10L;
            long start = at - random.nextInt(30);
            long end = at + random.nextInt(30);
            String key = "k" + k;
            switch (random.nextInt(3)) {
                case 0 -> {
                    state[k] = String.valueOf(i);
                    ops.add(Op.put(i % 5, key, state[k], start, end, OK));
                }
                case 1 -> ops.add(Op.get(i % 5, key, state[k], start, end, state[k] == null ? NOT_FOUND : OK));
                default -> {
                    ops.add(Op.delete(i % 5, key, start, end, state[k] == null ? NOT_FOUND : OK));
                    state[k] = null;
                }
            }
        }
        Path file = dir.resolve("history.jsonl");
        HistoryFile.write(History.of(ops), file);
        CheckResult result = new LinearizabilityChecker(10_000_000).check(HistoryFile.read(file));
        assertTrue(result.linearizable(), result.describe());
    }
}
