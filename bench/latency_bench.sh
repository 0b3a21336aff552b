#!/usr/bin/env bash
# bench/latency_bench.sh - change latency: a small file written into a watched source folder, until the complete
# file is in the target; ferry daemon vs lsyncd (delay = 0), in the same run, over 127.0.0.1.
#
#   bench/latency_bench.sh          COUNT=200 files per tool (+5 untimed warm-up) -> bench/results-latency_bench.txt
#   bench/latency_bench.sh --quick  COUNT=30 (smoke test)                         -> bench/results-latency_bench-quick.txt
#
#   ferry : receiver `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder lat=$DST --token-file $TOKEN`, then
#           `ferry daemon --config $BENCH_DATA/lat/ferry/ferry.yaml` (one sync pair SRC -> ferry://127.0.0.1:$FERRY_PORT/lat,
#           state dir $BENCH_DATA/lat/ferry/state). Both run the jar directly (lib.sh ferry_prepare). Ready when the
#           daemon logs "sync ready pair=..." and a marker file written into SRC has arrived.
#   lsyncd: an rsync daemon on 127.0.0.1:$RSYNC_PORT (module lat -> DST) and `lsyncd -log Exec CONF` with
#           sync { default.rsync, source = SRC, target = "rsync://127.0.0.1:$RSYNC_PORT/lat/", delay = 0 }
#           (lsyncd's own default is delay = 15 s). Ready when its startup rsync is done and the marker has arrived.
#   Each tool gets fresh SRC/DST/state directories ($BENCH_DATA/lat/<tool>/...), is started, awaited, probed by
#   bench/LatencyProbe.java (write -> complete content visible in DST, WatchService on DST + 1 ms poll fallback,
#   random 50-100 ms pause between files), stopped by PID. Per-file lines: $BENCH_DATA/logs/latency-<tool>-r<N>.log.
#
# Knobs (environment): COUNT [200] timed files per tool and round   WARMUP [5] untimed files first
#   BYTES [4096]   TOOLS ["ferry lsyncd"]   ROUNDS [1]: with N > 1 the tools alternate N times (ferry, lsyncd,
#   ferry, ...; each round a fresh start) and the RESULT per tool aggregates all rounds
#   GAP_MIN_MS [50] GAP_MAX_MS [100]  TIMEOUT_S [30] per file   READY_TIMEOUT_S [120] start-up wait per tool
#   FERRY_PORT [17878]  RSYNC_PORT [18730]  BENCH_DATA [/tmp/ferry-bench]  RESULTS [bench/results-latency_bench.txt]
#   FERRY_JAVA_OPTS [] extra JVM options (receiver and daemon)  FERRY_RECEIVE_OPTS [] / FERRY_DAEMON_OPTS [] extra flags
# Target (the issue): ferry p50 <= 10 ms and p95 <= 25 ms.
# Exit status: 0 ok (whether or not the target is met), 1 a tool did not start or files timed out, 2 missing tool/usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"   # sets QUICK; --help prints the header of this script
if [ "$QUICK" = 1 ]; then COUNT="${COUNT:-30}"; RESULTS="${RESULTS:-$BENCH_DIR/results-latency_bench-quick.txt}"; fi
COUNT="${COUNT:-200}"; WARMUP="${WARMUP:-5}"; BYTES="${BYTES:-4096}"; TOOLS="${TOOLS:-ferry lsyncd}"
ROUNDS="${ROUNDS:-1}"; GAP_MIN_MS="${GAP_MIN_MS:-50}"; GAP_MAX_MS="${GAP_MAX_MS:-100}"
TIMEOUT_S="${TIMEOUT_S:-30}"; READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
FERRY_PORT="${FERRY_PORT:-17878}"; RSYNC_PORT="${RSYNC_PORT:-18730}"
LAT="$BENCH_DATA/lat"; TOKEN="$BENCH_DATA/token-latency_bench"   # its own: push_bench.sh rewrites $BENCH_DATA/token on every start
PROBE_SRC="$BENCH_DIR/LatencyProbe.java"

has() { [[ " $TOOLS " == *" $1 "* ]]; }
for t in $TOOLS; do case $t in ferry|lsyncd) ;; *) echo "TOOLS: unknown tool '$t' (ferry, lsyncd)" >&2; exit 2 ;; esac; done
has lsyncd && need rsync lsyncd
bench_lock "latency_bench"                   # one benchmark at a time; then the ports, before anything is written
ports=(); if has ferry; then ports+=("$FERRY_PORT"); fi; if has lsyncd; then ports+=("$RSYNC_PORT"); fi
ports_free "${ports[@]}"
# JDK (the probe) + jar, before the results file is opened (build output stays out of it)
if has ferry; then ferry_prepare; else find_jdk; fi
# compile the probe once (untimed; the source launcher would recompile it for every tool)
mkdir -p "$BENCH_DATA/probe"
"$JAVA_HOME/bin/javac" -d "$BENCH_DATA/probe" "$PROBE_SRC" || die "cannot compile $PROBE_SRC"

tee_results "latency_bench$([ "$QUICK" = 1 ] && echo -quick)"
header_extra

