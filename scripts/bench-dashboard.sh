#!/usr/bin/env bash
# The dashboard's server cost, the method recorded in docs/PERFORMANCE.md ("Dashboard: page weight and server cost").
# Starts `simulate` (RATE/2 per feed, both feeds: RATE msg/s into the service) and `run` (Polygon + Alpaca, Redis,
# storage to a fresh PostgreSQL database) as in scripts/bench-service.sh, warms up, then alternates ROUNDS times a
# phase with no dashboard open and a phase with CLIENTS dashboards open, each PHASE seconds. A dashboard here is what
# an open page costs the server: one event stream (GET /api/stream, read by curl) and its chart's /api/bars request
# every 5 s (its last two minutes; the whole 120-minute window every 5 minutes). A browser's own CPU is not the
# service's, and on this 2-core machine it would disturb the figures.
# The service's CPU% is sampled once a second from /proc (utime + stime); the medians per kind of phase are printed,
# with the CPU per received message of each kind of phase (on a busy machine the service may get less CPU than it
# wants, and then its CPU% says little) and the CPU of the dashboard's own threads (dashboard-stream,
# dashboard-quality) and of the API's workers (http-api-*, which answer the charts' /api/bars), from
# /proc/<pid>/task/*/stat.
# Usage: scripts/bench-dashboard.sh [RATE] [CLIENTS] [PHASE] [ROUNDS]   defaults 50000 10 40 3
# Environment: CHART=0 leaves the charts' /api/bars requests out (event streams only); WARMUP=30; PG_SERVER=postgresql://postgres@127.0.0.1:5432 (psql URL; a database bench_dash_<time>
#   is created there and dropped after); REDIS_URL=redis://127.0.0.1:6379; SYMBOLS=AAPL,MSFT,...; WORK_DIR.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-50000}"
clients="${2:-10}"
phase="${3:-40}"
rounds="${4:-3}"
warmup="${WARMUP:-30}"
pg="${PG_SERVER:-postgresql://postgres@127.0.0.1:5432}"
redis="${REDIS_URL:-redis://127.0.0.1:6379}"
symbols="${SYMBOLS:-AAPL,MSFT,GOOGL,AMZN,NVDA,META,TSLA,AMD,NFLX,INTC}"
work="${WORK_DIR:-$here/data/bench-dashboard}"
st="$here/system-trader"
db="bench_dash_$(date +%s)"
mkdir -p "$work"
rm -rf "$work/journal"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -u "$redis" --scan --pattern 'bench-dash:*' | xargs -r -n 500 redis-cli -u "$redis" del >/dev/null
  fi
}
trap cleanup EXIT

