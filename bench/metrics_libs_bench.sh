#!/usr/bin/env bash
# bench/metrics_libs_bench.sh - the metrics library choice (issue 13 item 5): start-up cost and footprint of
# serving ~20 callback metrics over HTTP with each candidate, measured on a throwaway main per candidate:
#   prometheus : the official Prometheus Java client 1.10.0, prometheus-metrics-core (CounterWithCallback,
#                GaugeWithCallback) + prometheus-metrics-exporter-httpserver, every transitive jar
#                (bench/metrics-libs/prometheus/PromBench.java)
#   prom-lean  : the same client without core/tracer and without exposition-formats (its shaded protobuf, loaded
#                only when a scraper asks for protobuf): model + exposition-textformats + config + exporter-common +
#                exporter-httpserver; one MultiCollector builds the snapshots per scrape, the way ferry exports
#                one DaemonStatus (bench/metrics-libs/prometheus/PromLeanBench.java)
#   micrometer : micrometer-registry-prometheus 1.17.2 with every transitive jar (FunctionCounter, Gauge), served
#                by the JDK's HttpServer as Micrometer has none (bench/metrics-libs/micrometer/MicrometerBench.java)
# Each: 10 counters + 10 gauges, 2 labelled series each, GET /metrics on 127.0.0.1:$PORT.
# Per run: JVM launch -> first 200 answer of `curl /metrics` (curl retried every 5 ms; JVM start included), then
# VmRSS of the JVM right after that scrape. Jar bytes: the candidate's jars (all transitive dependencies). Runs are
# interleaved (a round runs each candidate once, in a new shuffled order); medians over RUNS rounds.
# JVM flags: bin/lib/jdk.sh's FERRY_JVM_FLAGS (as bin/ferry runs the daemon), no AOT cache.
# Knobs: RUNS [9]  PORT [19991]  RESULTS [bench/results-metrics-libs.txt]  BENCH_DATA [/tmp/ferry-bench]
# Needs: Maven (fetches the jars once, online), curl. Exit: 0 ok, 1 a run failed, 2 missing tool.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
need curl mvn
find_jdk
RUNS="${RUNS:-9}"
PORT="${PORT:-19991}"
WORK="$BENCH_DATA/metrics-libs"
SRC="$BENCH_DIR/metrics-libs"

prepare() {
  local lib
  for lib in prometheus micrometer; do
    if [ ! -d "$WORK/$lib/lib" ]; then
      mvn -B -ntp -q -f "$SRC/$lib/pom.xml" dependency:copy-dependencies -DoutputDirectory="$WORK/$lib/lib" >&2
    fi
  done
  mkdir -p "$WORK/prom-lean/lib"
  for j in model exposition-textformats config exporter-common exporter-httpserver; do
    cp "$WORK/prometheus/lib/prometheus-metrics-$j-"*.jar "$WORK/prom-lean/lib/"
  done
  "$JAVA_HOME/bin/javac" -d "$WORK/prometheus/classes" -cp "$WORK/prometheus/lib/*" "$SRC/prometheus/PromBench.java"
  "$JAVA_HOME/bin/javac" -d "$WORK/prom-lean/classes" -cp "$WORK/prom-lean/lib/*" "$SRC/prometheus/PromLeanBench.java"
  "$JAVA_HOME/bin/javac" -d "$WORK/micrometer/classes" -cp "$WORK/micrometer/lib/*" "$SRC/micrometer/MicrometerBench.java"
}

main_class() { case $1 in prometheus) echo PromBench ;; prom-lean) echo PromLeanBench ;; micrometer) echo MicrometerBench ;; esac; }

# run_one CANDIDATE : prints "SECONDS RSS_KIB"
run_one() {
  local c=$1 t0 t1 pid rss deadline
  t0=$(now)
  "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -cp "$WORK/$c/classes:$WORK/$c/lib/*" "$(main_class "$c")" "$PORT" >/dev/null &
  pid=$!
  deadline=$(( $(date +%s) + 30 ))
  until curl -sf -o "$WORK/$c.scrape" "http://127.0.0.1:$PORT/metrics"; do
    [ "$(date +%s)" -lt "$deadline" ] || { kill "$pid"; die "$c: no answer in 30 s"; }
    sleep 0.005
  done
  t1=$(now)
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  grep -q '^bench_gauge_9{target="b"} 43' "$WORK/$c.scrape" || die "$c: unexpected scrape"
  echo "$(elapsed "$t0" "$t1") $rss"
}

prepare
tee_results metrics-libs
echo "# RUNS=$RUNS, interleaved, shuffled per round; JVM flags: ${FERRY_JVM_FLAGS[*]}"
CANDS=(prometheus prom-lean micrometer)
for c in "${CANDS[@]}"; do
  bytes=$(du -cb "$WORK/$c/lib/"*.jar | tail -1 | cut -f1)
  echo "jars $c: $(ls "$WORK/$c/lib" | wc -l) jars, $bytes bytes: $(ls "$WORK/$c/lib" | tr '\n' ' ')"
  : > "$WORK/$c.times"
done
for c in "${CANDS[@]}"; do run_one "$c" >/dev/null; done     # warm-up round (page cache), not counted
for r in $(seq 1 "$RUNS"); do
  for c in $(printf '%s\n' "${CANDS[@]}" | shuf); do
    res=$(run_one "$c"); echo "round $r $c: $res s KiB"; echo "$res" >> "$WORK/$c.times"
  done
done
for c in "${CANDS[@]}"; do
  cut -d' ' -f1 "$WORK/$c.times" | summary "$c first-scrape"
  echo "RESULT $c RSS after scrape: median=$(cut -d' ' -f2 "$WORK/$c.times" | median | awk '{printf "%.1f", $1/1024}') MiB"
done
