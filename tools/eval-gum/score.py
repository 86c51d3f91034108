#!/usr/bin/env python3
"""Score byline's entity extraction against the GUM news gold set.

    tools/eval-gum/score.py --byline /work/main/target/release/byline \\
        --root DIR [--eval eval/quality/gum-news.jsonl] [--top 15] [--json OUT]

DIR holds the texts tools/eval-gum/prepare.py rebuilt from a GUM checkout
(their sha256 must match the gold file's, or the offsets mean nothing).
Each text goes through `BYLINE extract --plain FILE`, which runs the same
extractor the index uses (byline::enrich::entities::extract) over the file
as given, without taking the first line as a title or re-laying the text,
and prints byte spans into the file.  The script checks that: every
predicted span must lie inside the file on UTF-8 character boundaries, and
the text it covers must be the entity's name or words of it (a few
mismatches are normal: "Tony Blair" and "Blair" are one entity; a byte/char
mix-up or a re-laid text would fail on almost every span).

A predicted mention counts when its span and type are exactly a gold
mention's (as `cargo bench --bench entities` scores the BBC sets).  Prints
precision, recall and F1 per type and micro-averaged over the three, then
the most common misses and false alarms.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_EVAL = os.path.join(REPO, "eval", "quality", "gum-news.jsonl")
TYPES = ("person", "organization", "place")


def extract(byline, path):
    out = subprocess.run([byline, "extract", "--plain", path], check=True,
                         capture_output=True).stdout
    got = {}
    names = {}
    for e in json.loads(out)["entities"]:
        for m in e["mentions"]:
            got[(m["start"], m["end"])] = e["type"]
            names[(m["start"], m["end"])] = e.get("name", "")
    return got, names


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--byline", required=True, help="byline binary")
    ap.add_argument("--root", required=True, help="folder of rebuilt texts (prepare.py --out)")
    ap.add_argument("--eval", default=DEFAULT_EVAL, help="gold file")
    ap.add_argument("--top", type=int, default=15, help="how many misses and false alarms to list")
    ap.add_argument("--json", help="also write the scores as JSON here")
    args = ap.parse_args()

    score = {t: [0, 0, 0] for t in TYPES}   # tp, fp, fn
    misses = collections.Counter()
    alarms = collections.Counter()
    docs = 0
    spans = 0
    name_ok = 0
    bad = []
    others = []
    with open(args.eval, encoding="utf-8") as f:
        gold_lines = [json.loads(l) for l in f if l.strip()]
    for rec in gold_lines:
        path = os.path.join(args.root, rec["path"])
        with open(path, "rb") as f:
            data = f.read()
        if rec.get("sha256") and hashlib.sha256(data).hexdigest() != rec["sha256"]:
            sys.exit("%s: not the text the gold offsets were made for "
                     "(rebuild it with prepare.py at GUM commit %s)"
                     % (path, rec.get("gum_commit")))
        docs += 1
        want = {(m["start"], m["end"]): m["type"] for m in rec["mentions"]}
        got, names = extract(args.byline, path)
        # offsets are bytes into the file as given?
        for (a, b), name in names.items():
            spans += 1
            try:
                s = data[a:b].decode("utf-8")
            except UnicodeDecodeError:
                bad.append("%s:%d-%d not on UTF-8 boundaries" % (rec["path"], a, b))
                continue
            if not (0 <= a < b <= len(data)) or s != s.strip():
                bad.append("%s:%d-%d bad span %r" % (rec["path"], a, b, s))
            words = set(name.replace("-", " ").split())
            if s == name or s in name or all(w in words for w in s.replace("-", " ").split()):
                name_ok += 1
            elif len(others) < 5:
                others.append("%r for %r" % (s, name))
        text = lambda sp: data[sp[0]:sp[1]].decode("utf-8", "replace")
        for sp, kind in got.items():
            if kind not in score:
                continue
            if want.get(sp) == kind:
                score[kind][0] += 1
            else:
                score[kind][1] += 1
                if sp in want:
                    alarms["%s (is %s): %s" % (kind, want[sp], text(sp))] += 1
                else:
                    alarms["%s: %s" % (kind, text(sp))] += 1
        for sp, kind in want.items():
            if got.get(sp) != kind:
                score[kind][2] += 1
                misses["%s: %s" % (kind, text(sp))] += 1

    print("offset check: %d of %d predicted spans cover their entity's name or "
          "words of it, the rest an alias (%s); %d bad spans"
          % (name_ok, spans, ", ".join(others), len(bad)))
    for b in bad[:10]:
        print("  ", b)
    print()
    print("entity mentions, exact span and type, %d GUM news (Wikinews) "
          "documents (%s)" % (docs, os.path.basename(args.eval)))
    print("%-14s %9s %7s %7s %6s %6s" % ("", "precision", "recall", "F1", "gold", "found"))
    tot = [0, 0, 0]
    result = {}
    for t in TYPES:
        tp, fp, fn = score[t]
        for i in range(3):
            tot[i] += score[t][i]
        p, r, f = prf(tp, fp, fn)
        result[t] = {"precision": p, "recall": r, "f1": f, "gold": tp + fn, "predicted": tp + fp}
        print("%-14s %9.3f %7.3f %7.3f %6d %6d" % (t, p, r, f, tp + fn, tp + fp))
    p, r, f = prf(*tot)
    result["all"] = {"precision": p, "recall": r, "f1": f,
                     "gold": tot[0] + tot[2], "predicted": tot[0] + tot[1]}
    print("%-14s %9.3f %7.3f %7.3f %6d %6d" % ("all (micro)", p, r, f,
                                               tot[0] + tot[2], tot[0] + tot[1]))
    print()
    print("most common misses:")
    for k, n in sorted(misses.items(), key=lambda kv: (-kv[1], kv[0]))[:args.top]:
        print("  %3d× %s" % (n, k))
    print("most common false alarms:")
    for k, n in sorted(alarms.items(), key=lambda kv: (-kv[1], kv[0]))[:args.top]:
        print("  %3d× %s" % (n, k))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
