#!/usr/bin/env bash
# Simulator throughput benchmark, the method recorded in docs/PERFORMANCE.md:
# for each rate, RUNS runs of `bench-simulator` with the simulator in the same JVM and RUNS runs with the
# simulator in its own process (`simulate`), 5 s warm-up and 15 s measured each; prints every run's
# median messages/s. Usage: scripts/bench-simulator.sh [RATES] [RUNS]   e.g. "500000 800000" 3
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rates="${1:-500000 800000}"
runs="${2:-3}"
st="$here/system-trader"
"$st" --version >/dev/null
port=18799
sim=""
trap '[ -n "$sim" ] && kill "$sim" 2>/dev/null' EXIT
for rate in $rates; do
  for i in $(seq 1 "$runs"); do
    line=$("$st" bench-simulator --rate "$rate" --duration 15 --warmup 5 2>/dev/null | grep '^bench-simulator:') || line="bench-simulator: FAILED"
    echo "in-process  rate=$rate run=$i ${line#bench-simulator: }"
  done
  for i in $(seq 1 "$runs"); do
    "$st" simulate --port "$port" --rate "$rate" --halts-per-hour 0 --duration 40 >/dev/null 2>&1 &
    sim=$!
    for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
    line=$("$st" bench-simulator --url "ws://127.0.0.1:$port" --rate "$rate" --duration 15 --warmup 5 2>/dev/null | grep '^bench-simulator:') || line="bench-simulator: FAILED"
    kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; sim=""
    echo "two-process rate=$rate run=$i ${line#bench-simulator: }"
  done
done
