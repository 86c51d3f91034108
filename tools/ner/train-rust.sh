#!/bin/sh
# Train byline's entity tagger and score it, from the sources to the weights
# compiled into the crate (src/enrich/entities/tagger/weights.bin):
#
#   tools/ner/train-rust.sh [DATA_DIR]        # default /tmp/ner-data
#
# Needs python3, git, cargo, and the Kaggle GMB token CSV (Voice of America
# news): taken from the mirror of umartariq867/Named-Entity-Recognition-with-
# Python at 7762681 when it is here, else set TOKENS=/path/to/ner_dataset.csv.
# BBC (default ../shared/corpora/bbc) and GUM (a GUM checkout, for the GUM
# news scores) are optional. Nothing derived goes into the repository but the
# weights. The choices below (margin 20, prune 2, seed 1) were made on bbc-dev.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DATA=${1:-/tmp/ner-data}
MIRROR=/work/.mirror/umartariq867+Named-Entity-Recognition-with-Python/repo
GUM=${GUM:-/work/.mirror/amir-zeldes+gum/repo}
mkdir -p "$DATA"
if [ -z "${TOKENS:-}" ]; then
    TOKENS="$DATA/ner_dataset.csv"
    [ -f "$TOKENS" ] || git --git-dir="$MIRROR" show 7762681:ner_dataset.csv > "$TOKENS"
fi
GUMARG=""
[ -e "$GUM" ] && GUMARG="--gum $GUM"
# shellcheck disable=SC2086
python3 "$HERE/sets.py" --data "$DATA" --tokens "$TOKENS" ${BBC:+--bbc "$BBC"} $GUMARG
EVAL=wire,voa-test
for S in bbc-main bbc-dev bbc-heldout gum-news; do
    [ -f "$DATA/sets/$S.jsonl" ] && EVAL="$EVAL,$S"
done
cd "$REPO"
cargo run --release --example ner-train -- --data "$DATA" \
    --train voa-train,written,written-uk --eval "$EVAL" \
    --margin 20 --prune 2 --seed 1 --out src/enrich/entities/tagger/weights.bin
