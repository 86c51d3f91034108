#!/usr/bin/env bash
# How far one machine takes byline: for each archive size in SIZES, a
# gen-corpus archive of that many articles (a folder of articles-NNN.jsonl of
# 100,000 lines each) is indexed under GNU time, then served on loopback and
# searched from one client. Per size it reports corpus and index size (MB and
# index bytes per article), indexing wall-clock seconds, MB/s and peak RSS,
# and search latency: every query of benches/serve-load.lua sent as
# /api/search?q=Q&n=10 on one kept-alive connection, one at a time, 3
# warm-up passes then 20 timed passes; p50, p99 and max over all timed
# requests, and the server's peak RSS (VmHWM) after the passes. Every answer
# must be 200: the non-200 count is printed under the table.
# Not a pass/fail test (the machine is shared and has 2 cores: the load
# average at each step is noted); the README may quote its figures.
#
#   benches/scale.sh [BYLINE] [WORK]    # defaults target/release/byline, /tmp/scale
#
#   BYLINE   byline binary (release build)
#   WORK     work folder: corpus-N/, idx-N/, per-size logs in N/, and
#            results.md (the table; a later run adds its rows to it, and a
#            size run again replaces its row)
#
# Environment: SIZES (articles, "200000 1000000 2000000"), GEN_CORPUS
# (../shared/tools/gen-corpus), MIN_FREE_GB (15: below this much free disk
# after a step, the corpus of a size is deleted once indexed, and its index
# once searched; a corpus with a .done marker is reused, not regenerated),
# WARMUP (3 passes), PASSES (20).
# Peak RSS (GNU time's maximum resident set size, and VmHWM) counts the index
# files byline maps and reads as well as its own memory: at the end of
# `byline index` the last merge and the pass over every stored article for
# the story map read the index files through the page cache. The indexing
# seconds are GNU time's wall clock, which includes both; the seconds byline
# prints do not.
# Needs GNU time (`apt-get install time`), python3, and about 2.3 KB of corpus
# plus 4 KB of index per article on disk, the index twice that while its
# last merge runs (peak about 20 GB at 2,000,000 articles). On 2 shared
# cores, about 8 minutes per 1,000,000 articles, generating and indexing; the
# default sizes about 27 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
LUA=$PWD/benches/serve-load.lua
BYLINE=$(realpath "${1:-target/release/byline}")
WORK=${2:-/tmp/scale}
SIZES=${SIZES:-200000 1000000 2000000}
GEN=${GEN_CORPUS:-../shared/tools/gen-corpus}
MIN_FREE_GB=${MIN_FREE_GB:-15}
WARMUP=${WARMUP:-3}
PASSES=${PASSES:-20}
[ -x /usr/bin/time ] || { echo "scale: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scale: needs python3" >&2; exit 2; }
[ -x "$BYLINE" ] || { echo "scale: no byline binary at $BYLINE" >&2; exit 2; }
[ -f "$GEN" ] || { echo "scale: no generator at $GEN (set GEN_CORPUS)" >&2; exit 2; }
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
ROWS=$WORK/results.rows     # one table row a size, after its N
NOTES=$WORK/results.notes   # one line of notes a size

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'echo "scale: interrupted" >&2; exit 130' INT TERM

now() { date -u +%H:%M:%S; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
free_gb() { df -P --block-size=1G "$WORK" | awk 'NR == 2 { print $4 }'; }

# The table from ROWS and NOTES, to stdout and WORK/results.md.
table() {
  {
    echo "| articles | corpus MB | index MB | index bytes per article | indexing s | MB/s | peak RSS MB (indexing) | query p50 ms | p99 ms | max ms | server RSS MB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    [ -f "$ROWS" ] && sort -n "$ROWS" | cut -d' ' -f2-
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1e6 }' /proc/meminfo) RAM; byline $("$BYLINE" --version | cut -d' ' -f2)."
    echo "Queries: $(grep -cE '^\s*\{ "[a-z]+", \[\[' "$LUA") of benches/serve-load.lua as /api/search?q=Q&n=10, one kept-alive connection, sequential, $WARMUP warm-up then $PASSES timed passes."
    echo
    [ -f "$NOTES" ] && sort -n "$NOTES" | sed 's/^[0-9]* /- /'
    true
  } > "$WORK/results.md"
  cat "$WORK/results.md"
}

