#!/usr/bin/env bash
# Vendor-SDK conformance check for the System Trader exchange simulator.
#
# Installs the official Polygon.io and Alpaca JavaScript SDKs (exact versions pinned in
# package.json / package-lock.json), starts `system-trader simulate` on a free port, and checks
# that both SDKs connect, authenticate, subscribe and receive trades, quotes and bars for every
# symbol. Prints one line per check and, last, exactly `conformance: N passed, M failed`.
# Exit status: 0 when every check passed, 1 otherwise. Works from any current directory.
#
# Environment overrides (all optional):
#   SYSTEM_TRADER          simulator launcher          [<repo>/system-trader]
#   CONFORMANCE_SYMBOLS    symbols to request          [AAPL,MSFT]
#   SIM_PORT               port for the simulator      [a free port]
#   SIM_START_TIMEOUT      seconds to wait for the port (first run builds the jar) [120]
#   CHECK_TIMEOUT          seconds each check may take [30]
#   CONFORMANCE_SKIP_INSTALL=1  reuse the existing node_modules instead of `npm ci`
#   POLYGON_API_KEY / ALPACA_KEY_ID / ALPACA_SECRET   credentials [simulator defaults]
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sim="${SYSTEM_TRADER:-$repo/system-trader}"
symbols="${CONFORMANCE_SYMBOLS:-AAPL,MSFT}"
start_timeout="${SIM_START_TIMEOUT:-120}"
check_timeout="${CHECK_TIMEOUT:-30}"
host=127.0.0.1
export POLYGON_API_KEY="${POLYGON_API_KEY:-sim-polygon-key}"
export ALPACA_KEY_ID="${ALPACA_KEY_ID:-sim-alpaca-key}"
export ALPACA_SECRET="${ALPACA_SECRET:-sim-alpaca-secret}"

checks=(polygon alpaca-iex alpaca-sip alpaca-test)
passed=0
failed=0
sim_pid=""
check_pid=""
keep_logs=0
work="$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")"
sim_log="$work/simulator.log"

info() { echo "[conformance] $*"; }

stop_simulator() {
  [ -n "$sim_pid" ] || return 0
  if kill -0 "$sim_pid" 2>/dev/null; then
    # The simulator runs in its own process group (setsid), so this also stops a Maven build
    # the launcher may still be running.
    local target="$sim_pid"
    if [ "$(ps -o pgid= -p "$sim_pid" 2>/dev/null | tr -d ' ')" = "$sim_pid" ]; then target="-$sim_pid"; fi
    kill -TERM -- "$target" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$sim_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "$target" 2>/dev/null
  fi
  wait "$sim_pid" 2>/dev/null
  sim_pid=""
}

