package io.ravel.robustness.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations of a run, appended by any number of client threads. Thread-safe. */
public final class History {

    private final List<Op> ops = new ArrayList<>();

    public synchronized void add(Op op) {
        ops.add(op);
    }

    public synchronized List<Op> ops() {
        return new ArrayList<>(ops);
    }

    public synchronized int size() {
        return ops.size();
    }

    /** The operations of each key, in invocation order. */
    public Map<String, List<Op>> byKey() {
        Map<String, List<Op>> keys = new LinkedHashMap<>();
        List<Op> all = ops();
        all.sort(Comparator.comparingLong(Op::invoke));
        for (Op op : all) {
            keys.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return keys;
    }

    public static History of(List<Op> ops) {
        History h = new History();
        ops.forEach(h::add);
        return h;
    }
}
