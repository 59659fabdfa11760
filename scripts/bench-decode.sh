#!/usr/bin/env bash
# Decode benchmark, the method recorded in docs/PERFORMANCE.md (`./system-trader bench-decode`):
#  1. record once: FRAMES data frames per case from the in-process simulator over loopback WebSockets
#     (polygon-trades, polygon-quotes, alpaca-trades-json, alpaca-trades-msgpack), saved to RECORDING;
#  2. JVMS separate JVMs replay that recording through the collector's FeedProtocol.decode on one thread:
#     3 s warm-up per case, then RUNS timed 1 s runs round-robin over the cases.
# Every JVM prints one `bench-decode:` line per case: median msgs/s over its runs (min, max), msgs per CPU-second
# of the decoding thread, frames/s and bytes allocated per message; prefixed here with the JVM number and the load.
# Usage: scripts/bench-decode.sh [JVMS] [RUNS] [FRAMES]     e.g. 3 5 2000
# Environment: STAGE=decode|clean (default decode); CASES=comma list (default all four);
#   RECORDING=file (default target/bench-decode-frames.bin; reused when present, FRESH=1 records anew);
#   HEAP=1g: fixed -Xms/-Xmx so that heap resizing does not disturb the runs (via SYSTEM_TRADER_JAVA_OPTS);
#   ST=command to run instead of ./system-trader (e.g. ST="java -Xms1g -Xmx1g -jar app/target/system-trader.jar");
#   LOAD_MAX=1.0: before each JVM wait (up to LOAD_WAIT=180 s) until the 1-minute load average is below it;
#   JSON_DIR=dir: each JVM also writes bench-decode-<n>.json there.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$here/scripts/jdk.sh"
st_find_jdk || exit 1
jvms="${1:-3}"
runs="${2:-5}"
frames="${3:-2000}"
stage="${STAGE:-decode}"
cases="${CASES:-polygon-trades,polygon-quotes,alpaca-trades-json,alpaca-trades-msgpack}"
recording="${RECORDING:-$here/target/bench-decode-frames.bin}"
heap="${HEAP:-1g}"
load_max="${LOAD_MAX:-1.0}"
load_wait="${LOAD_WAIT:-180}"
export SYSTEM_TRADER_JAVA_OPTS="${SYSTEM_TRADER_JAVA_OPTS:--Xms$heap -Xmx$heap}"
read -ra st <<< "${ST:-$here/system-trader}"
"${st[@]}" --version >/dev/null || exit 1
mkdir -p "$(dirname "$recording")"

# Waits until the 1-minute load is below LOAD_MAX (or LOAD_WAIT seconds passed); prints the load.
quiet() {
  local waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$load_max" 'BEGIN { exit !(l >= m) }' \
      && [ "$waited" -lt "$load_wait" ]; do
    sleep 5; waited=$((waited + 5))
  done
  cut -d' ' -f1-3 /proc/loadavg
}

echo "# bench-decode $(date -u +%Y-%m-%dT%H:%M:%SZ) stage=$stage jvms=$jvms runs=$runs frames=$frames $(nproc) cores"
if [ "${FRESH:-0}" = 1 ] || [ ! -f "$recording" ]; then
  "${st[@]}" bench-decode --cases "$cases" --frames "$frames" --recording "$recording" --fresh \
    --warmup-ms 0 --runs 1 --run-ms 1 --quiet 2>/dev/null | grep '^# recorded' || { echo "# recording FAILED"; exit 1; }
fi
for i in $(seq 1 "$jvms"); do
  load=$(quiet)
  json=()
  [ -n "${JSON_DIR:-}" ] && mkdir -p "$JSON_DIR" && json=(--json "$JSON_DIR/bench-decode-$i.json")
  out=$("${st[@]}" bench-decode --stage "$stage" --cases "$cases" --frames "$frames" --recording "$recording" \
    --runs "$runs" --quiet "${json[@]}" 2>&1)
  lines=$(grep '^bench-decode:' <<< "$out") || lines="bench-decode: FAILED $(tail -1 <<< "$out")"
  while IFS= read -r line; do echo "jvm=$i load-before=[$load] ${line#bench-decode: }"; done <<< "$lines"
done
