#!/usr/bin/env bash
# CPU per event of our collectors next to the official JavaScript SDKs on the same simulator stream, in one run
# (the method recorded in docs/PERFORMANCE.md, "Collector CPU per event next to the official SDKs").
#
# One `simulate` process streams RATE msg/s (default 150,000; 8 symbols, batches of up to 100, no halts) for the
# whole run. For each run and each provider, one consumer at a time connects to it and subscribes to trades and
# quotes for all symbols ("*"), first our collector in its own JVM (`bench-collector --url`, the shipped
# defaults, then each extra variant), then the official SDK in node (conformance/bench-sdk.mjs):
#   alpaca:  `bench-collector --provider alpaca` (v2/sip)  vs  @alpacahq/alpaca-trade-api (MessagePack)
#   polygon: `bench-collector --provider polygon`          vs  @polygon.io/client-js (+ JSON.parse of each frame)
# Each consumer measures its own process CPU time (user + system, all threads: the JVM's
# OperatingSystemMXBean.getProcessCpuTime, node's process.cpuUsage()) and the events it received, both read
# after WARMUP seconds of streaming and again DURATION seconds later. Prints one line per consumer and run, then a
# table of medians over the clean runs (a run with a reconnect, a decode error or a failed start is listed but left
# out): CPU µs per event, each collector side's ratio to its SDK, the collector's pipeline and I/O
# thread CPU µs per event (the `cpu:` line of bench-collector; inflate runs on the I/O thread), and events/s.
#
# Usage: scripts/bench-sdk-cpu.sh [RUNS] [RATE] [WARMUP] [DURATION]          defaults: 3 150000 10 20
# Environment:
#   PROVIDERS="alpaca polygon"       providers to measure, in this order
#   ALPACA_VARIANTS="--no-compression|--wire-format json --compression"
#                                    extra Alpaca collector runs, '|'-separated bench-collector flags (default: none)
#   POLYGON_VARIANTS=...             the same for Polygon (default: none)
#   ST="java -jar app/target/system-trader.jar"   command instead of ./system-trader
#   PORT=18797                       simulator port
#   LOAD_MAX=2.5 LOAD_WAIT=60        before each consumer, wait (up to LOAD_WAIT s) until the 1-minute load average is
#                                    below LOAD_MAX (the machine is shared; the benchmark itself adds about 1); default: no wait
#   CONFORMANCE_SKIP_INSTALL=1       reuse conformance/node_modules (otherwise `npm ci` installs the pinned SDKs)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
rate="${2:-150000}"
warmup="${3:-10}"
duration="${4:-20}"
providers="${PROVIDERS:-alpaca polygon}"
read -ra st <<< "${ST:-$here/system-trader}"
port="${PORT:-18797}"
conf="$here/conformance"
sim=""
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-sdk-cpu.XXXXXX")"
trap '[ -n "$sim" ] && kill "$sim" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

command -v node >/dev/null || { echo "bench-sdk-cpu: node (20+) is needed" >&2; exit 1; }
"${st[@]}" --version >/dev/null || exit 1
if [ "${CONFORMANCE_SKIP_INSTALL:-0}" != 1 ] || [ ! -d "$conf/node_modules" ]; then
  (cd "$conf" && npm ci --ignore-scripts --no-audit --no-fund >"$work/npm.log" 2>&1) \
    || { tail -n 20 "$work/npm.log" >&2; echo "bench-sdk-cpu: npm ci failed" >&2; exit 1; }
fi

