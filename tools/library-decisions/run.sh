#!/usr/bin/env bash
# Runs one measurement class in a fresh JVM: ./run.sh CLASS ARGS...
# Build first: `mvn install -DskipTests` at the repository root (system-trader-core into the local Maven
# repository), then `mvn -B -ntp -q package` here. The measurements and their results: docs/PERFORMANCE.md,
# "Libraries against the hand-written pieces".
set -euo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../../scripts/jdk.sh
. "$H/../../scripts/jdk.sh"
st_find_jdk || exit 1
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$H/target/classes:$(cat "$H/target/cp.txt")" "$@"
