#!/bin/sh
# Training benchmark: Keras vs `earshot train` on the same synthetic 4,440 × 40 data, seed 000's network,
# batch 32, 20 epochs, run back to back in the same session. Reports fit wall time, test accuracy and peak RSS.
# Usage (from the repo root): bench/train_bench.sh [OUTDIR]     needs tensorflow-cpu, a release build.
set -eu
out=${1:-/tmp/earshot-train-bench}
mkdir -p "$out"
python3 bench/train_make_data.py "$out" >/dev/null
swift build -c release --product earshot >/dev/null
bin=$(swift build -c release --show-bin-path)/earshot
for threads in 1 2; do
    /usr/bin/time -v python3 bench/train_keras.py "$out" --threads $threads 2>"$out/keras-$threads.time"
    grep "Maximum resident" "$out/keras-$threads.time"
    /usr/bin/time -v "$bin" train --config bench/train-mfcc-cnn1d-20epochs.yaml --features "$out/X_train.npy" \
        --labels "$out/y_train.npy" --threads $threads --out "$out/earshot.model" 2>"$out/earshot-$threads.time" \
        | sed 's/^/earshot: /'
    grep "Maximum resident" "$out/earshot-$threads.time"
    "$bin" eval --model "$out/earshot.model" --features "$out/X_test.npy" --labels "$out/y_test.npy" | head -1 \
        | sed "s/^/earshot (threads $threads) test: /"
done
