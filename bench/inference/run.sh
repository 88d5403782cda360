#!/usr/bin/env bash
# Runs `earshot bench inference` and the LiteRT peer (bench/inference/litert_bench.py) alternately in the
# same run, `rounds` times, and prints the median over rounds of each engine's per-round median latency,
# the ratios (ours int8 / LiteRT int8, target ≤ 1.5; our float / our int8, target ≥ 2), the model sizes
# and the peak RSS of a process per engine and network.
#
# Peak RSS (GNU time's %M) of a process that only loads and runs the model: LiteRT's is a Python child that loads
# the .tflite file and invokes it; ours is `earshot bench inference --artifact <network>.int8 --runs 20`, which loads
# the int8 artifact written by the first round (`--write-artifacts`) and runs it, building nothing else.
#
# Usage: bench/inference/run.sh [networks] [runs] [rounds]
#   e.g. bench/inference/run.sh seed000,resnet-small,resnet18,resnet34 50 3
set -euo pipefail
cd "$(dirname "$0")/../.."
networks="${1:-seed000,resnet-small}"
runs="${2:-200}"
rounds="${3:-3}"
swift build -c release --product earshot >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq "$rounds"); do
    .build/release/earshot bench inference --json --networks "$networks" --runs "$runs" --write-artifacts "$work" \
        >"$work/ours-$round.json"
    extra=(--no-rss)
    [ "$round" = 1 ] && extra=()
    python3 bench/inference/litert_bench.py --networks "$networks" --runs "$runs" --cache "$work" "${extra[@]}" \
        >"$work/peer-$round.json"
done
for network in ${networks//,/ }; do
    /usr/bin/time -f %M -o "$work/rss-$network" .build/release/earshot bench inference --artifact "$work/$network.int8" \
        --runs 20 >/dev/null
done
python3 - "$work" "$networks" "$rounds" <<'PY'
import json, statistics, sys
work, networks, rounds = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
def load(kind):
    return [{r["network"]: r for r in json.load(open(f"{work}/{kind}-{i}.json"))["networks"]} for i in range(1, rounds + 1)]
ours, peer = load("ours"), load("peer")
def median(rows, name, key):
    return statistics.median(r[name][key] for r in rows)
print(f"medians of {rounds} rounds × per-round medians; ms per window, 1 thread")
print(f"{'network':13} {'ours f32':>9} {'ours int8':>10} {'LiteRT f32':>10} {'LiteRT int8':>11} {'int8/LiteRT':>11} "
      f"{'f32/int8':>8} {'our weights':>11} {'LiteRT int8':>11} {'our RSS':>8} {'LiteRT RSS':>10}")
for name in networks:
    f, i = median(ours, name, "float_median_ms"), median(ours, name, "int8_median_ms")
    pf, pi = median(peer, name, "litert_float_median_ms"), median(peer, name, "litert_int8_median_ms")
    weights = ours[0][name]["int8_weight_bytes"] / 1e3
    file = peer[0][name]["int8_bytes"] / 1e3
    rss = int(open(f"{work}/rss-{name}").read().split()[-1]) / 1e3
    peer_rss = peer[0][name]["int8_peak_rss_kb"] / 1e3
    print(f"{name:13} {f:9.4f} {i:10.4f} {pf:10.4f} {pi:11.4f} {i / pi:11.2f} {f / i:8.2f} {weights:9.0f}kB "
          f"{file:9.0f}kB {rss:6.0f}MB {peer_rss:8.0f}MB")
PY
