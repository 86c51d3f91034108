#!/usr/bin/env python3
"""No story twice in a top 10: every query of the BBC relevance sets, searched
with copies collapsed (byline's default) and with --all-copies.

    python3 eval/copies/top10.py --byline target/release/byline --index IDX [--check]

Two hits are the same story when their texts (standfirst and body, `--body`)
share most of their word 5-shingles: Jaccard >= 0.6, or one holds 85% of the
other's (a trimmed copy); and, when they share neither their headline nor
their first twelve words, Jaccard >= 0.9 (the definition the README gives:
short items under one long footer are not copies, nor is a story rewritten
under a new headline as it moved on). The measure is computed here, exactly,
from the text, not from byline's MinHash estimates, so that it checks them. With --check, exit 1
if any collapsed top 10 holds a story twice.
Standard library only.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SETS = sorted(glob.glob(os.path.join(HERE, "..", "quality", "bbc-relevance*.jsonl")))


def words(text):
    return re.findall(r"\w+", text.lower())


def shingles(ws):
    return {" ".join(ws[i:i + 5]) for i in range(max(len(ws) - 4, 1))}


def same_story(a, b):
    (sa, lede_a, head_a), (sb, lede_b, head_b) = a, b
    if not sa or not sb:
        return False
    common = len(sa & sb)
    jaccard = common / len(sa | sb)
    alike = jaccard >= 0.6 or common / min(len(sa), len(sb)) >= 0.85 and jaccard >= 0.25
    return alike and (lede_a == lede_b or head_a == head_b or jaccard >= 0.9)


def top(byline, index, query, every):
    cmd = [byline, "--index", index, "search", "--json", "--body", "-n", "10", "--", query]
    if every:
        cmd.insert(4, "--all-copies")
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{query!r}: {out.stderr.strip()}")
    return json.loads(out.stdout)["hits"]


def repeats(hits):
    """Pairs of hits (by rank) that are the same story."""
    def read(h):
        ws = words(h.get("text") or "")
        return shingles(ws), ws[:12], words(h.get("title") or "")
    sh = [read(h) for h in hits]
    return [(i + 1, j + 1) for i in range(len(hits)) for j in range(i + 1, len(hits))
            if same_story(sh[i], sh[j])]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--byline", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    queries = []
    for path in SETS:
        for line in open(path):
            if line.strip():
                j = json.loads(line)
                queries += [j["query"]] + ([j["entity_query"]] if "entity_query" in j else [])
    queries = list(dict.fromkeys(queries))
    counts = {}
    worst = []
    for every in (True, False):
        with_repeats = places = 0
        for q in queries:
            hits = top(args.byline, args.index, q, every)
            pairs = repeats(hits)
            # Places taken by a second (third...) copy of a story.
            extra = len({j for _, j in pairs})
            with_repeats += bool(pairs)
            places += extra
            if pairs and not every:
                worst.append((q, pairs, [h["path"] for h in hits]))
        counts["all copies" if every else "collapsed"] = (with_repeats, places)
    print(f"{len(queries)} queries from {len(SETS)} judged BBC sets, top 10 each")
    print("| search | queries with a story twice | top-10 places taken by a copy |")
    print("|---|---:|---:|")
    for label, (n, p) in counts.items():
        print(f"| {label} | {n} | {p} |")
    for q, pairs, paths in worst:
        print(f"  {q!r}: same story at ranks {pairs}: {paths}")
    if args.check and counts["collapsed"][0]:
        sys.exit("a collapsed top 10 shows a story twice")


if __name__ == "__main__":
    main()
