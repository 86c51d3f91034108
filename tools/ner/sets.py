#!/usr/bin/env python3
"""Build every set the Rust trainer (train.rs) reads, as DATA/sets/NAME.jsonl:

    sets.py --data /tmp/ner-data [--tokens ner_dataset.csv] [--bbc DIR] [--gum DIR]

Training sets (text the project may use):
  voa-train   Voice of America news (public domain texts rebuilt by gmb.py from
              the Kaggle GMB copy), names annotated under byline's guidelines
              in eval/quality/voa-entities.jsonl; documents 134-199 are left out
  written     tools/ner/data/written.jsonl: 200 articles written for byline
  written-uk  tools/ner/data/written-uk.jsonl: 160 more, in British web style
Evaluation sets (never trained on):
  voa-test    VOA documents 134-199
  wire        eval/quality/wire-entities.jsonl
  bbc-main, bbc-dev, bbc-heldout   eval/quality/bbc-entities*.jsonl over --bbc
  gum-news    eval/quality/gum-news.jsonl over the texts tools/eval-gum
              rebuilds from a GUM checkout (--gum), when one is given
A set whose texts are missing is skipped with a note.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from mark import mark, write_set, counts  # noqa: E402


def gold_set(jsonl, root):
    out = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out.append({"id": d["path"].replace("/", "_").replace(".txt", ""),
                            "file": os.path.join(root, d["path"]),
                            "mentions": [{k: m[k] for k in ("type", "start", "end")}
                                         for m in d["mentions"]]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--tokens", help="the Kaggle GMB token CSV (ner_dataset.csv)")
    ap.add_argument("--bbc", default=os.path.join(REPO, "..", "shared", "corpora", "bbc"))
    ap.add_argument("--gum", help="a GUM checkout or bare mirror, for gum-news")
    args = ap.parse_args()
    q = os.path.join(REPO, "eval", "quality")
    data = args.data
    if args.tokens:
        subprocess.run([sys.executable, os.path.join(HERE, "gmb.py"), args.tokens, "--data", data], check=True)
    sets = {}
    if os.path.isdir(os.path.join(data, "gmb")):
        voa = gold_set(os.path.join(q, "voa-entities.jsonl"), os.path.join(data, "gmb"))
        held = lambda d: 134 <= int(d["id"][3:]) <= 199  # noqa: E731
        sets["voa-train"] = [d for d in voa if not held(d)]
        sets["voa-test"] = [d for d in voa if held(d)]
    else:
        print("no VOA texts in %s/gmb (give --tokens): voa sets skipped" % data)
    texts = os.path.join(HERE, "data", "written")
    for name in ("written", "written-uk"):
        docs, missing = mark([os.path.join(HERE, "data", name + ".jsonl")], texts)
        if missing:
            sys.exit("%s: %d names not found in their text" % (name, missing))
        sets[name] = docs
    sets["wire"] = gold_set(os.path.join(q, "wire-entities.jsonl"), os.path.join(q, "wire"))
    if os.path.isdir(args.bbc):
        for name, f in (("bbc-main", "bbc-entities.jsonl"), ("bbc-dev", "bbc-entities-dev.jsonl"),
                        ("bbc-heldout", "bbc-entities-heldout.jsonl")):
            sets[name] = gold_set(os.path.join(q, f), args.bbc)
    else:
        print("no BBC corpus at %s: bbc sets skipped" % args.bbc)
    if args.gum:
        gold = os.path.join(q, "gum-news.jsonl")
        rev = json.loads(open(gold, encoding="utf-8").readline())["gum_commit"]
        gdir = os.path.join(data, "gum-news")
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "eval-gum", "prepare.py"),
                        "--gum", args.gum, "--rev", rev, "--out", gdir, "--no-eval"],
                       check=True, capture_output=True)
        sets["gum-news"] = gold_set(gold, gdir)
    for name, docs in sets.items():
        write_set(data, name, docs)
        print("%-12s %s" % (name, counts(docs)))


if __name__ == "__main__":
    main()
