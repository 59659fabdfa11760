#!/usr/bin/env bash
# Bus publish benchmark, the method recorded in docs/PERFORMANCE.md (`./system-trader bench-bus`): the collector's
# bus sink (BusSink) against Kafka's own kafka-producer-perf-test (ProducerPerformance of the same Kafka version, in
# the same JVM), the same broker, alternating rounds, a fresh topic per run; prints every run and the medians and
# their ratio (the goal, issue 16: the sink at least 0.8x the tool).
# Without --bootstrap, a local single-node KRaft broker is started from the Maven Central artifacts (kafka_2.13, the
# version of the root pom's kafka.version) as the tests start it (KafkaTestBroker, run on a classpath Maven resolves
# for it; with the flags of Kafka's own kafka-server-start.sh: 1 GB heap, G1), in a temporary directory, and stopped
# (its directory deleted) at the end.
# Usage: scripts/bench-bus.sh [--bootstrap HOST:PORT] [bench-bus options...]
#   e.g. scripts/bench-bus.sh --records 2000000 --rounds 5
# Environment: HEAP=2g: the bench JVM's fixed -Xms/-Xmx (via SYSTEM_TRADER_JAVA_OPTS);
#   ST=command to run instead of ./system-trader; MVN_ARGS=extra Maven arguments (e.g. -o -Dmaven.repo.local=...);
#   LOAD_MAX=1.5: before the bench wait (up to LOAD_WAIT=600 s) until the 1-minute load average is below it.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$here/scripts/jdk.sh"
st_find_jdk || exit 1
heap="${HEAP:-2g}"
load_max="${LOAD_MAX:-1.5}"
load_wait="${LOAD_WAIT:-600}"
read -ra mvn_args <<< "${MVN_ARGS:-}"
export SYSTEM_TRADER_JAVA_OPTS="${SYSTEM_TRADER_JAVA_OPTS:--Xms$heap -Xmx$heap}"
read -ra st <<< "${ST:-$here/system-trader}"
"${st[@]}" --version >/dev/null || exit 1 # builds the application (and its test classes) when needed

args=("$@")
has_bootstrap=0
for a in "$@"; do case "$a" in --bootstrap|--bootstrap=*) has_bootstrap=1 ;; esac; done

broker_pid=""
work=""
stop_broker() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill "$broker_pid" 2>/dev/null # its shutdown hook stops the broker and deletes its directory
    wait "$broker_pid" 2>/dev/null
  fi
  [ -n "$work" ] && rm -rf "$work"
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

if [ "$has_bootstrap" = 0 ]; then
  classes="$here/app/target/test-classes"
  if [ ! -f "$classes/com/systemtrader/bus/KafkaTestBroker.class" ]; then
    echo "# compiling the test classes (KafkaTestBroker)" >&2
    (cd "$here" && mvn -q -B "${mvn_args[@]}" -DskipTests package) || { echo "# build FAILED" >&2; exit 1; }
  fi
  kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml" | head -1)
  work="$(mktemp -d "${TMPDIR:-/tmp}/bench-bus.XXXXXX")"
  # the broker's classpath: kafka_2.13 and its dependencies, resolved by Maven from a pom of its own whose parent is
  # the project's (the same managed versions as the tests' broker)
  parent_version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)
  cat > "$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.systemtrader</groupId><artifactId>system-trader-parent</artifactId>
    <version>$parent_version</version><relativePath>$here/pom.xml</relativePath></parent>
  <artifactId>bench-bus-broker</artifactId>
  <dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId></dependency></dependencies>
</project>
EOF
  (cd "$work" && mvn -q -B "${mvn_args[@]}" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt") \
    >"$work/mvn.log" 2>&1 || { echo "# resolving kafka_2.13 $kafka_version FAILED:" >&2; tail -20 "$work/mvn.log" >&2; exit 1; }
  "$JAVA_HOME/bin/java" -Xmx64m -XX:+UseSerialGC -cp "$classes:$(cat "$work/cp.txt")" \
    com.systemtrader.bus.KafkaTestBroker >"$work/launcher.out" 2>&1 &
  broker_pid=$!
  bootstrap=""
  for _ in $(seq 1 360); do
    bootstrap=$(sed -n 's/^bootstrap=//p' "$work/launcher.out")
    [ -n "$bootstrap" ] && break
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$bootstrap" ]; then
    echo "# the Kafka broker did not start:" >&2; tail -40 "$work/launcher.out" >&2; exit 1
  fi
  echo "# broker: Kafka $kafka_version KRaft (kafka_2.13 from Maven Central) at $bootstrap, $(sed -n 's/^log=//p' "$work/launcher.out")"
  args+=(--bootstrap "$bootstrap")
fi

waited=0
while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$load_max" 'BEGIN { exit !(l >= m) }' \
    && [ "$waited" -lt "$load_wait" ]; do
  sleep 5; waited=$((waited + 5))
done
echo "# bench-bus $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited} s for < $load_max)"
"${st[@]}" bench-bus "${args[@]}"
rc=$?
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
