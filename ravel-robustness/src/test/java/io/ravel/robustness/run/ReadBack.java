package io.ravel.robustness.run;

import io.ravel.robustness.client.KvClient;
import io.ravel.robustness.history.History;
import io.ravel.robustness.history.Op;
import io.ravel.testkit.Waits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end of a run, with every fault healed: reads every key until it gets a definite answer (each
 * read goes into the history, so the checker judges it too), and names every acknowledged write that
 * the final read contradicts outright.
 */
final class ReadBack {

    static final int CLIENT = 1000;

    private ReadBack() {
    }

    /** Reads each key until 200 or 404; the final reads, in key order. */
    static List<Op> readAll(KvClient client, List<String> keys, History history, Duration deadline) {
        List<Op> finals = new ArrayList<>();
        for (String key : keys) {
            Op[] last = new Op[1];
            Waits.until(deadline, "a definite answer to the final read of " + key, () -> {
                last[0] = client.get(key);
                history.add(last[0]);
                return last[0].succeeded();
            });
            finals.add(last[0]);
        }
        return finals;
    }

    /**
     * The final read of a key must show the last acknowledged write W on it, or a write (put, or delete)
     * that may have come after W: one not acknowledged before W was invoked. Anything else lost W.
     * A delete answered 404 counts as a delete unless {@code exactDeleteNotFound}.
     */
    static List<String> lostWrites(History history, List<Op> finals, boolean exactDeleteNotFound) {
        Map<String, List<Op>> byKey = history.byKey();
        List<String> lost = new ArrayList<>();
        for (Op read : finals) {
            List<Op> ops = byKey.get(read.key());
            Op lastAcked = null;
            for (Op op : ops) {
                if (op.kind() != Op.Kind.GET && op.outcome() == Op.Outcome.OK
                        && (lastAcked == null || op.complete() > lastAcked.complete())) {
                    lastAcked = op;
                }
            }
            if (lastAcked == null) {
                continue;
            }
            long after = lastAcked.invoke();
            boolean explained = false;
            for (Op w : ops) {
                boolean removes = w.kind() == Op.Kind.DELETE && !exactDeleteNotFound;
                if (w.kind() == Op.Kind.GET || w.outcome() == Op.Outcome.FAILED
                        || (w.outcome() == Op.Outcome.NOT_FOUND && !removes)) {
                    continue;
                }
                boolean mayFollow = w == lastAcked || w.outcome() == Op.Outcome.UNKNOWN || w.complete() >= after;
                boolean matches = read.outcome() == Op.Outcome.NOT_FOUND
                        ? w.kind() == Op.Kind.DELETE : w.kind() == Op.Kind.PUT && w.value().equals(read.value());
                if (mayFollow && matches) {
                    explained = true;
                    break;
                }
            }
            if (!explained) {
                lost.add(read.key() + ": acknowledged " + lastAcked + " but the final read is " + read);
            }
        }
        return lost;
    }
}
