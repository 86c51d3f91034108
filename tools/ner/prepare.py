#!/usr/bin/env python3
"""Build the training and evaluation sets for the learned entity tagger.

    prepare.py --data /tmp/ner-data --byline target/release/byline \
        --gum /path/to/gum.git [--eval-gum tools/eval-gum] [--gum-news-gold FILE]

Writes, under --data (never into the repository):

  wikigold/NNN.txt, gum-train/<doc>.txt, gum-news/<doc>.txt   texts
  sets/<name>.jsonl     one line per document: {"id", "file", "mentions":
                        [{"type","start","end"}]} (byte offsets), for the sets
                        train-wikigold, train-gum, wire, bbc-dev, gum-news
  rules/<name>/<id>.json   byline extract --plain output for every document

Training data (see README.md for licences):
  * wikigold.conll.txt (Wikipedia, CC BY 4.0), expected at DATA/wikigold.conll.txt;
    IO tags, PER/ORG/LOC kept, MISC dropped. Texts are rebuilt by a light
    detokeniser, four sentences a paragraph.
  * GUM academic and court documents (texts CC BY 4.0, annotations CC BY 4.0):
    person/organization/place names derived with the same rules as the GUM
    news evaluation set (tools/eval-gum/prepare.py, imported), no overrides.
Evaluation sets: eval/quality/wire-entities.jsonl (texts in eval/quality/wire),
eval/quality/bbc-entities-dev.jsonl (texts in --bbc), and GUM news when the
tools/eval-gum helper and its gold file are available.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WIKI_MAP = {"PER": "person", "ORG": "organization", "LOC": "place"}
GUM_TRAIN_GENRES = ("academic", "court")

NO_SPACE_BEFORE = {",", ".", ":", ";", ")", "]", "'s", "'", "n't", "?", "!", "%", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "$"}


def wikigold(path, outdir):
    """Documents as (id, text bytes, mentions)."""
    docs, sents, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    sents.append(sent)
                    sent = []
                continue
            tok, tag = line.rsplit(" ", 1)
            if tok == "-DOCSTART-":
                if sent:
                    sents.append(sent)
                    sent = []
                if sents:
                    docs.append(sents)
                sents = []
                continue
            sent.append((tok, tag))
    if sent:
        sents.append(sent)
    if sents:
        docs.append(sents)
    # byline's guidelines leave titles out of a person's span ("Lt. Gen.
    # Jubal Early" -> "Jubal Early"): drop title words that open a PER run
    titles = set()
    with open(os.path.join(REPO, "src", "enrich", "data", "titles.txt"), encoding="utf-8") as f:
        for l in f:
            for w in l.split():
                titles.add(w.lower().rstrip("."))
    trimmed = 0
    for sents in docs:
        for sent in sents:
            for k, (tok, tag) in enumerate(sent):
                if tag == "I-PER" and (k == 0 or sent[k - 1][1] != "I-PER"):
                    j = k
                    while (j + 1 < len(sent) and sent[j + 1][1] == "I-PER"
                           and sent[j][0].lower().rstrip(".") in titles):
                        sent[j] = (sent[j][0], "O")
                        trimmed += 1
                        j += 1
    print("wikigold: %d title words taken out of person spans" % trimmed)
    os.makedirs(outdir, exist_ok=True)
    out = []
    for di, sents in enumerate(docs):
        buf = bytearray()
        mentions = []
        for si, sent in enumerate(sents):
            if si:
                buf += b"\n\n" if si % 4 == 0 else b" "
            cur = None  # [type, start, end]
            prev = None
            for tok, tag in sent:
                if prev is not None and tok not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
                    buf += b" "
                start = len(buf)
                buf += tok.encode("utf-8")
                end = len(buf)
                typ = WIKI_MAP.get(tag[2:]) if tag != "O" else None
                if typ and cur and cur[0] == typ and not tag.startswith("B-"):
                    cur[2] = end
                else:
                    if cur:
                        mentions.append(cur)
                    cur = [typ, start, end] if typ else None
                prev = tok
            if cur:
                mentions.append(cur)
        buf += b"\n"
        did = "%03d" % (di + 1)
        with open(os.path.join(outdir, did + ".txt"), "wb") as f:
            f.write(bytes(buf))
        ms = [{"type": t, "start": s, "end": e} for t, s, e in mentions]
        out.append({"id": did, "file": os.path.join(outdir, did + ".txt"), "mentions": ms})
    return out


def gum_docs(gum_dir, rev, eval_gum, genres, outdir):
    sys.path.insert(0, eval_gum)
    import gumread  # noqa: E402
    import prepare as gprep  # noqa: E402  (tools/eval-gum/prepare.py)
    gum = gumread.Gum(gum_dir, rev)
    os.makedirs(outdir, exist_ok=True)
    out = []
    log = []
    for p in gum.list("dep/"):
        b = os.path.basename(p)
        if not (b.startswith("GUM_") and b.endswith(".conllu")):
            continue
        doc = b[:-len(".conllu")]
        genre = doc.split("_")[1]
        if genre not in genres:
            continue
        assert genre != "news"
        conllu = gumread.parse_conllu(gum.read("dep/%s.conllu" % doc))
        text, _ = gumread.layout(conllu)
        data = text.encode("utf-8")
        fn = os.path.join(outdir, doc + ".txt")
        with open(fn, "wb") as f:
            f.write(data)
        tsv = gumread.parse_tsv(gum.read("coref/gum/tsv/%s.tsv" % doc))
        names, hiders, ents = gprep.derive(doc, data, conllu, tsv, log)
        ms = gprep.finish(doc, data, names, hiders, ents, collections.defaultdict(list), log)
        out.append({"id": doc, "file": fn,
                    "mentions": [{"type": m["type"], "start": m["start"], "end": m["end"]} for m in ms]})
    return out, gum.commit


def gold_set(jsonl, root):
    out = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            out.append({"id": d["path"].replace("/", "_").replace(".txt", ""),
                        "file": os.path.join(root, d["path"]),
                        "mentions": [{"type": m["type"], "start": m["start"], "end": m["end"]}
                                     for m in d["mentions"]]})
    return out


def run_rules(byline, docs, outdir):
    os.makedirs(outdir, exist_ok=True)
    for d in docs:
        r = subprocess.run([byline, "extract", "--plain", d["file"]], capture_output=True, check=True)
        with open(os.path.join(outdir, d["id"] + ".json"), "wb") as f:
            f.write(r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--byline", default=os.path.join(REPO, "target", "release", "byline"))
    ap.add_argument("--gum", required=True, help="GUM repository (bare git dir or work tree)")
    ap.add_argument("--gum-rev", default="HEAD")
    ap.add_argument("--eval-gum", default=os.path.join(REPO, "tools", "eval-gum"),
                    help="folder of the GUM helper (gumread.py, prepare.py)")
    ap.add_argument("--gum-news-gold", default=os.path.join(REPO, "eval", "quality", "gum-news.jsonl"))
    ap.add_argument("--bbc", default="/work/shared/corpora/bbc")
    ap.add_argument("--gum-genres", default=",".join(GUM_TRAIN_GENRES))
    args = ap.parse_args()

    sets = {}
    sets["train-wikigold"] = wikigold(os.path.join(args.data, "wikigold.conll.txt"),
                                      os.path.join(args.data, "wikigold"))
    genres = tuple(g for g in args.gum_genres.split(",") if g)
    if "news" in genres:
        sys.exit("GUM news is the evaluation set; never train on it")
    sets["train-gum"], commit = gum_docs(args.gum, args.gum_rev, args.eval_gum, genres,
                                         os.path.join(args.data, "gum-train"))
    print("GUM commit", commit)
    sets["wire"] = gold_set(os.path.join(REPO, "eval", "quality", "wire-entities.jsonl"),
                            os.path.join(REPO, "eval", "quality", "wire"))
    sets["bbc-dev"] = gold_set(os.path.join(REPO, "eval", "quality", "bbc-entities-dev.jsonl"), args.bbc)
    if os.path.exists(args.gum_news_gold):
        gdir = os.path.join(args.data, "gum-news")
        subprocess.run([sys.executable, os.path.join(args.eval_gum, "prepare.py"), "--gum", args.gum,
                        "--rev", json.loads(open(args.gum_news_gold).readline())["gum_commit"],
                        "--out", gdir, "--no-eval"], check=True, capture_output=True)
        sets["gum-news"] = gold_set(args.gum_news_gold, gdir)
    else:
        print("no GUM news gold at %s: skipped" % args.gum_news_gold)
    os.makedirs(os.path.join(args.data, "sets"), exist_ok=True)
    for name, docs in sets.items():
        with open(os.path.join(args.data, "sets", name + ".jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d) + "\n")
        run_rules(args.byline, docs, os.path.join(args.data, "rules", name))
        c = collections.Counter(m["type"] for d in docs for m in d["mentions"])
        print("%-15s %4d docs  %s" % (name, len(docs), dict(sorted(c.items()))))


if __name__ == "__main__":
    main()
