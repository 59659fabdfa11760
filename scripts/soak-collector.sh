#!/usr/bin/env bash
# Collector memory soak, the method recorded in docs/PERFORMANCE.md: the simulator in its own process streams
# RATE messages/s to one collector (`bench-collector --url`) for MINUTES minutes after a 30 s warm-up; the
# collector JVM samples its heap every 10 s (`heap:` lines: heap used, heap used right after the latest
# stop-the-world GC, old generation after it) and fits a least-squares line to "used after GC" over the samples
# after the first minute (`heap-trend:` slope in KB per minute). Default JVM flags, as everywhere.
# Usage: scripts/soak-collector.sh [MINUTES=10] [RATE=200000]
# Environment: PROVIDER=polygon|alpaca (default polygon); ST=command instead of ./system-trader;
#   OUT=file for the full output (default: a temporary file, printed path); BENCH_ARGS=extra bench-collector
#   flags (e.g. "--compression" to offer permessage-deflate on Polygon).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
rate="${2:-200000}"
provider="${PROVIDER:-polygon}"
read -ra st <<< "${ST:-$here/system-trader}"
read -ra extra <<< "${BENCH_ARGS:-}"
out="${OUT:-$(mktemp /tmp/soak-collector.XXXXXX)}"
"${st[@]}" --version >/dev/null || exit 1
port=18797
duration=$((minutes * 60))
"${st[@]}" simulate --port "$port" --rate "$rate" --halts-per-hour 0 --duration $((duration + 120)) \
  >/dev/null 2>"$out.sim" &
sim=$!
trap 'kill "$sim" 2>/dev/null' EXIT
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
echo "# soak-collector $(date -u +%Y-%m-%dT%H:%M:%SZ) provider=$provider rate=$rate minutes=$minutes args=[${BENCH_ARGS:-}] load=[$(cut -d' ' -f1-3 /proc/loadavg)] output=$out"
"${st[@]}" bench-collector --provider "$provider" --url "ws://127.0.0.1:$port" --rate "$rate" --duration "$duration" \
  --warmup 30 --print-every 10 --heap-samples-every 10 "${extra[@]}" >"$out" 2>&1
grep -E '^(heap:|heap-trend:|detail:|bench-collector:)' "$out"
echo "# load after: [$(cut -d' ' -f1-3 /proc/loadavg)]"
slope=$(grep '^heap-trend:' "$out" | sed -E 's/.*slope=([^ ]+) KB\/min.*/\1/')
echo "soak-collector: slope=${slope:-n/a} KB/min (heap used after GC, samples after the first minute)"
