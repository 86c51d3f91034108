#!/usr/bin/env python3
"""Graded relevance of each engine's top hits, from hand judgments.

Top-10 agreement between engines says whether they return the same articles,
not whether those articles answer the query. This scores each engine's
ranking against judgments made blind to which engine found what.

    # 1. compare the engines on BBC and keep every hit list
    python3 eval/compare/compare.py ../shared/corpora/bbc --out /tmp/bbc.json
    # 2. the pool to judge: per query, the union of every engine's top DEPTH, shuffled
    python3 eval/quality/relevance.py pool /tmp/bbc.json > /tmp/pool.jsonl
    # 3. after judging (eval/quality/bbc-relevance.jsonl): score every engine
    python3 eval/quality/relevance.py score /tmp/bbc.json eval/quality/bbc-relevance.jsonl
    # the same, failing (exit 1) if byline's nDCG (each byline row) is under 0.9: a ranking gate
    python3 eval/quality/relevance.py score /tmp/bbc.json eval/quality/bbc-relevance.jsonl 0.9

Judgments, one JSON object per line: {"query": ..., "need": what a user typing
the query wants, "grades": {article key: 0 | 1 | 2}} and, for a name, maybe
"entity_query": byline's operator form of it (`person:"Tony Blair"`), scored
as a row of its own and pooled with the name: 2 the article is about
the need, 1 it touches on it, 0 it does not. Keys are paths relative to the
corpus folder, as compare.py keys them.

Scores per engine, averaged over the judged queries: P@DEPTH (grade >= 1
counts as relevant), nDCG@DEPTH with gains 2^grade - 1 against the ideal order
of all judged articles for the query, and how many of the engine's top DEPTH
were unjudged (they count as 0; a pool made from an older run may miss some).
Standard library only.
"""

import json
import math
import random
import re
import sys

ENGINES = ("byline", "sqlite", "xapian")
DEPTH = 5


def hits(results, engine, query):
    e = (results["engines"].get(engine) or {}).get("queries") or {}
    return ((e.get(query) or {}).get("hits") or [])[:DEPTH]


def dated(query):
    return any(w.split(":", 1)[0].lower() in ("after", "before", "on", "date") and ":" in w
               for w in query.split())


def entity_form(query):
    """The name an entity operator query asks for (`person:"Tony Blair"` →
    `Tony Blair`), or None."""
    m = re.fullmatch(r'(?:person|org|place|entity):"([^"]+)"', query)
    return m.group(1) if m else None


def pool(results_path):
    results = json.load(open(results_path))
    rng = random.Random(7)  # a fixed shuffle, so the pool can be made again
    # byline's entity operator form of a name is judged with the name's pool.
    forms = {}
    for q in results["queries"]:
        name = entity_form(q)
        if name in results["queries"]:
            forms.setdefault(name, []).append(q)
    for q in results["queries"]:
        if dated(q) or entity_form(q) in results["queries"]:
            continue  # the BBC folder has no dates: these find nothing or everything
        keys = sorted({k for eng in ENGINES for form in [q] + forms.get(q, [])
                       for k in hits(results, eng, form)})
        if not keys:
            continue
        rng.shuffle(keys)
        print(json.dumps({"query": q, "keys": keys}))


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def score(results_path, judgments_path, min_byline_ndcg=None):
    results = json.load(open(results_path))
    judged = [json.loads(line) for line in open(judgments_path) if line.strip()]
    failed = None
    print(f"{len(judged)} judged queries, depth {DEPTH}")
    print(f"| engine | P@{DEPTH} | nDCG@{DEPTH} | unjudged in top {DEPTH} |")
    print("|---|---|---|---|")
    # Judgments may name byline's entity operator form of the query as well
    # (`entity_query`): it is scored as a row of its own.
    rows = [(eng, eng, "query") for eng in ENGINES]
    if any("entity_query" in j for j in judged):
        rows.insert(1, ("byline", "byline, entity operator", "entity_query"))
    for eng, label, form in rows:
        if not (results["engines"].get(eng) or {}).get("queries"):
            continue
        p_sum = n_sum = 0.0
        unjudged = shown = 0
        for j in judged:
            grades = j["grades"]
            top = hits(results, eng, j.get(form, j["query"]))
            shown += len(top)
            unjudged += sum(1 for k in top if k not in grades)
            got = [grades.get(k, 0) for k in top]
            p_sum += sum(1 for g in got if g >= 1) / DEPTH
            ideal = dcg([2 ** g - 1 for g in sorted(grades.values(), reverse=True)[:DEPTH]])
            n_sum += dcg([2 ** g - 1 for g in got]) / ideal if ideal > 0 else 0.0
        n = len(judged)
        print(f"| {label} | {p_sum / n:.3f} | {n_sum / n:.3f} | {unjudged} of {shown} |")
        if label.startswith("byline") and min_byline_ndcg is not None and n_sum / n < min_byline_ndcg:
            failed = f"{label}: nDCG@{DEPTH} {n_sum / n:.3f} is under {min_byline_ndcg}"
    if failed:
        sys.exit(failed + " (unjudged hits count as 0: judge them if the ranking changed)")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "pool":
        pool(sys.argv[2])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) == 5 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
