#!/usr/bin/env python3
"""Adds copies of stories to a gen-corpus JSON Lines archive, as a wire
archive has them: for a share of the records (default 2%), one to three
copies published within two days, each as a wire or a second outlet would
make it: the same text under a new headline, the last paragraphs cut, a
paragraph added, or a word corrected. Copies get ids and urls of their own.

    python3 benches/add-copies.py IN.jsonl OUT.jsonl [--share 0.02] [--seed 7]

Prints how many copies were added. Standard library only.
"""

import argparse
import json
import random
from datetime import datetime, timedelta


def shifted(published, rng):
    if not published:
        return published
    t = datetime.strptime(published, "%Y-%m-%dT%H:%M:%SZ")
    t += timedelta(hours=rng.randint(0, 47), minutes=rng.randint(0, 59))
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def variant(rec, k, rng, other_titles):
    paras = [p for p in rec["text"].split("\n\n") if p.strip()]
    kind = rng.choice(["headline", "trimmed", "extended", "corrected"])
    title = rec["title"]
    if kind == "headline":
        title = rng.choice(other_titles)
    elif kind == "trimmed" and len(paras) > 3:
        paras = paras[: max(2, len(paras) * 2 // 3)]
    elif kind == "extended":
        paras = paras + ["This story was first published by a partner agency and has been updated."]
    elif kind == "corrected":
        words = paras[0].split()
        if words:
            words[rng.randrange(len(words))] = "reportedly"
        paras[0] = " ".join(words)
    return {
        "id": f"{rec['id']}-copy{k}",
        "title": title,
        "published": shifted(rec.get("published"), rng),
        "url": f"https://outlet{k}.example/{rec['id']}",
        "text": "\n\n".join(paras),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--share", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    added = 0
    titles = []
    with open(args.src) as f, open(args.out, "w") as out:
        for line in f:
            rec = json.loads(line)
            out.write(line if line.endswith("\n") else line + "\n")
            titles.append(rec["title"])
            if len(titles) > 1000:
                titles = titles[-1000:]
            if rng.random() < args.share:
                for k in range(1, rng.randint(1, 3) + 1):
                    out.write(json.dumps(variant(rec, k, rng, titles)) + "\n")
                    added += 1
    print(f"{added} copies added")


if __name__ == "__main__":
    main()
