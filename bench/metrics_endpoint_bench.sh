#!/usr/bin/env bash
# bench/metrics_endpoint_bench.sh - what the metrics endpoint costs a running ferry daemon (issue 13 item 5):
# the same daemon (a receiver with one folder and one pair pushing FILES small files to it, over 127.0.0.1) started
# with and without `metrics: 127.0.0.1:$METRICS_PORT`, interleaved (each round in a new shuffled order):
#   start     : launch (JVM start included) -> the log line "daemon running:" (without metrics), or -> the line
#               "metrics endpoint listening" that follows it (with metrics; READY=1 waits for it too)
#   rss       : VmRSS IDLE_S seconds after "daemon running" (with metrics: after one scrape, so its classes are in)
#   scrape    : with metrics only: `curl /metrics` time_total of the first scrape, and the median of SCRAPES more
#   size      : bytes of one scrape
#   endpoint  : with metrics only: from the log line "daemon running:" to "metrics endpoint listening" (their
#               timestamps): what starting the endpoint adds before READY=1
# Every process is stopped by the end (and by the trap). Knobs: RUNS [7]  FILES [100]  IDLE_S [3]  SCRAPES [20]
#   FERRY_PORT [17978]  METRICS_PORT [17979]  BENCH_DATA [/tmp/ferry-bench]  RESULTS [bench/results-metrics-endpoint.txt]
# Exit: 0 ok, 1 a run failed, 2 missing tool.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
need curl shuf
RUNS="${RUNS:-7}"; FILES="${FILES:-100}"; IDLE_S="${IDLE_S:-3}"; SCRAPES="${SCRAPES:-20}"
FERRY_PORT="${FERRY_PORT:-17978}"; METRICS_PORT="${METRICS_PORT:-17979}"
bench_lock metrics_endpoint_bench
ports_free "$FERRY_PORT" "$METRICS_PORT"
ferry_prepare
W="$BENCH_DATA/metrics-endpoint"
rm -rf "$W"; mkdir -p "$W/src" "$W/dst"
new_token "$W/token"
for i in $(seq 1 "$FILES"); do head -c 1000 /dev/urandom > "$W/src/f$i.bin"; done
trap 'stop_ferry_daemon 10 2>/dev/null || true' EXIT

conf() {   # conf NAME TOPLINE
  cat > "$W/$1.yaml" <<YAML
transport: plaintext
state-dir: $W/state
$2
receive:
  listen: 127.0.0.1:$FERRY_PORT
  token-file: $W/token
  folders:
    t:
      path: $W/dst
sync:
  - source: $W/src
    targets: [ "ferry://127.0.0.1:$FERRY_PORT/t" ]
    token-file: $W/token
YAML
}
conf off ""
conf on "metrics: 127.0.0.1:$METRICS_PORT"

scrape_s() { curl -sf -o "$W/scrape.txt" -w '%{time_total}' "http://127.0.0.1:$METRICS_PORT/metrics"; }

endpoint_ms() {   # endpoint_ms LOG : milliseconds between the two lines' ISO timestamps
  local a b
  a=$(grep -m1 'daemon running: ' "$1" | cut -d' ' -f1); b=$(grep -m1 'metrics endpoint listening' "$1" | cut -d' ' -f1)
  echo $(( $(date -d "$b" +%s%3N) - $(date -d "$a" +%s%3N) ))
}

run_one() {   # run_one off|on : prints "start_s rss_kib [first_scrape_s median_scrape_s bytes]"
  local c=$1 t0 start rss first med
  rm -f "$LOGS/metrics-$c.log"     # else the wait may see the last run's line before the shell truncates the file
  t0=$(now)
  start_ferry_daemon "$W/$c.yaml" "$LOGS/metrics-$c.log"
  local ready='daemon running: '
  [ "$c" = on ] && ready='metrics endpoint listening on '
  wait_log "$LOGS/metrics-$c.log" "$ready" "$FERRY_DAEMON_PID" 60 "daemon $c" || die "daemon $c did not start"
  start=$(elapsed "$t0" "$WAIT_T")
  if [ "$c" = on ]; then
    first=$(scrape_s)
    med=$(for i in $(seq 1 "$SCRAPES"); do scrape_s; echo; done | median)
  fi
  sleep "$IDLE_S"
  rss=$(proc_kib "$FERRY_DAEMON_PID" VmRSS)
  stop_ferry_daemon 30 2>/dev/null
  if [ "$c" = on ]; then
    echo "$start $rss $first $med $(wc -c < "$W/scrape.txt") $(endpoint_ms "$LOGS/metrics-$c.log")"
  else
    echo "$start $rss"
  fi
}

tee_results metrics-endpoint
echo "# RUNS=$RUNS FILES=$FILES IDLE_S=$IDLE_S SCRAPES=$SCRAPES; daemon: ${FERRY_CMD[*]}"
run_one off >/dev/null; run_one on >/dev/null    # warm-up (page cache, the first full sync), not counted
: > "$W/off.times"; : > "$W/on.times"
for r in $(seq 1 "$RUNS"); do
  for c in $(printf 'off\non\n' | shuf); do
    res=$(run_one "$c"); echo "round $r metrics-$c: $res"; echo "$res" >> "$W/$c.times"
  done
done
for c in off on; do
  cut -d' ' -f1 "$W/$c.times" | summary "metrics-$c start (launch -> daemon running / metrics endpoint listening)"
  echo "RESULT metrics-$c idle RSS: median=$(cut -d' ' -f2 "$W/$c.times" | median | awk '{printf "%.1f", $1/1024}') MiB"
done
echo "RESULT metrics-on first scrape: median=$(cut -d' ' -f3 "$W/on.times" | median | awk '{printf "%.1f", $1*1000}') ms;" \
     "later scrapes: median=$(cut -d' ' -f4 "$W/on.times" | median | awk '{printf "%.2f", $1*1000}') ms;" \
     "size $(cut -d' ' -f5 "$W/on.times" | median | awk '{printf "%d", $1}') bytes;" \
     "endpoint start (daemon running -> endpoint listening): median=$(cut -d' ' -f6 "$W/on.times" | median | awk '{printf "%d", $1}') ms"