# The simulator: long enough for every consumer of every run (plus JVM start-ups).
variants_of() {
  local v
  if [ "$1" = alpaca ]; then v="${ALPACA_VARIANTS:-}"; else v="${POLYGON_VARIANTS:-}"; fi
  echo "$v"
}
sides=0
for p in $providers; do
  IFS='|' read -ra vs <<< "$(variants_of "$p")"
  sides=$((sides + 2 + ${#vs[@]}))
done
# The SDKs use keys of their own: the simulator (like Alpaca and Polygon) allows one session per key, and the
# collector's session may still be closing when the SDK connects.
"${st[@]}" simulate --port "$port" --rate "$rate" --halts-per-hour 0 \
  --polygon-key sim-polygon-key --polygon-key bench-sdk-polygon-key \
  --alpaca-key sim-alpaca-key:sim-alpaca-secret --alpaca-key bench-sdk-alpaca-key:bench-sdk-alpaca-secret \
  --duration $((runs * sides * (warmup + duration + 20) + 60)) >"$work/simulator.log" 2>&1 &
sim=$!
for _ in $(seq 1 150); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
(echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null || { cat "$work/simulator.log" >&2; echo "bench-sdk-cpu: simulator did not start" >&2; exit 1; }

echo "# bench-sdk-cpu $(date -u +%Y-%m-%dT%H:%M:%SZ) rate=$rate runs=$runs warmup=${warmup}s window=${duration}s $(nproc) cores; uptime:$(uptime | sed 's/.*load/ load/')"
echo "# $(cd "$conf" && node -e 'const v=(n)=>JSON.parse(require("fs").readFileSync(`node_modules/${n}/package.json`,"utf8")).version; console.log(`@alpacahq/alpaca-trade-api@${v("@alpacahq/alpaca-trade-api")} @polygon.io/client-js@${v("@polygon.io/client-js")}`)') node $(node --version) $("${st[@]}" --version 2>/dev/null | head -1)"

results="$work/results.tsv"   # provider \t side \t us-per-event \t events-per-s \t ok \t pipeline \t io
load() {
  local waited=0
  if [ -n "${LOAD_MAX:-}" ]; then
    while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$LOAD_MAX" 'BEGIN { exit !(l >= m) }' \
        && [ "$waited" -lt "${LOAD_WAIT:-60}" ]; do
      sleep 5; waited=$((waited + 5))
    done
  fi
  cut -d' ' -f1-3 /proc/loadavg
}

# collector PROVIDER RUN FLAGS...   (a run that cannot start, e.g. while the previous session closes, is retried once)
collector() {
  local p=$1 i=$2; shift 2
  local label="collector${*:+ $*}" out cpu mean ok l pipe io try
  l=$(load)
  for try in 1 2; do
    out=$("${st[@]}" bench-collector --provider "$p" --url "ws://127.0.0.1:$port" --rate "$rate" \
      --duration "$duration" --warmup "$warmup" --print-every "$duration" "$@" 2>/dev/null)
    grep -q '^bench-collector:' <<< "$out" && break
    sleep 5
  done
  cpu=$(grep -o 'process=[0-9.]*us/event' <<< "$out" | head -1 | tr -dc '0-9.')
  mean=$(grep '^bench-collector:' <<< "$out" | grep -o ' mean=[0-9,]*' | tr -dc '0-9')
  ok=$(grep '^bench-collector:' <<< "$out" | grep -o 'loss-free=[a-zA-Z]*' | cut -d= -f2)
  pipe=$(grep -o 'pipeline=[0-9.]*us/event' <<< "$out" | head -1 | tr -dc '0-9.')
  io=$(grep -o ' io=[0-9.]*us/event' <<< "$out" | head -1 | tr -dc '0-9.')
  [ -n "$cpu" ] && [ -n "$mean" ] || { cpu=NaN; mean=0; ok=FAILED; }
  printf '%s run=%d %-40s cpu-us-per-event=%s events-per-s=%s clean=%s load-before=[%s] | %s\n' "$p" "$i" "$label" \
    "$cpu" "$mean" "$ok" "$l" "$(grep -E '^(cpu|bench-collector):' <<< "$out" | tr '\n' ' ' | cut -c1-400)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$label" "$cpu" "$mean" "$ok" "${pipe:-NaN}" "${io:-NaN}" >> "$results"
}

# sdk PROVIDER RUN
sdk() {
  local p=$1 i=$2 out cpu ev sec ok l label
  l=$(load)
  label="official SDK (node)"
  out=$(node "$conf/bench-sdk.mjs" --provider "$p" --url "ws://127.0.0.1:$port" --warmup-s "$warmup" \
    --duration-s "$duration" --polygon-key bench-sdk-polygon-key --key bench-sdk-alpaca-key \
    --secret bench-sdk-alpaca-secret 2>/dev/null | grep '^bench-sdk:')
  cpu=$(grep -o 'cpu-us-per-event=[0-9.]*' <<< "$out" | cut -d= -f2)
  ev=$(grep -o ' rate=[0-9]*' <<< "$out" | cut -d= -f2)
  ok=yes
  [ -n "$cpu" ] && [ -n "$ev" ] || { cpu=NaN; ev=0; ok=FAILED; }
  printf '%s run=%d %-40s cpu-us-per-event=%s events-per-s=%s clean=%s load-before=[%s] | %s\n' "$p" "$i" "$label" \
    "$cpu" "$ev" "$ok" "$l" "$out"
  printf '%s\t%s\t%s\t%s\t%s\t-\t-\n' "$p" "$label" "$cpu" "$ev" "$ok" >> "$results"
}

for i in $(seq 1 "$runs"); do
  for p in $providers; do
    collector "$p" "$i"
    sleep 3
    IFS='|' read -ra vs <<< "$(variants_of "$p")"
    for v in "${vs[@]}"; do
      read -ra flags <<< "$v"
      [ "${#flags[@]}" -gt 0 ] || continue
      collector "$p" "$i" "${flags[@]}"
      sleep 3
    done
    sdk "$p" "$i"
    sleep 3
  done
done
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; sim=""

echo
echo "# medians of $runs runs at $rate msg/s (process CPU time over the ${duration}s window / events in it; clean runs only); uptime:$(uptime | sed 's/.*load/ load/')"
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    k = $1 SUBSEP $2
    if (!(k in cpu)) { order[++n] = k; prov[k] = $1; side[k] = $2 }
    if ($3 != "NaN" && $5 == "yes") { cpu[k] = cpu[k] " " $3; rate[k] = rate[k] " " $4; pipe[k] = pipe[k] " " $6; io[k] = io[k] " " $7; ok[k]++ }
    else { cpu[k] = cpu[k] ""; failed[k]++ }
    if ($2 ~ /^official SDK/) sdkside[$1] = k
  }
  END {
    printf "%-8s | %-44s | %18s | %11s | %13s | %10s | %s\n", "provider", "consumer", "CPU us/event (med)", "vs. the SDK",
      "pipeline / io", "events/s", "runs ok/failed"
    for (i = 1; i <= n; i++) {
      k = order[i]; m = ok[k] ? median(cpu[k]) : "n/a"
      s = sdkside[prov[k]]; r = (ok[k] && ok[s] && k != s) ? sprintf("%.2fx", m / median(cpu[s])) : "-"
      t = (ok[k] && k != s) ? sprintf("%.2f / %.2f", median(pipe[k]), median(io[k])) : "-"
      printf "%-8s | %-44s | %18s | %11s | %13s | %10s | %d/%d\n", prov[k], side[k], (ok[k] ? sprintf("%.2f", m) : "n/a"),
        r, t, (ok[k] ? sprintf("%.0f", median(rate[k])) : "n/a"), ok[k], failed[k]
    }
  }' "$results"