cleanup() {
  local rc=$?
  if [ -n "$check_pid" ]; then
    kill -TERM "$check_pid" 2>/dev/null
    wait "$check_pid" 2>/dev/null
  fi
  stop_simulator
  if [ "$keep_logs" = 1 ]; then
    info "logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "conformance: interrupted"; exit 130' INT
trap 'echo "conformance: terminated"; exit 143' TERM

# Every check counts as failed when the run cannot even start.
abort() {
  echo "conformance: setup failed: $*"
  keep_logs=1
  echo "conformance: 0 passed, ${#checks[@]} failed"
  exit 1
}

command -v node >/dev/null 2>&1 || abort "node is not installed (Node 20+ needed)"
command -v npm >/dev/null 2>&1 || abort "npm is not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] 2>/dev/null || abort "Node 20+ needed, found $(node --version)"

# 1. Install the SDKs (exact versions from the lock file).
if [ "${CONFORMANCE_SKIP_INSTALL:-0}" = 1 ] && [ -d "$here/node_modules" ]; then
  info "skipping npm install (CONFORMANCE_SKIP_INSTALL=1)"
else
  if [ -f "$here/package-lock.json" ]; then
    install=(npm ci)
  else
    install=(npm install)
  fi
  info "installing SDKs: ${install[*]}"
  # Install scripts are not needed: the only ones are optional native speed-ups (bufferutil,
  # utf-8-validate) that have pure-JS fallbacks.
  if ! (cd "$here" && "${install[@]}" --ignore-scripts --no-audit --no-fund >"$work/npm.log" 2>&1); then
    tail -n 20 "$work/npm.log" | sed 's/^/[npm] /'
    abort "${install[*]} failed (log: $work/npm.log)"
  fi
fi
sdk_versions="$(cd "$here" && node -e '
  const p = (n) => JSON.parse(require("fs").readFileSync(`node_modules/${n}/package.json`, "utf8")).version;
  console.log(`@polygon.io/client-js@${p("@polygon.io/client-js")} @alpacahq/alpaca-trade-api@${p("@alpacahq/alpaca-trade-api")}`);
' 2>/dev/null)" || abort "SDKs are not installed in $here/node_modules"
info "SDKs: $sdk_versions"

# 2. Start the simulator on a free port.
[ -x "$sim" ] || abort "simulator launcher not found or not executable: $sim"
if [ -n "${SIM_PORT:-}" ]; then
  port="$SIM_PORT"
else
  port="$(node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ')" || abort "could not find a free port"
fi
# Short "minute" bars so that bars arrive within seconds; the Polygon check is told the AM window to expect.
bar_interval_ms=1000
sim_cmd=("$sim" simulate --port "$port" --seed 42 --symbols "$symbols" --rate 2000 --bar-interval-ms "$bar_interval_ms")
info "starting: ${sim_cmd[*]}"
if command -v setsid >/dev/null 2>&1; then
  setsid "${sim_cmd[@]}" >"$sim_log" 2>&1 </dev/null &
else
  "${sim_cmd[@]}" >"$sim_log" 2>&1 </dev/null &
fi
sim_pid=$!

# 3. Wait (bounded) until the port answers, failing fast when the simulator exits.
deadline=$((SECONDS + start_timeout))
until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    wait "$sim_pid"
    rc=$?
    sim_pid=""
    tail -n 20 "$sim_log" | sed 's/^/[simulator] /'
    abort "the simulator exited with status $rc before listening on port $port (does '$sim simulate' exist yet?); log: $sim_log"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    tail -n 20 "$sim_log" | sed 's/^/[simulator] /'
    abort "the simulator did not listen on $host:$port within ${start_timeout}s; log: $sim_log"
  fi
  sleep 0.25
done
info "simulator is listening on $host:$port (pid $sim_pid)"

# 4. Run the checks, each under a hard timeout on top of its own.
run_check() {
  local name="$1" syms="$2"
  shift 2
  local hard=$((check_timeout + 15))
  local out rc
  # Run in the background and `wait`, so that INT/TERM traps fire at once instead of after the check.
  timeout --kill-after=5 "$hard" node "$@" --symbols "$syms" --timeout-ms "$((check_timeout * 1000))" \
    >"$work/$name.out" 2>"$work/$name.stderr" </dev/null &
  check_pid=$!
  wait "$check_pid"
  rc=$?
  check_pid=""
  out="$(head -n 1 "$work/$name.out")"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    out="$name: FAIL hung, killed after ${hard}s"
  elif [ -z "$out" ]; then
    out="$name: FAIL exited with status $rc without a result line ($(tail -n 1 "$work/$name.stderr"))"
    [ "$rc" -eq 0 ] && rc=1
  fi
  echo "$out"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    keep_logs=1
  fi
}

run_check polygon "$symbols" "$here/polygon.mjs" --url "ws://$host:$port" --am-window-ms "$bar_interval_ms"
run_check alpaca-iex "$symbols" "$here/alpaca.mjs" --url "ws://$host:$port" --feed iex
run_check alpaca-sip "$symbols" "$here/alpaca.mjs" --url "ws://$host:$port" --feed sip
# Alpaca's test stream carries only the symbol FAKEPACA (protocols.md section 2.1).
run_check alpaca-test FAKEPACA "$here/alpaca.mjs" --url "ws://$host:$port" --feed test

if ! kill -0 "$sim_pid" 2>/dev/null; then
  info "warning: the simulator exited during the checks (log: $sim_log)"
  keep_logs=1
fi
stop_simulator
echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
