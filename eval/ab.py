#!/usr/bin/env python3
"""Interleaved A/B runs of indexing builds, for changes smaller than the noise.

This machine's speed drifts by 10-20% within an hour, so two builds timed
one after the other can swap places. This runs each variant once per round,
round after round, and reports total CPU (user + system, all threads) and
the median wall time of each, relative to the first variant.

    cargo bench --bench indexing --no-run      # prints the bench binary's path
    cp target/release/deps/indexing-<hash> /tmp/before    # then make the change
    python3 eval/ab.py 3 /tmp/200k.jsonl before=/tmp/before:byline \\
        after=target/release/deps/indexing-<newhash>:byline

A variant is LABEL=BINARY:KIND[:NAME=VALUE...]: BINARY is a build of
`benches/indexing.rs`, KIND one of its children (`bare`, `bare-rayon`,
`byline`, `byline-no-entities`), and NAME=VALUE set in the child's
environment. Standard library only.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def parse(spec):
    label, rest = spec.split("=", 1)
    binary, kind, *env = rest.split(":")
    extra = dict(e.split("=", 1) for e in env)
    return label, binary, kind, extra


def main():
    if len(sys.argv) < 4 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    rounds, corpus = int(sys.argv[1]), sys.argv[2]
    variants = [parse(s) for s in sys.argv[3:]]
    runs = {label: [] for label, *_ in variants}
    out = tempfile.mkdtemp(prefix="byline-ab-")
    try:
        for r in range(rounds):
            for label, binary, kind, extra in variants:
                shutil.rmtree(out, ignore_errors=True)
                start = time.monotonic()
                child = subprocess.Popen([binary, "--child", kind, corpus, out],
                                         env={**os.environ, **extra}, stdout=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                wall = time.monotonic() - start
                child.returncode = os.waitstatus_to_exitcode(status)
                if child.returncode != 0:
                    sys.exit(f"{label}: exit status {child.returncode}")
                cpu = usage.ru_utime + usage.ru_stime
                peak_mb = usage.ru_maxrss / 1024
                runs[label].append((cpu, wall, peak_mb))
                print(f"round {r + 1} {label}: {cpu:.2f} CPU s, {wall:.2f} s, peak {peak_mb:.0f} MB",
                      file=sys.stderr)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    first = next(iter(runs.values()))
    base_cpu = sum(c for c, _, _ in first)
    base_wall = statistics.median(w for _, w, _ in first)
    print(f"{'variant':14} {'CPU s':>8} {'CPU/first':>9} {'median s':>9} {'speed/first':>11} {'peak MB':>8}")
    for label, v in runs.items():
        cpu = sum(c for c, _, _ in v)
        wall = statistics.median(w for _, w, _ in v)
        peak = max(p for _, _, p in v)
        print(f"{label:14} {cpu:8.2f} {cpu / base_cpu:9.3f} {wall:9.2f} {base_wall / wall:11.3f} {peak:8.0f}")


if __name__ == "__main__":
    main()
