package io.ravel.robustness.checker;

import io.ravel.robustness.history.History;
import io.ravel.robustness.history.Op;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a history for linearizability against {@link RegisterModel}, key by key (a history is
 * linearizable iff each key's sub-history is: keys are independent registers). The search is
 * Wing and Gong's, with Lowe's cache of (linearized set, state) pairs, as porcupine does it.
 *
 * <p>Failed operations are dropped; a get of unknown outcome is dropped too (a read changes nothing);
 * a put or delete of unknown outcome gets a completion time after every other event, so it may take
 * effect at any point after its invocation, or (linearized last) effectively never.
 */
public final class LinearizabilityChecker {

    private final long budget;
    private final boolean exactDeleteNotFound;

    /** @param budget the most search steps spent on one key before the verdict is {@code BUDGET_EXHAUSTED} */
    public LinearizabilityChecker(long budget) {
        this(budget, true);
    }

    /** @param exactDeleteNotFound whether a delete answered 404 proves the key was absent (see {@link RegisterModel}) */
    public LinearizabilityChecker(long budget, boolean exactDeleteNotFound) {
        this.budget = budget;
        this.exactDeleteNotFound = exactDeleteNotFound;
    }

    public CheckResult check(History history) {
        long steps = 0;
        int keys = 0;
        for (Map.Entry<String, List<Op>> e : history.byKey().entrySet()) {
            keys++;
            KeySearch search = new KeySearch(e.getValue(), budget, exactDeleteNotFound);
            CheckResult.Verdict v = search.run();
            steps += search.steps;
            if (v != CheckResult.Verdict.LINEARIZABLE) {
                return new CheckResult(v, e.getKey(), e.getValue(), keys, steps);
            }
        }
        return new CheckResult(CheckResult.Verdict.LINEARIZABLE, null, List.of(), keys, steps);
    }

    /** A call or return event in a doubly linked list, in time order. */
    private static final class Entry {
        final Op op;
        final int id;
        final boolean call;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Op op, int id, boolean call) {
            this.op = op;
            this.id = id;
            this.call = call;
        }
    }

    private record Cached(BitSet linearized, String state) {
    }

    private record Frame(Entry call, String stateBefore) {
    }

    private static final class KeySearch {
        private final Entry head = new Entry(null, -1, false);
        private final long budget;
        private final boolean exactDeleteNotFound;
        long steps;

        KeySearch(List<Op> ops, long budget, boolean exactDeleteNotFound) {
            this.budget = budget;
            this.exactDeleteNotFound = exactDeleteNotFound;
            List<Entry> events = new ArrayList<>();
            int id = 0;
            for (Op op : ops) {
                if (op.outcome() == Op.Outcome.FAILED
                        || (op.kind() == Op.Kind.GET && op.outcome() == Op.Outcome.UNKNOWN)) {
                    continue;
                }
                Entry call = new Entry(op, id, true);
                Entry ret = new Entry(op, id, false);
                call.match = ret;
                ret.match = call;
                events.add(call);
                events.add(ret);
                id++;
            }
            // Calls before returns at the same instant: such operations count as concurrent.
            events.sort((a, b) -> {
                int byTime = Long.compare(time(a), time(b));
                return byTime != 0 ? byTime : Boolean.compare(!a.call, !b.call);
            });
            Entry last = head;
            for (Entry e : events) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        private static long time(Entry e) {
            if (e.call) {
                return e.op.invoke();
            }
            return e.op.outcome() == Op.Outcome.UNKNOWN ? Long.MAX_VALUE : e.op.complete();
        }

        CheckResult.Verdict run() {
            Set<Cached> cache = new HashSet<>();
            Deque<Frame> stack = new ArrayDeque<>();
            BitSet linearized = new BitSet();
            String state = null;
            Entry entry = head.next;
            while (head.next != null) {
                if (++steps > budget) {
                    return CheckResult.Verdict.BUDGET_EXHAUSTED;
                }
                if (entry.call) {
                    RegisterModel.Step step = RegisterModel.step(state, entry.op, exactDeleteNotFound);
                    boolean advanced = false;
                    if (step != null) {
                        BitSet next = (BitSet) linearized.clone();
                        next.set(entry.id);
                        if (cache.add(new Cached(next, step.state()))) {
                            stack.push(new Frame(entry, state));
                            state = step.state();
                            linearized.set(entry.id);
                            lift(entry);
                            entry = head.next;
                            advanced = true;
                        }
                    }
                    if (!advanced) {
                        entry = entry.next;
                    }
                } else {
                    // A return whose call is not linearized yet: every order tried so far fails here.
                    if (stack.isEmpty()) {
                        return CheckResult.Verdict.VIOLATION;
                    }
                    Frame top = stack.pop();
                    state = top.stateBefore();
                    linearized.clear(top.call().id);
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return CheckResult.Verdict.LINEARIZABLE;
        }

        private static void lift(Entry call) {
            call.prev.next = call.next;
            call.next.prev = call.prev;
            Entry ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private static void unlift(Entry call) {
            Entry ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            call.next.prev = call;
        }
    }
}
