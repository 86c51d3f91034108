#!/usr/bin/env python3
"""Mark annotations written as lists of names (one line per document:
{"id", "entities": [{"text", "type"}]}) as byte spans over the documents'
texts: every whole-word occurrence of each name, longest names first,
never overlapping a longer one.

    mark.py ANNOTATIONS.jsonl [...] --texts DIR --set NAME [--data /tmp/ner-data] [--byline BIN]

The text of document ID is DIR/ID.txt. Writes DATA/sets/NAME.jsonl, the
shape prepare.py gives every set, and with --byline caches byline's spans
of each document as prepare.py does. voa.py uses the same marking.
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


def mark(paths, texts):
    """The documents of the annotation files, with their spans, and how
    many listed names were not found in their text."""
    docs, missing = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                ann = json.loads(line)
                file = os.path.join(texts, ann["id"] + ".txt")
                text = open(file, encoding="utf-8").read()
                marked = spans(text, ann["entities"])
                found = {text.encode("utf-8")[m["start"]:m["end"]].decode("utf-8") for m in marked}
                missing += sum(1 for e in ann["entities"] if e["text"] not in found)
                docs.append({"id": ann["id"], "file": os.path.abspath(file), "mentions": marked})
    docs.sort(key=lambda d: d["id"])
    return docs, missing


def write_set(data, name, docs, byline=None):
    os.makedirs(os.path.join(data, "sets"), exist_ok=True)
    with open(os.path.join(data, "sets", name + ".jsonl"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")
    if byline:
        run_rules(byline, docs, os.path.join(data, "rules", name))


def counts(docs):
    kinds = collections.Counter(m["type"] for d in docs for m in d["mentions"])
    return "%d documents, %d mentions %s" % (len(docs), sum(kinds.values()), dict(kinds))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("annotations", nargs="+")
    ap.add_argument("--texts", required=True)
    ap.add_argument("--set", required=True)
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--byline")
    args = ap.parse_args()
    docs, missing = mark(args.annotations, args.texts)
    write_set(args.data, args.set, docs, args.byline)
    print("%s; %d names not found in their text" % (counts(docs), missing))


if __name__ == "__main__":
    main()
