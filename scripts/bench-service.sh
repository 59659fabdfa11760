#!/usr/bin/env bash
# End-to-end service benchmark, the method recorded in docs/PERFORMANCE.md ("End-to-end service benchmark"),
# issue 12 "measure the whole". For each rate `./system-trader bench-service` creates a fresh PostgreSQL database,
# starts `simulate --truth-file` and `run` (Polygon + Alpaca feeds, Redis, storage with its own journal) as child JVMs,
# streams for WARMUP + SECONDS, stops the simulator's data, waits until the service has drained (/metrics), stops it
# with SIGTERM and compares websocket_data with the truth file by identity. Prints a table per rate and a summary
# (highest rate with 0 missing and 0 duplicates, lag p50/p99, CPU per event, peak RSS) and writes a JSON result.
# Usage: scripts/bench-service.sh [RATES] [SECONDS]     e.g. "20000 50000 100000" 600 (the defaults)
#   RATES: messages per second into the service, both feeds together (the simulator sends RATE/2 on each feed).
# Environment: WARMUP=30 (seconds before the measured window); PG_SERVER=jdbc:postgresql://127.0.0.1:5432/
#   (databases bench_<time>_<rate> are created there and dropped after; password from SYSTEM_TRADER_DB_PASSWORD or
#   PGPASSWORD); REDIS_URL=redis://127.0.0.1:6379; WORK_DIR=data/bench-service; ARGS="..." more bench-service flags
#   (e.g. --keep-db --keep-truth --symbols AAPL,MSFT --child-java-opts "-Xmx2g");
#   ST=command to run instead of ./system-trader; LOAD_MAX=1.5: before starting wait (up to LOAD_WAIT=180 s) until
#   the 1-minute load average is below it.
# Bus mode (issue 16, "end-to-end lag through the log"): BUS=1 starts a local single-node KRaft broker (as
#   scripts/bench-bus.sh does: kafka_2.13 from Maven Central, KafkaTestBroker with kafka-server-start.sh's flags; stopped
#   and its directory deleted at the end), BUS=host:port uses that broker; bench-service then runs `run --role
#   collector` and `run --role store` instead of one `run` (topics of PARTITIONS=6 partitions and a group per rate).
#   MVN_ARGS=extra Maven arguments for resolving the broker (e.g. -o -Dmaven.repo.local=...).
# Exit code: 0 when every rate stored every event exactly once, 1 otherwise.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$here/scripts/jdk.sh"
st_find_jdk || exit 1
rates="${1:-20000 50000 100000}"
seconds="${2:-600}"
load_max="${LOAD_MAX:-1.5}"
load_wait="${LOAD_WAIT:-180}"
read -ra st <<< "${ST:-$here/system-trader}"
read -ra extra <<< "${ARGS:-}"
"${st[@]}" --version >/dev/null || exit 1
read -ra mvn_args <<< "${MVN_ARGS:-}"
bus_args=()
case "${BUS:-}" in
  ""|0) ;;
  1)
    # shellcheck source=scripts/local-broker.sh
    . "$here/scripts/local-broker.sh"
    trap st_stop_local_broker EXIT
    trap 'exit 130' INT TERM
    st_start_local_broker || exit 1
    bus_args=(--bus "$broker_bootstrap" --bus-partitions "${PARTITIONS:-6}") ;;
  *) bus_args=(--bus "$BUS" --bus-partitions "${PARTITIONS:-6}") ;;
esac

waited=0
while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$load_max" 'BEGIN { exit !(l >= m) }' \
    && [ "$waited" -lt "$load_wait" ]; do
  sleep 5; waited=$((waited + 5))
done
echo "# bench-service $(date -u +%Y-%m-%dT%H:%M:%SZ) rates=[$rates] seconds=$seconds warmup=${WARMUP:-30} $(nproc) cores load=[$(cut -d' ' -f1-3 /proc/loadavg)] (waited ${waited} s for < $load_max) ${bus_args[*]} ${extra[*]}"
"${st[@]}" bench-service --rates "$(tr -s ' ' ',' <<< "$(xargs <<< "$rates")")" --duration "$seconds" \
  --warmup "${WARMUP:-30}" --pg-server "${PG_SERVER:-jdbc:postgresql://127.0.0.1:5432/}" \
  --redis-url "${REDIS_URL:-redis://127.0.0.1:6379}" --work-dir "${WORK_DIR:-$here/data/bench-service}" "${bus_args[@]}" "${extra[@]}"
rc=$?
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
