#!/usr/bin/env python3
"""The scale part of bench/run.sh: fills, reads replica metrics, waits for catch-up and reads.

Keys and values are relocation.py's (rk0000000 ..., values derived from their key), written through
POST /batch, 100 puts a request.

  scale.py fill URL FROM TO VALUE_BYTES THREADS
      Puts keys FROM .. TO-1 (THREADS connections); prints "filled N keys in S s: R keys/s".
  scale.py metrics HOSTPORT
      One scrape of a replica's GET /metrics; prints "role applied commit saved installed"
      (role: leader, follower, ... or "-"; the others whole numbers, -1 when not readable).
  scale.py caughtup HOSTPORT INDEX TIMEOUT_S LOGFILE
      Waits until the replica's applied index reaches INDEX (its metrics port may not answer yet),
      watching LOGFILE for its "ravel_node ready" line meanwhile; prints "caughtup <unix time>
      <applied index> <unix time of the ready line, or - when not seen yet>" (exit 1 on timeout).
  scale.py readable URL NKEYS VALUE_BYTES SAMPLE TIMEOUT_S
      Until SAMPLE known keys (spread over 0 .. NKEYS-1) read back with their values in one POST
      /batch (2 s per attempt, every 50 ms): prints "readable <unix time>" (exit 1 on timeout).
  scale.py check URL NKEYS VALUE_BYTES SAMPLE
      Reads back SAMPLE random keys of 0 .. NKEYS-1; prints "checked N wrong M" (exit 1 when M > 0).
"""
import http.client
import json
import os
import random
import re
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from relocation import key_of, put_range, read_back, value_of  # noqa: E402


def fill(url, first, last, size, threads):
    t0 = time.time()
    failure = put_range(url, first, last, size, threads)
    if failure is not None:
        print("fill failed: %s" % failure)
        return 1
    s = time.time() - t0
    print("filled %d keys in %.1f s: %.0f keys/s" % (last - first, s, (last - first) / s))
    return 0


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)')


def scrape(hostport, timeout=2):
    """name{labels} -> value of one GET /metrics, or None when the replica does not answer."""
    host, port = hostport.rsplit(":", 1)
    try:
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        conn.request("GET", "/metrics")
        r = conn.getresponse()
        text = r.read().decode(errors="replace")
        conn.close()
        if r.status != 200:
            return None
    except (OSError, http.client.HTTPException):
        return None
    out = {}
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m:
            try:
                out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
            except ValueError:
                pass
    return out


def whole(m, name):
    v = m.get(name)
    return -1 if v is None or v != v else int(v)


def figures(m):
    role = "-"
    for k, v in m.items():
        if k.startswith("ravel_raft_role{") and v == 1:
            role = re.search(r'role="([^"]*)"', k).group(1)
    return (role, whole(m, "ravel_raft_applied_index"), whole(m, "ravel_raft_commit_index"),
            whole(m, "ravel_raft_snapshot_save_seconds_count"),
            whole(m, "ravel_raft_snapshot_install_seconds_count"))


def metrics(hostport):
    m = scrape(hostport)
    if m is None:
        print("- -1 -1 -1 -1")
        return 1
    print("%s %d %d %d %d" % figures(m))
    return 0


def ready_in(logfile):
    try:
        with open(logfile, errors="replace") as f:
            return any(line.startswith("ravel_node ready ") for line in f)
    except OSError:
        return False


def caughtup(hostport, index, timeout, logfile):
    deadline = time.time() + timeout
    applied = -1
    ready = None
    while time.time() < deadline:
        if ready is None and ready_in(logfile):
            ready = time.time()
        m = scrape(hostport, timeout=1)
        if m is not None:
            applied = figures(m)[1]
            if applied >= index:
                print("caughtup %.3f %d %s" % (time.time(), applied, "-" if ready is None else "%.3f" % ready))
                return 0
        time.sleep(0.05)
    print("timeout: applied %d of %d" % (applied, index))
    return 1


def readable(url, nkeys, size, sample, timeout):
    u = urllib.parse.urlsplit(url)
    step = max(1, nkeys // sample)
    keys = [key_of(i) for i in range(0, nkeys, step)][:sample]
    body = json.dumps({"ops": [{"op": "get", "key": k} for k in keys]})
    deadline = time.time() + timeout
    last = "no answer"
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
            conn.request("POST", "/batch", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            payload = r.read()
            conn.close()
            if r.status == 200:
                results = json.loads(payload)["results"]
                if all(res.get("val") == value_of(k, size) for k, res in zip(keys, results)):
                    print("readable %.3f" % time.time())
                    return 0
                last = "wrong values"
            else:
                last = "HTTP %d" % r.status
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            last = "no answer"
        time.sleep(0.05)
    print("timeout: %s" % last)
    return 1


def check(url, nkeys, size, sample):
    return read_back(url, [key_of(i) for i in random.sample(range(nkeys), min(sample, nkeys))], size)


if __name__ == "__main__":
    mode, args = sys.argv[1] if len(sys.argv) > 1 else "", sys.argv[2:]
    if mode == "fill":
        sys.exit(fill(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])))
    elif mode == "metrics":
        sys.exit(metrics(args[0]))
    elif mode == "caughtup":
        sys.exit(caughtup(args[0], int(args[1]), float(args[2]), args[3]))
    elif mode == "readable":
        sys.exit(readable(args[0], int(args[1]), int(args[2]), int(args[3]), float(args[4])))
    elif mode == "check":
        sys.exit(check(args[0], int(args[1]), int(args[2]), int(args[3])))
    else:
        sys.exit(__doc__)
