#!/usr/bin/env bash
# bench/hash_speed.sh - runs bench/HashSpeed.java (single-thread MB/s of SHA-256, XXH3-128, XXH3-64, CRC32C on
# 1 MiB chunks; SHA-256 and XXH3-128 also on 64 KiB and 4 KiB chunks) on a JDK >= 25 and saves the output to
# bench/results-hash-speed.txt (RESULTS=path overrides). Arguments go to HashSpeed.java:
#   [bufferMiB=256] [rounds=2] [passesPerRound=6] [warmupPasses=3]      e.g. ./hash_speed.sh 64 1 3 1 (smoke test)
# Needs: a JDK >= 25 (bin/lib/jdk.sh finds it), the hash4j jar in the local Maven repository (~/.m2; if it is not
# there, Maven resolves it via `mvn dependency:build-classpath` in daemon/, which needs network access once).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$BENCH_DIR/../bin/lib/jdk.sh"
find_jdk

# hash4j: the version pinned in the root pom, from ~/.m2, else from Maven's resolved classpath of daemon/
ver=$(sed -n 's:.*<hash4j.version>\(.*\)</hash4j.version>.*:\1:p' "$FERRY_ROOT/pom.xml" | head -1)
repo="${M2_REPO:-$HOME/.m2/repository}"
jar="$repo/com/dynatrace/hash4j/hash4j/${ver:-0.25.0}/hash4j-${ver:-0.25.0}.jar"
if [ ! -f "$jar" ]; then
  command -v mvn >/dev/null 2>&1 || { echo "hash_speed: $jar not found and mvn is not installed (apt-get install -y maven)" >&2; exit 1; }
  ferry_maven_opts
  cp_file=$(mktemp)
  (cd "$FERRY_ROOT/daemon" && mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2)
  jar=$(tr ':' '\n' < "$cp_file" | grep -m1 '/hash4j-[0-9][^/]*\.jar$' || true)
  rm -f "$cp_file"
  [ -n "$jar" ] && [ -f "$jar" ] || { echo "hash_speed: could not find the hash4j jar via Maven" >&2; exit 1; }
fi

out="${RESULTS:-$BENCH_DIR/results-hash-speed.txt}"
{
  echo "# hash-speed - $(date -u +%Y-%m-%dT%H:%M:%SZ) - nproc $(nproc) - CPU $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: *//') - $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p) - kernel $(uname -r)"
  echo "# $JAVA_HOME/bin/java -cp $jar bench/HashSpeed.java $*"
  "$JAVA_HOME/bin/java" -cp "$jar" "$BENCH_DIR/HashSpeed.java" "$@"
} 2>&1 | tee "$out"
echo "# saved to $out" >&2
