#!/usr/bin/env bash
# Load test of `byline serve` on loopback, against `tantivy-cli serve` on the
# same corpus in the same run, and byline again while `byline reindex` runs.
#
# What it does, one server at a time (the other one is stopped):
#   1. byline serve on BYLINE_INDEX: every query of benches/serve-load.lua
#      (keywords, phrases, OR, exclusions, person:/org:/place: filters,
#      dates, prefixes, misspellings), then only its plain keyword and phrase
#      queries; 16 and 64 clients each.
#   2. tantivy-cli serve on TANTIVY_INDEX: the same plain queries, each word
#      and phrase marked required (+word) so that both engines match the same
#      articles (byline requires every word; tantivy-cli's parser ORs them);
#      16 and 64 clients; then the same with a new connection per request
#      (tantivy-close): on a kept-alive connection tantivy-cli's HTTP layer
#      answers ~40 ms late whatever the load, which caps it near 22 req/s
#      per connection (serve-load.lua says why). tantivy-cli returns the
#      stored fields of each hit (title, body: the whole article); byline
#      returns a snippet, entities, copies and the rest of
#      `byline search --json`.
#   3. byline serve on a copy of BYLINE_INDEX while `byline reindex` runs
#      over and over against it: a folder holding one JSON Lines file of
#      REINDEX_BATCH articles that is replaced by another set before each pass
#      (so every pass adds REINDEX_BATCH articles and deletes as many, then
#      commits, and the server must pick the new segments up); every query,
#      16 and 64 clients.
# Before loading each server it sends every query three times from one client
# and prints its status, hit count and fastest time (a query that finds
# nothing measures nothing, except the misspellings); each loaded run
# follows a short warm-up. The query list is the one in serve-load.lua, which
# says why these queries.
#
# Output: a markdown table (server, queries, clients, req/s, p50, p99, max,
# errors, the CPU the server and wrk each took in % of one core) and the work
# folder with wrk's full output. Errors are wrk's socket errors (connect,
# read, write, timeout) plus non-2xx/3xx responses; they must be 0.
#
# The machine has 2 cores: wrk (THREADS threads, default 2) shares them with
# the server, so req/s is a floor of what the server does alone, and the CPU
# columns say how the cores were split. Not a pass/fail test.
#
#   benches/serve-load.sh BYLINE BYLINE_INDEX TANTIVY TANTIVY_INDEX CORPUS [DURATION]
#
#   BYLINE         byline binary (with `serve`)
#   BYLINE_INDEX   a byline index of CORPUS (`byline --index DIR index FOLDER`);
#                  only read: step 3 works on a copy
#   TANTIVY        tantivy-cli binary (`cargo install tantivy-cli`)
#   TANTIVY_INDEX  a tantivy-cli index of the same articles (fields title and
#                  body indexed and stored, id stored)
#   CORPUS         the JSON Lines corpus the indexes hold (gen-corpus output)
#   DURATION       of each loaded run, wrk syntax [default 30s]
#
# Environment: THREADS (wrk threads, 2), CLIENTS ("16 64"), WARMUP (5s),
# TIMEOUT (wrk's per-request timeout, counted as an error, 10s: byline's
# own limit, past which it answers 504; wrk counts a timeout only when the
# late answer arrives, and a request still unanswered when the run ends is
# counted nowhere, so a shorter timeout hides stalls),
# REINDEX_BATCH (5000), GEN_CORPUS (../shared/tools/gen-corpus: makes the
# reindex batches; without it they are cut from CORPUS with new ids and
# titles), TMPDIR (the work folder goes there; step 3 copies the index),
# SKIP ("tantivy", "reindex", "plain": steps to leave out), TANTIVY_MODES
# ("tantivy tantivy-close"; tantivy-close sends each request on a new
# connection, see serve-load.lua; add "tantivy-or" for the plain queries as
# typed, ORed).
# Needs wrk, curl, python3. Takes about 7 minutes with 30 s runs.
set -euo pipefail
cd "$(dirname "$0")/.."
LUA=$PWD/benches/serve-load.lua

