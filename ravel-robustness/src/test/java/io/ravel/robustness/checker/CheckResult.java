package io.ravel.robustness.checker;

import io.ravel.robustness.history.Op;

import java.util.List;

/**
 * The verdict on a history: linearizable, not (with the first key found and its operations), or
 * unknown because the search budget ran out on some key.
 */
public record CheckResult(Verdict verdict, String key, List<Op> keyOps, int keysChecked, long steps) {

    public enum Verdict { LINEARIZABLE, VIOLATION, BUDGET_EXHAUSTED }

    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** A report for a failed assertion: the verdict, the key and its operations in invocation order. */
    public String describe() {
        if (linearizable()) {
            return "linearizable (" + keysChecked + " keys, " + steps + " search steps)";
        }
        StringBuilder s = new StringBuilder(verdict + " on key " + key + " after " + steps + " search steps; its operations:");
        List<Op> shown = keyOps.size() > 60 ? keyOps.subList(keyOps.size() - 60, keyOps.size()) : keyOps;
        if (shown.size() < keyOps.size()) {
            s.append(" (last 60 of ").append(keyOps.size()).append(")");
        }
        for (Op op : shown) {
            s.append(System.lineSeparator()).append("  ").append(op);
        }
        return s.toString();
    }
}
