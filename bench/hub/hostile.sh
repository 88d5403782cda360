#!/usr/bin/env bash
# Hostile-agent ingest benchmark (issue #16): the hub's ingest rate for real (simulated) agents alone, then
# the same load while one hostile agent publishes every break of the issue in a loop (seq ≥ 2⁶³, spool drop
# to 2⁶⁴−1, window_start_ms Int64.min/max, NaN/+Inf scores, applied_generation 2⁶⁴−1, a claim on another
# agent's asset with a skewed clock, a verdict 10 years ahead, a 4 MiB asset id, a retained verdict).
# Loopback only, bounded time. Numbers, not a test; target: ratio ≥ 0.95. Every program shares this
# machine's cores, so it also prints the CPU seconds the hub, the broker and the hostile sender used per phase.
# Usage: bench/hub/hostile.sh [build-dir] [agents] [rate-per-agent] [seconds] [batch]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-.build/release}"; agents="${2:-20}"; rate="${3:-1000}"; seconds="${4:-60}"; batch="${5:-100}"
work=$(mktemp -d /tmp/earshot-hostile-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mqtt_port=$(free_port); http_port=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\nmax_inflight_messages 0\nmessage_size_limit 0\n' \
  "$mqtt_port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
sleep 0.5
cat > "$work/hub.yaml" <<YAML
broker: {port: $mqtt_port, client_id: bench-hub}
storage: {database: $work/hub.sqlite, clip_dir: $work/clips}
http: {port: $http_port, token: bench}
YAML
"$build/earshot-hub" --config "$work/hub.yaml" --log-level warning >"$work/hub.log" 2>&1 & hub=$!; pids+=($hub)
until curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null; do sleep 0.1; done
# CPU seconds (user + system) a process has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
broker=${pids[0]}
metric() { curl -s "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1==m {print $2}'; }

# One phase: fleet-sim on its own site; prints "verdicts seconds" once the hub has stored every verdict it sent.
phase() {
  local site="$1" before start sent="" stored now
  before=$(metric earshot_hub_records_stored_total); before=${before%.*}
  start=$(date +%s.%N)
  "$build/earshot" fleet-sim --broker "mqtt://127.0.0.1:$mqtt_port" --site "$site" --agents "$agents" --rate "$rate" \
    --batch-size "$batch" --duration "$seconds" --anomaly-fraction 0.05 --spool-dir "$work/spools-$site" --drain-timeout 300 \
    >"$work/sim-$site.out" &
  local sim=$!
  while :; do
    stored=$(metric earshot_hub_records_stored_total); stored=$(( ${stored%.*} - before ))
    now=$(date +%s.%N)
    if ! kill -0 "$sim" 2>/dev/null && [ -z "$sent" ]; then wait "$sim" || true; sent=$(grep -o '^verdicts [0-9]*' "$work/sim-$site.out" | awk '{print $2}'); fi
    if [ -n "$sent" ] && [ "$stored" -ge "$sent" ]; then break; fi
    if [ -n "$sent" ] && python3 -c "import sys; sys.exit(0 if $now - $start > 10 * $seconds + 120 else 1)"; then
      echo "gave up: $stored of $sent stored" >&2; break
    fi
    sleep 0.05
  done
  echo "$sent $(python3 -c "print($now - $start)")"
}

cpu_hub0=$(cpu "$hub"); cpu_broker0=$(cpu "$broker")
read -r base_n base_s < <(phase normal)
cpu_hub1=$(cpu "$hub"); cpu_broker1=$(cpu "$broker")
# The hostile agent starts 2 s after the real ones, so their assets are registered (first registration wins).
(sleep 2; python3 "$here/hostile_sender.py" "$mqtt_port" hostile intruder "$seconds" "hostile-00001-a0" >"$work/hostile.out") & pids+=($!)
read -r host_n host_s < <(phase hostile)
cpu_hub2=$(cpu "$hub"); cpu_broker2=$(cpu "$broker")
wait "${pids[-1]}" || true
kill -0 "$hub" 2>/dev/null || { echo "earshot-hub died"; tail -20 "$work/hub.log"; exit 1; }
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^earshot_hub_(ingest_rejected_total|rejected_payloads_total|agent_clock_skew)' \
  | awk '$2 != "0" && $2 != "0.0"' > "$work/rejects"
python3 - "$base_n" "$base_s" "$host_n" "$host_s" "$(cat "$work/hostile.out")" "$work/rejects" "$agents" "$rate" \
  "$cpu_hub0" "$cpu_hub1" "$cpu_hub2" "$cpu_broker0" "$cpu_broker1" "$cpu_broker2" <<'PY'
import sys
hub0, hub1, hub2, broker0, broker1, broker2 = map(float, sys.argv[9:15])
base_n, base_s, host_n, host_s = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
print(f"{sys.argv[7]} agents x {sys.argv[8]} verdicts/s offered")
print(f"alone:        {base_n} verdicts stored in {base_s:.2f} s -> {base_n / base_s:,.0f} verdicts/s")
print(f"with hostile: {host_n} verdicts stored in {host_s:.2f} s -> {host_n / host_s:,.0f} verdicts/s ({sys.argv[5]})")
print(f"ratio with/alone: {(host_n / host_s) / (base_n / base_s):.3f} (target >= 0.95); hub alive")
print(f"CPU s alone / with hostile: hub {hub1 - hub0:.1f} / {hub2 - hub1:.1f}, broker {broker1 - broker0:.1f} / {broker2 - broker1:.1f}")
print("refusals counted by the hub:")
print(open(sys.argv[6]).read().rstrip())
PY
