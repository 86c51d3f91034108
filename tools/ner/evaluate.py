#!/usr/bin/env python3
"""Score byline's rules and the learned tagger on the evaluation sets: exact
span and type, P/R/F1 per type and micro-averaged.

    evaluate.py --data /tmp/ner-data [--sets wire,bbc-dev,gum-news]
                [--tune-on bbc-dev] [--scales 1,1.5,2,3,4] [--errors N]

Variants:
  (a) rules        byline extract --plain alone
  (b) model        the perceptron without rule features
  (c) combined     the perceptron with byline's rule output as features, rule
                   weights at scale 1 (as trained)
  (c') combined    the same, rule-feature weights scaled by the factor chosen
                   on the development set (--tune-on; best micro F1 there)
  (d) rules+model  back-off: the rule spans, plus the spans of (c') that
                   overlap none of them
  (e) model+rules  the other way round: the spans of (c), plus the rule
                   spans that overlap none of them

Also prints the Python tagger's speed (tokens/second, features + Viterbi,
rough) and each model's size (non-zero weights).  --errors N prints error
counts by kind and N sample errors of (e).
"""
import argparse
import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ner  # noqa: E402


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold, pred):
    c = collections.Counter()
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        for s, e, t in gs & ps:
            c[("tp", t)] += 1
        for s, e, t in ps - gs:
            c[("fp", t)] += 1
        for s, e, t in gs - ps:
            c[("fn", t)] += 1
    out = {t: prf(c[("tp", t)], c[("fp", t)], c[("fn", t)]) for t in ner.TYPES}
    out["micro"] = prf(*(sum(c[(k, t)] for t in ner.TYPES) for k in ("tp", "fp", "fn")))
    return out


def kind(span, others):
    s, e, t = span
    for s2, e2, t2 in others:
        if (s2, e2) == (s, e):
            return "type(%s)" % t2
        if s2 < e and s < e2:
            return "boundary"
    return "none"


class Runner:
    def __init__(self, data):
        self.data = data
        self.lex = ner.Lexicon()
        self.cache = {}
        self.speed = collections.defaultdict(lambda: [0, 0.0])

    def inputs(self, name, d, combined):
        key = (name, d["id"], combined)
        if key not in self.cache:
            t0 = time.time()
            self.cache[key] = ner.doc_inputs(self.data, name, d, self.lex, combined)
            self.cache[key] = self.cache[key] + (time.time() - t0,)
        return self.cache[key]

    def predict(self, name, d, model, combined, timed=None):
        doc, feats, _, _, rm, tfeat = self.inputs(name, d, combined)
        t0 = time.time()
        tags = []
        for s, e in doc.sequences():
            tags += model.viterbi([model.index(f, False) for f in feats[s:e]])
        if timed:
            self.speed[timed][0] += len(doc.toks)
            self.speed[timed][1] += time.time() - t0 + tfeat
        return doc, ner.tags_to_spans(doc, tags), sorted((r["start"], r["end"], r["type"]) for r in rm)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--sets", default="wire,bbc-dev,gum-news")
    ap.add_argument("--tune-on", default="bbc-dev")
    ap.add_argument("--scales", default="1,1.5,2,3,4,6")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--models", help="folder of model.json and combined.json (default DATA/models)")
    args = ap.parse_args()
    run = Runner(args.data)
    mpath = lambda v: os.path.join(args.models or os.path.join(args.data, "models"), v + ".json")  # noqa: E731
    model = ner.Perceptron.load(mpath("model"))
    combined = ner.Perceptron.load(mpath("combined"))

    # choose the rule-feature scale on the development set
    dev = ner.load_set(args.data, args.tune_on)
    golds = [sorted((m["start"], m["end"], m["type"]) for m in d["mentions"]) for d in dev]
    best = None
    for sc in [float(x) for x in args.scales.split(",")]:
        m = ner.Perceptron.load(mpath("combined"), rule_scale=sc)
        f = score(golds, [run.predict(args.tune_on, d, m, True)[1] for d in dev])["micro"][2]
        print("rule scale %-4g on %s: micro F1 %.3f" % (sc, args.tune_on, f))
        if best is None or f > best[1] + 1e-9:
            best = (sc, f)
    scale = best[0]
    print("chosen rule scale: %g\n" % scale)
    scaled = ner.Perceptron.load(mpath("combined"), rule_scale=scale)

    rows = []
    errors = collections.Counter()
    samples = []
    names = ["(a) rules", "(b) model", "(c) combined", "(c') combined x%g" % scale, "(d) rules+model", "(e) model+rules"]
    for name in args.sets.split(","):
        if not os.path.exists(os.path.join(args.data, "sets", name + ".jsonl")):
            print("set %s not prepared: skipped" % name)
            continue
        docs = ner.load_set(args.data, name)
        golds, preds = [], [[] for _ in names]
        for d in docs:
            gold = sorted((m["start"], m["end"], m["type"]) for m in d["mentions"])
            golds.append(gold)
            _, pb, rules = run.predict(name, d, model, False, timed="model")
            _, pc, _ = run.predict(name, d, combined, True, timed="combined")
            doc, pc2, _ = run.predict(name, d, scaled, True)
            pd = sorted(rules + [p for p in pc2 if not any(p[0] < r[1] and r[0] < p[1] for r in rules)])
            pe = sorted(pc + [r for r in rules if not any(p[0] < r[1] and r[0] < p[1] for p in pc)])
            for k, p in enumerate((rules, pb, pc, pc2, pd, pe)):
                preds[k].append(p)
            if args.errors:
                for sp in set(pe) - set(gold):
                    k = kind(sp, gold)
                    errors[(name, "FP", k)] += 1
                    samples.append((name, d["id"], "FP", k, sp, doc.data))
                for sp in set(gold) - set(pe):
                    k = kind(sp, pe)
                    errors[(name, "FN", k)] += 1
                    samples.append((name, d["id"], "FN", k, sp, doc.data))
        for k, v in enumerate(names):
            rows.append((name, v, score(golds, preds[k])))
    print("| set | variant | person P / R / F1 | organization P / R / F1 | place P / R / F1 | micro P / R / F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, v, sc in rows:
        cells = ["%.3f / %.3f / %.3f" % sc[t] for t in ner.TYPES]
        cells.append("%.3f / %.3f / **%.3f**" % sc["micro"])
        print("| %s | %s | %s |" % (name, v, " | ".join(cells)))
    print()
    for v, m in (("model", model), ("combined", combined)):
        n, t = run.speed[v]
        nz = sum(1 for w in m.W for x in w if x) + sum(1 for r in m.T for x in r if x)
        print("%-9s %d features, %d non-zero weights; Python inference %.0f tokens/s (features + Viterbi)"
              % (v, len(m.W), nz, n / t if t else 0))
    if args.errors:
        print("\nerrors of (e) by kind (type(X): same span, gold/predicted type X):")
        for k, c in sorted(errors.items()):
            print("  %-8s %s %-22s %d" % (k[0], k[1], k[2], c))
        random.Random(0).shuffle(samples)
        print("\nsample errors of (e):")
        for name, did, fpfn, k, (s, e, t), data in samples[:args.errors]:
            ctx = data[max(0, s - 40):e + 40].decode("utf-8", "replace").replace("\n", " ")
            print("  %s %s/%s %-12s %-13s %r in ...%s..." % (fpfn, name, did, k, t,
                                                           data[s:e].decode("utf-8", "replace"), ctx))


if __name__ == "__main__":
    main()
