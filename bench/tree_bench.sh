#!/usr/bin/env bash
# bench/tree_bench.sh - many files and a real tree (issue 15 benchmarks (a), (b), (c)): one-shot pushes of whole
# trees over 127.0.0.1, ferry against rsync -a, interleaved in a new shuffled order every round, every push checked.
#
#   (a) small: 20,000 random files of 4 KiB in 200 directories ($BENCH_DATA/src/small/dNNN/fNNNN.bin, generated
#       once) into an empty target. Tools: ferry (receiver `--durability fsync`, its default), ferry-none (a second
#       receiver, `--durability none`), rsync (`rsync -a`) and rsync-fsync (`rsync -a --fsync`), both to an rsync
#       daemon. Targets: ferry <= 1.0x rsync, ferry-none <= 0.6x rsync.
#   (b) tree: a copy of TREE_FROM [/usr/share] made once with `cp -a` into $BENCH_DATA/src/tree, without the
#       symlinks ferry's receiver refuses by design (absolute ones, and relative ones that lead out of the tree:
#       their names are kept in $BENCH_DATA/src/tree-dropped-links.txt); the same four tools into empty targets.
#       Target: ferry <= 1.0x rsync.
#       (a) and (b) also time the floor, bench/TreeFloor.java (tree_floor_bench.sh's header): floor-none and
#       floor-syncfs, the least a JVM program does without and with durability, beside ferry-none and ferry. (c) times
#       floor-noop, bench/NoopFloor.java: a receiver's listing of rsync's complete (c) target, compared with a walk of
#       the source made meanwhile (its header says what it does).
#   (c) noop: re-push of (b) into a target that already holds all of it (set up once, untimed, by each tool):
#       ferry (default receiver) vs rsync. Target: ferry <= 0.5x rsync. The bytes that crossed loopback in each
#       run are counted (lo_bytes, lib.sh) and their medians printed.
#
# Nothing is deleted while (a) and (b) run: old targets are moved aside into the trash, deleted at the end; a trash
# left by an earlier run is deleted first and then left SETTLE_S to settle. This VM's ext4 has no journal, and then
# will not reuse an inode freed less than 60 s ago, or 360 s while its inode table block is dirty (RECENTCY_MIN and
# RECENTCY_DIRTY in ext4's ialloc.c; new inodes in the same block dirty it): each new inode scans past every recently
# freed one of its block group. A push made right after a 20k-file delete is slowed 3-7x for ferry and for the floor
# (TreeFloor), much less for rsync (why the difference is not known); measured 2026-12-06: ferry-none 9.79 s with the
# delete just before vs 3.05 s with it a round earlier, rsync 1.30 vs 1.49 s. Disk: the trash ends up holding every
# target of (a) and (b), about 4 GB and 17 GB.
# Each timed run: the tool's previous target of that case renamed into the trash (lib.sh move_aside), `sync`, the
# source read once more
# (contents and metadata, into the page cache), ferry's digest cache deleted; then the whole push process is timed
# (JVM start included for ferry; the jar run directly, as push_bench.sh). (c) moves nothing aside. Checked after
# every run: a listing of type, mode, mtime (ns), size of files and link text (find -printf) equal to the source's,
# and `diff -r --no-dereference` of the contents. A failed or wrong push prints FAIL, ends that case, and the
# script exits 1 at the end.
#
# Receivers (started once, kept running): `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder
# bench=$BENCH_DATA/targets/ferry --token-file $BENCH_DATA/token --durability fsync`, the same on $FERRY_NONE_PORT
# with bench=$BENCH_DATA/targets/ferry-none and `--durability none`; an rsync daemon on 127.0.0.1:$RSYNC_PORT, module
# bench -> $BENCH_DATA/targets/rsync with `munge symlinks = no` (rsync >= 3.4 munges symlinks in a module without
# chroot by default: stored as "/rsyncd-munged/...", they would not match the source; the tree holds no link the
# daemon would then sanitize). Pushes: `ferry push SRC/ ferry://127.0.0.1:PORT/bench/CASE --token-file TOKEN`,
# `rsync -a [--fsync] SRC/ rsync://127.0.0.1:$RSYNC_PORT/bench/CASE-TOOL/`.
#
#   bench/tree_bench.sh            RUNS_A=7, RUNS_B=5, RUNS_C=7 rounds -> bench/results-tree_bench.txt
#   bench/tree_bench.sh --quick    2, 1, 2 rounds -> bench/results-tree_bench-quick.txt
#
# Knobs (environment): CASES ["a b c"]  RUNS_A, RUNS_B, RUNS_C  WARMUP [1] untimed round first in (a) and (c) (none in
#   (b): its source is read into the page cache before every run anyway)  TREE_FROM [/usr/share]
#   SETTLE_S [370] pause after deleting an earlier run's trash  TOOLS_A ["ferry ferry-none rsync rsync-fsync floor-none floor-syncfs"]  TOOLS_B [the same]  TOOLS_C ["ferry rsync floor-noop"]  ORDER [shuffle]|fixed  SEED [now]  FERRY_PORT [17960]  FERRY_NONE_PORT [17961]  RSYNC_PORT [18760]
#   BENCH_DATA [/tmp/ferry-treebench]  FERRY_JAVA_OPTS  RESULTS [bench/results-tree_bench.txt]
# Needs: bash >= 5, rsync, diff, find, realpath, a JDK >= 25 and Maven (lib.sh ferry_prepare); run as root (the rsync
# daemon's module runs as root; a copy of /usr/share is readable). Disk: the tree (~0.9 GB) plus up to 8 copies (4 tools, two rounds).
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/ferry-treebench}"   # not lib.sh's default: another benchmark may use that one
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"   # sets QUICK; --help prints the header of this script
if [ "$QUICK" = 1 ]; then
  RUNS_A="${RUNS_A:-2}"; RUNS_B="${RUNS_B:-1}"; RUNS_C="${RUNS_C:-2}"
  RESULTS="${RESULTS:-$BENCH_DIR/results-tree_bench-quick.txt}"
