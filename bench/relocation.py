#!/usr/bin/env python3
"""The relocation part of bench/run.sh: fills a Ravel system, waits for relocations, reads keys back.

  relocation.py fill URL NKEYS VALUE_BYTES THREADS
      Puts rk0000000 .. rk<NKEYS-1> through POST /batch (100 puts a request, THREADS connections),
      each value VALUE_BYTES characters derived from its key (hex of a hash: incompressible beyond
      half). Prints "filled N keys in S s".
  relocation.py wait URL NCLUSTERS TIMEOUT_S
      Polls GET /clusters every 50 ms until it lists NCLUSTERS clusters, each owning partitions, and
      no relocation runs; prints "done <unix time> <partitionsMoved> <partitionsTotal> <keysMoved>".
  relocation.py span LOGFILE FROM_LINE
      In the admin's log after line FROM_LINE: the seconds from the first "joins the ring" line to the
      first "relocation finished" line after it (the admin's own timestamps, ms); prints "<seconds>".
  relocation.py check URL NKEYS VALUE_BYTES SAMPLE
      Reads back SAMPLE keys spread over the range through POST /batch; prints "checked N wrong M"
      and exits 1 when M > 0.
"""
import hashlib
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse

BATCH = 100


def key_of(i):
    return "rk%07d" % i


def value_of(key, size):
    return hashlib.shake_128(key.encode()).hexdigest((size + 1) // 2)[:size]


class Admin:
    def __init__(self, url, timeout=30):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = u.hostname, u.port, timeout
        self.conn = None

    def request(self, method, path, body=None):
        for attempt in range(20):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                data = None if body is None else json.dumps(body)
                self.conn.request(method, path, data, {"Content-Type": "application/json"})
                r = self.conn.getresponse()
                payload = r.read()
                if r.status == 200:
                    return json.loads(payload)
            except (OSError, http.client.HTTPException, ValueError):
                pass
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            time.sleep(0.1 * (attempt + 1))
        raise RuntimeError("%s %s failed 20 times" % (method, path))


def put_range(url, first, last, size, threads):
    """Puts keys first .. last-1 in /batch requests from THREADS writers; None, or the first failure."""
    starts = list(range(first, last, BATCH))
    starts.reverse()
    lock = threading.Lock()
    failures = []

    def work():
        admin = Admin(url)
        while not failures:
            with lock:
                if not starts:
                    return
                start = starts.pop()
            ops = [{"op": "put", "key": key_of(i), "val": value_of(key_of(i), size)}
                   for i in range(start, min(start + BATCH, last))]
            try:
                results = admin.request("POST", "/batch", {"ops": ops})["results"]
                bad = [r for r in results if r.get("msg") != "ok"]
                if bad:
                    failures.append(bad[0])
            except RuntimeError as e:
                failures.append(str(e))

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return failures[0] if failures else None


def fill(url, nkeys, size, threads):
    t0 = time.time()
    failure = put_range(url, 0, nkeys, size, threads)
    if failure is not None:
        print("fill failed: %s" % failure)
        return 1
    print("filled %d keys in %.1f s" % (nkeys, time.time() - t0))
    return 0


def wait(url, nclusters, timeout):
    admin = Admin(url, timeout=5)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            body = admin.request("GET", "/clusters")
        except RuntimeError:
            body = None
        if body:
            clusters, reloc = body.get("clusters", []), body.get("relocation", {})
            if (len(clusters) == nclusters and all(c.get("partitions", 0) > 0 for c in clusters)
                    and not reloc.get("inProgress")):
                print("done %.3f %d %d %d" % (time.time(), reloc.get("partitionsMoved", 0),
                                              reloc.get("partitionsTotal", 0), reloc.get("keysMoved", 0)))
                return 0
        time.sleep(0.05)
    print("timeout")
    return 1


def seconds(stamp):
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def span(logfile, from_line):
    start = end = None
    stamp = re.compile(r"^(\d\d:\d\d:\d\d\.\d\d\d) ")
    with open(logfile, errors="replace") as f:
        for n, line in enumerate(f, 1):
            if n <= from_line:
                continue
            m = stamp.match(line)
            if not m:
                continue
            if start is None and "joins the ring" in line:
                start = seconds(m.group(1))
            elif start is not None and "relocation finished" in line:
                end = seconds(m.group(1))
                break
    if start is None or end is None:
        print("-")
        return 1
    print("%.3f" % ((end - start) % 86400))
    return 0


def read_back(url, keys, size):
    """Reads keys back in /batch requests; prints "checked N wrong M" and returns 1 when M > 0."""
    admin = Admin(url)
    wrong = []
    for i in range(0, len(keys), BATCH):
        chunk = keys[i:i + BATCH]
        results = admin.request("POST", "/batch", {"ops": [{"op": "get", "key": k} for k in chunk]})["results"]
        for k, r in zip(chunk, results):
            if r.get("val") != value_of(k, size):
                wrong.append(k)
    print("checked %d wrong %d%s" % (len(keys), len(wrong), (" first " + wrong[0]) if wrong else ""))
    return 1 if wrong else 0


def check(url, nkeys, size, sample):
    step = max(1, nkeys // sample)
    return read_back(url, [key_of(i) for i in range(0, nkeys, step)][:sample], size)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "fill":
        sys.exit(fill(args[0], int(args[1]), int(args[2]), int(args[3])))
    elif mode == "wait":
        sys.exit(wait(args[0], int(args[1]), float(args[2])))
    elif mode == "span":
        sys.exit(span(args[0], int(args[1])))
    elif mode == "check":
        sys.exit(check(args[0], int(args[1]), int(args[2]), int(args[3])))
    else:
        sys.exit(__doc__)
