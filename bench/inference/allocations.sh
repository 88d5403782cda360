#!/usr/bin/env bash
# Counts heap allocations of Inference.Model.infer: runs `earshot bench inference --int8-only` twice with an
# LD_PRELOAD malloc counter (malloc_count.c), with R and R + 1000 timed runs. Everything else (loading,
# calibration, warm-up) is identical, so the difference / 1000 is the allocations per inferred window.
# Expected output: "0 allocations per window". (valgrind's DHAT cannot read these binaries' debug info.)
set -euo pipefail
cd "$(dirname "$0")/../.."
networks="${1:-seed000,resnet-small}"
swift build -c release --product earshot >/dev/null
shim=$(mktemp --suffix=.so)
trap 'rm -f "$shim"' EXIT
cc -O2 -shared -fPIC -o "$shim" bench/inference/malloc_count.c -ldl
for network in ${networks//,/ }; do
    count() {
        LD_PRELOAD="$shim" .build/release/earshot bench inference --int8-only --networks "$network" \
            --runs "$1" --calibration 2 2>&1 >/dev/null | awk '/malloc_count/ {print $2}'
    }
    # Warm-up is max(runs / 10, 3) calls: 10 and 110, so R + 1000 timed runs add 1,100 inferences.
    a=$(count 100)
    b=$(count 1100)
    echo "$network: $a vs $b mallocs for 1,100 more windows: $(( (b - a) / 1100 )) allocations per window ($((b - a)) total)"
done