fi
RUNS_A="${RUNS_A:-7}"; RUNS_B="${RUNS_B:-5}"; RUNS_C="${RUNS_C:-7}"; WARMUP="${WARMUP:-1}"
CASES="${CASES:-a b c}"; TREE_FROM="${TREE_FROM:-/usr/share}"
FERRY_PORT="${FERRY_PORT:-17960}"; FERRY_NONE_PORT="${FERRY_NONE_PORT:-17961}"; RSYNC_PORT="${RSYNC_PORT:-18760}"
order_init                         # ORDER, SEED (lib.sh)
SMALL="$BENCH_DATA/src/small"; TREE="$BENCH_DATA/src/tree"; TOKEN="$BENCH_DATA/token"
TARGETS="$BENCH_DATA/targets"

need rsync diff find realpath
bench_lock tree_bench
ports_free "$FERRY_PORT" "$FERRY_NONE_PORT" "$RSYNC_PORT"
ferry_prepare                      # JDK + jar before the results file is opened (build output stays out of it)
TOOLS_A="${TOOLS_A:-ferry ferry-none rsync rsync-fsync floor-none floor-syncfs}"
TOOLS_B="${TOOLS_B:-ferry ferry-none rsync rsync-fsync floor-none floor-syncfs}"
TOOLS_C="${TOOLS_C:-ferry rsync floor-noop}"
# floor_used TOOL : true if a case that runs times TOOL
floor_used() { [[ ( " $CASES " == *" a "* && " $TOOLS_A " == *" $1 "* ) || ( " $CASES " == *" b "* && " $TOOLS_B " == *" $1 "* )
                  || ( " $CASES " == *" c "* && " $TOOLS_C " == *" $1 "* ) ]]; }