cleanup() {
  stop_ferry_daemon 10
  stop_ferry_receiver
  stop_lsyncd
  stop_rsyncd
  empty_trash
}
trap cleanup EXIT
trap 'exit 130' INT TERM

new_token "$TOKEN"
echo "# $COUNT timed files of $BYTES B per tool and round (+$WARMUP untimed warm-up), pause ${GAP_MIN_MS}-${GAP_MAX_MS} ms;" \
     "rounds: $ROUNDS ($TOOLS)"
echo "# probe: $PROBE_SRC (t0 before open(CREATE_NEW), one write, close; done when DST/<name> has the full content;"
echo "#   WatchService on DST + 1 ms poll fallback); per-file lines in $LOGS/latency-<tool>-r<round>.log"
if has ferry; then
  echo "# ferry: jar $BENCH_DATA/ferry.jar (built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16))"
  echo "#   receiver: ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder lat=$LAT/ferry/dst --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
  echo "#   daemon:   ${FERRY_DAEMON_CMD[*]} daemon --config $LAT/ferry/ferry.yaml ${FERRY_DAEMON_OPTS:-}"
fi
if has lsyncd; then
  echo "# lsyncd: lsyncd -log Exec $LAT/lsyncd/lsyncd.conf.lua: default.rsync, delay = 0, target rsync://127.0.0.1:$RSYNC_PORT/lat/"
  echo "#   (rsync daemon: use chroot = no, uid/gid root, address 127.0.0.1; module lat -> $LAT/lsyncd/dst)"
fi
echo

FAILED=0
SAMPLES="$BENCH_DATA/lat-samples"; rm -rf "$SAMPLES"; mkdir -p "$SAMPLES"

# fresh_dirs TOOL : new empty src/dst/state for TOOL (the old ones renamed into the trash and deleted)
fresh_dirs() {
  local d="$LAT/$1"
  move_aside "$d"; empty_trash
  mkdir -p "$d/src" "$d/dst" "$d/state"
}

# marker SRC DST WHAT : writes a marker file into SRC and waits for it in DST (proves the tool is live)
marker() {
  local m="ready-$RANDOM$RANDOM.txt" t0 t1
  t0=$(now)
  echo "$m" > "$1/$m"
  if ! wait_file "$2/$m" "$m" "$READY_TIMEOUT_S"; then log "$3: the marker file did not arrive within $READY_TIMEOUT_S s"; return 1; fi
  t1=$(now)
  echo "  $3: marker file arrived after $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)*1000}') ms"
}

# probe TOOL ROUND SRC DST : runs LatencyProbe, prints its RESULT/INFO lines (name TOOL, or TOOL-rN with ROUNDS > 1)
probe() {
  local tool=$1 r=$2 name=$1 rc=0 out
  [ "$ROUNDS" -gt 1 ] && name="$tool-r$r"
  out=$("$JAVA_HOME/bin/java" -cp "$BENCH_DATA/probe" LatencyProbe "$name" "$3" "$4" count="$COUNT" warmup="$WARMUP" \
        bytes="$BYTES" gap-min="$GAP_MIN_MS" gap-max="$GAP_MAX_MS" timeout-s="$TIMEOUT_S" \
        log="$LOGS/latency-$tool-r$r.log" samples="$SAMPLES/samples-$tool-r$r") || rc=$?
  sed 's/^/  /' <<< "$out"
  grep -q "^RESULT" <<< "$out" || { echo "  FAIL: the probe printed no RESULT (status $rc)"; FAILED=1; return 1; }
  sed -nE 's/^RESULT .* timeouts=([0-9]+).*/\1/p' <<< "$out" >> "$SAMPLES/timeouts-$tool"
  grep "^RESULT" <<< "$out" > "$SAMPLES/result-$tool-r$r"
  if [ "$rc" != 0 ]; then echo "  FAIL: $tool: files timed out (probe status $rc; see $LOGS/latency-$tool-r$r.log)"; FAILED=1; fi
}

run_ferry() {
  local r=$1 d="$LAT/ferry" t0
  fresh_dirs ferry
  write_ferry_sync_conf "$d/ferry.yaml" "$d/state" "$d/src" "ferry://127.0.0.1:$FERRY_PORT/lat" "$TOKEN"
  echo "## ferry, round $r/$ROUNDS"
  start_ferry_receiver "$FERRY_PORT" "$TOKEN" "lat=$d/dst"
  t0=$(now)
  start_ferry_daemon "$d/ferry.yaml" "$LOGS/ferry-daemon-lat.log"
  if ! wait_log "$LOGS/ferry-daemon-lat.log" "$FERRY_READY_RE" "$FERRY_DAEMON_PID" "$READY_TIMEOUT_S" "ferry daemon"; then
    echo "  FAIL: ferry daemon not ready (log $LOGS/ferry-daemon-lat.log):"; tail -20 "$LOGS/ferry-daemon-lat.log" | sed 's/^/    | /'
    FAILED=1; stop_ferry_daemon 10; stop_ferry_receiver; return 1
  fi
  echo "  ferry daemon pid $FERRY_DAEMON_PID: 'sync ready' $(elapsed "$t0" "$WAIT_T") s after launch"
  if marker "$d/src" "$d/dst" "ferry"; then
    probe ferry "$r" "$d/src" "$d/dst" || true
  else
    FAILED=1
  fi
  kill -0 "$FERRY_DAEMON_PID" 2>/dev/null || { echo "  FAIL: the ferry daemon died during the run (log $LOGS/ferry-daemon-lat.log)"; FAILED=1; }
  stop_ferry_daemon 10
  stop_ferry_receiver
  grep -E ' (WARN|ERROR) ' "$LOGS/ferry-daemon-lat.log" | head -5 | sed 's/^/  daemon log: /' || true
}

