#!/usr/bin/env bash
# The 200k bench with copies: gen-corpus articles with copies of 2% of their
# stories added (benches/add-copies.py: one to three each, within two days,
# under a new headline, trimmed, extended or corrected), indexed; then how
# many stories and copies byline finds against how many were added, how long
# working the stories out takes (`duplicates`, the same work every writer run
# does when it ends), and search latency with copies collapsed against
# --all-copies in the same run (benches/latency.rs, BYLINE_BENCH_COPIES=compare).
# Not a pass/fail test (the machine is shared); the README quotes its figures.
#
#   benches/copies.sh [N]        # default 200000; needs ../shared/tools/gen-corpus
#
# Set GEN_CORPUS to the generator, TMPDIR for the work folder (about 1.5 GB
# at 200,000 articles). Takes about three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
GEN=${GEN_CORPUS:-../shared/tools/gen-corpus}
[ -f "$GEN" ] || { echo "no generator at $GEN (set GEN_CORPUS)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet
bench=$(cargo bench --bench latency --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "latency":
        print(m["executable"])')
python3 "$GEN" "$N" "$tmp/base.jsonl" --format jsonl >/dev/null
added=$(python3 benches/add-copies.py "$tmp/base.jsonl" "$tmp/copies.jsonl" | cut -d' ' -f1)
echo "$N articles, $added copies added"
target/release/byline --index "$tmp/idx" index "$tmp/copies.jsonl" --json >"$tmp/index.json"
python3 - "$tmp/index.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"indexed {r['indexed']} articles in {r['seconds']:.1f} s")
PY
start=$(date +%s.%N)
target/release/byline --index "$tmp/idx" duplicates -n 0 --json >"$tmp/dups.json"
end=$(date +%s.%N)
python3 - "$tmp/dups.json" "$added" "$start" "$end" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
added, secs = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3])
# Each story should be one generated article and its copies: every copy found
# (in_stories - total == added), and no story without one (copy ids end in -copyK).
mixed = [s for s in d["stories"] if not any("-copy" in c["id"] for c in s["copies"])]
print(f'{d["total"]} stories with copies, {d["in_stories"]} articles in them; '
      f'copies found {d["in_stories"] - d["total"]} of {added} added; '
      f'stories with no added copy {len(mixed)}; duplicates took {secs:.2f} s')
PY
BYLINE_BENCH_INDEX="$tmp/idx" BYLINE_BENCH_COPIES=compare "$bench" --bench