FLOOR_PORT=$((RSYNC_PORT + 1))
declare -A FLOOR_MODE=([floor-none]=none [floor-syncfs]=syncfs)
declare -A FLOOR_PORTS=([floor-none]=$FLOOR_PORT [floor-syncfs]=$((FLOOR_PORT + 1)) [floor-noop]=$((FLOOR_PORT + 2)))
if floor_used floor-none || floor_used floor-syncfs || floor_used floor-noop; then
  ports_free "$FLOOR_PORT" "$((FLOOR_PORT + 1))" "$((FLOOR_PORT + 2))"
  floors_compile TreeFloor.java NoopFloor.java
fi
tee_results "tree_bench$([ "$QUICK" = 1 ] && echo -quick)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# load average at start: $LOAD_START"
echo "# cases: $CASES; rounds (a) $RUNS_A, (b) $RUNS_B, (c) $RUNS_C, $WARMUP untimed warm-up round(s) in (a) and (c); $(order_note)"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

# --- sources (kept across invocations; copy_tree and describe: lib.sh) ----------------------------------------
gen_small "$SMALL"
[[ " $CASES " == *" b "* || " $CASES " == *" c "* ]] && copy_tree "$TREE_FROM" "$TREE"
echo "# (a) source $(describe "$SMALL")"
if [ -d "$TREE" ]; then
  echo "# (b),(c) source $(describe "$TREE"); copied from $TREE_FROM with cp -a;" \
       "$(wc -l < "$TREE-dropped-links.txt") symlinks dropped from the copy (absolute or leading out of it; listed in $TREE-dropped-links.txt)"
fi

# --- receivers -----------------------------------------------------------------------------------------------
new_token "$TOKEN"
mkdir -p "$TARGETS/ferry" "$TARGETS/ferry-none" "$TARGETS/rsync"
start_ferry_receiver_as FERRY_PID "$LOGS/ferry-receive.log" "$FERRY_PORT" "$TOKEN" "bench=$TARGETS/ferry" -- --durability fsync
start_ferry_receiver_as FERRY_NONE_PID "$LOGS/ferry-none-receive.log" "$FERRY_NONE_PORT" "$TOKEN" "bench=$TARGETS/ferry-none" -- --durability none
start_rsyncd "$RSYNC_PORT" bench "$TARGETS/rsync" "munge symlinks = no"
for t in floor-none floor-syncfs; do
  floor_used "$t" || continue
  mkdir -p "$TARGETS/$t"
  start_floor_receiver "FLOOR_PID_${t#floor-}" "$LOGS/$t-receive.log" "${FLOOR_PORTS[$t]}" "TreeFloor receiver ($t)" \
    TreeFloor "${FLOOR_MODE[$t]}"
done
if floor_used floor-noop; then
  start_floor_receiver FLOOR_PID_noop "$LOGS/floor-noop-receive.log" "${FLOOR_PORTS[floor-noop]}" "NoopFloor receiver" NoopFloor
fi
echo "# ferry: jar copied to $BENCH_DATA/ferry.jar (built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16))"
echo "#   receivers: ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$TARGETS/ferry --token-file $TOKEN --durability fsync"
echo "#              (ferry-none: port $FERRY_NONE_PORT, bench=$TARGETS/ferry-none, --durability none)"
echo "#   push: ${FERRY_PUSH_CMD[*]} push SRC/ ferry://127.0.0.1:PORT/bench/CASE --token-file $TOKEN"
echo "# rsync: rsync -a [--fsync] SRC/ rsync://127.0.0.1:$RSYNC_PORT/bench/CASE-TOOL/  ($(rsync --version | head -1 | sed 's/  */ /g'); daemon module with 'munge symlinks = no')"

