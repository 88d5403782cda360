#!/usr/bin/env bash
# Checks that FeatureStream.push/finish never allocate: runs `earshot bench features` (which streams a 10 s
# clip in 512-sample chunks) under valgrind's DHAT and lists heap allocation sites whose stack passes
# through FeatureStream's per-frame path. Expected output: "0 allocation sites".
set -euo pipefail
cd "$(dirname "$0")/.."
data="${EARSHOT_REAL_DATA:-../shared/data}"
swift build -c release --product earshot >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=dhat --dhat-out-file="$out" .build/release/earshot bench features --runs 3 \
    --directory "$data/dcase2020" >/dev/null 2>&1
python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
per_frame = ("FeatureStreamC4push", "FeatureStreamC6finish", "FeatureStreamC7consume", "FeatureStreamC13completeFrame",
             "FeatureStreamC9feedZeros", "FramePipelineC13frameFeatures")
sites = [pp for pp in d["pps"] if any(any(p in d["ftbl"][i] for p in per_frame) for i in pp["fs"])]
for pp in sites:
    print(pp["tb"], "bytes in", pp["tbk"], "blocks:", d["ftbl"][pp["fs"][0]][:160])
print(f"{len(sites)} allocation sites in FeatureStream's per-frame path")
sys.exit(1 if sites else 0)
PY
