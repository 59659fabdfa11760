#!/usr/bin/env bash
# The whole service through a database outage (docs/PERFORMANCE.md, "The whole service through a database outage"):
# scripts/bench-service.sh at RATE for SECONDS against a throwaway PostgreSQL cluster of its own (initdb in a
# temporary directory, port PG_PORT; the machine's shared server is never touched), the cluster stopped with
# `pg_ctl -m fast stop` when the benchmark prints its "t= STOP_AT s" progress line and started again OUTAGE seconds
# later. The benchmark's own comparison of websocket_data with the simulator's truth file then says whether anything
# was lost or stored twice. The cluster and its directory are removed at the end.
# Usage: scripts/bench-service-outage.sh [RATE] [SECONDS]      (defaults: 20000 60)
# Environment: STOP_AT=20 (seconds into the measured window) OUTAGE=20 (seconds) PG_PORT=5499
#   PG_BIN=/usr/lib/postgresql/15/bin; BUS=1 for the scale-out roles (collector -> Kafka -> store); WARMUP (default
#   10), WORK_DIR, LOAD_WAIT and the rest as scripts/bench-service.sh takes them. As root, initdb and pg_ctl run as
#   the user postgres.
# Exit code: bench-service's (0 when every event was stored exactly once), or 2 when the cluster could not be made.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-20000}"
seconds="${2:-60}"
stop_at="${STOP_AT:-20}"
outage="${OUTAGE:-20}"
port="${PG_PORT:-5499}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
cluster="$(mktemp -d /tmp/st-outage-pg.XXXXXX)"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$cluster"
  as_pg=(runuser -u postgres --)
fi
pg_ctl() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -o "-p $port -k $cluster" -l "$cluster/server.log" "$@"; }
bench=""
cleanup() {
  if [ -n "$bench" ] && kill -0 "$bench" 2>/dev/null; then
    kill -TERM -- "-$bench" 2>/dev/null || kill -TERM "$bench" 2>/dev/null # bench-service and its JVMs, broker
    wait "$bench" 2>/dev/null
  fi
  pg_ctl -m immediate stop >/dev/null 2>&1
  rm -rf "$cluster"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$cluster/data" -A trust -U postgres >"$cluster/initdb.log" 2>&1 \
  || { echo "bench-service-outage: initdb failed: $(tail -5 "$cluster/initdb.log")" >&2; exit 2; }
pg_ctl -w start >/dev/null || { echo "bench-service-outage: the cluster did not start: $(tail -5 "$cluster/server.log")" >&2; exit 2; }
echo "# bench-service-outage: throwaway cluster $cluster on port $port; stop at t=${stop_at}s for ${outage} s"

log="$cluster/bench.log"
# in a process group of its own (setsid), so that an interrupted run stops the benchmark's children too
PG_SERVER="jdbc:postgresql://127.0.0.1:$port/" WARMUP="${WARMUP:-10}" LOAD_WAIT="${LOAD_WAIT:-0}" \
  setsid "$here/scripts/bench-service.sh" "$rate" "$seconds" >"$log" 2>&1 &
bench=$!
shown=0
stopped=""
while kill -0 "$bench" 2>/dev/null; do
  total=$(wc -l <"$log")
  if [ "$total" -gt "$shown" ]; then sed -n "$((shown + 1)),${total}p" "$log"; shown=$total; fi
  if [ -z "$stopped" ] && grep -Eq "t= *${stop_at}s " "$log"; then
    pg_ctl -m fast -w stop >/dev/null || { echo "bench-service-outage: pg_ctl stop failed" >&2; exit 1; }
    stopped=$(date -u +%H:%M:%S)
    echo "# database stopped at $stopped UTC"
    sleep "$outage" # the scenario's outage, not a wait for a condition
    pg_ctl -w start >/dev/null || { echo "bench-service-outage: pg_ctl start failed: $(tail -5 "$cluster/server.log")" >&2; exit 1; }
    echo "# database started again at $(date -u +%H:%M:%S) UTC (down ${outage} s)"
  fi
  sleep 1 # a poll interval for the progress lines
done
wait "$bench"
rc=$?
sed -n "$((shown + 1)),\$p" "$log"
[ -n "$stopped" ] || { echo "bench-service-outage: the run ended before t=${stop_at}s: no outage happened" >&2; rc=1; }
exit $rc
