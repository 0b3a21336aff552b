#!/usr/bin/env bash
# bench/tree_floor_bench.sh - the floor of issue 15's benchmark (a): 20,000 random files of 4 KiB in 200 directories
# (tree_bench.sh's source, generated the same way into $BENCH_DATA/src/small) pushed over 127.0.0.1 into an empty
# target by the least a JVM program does (bench/TreeFloor.java: CRC32C per file, temporary file beside the final name,
# mode + mtime, rename, directory attributes last, one answer at the end), against rsync in the same run. The floor is
# a reference, not a competitor: a ratio to rsync that it cannot reach, ferry cannot either; ferry's distance to it is
# ferry's own work (compare ratios to rsync: tree_bench.sh prints ferry's).
#
# Tools, every round each once in a new shuffled order:
#   rsync         rsync -a $SRC/ rsync://127.0.0.1:$RSYNC_PORT/bench/small-rsync/  (an rsync daemon started here)
#   rsync-fsync   the same with --fsync (its receiver fsyncs each file), into small-rsync-fsync/
#   floor-none    TreeFloor send to a `TreeFloor recv PORT none` receiver: no sync (like rsync -a)
#   floor-syncfs  the same to a `recv ... syncfs` receiver: a syncfs of the target's file system before and after the
#                 renames of each 256 files (what ferry's receiver does for a group of small files: ferry's default
#                 durability, the one of the issue's ferry <= 1.0x rsync target)
#   floor-fsync   the same to a `recv ... fsync` receiver: fsync per file (like rsync --fsync), each directory once
# The three floor receivers (ports FLOOR_PORT, +1, +2) are started once and kept running, as ferry's receivers in
# tree_bench.sh: `java $FERRY_JVM_FLAGS --enable-native-access=ALL-UNNAMED -cp $BENCH_DATA/treefloor TreeFloor recv PORT
# MODE`; each timed push `java $FERRY_JVM_FLAGS -XX:TieredStopAtLevel=1 -cp $BENCH_DATA/treefloor TreeFloor send PORT
# $SRC $BENCH_DATA/targets/floor-MODE/small` (C1 only, as ferry's push; whole process timed, JVM start included).
# TreeFloor.java is compiled once per invocation with javac (the source launcher would compile inside every timed run).
#
# Nothing is deleted during the rounds (old targets go to the trash, deleted at the end); an earlier run's trash is
# deleted first and left SETTLE_S (370 s) to settle: tree_bench.sh's header says why (this VM's ext4 is slow to
# create inodes for minutes after a 20k-file delete). Each run: the tool's
# previous target renamed into the trash (lib.sh move_aside), `sync`, the source read again (contents and metadata),
# the push timed, then checked: a listing of type, mode, mtime (ns) and size (find -printf) equal to the source's and
# `diff -r --no-dereference` of the contents (lib.sh verify, as tree_bench.sh). A failed or wrong push prints FAIL and
# ends the runs; exit status 1.
#
#   bench/tree_floor_bench.sh            RUNS=7 rounds (+1 untimed) -> bench/results-tree_floor.txt (~10 min here)
#   bench/tree_floor_bench.sh --quick    RUNS=2 -> bench/results-tree_floor-quick.txt
#
# Knobs (environment): RUNS [7]  WARMUP [1] untimed round first  TOOLS ["rsync rsync-fsync floor-none floor-syncfs
#   floor-fsync"]  SETTLE_S [370]  ORDER [shuffle]|fixed  SEED [now]  FLOOR_PORT [17950] (floor-none; syncfs +1,
#   fsync +2)  RSYNC_PORT [18750]  BENCH_DATA [/tmp/fb-floor]  RESULTS [bench/results-tree_floor.txt]
# Needs: bash >= 5, rsync, diff, cmp, find, a JDK >= 25 (bin/lib/jdk.sh find_jdk; no ferry build); run as root (the
# rsync daemon's module runs as root). Disk: the source (80 MB of data in 20,000 inodes) plus up to 10 copies.
# Data stays in $BENCH_DATA: `rm -rf /tmp/fb-floor` afterwards.
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/fb-floor}"
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"
if [ "$QUICK" = 1 ]; then RUNS="${RUNS:-2}"; RESULTS="${RESULTS:-$BENCH_DIR/results-tree_floor-quick.txt}"; fi
RUNS="${RUNS:-7}"; WARMUP="${WARMUP:-1}"; SETTLE_S="${SETTLE_S:-370}"
TOOLS="${TOOLS:-rsync rsync-fsync floor-none floor-syncfs floor-fsync}"
FLOOR_PORT="${FLOOR_PORT:-17950}"; RSYNC_PORT="${RSYNC_PORT:-18750}"
order_init
for t in $TOOLS; do
  case $t in rsync|rsync-fsync|floor-none|floor-syncfs|floor-fsync) ;; *) echo "unknown tool in TOOLS: $t" >&2; exit 2 ;; esac
