#!/usr/bin/env python3
"""CPU time `byline serve` spends per search, for one or more byline binaries.

Requests per second under load move by a fifth between runs on this shared
2-core machine; the processor time the server takes for a search moves far
less, so this is the figure to compare builds with. For each binary in turn
(ROUNDS times, interleaved) it starts `byline serve` on INDEX, sends every
query of benches/serve-load.lua once to warm it, then each query REP times
from one client on one kept-alive connection, and reads the server's user +
system time from /proc before and after. It prints, per query (with -v) and
over the whole mix, the least milliseconds of CPU per search over the rounds.

    benches/serve-cpu.py [-v] INDEX BYLINE [BYLINE ...]

Environment: ROUNDS (2), REP (40; /proc counts in 10 ms ticks, so a query
needs REP x its time well over 10 ms), QUERIES (a file of queries, one a
line, instead of serve-load.lua's).
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def queries():
    if os.environ.get("QUERIES"):
        with open(os.environ["QUERIES"], encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    with open(os.path.join(HERE, "serve-load.lua"), encoding="utf-8") as f:
        return [q for _, q in re.findall(r'^\s*\{ "(plain|byline)", \[\[(.*)\]\] \},', f.read(), re.M)]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(binary, index, qs, rep):
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve", "--index", index, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/health")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit(f"{binary}: the server did not answer")
        paths = ["/api/search?" + urllib.parse.urlencode({"q": q, "n": 10}) for q in qs]
        for path in paths:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                sys.exit(f"{binary}: {path} answered {resp.status}")
        per = []
        for path in paths:
            before = cpu_seconds(server.pid)
            for _ in range(rep):
                conn.request("GET", path)
                conn.getresponse().read()
            per.append((cpu_seconds(server.pid) - before) / rep * 1000)
        return per
    finally:
        server.kill()
        server.wait()


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    if len(args) < 2:
        sys.exit(__doc__)
    index, binaries = args[0], args[1:]
    rounds = int(os.environ.get("ROUNDS", "2"))
    rep = int(os.environ.get("REP", "40"))
    qs = queries()
    runs = {b: [] for b in binaries}
    for _ in range(rounds):
        for b in binaries:
            runs[b].append(measure(b, index, qs, rep))
    best = {b: [min(r[i] for r in runs[b]) for i in range(len(qs))] for b in binaries}
    if verbose:
        for i, q in enumerate(qs):
            print(f"{q[:44]:44s} " + " ".join(f"{best[b][i]:7.2f}" for b in binaries))
    print(f"CPU ms per search over {len(qs)} queries ({rounds} rounds, {rep} each, least of the rounds):")
    for b in binaries:
        print(f"  {sum(best[b]) / len(qs):.3f}  {b}")


if __name__ == "__main__":
    main()
