#!/usr/bin/env bash
# The int8 networks on each convolution kernel this CPU runs, alternated in the same run: the Swift kernels
# (`EARSHOT_INT8_KERNEL=swift`), the AVX2 C kernel (`avx2`) and the AVX-512 VNNI C kernel (`avx512-vnni`),
# `rounds` rounds of `earshot bench inference --int8-only`. Prints the median over rounds of each kernel's
# median latency per window and the speed-ups; AVX2 over Swift is the 1.5× bar a C kernel must clear.
# Kernels the CPU lacks fall back (avx512-vnni → avx2 → swift), so their columns repeat a slower kernel.
#
# Usage: bench/inference/kernels.sh [networks] [runs] [rounds]
#   e.g. bench/inference/kernels.sh seed000,resnet-small,resnet18 50 3
set -euo pipefail
cd "$(dirname "$0")/../.."
networks="${1:-seed000,resnet-small,resnet18}"
runs="${2:-50}"
rounds="${3:-3}"
swift build -c release --product earshot >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kernels="swift avx2 avx512-vnni"
for round in $(seq "$rounds"); do
    for kernel in $kernels; do
        echo "  round $round/$rounds: $kernel" >&2
        EARSHOT_INT8_KERNEL=$kernel .build/release/earshot bench inference --json --int8-only --networks "$networks" \
            --runs "$runs" 2>/dev/null >"$work/$kernel-$round.json"
    done
done
python3 - "$work" "$rounds" $kernels <<'PY'
import json, statistics, sys
work, rounds, kernels = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
medians = {}
for kernel in kernels:
    per_network = {}
    for r in range(1, rounds + 1):
        for entry in json.load(open(f"{work}/{kernel}-{r}.json"))["networks"]:
            per_network.setdefault(entry["network"], []).append(entry["int8_median_ms"])
    medians[kernel] = {n: statistics.median(v) for n, v in per_network.items()}
print("| network | Swift ms | AVX2 ms | AVX-512 VNNI ms | AVX2 speed-up over Swift (≥ 1.5) | VNNI over AVX2 |")
print("|---|---|---|---|---|---|")
for network in medians[kernels[0]]:
    s, a, v = (medians[k][network] for k in kernels)
    print(f"| {network} | {s:.4f} | {a:.4f} | {v:.4f} | {s / a:.1f}× | {a / v:.1f}× |")
PY
