#!/usr/bin/env bash
# The Python client's tests (clients/python/tests): pytest with Debian's own python3 (/usr/bin/python3, not a pyenv
# or venv python3 first on PATH), which has python3-pandas, -requests, -redis and -pytest; as root it installs
# them when they are missing. The tests start the simulator and the service through ../../system-trader and use
# the PostgreSQL on 127.0.0.1:5432 (user postgres) and the Redis on 127.0.0.1:6379. Extra arguments go to pytest.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import pandas, requests, redis, pytest' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "python-client: installing python3-pandas python3-requests python3-redis python3-pytest"
    (apt-get update -qq && apt-get install -y -qq python3-pandas python3-requests python3-redis python3-pytest) \
      >/dev/null 2>&1 || { echo "python-client: apt-get install failed" >&2; exit 1; }
  else
    echo "python-client: $py lacks pandas, requests, redis or pytest; as root: apt-get install python3-pandas" \
      "python3-requests python3-redis python3-pytest" >&2
    exit 1
  fi
fi
cd "$here" && exec "$py" -m pytest -q -p no:cacheprovider tests "$@"