# target_dir TOOL CASE : where TOOL's push of CASE lands
target_dir() {
  case $1 in
    ferry|ferry-none) echo "$TARGETS/$1/$2" ;;
    rsync|rsync-fsync) echo "$TARGETS/rsync/$2-$1" ;;
    floor-noop) echo "$TARGETS/rsync/$2-rsync" ;; # (reads rsync's complete target)
    floor-*) echo "$TARGETS/$1/$2" ;;
  esac
}
# set_push TOOL SRC CASE : sets PUSH (an array), the command that pushes SRC's contents as TOOL's CASE
set_push() {
  case $1 in
    ferry) PUSH=("${FERRY_PUSH_CMD[@]}" push "$2/" "ferry://127.0.0.1:$FERRY_PORT/bench/$3" --token-file "$TOKEN") ;;
    ferry-none) PUSH=("${FERRY_PUSH_CMD[@]}" push "$2/" "ferry://127.0.0.1:$FERRY_NONE_PORT/bench/$3" --token-file "$TOKEN") ;;
    rsync) PUSH=(rsync -a "$2/" "rsync://127.0.0.1:$RSYNC_PORT/bench/$3-rsync/") ;;
    rsync-fsync) PUSH=(rsync -a --fsync "$2/" "rsync://127.0.0.1:$RSYNC_PORT/bench/$3-rsync-fsync/") ;;
    floor-noop) floor_push NoopFloor "${FLOOR_PORTS[$1]}" "$2" "$(target_dir "$1" "$3")" ;;
    floor-*) floor_push TreeFloor "${FLOOR_PORTS[$1]}" "$2" "$(target_dir "$1" "$3")" ;;
  esac
}
SETTLE_S="${SETTLE_S:-370}"

FAILED=0
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"

# one_run CASE TOOL LABEL : prepare, time, verify; appends the time (and the loopback bytes) to $TIMES/CASE-TOOL[.lo]
# unless LABEL is "warm-up". CASE a|b start from an empty target, c re-pushes into the complete one.
one_run() {
  local case=$1 tool=$2 label=$3 src target t0 t1 l0 l1 rc=0 secs ok tag
  case $case in a) src=$SMALL; tag=a ;; b) src=$TREE; tag=b ;; c) src=$TREE; tag=c ;; esac
  target=$(target_dir "$tool" "$tag")
  if [ "$case" != c ]; then move_aside "$target"; fi
  sync
  warm "$src"
  [[ $tool == ferry* ]] && rm -rf "$FERRY_DIGESTS"
  if [[ $tool == ferry* ]]; then
    local pid_var=FERRY_PID; [ "$tool" = ferry-none ] && pid_var=FERRY_NONE_PID
    kill -0 "${!pid_var}" 2>/dev/null || { echo "FAIL: the $tool receiver is gone (logs in $LOGS)"; FAILED=1; return 1; }
  fi
  set_push "$tool" "$src" "$tag"
  l0=$(lo_bytes); t0=$(now)
  "${PUSH[@]}" > "$LOGS/last-$tool-push.log" 2>&1 || rc=$?
  t1=$(now); l1=$(lo_bytes)
  secs=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tail -5 "$LOGS/last-$tool-push.log" | tr '\n' ' ' | cut -c1-400))"
  else
    ok=$(verify "$src" "$target")
  fi
  printf '%-9s %-12s %8.3f s  lo %9.1f MB  %s\n' "$label" "$tool" "$secs" "$(awk -v a="$l0" -v b="$l1" 'BEGIN{print (b-a)/1e6}')" "$ok"
  if [[ $tool == ferry* ]] && [ "$label" != warm-up ] && [ "${SHOWN[$case-$tool]:-}" = "" ]; then
    SHOWN[$case-$tool]=1; echo "          $tool says: $(tail -1 "$LOGS/last-$tool-push.log")"
  fi
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  if [ "$label" != warm-up ]; then
    echo "$secs" >> "$TIMES/$case-$tool"
    echo "$((l1 - l0))" >> "$TIMES/$case-$tool.lo"
  fi
}
declare -A SHOWN=()

