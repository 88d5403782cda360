#!/usr/bin/env bash
# Runs `earshot bench inference` and the LiteRT peer (bench/inference/litert_bench.py) in the same run
# and prints the ratios: ours int8 / LiteRT int8 (target ≤ 1.5) and our float / our int8 (target ≥ 2).
# Usage: bench/inference/run.sh [networks] [runs]   e.g. bench/inference/run.sh seed000,resnet-small 200
set -euo pipefail
cd "$(dirname "$0")/../.."
networks="${1:-seed000,resnet-small}"
runs="${2:-200}"
swift build -c release --product earshot >/dev/null
ours=$(mktemp); peer=$(mktemp)
trap 'rm -f "$ours" "$peer"' EXIT
.build/release/earshot bench inference --json --networks "$networks" --runs "$runs" >"$ours"
python3 bench/inference/litert_bench.py --networks "$networks" --runs "$runs" >"$peer"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours = {r["network"]: r for r in json.load(open(sys.argv[1]))["networks"]}
peer = {r["network"]: r for r in json.load(open(sys.argv[2]))["networks"]}
print(f"{'network':13} {'ours f32':>10} {'ours int8':>10} {'LiteRT f32':>11} {'LiteRT int8':>12} {'int8/LiteRT':>12} {'f32/int8':>9}  (ms, medians, 1 thread)")
for name, o in ours.items():
    p = peer[name]
    print(f"{name:13} {o['float_median_ms']:10.4f} {o['int8_median_ms']:10.4f} {p['litert_float_median_ms']:11.4f} "
          f"{p['litert_int8_median_ms']:12.4f} {o['int8_median_ms'] / p['litert_int8_median_ms']:12.2f} "
          f"{o['float_median_ms'] / o['int8_median_ms']:9.2f}")
PY
