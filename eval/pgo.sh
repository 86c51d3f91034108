#!/usr/bin/env bash
# Builds byline with profile-guided optimisation (PGO) and prints the path of
# the binary, target/pgo/byline.
#
# An instrumented build first indexes, reindexes and searches the sample
# archive in corpus/ (never the benchmark corpora), recording how often each
# branch and call ran; the release build is then compiled again with those
# counts, so that LLVM inlines and lays out code for the paths that run.
# On the 200k benchmark corpus this build indexes 6-10% faster than
# `cargo build --release` (see the README's Performance section). Answers are
# the same: `.ci/run` checks that both builds print the same search results.
#
#     eval/pgo.sh                  # about 8 minutes: two full release builds
#     eval/pgo.sh MORE_FOLDERS...  # also trains on these archives
#
# Needs LLVM's llvm-profdata from the toolchain's llvm-tools component, which
# it adds with rustup if missing. The two builds keep their own target folders
# under target/pgo/; the second is built whole again whenever the profile
# changes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/pgo

host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
if [ ! -x "$profdata" ]; then
  echo "pgo: adding rustup's llvm-tools component for llvm-profdata" >&2
  rustup component add llvm-tools >&2
fi
[ -x "$profdata" ] || { echo "pgo: no llvm-profdata at $profdata" >&2; exit 1; }

# CARGO_ENCODED_RUSTFLAGS keeps a path with spaces in one piece; it also
# replaces any RUSTFLAGS of the caller, so both builds get exactly these.
echo "pgo: building the instrumented binary (target/pgo/gen)" >&2
rm -rf "$out/raw" "$out/train"
CARGO_TARGET_DIR=$out/gen CARGO_ENCODED_RUSTFLAGS="-Cprofile-generate=$out/raw" \
  cargo build --release --quiet --bin byline
gen=$out/gen/release/byline

echo "pgo: training on corpus/ $*" >&2
# Named apart from the profiles that instrumented build scripts left in raw/.
export LLVM_PROFILE_FILE=$out/raw/train-%m_%p.profraw
train=$out/train
mkdir -p "$train"
cp -r corpus "$train/archive"
for extra in "$@"; do
  cp -r "$extra" "$train/archive/extra-$(basename "$extra")"
done
idx=$train/index
# Indexing first and most: LLVM optimises for speed what the profile shows
# as hot, relative to everything the profile holds. Trained with every
# query of the peer comparison in three forms besides one indexing run, the
# build indexed 2-3% slower than one trained mostly on indexing.
for _ in 1 2 3 4 5 6 7 8; do
  "$gen" --index "$idx" index "$train/archive" >/dev/null
done
# search exits with 1 when nothing matches, as grep does; 2 is an error.
search() { "$gen" --index "$idx" search "$@" >/dev/null || [ $? -eq 1 ]; }
for q in 'port strike' '"Baltic Link"' 'person:"Helena Vasquez-Lind"' 'person:Wierzba' \
  'org:"European Commission" after:2025-01-01' 'place:Rotterdam -strike' 'wind OR solar' \
  'date:2026 dockers' 'union talks before:2026-06-01' 'grid -person:Wierzba'; do
  search "$q"
done
search 'port strike' --sort date --json
search 'port strike' --sort recent -n 20
"$gen" --index "$idx" entities strike >/dev/null
"$gen" --index "$idx" timeline --by month port >/dev/null
# A batch job's paths: one file edited and one removed.
# `sed -n 1p` reads to the end: `head` would leave sort to die of SIGPIPE
# on a longer list, which pipefail makes this script's failure.
first=$(find "$train/archive" -name '*.txt' | sort | sed -n 1p)
printf '\nA paragraph added so that the file is read again.\n' >>"$first"
rm -f "$(find "$train/archive" -name '*.json' | sort | sed -n 1p)"
"$gen" --index "$idx" reindex "$train/archive" >/dev/null

"$profdata" merge -o "$out/merged.profdata" "$out"/raw/train-*.profraw
# cargo rebuilds when the flags change, not when a file they name does: the
# profile's name carries its content's hash.
profile=$out/byline-$(sha256sum "$out/merged.profdata" | cut -c1-16).profdata
mv "$out/merged.profdata" "$profile"

echo "pgo: building with the profile (target/pgo/use)" >&2
CARGO_TARGET_DIR=$out/use CARGO_ENCODED_RUSTFLAGS="-Cprofile-use=$profile" \
  cargo build --release --quiet --bin byline
cp "$out/use/release/byline" "$out/byline"
echo "$out/byline"