done
SMALL="$BENCH_DATA/src/small"; TARGETS="$BENCH_DATA/targets"
FLOOR_SRC="$BENCH_DIR/TreeFloor.java"   # compiled into lib.sh's FLOOR_CLASSES ($BENCH_DATA/treefloor)
declare -A FLOOR_MODE=([floor-none]=none [floor-syncfs]=syncfs [floor-fsync]=fsync)
declare -A PORT=([floor-none]=$FLOOR_PORT [floor-syncfs]=$((FLOOR_PORT + 1)) [floor-fsync]=$((FLOOR_PORT + 2)))
declare -A RECV_PID_VAR=([floor-none]=FLOOR_NONE_PID [floor-syncfs]=FLOOR_SYNCFS_PID [floor-fsync]=FLOOR_FSYNC_PID)

need rsync diff cmp find
bench_lock tree_floor_bench
ports_free "$FLOOR_PORT" "$((FLOOR_PORT + 1))" "$((FLOOR_PORT + 2))" "$RSYNC_PORT"
find_jdk                                   # before the results file is opened: its header names the JDK
floors_compile TreeFloor.java
tee_results "tree_floor$([ "$QUICK" = 1 ] && echo -quick)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# load average at start: $LOAD_START"
echo "# $RUNS timed rounds of $TOOLS, $WARMUP untimed warm-up round(s); $(order_note); each round after the trash is deleted + ${SETTLE_S} s"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

gen_small "$SMALL"
echo "# source: $(find "$SMALL" -type f | wc -l) files, $(find "$SMALL" -mindepth 1 -type d | wc -l) directories, $(du -sb "$SMALL" | cut -f1) bytes (du -sb) in $SMALL"

mkdir -p "$TARGETS/rsync"
for t in floor-none floor-syncfs floor-fsync; do
  [[ " $TOOLS " == *" $t "* ]] || continue
  mkdir -p "$TARGETS/$t"
  start_floor_receiver "${RECV_PID_VAR[$t]}" "$LOGS/$t-receive.log" "${PORT[$t]}" "TreeFloor receiver ($t)" TreeFloor "${FLOOR_MODE[$t]}"
  log "TreeFloor receiver $t: pid ${!RECV_PID_VAR[$t]}, 127.0.0.1:${PORT[$t]}"
done
start_rsyncd "$RSYNC_PORT" bench "$TARGETS/rsync"
echo "# floor: $FLOOR_SRC (sha256 $(sha256sum "$FLOOR_SRC" | cut -c1-16)) compiled with javac into $FLOOR_CLASSES"
echo "#   receivers (started once): $JAVA_HOME/bin/java ${FERRY_JVM_FLAGS[*]} --enable-native-access=ALL-UNNAMED -cp $FLOOR_CLASSES TreeFloor recv PORT none|syncfs|fsync  (ports $FLOOR_PORT, $((FLOOR_PORT + 1)), $((FLOOR_PORT + 2)))"
echo "#   push: $JAVA_HOME/bin/java ${FERRY_JVM_FLAGS[*]} -XX:TieredStopAtLevel=1 -cp $FLOOR_CLASSES TreeFloor send PORT $SMALL $TARGETS/floor-MODE/small"
echo "# rsync: rsync -a [--fsync] $SMALL/ rsync://127.0.0.1:$RSYNC_PORT/bench/small-TOOL/"

