#!/usr/bin/env bash
# Exporting many hits: wall time and peak memory (RSS) of `byline search
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
# target/release/byline. Needs GNU time (`apt-get install time`).
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:-}
BYLINE=${2:-target/release/byline}
GEN=${GEN_CORPUS:-/work/shared/tools/gen-corpus}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
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

# One run: label, then byline's arguments after `search`; the output goes to
# a file, whose rows (or hits) are counted.
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$BYLINE" --index "$INDEX" search "$@" >"$tmp/out" 2>/dev/null || true
  read -r wall kb <"$tmp/time"
  local bytes rows
  bytes=$(stat -c %s "$tmp/out")
  case " $* " in
    *" --json "*) rows=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["hits"]))' "$tmp/out") ;;
    *) rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$tmp/out") ;;
  esac
  printf '%-44s %7d hits %7.1f MB out %7.2f s %7.1f MB peak RSS\n' \
    "$label" "$rows" "$(echo "$bytes / 1000000" | bc -l)" "$wall" "$(echo "$kb / 1000" | bc -l)"
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
