#!/usr/bin/env bash
# Sourced by the benchmark scripts: starts a local single-node KRaft broker from the Maven Central artifacts
# (kafka_2.13, the version of the root pom's kafka.version) as the tests start it (KafkaTestBroker on the test
# classpath; the flags of Kafka's own kafka-server-start.sh: 1 GB heap, G1) in a temporary directory, for
# scripts/bench-bus.sh and scripts/bench-service.sh. Needs $here (the repository), $JAVA_HOME and the array mvn_args.
#   st_start_local_broker: sets $broker_bootstrap, $broker_pid, $broker_work; returns 1 when the broker did not start
#   st_stop_local_broker:  stops it (its shutdown hook stops the broker and deletes its directory)
broker_pid=""
broker_work=""
broker_bootstrap=""

st_start_local_broker() {
  local classes="$here/app/target/test-classes"
  if [ ! -f "$classes/com/systemtrader/bus/KafkaTestBroker.class" ]; then
    echo "# compiling the test classes (KafkaTestBroker)" >&2
    (cd "$here" && mvn -q -B "${mvn_args[@]}" -DskipTests package) || { echo "# build FAILED" >&2; return 1; }
  fi
  local kafka_version parent_version
  kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml" | head -1)
  parent_version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)
  broker_work="$(mktemp -d "${TMPDIR:-/tmp}/local-broker.XXXXXX")"
  cat > "$broker_work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.systemtrader</groupId><artifactId>system-trader-parent</artifactId>
    <version>$parent_version</version><relativePath>$here/pom.xml</relativePath></parent>
  <artifactId>local-broker</artifactId>
  <dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId></dependency></dependencies>
</project>
POM
  (cd "$broker_work" && mvn -q -B "${mvn_args[@]}" dependency:build-classpath -Dmdep.outputFile="$broker_work/cp.txt") \
    >"$broker_work/mvn.log" 2>&1 || { echo "# resolving kafka_2.13 $kafka_version FAILED:" >&2; tail -20 "$broker_work/mvn.log" >&2; return 1; }
  "$JAVA_HOME/bin/java" -Xmx64m -XX:+UseSerialGC -cp "$classes:$(cat "$broker_work/cp.txt")" \
    com.systemtrader.bus.KafkaTestBroker >"$broker_work/launcher.out" 2>&1 &
  broker_pid=$!
  for _ in $(seq 1 360); do
    broker_bootstrap=$(sed -n 's/^bootstrap=//p' "$broker_work/launcher.out")
    [ -n "$broker_bootstrap" ] && break
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$broker_bootstrap" ]; then
    echo "# the Kafka broker did not start:" >&2; tail -40 "$broker_work/launcher.out" >&2; return 1
  fi
  echo "# broker: Kafka $kafka_version KRaft (kafka_2.13 from Maven Central) at $broker_bootstrap, $(sed -n 's/^log=//p' "$broker_work/launcher.out")"
}

st_stop_local_broker() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill "$broker_pid" 2>/dev/null
    wait "$broker_pid" 2>/dev/null
  fi
  [ -n "$broker_work" ] && rm -rf "$broker_work"
  broker_pid=""
}
