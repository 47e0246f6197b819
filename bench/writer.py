#!/usr/bin/env python3
"""Steady write load for bench/run.sh's failover figures, and the read-back of what it wrote.

  writer.py write [--spread] SYSTEM PREFIX ACKFILE URL [URL...]
      Puts PREFIX-000000, PREFIX-000001, ... one after the other, each retried (same key, same
      value) until it is acknowledged with a 200; appends "<unix time> <key>" to ACKFILE for every
      acknowledged put. On a failure (an error, a non-200 such as a 503, a timeout) it moves to the
      next URL (etcd: any member; Ravel: the next admin of a group). With --spread it also moves to
      the next URL after every acknowledged put, so the puts go round-robin over every URL (every
      admin of a group). Runs until SIGTERM.
  writer.py check SYSTEM ACKFILE URL [URL...]
      Reads back every key in ACKFILE; prints "checked N missing M" and exits 1 when M > 0.
  writer.py gap ACKFILE
      Prints the longest time between two consecutive acknowledged puts, in seconds, and the count.

SYSTEM is ravel (POST /put, /get with JSON) or etcd (v3 JSON gateway, base64 keys and values).
"""
import base64
import http.client
import json
import signal
import sys
import time
import urllib.parse

STOP = False


def on_term(*_):
    global STOP
    STOP = True


def b64(s):
    return base64.b64encode(s.encode()).decode()


class Client:
    def __init__(self, system, urls, timeout, spread=False):
        self.system, self.urls, self.timeout, self.spread, self.i = system, urls, timeout, spread, 0
        self.conns = {}  # URL index -> its open connection

    def _conn(self):
        if self.i not in self.conns:
            u = urllib.parse.urlsplit(self.urls[self.i])
            self.conns[self.i] = http.client.HTTPConnection(u.hostname, u.port, timeout=self.timeout)
        return self.conns[self.i]

    def _next(self, close):
        if close and self.i in self.conns:
            self.conns.pop(self.i).close()
        self.i = (self.i + 1) % len(self.urls)

    def post(self, path, body):
        """(status, parsed body) or (None, None) on a socket error; moves on to the next URL then."""
        try:
            c = self._conn()
            c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
            r = c.getresponse()
            data = r.read()
            if r.status != 200:
                self._next(True)
            elif self.spread:
                self._next(False)
            return r.status, (json.loads(data) if data else None)
        except (OSError, http.client.HTTPException, ValueError):
            self._next(True)
            return None, None

    def put(self, key, val):
        if self.system == "ravel":
            status, _ = self.post("/put", {"key": key, "val": val})
        else:
            status, _ = self.post("/v3/kv/put", {"key": b64(key), "value": b64(val)})
        return status == 200

    def get(self, key):
        if self.system == "ravel":
            status, body = self.post("/get", {"key": key})
            return body.get("val") if status == 200 and body else None
        status, body = self.post("/v3/kv/range", {"key": b64(key)})
        if status != 200 or not body or not body.get("kvs"):
            return None
        return base64.b64decode(body["kvs"][0]["value"]).decode()


def value_of(key):
    return "value-" + key


def write(system, prefix, ackfile, urls, spread=False):
    signal.signal(signal.SIGTERM, on_term)
    # the admin retries a request for up to 10 s itself; an etcd member is left after 2 s
    client = Client(system, urls, 12 if system == "ravel" else 2, spread)
    n = 0
    with open(ackfile, "a", buffering=1) as out:
        while not STOP:
            key = "%s-%06d" % (prefix, n)
            if client.put(key, value_of(key)):
                out.write("%.6f %s\n" % (time.time(), key))
                n += 1
            else:
                time.sleep(0.02)


def check(system, ackfile, urls):
    client = Client(system, urls, 12 if system == "ravel" else 5)
    keys = [line.split()[1] for line in open(ackfile) if line.strip()]
    missing = []
    for key in keys:
        got = None
        for _ in range(3):
            got = client.get(key)
            if got is not None:
                break
        if got != value_of(key):
            missing.append(key)
    print("checked %d missing %d%s" % (len(keys), len(missing), (" first " + missing[0]) if missing else ""))
    return 1 if missing else 0


def gap(ackfile):
    times = [float(line.split()[0]) for line in open(ackfile) if line.strip()]
    longest = max((b - a for a, b in zip(times, times[1:])), default=0.0)
    print("%.3f %d" % (longest, len(times)))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "write":
        args = sys.argv[2:]
        spread = bool(args) and args[0] == "--spread"
        if spread:
            args = args[1:]
        write(args[0], args[1], args[2], args[3:], spread)
    elif mode == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4:]))
    elif mode == "gap":
        gap(sys.argv[2])
    else:
        sys.exit(__doc__)
