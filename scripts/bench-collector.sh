#!/usr/bin/env bash
# Collector benchmark, the method recorded in docs/PERFORMANCE.md (`./system-trader bench-collector`):
#  (a) throughput and loss: for each rate, RUNS runs with the simulator in the collector's JVM (in-process) and
#      RUNS runs with the simulator in its own process (`simulate`, two-process); 10 s warm-up, 20 s measured;
#  (b) event-to-listener latency at LATENCY_RATE: RUNS runs in each set-up; 10 s warm-up, 30 s measured.
# Prints every run's `bench-collector:` line prefixed with the set-up and the load average before the run.
# Usage: scripts/bench-collector.sh [RATES] [RUNS] [LATENCY_RATE]     e.g. "300000 400000" 3 50000
# Environment: PROVIDER=polygon|alpaca (default polygon); ST=command to run instead of ./system-trader
#   (e.g. ST="java -jar app/target/system-trader.jar"); LOAD_MAX=1.0: before each run wait (up to
#   LOAD_WAIT=180 s) until the 1-minute load average is below it, as the machine is shared;
#   BENCH_ARGS=extra bench-collector flags, e.g. "--compression" (offer permessage-deflate; Polygon default is off).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rates="${1:-300000 400000}"
runs="${2:-3}"
latency_rate="${3:-50000}"
provider="${PROVIDER:-polygon}"
read -ra st <<< "${ST:-$here/system-trader}"
load_max="${LOAD_MAX:-1.0}"
load_wait="${LOAD_WAIT:-180}"
read -ra extra <<< "${BENCH_ARGS:-}"
"${st[@]}" --version >/dev/null || exit 1
port=18798
sim=""
trap '[ -n "$sim" ] && kill "$sim" 2>/dev/null' EXIT

load1() { cut -d' ' -f1 /proc/loadavg; }

# Waits until the 1-minute load is below LOAD_MAX (or LOAD_WAIT seconds passed); prints the load.
quiet() {
  local waited=0
  while awk -v l="$(load1)" -v m="$load_max" 'BEGIN { exit !(l >= m) }' && [ "$waited" -lt "$load_wait" ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# run SETUP RATE RUN WARMUP DURATION
run() {
  local setup=$1 rate=$2 i=$3 warmup=$4 duration=$5 load line
  load=$(quiet)
  if [ "$setup" = in-process ]; then
    line=$("${st[@]}" bench-collector --provider "$provider" --rate "$rate" --duration "$duration" \
      --warmup "$warmup" "${extra[@]}" 2>/dev/null | grep '^bench-collector:') || line="bench-collector: FAILED"
  else
    "${st[@]}" simulate --port "$port" --rate "$rate" --halts-per-hour 0 --duration $((warmup + duration + 60)) \
      >/dev/null 2>&1 &
    sim=$!
    for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
    line=$("${st[@]}" bench-collector --provider "$provider" --url "ws://127.0.0.1:$port" --rate "$rate" \
      --duration "$duration" --warmup "$warmup" "${extra[@]}" 2>/dev/null | grep '^bench-collector:') || line="bench-collector: FAILED"
    kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; sim=""
  fi
  echo "$setup rate=$rate run=$i load-before=[$load] ${line#bench-collector: }"
}

echo "# bench-collector $(date -u +%Y-%m-%dT%H:%M:%SZ) provider=$provider args=[${BENCH_ARGS:-}] $(nproc) cores"
echo "# (a) throughput and loss"
for rate in $rates; do
  for i in $(seq 1 "$runs"); do run in-process "$rate" "$i" 10 20; done
  for i in $(seq 1 "$runs"); do run two-process "$rate" "$i" 10 20; done
done
echo "# (b) latency at $latency_rate msg/s"
for i in $(seq 1 "$runs"); do run in-process "$latency_rate" "$i" 10 30; done
for i in $(seq 1 "$runs"); do run two-process "$latency_rate" "$i" 10 30; done