# run_case CASE RUNS WARMUP TOOLS... : WARMUP untimed rounds, then RUNS rounds in shuffled orders; stops the case at
# the first failure (the other cases still run)
run_case() {
  local case=$1 runs=$2 warmup=$3 r w t order; shift 3
  TOOLS="$*"
  for ((w = 1; w <= warmup; w++)); do
    for t in $TOOLS; do one_run "$case" "$t" warm-up || return 0; done
  done
  for ((r = 1; r <= runs; r++)); do
    order=$(round_order "$r")
    echo "# ($case) round $r/$runs order: $order"
    for t in $order; do one_run "$case" "$t" "run $r/$runs" || return 0; done
  done
}
# ratio CASE NUM DEN [TARGET] : "RESULT (CASE) ratio NUM/DEN = X [(target <= T: MET|NOT MET)]" from the medians
ratio() { median_ratio "($1) " "$2" "$3" "$TIMES/$1-$2" "$TIMES/$1-$3" "${4:-}"; }
# lo_summary CASE TOOL : median (min-max) of the loopback bytes of the timed runs
lo_summary() {
  local f="$TIMES/$1-$2.lo"
  [ -s "$f" ] || return 0
  sort -g "$f" | awk -v c="$1" -v t="$2" '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "RESULT (%s) %s loopback bytes per push: median=%.2f MB (min %.2f, max %.2f, n=%d)\n", c, t, m/1e6, a[1]/1e6, a[NR]/1e6, NR }'
}
summaries() {
  local case=$1 label=$2 t; shift 2
  for t in "$@"; do touch "$TIMES/$case-$t"; summary "($case) $t-$label" < "$TIMES/$case-$t"; done
}

if [ -n "$(ls -A "$TRASH")" ]; then
  log "deleting an earlier run's trash, then waiting $SETTLE_S s (the header says why)"
  settled_trash
fi
if [[ " $CASES " == *" a "* ]]; then
  echo; echo "## (a) 20,000 files of 4 KiB in 200 directories into an empty target"
  # shellcheck disable=SC2086
  run_case a "$RUNS_A" "$WARMUP" $TOOLS_A
fi
if [[ " $CASES " == *" b "* ]]; then
  echo; echo "## (b) the copy of $TREE_FROM into an empty target"
  # shellcheck disable=SC2086
  run_case b "$RUNS_B" 0 $TOOLS_B
  # the (b) targets are not needed any more: (c) pushes its own
  for t in $TOOLS_B; do move_aside "$(target_dir "$t" b)"; done; empty_trash
fi
if [[ " $CASES " == *" c "* ]]; then
  echo; echo "## (c) no-op re-push of the copy of $TREE_FROM (target complete: one untimed full push by each tool first)"
  for t in ferry rsync; do
    move_aside "$(target_dir "$t" c)"; empty_trash
    set_push "$t" "$TREE" c
    rc=0; "${PUSH[@]}" > "$LOGS/setup-c-$t.log" 2>&1 || rc=$?
    ok=$(verify "$TREE" "$(target_dir "$t" c)")
    echo "setup     $t: exit status $rc, $ok"
    [ "$rc" = 0 ] && [ "$ok" = "verify ok" ] || FAILED=1
  done
  # shellcheck disable=SC2086
  if [ "$FAILED" = 0 ]; then run_case c "$RUNS_C" "$WARMUP" $TOOLS_C; else echo "(c) not run: a set-up push failed"; fi
fi

echo
echo "# load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ " $CASES " == *" a "* ]]; then
  # shellcheck disable=SC2086
  summaries a 20k $TOOLS_A
  ratio a ferry rsync 1.0; ratio a ferry-none rsync 0.6; ratio a ferry rsync-fsync; ratio a ferry-none ferry
  ratio a floor-syncfs rsync; ratio a floor-none rsync; ratio a ferry floor-syncfs; ratio a ferry-none floor-none
fi
if [[ " $CASES " == *" b "* ]]; then
  # shellcheck disable=SC2086
  summaries b tree $TOOLS_B
  ratio b ferry rsync 1.0; ratio b ferry-none rsync; ratio b ferry rsync-fsync; ratio b ferry-none ferry
  ratio b floor-syncfs rsync; ratio b floor-none rsync; ratio b ferry floor-syncfs; ratio b ferry-none floor-none
fi
if [[ " $CASES " == *" c "* ]]; then
  # shellcheck disable=SC2086
  summaries c noop $TOOLS_C
  ratio c ferry rsync 0.5; ratio c floor-noop rsync; ratio c ferry floor-noop
  lo_summary c ferry; lo_summary c rsync
fi
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
