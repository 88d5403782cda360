#!/usr/bin/env bash
# Feature benchmark: earshot (release build) vs librosa on the same 10 s MIMII clip, in the same run.
# Usage: bench/features.sh [runs]      (from the package root; needs `pip install librosa==0.11.*`)
# Env: EARSHOT_REAL_DATA (default ../shared/data).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-300}"
data="${EARSHOT_REAL_DATA:-../shared/data}"
clip="$data/mimii/0_dB_fan/fan/id_00/normal/00000000.wav"
swift build -c release --product earshot >/dev/null
ours=$(mktemp) theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
# One thread for both sides; alternate so background load hits both alike.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
.build/release/earshot bench features --clip "$clip" --directory "$data/mimii" --runs "$runs" --json >"$ours"
python3 bench/features_librosa.py "$clip" --runs "$runs" --json >"$theirs"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1])); theirs = json.load(open(sys.argv[2]))
print(f"clip: {ours['clip']} ({ours['clip_seconds']:.2f} s, {ours['sample_rate']} Hz, mono)")
print(f"librosa {theirs['librosa']}, numpy {theirs['numpy']}; medians over {theirs['single_thread']['mfcc40']['runs']} runs, 1 thread")
print(f"{'feature':<10} {'earshot ms':>11} {'librosa ms':>11} {'speed-up':>9}")
for row in ours["single_thread"]:
    lib = theirs["single_thread"][row["feature"]]["median_ms"]
    print(f"{row['feature']:<10} {row['median_ms']:>11.3f} {lib:>11.3f} {lib / row['median_ms']:>8.1f}x")
t = ours["throughput"]
print(f"throughput: {t['clips_per_second']:.1f} clips/s ({t['clips']} clips incl. decode + mixdown + MFCC-40 mean, {t['threads']} threads)")
PY
