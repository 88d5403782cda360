#!/usr/bin/env bash
# Agent cost on a continuous 16 kHz mono stream with the default edge model (family fan-ae: the DCASE
# 2020 autoencoder, configs/dcase-autoencoder.yaml, int8), against a real mosquitto and earshot-hub.
#
#   bench/agent/run.sh [REALTIME_SECONDS=60] [FAST_AUDIO_MINUTES=20]
#   AGENT_BIN=/path/to/earshot-agent bench/agent/run.sh …   (another agent build, e.g. --static-swift-stdlib)
#
# 1. Real time: the agent replays a 16 kHz mono file in a loop, paced in real time, for REALTIME_SECONDS
#    after a 10 s warm-up; CPU is the process's user+system time over that span (from /proc), RSS is
#    VmRSS at the end and VmHWM (peak), split into anonymous memory (RssAnon: heap, stacks, what the
#    agent itself allocates) and file-backed pages (RssFile: the mapped binary and shared libraries,
#    shared with every other process that maps them).
# 2. As fast as possible: the agent judges FAST_AUDIO_MINUTES of audio unpaced; CPU seconds per audio
#    second is its user+system time divided by the audio length (getrusage of the finished child).
# Also prints the release binary's size and what it links (no OpenBLAS, HTTP or training code).
set -euo pipefail
cd "$(dirname "$0")/../.."
REALTIME_SECONDS=${1:-60}
FAST_MINUTES=${2:-20}

echo "==> building release binaries"
swift build -c release --product earshot >/dev/null
swift build -c release --product earshot-agent >/dev/null
swift build -c release --product earshot-hub >/dev/null
BIN=$(swift build -c release --show-bin-path)
AGENT=${AGENT_BIN:-$BIN/earshot-agent}
work=$(mktemp -d /tmp/earshot-agent-bench.XXXXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

source bench/agent/edge_model.sh
edge_model "$BIN" "$work" 24 3

echo "==> audio: one 60 s stream file and ${FAST_MINUTES} min for the unpaced run"
"$BIN/earshot" synth --machine fan --layout dcase --ids 0 --normal "$FAST_MINUTES" --abnormal 0 --sample-rate 16000 --channels 1 \
  --seconds 60 --seed 9 --out "$work/stream" >/dev/null
mkdir -p "$work/loop" "$work/fast"
find "$work/stream" -name '*.wav' | sort | head -1 | xargs -I{} cp {} "$work/loop/"
find "$work/stream" -name '*.wav' -exec mv {} "$work/fast/" \;

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mosquitto -p "$port" >"$work/mosquitto.log" 2>&1 &
cat >"$work/hub.yaml" <<YAML
broker: {port: $port, client_id: bench-hub}
storage: {database: $work/hub.sqlite, clip_dir: $work/clips}
http: {port: $http, token: bench}
YAML
"$BIN/earshot-hub" --config "$work/hub.yaml" >"$work/hub.log" 2>&1 &
sleep 3

agent_config() { # id input pace loop
  cat >"$work/$1.yaml" <<YAML
agent: {id: $1, site: bench, line: line-1}
assets:
  - {id: $1-fan, machine_type: fan, model_family: fan-ae, input: {path: "$2", pace: $3, loop: $4}}
broker: {port: $port}
models: {directory: $work/$1-models, hub_public_keys: [$work/keys/signing.pub], initial: {fan-ae: $work/fan.signed}}
spool: {path: $work/$1-spool.sqlite}
logging: {level: warning}
YAML
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "==> real time: ${REALTIME_SECONDS} s of a paced 16 kHz stream (after 10 s warm-up)"
agent_config rt "$work/loop" realtime true
"$AGENT" --config "$work/rt.yaml" >"$work/rt.log" 2>&1 &
pid=$!
sleep 10
tick=$(getconf CLK_TCK)
start=$(cpu_ticks $pid)
t0=$(date +%s.%N)
for ((s = 0; s < REALTIME_SECONDS; s += 10)); do sleep 10; printf '    %3d/%d s\r' $((s + 10)) "$REALTIME_SECONDS"; done
end=$(cpu_ticks $pid)
t1=$(date +%s.%N)
status_kib() { awk -v key="$1:" '$1 == key {print $2}' "/proc/$pid/status"; }
rss=$(status_kib VmRSS); hwm=$(status_kib VmHWM); anon=$(status_kib RssAnon); file=$(status_kib RssFile); shmem=$(status_kib RssShmem)
kill -TERM $pid
wait $pid || true
python3 - "$start" "$end" "$t0" "$t1" "$tick" "$rss" "$hwm" "$anon" "$file" "$shmem" <<'PY'
import sys
start, end, t0, t1, tick, rss, hwm, anon, file, shmem = map(float, sys.argv[1:])
cpu = (end - start) / tick
print(f"    realtime: {cpu:.2f} CPU s over {t1 - t0:.1f} s wall = {100 * cpu / (t1 - t0):.2f}% of one core; RSS {rss / 1024:.1f} MiB (peak {hwm / 1024:.1f} MiB)")
print(f"    RSS split: {anon / 1024:.1f} MiB anonymous (RssAnon), {file / 1024:.1f} MiB file-backed (RssFile), {shmem / 1024:.1f} MiB shared memory (RssShmem)")
PY

echo "==> as fast as possible: ${FAST_MINUTES} min of audio"
agent_config fast "$work/fast" fast false
python3 - "$AGENT" "$work/fast.yaml" "$FAST_MINUTES" <<'PY'
import resource, subprocess, sys, time
binary, config, minutes = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.monotonic()
subprocess.run([binary, "--config", config, "--drain-timeout", "10"], check=True, stdout=subprocess.DEVNULL)
wall = time.monotonic() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
audio = minutes * 60
print(f"    fast: {audio:.0f} s of audio in {wall:.1f} s wall, {cpu:.2f} CPU s = {1000 * cpu / audio:.2f} ms CPU per audio second "
      f"({100 * cpu / audio:.3f}% of one core for a live stream); peak RSS {usage.ru_maxrss / 1024:.1f} MiB")
PY

echo "==> heap allocations per window, whole agent process (LD_PRELOAD malloc counter, 2 vs 6 files of 60 s)"
shim="$work/malloc_count.so"
cc -O2 -shared -fPIC -o "$shim" bench/inference/malloc_count.c -ldl
count_mallocs() { # files
  rm -rf "$work/alloc" "$work/alloc-models" "$work/alloc-spool.sqlite"*; mkdir -p "$work/alloc"
  find "$work/fast" -name '*.wav' | sort | head -"$1" | xargs -I{} cp {} "$work/alloc/"
  agent_config alloc "$work/alloc" fast false
  LD_PRELOAD="$shim" "$AGENT" --config "$work/alloc.yaml" --drain-timeout 10 2>&1 >/dev/null | awk '/malloc_count/ {print $2}'
}
a=$(count_mallocs 2)
b=$(count_mallocs 6)
echo "    $a vs $b mallocs for 24 more 10 s windows: $(( (b - a) / 24 )) per window (scoring, verdict batching, spool, MQTT together)"

echo "==> binary"
ls -l "$AGENT" | awk '{printf "    earshot-agent (release): %.1f MiB\n", $5 / 1048576}'
echo "    links: $(ldd "$AGENT" | awk '{print $1}' | tr '\n' ' ')"
if ldd "$AGENT" | grep -Eq 'blas|lapack'; then echo "    ERROR: links BLAS"; exit 1; fi
