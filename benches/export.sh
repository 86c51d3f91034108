#!/usr/bin/env bash
# Exporting many hits: wall time and peak memory of `byline search
# --csv` (and `--json`) for 1,000, 10,000 and 100,000 hits, to show that
# memory does not grow with the number of hits (`--csv` and `--json` write
# 1,000 at a time). Not a pass/fail test (the machine is shared); the README
# quotes its figures.
#
#   benches/export.sh [INDEX] [BYLINE]
#
# INDEX: an index of at least 100,000 articles; without one, 120,000
# articles are generated with /work/shared/tools/gen-corpus (or $GEN_CORPUS)
# and indexed into a temp folder first (a few minutes). BYLINE defaults to
# target/release/byline. Needs python3 and Linux's /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:-}
BYLINE=${2:-target/release/byline}
GEN=${GEN_CORPUS:-/work/shared/tools/gen-corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$INDEX" ]; then
  INDEX=$tmp/index
  "$GEN" 120000 "$tmp/corpus.jsonl" --format jsonl
  "$BYLINE" --index "$INDEX" index "$tmp/corpus.jsonl" --json >/dev/null
  rm "$tmp/corpus.jsonl"
fi
docs=$("$BYLINE" --index "$INDEX" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
echo "index: $INDEX, $docs articles"

# One run: label, then byline's arguments after `search`. The output goes
# to a file, whose rows (or hits) are counted. Peak RSS counts the pages of
# the index's files that the run touched (they are mapped, and an export of
# most of the archive reads most of its document store); peak anonymous RSS
# (sampled every 10 ms) is the memory byline itself allocated.
run() {
  local label=$1; shift
  python3 - "$label" "$tmp/out" "$BYLINE" --index "$INDEX" search "$@" <<'PY'
import csv, json, resource, subprocess, sys, time
label, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.monotonic()
with open(out, "wb") as f:
    p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL)
    anon = 0
    while p.poll() is None:
        try:
            for line in open(f"/proc/{p.pid}/status"):
                if line.startswith("RssAnon:"):
                    anon = max(anon, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
wall = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if "--json" in cmd:
    rows = len(json.load(open(out))["hits"])
else:
    rows = sum(1 for _ in csv.reader(open(out, newline=""))) - 1
size = len(open(out, "rb").read()) / 1e6
print(f"{label:<40} {rows:7d} hits {size:7.1f} MB out {wall:6.2f} s "
      f"peak RSS {peak / 1000:6.1f} MB, anonymous {anon / 1000:6.1f} MB")
PY
}

"$BYLINE" --index "$INDEX" search -n 0 --json '*' >/dev/null # index files into the page cache
for n in 1000 10000 100000; do
  run "--csv -n $n '*' (newest first)" --csv -n "$n" '*'
done
for n in 1000 100000; do
  run "--json -n $n '*'" --json -n "$n" '*'
done
for n in 1000 100000; do
  run "--csv -n $n said (by relevance)" --csv -n "$n" said
done
run "--csv -n 100000 said --sort recent" --csv -n 100000 --sort recent said
