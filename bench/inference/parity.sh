#!/usr/bin/env bash
# int8-vs-float parity of the seed-000 CNN and the DCASE autoencoder on `earshot synth` audio, through the
# CLI: synth → features → train → quantize (minmax and percentile) with a held-out --features/--labels set.
# Figures in docs/artifacts.md. Usage: bench/inference/parity.sh [WORKDIR]   (takes ~15 min in debug)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work="${1:-$(mktemp -d)}"
swift build --package-path "$root" --product earshot >/dev/null
E="$root/.build/debug/earshot"
cd "$work"
$E synth --machine fan --out train --ids 00,02 --normal 30 --abnormal 30 --snr-db -6 --seed 1
$E synth --machine fan --out test --ids 00,02 --normal 30 --abnormal 30 --snr-db -6 --seed 2
$E features train --kind mfcc --n-mfcc 40 --mean --out Xtr.npy --labels-out ytr.npy
$E features test --kind mfcc --n-mfcc 40 --mean --out Xte.npy --labels-out yte.npy
$E train --config "$root/configs/mfcc-cnn1d.yaml" --features Xtr.npy --labels ytr.npy --epochs 40 --out cnn.model
for m in minmax percentile; do
    $E quantize --model cnn.model --calibration Xtr.npy --method $m --features Xte.npy --labels yte.npy --out cnn.$m.int8
done
$E synth --machine fan --layout dcase --out dtrain --ids 00 --normal 20 --abnormal 0 --snr-db 6 --seed 3
$E synth --machine fan --layout dcase --out dtest --ids 00 --normal 10 --abnormal 10 --snr-db 6 --seed 4
$E features dtrain --kind dcase-frames --n-fft 1024 --hop 512 --out Dtr.npy --labels-out Dytr.npy
$E features dtest --kind dcase-frames --n-fft 1024 --hop 512 --out Dte.npy --labels-out Dyte.npy
$E train --config "$root/configs/dcase-autoencoder.yaml" --features Dtr.npy --epochs 10 --out ae.model
for m in minmax percentile; do
    $E quantize --model ae.model --calibration Dtr.npy --method $m --features Dte.npy --labels Dyte.npy --out ae.$m.int8
done
