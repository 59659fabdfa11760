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

# shellcheck source=scripts/local-broker.sh
. "$here/scripts/local-broker.sh"
trap st_stop_local_broker EXIT
trap 'exit 130' INT TERM

if [ "$has_bootstrap" = 0 ]; then
  st_start_local_broker || exit 1
  args+=(--bootstrap "$broker_bootstrap")
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
