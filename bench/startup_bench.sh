#!/usr/bin/env bash
# bench/startup_bench.sh - start-up of a sync daemon on a big tree (default 100,000 files of 1 KiB in 10,000
# folders), ferry daemon vs lsyncd, over 127.0.0.1:
#   first start : empty target, empty state: from launching the daemon until it has sent everything
#   restart     : same tree, same state dir, target already in sync: until it is in sync again (nothing to
#                 hash or send: ferry's "(K hashed)" figure and files sent are reported and checked = 0)
#   idle RSS    : VmRSS (and VmHWM, the peak) of the daemon process IDLE_S seconds after it is in sync
#
#   ferry : receiver `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder startup=$TARGET_FERRY --token-file $TOKEN`
#           (started once, untimed); timed: `ferry daemon --config $SD/ferry.yaml` (one pair SRC ->
#           ferry://127.0.0.1:$FERRY_PORT/startup, state dir $SD/ferry-state) from launch (JVM start included) until
#           the log line "sync ready pair=... target=..." appears (polled every 20 ms). The log's "watching N
#           directories, indexed M files (K hashed) in T ms" and "elapsed=.. files=.." are reported too.
#   lsyncd: rsync daemon on 127.0.0.1:$RSYNC_PORT (module startup -> $TARGET_LSYNCD), `lsyncd -log Exec CONF` with
#           sync { default.rsync, source = SRC, target = "rsync://127.0.0.1:$RSYNC_PORT/startup/" }; timed from launch
#           until lsyncd logs "Startup of SRC -> TARGET finished." (its start-up adds a watch per directory, then
#           runs one `rsync -r --delete` of the whole tree; it has no state, so a restart is that same full rsync
#           against a target in sync). The target's file count is checked afterwards.
#   floor : bench/RestartFloor.java, the least a JVM program does to restart on a known tree (restarts only): a
#           WatchService watch on every directory, each before it is listed, one lstat per entry compared with the
#           list (path, size, mtime) its untimed `save` run wrote after the first starts; timed from launch (JVM start
#           included, FERRY_JVM_FLAGS) until it prints "RestartFloor: 0 changed ..."; idle RSS read as for the others.
# Order: ferry first start, lsyncd first start, then the restarts alternate (ferry, lsyncd, floor, ferry, ...).
# Test data (generated once, kept across runs): $BENCH_DATA/startup/src/gNNN/dNN/fNN.bin, DIRS leaf folders
# (100 per gNNN group) x FILES_PER_DIR files x FILE_BYTES random bytes (python3, ~1 min for 100k files).
# Targets and ferry's state are deleted at the end (KEEP=1 keeps them; SKIP_FIRST=1 then reuses them and only
# runs the restarts). Every wait is bounded by WAIT_TIMEOUT_S; the trap stops every process started here.
#
# Knobs (environment): DIRS [10000]  FILES_PER_DIR [10]  FILE_BYTES [1024]  RESTART_RUNS [3]  TOOLS ["ferry lsyncd floor"]
#   IDLE_S [5]  WAIT_TIMEOUT_S [600] per wait  FIRST_TIMEOUT_S [1800] for ferry's first start (it sends 100k files;
#   the receiver fsyncs each by default)  PROGRESS_S [60] print the target's file count while a first start runs
#   COLD [0] (1: sync + drop_caches before every timed start; 0: the source tree is read into the page cache before each)  KEEP [0]  SKIP_FIRST [0]
#   FERRY_PORT [17878]  RSYNC_PORT [18730]  BENCH_DATA [/tmp/ferry-bench]  RESULTS [bench/results-startup_bench.txt]
#   FERRY_JAVA_OPTS [] extra JVM options (receiver and daemon)  FERRY_RECEIVE_OPTS [] / FERRY_DAEMON_OPTS [] extra flags
# Exit status: 0 ok, 1 a start failed / timed out / a check failed, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_no_args "$@"   # --help prints the header of this script
DIRS="${DIRS:-10000}"; FILES_PER_DIR="${FILES_PER_DIR:-10}"; FILE_BYTES="${FILE_BYTES:-1024}"
RESTART_RUNS="${RESTART_RUNS:-3}"; TOOLS="${TOOLS:-ferry lsyncd floor}"; IDLE_S="${IDLE_S:-5}"
WAIT_TIMEOUT_S="${WAIT_TIMEOUT_S:-600}"; FIRST_TIMEOUT_S="${FIRST_TIMEOUT_S:-1800}"; PROGRESS_S="${PROGRESS_S:-60}"; COLD="${COLD:-0}"; KEEP="${KEEP:-0}"; SKIP_FIRST="${SKIP_FIRST:-0}"
FERRY_PORT="${FERRY_PORT:-17878}"; RSYNC_PORT="${RSYNC_PORT:-18730}"
SD="$BENCH_DATA/startup"; SRC="$SD/src"; TOKEN="$BENCH_DATA/token-startup_bench"   # its own: push_bench.sh rewrites $BENCH_DATA/token on every start
TARGET_FERRY="$SD/target-ferry"; STATE_FERRY="$SD/ferry-state"; TARGET_LSYNCD="$SD/target-lsyncd"
NFILES=$((DIRS * FILES_PER_DIR))

