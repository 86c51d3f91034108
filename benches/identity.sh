#!/usr/bin/env bash
# Issue #25's figures on a 200,000-record JSON Lines archive:
#   - `byline show` of one article, by id and by FILE#KEY: wall time of the
#     whole process (start to exit), p50 and p90 of RUNS runs each;
#   - `reindex` after deleting one line from the middle of the file: its
#     counts (1 removed, 0 updated is the claim) and its time, and the same
#     after inserting the line back.
# Not a pass/fail test (the machine is shared); the README quotes its figures.
#
#   benches/identity.sh [BYLINE] [N]   # default target/release/byline, 200000
#
# Generates the corpus with ../shared/tools/gen-corpus into a temporary
# folder (or uses $BYLINE_BENCH_JSONL, a file it copies). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
BYLINE=$(realpath "${1:-target/release/byline}")
N=${2:-200000}
RUNS=${RUNS:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus"
file="$tmp/corpus/wire.jsonl"
if [ -n "${BYLINE_BENCH_JSONL:-}" ]; then
  cp "$BYLINE_BENCH_JSONL" "$file"
else
  python3 ../shared/tools/gen-corpus "$N" "$file" --format jsonl >/dev/null
fi
# An hour old: reindex trusts the mtime of a file that old (see RACY_NS).
touch -d '1 hour ago' "$file"
cd "$tmp"
records=$(wc -l < "$file")
echo "corpus: $records records, $(du -m "$file" | cut -f1) MB"
/usr/bin/env time -f 'index: %e s wall, %M KB peak' "$BYLINE" index --json corpus > index.json
python3 -c 'import json; print("indexed", json.load(open("index.json"))["indexed"], "articles")'

# The article in the middle of the file: its id and its path.
mid=$((records / 2))
id=$(sed -n "${mid}p" "$file" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
path="corpus/wire.jsonl#$id"

# Wall time of one process from start to exit, in ms, RUNS times.
timed() {
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)  # warm the page cache
ms = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    ms.append((time.perf_counter() - t) * 1000)
ms.sort()
print(f"p50 {ms[len(ms) // 2]:.2f} ms, p90 {ms[len(ms) * 9 // 10]:.2f} ms, min {ms[0]:.2f} ms ({runs} runs)")
PY
}
echo "show by id ($id): $(timed "$BYLINE" show "$id")"
echo "show by path ($path): $(timed "$BYLINE" show "$path")"
echo "show --json by id: $(timed "$BYLINE" show --json "$id")"
echo "baseline, byline --version: $(timed "$BYLINE" --version)"
# Without entities nothing is extracted: what the word lists cost.
"$BYLINE" --index index-plain index --no-entities corpus >/dev/null 2>&1
echo "show by id, index built --no-entities: $(timed "$BYLINE" --index index-plain show "$id")"
rm -rf index-plain

# One line deleted from the middle, then put back.
line=$(sed -n "${mid}p" "$file")
sed -i "${mid}d" "$file"
touch -d '1 hour ago' "$file"
report() {
  python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
counts = ", ".join(f"{k} {r[k]}" for k in ("added", "updated", "removed", "unchanged"))
print(f"{sys.argv[2]}: {counts}; {r['seconds']:.2f} s")
PY
}
/usr/bin/env time -f '  (%e s wall, %M KB peak)' "$BYLINE" reindex --json corpus > deleted.json
report deleted.json "reindex after deleting line $mid"
if "$BYLINE" show "$path" >/dev/null 2>&1; then echo "ERROR: $path still shown"; fi
python3 - "$file" "$mid" "$line" <<'PY'
import sys
path, at, line = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path).read().split("\n")
lines.insert(at - 1, line)
open(path, "w").write("\n".join(lines))
PY
touch -d '1 hour ago' "$file"
/usr/bin/env time -f '  (%e s wall, %M KB peak)' "$BYLINE" reindex --json corpus > inserted.json
report inserted.json "reindex after putting it back"
"$BYLINE" show "$path" >/dev/null && echo "$path is shown again"
