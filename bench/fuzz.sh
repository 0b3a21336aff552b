#!/usr/bin/env bash
# bench/fuzz.sh - the fuzz tests (FrameDecoderFuzzTest, ReceiverSessionFuzzTest) for longer than CI runs them, with
# other seeds. CI runs 50,000 decoder cases and 10,000 session cases with seed 14; this runs what you ask:
#   bench/fuzz.sh [decoderCases=1000000] [sessionCases=100000] [seed=15]
# and prints each test's summary line (cases, frames decoded, refusals, ...). A failure names its case number and
# seed; add the case to receive/FuzzFindingsTest (or wire/WireBoundsTest) as a regression test once it is fixed.
# Needs: a JDK >= 25 (bin/lib/jdk.sh finds it) and Maven; runs offline (-o) when the dependencies are in ~/.m2.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$BENCH_DIR/../bin/lib/jdk.sh"
find_jdk
ferry_maven_opts
export JAVA_HOME MAVEN_OPTS
decoder=${1:-1000000}
sessions=${2:-100000}
seed=${3:-15}
cd "$FERRY_ROOT"
status=0
mvn -B -ntp -o -q -pl daemon -am test -Dtest='FrameDecoderFuzzTest,ReceiverSessionFuzzTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dferry.fuzz.cases="$decoder" -Dferry.fuzz.sessions="$sessions" \
  -Dferry.fuzz.seed="$seed" >&2 || status=$?
grep -h 'fuzz:' daemon/target/surefire-reports/*FuzzTest-output.txt || true
grep -h 'Tests run' daemon/target/surefire-reports/*FuzzTest.txt || true
exit "$status"
