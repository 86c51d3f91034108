#!/usr/bin/env bash
# Peak memory of byline on the inputs the README bounds: each input path is
# measured against its bound (an HTML page's is 8 MB and 100,000 elements,
# so both HTML pages are measured against 8 MB), and the ratio printed. Not a pass/fail test
# (the machine is shared); the README quotes its figures.
#
#   benches/memory.sh [BYLINE]        # default target/release/byline
#
# Needs GNU time (`apt-get install time`) and python3. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
BYLINE=${1:-target/release/byline}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
# An HTML page of table cells just under the element cap, and one of text
# just under the size cap: the two shapes that cost the parser most.
cells = "".join(f"<tr><td>cell {i}</td></tr>" for i in range(49_000))
open(os.path.join(tmp, "cells.html"), "w").write(f"<html><body><table>{cells}</table></body></html>")
para = "<p>" + "Harbour pilots met the port authority again on Thursday. " * 40 + "</p>\n"
open(os.path.join(tmp, "text.html"), "w").write("<html><body><article>" + para * (7_800_000 // len(para)) + "</article></body></html>")
# 30 MB of unclosed cells: over the HTML bound, refused before parsing.
open(os.path.join(tmp, "huge.html"), "w").write("<table>" + "<tr><td>x" * 3_300_000)
# 130 MB of JSON Lines, for streaming through standard input.
with open(os.path.join(tmp, "big.jsonl"), "w") as f:
    body = "The council voted on the harbour budget after a long debate. " * 20
    n = 0
    while f.tell() < 130_000_000:
        f.write(json.dumps({"id": n, "title": f"Budget vote {n}", "text": body}) + "\n")
        n += 1
PY

peak() { # label, bound in bytes, shell command
  local label=$1 bound=$2 cmd=$3
  /usr/bin/time -f '%M' -o "$tmp/kb" bash -c "$cmd" >/dev/null 2>&1 || true
  python3 -c "import sys; kb, bound = int(open(sys.argv[1]).read().split()[-1]), int(sys.argv[2]); \
print(f'{sys.argv[3]:<44} peak {kb/1000:7.1f} MB  bound {bound/1e6:6.1f} MB  ratio {kb*1000/bound:5.1f}')" \
    "$tmp/kb" "$bound" "$label"
}

peak "extract of an HTML page of 98,000 elements" 8000000 "$BYLINE extract $tmp/cells.html"
peak "extract of a 7.8 MB HTML page of text" 8000000 "$BYLINE extract $tmp/text.html"
peak "extract of 30 MB HTML (refused)" 8000000 "$BYLINE extract $tmp/huge.html || true"
peak "extract --format jsonl - of 130 MB" 16000000 "$BYLINE extract --format jsonl - < $tmp/big.jsonl"
peak "extract - of /dev/zero (refused at 64 MB)" 64000000 "$BYLINE extract - < /dev/zero || true"
peak "index of 130 MB of JSON Lines" 256000000 "$BYLINE --index $tmp/idx index $tmp/big.jsonl"
