#!/bin/sh
# The training results of docs/training.md ("Results"), on `earshot synth` data. Each section synthesises its
# data, trains with a shipped config (CLI overrides only where noted) and evaluates on an independently
# synthesised test set (another synth seed) or, for the autoencoder, on the DCASE test/ split.
# Usage (repo root): bench/train_results.sh OUTDIR [seed000|machine|resnet34|autoencoder|real|all]
# Budget: 1 BLAS thread, 2 feature jobs, mono synthetic clips (MIMII has 8 channels; mixdown is averaging
# anyway), shorter clips where the protocol allows (said per section).
set -eu
out=${1:?usage: bench/train_results.sh OUTDIR [section]}
section=${2:-all}
mkdir -p "$out"
swift build -c release --product earshot >/dev/null
bin=$(swift build -c release --show-bin-path)/earshot
real=${EARSHOT_REAL_DATA:-../shared/data}
synth() { "$bin" synth --channels 1 "$@" >/dev/null 2>&1; }

seed000() {  # seed 000 (mfcc-cnn1d.yaml as shipped) on synthetic fans, 10 s clips, per SNR
    for snr in 6 0 -6; do
        d="$out/seed000/$snr"
        synth --machine fan --snr-db "$snr" --normal 75 --abnormal 25 --seed 1 --out "$d/train"
        synth --machine fan --snr-db "$snr" --normal 30 --abnormal 10 --seed 2 --out "$d/test"
        "$bin" train --config configs/mfcc-cnn1d.yaml --data "$d/train" --out "$d/fan.model" >"$d/train.log" 2>&1
        "$bin" eval --model "$d/fan.model" --data "$d/test" >"$d/eval.txt" 2>/dev/null
        echo "seed000 $snr dB: $(head -1 "$d/eval.txt")"
    done
}

seed000large() {  # the same with seed 000's data size (~4,440 training clips → 2,000 here), 2 s clips to fit the CPU budget
    for snr in ${SNRS:-6 0 -6}; do
        d="$out/seed000large/$snr"
        synth --machine fan --snr-db "$snr" --seconds 2 --normal 375 --abnormal 125 --seed 1 --out "$d/train"
        synth --machine fan --snr-db "$snr" --seconds 2 --normal 75 --abnormal 25 --seed 2 --out "$d/test"
        "$bin" train --config configs/mfcc-cnn1d.yaml --data "$d/train" --out "$d/fan.model" >"$d/train.log" 2>&1
        "$bin" eval --model "$d/fan.model" --data "$d/test" >"$d/eval.txt" 2>/dev/null
        echo "seed000large $snr dB: $(head -1 "$d/eval.txt")"
    done
}

machine_data() {  # 4 machine types at 0 dB, 10 s clips; $1 = dir, $2 = normal/id, $3 = abnormal/id, $4 = seed
    for m in fan pump slider valve; do synth --machine "$m" --normal "$2" --abnormal "$3" --seed "$4" --out "$1"; done
}

machine() {  # resnet-small as shipped on 1,008 clips (epoch time), tested on 128 independent clips
    d="$out/machine"
    machine_data "$d/train" 47 16 1
    machine_data "$d/test" 6 2 2
    "$bin" train --config configs/machine-type-resnet-small.yaml --data "$d/train" --out "$d/resnet-small.model" \
        >"$d/train.log" 2>&1
    "$bin" eval --model "$d/resnet-small.model" --data "$d/test" >"$d/eval.txt" 2>/dev/null
    echo "resnet-small: $(head -1 "$d/eval.txt")"
}

epochtime() {  # resnet-small epoch time on the 1,008-clip set (features cached by `machine`), 2 epochs, 1 BLAS thread
    "$bin" train --config configs/machine-type-resnet-small.yaml --data "$out/machine/train" --epochs 2 \
        --out "$out/machine/epochtime.model" 2>&1 | grep -E "^epoch|from cache"
}

resnet34() {  # seed 003's resnet34 as shipped but on a reduced budget: 80 clips (64 train), 3 epochs (6 steps)
    d="$out/resnet34"
    machine_data "$d/train" 4 1 3
    [ -d "$out/machine/test" ] || machine_data "$out/machine/test" 6 2 2
    "$bin" train --config configs/machine-type-resnet34.yaml --data "$d/train" --epochs 3 --out "$d/resnet34.model" \
        >"$d/train.log" 2>&1
    "$bin" eval --model "$d/resnet34.model" --data "$out/machine/test" >"$d/eval.txt" 2>/dev/null
    echo "resnet34: $(head -1 "$d/eval.txt")"
}

resnet34long() {  # the same 80 clips for 15 epochs (30 steps), after `resnet34`
    d="$out/resnet34long"
    mkdir -p "$d"
    "$bin" train --config configs/machine-type-resnet34.yaml --data "$out/resnet34/train" --epochs 15 \
        --out "$d/resnet34.model" >"$d/train.log" 2>&1
    "$bin" eval --model "$d/resnet34.model" --data "$out/machine/test" >"$d/eval.txt" 2>/dev/null
    echo "resnet34 (15 epochs): $(head -1 "$d/eval.txt")"
}

autoencoder() {  # DCASE protocol per type and SNR: 4 ids × (30 train normal; test 10 normal + 10 anomalous), 5 s clips, 30 epochs
    for m in fan pump slider valve; do
        for snr in 6 0 -6; do
            d="$out/autoencoder/$snr"
            synth --machine "$m" --layout dcase --snr-db "$snr" --seconds 5 --normal 40 --abnormal 10 --seed 1 --out "$d"
            "$bin" train --config configs/dcase-autoencoder.yaml --data "$d/$m" --epochs 30 --out "$d/$m.model" \
                >"$d/$m-train.log" 2>&1
            "$bin" eval --model "$d/$m.model" --data "$d/$m" --json >"$d/$m-eval.json" 2>/dev/null
            "$bin" eval --model "$d/$m.model" --data "$d/$m" >"$d/$m-eval.txt" 2>/dev/null
            echo "autoencoder $m $snr dB: $(head -1 "$d/$m-eval.txt")"
        done
    done
}

real() {  # what the synthetic-trained machine-type model says about the 32 real MIMII clips (cache outside the data)
    "$bin" eval --model "$out/machine/resnet-small.model" --data "$real/mimii" --cache "$out/real-cache" \
        --predictions "$out/real-predictions.csv" >"$out/real-eval.txt" 2>/dev/null
    echo "real: $(head -1 "$out/real-eval.txt")"
}

case "$section" in
all) seed000; seed000large; machine; epochtime; resnet34; resnet34long; autoencoder; real ;;
*) "$section" ;;
esac