has() { [[ " $TOOLS " == *" $1 "* ]]; }
for t in $TOOLS; do case $t in ferry|lsyncd|floor) ;; *) echo "TOOLS: unknown tool '$t' (ferry, lsyncd, floor)" >&2; exit 2 ;; esac; done
need python3
has lsyncd && need rsync lsyncd
bench_lock "startup_bench"                   # one benchmark at a time; then the ports, before anything is written
ports=(); if has ferry; then ports+=("$FERRY_PORT"); fi; if has lsyncd; then ports+=("$RSYNC_PORT"); fi
ports_free "${ports[@]}"
if has ferry; then ferry_prepare; else find_jdk; fi    # before the results file is opened (build output stays out)
FLOOR_CLASSES="$BENCH_DATA/restartfloor"; FLOOR_LIST="$SD/floor.list"
if has floor; then
  rm -rf "$FLOOR_CLASSES"; mkdir -p "$FLOOR_CLASSES"
  "$JAVA_HOME/bin/javac" -d "$FLOOR_CLASSES" "$BENCH_DIR/RestartFloor.java" || die "cannot compile RestartFloor.java"
fi

tee_results startup_bench
header_extra

cleanup() {
  stop_ferry_daemon 60
  stop_ferry_receiver
  stop_lsyncd
  stop_floor
  stop_rsyncd
  if [ "$KEEP" != 1 ]; then
    log "deleting the targets and ferry's state (KEEP=1 keeps them)"
    move_aside "$TARGET_FERRY"; move_aside "$STATE_FERRY"; move_aside "$TARGET_LSYNCD"
  fi
  empty_trash
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- test data ------------------------------------------------------------------------------------------
PARAMS="$DIRS $FILES_PER_DIR $FILE_BYTES"
if [ "$(cat "$SD/src.params" 2>/dev/null)" != "$PARAMS" ] || [ ! -d "$SRC" ]; then
  log "generating $SRC: $DIRS folders x $FILES_PER_DIR files x $FILE_BYTES B (random)"
  move_aside "$SRC"; move_aside "$SRC.tmp"; rm -f "$SD/src.params"; empty_trash
  mkdir -p "$SD"
  t0=$(now)
  python3 - "$SRC.tmp" "$DIRS" "$FILES_PER_DIR" "$FILE_BYTES" <<'PY'
import os, sys
root, dirs, files, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for i in range(dirs):
    d = os.path.join(root, "g%03d" % (i // 100), "d%02d" % (i % 100))
    os.makedirs(d)
    buf = os.urandom(size * files)
    for j in range(files):
        with open(os.path.join(d, "f%02d.bin" % j), "wb") as f:
            f.write(buf[j * size:(j + 1) * size])
PY
  mv "$SRC.tmp" "$SRC"
  sync
  echo "$PARAMS" > "$SD/src.params"
  log "generated in $(elapsed "$t0" "$(now)") s"
fi
NDIRS_ALL=$(find "$SRC" -type d | wc -l)
WATCHES=$(cat /proc/sys/fs/inotify/max_user_watches)
echo "# tree: $SRC: $NFILES files of $FILE_BYTES B in $DIRS leaf folders ($NDIRS_ALL directories in all, root included)"
echo "# inotify: max_user_watches = $WATCHES (each daemon needs one watch per directory: $NDIRS_ALL)"
[ "$WATCHES" -ge "$NDIRS_ALL" ] || echo "WARNING: max_user_watches < $NDIRS_ALL: the daemons cannot watch the whole tree (sysctl fs.inotify.max_user_watches=...)"
echo "# first start x1 per tool, restart x$RESTART_RUNS per tool (alternating), idle RSS read ${IDLE_S} s after in sync;" \
     "page cache: $([ "$COLD" = 1 ] && echo 'dropped before every timed start (COLD=1)' || echo 'warm (COLD=0: the source tree is read before every timed start)')"
echo "# note: lsyncd is reported to take about an hour to start at 1.25M watched directories (lsyncd issue #263)"

FAILED=0
RUNS_DIR="$BENCH_DATA/startup-runs"; rm -rf "$RUNS_DIR"; mkdir -p "$RUNS_DIR"
fail() { echo "FAIL: $*"; FAILED=1; }

# untimed, right before each timed start. COLD=0 reads the whole source tree first: "warm" must hold for every tool
# (the tree outlives a run in $BENCH_DATA, and anything that dropped the caches since, e.g. resume_bench.sh CACHE=cold,
# left it on disk: the first tool to start then read 100k files from disk and the next found them cached; ferry's
# index took 46 s instead of ~7 s that way)
before_start() {
  sync
  if [ "$COLD" = 1 ]; then
    echo 3 > /proc/sys/vm/drop_caches
  else
    find "$SRC" -type f -print0 | xargs -0 cat > /dev/null
  fi
}

# count_files DIR : regular files under DIR
count_files() { find "$1" -type f | wc -l; }
# same_tree A B : no differing or missing file (content compared); prints the first differences
same_tree() {
  local out
  out=$(diff -rq -x .ferry "$1" "$2" 2>&1 | head -5 || true)
  [ -z "$out" ] && return 0
  sed 's/^/    diff: /' <<< "$out"; return 1
}

# --- ferry ----------------------------------------------------------------------------------------------
# (log_epoch and phases, where the time went: lib.sh)
# ferry_start KIND (first|restart) N : one timed start; appends to $RUNS_DIR/ferry-KIND: secs hashed files_sent rss_kib hwm_kib
ferry_start() {
  local kind=$1 n=$2 log="$LOGS/ferry-daemon-startup-$1-$2.log" t0 t_idx idx ready secs dirs files hashed idx_ms el sent chunks ops rss hwm to deadline
  before_start
  t0=$(now)
  start_ferry_daemon "$SD/ferry.yaml" "$log"
  if ! wait_log "$log" "$FERRY_INDEXED_RE" "$FERRY_DAEMON_PID" "$WAIT_TIMEOUT_S" "ferry daemon ($kind)"; then
    fail "ferry $kind $n: no 'indexed' line (log $log)"; tail -15 "$log" | sed 's/^/    | /'; stop_ferry_daemon 10; return 1
  fi
  t_idx=$WAIT_T; idx=$WAIT_LINE
  # wait for "sync ready"; a long first start prints the target's file count every PROGRESS_S
  to=$WAIT_TIMEOUT_S; [ "$kind" = first ] && to=$FIRST_TIMEOUT_S
  deadline=$((SECONDS + to - ${t_idx%.*} + ${t0%.*}))
  while ! wait_log "$log" "$FERRY_READY_RE" "$FERRY_DAEMON_PID" "$(( deadline - SECONDS < PROGRESS_S ? deadline - SECONDS : PROGRESS_S ))" "ferry daemon ($kind)" 1; do
    if grep -q 'AUTH_FAILED' "$log"; then    # permanent: a wrong token is not retried away
      fail "ferry $kind $n: the receiver refused the token (log $log)"; stop_ferry_daemon 10; return 1
    fi
    if ! kill -0 "$FERRY_DAEMON_PID" 2>/dev/null || ((SECONDS >= deadline)); then
      fail "ferry $kind $n: no 'sync ready' line within $to s of launch (log $log)"; tail -15 "$log" | sed 's/^/    | /'
      stop_ferry_daemon 10; return 1
    fi
    echo "    ... $(elapsed "$t0" "$(now)") s: $(count_files "$TARGET_FERRY") files in the target"
  done
  ready=$WAIT_LINE; secs=$(elapsed "$t0" "$WAIT_T")
  read -r dirs files hashed idx_ms < <(sed -nE 's/.*watching ([0-9]+) directories, indexed ([0-9]+) files \(([0-9]+) hashed\) in ([0-9]+) ms.*/\1 \2 \3 \4/p' <<< "$idx") || true
  read -r el chunks sent ops < <(sed -nE 's/.*elapsed=([0-9]+)ms chunks=([0-9]+) files=([0-9]+) ops=([0-9]+).*/\1 \2 \3 \4/p' <<< "$ready") || true
  sleep "$IDLE_S"
  rss=$(proc_kib "$FERRY_DAEMON_PID" VmRSS); hwm=$(proc_kib "$FERRY_DAEMON_PID" VmHWM)
  phases "$t0" "$log" "$idx" "$ready" "${idx_ms:-0}"
  printf '  ferry  %-7s %d: %8.3f s to "sync ready" (index line at %.3f s: watching %s dirs, indexed %s files, %s hashed, in %s ms;' \
    "$kind" "$n" "$secs" "$(elapsed "$t0" "$t_idx")" "${dirs:-?}" "${files:-?}" "${hashed:-?}" "${idx_ms:-?}"
  printf ' target elapsed=%s ms, files sent %s, chunks %s, ops %s); idle RSS %s MiB (peak %s MiB)\n' \
    "${el:-?}" "${sent:-?}" "${chunks:-?}" "${ops:-?}" "$(mib "$rss")" "$(mib "$hwm")"
  echo "           phases (from the log's timestamps): $PHASES"
  echo "$secs ${hashed:-nan} ${sent:-nan} $rss $hwm ${dirs:-nan}" >> "$RUNS_DIR/ferry-$kind"
  grep -E ' (WARN|ERROR) ' "$log" | head -3 | sed 's/^/    daemon log: /' || true
  stop_ferry_daemon 60
  if [ "$kind" = restart ] && { [ "${hashed:-x}" != 0 ] || [ "${sent:-x}" != 0 ]; }; then
    fail "ferry restart $n hashed ${hashed:-?} files and sent ${sent:-?} (expected 0 and 0)"
  fi
}

# --- lsyncd ---------------------------------------------------------------------------------------------
# lsyncd_start KIND N : one timed start; appends to $RUNS_DIR/lsyncd-KIND: secs rss_kib hwm_kib
lsyncd_start() {
  local kind=$1 n=$2 out="$LOGS/lsyncd-startup-$1-$2.out" t0 t_rs secs rss hwm nf
  rm -f "$LOGS/lsyncd-startup.log"
  before_start
  t0=$(now)
  start_lsyncd "$SD/lsyncd.conf.lua" "$out" -log Exec
  # lsyncd logs "recursive startup rsync: ..." once it has added its watches, right before spawning the rsync
  if ! wait_log "$out" 'recursive startup rsync' "$LSYNCD_PID" "$WAIT_TIMEOUT_S" "lsyncd ($kind)"; then
    fail "lsyncd $kind $n: no 'recursive startup rsync' line (log $out)"; tail -15 "$out" | sed 's/^/    | /'; stop_lsyncd; return 1
  fi
  t_rs=$WAIT_T
  if ! wait_log "$out" 'Startup of .* finished' "$LSYNCD_PID" "$WAIT_TIMEOUT_S" "lsyncd ($kind)"; then
    fail "lsyncd $kind $n: no 'Startup ... finished' line (log $out)"; tail -15 "$out" | sed 's/^/    | /'; stop_lsyncd; return 1
  fi
  secs=$(elapsed "$t0" "$WAIT_T")
  sleep "$IDLE_S"
  rss=$(proc_kib "$LSYNCD_PID" VmRSS); hwm=$(proc_kib "$LSYNCD_PID" VmHWM)
  nf=$(count_files "$TARGET_LSYNCD")
  printf '  lsyncd %-7s %d: %8.3f s to "Startup ... finished" (watches added, startup rsync spawned at %.3f s); target has %s files; idle RSS %s MiB (peak %s MiB)\n' \
    "$kind" "$n" "$secs" "$(elapsed "$t0" "$t_rs")" "$nf" "$(mib "$rss")" "$(mib "$hwm")"
  [ "$nf" = "$NFILES" ] || fail "lsyncd $kind $n: the target has $nf files, expected $NFILES"
  grep -E 'Error' "$out" | head -3 | sed 's/^/    lsyncd log: /' || true
  echo "$secs $rss $hwm" >> "$RUNS_DIR/lsyncd-$kind"
  stop_lsyncd
}

# --- floor ----------------------------------------------------------------------------------------------
FLOOR_PID=""
stop_floor() { stop_pid "$FLOOR_PID" "RestartFloor"; FLOOR_PID=""; }
# floor_start N : one timed restart of bench/RestartFloor.java; appends to $RUNS_DIR/floor-restart: secs rss_kib hwm_kib
floor_start() {
  local n=$1 out="$LOGS/floor-restart-$1.out" t0 secs rss hwm changed
  before_start
  t0=$(now)
  "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -cp "$FLOOR_CLASSES" RestartFloor watch "$SRC" "$FLOOR_LIST" > "$out" 2>&1 &
  FLOOR_PID=$!
  if ! wait_log "$out" 'RestartFloor: [0-9]+ changed' "$FLOOR_PID" "$WAIT_TIMEOUT_S" "RestartFloor"; then
    fail "floor restart $n: no 'changed' line (log $out)"; tail -15 "$out" | sed 's/^/    | /'; stop_floor; return 1
  fi
  secs=$(elapsed "$t0" "$WAIT_T")
  changed=$(sed -nE 's/^RestartFloor: ([0-9]+) changed.*/\1/p' <<< "$WAIT_LINE")
  sleep "$IDLE_S"
  rss=$(proc_kib "$FLOOR_PID" VmRSS); hwm=$(proc_kib "$FLOOR_PID" VmHWM)
  printf '  floor  restart %d: %8.3f s to "%s"; idle RSS %s MiB (peak %s MiB)\n' "$n" "$secs" "$WAIT_LINE" "$(mib "$rss")" "$(mib "$hwm")"
  [ "$changed" = 0 ] || fail "floor restart $n: $changed entries changed (expected 0)"
  echo "$secs $rss $hwm" >> "$RUNS_DIR/floor-restart"
  stop_floor
}

# --- set-up (untimed) -----------------------------------------------------------------------------------
if [ "$SKIP_FIRST" = 1 ]; then
  has ferry && { [ -d "$STATE_FERRY" ] && [ "$(count_files "$TARGET_FERRY")" = "$NFILES" ] || die "SKIP_FIRST=1 needs the ferry target and state of an earlier KEEP=1 run"; }
  has lsyncd && { [ "$(count_files "$TARGET_LSYNCD")" = "$NFILES" ] || die "SKIP_FIRST=1 needs the lsyncd target of an earlier KEEP=1 run"; }
else
  move_aside "$TARGET_FERRY"; move_aside "$STATE_FERRY"; move_aside "$TARGET_LSYNCD"
  log "emptying the trash (old targets)"; empty_trash
fi
new_token "$TOKEN"
if has ferry; then
  mkdir -p "$TARGET_FERRY" "$STATE_FERRY"
  write_ferry_sync_conf "$SD/ferry.yaml" "$STATE_FERRY" "$SRC" "ferry://127.0.0.1:$FERRY_PORT/startup" "$TOKEN"
  start_ferry_receiver "$FERRY_PORT" "$TOKEN" "startup=$TARGET_FERRY"
  echo "# ferry: jar $BENCH_DATA/ferry.jar (built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16))"
  echo "#   receiver (untimed, runs throughout): ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder startup=$TARGET_FERRY --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
  echo "#   timed: ${FERRY_DAEMON_CMD[*]} daemon --config $SD/ferry.yaml ${FERRY_DAEMON_OPTS:-}"
  sed 's/^/#     | /' "$SD/ferry.yaml"
fi
if has lsyncd; then
  mkdir -p "$TARGET_LSYNCD"
  start_rsyncd "$RSYNC_PORT" startup "$TARGET_LSYNCD"
  write_lsyncd_conf "$SD/lsyncd.conf.lua" "$SRC" "rsync://127.0.0.1:$RSYNC_PORT/startup/" "$LOGS/lsyncd-startup.log"
  echo "# lsyncd: timed: lsyncd -log Exec $SD/lsyncd.conf.lua (rsync daemon untimed, runs throughout)"
  sed 's/^/#     | /' "$SD/lsyncd.conf.lua"
fi
echo

# --- runs -----------------------------------------------------------------------------------------------
if [ "$SKIP_FIRST" != 1 ]; then
  if has ferry && ferry_start first 1; then
    log "checking the ferry target against the source (diff -rq, untimed)"
    if same_tree "$SRC" "$TARGET_FERRY"; then echo "  ferry  first target: identical to the source (diff -rq)"; else fail "ferry first start: the target differs from the source"; fi
  fi
  has lsyncd && { lsyncd_start first 1 || true; }
fi
if has floor; then
  log "RestartFloor: saving the source's list (untimed)"
  "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -cp "$FLOOR_CLASSES" RestartFloor save "$SRC" "$FLOOR_LIST" >&2 \
    || die "RestartFloor could not save the list"
fi
for ((r = 1; r <= RESTART_RUNS; r++)); do
  has ferry && { ferry_start restart "$r" || true; }
  has lsyncd && { lsyncd_start restart "$r" || true; }
  has floor && { floor_start "$r" || true; }
done
if has ferry && [ -s "$RUNS_DIR/ferry-restart" ]; then
  n=$(count_files "$TARGET_FERRY")
  [ "$n" = "$NFILES" ] && echo "  ferry  target after the restarts: $n files" || fail "ferry target has $n files after the restarts, expected $NFILES"
fi

# --- results --------------------------------------------------------------------------------------------
col() { awk -v c="$1" '{print $c}' "$2"; }
echo
echo "# $NFILES files in $NDIRS_ALL directories; times from launching the daemon (JVM start included for ferry)"
for t in $TOOLS; do
  for kind in first restart; do
    f="$RUNS_DIR/$t-$kind"
    [ "$t" = floor ] && [ "$kind" = first ] && continue    # the floor only restarts
    if [ ! -s "$f" ]; then
      [ "$kind" = first ] && [ "$SKIP_FIRST" = 1 ] || echo "RESULT $t-$kind-start: no successful runs"
      continue
    fi
    summary "$t-$kind-start" < <(col 1 "$f")
    if [ "$t" = ferry ]; then
      echo "RESULT $t-$kind hashed: $(col 2 "$f" | tr '\n' ' ')files sent: $(col 3 "$f" | tr '\n' ' ')watched dirs: $(col 6 "$f" | sort -u | tr '\n' ' ')(expected $NDIRS_ALL)"
      rsscol=4; hwmcol=5
    else
      rsscol=2; hwmcol=3
    fi
    echo "RESULT $t-$kind idle RSS: median $(mib "$(col $rsscol "$f" | median)") MiB (peak VmHWM median $(mib "$(col $hwmcol "$f" | median)") MiB, n=$(wc -l < "$f"))"
  done
done
if has ferry && has lsyncd; then
  for kind in first restart; do
    if [ -s "$RUNS_DIR/ferry-$kind" ] && [ -s "$RUNS_DIR/lsyncd-$kind" ]; then
      awk -v f="$(col 1 "$RUNS_DIR/ferry-$kind" | median)" -v l="$(col 1 "$RUNS_DIR/lsyncd-$kind" | median)" -v k="$kind" \
        'BEGIN{printf "RESULT ratio %s start ferry/lsyncd (medians, same run) = %.2f\n", k, f/l}'
    fi
  done
fi
for t in ferry lsyncd; do
  if has "$t" && has floor && [ -s "$RUNS_DIR/$t-restart" ] && [ -s "$RUNS_DIR/floor-restart" ]; then
    awk -v a="$(col 1 "$RUNS_DIR/$t-restart" | median)" -v f="$(col 1 "$RUNS_DIR/floor-restart" | median)" -v t="$t" \
      'BEGIN{printf "RESULT ratio restart %s/floor (medians, same run) = %.2f\n", t, a/f}'
  fi
done
echo "# load after: $(uptime | sed 's/.*load average://')"
if [ "$FAILED" != 0 ]; then echo "FAIL: a start failed, timed out or a check failed (see above)"; exit 1; fi
