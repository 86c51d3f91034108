#!/usr/bin/env python3
"""How far an incrementally reindexed index ranks from a clean build.

    python3 eval/reindex_scores.py CORPUS_DIR [--byline target/release/byline]
        [--changes 0.01,0.10] [--queries eval/compare/queries.txt] [--seed 1]

CORPUS_DIR is a folder of .txt articles (`gen-corpus 20000 DIR --format txt`).
For each share of changes, on a fresh copy of the folder: index it, change
that share of its files (a third edited, a third deleted, a third added as
new files), `byline reindex`, then build a clean index of the changed folder
and run every query on both (`search --json -n 10`). Deleted and replaced
documents still count in tantivy's term statistics until their segment is
merged, so scores can differ; this measures by how much, and whether the top
10 changes. Prints one JSON object per share of changes.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(byline, index, *args):
    p = subprocess.run([byline, "--index", index, *args], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"byline {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p.stdout


def hits(byline, index, query):
    out = run(byline, index, "search", "--json", "-n", "10", "--", query)
    return json.loads(out)["hits"] if out.strip() else []


def change(folder, share, rng):
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs)
    n = max(3, int(len(files) * share))
    chosen = rng.sample(files, n)
    third = n // 3
    for path in chosen[:third]:  # edited: a sentence added
        with open(path, "a", encoding="utf-8") as f:
            f.write("\nThe figures were revised on Tuesday after a late correction.\n")
    for path in chosen[third:2 * third]:  # deleted
        os.remove(path)
    for i, path in enumerate(chosen[2 * third:]):  # added: a new file beside it
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        lines = text.split("\n")
        new = os.path.join(os.path.dirname(path), f"added-{i}.txt")
        with open(new, "w", encoding="utf-8") as f:
            f.write("\n".join([lines[0] + " (update)"] + lines[1:]))
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--byline", default="target/release/byline")
    ap.add_argument("--changes", default="0.01,0.10")
    ap.add_argument("--queries", default=os.path.join(HERE, "compare", "queries.txt"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    queries = [q.strip() for q in open(args.queries, encoding="utf-8")
               if q.strip() and not q.startswith("#")]
    byline = os.path.abspath(args.byline)
    for share in (float(s) for s in args.changes.split(",")):
        rng = random.Random(args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "corpus")
            shutil.copytree(args.corpus, folder)
            inc, clean = os.path.join(tmp, "inc"), os.path.join(tmp, "clean")
            run(byline, inc, "index", folder)
            changed = change(folder, share, rng)
            reindex = json.loads(run(byline, inc, "reindex", folder, "--json"))
            run(byline, clean, "index", folder)
            # A second clean build is the noise floor: the parallel indexer
            # adds articles in another order each time, and equal scores keep
            # the index's order.
            clean2 = os.path.join(tmp, "clean2")
            run(byline, clean2, "index", folder)
            result = {
                "share_changed": share,
                "files_changed": changed,
                "reindex": {k: reindex[k] for k in ("added", "updated", "removed", "unchanged")},
                "reindexed_vs_clean": compare(byline, queries, inc, clean),
                "clean_vs_clean": compare(byline, queries, clean2, clean),
            }
            print(json.dumps(result), flush=True)


def compare(byline, queries, one, other):
    """Top-10 agreement and score differences of two indexes of one folder."""
    same_top, same_set, rel_diffs, rank_moves, compared = 0, 0, [], 0, 0
    for q in queries:
        a, b = hits(byline, one, q), hits(byline, other, q)
        if not a and not b:
            continue
        compared += 1
        ids_a, ids_b = [h["path"] for h in a], [h["path"] for h in b]
        same_top += ids_a == ids_b
        same_set += set(ids_a) == set(ids_b)
        score_b = {h["path"]: h["score"] for h in b}
        for h in a:
            if score_b.get(h["path"]):
                rel_diffs.append(abs(h["score"] - score_b[h["path"]]) / score_b[h["path"]])
        rank_moves += sum(1 for i, p in enumerate(ids_a) if i >= len(ids_b) or ids_b[i] != p)
    rel_diffs.sort()
    return {
        "queries": compared,
        "same_top10_order": same_top,
        "same_top10_set": same_set,
        "hits_at_another_rank": rank_moves,
        "score_rel_diff_median": rel_diffs[len(rel_diffs) // 2] if rel_diffs else 0,
        "score_rel_diff_p90": rel_diffs[int(len(rel_diffs) * 0.9)] if rel_diffs else 0,
        "score_rel_diff_max": rel_diffs[-1] if rel_diffs else 0,
    }


if __name__ == "__main__":
    main()
