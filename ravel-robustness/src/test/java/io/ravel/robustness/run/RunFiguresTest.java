package io.ravel.robustness.run;

import io.ravel.robustness.history.History;
import io.ravel.robustness.history.Op;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ravel.robustness.history.Op.Outcome.FAILED;
import static io.ravel.robustness.history.Op.Outcome.NOT_FOUND;
import static io.ravel.robustness.history.Op.Outcome.OK;
import static io.ravel.robustness.history.Op.Outcome.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures of a run and the read-back check on hand-made histories. */
class RunFiguresTest {

    private static final long MS = 1_000_000;

    @Test
    void longestOutageAndShareDuringAFault() {
        List<Op> ops = List.of(
                Op.put(0, "k", "1", 0, 10 * MS, OK),
                Op.get(1, "k", null, 20 * MS, 900 * MS, UNKNOWN),
                Op.put(0, "k", "2", 30 * MS, 40 * MS, FAILED),
                Op.get(0, "k", "1", 950 * MS, 1000 * MS, OK));
        RunStats stats = RunStats.of(ops, List.of(new RunStats.Window("f", 15 * MS, 500 * MS, 0, 0)), 0, 1100 * MS);
        assertEquals(4, stats.ops());
        assertEquals(2, stats.succeeded());
        assertEquals(990, stats.longestOutageMillis(), "from the first success to the second");
        RunStats.Window w = stats.faults().get(0);
        assertEquals(2, w.ops(), "the two operations in flight during the fault");
        assertEquals(0, w.succeeded());
    }

    @Test
    void finalReadMustShowTheLastAcknowledgedWriteOrALaterOne() {
        Op lastAck = Op.put(0, "k", "2", 20, 30, OK);
        Op unknownLater = Op.put(1, "k", "3", 25, 26, UNKNOWN);
        Op stale = Op.get(9, "k", "1", 100, 101, OK);
        History history = History.of(List.of(Op.put(0, "k", "1", 0, 10, OK), lastAck, unknownLater, stale));
        assertEquals(1, ReadBack.lostWrites(history, List.of(stale), true).size());

        Op sawUnknown = Op.get(9, "k", "3", 100, 101, OK);
        History h2 = History.of(List.of(Op.put(0, "k", "1", 0, 10, OK), lastAck, unknownLater, sawUnknown));
        assertTrue(ReadBack.lostWrites(h2, List.of(sawUnknown), true).isEmpty());

        Op missing = Op.get(9, "k", null, 100, 101, NOT_FOUND);
        History h3 = History.of(List.of(lastAck, missing));
        assertEquals(1, ReadBack.lostWrites(h3, List.of(missing), true).size(), "no delete explains the 404");
    }
}