run_lsyncd() {
  local r=$1 d="$LAT/lsyncd" t0
  fresh_dirs lsyncd
  echo "## lsyncd, round $r/$ROUNDS"
  start_rsyncd "$RSYNC_PORT" lat "$d/dst"
  write_lsyncd_conf "$d/lsyncd.conf.lua" "$d/src" "rsync://127.0.0.1:$RSYNC_PORT/lat/" "$LOGS/lsyncd-lat.log" "    delay  = 0,"
  rm -f "$LOGS/lsyncd-lat.log"
  t0=$(now)
  start_lsyncd "$d/lsyncd.conf.lua" "$LOGS/lsyncd-lat.out" -log Exec
  if ! wait_log "$LOGS/lsyncd-lat.out" 'Startup of .* finished' "$LSYNCD_PID" "$READY_TIMEOUT_S" "lsyncd"; then
    echo "  FAIL: lsyncd not ready (log $LOGS/lsyncd-lat.out):"; tail -20 "$LOGS/lsyncd-lat.out" | sed 's/^/    | /'
    FAILED=1; stop_lsyncd; stop_rsyncd; return 1
  fi
  echo "  lsyncd pid $LSYNCD_PID: startup rsync finished $(elapsed "$t0" "$WAIT_T") s after launch"
  if marker "$d/src" "$d/dst" "lsyncd"; then
    probe lsyncd "$r" "$d/src" "$d/dst" || true
  else
    FAILED=1
  fi
  kill -0 "$LSYNCD_PID" 2>/dev/null || { echo "  FAIL: lsyncd died during the run (log $LOGS/lsyncd-lat.out)"; FAILED=1; }
  echo "  lsyncd spawned rsync $(grep -c 'Exec: .*rsync' "$LOGS/lsyncd-lat.out" || true) times for $((COUNT + WARMUP + 1)) files" \
       "(commands: $LOGS/lsyncd-lat.out)"
  stop_lsyncd
  stop_rsyncd
}

for ((r = 1; r <= ROUNDS; r++)); do
  for t in $TOOLS; do
    "run_$t" "$r" || true
    echo
  done
done

# aggregate (ROUNDS > 1) and the summary table
declare -A P50 P95 MAX
for t in $TOOLS; do
  if [ "$ROUNDS" -gt 1 ]; then
    cat "$SAMPLES/samples-$t-r"* 2>/dev/null | latency_stats "$t" "$(awk '{s+=$1} END{print s+0}' "$SAMPLES/timeouts-$t" 2>/dev/null || echo 0)"
  fi
done | tee "$SAMPLES/aggregate"
for t in $TOOLS; do
  line=$(grep -h "^RESULT $t latency_ms" "$SAMPLES/aggregate" 2>/dev/null || true)
  [ -z "$line" ] && line=$(cat "$SAMPLES/result-$t-r1" 2>/dev/null || true)   # ROUNDS=1: the probe's own line
  P50[$t]=$(result_field "$line" p50); P95[$t]=$(result_field "$line" p95); MAX[$t]=$(result_field "$line" max)
done
echo
echo "# change latency, ms (write of a $BYTES B file -> complete in the target; $COUNT x $ROUNDS samples per tool)"
printf '%-8s %8s %8s %8s\n' tool p50 p95 max
for t in $TOOLS; do printf '%-8s %8s %8s %8s\n' "$t" "${P50[$t]}" "${P95[$t]}" "${MAX[$t]}"; done
if has ferry; then
  verdict=$(awk -v a="${P50[ferry]}" -v b="${P95[ferry]}" 'BEGIN{ if (a == "nan" || b == "nan") print "NO DATA"; else if (a+0 <= 10 && b+0 <= 25) print "MET"; else print "NOT MET" }')
  echo "RESULT target ferry p50 <= 10 ms and p95 <= 25 ms: $verdict (p50=${P50[ferry]} p95=${P95[ferry]})"
fi
if has ferry && has lsyncd && [ "${P50[ferry]}" != nan ] && [ "${P50[lsyncd]}" != nan ]; then
  awk -v f="${P50[ferry]}" -v l="${P50[lsyncd]}" 'BEGIN{printf "RESULT ratio p50 ferry/lsyncd (same run) = %.2f\n", f/l}'
fi
echo "# load after: $(uptime | sed 's/.*load average://')"
if [ "$FAILED" != 0 ]; then echo "FAIL: a tool did not start or files timed out (see above)"; exit 1; fi
