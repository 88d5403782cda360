#!/usr/bin/env bash
# MQTT publish-rate benchmark: our wrapper (MQTTBench) vs mosquitto_pub, both counted by
# mosquitto_sub -C N against the same local mosquitto, in the same run. Not a test.
#
# Usage: bench/mqtt/run.sh [COUNT] [SIZE] [ROUNDS]   (defaults 50000 128 3)
# (mosquitto_pub -l at QoS 1 stalled with 200000 lines here, so the default stays at 50000.)
# Output: one line per run, then the median rates and the wrapper/tools ratio per QoS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
COUNT="${1:-50000}"
SIZE="${2:-128}"
ROUNDS="${3:-3}"
OUT="$ROOT/bench/out/mqtt"
mkdir -p "$OUT"

(cd "$ROOT" && swift build -c release --product MQTTBench >/dev/null)
BENCH="$ROOT/.build/release/MQTTBench"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$OUT/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
user $(id -un)
max_queued_messages 0
max_inflight_messages 20
CONF
mosquitto -c "$OUT/mosquitto.conf" >"$OUT/mosquitto.log" 2>&1 &
BROKER=$!
trap 'kill -9 $BROKER 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done

# Lines for mosquitto_pub -l: SIZE bytes each (the newline is not part of the payload).
python3 -c "import sys; sys.stdout.write(('x'*$SIZE+'\n')*$COUNT)" > "$OUT/lines.txt"

# run KIND QOS: prints the delivered-message rate (messages received by mosquitto_sub / s).
run() {
  local kind="$1" qos="$2" topic="bench/$1/$2/$RANDOM"
  mosquitto_sub -p "$PORT" -t "$topic" -q "$qos" -C "$COUNT" -W 300 > "$OUT/sub.txt" &
  local sub=$!
  sleep 0.5
  local t0 t1
  t0=$(date +%s.%N)
  if [[ "$kind" == wrapper ]]; then
    "$BENCH" --port "$PORT" --qos "$qos" --count "$COUNT" --size "$SIZE" --topic "$topic" > "$OUT/pub.txt"
  else
    mosquitto_pub -p "$PORT" -t "$topic" -q "$qos" -l < "$OUT/lines.txt"
  fi
  wait "$sub" || true
  t1=$(date +%s.%N)
  local got
  got=$(wc -l < "$OUT/sub.txt")
  python3 -c "print(f'{$got/($t1-$t0):.0f}')"
  echo "  $kind qos$qos: $got/$COUNT delivered in $(python3 -c "print(f'{$t1-$t0:.3f}')") s" >&2
}

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "$@"; }

echo "mosquitto $(mosquitto -h | head -1 | awk '{print $3}'), $COUNT messages of $SIZE bytes, $ROUNDS rounds, $(nproc) cores"
for qos in 0 1; do
  w=(); t=()
  for _ in $(seq "$ROUNDS"); do
    w+=("$(run wrapper "$qos")")
    t+=("$(run tools "$qos")")
  done
  mw=$(median "${w[@]}"); mt=$(median "${t[@]}")
  echo "QoS $qos: wrapper ${mw} msg/s, mosquitto_pub ${mt} msg/s, ratio $(python3 -c "print(f'{$mw/$mt:.2f}')")  (runs: wrapper ${w[*]}; tools ${t[*]})"
done
