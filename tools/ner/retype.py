#!/usr/bin/env python3
"""A second learned design, measured: a classifier over the rules' spans.

byline's rules find the spans; an averaged multiclass perceptron then
re-decides each span's type, or drops it (person, organization, place,
none), from the rule's type, the span's words and shapes, the words around
it, the gazetteers, title and suffix cues, its position and how often the
article names it. It cannot find a name the rules miss, but it costs
nothing at run time (a few spans an article), and it could fix the type
errors and false names that make up much of the rules' loss on other
agencies' copy.

    retype.py --data /tmp/ner-data [--byline target/release/byline] [--gmb]

Reads DATA/sets/*.jsonl as prepare.py (and gmb.py, for --gmb) write them;
writes byline's spans under DATA/retype-rules. Trains on train-wikigold and
train-gum (plus the first 134 GMB documents with --gmb), and scores wire,
bbc-dev, gum-news (and the other 66 GMB documents) by exact span and type:
the rules alone, the model, and the model allowed to overrule a rule only
by a margin. Standard library only.
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LISTS = os.path.join(REPO, "src", "enrich", "data")
CLASSES = ["person", "organization", "place", "none"]
WORD = re.compile(r"[\w][\w'’.&-]*|\S")


def column(name, col=0):
    with open(os.path.join(LISTS, name), encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t")[col] for l in f if l.strip()]


PLACES = {}
with open(os.path.join(LISTS, "places.tsv"), encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        PLACES[cols[0]] = cols[2] if len(cols) > 2 else "?"
ORGS = set(column("organizations.tsv"))
GIVEN = set(column("given_names.txt"))
TITLES = {w.lower() for w in column("titles.txt")}
COMMON = set(column("common_words.txt"))
DEMONYMS = set(column("demonyms.txt"))
SUFFIXES = set(column("org_suffixes.txt"))


def shape(w):
    s = re.sub("[A-Z]", "X", w)
    s = re.sub("[a-z]", "x", s)
    s = re.sub("[0-9]", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)[:6]


def load(data, name, byline):
    """[(raw bytes, byline's entities, {(start, end): type})]"""
    docs = []
    out = os.path.join(data, "retype-rules", name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(data, "sets", name + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            raw = open(d["file"], "rb").read()
            cached = os.path.join(out, d["id"] + ".json")
            if not os.path.exists(cached):
                got = subprocess.run([byline, "extract", "--plain", d["file"]],
                                     capture_output=True, check=True).stdout
                open(cached, "wb").write(got)
            rules = json.load(open(cached, encoding="utf-8"))["entities"]
            gold = {(m["start"], m["end"]): m["type"] for m in d["mentions"]}
            docs.append((raw, rules, gold))
    return docs


def features(raw, ent, m, counts, kinds):
    s, e = m["start"], m["end"]
    span = raw[s:e].decode("utf-8", "replace")
    before = raw[max(0, s - 60):s].decode("utf-8", "replace")
    after = raw[e:e + 60].decode("utf-8", "replace")
    ws = span.split() or [span]
    prev = WORD.findall(before)[-2:]
    nxt = WORD.findall(after)[:2]
    t, name = ent["type"], ent["name"]
    p1 = prev[-1].lower() if prev else "<s>"
    p2 = prev[-2].lower() if len(prev) > 1 else "<s>"
    n1 = nxt[0].lower() if nxt else "</s>"
    n2 = nxt[1].lower() if len(nxt) > 1 else "</s>"
    shapes = " ".join(shape(w) for w in ws[:3])
    c = min(counts[(t, name)], 4)
    f = ["bias", "rule=" + t, "len=%d%s" % (min(len(ws), 4), t)]
    f += ["w=" + w.lower() for w in ws]
    f += ["first=%s|%s" % (ws[0].lower(), t), "last=%s|%s" % (ws[-1].lower(), t)]
    f += ["shape=" + shapes, "shape|rule=%s|%s" % (shapes, t)]
    f += ["p1=" + p1, "p2=" + p2, "p21=%s_%s" % (p2, p1), "n1=" + n1, "n12=%s_%s" % (n1, n2)]
    f += ["p1|rule=%s|%s" % (p1, t), "n1|rule=%s|%s" % (n1, t)]
    f += ["place=" + PLACES.get(span, "-"), "org=%d" % (span in ORGS)]
    f += ["name_place=%s|%s" % (PLACES.get(name, "-"), t), "name_org=%d|%s" % (name in ORGS, t)]
    f += ["given=%d|%s" % (ws[0] in GIVEN, t), "title_before=%d" % (p1 in TITLES)]
    f += ["suffix=%d" % (ws[-1].rstrip(".") in SUFFIXES or ws[-1] in SUFFIXES)]
    f += ["common=%d" % (len(ws) == 1 and ws[0].lower() in COMMON), "demonym=%d" % (span in DEMONYMS)]
    f += ["caps=%d" % span.isupper(), "first_line=%d" % (b"\n" not in raw[:s])]
    f += ["line_start=%d" % (before[before.rfind("\n") + 1:].strip() == "")]
    f += ["sentence_start=%d" % (before.rstrip()[-1:] in (".", "!", "?", '"', ""))]
    f += ["count=%d|%s" % (c, t), "kinds=%d" % (len(kinds[name.split()[-1]]) > 1)]
    f += ["longer_name=%d" % (len(name.split()) - len(ws))]
    return f


def examples(doc):
    raw, rules, gold = doc
    counts, kinds = collections.Counter(), collections.defaultdict(set)
    for ent in rules:
        counts[(ent["type"], ent["name"])] += len(ent["mentions"])
        kinds[ent["name"].split()[-1]].add(ent["type"])
    return [(features(raw, ent, m, counts, kinds), gold.get((m["start"], m["end"]), "none"),
             ent["type"], (m["start"], m["end"]))
            for ent in rules for m in ent["mentions"]]


class Perceptron:
    def __init__(self):
        self.w = collections.defaultdict(lambda: [0.0] * 4)
        self.u = collections.defaultdict(lambda: [0.0] * 4)
        self.avg = {}

    def scores(self, f, weights):
        sc = [0.0] * 4
        for x in f:
            v = weights.get(x)
            if v:
                for i in range(4):
                    sc[i] += v[i]
        return sc

    def train(self, data, epochs, seed):
        rng, data, c = random.Random(seed), list(data), 1
        for _ in range(epochs):
            rng.shuffle(data)
            for f, y, _, _ in data:
                sc = self.scores(f, self.w)
                p, yi = max(range(4), key=sc.__getitem__), CLASSES.index(y)
                if p != yi:
                    for x in f:
                        self.w[x][yi] += 1
                        self.w[x][p] -= 1
                        self.u[x][yi] += c
                        self.u[x][p] -= c
                c += 1
        self.avg = {x: [v[i] - self.u[x][i] / c for i in range(4)] for x, v in self.w.items()}

    def decide(self, f, rule, margin):
        sc = self.scores(f, self.avg)
        p = max(range(4), key=sc.__getitem__)
        return CLASSES[p] if sc[p] - sc[CLASSES.index(rule)] > margin else rule


def score(docs, decide):
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for doc in docs:
        got = {}
        for f, _, rule, span in examples(doc):
            t = decide(f, rule)
            if t != "none":
                got[span] = t
        gold = doc[2]
        for span, t in got.items():
            (tp if gold.get(span) == t else fp)[t] += 1
        for span, t in gold.items():
            if got.get(span) != t:
                fn[t] += 1
    out = {}
    for t in CLASSES[:3] + ["micro"]:
        a, b, c = ((sum(tp.values()), sum(fp.values()), sum(fn.values())) if t == "micro"
                   else (tp[t], fp[t], fn[t]))
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        out[t] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--byline", default=os.path.join(REPO, "target", "release", "byline"))
    ap.add_argument("--gmb", action="store_true")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    train = load(args.data, "train-wikigold", args.byline) + load(args.data, "train-gum", args.byline)
    sets = {n: load(args.data, n, args.byline) for n in ("wire", "bbc-dev", "gum-news")}
    if os.path.exists(os.path.join(args.data, "sets", "gmb.jsonl")):
        gmb = load(args.data, "gmb", args.byline)
        sets["gmb-test"] = gmb[134:]
        if args.gmb:
            train += gmb[:134]
    if os.path.exists(os.path.join(args.data, "sets", "voa-test.jsonl")):
        # VOA documents labelled under byline's guidelines (voa.py).
        sets["voa-test"] = load(args.data, "voa-test", args.byline)
    data = [x for d in train for x in examples(d)]
    print("training spans: %d %s" % (len(data), dict(collections.Counter(y for _, y, _, _ in data))))
    model = Perceptron()
    model.train(data, args.epochs, seed=1)
    print("| set | rules | model | model, margin 10 | model, margin 20 |")
    print("| --- | --- | --- | --- | --- |")
    for name, docs in sets.items():
        cells = []
        for decide in (lambda f, r: r,
                       lambda f, r: model.decide(f, r, 0),
                       lambda f, r: model.decide(f, r, 10),
                       lambda f, r: model.decide(f, r, 20)):
            s = score(docs, decide)
            cells.append("%.3f (org %.3f)" % (s["micro"], s["organization"]))
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
