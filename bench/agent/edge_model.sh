# Sourced by the agent benchmarks. edge_model BIN WORK CLIPS EPOCHS builds the default edge model the way
# the hub would: synthetic 16 kHz mono fan clips → `earshot train` with configs/dcase-autoencoder.yaml (family
# fan-ae) → int8 → signed. Leaves WORK/fan.signed and the key pair in WORK/keys.
# EDGE_CONFIG=configs/anomaly.yaml benchmarks the band baseline instead (EPOCHS is then unused);
# EDGE_CONFIG=configs/resnet-arcface.yaml the learned embedding (it learns two fans, ids 00 and 02, apart).
edge_model() {
  local bin=$1 work=$2 clips=$3 epochs=$4
  local config=${EDGE_CONFIG:-configs/dcase-autoencoder.yaml}
  local ids=0
  [ "$config" = configs/resnet-arcface.yaml ] && ids=0,2
  echo "==> model: $clips synthetic fan clips per id ($ids) → train ($epochs epochs) → quantize → sign"
  "$bin/earshot" synth --machine fan --layout dcase --ids "$ids" --normal "$clips" --abnormal 0 --sample-rate 16000 --channels 1 \
    --seconds 10 --out "$work/data" >/dev/null
  local epochs_option=(--epochs "$epochs")
  [ "$config" = configs/anomaly.yaml ] && epochs_option=()
  "$bin/earshot" train --config "$config" --data "$work/data" "${epochs_option[@]}" --no-cache \
    --out "$work/fan.model" >/dev/null
  local calibration
  calibration=$(dirname "$(find "$work/data" -name '*.wav' | head -1)")
  "$bin/earshot" quantize --model "$work/fan.model" --calibration "$calibration" --family fan-ae --version 1 \
    --out "$work/fan.int8" >/dev/null
  "$bin/earshot" keygen --out "$work/keys" >/dev/null
  "$bin/earshot" sign --key "$work/keys/signing.key" --model "$work/fan.int8" --out "$work/fan.signed" >/dev/null
  ls -l "$work/fan.signed" | awk '{print "    artifact:", $5, "bytes"}'
}
