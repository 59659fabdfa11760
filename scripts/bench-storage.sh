#!/usr/bin/env bash
# Storage benchmark, the method recorded in docs/PERFORMANCE.md (`./system-trader bench-storage`):
# RUNS separate JVMs, each one run against the same server and the same (freshly truncated) websocket_data table,
# unique key and indexes in place: ROWS synthetic Polygon-like trades over 100 symbols are loaded
#  1. by `psql -c "\copy websocket_data (...) FROM 'file' (FORMAT csv)"` (the psql process, wall clock), then
#  2. by the StorageWriter (first add to close returning, every row committed), after a JIT warm-up on other rows;
# CHECKPOINT before each side, truncate after it, and both sides must leave identical rows (fingerprint).
# Every run prints one line; the last lines are the medians of rows/s and of the writer/psql ratio.
# Goals (issue "Storage"): writer >= psql and writer >= 150,000 rows/s; exit code 1 when the medians miss one.
# Usage: scripts/bench-storage.sh [RUNS] [ROWS]     e.g. 3 1000000
# Environment: URL=jdbc:postgresql://127.0.0.1:5432/test (its websocket_data is TRUNCATED; migrated when absent);
#   DB_USER=postgres; password from SYSTEM_TRADER_DB_PASSWORD or PGPASSWORD (never printed);
#   WRITERS, BATCH_ROWS: writer settings (default: the writer's defaults); ARGS="...": more bench-storage flags;
#   HEAP=2g: fixed -Xms/-Xmx (via SYSTEM_TRADER_JAVA_OPTS);
#   ST=command to run instead of ./system-trader (e.g. ST="java -jar app/target/system-trader.jar");
#   LOAD_MAX=1.0: before each run wait (up to LOAD_WAIT=180 s) until the 1-minute load average is below it.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$here/scripts/jdk.sh"
st_find_jdk || exit 1
runs="${1:-3}"
rows="${2:-1000000}"
url="${URL:-jdbc:postgresql://127.0.0.1:5432/test}"
user="${DB_USER:-postgres}"
heap="${HEAP:-2g}"
load_max="${LOAD_MAX:-1.0}"
load_wait="${LOAD_WAIT:-180}"
export SYSTEM_TRADER_JAVA_OPTS="${SYSTEM_TRADER_JAVA_OPTS:--Xms$heap -Xmx$heap}"
read -ra st <<< "${ST:-$here/system-trader}"
read -ra extra <<< "${ARGS:-}"
[ -n "${WRITERS:-}" ] && extra+=(--writers "$WRITERS")
[ -n "${BATCH_ROWS:-}" ] && extra+=(--batch-rows "$BATCH_ROWS")
"${st[@]}" --version >/dev/null || exit 1
command -v psql >/dev/null 2>&1 || { echo "bench-storage: psql is not on PATH (apt-get install postgresql-client)" >&2; exit 1; }

# Waits until the 1-minute load is below LOAD_MAX (or LOAD_WAIT seconds passed); prints the load.
quiet() {
  local waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$load_max" 'BEGIN { exit !(l >= m) }' \
      && [ "$waited" -lt "$load_wait" ]; do
    sleep 5; waited=$((waited + 5))
  done
  cut -d' ' -f1-3 /proc/loadavg
}

echo "# bench-storage $(date -u +%Y-%m-%dT%H:%M:%SZ) runs=$runs rows=$rows $(nproc) cores url=${url%%\?*} ${extra[*]}"
results=()
for i in $(seq 1 "$runs"); do
  load=$(quiet)
  out=$("${st[@]}" bench-storage --url "$url" --user "$user" --rows "$rows" --truncate-existing "${extra[@]}" 2>&1)
  line=$(grep '^bench-storage:' <<< "$out") || line="bench-storage: FAILED $(grep -v '^\s*at ' <<< "$out" | tail -1)"
  echo "run=$i load-before=[$load] ${line#bench-storage: }"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | awk '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /FAILED/ { failed++; next }
  { for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
    n++; p[n] = v["psql_rows_per_s"]; w[n] = v["writer_rows_per_s"]; r[n] = v["ratio"]; if (v["same"] != "true") diff++ }
  END {
    if (n == 0) { print "# no successful run"; exit 1 }
    mp = median(p, n); mw = median(w, n); mr = median(r, n)
    printf "median over %d runs: psql %.0f rows/s, writer %.0f rows/s, writer/psql %.2f%s\n", n, mp, mw, mr,
      failed ? sprintf(" (%d runs FAILED)", failed) : ""
    ok = (mw >= 150000 && mr >= 1.0 && !diff && !failed)
    printf "goals (writer >= psql, writer >= 150,000 rows/s, same rows): %s\n", ok ? "met" : "MISSED"
    exit ok ? 0 : 1
  }'
