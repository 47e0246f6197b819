#!/usr/bin/env python3
"""CPU and wake-ups per thread of some processes over a window, from /proc/PID/task/TID/schedstat.

    bench/threads.py SECONDS PID:NAME... [--top N]

schedstat holds each thread's run time in ns and how many times it was scheduled in (a wake-up);
/proc/PID/stat's ticks are too coarse for threads that run 50 us at a time. Prints, per process and
for all of them, the threads that used the most CPU, grouped by thread name with the trailing number
cut off ("grpc-default-executor-3" counts as "grpc-default-executor-#"), with CPU in milli-cores and
wake-ups per second. A thread that starts or ends inside the window counts from what is seen of it.
"""
import os
import re
import sys
import time


def sample(pid):
    """{tid: (name, run_ns, wakeups)} of one process; {} when it is gone."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                run_ns, _, slices = f.read().split()
        except (OSError, ValueError):
            continue
        out[tid] = (name, int(run_ns), int(slices))
    return out


def group(name):
    return re.sub(r"[-_ #]?\d+$", "-#", name)


def main(argv):
    top = 8
    if "--top" in argv:
        i = argv.index("--top")
        top = int(argv[i + 1])
        del argv[i:i + 2]
    secs = float(argv[0])
    procs = [(p.split(":", 1)[0], p.split(":", 1)[1] if ":" in p else p) for p in argv[1:]]
    before = {pid: sample(pid) for pid, _ in procs}
    t0 = time.monotonic()
    time.sleep(secs)
    after = {pid: sample(pid) for pid, _ in procs}
    window = time.monotonic() - t0
    overall = {}
    for pid, label in procs:
        rows = {}
        for tid, (name, ns, wakes) in after[pid].items():
            _, ns0, wakes0 = before[pid].get(tid, (name, 0, 0))
            g = rows.setdefault(group(name), [0, 0, 0])
            g[0] += ns - ns0
            g[1] += wakes - wakes0
            g[2] += 1
        total_ns = sum(r[0] for r in rows.values())
        total_w = sum(r[1] for r in rows.values())
        print(f"{label} (pid {pid}): {total_ns / window / 1e6:.1f} milli-cores, {total_w / window:.0f} wake-ups/s")
        for name, (ns, wakes, n) in sorted(rows.items(), key=lambda kv: -kv[1][0])[:top]:
            if ns <= 0:
                break
            print(f"    {name:<34} x{n:<3} {ns / window / 1e6:7.2f} mcores {wakes / window:7.1f} wake-ups/s")
            o = overall.setdefault(name, [0, 0])
            o[0] += ns
            o[1] += wakes
    print(f"all processes over {window:.1f} s, by thread name:")
    for name, (ns, wakes) in sorted(overall.items(), key=lambda kv: -kv[1][0])[:top * 2]:
        print(f"    {name:<34} {ns / window / 1e6:7.2f} mcores {wakes / window:7.1f} wake-ups/s")


if __name__ == "__main__":
    main(sys.argv[1:])