# replace LINE FILE KEY: FILE keeps one line per KEY, its first word (a later
# run of the same size replaces it).
replace() {
  local line=$1 file=$2 key=$3
  touch "$file"
  awk -v k="$key" '$1 != k' "$file" > "$file.tmp"
  printf '%s\n' "$line" >> "$file.tmp"
  mv "$file.tmp" "$file"
}

echo "scale: $BYLINE, work folder $WORK, sizes $SIZES, $(nproc) cores, $(free_gb) GB free, load $(load)"
for N in $SIZES; do
  corpus=$WORK/corpus-$N idx=$WORK/idx-$N logs=$WORK/$N
  mkdir -p "$logs"
  echo "== $N articles (started $(now) UTC)"

  # 1. corpus
  if [ -f "$corpus.done" ] && [ -d "$corpus" ]; then
    echo "   corpus: reusing $corpus"
    gen_note="corpus reused from an earlier run"
  else
    rm -rf "$corpus" "$corpus.done"
    mkdir -p "$corpus"
    echo "   corpus: generating ($(now), load $(load))"
    t0=$(date +%s.%N)
    python3 "$GEN" "$N" "$corpus" --format jsonl > "$logs/gen.log"
    gen_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}')" "$t0" "$(date +%s.%N)")
    touch "$corpus.done"
    gen_note="corpus generated in $gen_s s"
  fi
  corpus_bytes=$(du -sb "$corpus" | cut -f1)
  echo "   corpus: $(ls "$corpus" | wc -l) files, $((corpus_bytes / 1000000)) MB ($gen_note)"

  # 2. index
  rm -rf "$idx"
  load_index=$(load)
  echo "   index: started $(now) UTC, load $load_index"
  status=0
  /usr/bin/time -v -o "$logs/index.time" "$BYLINE" --color never --index "$idx" index "$corpus" \
    > "$logs/index.out" 2> "$logs/index.err" || status=$?
  cat "$logs/index.out"
  if [ -s "$logs/index.err" ]; then
    echo "   index: byline wrote to stderr ($(wc -l < "$logs/index.err") lines, $logs/index.err):"
    head -5 "$logs/index.err" | sed 's/^/     /'
  fi
  [ "$status" = 0 ] || { echo "scale: byline index exited $status" >&2; exit 1; }
  wall=$(python3 - "$logs/index.time" <<'PY'
import sys
for line in open(sys.argv[1]):
    if "Elapsed (wall clock)" in line:
        parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
        s = 0.0
        for p in parts:
            s = s * 60 + p
        print(f"{s:.2f}")
PY
)
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$logs/index.time")
  cpu=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$logs/index.time")
  idx_bytes=$(du -sb "$idx" | cut -f1)
  echo "   index: ${wall} s wall, ${cpu} CPU, peak RSS $((rss_kb / 1000)) MB, $((idx_bytes / 1000000)) MB on disk (ended $(now) UTC)"
  if [ "$(free_gb)" -lt "$MIN_FREE_GB" ]; then
    echo "   disk: $(free_gb) GB free, deleting $corpus"
    rm -rf "$corpus" "$corpus.done"
  fi

  # 3. search latency
  "$BYLINE" --color never --index "$idx" serve --bind 127.0.0.1:0 > "$logs/serve.log" 2>&1 &
  SERVER_PID=$!
  port=
  for _ in $(seq 1200); do
    port=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$logs/serve.log" | head -1)
    if [ -n "$port" ] && python3 -c "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=5); c.request('GET', '/api/health'); sys.exit(c.getresponse().status != 200)" "$port" 2>/dev/null; then
      break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "scale: byline serve died:" >&2; cat "$logs/serve.log" >&2; exit 1; }
    port=
    sleep 0.1
  done
  [ -n "$port" ] || { echo "scale: byline serve did not answer in 120 s" >&2; exit 1; }
  load_query=$(load)
  echo "   serve: pid $SERVER_PID on 127.0.0.1:$port, RSS after start $(awk '/VmRSS/ { print int($2 / 1000) }' /proc/$SERVER_PID/status) MB; querying ($(now) UTC, load $load_query)"
  qout=$(python3 - "$LUA" "$port" "$WARMUP" "$PASSES" "$logs" <<'PY'
import http.client, json, re, sys, time, urllib.parse
lua, port, warmup, passes, logs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
queries = [q for _, q in re.findall(r'^\s*\{\s*"(\w+)",\s*\[\[(.*?)\]\]\s*\},', open(lua).read(), re.M)]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
timed, bad, hits = [], [], {}
per_query = {q: [] for q in queries}
for p in range(warmup + passes):
    for q in queries:
        path = "/api/search?q=" + urllib.parse.quote(q, safe="") + "&n=10"
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            status = r.status
        except (http.client.HTTPException, OSError) as e:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            body, status = b"", f"error {e!r}"
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            bad.append((q, status, body[:200].decode("utf-8", "replace")))
        elif p == 0:
            hits[q] = json.loads(body).get("total")
        if p >= warmup:
            timed.append(ms)
            per_query[q].append(ms)
timed.sort()
def pct(v, p):  # nearest rank
    return v[max(0, -(-len(v) * p // 100) - 1)]
with open(f"{logs}/query.detail", "w") as f:
    f.write("median_ms\tmax_ms\thits\tquery\n")
    for q in sorted(queries, key=lambda q: -sorted(per_query[q])[len(per_query[q]) // 2]):
        v = sorted(per_query[q])
        f.write(f"{v[len(v) // 2]:.2f}\t{v[-1]:.2f}\t{hits.get(q)}\t{q}\n")
    for b in bad:
        f.write(f"NON-200 {b}\n")
summary = {"queries": len(queries), "timed": len(timed), "p50": pct(timed, 50), "p99": pct(timed, 99),
           "max": timed[-1], "non200": len(bad), "zero_hits": [q for q in queries if hits.get(q) == 0]}
json.dump(summary, open(f"{logs}/query.summary", "w"))
print(f"{summary['p50']:.2f} {summary['p99']:.2f} {summary['max']:.2f} {len(bad)} {len(timed)} {len(queries)} {len(summary['zero_hits'])}")
PY
)
  read -r p50 p99 max non200 timed nq zero <<< "$qout"
  hwm_kb=$(awk '/VmHWM/ { print $2 }' /proc/$SERVER_PID/status)
  rss_now_kb=$(awk '/VmRSS/ { print $2 }' /proc/$SERVER_PID/status)
  kill -TERM "$SERVER_PID"
  serve_status=0
  wait "$SERVER_PID" || serve_status=$?
  SERVER_PID=
  slowest=$(awk -F'\t' 'NR == 2 { printf "%s (median %s ms)", $4, $1 }' "$logs/query.detail")
  echo "   search: p50 $p50 ms, p99 $p99 ms, max $max ms over $timed requests; $non200 non-200; server VmHWM $((hwm_kb / 1000)) MB, VmRSS $((rss_now_kb / 1000)) MB; serve exited $serve_status on SIGTERM ($(now) UTC)"
  [ "$non200" = 0 ] || { echo "   search: NON-200 answers:"; grep '^NON-200' "$logs/query.detail" | head -5; }
  if [ -s "$logs/serve.log" ] && grep -qv '^byline: serving' "$logs/serve.log"; then
    echo "   serve: byline wrote more than its banner ($logs/serve.log):"
    grep -v '^byline: serving' "$logs/serve.log" | head -5 | sed 's/^/     /'
  fi

  row=$(python3 -c '
import sys
n, cb, ib, wall, rss, p50, p99, mx, hwm = sys.argv[1:]
n, cb, ib, wall, rss, hwm = int(n), int(cb), int(ib), float(wall), int(rss), int(hwm)
print(f"| {n:,} | {cb/1e6:,.0f} | {ib/1e6:,.0f} | {ib/n:,.0f} | {wall:.1f} | {cb/1e6/wall:.1f} | {rss/1000:,.0f} | {p50} | {p99} | {mx} | {hwm/1000:,.0f} |")' \
    "$N" "$corpus_bytes" "$idx_bytes" "$wall" "$rss_kb" "$p50" "$p99" "$max" "$hwm_kb")
  replace "$N $row" "$ROWS" "$N"
  replace "$N $(python3 -c "print(f'{$N:,}')") articles: $gen_note; indexing used ${cpu} CPU (load before: $load_index); $timed timed requests, $non200 non-200, $zero of $nq queries found nothing, slowest $slowest (load before: $load_query); run ended $(date -u '+%Y-%m-%d %H:%M') UTC." "$NOTES" "$N"

  if [ "$(free_gb)" -lt "$MIN_FREE_GB" ]; then
    echo "   disk: $(free_gb) GB free, deleting $idx"
    rm -rf "$idx"
  fi
  echo "== $N articles done ($(now) UTC)"
done
echo
table
