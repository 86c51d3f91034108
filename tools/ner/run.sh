#!/bin/sh
# Reproduce the learned-tagger spike end to end: data, training, evaluation.
#
#   tools/ner/run.sh [GUM_DIR] [DATA_DIR]
#
# GUM_DIR: a GUM checkout or bare mirror (default /work/.mirror/amir-zeldes+gum/repo)
# DATA_DIR: where everything derived goes, never the repository (default /tmp/ner-data)
# Needs: python3 (standard library only), git, target/release/byline, and
# DATA_DIR/wikigold.conll.txt (see README.md, "Training data", for where to get
# it; its sha256 is checked). BYLINE, EVAL_GUM, GUM_NEWS_GOLD and BBC may be
# set to override the defaults of prepare.py.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
GUM=${1:-/work/.mirror/amir-zeldes+gum/repo}
DATA=${2:-/tmp/ner-data}
BYLINE=${BYLINE:-$REPO/target/release/byline}
EVAL_GUM=${EVAL_GUM:-$REPO/tools/eval-gum}
GUM_NEWS_GOLD=${GUM_NEWS_GOLD:-$REPO/eval/quality/gum-news.jsonl}
BBC=${BBC:-/work/shared/corpora/bbc}
WIKIGOLD_SHA256=c75d35bf393e4c979fdc7413f86a7782b8c30d3ccefad57addb402fa088298cd

mkdir -p "$DATA"
if [ ! -f "$DATA/wikigold.conll.txt" ]; then
    echo "missing $DATA/wikigold.conll.txt (see tools/ner/README.md)" >&2
    exit 1
fi
echo "$WIKIGOLD_SHA256  $DATA/wikigold.conll.txt" | sha256sum -c -
python3 "$HERE/prepare.py" --data "$DATA" --gum "$GUM" --byline "$BYLINE" \
    --eval-gum "$EVAL_GUM" --gum-news-gold "$GUM_NEWS_GOLD" --bbc "$BBC"
# three training seeds (document order); seed 1 is reported in full, then
# the micro F1 of every variant over the three seeds
for S in 1 2 3; do
    for V in model combined; do
        python3 "$HERE/train.py" --data "$DATA" --variant $V --seed $S --out "$DATA/models-s$S/$V.json" \
            > "$DATA/train-$V-s$S.log"
    done
    tail -n 3 "$DATA/train-combined-s$S.log"
done
python3 "$HERE/evaluate.py" --data "$DATA" --models "$DATA/models-s1" --errors 30 | tee "$DATA/eval-s1.txt"
for S in 2 3; do
    python3 "$HERE/evaluate.py" --data "$DATA" --models "$DATA/models-s$S" > "$DATA/eval-s$S.txt"
done
echo
echo "micro F1 over seeds 1, 2, 3 (mean, min-max):"
python3 - "$DATA"/eval-s1.txt "$DATA"/eval-s2.txt "$DATA"/eval-s3.txt <<'PY'
import collections, re, sys
f1 = collections.OrderedDict()
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        c = [x.strip() for x in line.split("|")]
        if len(c) > 7 and c[1] not in ("set", "---"):
            v = re.sub(r" x[0-9.]+$", "", c[2])
            f1.setdefault((c[1], v), []).append(float(c[6].split("/")[2].strip(" *")))
print("| set | variant | micro F1 mean | min-max |")
print("| --- | --- | ---: | --- |")
for (s, v), xs in f1.items():
    print("| %s | %s | %.3f | %.3f-%.3f |" % (s, v, sum(xs) / len(xs), min(xs), max(xs)))
PY
