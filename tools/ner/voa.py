#!/usr/bin/env python3
"""Mark byline-guideline annotations of the Voice of America documents
(written by gmb.py) as byte spans: the VOA evaluation and training set.

    voa.py ANNOTATIONS.jsonl [...] --data /tmp/ner-data

Each annotation line lists a document's distinct names with their types,
written from the text alone under the guidelines of
eval/quality/README.md: {"id": "gmb007", "entities": [{"text", "type"}]}.
Every whole-word occurrence of each name is marked, longest names first,
never overlapping a longer one. Writes DATA/sets/voa.jsonl, voa-test.jsonl (documents 134-199,
never trained on) and voa-train.jsonl (the others) (the shape prepare.py gives every set) and prints the counts.
"""
import argparse
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prepare import run_rules  # noqa: E402


def spans(text, entities):
    taken, out = [], []
    for ent in sorted(entities, key=lambda e: -len(e["text"])):
        name = ent["text"]
        if not name.strip():
            continue
        pattern = r"(?<![\w])" + re.escape(name) + r"(?![\w])"
        for m in re.finditer(pattern, text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            out.append({"type": ent["type"],
                        "start": len(text[:s].encode("utf-8")),
                        "end": len(text[:e].encode("utf-8"))})
    return sorted(out, key=lambda m: m["start"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("annotations", nargs="+")
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--byline", help="also cache BYLINE extract --plain of each set, as prepare.py does")
    args = ap.parse_args()
    docs, missing = [], 0
    for path in args.annotations:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                ann = json.loads(line)
                file = os.path.join(args.data, "gmb", ann["id"] + ".txt")
                text = open(file, encoding="utf-8").read()
                marked = spans(text, ann["entities"])
                found = {text.encode("utf-8")[m["start"]:m["end"]].decode("utf-8") for m in marked}
                missing += sum(1 for e in ann["entities"] if e["text"] not in found)
                docs.append({"id": ann["id"], "file": file, "mentions": marked})
    docs.sort(key=lambda d: d["id"])
    # voa: all documents; voa-test: documents 134-199, never trained on;
    # voa-train: the others (0-133 of the sample, 200 on of the longer copy).
    test = [d for d in docs if 134 <= int(d["id"][3:]) <= 199]
    train = [d for d in docs if not 134 <= int(d["id"][3:]) <= 199]
    for name, part in (("voa", docs), ("voa-train", train), ("voa-test", test)):
        with open(os.path.join(args.data, "sets", name + ".jsonl"), "w", encoding="utf-8") as f:
            for d in part:
                f.write(json.dumps(d) + "\n")
        if args.byline:
            run_rules(args.byline, part, os.path.join(args.data, "rules", name))
    kinds = collections.Counter(m["type"] for d in docs for m in d["mentions"])
    print("%d documents, %d mentions %s; %d names not found in their text"
          % (len(docs), sum(kinds.values()), dict(kinds), missing))


if __name__ == "__main__":
    main()
