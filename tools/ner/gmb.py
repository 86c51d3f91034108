#!/usr/bin/env python3
"""Turn a GMB-derived token file (Voice of America news) into a set of
documents with person, organisation and place spans, for the span re-typer
experiment (retype.py). Nothing it writes goes into the repository.

    gmb.py GMB_dataset.txt --data /tmp/ner-data

Input: the tab-separated token file of the "Annotated Corpus for Named
Entity Recognition" (derived from the Groningen Meaning Bank; columns
index, sentence number, word, POS, BIO tag with geo/gpe/per/org/tim/art/
eve/nat). The copy measured is the 3,000-sentence sample in the GitHub
repository chickenbror/ML-assignment2 at bc767d9 (GMB_dataset.txt, 66,160
tokens), or the longer copy of the Kaggle CSV in umartariq867/Named-Entity-
Recognition-with-Python at 7762681 (8,300 whole sentences; its first 2,999
are the sample's); see README.md for what is known of its licence.

Mapping to byline's guidelines: per -> person, without title words that
open the span ("President Mahmoud Ahmadinejad" -> "Mahmoud Ahmadinejad");
org -> organization; geo -> place; gpe -> place, except adjectives and
plurals of nationality ("British", "Germans"), which byline does not tag;
tim, art, eve, nat -> nothing. Fifteen sentences make a document,
paragraphs one sentence each.
"""
import argparse
import collections
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "src", "enrich", "data")
TYPES = {"per": "person", "org": "organization", "geo": "place", "gpe": "place"}
NO_SPACE_BEFORE = {",", ".", "'s", "%", ")", ":", ";", "?", "!", "n't", "'"}
PER_DOC = 15
SAMPLE_SENTENCES = 2999


def words(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t")[0] for line in f if line.strip()]


def sentences(path):
    """[(word, POS, tag)] per sentence, from either form of the file: the
    tab-separated sample (index, sentence number, word, POS, tag) or the
    Kaggle CSV ("Sentence: N" opening each sentence, Latin-1)."""
    with open(path, "rb") as f:
        head = f.readline()
    if head.startswith(b"Sentence #,"):
        out, cur = [], None
        with open(path, encoding="latin-1", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            for row in rows:
                if len(row) < 4:
                    continue
                if row[0].startswith("Sentence:"):
                    cur = []
                    out.append(cur)
                if cur is not None:
                    cur.append((row[1], row[2], row[3]))
        # A copy cut at a size limit ends inside its last sentence.
        return out[:-1] if len(out) > SAMPLE_SENTENCES else out
    out = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 5:
                word = cols[2].replace('""""', '"')
                out.setdefault(cols[1], []).append((word, cols[3], cols[4]))
    return list(out.values())


def documents(sents):
    """Sentence ranges of the documents: fifteen sentences each, and none
    across the end of the 2,999-sentence sample, so that documents 0-199
    are the same whichever file they are made from."""
    bounds, k = [], 0
    while k < len(sents):
        end = min(k + PER_DOC, len(sents))
        if k < SAMPLE_SENTENCES < end:
            end = SAMPLE_SENTENCES
        bounds.append((k, end))
        k = end
    return bounds


def detokenise(tokens):
    """The sentence as text, and each token's character span in it."""
    text, spans, in_quote = "", [], False
    for word, _, _ in tokens:
        glue = (
            not text
            or word in NO_SPACE_BEFORE
            or (word == '"' and in_quote)
            or text.endswith("(")
            or (text.endswith('"') and in_quote)
        )
        if word == '"':
            in_quote = not in_quote
        text += "" if glue else " "
        spans.append((len(text), len(text) + len(word)))
        text += word
    return text, spans


def runs(tokens):
    """(type, first, last) of each BIO run."""
    out, cur = [], None
    for i, (_, _, tag) in enumerate(tokens):
        kind = tag[2:] if tag != "O" else None
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
            if cur:
                out.append(cur)
            cur = [kind, i, i]
        elif tag.startswith("I-"):
            cur[2] = i
        elif cur:
            out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tokens")
    ap.add_argument("--data", default="/tmp/ner-data")
    args = ap.parse_args()
    titles = {w.lower() for w in words("titles.txt")}
    demonyms = set(words("demonyms.txt"))
    outdir = os.path.join(args.data, "gmb")
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(os.path.join(args.data, "sets"), exist_ok=True)
    sents = sentences(args.tokens)
    docs = []
    for n, (a, b) in enumerate(documents(sents)):
        text, mentions = "", []
        for tokens in sents[a:b]:
            line, spans = detokenise(tokens)
            base = len(text.encode("utf-8"))
            for kind, a, b in runs(tokens):
                if kind not in TYPES:
                    continue
                while kind == "per" and a < b and tokens[a][0].lower() in titles:
                    a += 1
                word, pos, _ = tokens[a]
                if kind == "gpe" and (pos in ("JJ", "NNS", "NNPS") or word in demonyms):
                    continue
                start = base + len(line[: spans[a][0]].encode("utf-8"))
                end = base + len(line[: spans[b][1]].encode("utf-8"))
                mentions.append({"type": TYPES[kind], "start": start, "end": end})
            text += line + "\n\n"
        doc_id = "gmb%03d" % n
        path = os.path.join(outdir, doc_id + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        docs.append({"id": doc_id, "file": path, "mentions": mentions})
    with open(os.path.join(args.data, "sets", "gmb.jsonl"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")
    kinds = collections.Counter(m["type"] for d in docs for m in d["mentions"])
    print("%d documents, %d mentions: %s" % (len(docs), sum(kinds.values()), dict(kinds)))


if __name__ == "__main__":
    main()
