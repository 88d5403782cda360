#!/usr/bin/env bash
# Heap allocations per window in the agent's window path, in steady state: WindowPathBench (one asset's
# AssetPipeline: read → window → features → int8 inference → alarm state → outcome; no publishing, no clips)
# runs under the LD_PRELOAD malloc counter (bench/inference/malloc_count.c) on a file of 1 window and on a
# file of 1 + EXTRA windows of the same synthetic fan audio; everything else is identical, so the difference
# divided by EXTRA is the allocations per window. Expected output: "0 allocations per window".
#
#   bench/agent/window_allocations.sh [EXTRA=60]
set -euo pipefail
cd "$(dirname "$0")/../.."
extra=${1:-60}
swift build -c release --product earshot >/dev/null
swift build -c release --product WindowPathBench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/earshot-window-allocations.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -shared -fPIC -o "$work/malloc_count.so" bench/inference/malloc_count.c -ldl

source bench/agent/edge_model.sh
edge_model "$bin" "$work" 8 2
window=$("$bin/earshot" info "$work/fan.signed" | sed -n 's/.*, window \([0-9]*\)\(\.0\)\{0,1\} s,.*/\1/p' | head -1)
[ -n "$window" ] || { echo "could not read the window length from earshot info" >&2; exit 1; }
echo "    window: $window s"

echo "==> audio: $window s and $(( (extra + 1) * window )) s of synthetic 16 kHz mono fan audio"
for seconds in "$window" "$(( (extra + 1) * window ))"; do
  "$bin/earshot" synth --machine fan --layout dcase --ids 0 --normal 1 --abnormal 0 --sample-rate 16000 --channels 1 \
    --seconds "$seconds" --seed 5 --out "$work/audio-$seconds" >/dev/null
done
short=$(find "$work/audio-$window" -name '*.wav' | head -1)
long=$(find "$work/audio-$(( (extra + 1) * window ))" -name '*.wav' | head -1)

count() {  # prints "<windows> <mallocs>"
  local out
  out=$(LD_PRELOAD="$work/malloc_count.so" "$bin/WindowPathBench" "$work/fan.signed" "$work/keys/signing.pub" "$1" 2>"$work/err")
  echo "$(awk '/^windows/ {print $2}' <<<"$out") $(awk '/malloc_count/ {print $2}' "$work/err")"
}
read -r w1 m1 < <(count "$short")
read -r w2 m2 < <(count "$long")
echo "short file: $w1 windows, $m1 mallocs; long file: $w2 windows, $m2 mallocs"
echo "$(( m2 - m1 )) more mallocs for $(( w2 - w1 )) more windows: $(( (m2 - m1) / (w2 - w1) )) allocations per window"