await_line() { # file pattern seconds -> the first match's group 1
  local end=$((SECONDS + $3)) m
  while [ "$SECONDS" -lt "$end" ]; do
    m="$(grep -oE "$2" "$1" 2>/dev/null | head -1 | grep -oE '[0-9]+$')"
    [ -n "$m" ] && { echo "$m"; return 0; }
    sleep 0.5
  done
  echo "bench-dashboard: no '$2' in $1 within $3 s" >&2
  tail -20 "$1" >&2
  return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

threads_ticks() { # CPU ticks of the service's threads whose name starts with $1
  local t total=0
  for t in /proc/"$run_pid"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "$1"*) total=$((total + $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$total"
}

received() { curl -s "$base/metrics" | awk '/^collector_messages_total/ { s += $NF } END { printf "%.0f\n", s }'; }

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
  else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

psql "$pg/postgres" -qc "CREATE DATABASE $db" || exit 1
"$st" simulate --port 0 --rate $((rate / 2)) --symbols "$symbols" --halts-per-hour 0 --duration 7200 \
  >"$work/simulate.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")
sim_port="$(await_line "$work/simulate.log" 'simulator ready on port [0-9]+' 120)" || exit 1
cat >"$work/collector_config.yaml" <<EOF
polygon:
  websocket:
    url: ws://127.0.0.1:$sim_port/stocks
    channels: [T, Q, AM]
    symbols: [${symbols//,/, }]
  rest:
    url: http://127.0.0.1:$sim_port
alpaca:
  websocket:
    enabled: true
    url: ws://127.0.0.1:$sim_port/v2
    feed: sip
    channels: [trades, quotes, bars]
    symbols: [${symbols//,/, }]
  rest:
    url: http://127.0.0.1:$sim_port
storage:
  url: jdbc:postgresql://${pg#*@}/$db
  user: postgres
  journal_dir: $work/journal
redis:
  enabled: true
  url: $redis
  prefix: bench-dash
service:
  http_port: 0
EOF
POLYGON_API_KEY=sim-polygon-key APCA_API_KEY_ID=sim-alpaca-key APCA_API_SECRET_KEY=sim-alpaca-secret \
  "$st" run --config "$work/collector_config.yaml" --credentials "$work/none.yaml" >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
port="$(await_line "$work/run.log" 'HTTP API on http://127.0.0.1:[0-9]+' 180)" || exit 1
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$base/ready" >/dev/null && break; sleep 1; done
hz="$(getconf CLK_TCK)"
echo "# bench-dashboard $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git -C "$here" rev-parse --short HEAD) rate=$rate" \
  "clients=$clients chart=${CHART:-1} phase=${phase}s rounds=$rounds warmup=${warmup}s $(nproc) cores load=[$(cut -d' ' -f1-3 /proc/loadavg)]"
sleep "$warmup"

first_load() { # bytes of the page and its files, as a browser accepting gzip gets them
  local total=0 n
  for f in / /ui/dashboard.js /ui/dashboard.css /ui/echarts.min.js; do
    n="$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "$base$f")"
    total=$((total + n))
  done
  echo "$total"
}
echo "first load (gzip bodies of /, dashboard.js, dashboard.css, echarts.min.js): $(first_load) bytes"

measure() { # seconds -> one CPU% per second on stdout
  local prev now
  prev="$(cpu_ticks "$run_pid")"
  for _ in $(seq 1 "$1"); do
    sleep 1
    now="$(cpu_ticks "$run_pid")"
    echo "$(( (now - prev) * 100 / hz ))"
    prev="$now"
  done
}

: >"$work/none.txt"
: >"$work/open.txt"
m0="$(received)"
t0=$SECONDS
declare -A msgs=([none]=0 [open]=0) ticks=([none]=0 [open]=0) dash=([none]=0 [open]=0) api=([none]=0 [open]=0)
declare -A simt=([none]=0 [open]=0) wall=([none]=0 [open]=0)
phase_run() { # kind: measures one phase, adding its messages, CPU ticks and the dashboard's threads' ticks
  local m c d a x t
  m="$(received)"; c="$(cpu_ticks "$run_pid")"; d="$(threads_ticks dashboard-)"; a="$(threads_ticks http-api-)"
  x="$(cpu_ticks "$sim_pid")"; t="$(date +%s%N)"
  measure "$phase" >>"$work/$1.txt"
  msgs[$1]=$(( ${msgs[$1]} + $(received) - m ))
  ticks[$1]=$(( ${ticks[$1]} + $(cpu_ticks "$run_pid") - c ))
  dash[$1]=$(( ${dash[$1]} + $(threads_ticks dashboard-) - d ))
  api[$1]=$(( ${api[$1]} + $(threads_ticks http-api-) - a ))
  simt[$1]=$(( ${simt[$1]} + $(cpu_ticks "$sim_pid") - x ))
  wall[$1]=$(( ${wall[$1]} + ($(date +%s%N) - t) / 1000000 ))
}
for r in $(seq 1 "$rounds"); do
  phase_run none
  echo "round $r: no dashboard: median $(median <"$work/none.txt") % so far"
  clients_pids=()
  for i in $(seq 1 "$clients"); do
    curl -sN "$base/api/stream" -o "$work/stream-$r-$i.txt" &
    clients_pids+=($!)
    [ "${CHART:-1}" = 0 ] && continue
    (n=0; while :; do # as the page's chart: the 120-minute window, then every 5 s its tail, the window every 5 min
      back=$([ $((n % 60)) = 0 ] && echo 120 || echo 2)
      curl -s -o /dev/null "$base/api/bars?symbol=AAPL&interval=1m&start=$(date -u -d "-$back min" +%Y-%m-%dT%H:%M:%SZ)"
      n=$((n + 1))
      sleep 5
    done) &
    clients_pids+=($!)
  done
  phase_run open
  for p in "${clients_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  echo "round $r: $clients dashboards: median $(median <"$work/open.txt") % so far"
done
echo "received by the service while measuring: $(( ($(received) - m0) / (SECONDS - t0) )) msg/s"
stream_bytes="$(cat "$work"/stream-*.txt | wc -c)"
echo "event stream: $((stream_bytes / clients / rounds / phase)) bytes per second per dashboard"
echo "service CPU% (100 = one core), median of $((phase * rounds)) one-second samples:" \
  "no dashboard $(median <"$work/none.txt"), $clients dashboards $(median <"$work/open.txt")"
for k in none open; do
  awk -v k="$k" -v m="${msgs[$k]}" -v t="${ticks[$k]}" -v d="${dash[$k]}" -v a="${api[$k]}" -v hz="$hz" \
    -v x="${simt[$k]}" -v s="$(awk -v w="${wall[$k]}" 'BEGIN { print w / 1000 }')" \
    'BEGIN { printf "%-4s: %.0f msg/s received; service %.1f %% of a core, %.1f us per message; dashboard threads" \
      " %.2f %%, http-api workers %.2f %% of a core; simulator %.1f %% of a core\n", k, m / s, t / hz / s * 100,
      (m ? t / hz / m * 1e6 : 0), d / hz / s * 100, a / hz / s * 100, x / hz / s * 100 }'
done
