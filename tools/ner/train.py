#!/usr/bin/env python3
"""Train the averaged structured perceptron of the learned-tagger spike.

    train.py --data /tmp/ner-data --variant model|combined [--epochs 12]
             [--sets train-wikigold,train-gum] [--out DATA/models/VARIANT.json]

'model' uses the token, shape, context, gazetteer, position and in-article
features; 'combined' adds byline's own rule output (BIO tag of the spans
from `byline extract --plain`, cached by prepare.py) as features.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ner  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/ner-data")
    ap.add_argument("--variant", choices=("model", "combined"), required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--sets", default="train-wikigold,train-gum")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args()
    out = args.out or os.path.join(args.data, "models", args.variant + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)

    lex = ner.Lexicon()
    m = ner.Perceptron()
    seqs = []
    bad = ntok = 0
    t0 = time.time()
    for name in args.sets.split(","):
        for d in ner.load_set(args.data, name):
            doc, feats, gold, b, _ = ner.doc_inputs(args.data, name, d, lex, args.variant == "combined")
            bad += b
            ntok += len(gold)
            for s, e in doc.sequences():
                seqs.append(([m.index(f, True) for f in feats[s:e]], gold[s:e]))
    print("%d sequences, %d tokens, %d features; %d gold mentions off token boundaries (skipped); %.1fs"
          % (len(seqs), ntok, len(m.W), bad, time.time() - t0))
    t0 = time.time()
    m.train(seqs, args.epochs, seed=args.seed, log=print)
    nz = m.prune()
    print("trained in %.1fs; %d features kept, %d non-zero weights" % (time.time() - t0, len(m.W), nz))
    m.save(out)
    print("saved %s (%.1f MB as JSON)" % (out, os.path.getsize(out) / 1e6))


if __name__ == "__main__":
    main()
