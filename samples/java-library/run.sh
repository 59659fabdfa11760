#!/usr/bin/env bash
# The library as a Java user gets it: builds this sample project against the System Trader modules in the local
# Maven repository (scripts/test.sh runs `mvn install` first), checks that core + polygon bring no logging backend,
# CLI or embedded servers, and runs the README's Java examples (src/main/java/example/ReadmeExamples.java) against
# the exchange simulator. Exit status 0 only when all of that holds.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../../scripts/jdk.sh
. "$root/scripts/jdk.sh"
st_find_jdk || exit 1
info() { echo "sample: $*"; }
abort() { echo "sample: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/system-trader-sample.XXXXXX")"
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill -TERM "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. Build it, and list what it depends on.
(cd "$here" && mvn -B -ntp -q package >"$work/build.log" 2>&1) || { tail -n 30 "$work/build.log"; abort "mvn package"; }
(cd "$here" && mvn -B -ntp -q dependency:list -DincludeScope=runtime -DoutputFile="$work/deps.txt" \
  >"$work/deps.log" 2>&1) || { tail -n 30 "$work/deps.log"; abort "mvn dependency:list"; }
forbidden="$(grep -E 'ch\.qos\.logback|info\.picocli|io\.zonky|embedded-redis|system-trader-(alpaca|simulator|tools)|:system-trader:' "$work/deps.txt")"
[ -z "$forbidden" ] || abort "core + polygon pull in what a library user must not get:"$'\n'"$forbidden"
info "dependencies: $(grep -c ':jar:' "$work/deps.txt") jars, no logback, picocli, embedded PostgreSQL or Redis"

# 2. The simulator, on a free port.
"$root/system-trader" simulate --port 0 --seed 7 --symbols AAPL,MSFT,GOOGL --rate 500 >"$work/sim.log" 2>&1 &
sim_pid=$!
port=""
for _ in $(seq 1 480); do
  port="$(sed -n 's/^simulator ready on port \([0-9]*\): .*/\1/p' "$work/sim.log")"
  [ -n "$port" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.log"; abort "the simulator exited"; }
  sleep 0.25
done
[ -n "$port" ] || { cat "$work/sim.log"; abort "the simulator did not start within 120 s"; }
info "simulator on port $port"

# 3. The README's examples, in a working directory whose config/collector_config.yaml points at the simulator.
mkdir -p "$work/run/config"
sed "s/127\.0\.0\.1:8765/127.0.0.1:$port/g" "$root/config/collector_config.simulator.yaml" \
  >"$work/run/config/collector_config.yaml"
(cd "$work/run" && POLYGON_API_KEY=sim-polygon-key timeout --kill-after=5 120 \
  "$JAVA_HOME/bin/java" -jar "$here/target/sample.jar" >"$work/out.log" 2>&1)
rc=$?
sed 's/^/  | /' "$work/out.log" | grep -v ' INFO \| DEBUG ' | tail -n 20
[ "$rc" -eq 0 ] || abort "the sample exited with status $rc"
grep -q '^sample: done$' "$work/out.log" || abort "the sample did not finish"
grep -q ' from [A-Z]*/POLYGON, ' "$work/out.log" || abort "no price line from the provider example"
info "OK"
