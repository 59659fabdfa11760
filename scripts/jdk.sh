# Sourced by ./system-trader and .ci/run. Exports JAVA_HOME pointing at a JDK 21 or newer,
# or prints one clear line and returns 1 when this machine has none.
# Order: $JAVA_HOME, java on PATH, then /usr/lib/jvm/* and ~/.sdkman (newest first).
st_java_major() {  # prints the major version of the java binary given, or nothing
  # The JDK's release file answers without starting a JVM (about 0.1 s per candidate saved on every launch).
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$release" | head -1)
    case "$v" in 1.*) v=${v#1.} ;; esac
    if [ -n "$v" ]; then echo "${v%%.*}"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
st_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ "$HOME"/.sdkman/candidates/java/*/ 2>/dev/null | sort -rV); do
    candidates+=("${c%/}")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(st_java_major "$c/bin/java")
    major=${major#1.}
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "system-trader: no JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk, or set JAVA_HOME" >&2
  return 1
}
