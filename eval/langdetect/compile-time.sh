#!/usr/bin/env bash
# Build cost and size of each detector: three tiny binaries that differ only in
# the detector they link (src/bin/size_*.rs), each built in a fresh target
# directory: a cold release build, a rebuild after touching the binary's source,
# and a cold build with byline's release profile (fat LTO, one codegen unit).
# Sizes are of stripped binaries. Usage: bash compile-time.sh (a few minutes).
set -euo pipefail
cd "$(dirname "$0")"
cargo fetch -q
tm() { /usr/bin/time -f "%e s wall, %U+%S s CPU" -o /tmp/langdetect-ct.time nice -n 10 "$@"; cat /tmp/langdetect-ct.time; }
for what in base whatlang lingua; do
    export CARGO_TARGET_DIR=/tmp/langdetect-ct-$what
    rm -rf "$CARGO_TARGET_DIR"
    feats=(--no-default-features)
    [ "$what" != base ] && feats+=(--features "$what")
    bin=$CARGO_TARGET_DIR/release/size-$what
    echo "size-$what cold build:   $(tm cargo build -q --release "${feats[@]}" --bin size-$what), $(stat -c %s "$bin") bytes"
    touch src/bin/size_$what.rs
    echo "size-$what rebuild:      $(tm cargo build -q --release "${feats[@]}" --bin size-$what)"
    export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
    echo "size-$what fat-LTO cold: $(tm cargo build -q --release "${feats[@]}" --bin size-$what), $(stat -c %s "$bin") bytes"
    touch src/bin/size_$what.rs
    echo "size-$what fat-LTO rebuild: $(tm cargo build -q --release "${feats[@]}" --bin size-$what)"
    unset CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_CODEGEN_UNITS
    rm -rf "$CARGO_TARGET_DIR"
done