# target_dir TOOL : where TOOL's push lands
target_dir() {
  case $1 in
    rsync|rsync-fsync) echo "$TARGETS/rsync/small-$1" ;;
    floor-*) echo "$TARGETS/$1/small" ;;
  esac
}
# set_push TOOL : sets PUSH (an array), TOOL's push of $SMALL
set_push() {
  case $1 in
    rsync) PUSH=(rsync -a "$SMALL/" "rsync://127.0.0.1:$RSYNC_PORT/bench/small-rsync/") ;;
    rsync-fsync) PUSH=(rsync -a --fsync "$SMALL/" "rsync://127.0.0.1:$RSYNC_PORT/bench/small-rsync-fsync/") ;;
    floor-*) floor_push TreeFloor "${PORT[$1]}" "$SMALL" "$(target_dir "$1")" ;;
  esac
}

FAILED=0
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"
declare -A SHOWN=()

# one_run TOOL LABEL : prepare, time, verify; appends the seconds to $TIMES/TOOL unless LABEL is "warm-up"
one_run() {
  local tool=$1 label=$2 target t0 t1 l0 l1 rc=0 secs ok out="$LOGS/last-$1-push.log"
  target=$(target_dir "$tool")
  move_aside "$target"
  sync
  warm "$SMALL"
  if [[ $tool == floor-* ]]; then
    local pid_var=${RECV_PID_VAR[$tool]}
    kill -0 "${!pid_var}" 2>/dev/null || { echo "FAIL: the $tool receiver is gone (log $LOGS/$tool-receive.log)"; FAILED=1; return 1; }
  fi
  set_push "$tool"
  l0=$(lo_bytes); t0=$(now)
  "${PUSH[@]}" > "$out" 2>&1 || rc=$?
  t1=$(now); l1=$(lo_bytes)
  secs=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tail -5 "$out" | tr '\n' ' ' | cut -c1-400))"
  else
    ok=$(verify "$SMALL" "$target")
  fi
  printf '%-9s %-13s %8.3f s  lo %7.1f MB  %s\n' "$label" "$tool" "$secs" "$(awk -v a="$l0" -v b="$l1" 'BEGIN{print (b-a)/1e6}')" "$ok"
  if [[ $tool == floor-* ]] && [ "$label" != warm-up ] && [ -z "${SHOWN[$tool]:-}" ]; then
    SHOWN[$tool]=1; echo "          $tool says: $(tail -1 "$out")"
  fi
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  [ "$label" = warm-up ] || echo "$secs" >> "$TIMES/$tool"
}

run_all() {
  local w r t order
  if [ -n "$(ls -A "$TRASH")" ]; then log "deleting an earlier run's trash, then $SETTLE_S s to settle"; settled_trash; fi
  for ((w = 1; w <= WARMUP; w++)); do
    for t in $TOOLS; do one_run "$t" warm-up || return 0; done
  done
  for ((r = 1; r <= RUNS; r++)); do
    order=$(round_order "$r")
    echo "# round $r/$RUNS order: $order"
    for t in $order; do one_run "$t" "run $r/$RUNS" || return 0; done
  done
}

# ratio NUM DEN [NOTE] : "RESULT ratio NUM/DEN = X (medians A / B s) NOTE" from this run's medians
ratio() {
  [ -s "$TIMES/$1" ] && [ -s "$TIMES/$2" ] || return 0
  awk -v n="$1" -v d="$2" -v a="$(median < "$TIMES/$1")" -v b="$(median < "$TIMES/$2")" -v note="${3:-}" 'BEGIN {
    printf "RESULT ratio %s/%s = %.2f (medians %.3f / %.3f s)%s\n", n, d, a / b, a, b, (note == "" ? "" : "  " note) }'
}

echo; echo "## 20,000 files of 4 KiB in 200 directories into an empty target"
run_all
echo
echo "# load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in $TOOLS; do touch "$TIMES/$t"; summary "$t-20k" < "$TIMES/$t"; done
ratio floor-none rsync "(no sync on either side; the issue's target for ferry --durability none: <= 0.6)"
ratio floor-syncfs rsync "(floor durable as ferry's default receiver, rsync not; the issue's target for ferry: <= 1.0)"
ratio floor-fsync rsync "(floor fsyncs every file, rsync does not)"
ratio floor-fsync rsync-fsync "(fsync per file on both sides)"
ratio floor-syncfs rsync-fsync "(both durable: syncfs per 256 files vs fsync per file)"
ratio rsync-fsync rsync
ratio floor-syncfs floor-none "(what syncfs durability costs the floor)"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
