#!/usr/bin/env python3
"""Top-10 agreement between byline's own index and a Quickwit index fed by
`byline quickwit push`, over the judged BBC queries, and why they differ.

    python3 eval/quickwit/agreement.py BYLINE INDEX QUICKWIT_URL QW_INDEX [SETS...]

BYLINE is a byline binary built with the `quickwit` feature, INDEX the
local index the Quickwit index was pushed from (the BBC folder here), SETS
the judgment files (default: the four BBC relevance sets of eval/quality).
Every query runs in both engines with every copy shown (`--all-copies`, so
that folding copies is not a difference) and its entity-operator form too
where a set gives one (`entity_query`).

For every article in one engine's top 10 and not the other's it says why,
by asking the other engine for the query restricted to that article
(`QUERY id:"ID"`):
  - "not matched": the other engine does not match the article at all.
    Quickwit's `default` tokenizer does not stem, so "elections" does not
    find "election"; byline's query layer stems, splits `U.S.` and
    numbers as it indexed them, and so on;
  - "ranked N": the other engine matches it and ranks it N (beyond 100:
    ">100"). Scores differ because byline's ranking adds to BM25 what
    Quickwit's query language cannot say: proximity of the words, entity
    names among the words, salience of a filtered entity, and statistics
    of stemmed words.
It also scores both top-10 lists against the judgments (nDCG@10, unjudged
hits as 0, as eval/quality/relevance.py does) and prints a markdown table;
`--json FILE` writes every query's lists and reasons.
"""
import json
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SETS = [os.path.join(HERE, "..", "quality", f) for f in (
    "bbc-relevance.jsonl", "bbc-relevance-heldout.jsonl",
    "bbc-relevance-entities.jsonl", "bbc-relevance-entities-heldout.jsonl")]
DEPTH = 10


def search(binary, index, remote, query, n=DEPTH):
    cmd = [binary, "--index", index, "search", "--all-copies", "--json", "-n", str(n)]
    if remote:
        cmd += ["--quickwit", remote[0], "--quickwit-index", remote[1]]
    out = subprocess.run(cmd + ["--", query], capture_output=True, text=True)
    if out.returncode > 1:
        return None, out.stderr.strip().splitlines()[-1]
    return json.loads(out.stdout), None


def kind(q):
    """What byline's ranking adds to BM25 for the query, which Quickwit's
    query language has no way to say."""
    if re.search(r"\b(person|org|place|entity):", q):
        return "entity filter (byline adds salience and name words)"
    words = q.split()
    if 2 <= len(words) <= 4 and not q.startswith('"'):
        return "2-4 words (byline adds proximity)"
    return "one word or one phrase"


def key(hit):
    # Judgments name articles by their path in the BBC folder.
    return "/".join(hit["path"].split("/")[-2:])


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg(keys, grades):
    ideal = dcg([2 ** g - 1 for g in sorted(grades.values(), reverse=True)[:DEPTH]])
    return dcg([2 ** grades.get(k, 0) - 1 for k in keys]) / ideal if ideal else 0.0


