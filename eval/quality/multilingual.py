#!/usr/bin/env python3
"""nDCG@5 of byline on the multilingual set, with each language stemmed as
its own against every article stemmed as English.

    python3 eval/quality/multilingual.py [BYLINE_BINARY] [--check]

Indexes corpus/multilingual/ into a temporary folder, runs each query of
eval/quality/multilingual-relevance.jsonl (`search --json -n 5`) twice:
as byline searches (each language's own stemmer, beside English), and with
BYLINE_STEMMING=english (every article searched through the English
analyzer only, as byline did before it knew languages). Gains are
2^grade - 1 against the ideal order of the query's judgments; an article of
another language (not judged) counts 0. Prints a table per language and
overall. With --check, exits 1 when the languages' own stemmers score
below English stemming overall or under 0.9 (CI runs it so). Standard
library only.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPTH = 5


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def search(binary, index, query, env):
    out = subprocess.run([binary, "--index", index, "search", "--json", "-n", str(DEPTH), "--", query],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return []
    hits = json.loads(out.stdout).get("hits") or []
    return [os.path.basename(h["path"]) for h in hits][:DEPTH]


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv[1:]
    binary = args[0] if args else os.path.join(ROOT, "target/release/byline")
    judged = [json.loads(l) for l in open(os.path.join(ROOT, "eval/quality/multilingual-relevance.jsonl"))]
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([binary, "--index", index, "index", os.path.join(ROOT, "corpus/multilingual")],
                       check=True, capture_output=True)
        rows = {}
        for mode, extra in (("own", {}), ("english", {"BYLINE_STEMMING": "english"})):
            env = dict(os.environ, NO_COLOR="1", **extra)
            for j in judged:
                grades = j["judgments"]
                got = search(binary, index, j["query"], env)
                ideal = dcg(sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:DEPTH])
                score = dcg([2 ** grades.get(f, 0) - 1 for f in got]) / ideal if ideal else 0.0
                rows.setdefault(j["lang"], {}).setdefault(mode, []).append(score)
                rows.setdefault("all", {}).setdefault(mode, []).append(score)
    print(f"| language | queries | nDCG@{DEPTH} own stemmer | nDCG@{DEPTH} English stemming | change |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for lang in sorted(rows, key=lambda l: (l == "all", -len(rows[l]["own"]), l)):
        own, en = rows[lang]["own"], rows[lang]["english"]
        a, b = sum(own) / len(own), sum(en) / len(en)
        print(f"| {lang} | {len(own)} | {a:.3f} | {b:.3f} | {a - b:+.3f} |")
    own, en = rows["all"]["own"], rows["all"]["english"]
    a, b = sum(own) / len(own), sum(en) / len(en)
    if check and (a < b or a < 0.9):
        sys.exit(f"multilingual nDCG@{DEPTH}: own stemmers {a:.3f}, English stemming {b:.3f}: below the gate")


if __name__ == "__main__":
    main()
