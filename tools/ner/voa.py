#!/usr/bin/env python3
"""Mark byline-guideline annotations of the Voice of America documents
(written by gmb.py) as byte spans: the VOA evaluation and training set.

    voa.py ANNOTATIONS.jsonl [...] --data /tmp/ner-data

Each annotation line lists a document's distinct names with their types,
written from the text alone under the guidelines of
eval/quality/README.md: {"id": "gmb007", "entities": [{"text", "type"}]}.
Every whole-word occurrence of each name is marked, longest names first,
never overlapping a longer one (mark.py). Writes DATA/sets/voa.jsonl, voa-test.jsonl (documents 134-199,
never trained on) and voa-train.jsonl (the others) (the shape prepare.py gives every set) and prints the counts.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mark import counts, mark, write_set  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("annotations", nargs="+")
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--byline", help="also cache BYLINE extract --plain of each set, as prepare.py does")
    args = ap.parse_args()
    docs, missing = mark(args.annotations, os.path.join(args.data, "gmb"))
    # voa: all documents; voa-test: documents 134-199, never trained on;
    # voa-train: the others (0-133 of the sample, 200 on of the longer copy).
    test = [d for d in docs if 134 <= int(d["id"][3:]) <= 199]
    train = [d for d in docs if not 134 <= int(d["id"][3:]) <= 199]
    for name, part in (("voa", docs), ("voa-train", train), ("voa-test", test)):
        write_set(args.data, name, part, args.byline)
    print("%s; %d names not found in their text" % (counts(docs), missing))


if __name__ == "__main__":
    main()
