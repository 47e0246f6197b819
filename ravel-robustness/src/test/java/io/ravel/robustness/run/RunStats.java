package io.ravel.robustness.run;

import io.ravel.robustness.history.Op;

import java.util.ArrayList;
import java.util.List;

/** Figures of one run: operations, share that succeeded during each fault, the longest outage. */
public record RunStats(int ops, int succeeded, List<Window> faults, long longestOutageMillis) {

    /** A fault's time span and how the operations in flight during it (any overlap) ended. */
    public record Window(String fault, long start, long end, int ops, int succeeded) {
        public double share() {
            return ops == 0 ? 0 : (double) succeeded / ops;
        }
    }

    /** @param spans the faults' [start, end] in nanoTime, as injected and healed */
    static RunStats of(List<Op> ops, List<Window> spans, long from, long to) {
        List<Window> windows = new ArrayList<>();
        for (Window w : spans) {
            int n = 0;
            int ok = 0;
            for (Op op : ops) {
                if (op.invoke() <= w.end() && op.complete() >= w.start()) {
                    n++;
                    ok += op.succeeded() ? 1 : 0;
                }
            }
            windows.add(new Window(w.fault(), w.start(), w.end(), n, ok));
        }
        List<Long> done = new ArrayList<>();
        for (Op op : ops) {
            if (op.succeeded() && op.complete() >= from && op.complete() <= to) {
                done.add(op.complete());
            }
        }
        done.sort(Long::compare);
        long last = from;
        long longest = 0;
        for (long t : done) {
            longest = Math.max(longest, t - last);
            last = t;
        }
        longest = Math.max(longest, to - last);
        int succeeded = (int) ops.stream().filter(Op::succeeded).count();
        return new RunStats(ops.size(), succeeded, windows, longest / 1_000_000);
    }

    public String summary() {
        StringBuilder s = new StringBuilder(ops + " ops, " + succeeded + " succeeded, longest outage "
                + longestOutageMillis + " ms");
        if (faults.isEmpty()) {
            return s.toString();
        }
        int n = 0;
        int ok = 0;
        double lowest = 1;
        for (Window w : faults) {
            n += w.ops();
            ok += w.succeeded();
            lowest = Math.min(lowest, w.share());
        }
        s.append(String.format("; during %s (%d time%s): %d/%d (%.0f%%) succeeded", faults.get(0).fault(),
                faults.size(), faults.size() == 1 ? "" : "s", ok, n, n == 0 ? 0 : 100.0 * ok / n));
        if (faults.size() > 1) {
            s.append(String.format(", lowest in one fault %.0f%%", 100 * lowest));
        }
        return s.toString();
    }
}
