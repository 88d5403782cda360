#!/usr/bin/env bash
# int8 against float for the seed-000 network on a task it learns: the MFCC-mean-like vectors of
# bench/train_make_data.py (4,440 training and 1,110 test rows, 25 % abnormal; the training benchmark's data).
# `earshot train --features` (bench/train-mfcc-cnn1d-20epochs.yaml), `earshot quantize --calibration X_train.npy`,
# then `earshot eval --features` on the float model and on the int8 artifact, on the same test rows. On the
# synthetic fan audio of parity_audio.sh the seed-000 network stays near chance, where any borderline flip moves
# the accuracy; this is the parity of a model that has learned something.
#   bench/inference/parity_features.sh [WORKDIR] [SEEDS="1 2 3"]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work="${1:-$(mktemp -d)}"
seeds="${2:-1 2 3}"
swift build --package-path "$root" -c release --product earshot >/dev/null
E="$root/.build/release/earshot"
cd "$work"
python3 "$root/bench/train_make_data.py" . >/dev/null
echo "| training seed | test rows | float acc % | int8 acc % | Δ pp | float AUC | int8 AUC | Δ AUC | verdicts agreeing | within target |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for seed in $seeds; do
    echo "==> seed $seed: train, quantize, evaluate" >&2
    $E train --config "$root/bench/train-mfcc-cnn1d-20epochs.yaml" --features X_train.npy --labels y_train.npy --seed "$seed" \
        --out "s$seed.model" >/dev/null 2>&1
    $E quantize --model "s$seed.model" --calibration X_train.npy --out "s$seed.int8" >/dev/null 2>&1
    $E eval --model "s$seed.model" --features X_test.npy --labels y_test.npy --json --predictions "f$seed.csv" >"f$seed.json" 2>/dev/null
    $E eval --model "s$seed.int8" --features X_test.npy --labels y_test.npy --json --predictions "q$seed.csv" >"q$seed.json" 2>/dev/null
    python3 - "$seed" <<'PY'
import csv, json, sys
s = sys.argv[1]
f, q = (json.load(open(f"{k}{s}.json")) for k in ("f", "q"))
pf = [r["predicted"] for r in csv.DictReader(open(f"f{s}.csv"))]
pq = [r["predicted"] for r in csv.DictReader(open(f"q{s}.csv"))]
agree = sum(a == b for a, b in zip(pf, pq)) / len(pf)
da, dauc = 100 * (q["accuracy"] - f["accuracy"]), q["auc"] - f["auc"]
ok = abs(da) <= 0.5 and abs(dauc) <= 0.01
print(f"| {s} | {f['n']} | {100 * f['accuracy']:.2f} | {100 * q['accuracy']:.2f} | {da:+.2f} | {f['auc']:.4f} | {q['auc']:.4f} | "
      f"{dauc:+.4f} | {100 * agree:.1f}% | {'yes' if ok else 'NO'} |")
PY
done
