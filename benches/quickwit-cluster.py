#!/usr/bin/env python3
"""Quickwit fed by byline: one node against a cluster of three on loopback,
and both against byline's own index, on the same archive.

    python3 benches/quickwit-cluster.py BYLINE INDEX QUICKWIT_BIN [WORK]

BYLINE is a release byline (with the `quickwit` feature), INDEX a byline
index (the 200k synthetic corpus: `../shared/tools/gen-corpus 200000
/tmp/200k.jsonl`, then `byline --index /tmp/idx200k index /tmp/200k.jsonl`),
QUICKWIT_BIN a quickwit binary (README, "Quickwit"). For each setup:

  one node   a node with every service (indexer, janitor, metastore,
             control plane, searcher);
  cluster    that node and two more with only the searcher service, which
             join it by gossip (peer_seeds); searches are sent to a
             searcher-only node, whose root search spreads the splits over
             the three searchers, as Quickwit advises for scaling search.

it starts the nodes with a file metastore and storage under WORK (default
/tmp/qw-bench), runs `byline quickwit push` (ingest MB/s: bytes of
documents sent over wall-clock seconds, until the last batch is
searchable), then times each query of benches/serve-load.lua (those the
translation accepts) through `byline search --quickwit` (-n 10), PASSES
times (default 5) after one warm-up pass, and the same queries through
`byline search` on INDEX. Each timing is a whole command, as a user runs
it: process start, the request and its answer, printing. Prints a markdown
table. Not a pass/fail test; the machine has 2 cores, which the three
nodes share, so the cluster shows Quickwit's overhead of distribution here,
not the gain of more machines.
"""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PASSES = int(os.environ.get("PASSES", "5"))


def queries():
    text = open(os.path.join(HERE, "serve-load.lua"), encoding="utf-8").read()
    return re.findall(r'\{ "\w+", \[\[(.*?)\]\] \}', text)


def ready(port, deadline=90):
    end = time.time() + deadline
    while time.time() < end:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health/readyz", timeout=2).read().strip() == b"true":
                return True
        except Exception:
            pass
        time.sleep(0.5)
    return False


def start(bin_, work, node, port, seeds=None, services=None):
    data = os.path.join(work, "data")
    os.makedirs(os.path.join(data, node), exist_ok=True)
    cfg = os.path.join(work, f"{node}.yaml")
    lines = ["version: 0.8", f"node_id: {node}", "listen_address: 127.0.0.1", "rest:",
             f"  listen_port: {port}", f"data_dir: {data}/{node}",
             f"metastore_uri: file://{data}/indexes", f"default_index_root_uri: file://{data}/indexes"]
    if seeds:
        lines.append(f"peer_seeds: [{seeds}]")
    open(cfg, "w").write("\n".join(lines) + "\n")
    env = dict(os.environ, QW_CONFIG=cfg, QW_DISABLE_TELEMETRY="1")
    if services:
        env["QW_ENABLED_SERVICES"] = services
    p = subprocess.Popen([bin_, "run"], cwd=work, env=env, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(work, f"{node}.log"), "w"))
    if not ready(port):
        sys.exit(f"quickwit {node} not ready on {port}: see {work}/{node}.log")
    return p


def stop(procs):
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def time_queries(byline, index, qs, remote=None):
    times = []
    for rnd in range(PASSES + 1):
        for q in qs:
            cmd = [byline, "--index", index, "search", "-n", "10", "--color", "never"]
            if remote:
                cmd += ["--quickwit", remote, "--quickwit-index", "bench"]
            t = time.perf_counter()
            out = subprocess.run(cmd + ["--", q], capture_output=True)
            ms = (time.perf_counter() - t) * 1000
            if out.returncode > 1:
                sys.exit(f"{q}: {out.stderr.decode()}")
            if rnd > 0:
                times.append(ms)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], len(times)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    byline, index, qw = sys.argv[1:4]
    work = sys.argv[4] if len(sys.argv) > 4 else "/tmp/qw-bench"
    qs = []
    for q in queries():
        out = subprocess.run([byline, "--index", index, "search", "-n", "0", "--quickwit", "http://127.0.0.1:9", "--", q],
                             capture_output=True, text=True)
        if "Quickwit cannot" in out.stderr:
            print(f"not translated: {q!r}", file=sys.stderr)
        else:
            qs.append(q)
    rows = []
    p50, p99, n = time_queries(byline, index, qs)
    rows.append(("byline, its own index", "", p50, p99, n))
    for setup in ("one node", "cluster"):
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        procs = [start(qw, work, "n1", 27411)]
        search_port = 27411
        if setup == "cluster":
            procs.append(start(qw, work, "n2", 27421, "127.0.0.1:27411", "searcher"))
            procs.append(start(qw, work, "n3", 27431, "127.0.0.1:27411", "searcher"))
            search_port = 27421
            time.sleep(5)  # gossip
        try:
            # A copy of the index, so that its push ledger starts empty.
            shutil.rmtree(os.path.join(index, ".byline-quickwit"), ignore_errors=True)
            out = subprocess.run([byline, "--index", index, "quickwit", "push", "--url", "http://127.0.0.1:27411",
                                  "--quickwit-index", "bench", "--json"], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(out.stderr)
            r = json.loads(out.stdout)
            ingest = f"{r['bytes'] / 1e6 / r['seconds']:.1f} MB/s ({r['bytes'] / 1e6:.0f} MB, {r['seconds']:.0f} s)"
            splits = json.load(urllib.request.urlopen(f"http://127.0.0.1:27411/api/v1/indexes/bench/splits"))
            p50, p99, n = time_queries(byline, index, qs, f"http://127.0.0.1:{search_port}")
            rows.append((f"Quickwit, {setup}", ingest + f", {splits['size']} splits", p50, p99, n))
        finally:
            stop(procs)
            shutil.rmtree(os.path.join(index, ".byline-quickwit"), ignore_errors=True)
    print(f"{len(qs)} queries, {PASSES} passes; each a whole `byline search` command")
    print()
    print("| engine | ingest | p50 ms | p99 ms | searches |")
    print("|---|---|---:|---:|---:|")
    for name, ingest, p50, p99, n in rows:
        print(f"| {name} | {ingest} | {p50:.1f} | {p99:.1f} | {n} |")


if __name__ == "__main__":
    main()
