#!/usr/bin/env bash
# The whole test suite: the Maven build of every module with every JUnit test (real sockets against the
# simulator), installed in the local Maven repository; then the library sample (samples/java-library: a project
# depending on core + polygon only, running the README's Java examples against the simulator); then the vendor-SDK
# conformance check (official Polygon and Alpaca JavaScript SDKs from npm against the simulator); then the Python
# client's pytest tests (clients/python/run-tests.sh: Debian's python3 against the simulator and the service). Exit
# status is non-zero when any fails.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=jdk.sh
. "$here/scripts/jdk.sh"
st_find_jdk || exit 1
command -v mvn >/dev/null 2>&1 || { echo "test: Maven (mvn) is needed: apt-get install maven" >&2; exit 1; }
cd "$here"
echo "test: JDK $JAVA_HOME"
# promtool (Debian's prometheus package) for the metrics lint test; that test is skipped, saying why, without it
if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus) >/dev/null 2>&1 \
    || echo "test: could not install promtool (Debian's prometheus package); its test will be skipped"
fi

# Chromium (Debian's) and playwright-core (pinned in app/src/test/browser/package-lock.json) for the dashboard's
# browser test, DashboardBrowserTest, which is skipped, saying so, without node or chromium
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
    || echo "test: could not install chromium; the dashboard's browser test will be skipped"
fi
if command -v npm >/dev/null 2>&1; then
  (cd app/src/test/browser && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1) \
    || echo "test: npm ci in app/src/test/browser failed; DashboardBrowserTest will try again and say why"
fi

mvn -B -ntp install
maven_rc=$?
sample_rc=1
if [ "$maven_rc" -eq 0 ]; then
  touch app/target/.build-stamp
  bash "$here/samples/java-library/run.sh"
  sample_rc=$?
fi

bash "$here/conformance/run.sh"
conformance_rc=$?

python_rc=1
if [ "$maven_rc" -eq 0 ]; then
  bash "$here/clients/python/run-tests.sh"
  python_rc=$?
else
  echo "test: Python client tests not run (the Maven build failed)"
fi

if [ "$maven_rc" -ne 0 ] || [ "$sample_rc" -ne 0 ] || [ "$conformance_rc" -ne 0 ] || [ "$python_rc" -ne 0 ]; then
  echo "test: FAILED (maven exit $maven_rc, sample exit $sample_rc, conformance exit $conformance_rc, python exit $python_rc)"
  exit 1
fi