def why(binary, index, remote, query, hit_id):
    """Why the other engine (remote or not) left `hit_id` out of its top 10."""
    one, err = search(binary, index, remote, f'{query} id:"{hit_id}"', 1)
    if err or one["total"] == 0:
        return "not matched"
    deep, _ = search(binary, index, remote, query, 100)
    for rank, h in enumerate(deep["hits"], 1):
        if h["id"] == hit_id:
            return f"ranked {rank}"
    return "ranked >100"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--json")]
    out_json = None
    if "--json" in sys.argv:
        out_json = sys.argv[sys.argv.index("--json") + 1]
        args.remove(out_json)
    if len(args) < 4:
        sys.exit(__doc__)
    binary, index, url, qw_index = args[:4]
    sets = args[4:] or DEFAULT_SETS
    remote = (url, qw_index)
    rows = []
    for path in sets:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            j = json.loads(line)
            for form in ("query", "entity_query"):
                if form in j:
                    rows.append((os.path.basename(path), j[form], j["grades"]))
    detail = []
    same_set = same_order = refused = 0
    reasons = {}
    nd = {"byline": 0.0, "quickwit": 0.0}
    counts_equal = 0
    for set_name, q, grades in rows:
        local, _ = search(binary, index, None, q)
        there, err = search(binary, index, remote, q)
        if err:
            refused += 1
            detail.append({"set": set_name, "query": q, "refused": err})
            continue
        lk = [h["id"] for h in local["hits"]]
        rk = [h["id"] for h in there["hits"]]
        nd["byline"] += ndcg([key(h) for h in local["hits"]], grades)
        nd["quickwit"] += ndcg([key(h) for h in there["hits"]], grades)
        counts_equal += local["total"] == there["total"]
        same_set += set(lk) == set(rk)
        same_order += lk == rk
        d = {"set": set_name, "query": q, "byline": lk, "quickwit": rk,
             "totals": [local["total"], there["total"]],
             "overlap": len(set(lk) & set(rk)), "only_byline": {}, "only_quickwit": {}}
        for i in lk:
            if i not in rk:
                r = why(binary, index, remote, q, i)
                d["only_byline"][i] = f"Quickwit: {r}"
                reasons["byline's, " + ("Quickwit does not match it" if r == "not matched" else "Quickwit ranks it lower")] = \
                    reasons.get("byline's, " + ("Quickwit does not match it" if r == "not matched" else "Quickwit ranks it lower"), 0) + 1
        for i in rk:
            if i not in lk:
                r = why(binary, index, None, q, i)
                label = "Quickwit's, " + ("byline does not match it" if r == "not matched" else "byline ranks it lower")
                d["only_quickwit"][i] = f"byline: {r}"
                reasons[label] = reasons.get(label, 0) + 1
        d["kind"] = kind(q)
        detail.append(d)
    n = len(rows) - refused
    overlap = sum(d.get("overlap", 0) for d in detail)
    shown = sum(len(d.get("byline", [])) for d in detail)
    print(f"{len(rows)} queries ({refused} refused by the translation), depth {DEPTH}, every copy shown")
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| queries with the same top-{DEPTH} set | {same_set} of {n} |")
    print(f"| queries with the same top-{DEPTH} in the same order | {same_order} of {n} |")
    print(f"| byline's top-{DEPTH} articles also in Quickwit's | {overlap} of {shown} ({overlap / max(shown, 1):.1%}) |")
    print(f"| queries with the same number of matches | {counts_equal} of {n} |")
    print(f"| nDCG@{DEPTH}, byline | {nd['byline'] / max(n, 1):.3f} |")
    print(f"| nDCG@{DEPTH}, Quickwit | {nd['quickwit'] / max(n, 1):.3f} |")
    print()
    print("| an article in one top 10 only | articles |")
    print("|---|---:|")
    for label, c in sorted(reasons.items()):
        print(f"| {label} | {c} |")
    print()
    print(f"| query kind | queries | byline's top-{DEPTH} in Quickwit's | same set | same order |")
    print("|---|---:|---:|---:|---:|")
    for k in sorted({d["kind"] for d in detail if "kind" in d}):
        ds = [d for d in detail if d.get("kind") == k]
        o, sh = sum(d["overlap"] for d in ds), sum(len(d["byline"]) for d in ds)
        print(f"| {k} | {len(ds)} | {o / max(sh, 1):.1%} | {sum(set(d['byline']) == set(d['quickwit']) for d in ds)} "
              f"| {sum(d['byline'] == d['quickwit'] for d in ds)} |")
    for d in detail:
        if "refused" in d:
            print(f"\nrefused: {d['query']!r}: {d['refused']}")
    if out_json:
        with open(out_json, "w") as f:
            json.dump(detail, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