if [ $# -lt 5 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
fi
BYLINE=$(realpath "$1"); BYLINE_INDEX=$(realpath "$2")
TANTIVY=$(realpath "$3"); TANTIVY_INDEX=$(realpath "$4")
CORPUS=$(realpath "$5"); DURATION=${6:-30s}
THREADS=${THREADS:-2}
CLIENTS=${CLIENTS:-16 64}
WARMUP=${WARMUP:-5s}
TIMEOUT=${TIMEOUT:-10s}
REINDEX_BATCH=${REINDEX_BATCH:-5000}
GEN=${GEN_CORPUS:-../shared/tools/gen-corpus}
SKIP=${SKIP:-}
TANTIVY_MODES=${TANTIVY_MODES:-tantivy tantivy-close}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "serve-load: needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/serve-load.XXXXXX")
SERVER_PID=
LOOP_PID=
cleanup() {
  [ -n "$LOOP_PID" ] && kill "$LOOP_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK/idx"   # the index copy of step 3; wrk's output stays
}
trap cleanup EXIT
echo "work folder: $WORK"
echo "wrk: $THREADS threads, runs of $DURATION, timeout $TIMEOUT, $(nproc) cores"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME PROBE_PATH CMD...: runs CMD in the background (PORT is
# set), waits until PROBE_PATH answers 200.
start_server() {
  local name=$1 probe=$2; shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT$probe"; then
      echo "$name: pid $SERVER_PID on 127.0.0.1:$PORT"
      return
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name died:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name did not answer on $PORT in 120 s" >&2; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

start_byline() {
  PORT=$(free_port)
  start_server "byline-$2" /api/health "$BYLINE" serve --index "$1" --bind "127.0.0.1:$PORT"
}

start_tantivy() {
  PORT=$(free_port)
  start_server tantivy "/api/?q=bank&nhits=1" "$TANTIVY" serve -i "$TANTIVY_INDEX" --host 127.0.0.1 -p "$PORT"
}

# check_queries MODE: each query once; prints status and hits, fails on a non-2xx.
check_queries() {
  python3 - "$LUA" "$1" "$PORT" <<'PY'
import json, re, sys, time, urllib.error, urllib.parse, urllib.request
lua, mode, port = sys.argv[1], sys.argv[2], sys.argv[3]
qs = re.findall(r'^\s*\{ "(plain|byline)", \[\[(.*)\]\] \},', open(lua).read(), re.M)
def required(q):
    return " ".join("+" + t for t in re.findall(r'"[^"]*"|\S+', q))
bad, rows, timed = 0, [], []
for kind, q in qs:
    if mode != "byline" and kind != "plain":
        continue
    if mode.startswith("tantivy"):
        path = "/api/?" + urllib.parse.urlencode({"q": q if mode == "tantivy-or" else required(q), "nhits": 10})
    else:
        path = "/api/search?" + urllib.parse.urlencode({"q": q, "n": 10})
    times = []
    for _ in range(3):  # the fastest of three: one client, warm
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                status, body = r.status, json.load(r)
        except urllib.error.HTTPError as e:
            status, body = e.code, {"error": e.read().decode(errors="replace")[:200]}
        times.append((time.perf_counter() - t) * 1000)
    ms = min(times)
    hits = body.get("total", body.get("num_hits", "?"))
    if status // 100 != 2:
        bad += 1
    timed.append((ms, q))
    rows.append(f"{q} = {hits} ({status}, {ms:.0f} ms)" if status // 100 == 2 else f"{q} = HTTP {status} {body}")
print(f"  {mode} queries = hits (status, fastest of 3 requests from one client):")
print("    " + "; ".join(rows))
slow = sorted(timed, reverse=True)[:5]
print("  slowest: " + ", ".join(f"{q} {ms:.0f} ms" for ms, q in slow))
zero = [r for r in rows if " = 0 (" in r]
if zero:
    print(f"  {len(zero)} quer{'y' if len(zero) == 1 else 'ies'} found nothing")
sys.exit(1 if bad else 0)
PY
}

cpu_ticks() {  # user + system clock ticks of a process so far
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

ROWS=()
# load LABEL MODE: warm-up, then one run per client count; appends table rows.
load() {
  local label=$1 mode=$2 url="http://127.0.0.1:$PORT" hz out t0 t1 c wall res e
  hz=$(getconf CLK_TCK)
  wrk -t"$THREADS" -c4 -d"$WARMUP" -s "$LUA" "$url" -- "$mode" >"$WORK/warmup-$label-$mode.txt"
  for c in $CLIENTS; do
    out="$WORK/wrk-$label-$mode-c$c.txt"
    t0=$(cpu_ticks "$SERVER_PID")
    /usr/bin/env time -f 'WRKCPU %U %S %e' -o "$out.time" \
      wrk -t"$THREADS" -c"$c" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$LUA" "$url" -- "$mode" >"$out"
    t1=$(cpu_ticks "$SERVER_PID")
    res=$(grep '^RESULT' "$out")
    wall=$(awk '/WRKCPU/ {print $4}' "$out.time")
    local srv_cpu wrk_cpu
    srv_cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v w="$wall" 'BEGIN {printf "%.0f%%", (b - a) / hz / w * 100}')
    wrk_cpu=$(awk '/WRKCPU/ {printf "%.0f%%", ($2 + $3) / $4 * 100}' "$out.time")
    # errors: socket errors plus non-2xx/3xx responses (wrk's own lines are in $out)
    e=$(python3 - "$mode" "$res" <<'PY'
import re, sys
d = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[2]))
kinds = ["connect", "read", "write", "timeout", "status"]
n = sum(int(d[k]) for k in kinds)
if sys.argv[1] == "tantivy-close":  # the server closing as asked: not errors
    n -= int(d["read"]); d["read"] = "0"
out = str(n) if n == 0 else f"{n} (" + ", ".join(f"{k} {d[k]}" for k in kinds if int(d[k])) + ")"
print(out + (" NO RESPONSES: stalled" if int(d["requests"]) == 0 else ""))
PY
)
    ROWS+=("$(echo "$res" | awk -v l="$label" -v m="$mode" -v c="$c" -v e="$e" -v s="$srv_cpu" -v w="$wrk_cpu" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); d[kv[1]] = kv[2] }
      printf "| %s | %s | %d | %.0f | %.1f | %.1f | %.0f | %s | %s | %s |", l, m, c, d["rps"], d["p50_ms"], d["p99_ms"], d["max_ms"], e, s, w }')")
    echo "${ROWS[-1]}"
    grep -E 'Non-2xx|Socket errors' "$out" | sed 's/^/    wrk: /' || true
  done
}

skipping() { [[ " $SKIP " == *" $1 "* ]]; }

# 1. byline
start_byline "$BYLINE_INDEX" plain
echo "  $(curl -s "http://127.0.0.1:$PORT/api/health")"
check_queries byline
load byline byline
if ! skipping plain; then
  load byline byline-plain
fi
stop_server

# 2. tantivy-cli
if ! skipping tantivy; then
  start_tantivy
  for mode in $TANTIVY_MODES; do
    check_queries "$mode"
    load tantivy-cli "$mode"
  done
  stop_server
fi

# 3. byline while reindex runs
if ! skipping reindex; then
  echo "copying the index for the reindex runs ($(du -sh "$BYLINE_INDEX" | cut -f1))"
  cp -a "$BYLINE_INDEX" "$WORK/idx"
  rm -f "$WORK/idx/.byline-writer.lock"
  mkdir -p "$WORK/batches" "$WORK/extra"
  # Two sets of REINDEX_BATCH articles, new to the index (ids load-a-*, load-b-*).
  if [ -f "$GEN" ]; then
    python3 "$GEN" "$REINDEX_BATCH" "$WORK/batches/gen.jsonl" --format jsonl --seed 20260 >/dev/null
  else
    head -n "$REINDEX_BATCH" "$CORPUS" >"$WORK/batches/gen.jsonl"
  fi
  python3 - "$WORK/batches" <<'PY'
import json, sys
d = sys.argv[1]
for tag in "ab":
    with open(f"{d}/gen.jsonl") as f, open(f"{d}/{tag}.jsonl", "w") as out:
        for line in f:
            r = json.loads(line)
            r["id"] = f"load-{tag}-{r['id']}"
            r["title"] = f"{r['title']} ({tag})"
            out.write(json.dumps(r) + "\n")
PY
  cp "$WORK/batches/a.jsonl" "$WORK/extra/batch.jsonl"
  "$BYLINE" --index "$WORK/idx" reindex "$WORK/extra" --json >"$WORK/reindex-first.json"
  echo "  first reindex (adds $REINDEX_BATCH): $(cat "$WORK/reindex-first.json")"
  start_byline "$WORK/idx" reindex
  echo "  $(curl -s "http://127.0.0.1:$PORT/api/health")"
  # The reindex loop: swap the batch file between the two sets and reindex,
  # until told to stop (it finishes the pass it is in).
  reindex_loop() {
    local tag=b n=0
    while [ ! -e "$WORK/stop-reindex" ]; do
      cp "$WORK/batches/$tag.jsonl" "$WORK/extra/batch.jsonl"
      /usr/bin/env time -f '%U %S %e' -o "$WORK/reindex-pass.time" \
        "$BYLINE" --index "$WORK/idx" reindex "$WORK/extra" --json >"$WORK/reindex-pass.json" 2>"$WORK/reindex-pass.err" ||
        { echo "reindex failed: $(cat "$WORK/reindex-pass.err")" >>"$WORK/reindex.log"; sleep 1; }
      echo "$(cat "$WORK/reindex-pass.json") cpu(user sys wall)=$(cat "$WORK/reindex-pass.time")" >>"$WORK/reindex.log"
      n=$((n + 1))
      [ $tag = a ] && tag=b || tag=a
    done
  }
  rm -f "$WORK/stop-reindex"; : >"$WORK/reindex.log"
  reindex_loop &
  LOOP_PID=$!
  # A probe beside wrk: one search every 250 ms, timed on its own, so that
  # a stall shows even when wrk's connections are all stuck in it.
  python3 - "$PORT" "$WORK/stop-reindex" >"$WORK/probe.txt" <<'PY' &
import os, sys, time, urllib.request
port, stop = sys.argv[1], sys.argv[2]
qs = ["election", "oil+prices", "Chelsea", "person%3ABlair", "London"]
lat, bad, i = [], 0, 0
while not os.path.exists(stop):
    t = time.perf_counter()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q={qs[i % len(qs)]}&n=10", timeout=30).read()
    except Exception:
        bad += 1
    lat.append(time.perf_counter() - t)
    i += 1
    time.sleep(0.25)
lat.sort()
slow = sum(1 for x in lat if x > 1)
print(f"probe (1 search / 250 ms beside wrk): {len(lat)} requests, median {lat[len(lat)//2]*1000:.0f} ms, "
      f"max {lat[-1]*1000:.0f} ms, {slow} over 1 s, {bad} failed")
PY
  PROBE_PID=$!
  sleep 2   # the first pass is under way before loading starts
  load "byline+reindex" byline
  touch "$WORK/stop-reindex"; wait "$LOOP_PID"; LOOP_PID=
  wait "$PROBE_PID" || true
  echo "  $(cat "$WORK/probe.txt")"
  echo "  after: $(curl -s "http://127.0.0.1:$PORT/api/health")"
  check_queries byline >/dev/null || echo "  a query failed after the reindex runs"
  stop_server
  passes=$(grep -c . "$WORK/reindex.log" || true)
  echo "  reindex passes during the loaded runs: $passes (each: add $REINDEX_BATCH, remove $REINDEX_BATCH, commit); log: $WORK/reindex.log"
  python3 - "$WORK/reindex.log" <<'PY'
import json, sys
secs, fails = [], 0
for line in open(sys.argv[1]):
    if line.startswith("reindex failed"):
        fails += 1
        continue
    try:
        secs.append(json.loads(line.split(" cpu(")[0])["seconds"])
    except (ValueError, KeyError):
        pass
if secs:
    print(f"  pass seconds: min {min(secs):.1f}, median {sorted(secs)[len(secs)//2]:.1f}, max {max(secs):.1f}")
if fails:
    print(f"  {fails} reindex passes FAILED (see the log)")
PY
fi

echo
echo "| server | queries | clients | req/s | p50 ms | p99 ms | max ms | errors | server CPU | wrk CPU |"
echo "|---|---|---:|---:|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "queries: byline = all $(grep -c '^  { "' "$LUA") of serve-load.lua; byline-plain and tantivy = its $(grep -c '^  { "plain"' "$LUA") plain ones (tantivy: +required words)."
echo "CPU: % of one core over the run ($(nproc) cores = $(( $(nproc) * 100 ))%); wrk $THREADS threads. wrk output: $WORK"
