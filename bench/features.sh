#!/usr/bin/env bash
# Feature benchmark: earshot (release build) vs librosa on the same 10 s MIMII clip, in the same run.
# Usage: bench/features.sh [runs] [rounds]   (from the package root; needs `pip install librosa==0.11.*`)
# Env: EARSHOT_REAL_DATA (default ../shared/data).
# Each round runs earshot then librosa (one thread each, `runs` timed calls per feature); the table shows
# every round's medians and the best round per side, which is the fairest figure on a shared, loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-300}"
rounds="${2:-3}"
data="${EARSHOT_REAL_DATA:-../shared/data}"
clip="$data/mimii/0_dB_fan/fan/id_00/normal/00000000.wav"
swift build -c release --product earshot >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
for round in $(seq "$rounds"); do
    .build/release/earshot bench features --clip "$clip" --directory "$data/mimii" --runs "$runs" --json >"$work/ours$round.json"
    python3 bench/features_librosa.py "$clip" --runs "$runs" --json >"$work/librosa$round.json"
done
python3 - "$work" "$rounds" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ours = [json.load(open(f"{work}/ours{r}.json")) for r in range(1, rounds + 1)]
theirs = [json.load(open(f"{work}/librosa{r}.json")) for r in range(1, rounds + 1)]
print(f"clip: {ours[0]['clip']} ({ours[0]['clip_seconds']:.2f} s, {ours[0]['sample_rate']} Hz, mono)")
print(f"librosa {theirs[0]['librosa']}, numpy {theirs[0]['numpy']}; medians of {ours[0]['single_thread'][0]['runs']} runs, "
      f"1 thread, {rounds} alternating rounds")
print(f"{'feature':<17} {'earshot ms (rounds)':>28} {'librosa ms (rounds)':>28} {'best/best':>10}")
for i, row in enumerate(ours[0]["single_thread"]):
    name = row["feature"]
    mine = [o["single_thread"][i]["median_ms"] for o in ours]
    peer = [t["single_thread"][name]["median_ms"] for t in theirs if name in t["single_thread"]]
    fmt = lambda xs: " ".join(f"{x:.3f}" for x in xs)
    ratio = f"{min(peer) / min(mine):.1f}x" if peer else "-"
    print(f"{name:<17} {fmt(mine):>28} {fmt(peer) if peer else '-':>28} {ratio:>10}")
for o in ours:
    t = o["throughput"]
    print(f"throughput: {t['clips_per_second']:.1f} clips/s ({t['clips']} clips incl. decode + mixdown + MFCC-40 mean, {t['threads']} threads)")
PY
