#!/usr/bin/env bash
# bench/firstsync_bench.sh - issue 15 (f), first half: a sync daemon's FIRST SYNC of tree (b) (tree_bench.sh's copy of
# /usr/share) into an empty target over 127.0.0.1, from launch to a verified mirror; ferry's daemon against `rsync -a`,
# lsyncd and the floor, interleaved in a new shuffled order every round, every result checked. Targets (the issue's):
# ferry <= 1.0x rsync and <= 1.0x lsyncd (medians, same run); ferry's RSS while syncing <= 256 MiB.
#
# Tools (TOOLS), each timed as wall clock:
#   ferry         `ferry daemon --config $FS/ferry.yaml`: one pair SRC -> ferry://127.0.0.1:$FERRY_PORT/fs/b, an empty
#                 state dir ($FS/ferry-state) and an empty target every run, to a receiver started once, untimed, with
#                 its default durability (`ferry receive --listen 127.0.0.1:$FERRY_PORT --folder fs=$TARGETS/ferry`:
#                 fsync, each group of files committed before it is acknowledged). Timed from the launch (JVM start
#                 included) to the log line "sync ready pair=...": the target's first reconcile carried out, i.e.
#                 every file the walk streamed and every entry of the reconcile after it DONE (committed by the
#                 receiver) or failed (daemon/TargetLink.java markReady; a failed file is logged as a WARN line and
#                 fails the check below). The daemon is then frozen (SIGSTOP) while the target is checked, so the
#                 check sees what "sync ready" vouched for and nothing sent after it; then stopped (SIGCONT, SIGTERM).
#                 Its VmRSS is sampled every RSS_SAMPLE_S [0.1] s from launch to "sync ready" (the max is reported)
#                 and its VmHWM (the peak) read at "sync ready".
#   rsync         `rsync -a SRC/ rsync://127.0.0.1:$RSYNC_PORT/fs/rsync/` to an rsync daemon started once (module fs ->
#                 $TARGETS/rsyncd, `munge symlinks = no`, as tree_bench.sh), the whole process timed: the same
#                 loopback transport as the others, and tree_bench.sh's rsync of (b).
#   lsyncd        `lsyncd -log Exec $FS/lsyncd.conf.lua`: sync { default.rsync, source = SRC, target =
#                 "rsync://127.0.0.1:$RSYNC_PORT/fs/lsyncd/", delay = 0, rsync = { archive = true } } (archive: its
#                 startup rsync then carries modes like rsync -a; lsyncd's default leaves them out), to the same rsync
#                 daemon; timed from the launch to "Startup of ... finished." (its watches added, its one startup
#                 rsync done), then stopped and checked.
#   floor-syncfs  bench/TreeFloor.java as tree_bench.sh times it: `TreeFloor send PORT SRC $TARGETS/floor/b` to a
#                 `TreeFloor recv $FLOOR_PORT syncfs` receiver started once (syncfs around each 256 files' renames,
#                 as ferry's receiver commits a group): the least a JVM program does to carry the tree durably.
# ferry and lsyncd are followed through their logs with `tail -F` (lib.sh wait_log_follow), not polled, so that
# waiting costs the 2 cores nothing.
# Logs in $BENCH_DATA/logs: firstsync-ferry-daemon-R.log and firstsync-lsyncd-R.out (round R), firstsync-rsync.log and
# firstsync-floor-syncfs.log (the last run), firstsync-ferry-receive.log and firstsync-floor-receive.log (the receivers).
#
# Source: TREE_FROM [/usr/share] copied once with `cp -a` (lib.sh copy_tree, without the symlinks ferry's receiver
# refuses by design: absolute ones and those leading out of the tree, listed in SRC-dropped-links.txt) into
# $BENCH_DATA/src/tree (tree_bench.sh's copy of (b): reused), or $BENCH_DATA/src/tree-PATH for another TREE_FROM (a
# smaller tree for a smoke run, e.g. TREE_FROM=/usr/share/man: 24k entries).
# Each run: the tool's previous target (and ferry's state dir) renamed into the trash (lib.sh move_aside), ferry's
# digest cache deleted, `sync`, the source read again (lib.sh warm: metadata and contents into the page cache); then
# timed; then checked: a listing of type, mode, mtime (ns), file size and link text equal to the source's, and
# `diff -r --no-dereference` of the contents (lib.sh verify, tree_bench.sh's check), except, for ferry only, the
# target root's own mtime: the daemon does not mirror its pair root's attributes (its index has no entry for the
# root; a one-shot `ferry push` does set them), so whether it matched is printed per run and counted in a RESULT
# line instead of failing every ferry run. A run that fails, times out
# (RUN_TIMEOUT_S) or does not verify prints FAIL and ends the rounds; the script then exits 1.
# Nothing is deleted during the rounds: this VM's ext4 has no journal and skips recently freed inodes for 60-360 s,
# which slows the creates of the next runs (tree_bench.sh's header). A trash left by an earlier run is deleted first,
# then SETTLE_S to settle; the trash and the last targets are deleted at the end (KEEP=1 keeps the last targets).
# Disk: every target of every run is kept until the end, RUNS x (number of TOOLS) copies of the tree (the default:
# 7 x 4 = 28 copies of (b), ~0.95 GB each by du, ~27 GB); checked before the rounds (exit 2 when the file system has
# less free, counting the old trash that is deleted first).
#
#   bench/firstsync_bench.sh                                      7 rounds -> bench/results-firstsync_bench.txt
#   RUNS=1 TREE_FROM=/usr/share/man SETTLE_S=0 RESULTS=/tmp/fs-smoke.txt bench/firstsync_bench.sh    a smoke run
#
# Knobs (environment): RUNS [7]  TOOLS ["ferry rsync lsyncd floor-syncfs"]  TREE_FROM [/usr/share]  ORDER [shuffle]|fixed
#   SEED [now]  SETTLE_S [370]  RUN_TIMEOUT_S [1800] per run  RSS_SAMPLE_S [0.1]  RSS_TARGET_MIB [256]  KEEP [0]
#   FERRY_PORT [17970]  RSYNC_PORT [18831]  FLOOR_PORT [18832]  BENCH_DATA [/tmp/ferry-treebench]  FERRY_JAVA_OPTS
#   FERRY_RECEIVE_OPTS / FERRY_DAEMON_OPTS (extra flags, word-split)  RESULTS [bench/results-firstsync_bench.txt]
# Needs: bash >= 5, rsync, lsyncd, diff, find, realpath, tail, timeout, a JDK >= 25 and Maven (lib.sh ferry_prepare);
# run as root (the rsync daemon's module runs as root; a copy of /usr/share is readable).
# Exit status: 0 ok, 1 a run failed, timed out or did not verify, 2 missing tool, bad usage or too little disk.
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/ferry-treebench}"   # tree_bench.sh's: its copy of (b) is reused
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_no_args "$@"   # --help prints the header of this script
RUNS="${RUNS:-7}"; TOOLS="${TOOLS:-ferry rsync lsyncd floor-syncfs}"; TREE_FROM="${TREE_FROM:-/usr/share}"
SETTLE_S="${SETTLE_S:-370}"; RUN_TIMEOUT_S="${RUN_TIMEOUT_S:-1800}"; RSS_TARGET_MIB="${RSS_TARGET_MIB:-256}"; KEEP="${KEEP:-0}"
FERRY_PORT="${FERRY_PORT:-17970}"; RSYNC_PORT="${RSYNC_PORT:-18831}"; FLOOR_PORT="${FLOOR_PORT:-18832}"
order_init                         # ORDER, SEED (lib.sh)
has() { [[ " $TOOLS " == *" $1 "* ]]; }
for t in $TOOLS; do
  case $t in ferry|rsync|lsyncd|floor-syncfs) ;; *) echo "TOOLS: unknown tool '$t' (ferry, rsync, lsyncd, floor-syncfs)" >&2; exit 2 ;; esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number" >&2; exit 2; }
[ "$(printf '%s\n' "$FERRY_PORT" "$RSYNC_PORT" "$FLOOR_PORT" | sort -u | wc -l)" = 3 ] || { echo "FERRY_PORT, RSYNC_PORT and FLOOR_PORT must differ" >&2; exit 2; }

FS="$BENCH_DATA/firstsync"; TARGETS="$FS/targets"; STATE="$FS/ferry-state"; TOKEN="$BENCH_DATA/token-firstsync"
if [ "$(realpath -m "$TREE_FROM")" = /usr/share ]; then SRC="$BENCH_DATA/src/tree"; else SRC="$BENCH_DATA/src/tree$(realpath -m "$TREE_FROM" | tr / -)"; fi

need diff find realpath tail timeout
if has rsync || has lsyncd; then need rsync; fi
if has lsyncd; then need lsyncd; fi
bench_lock firstsync_bench
ports=(); has ferry && ports+=("$FERRY_PORT"); { has rsync || has lsyncd; } && ports+=("$RSYNC_PORT"); has floor-syncfs && ports+=("$FLOOR_PORT")
ports_free "${ports[@]}"
if has ferry; then ferry_prepare; else find_jdk; fi     # before the results file is opened (build output stays out)
has floor-syncfs && floors_compile TreeFloor.java

copy_tree "$TREE_FROM" "$SRC"        # once (lib.sh); before the disk check, which measures it
# disk: every run's target stays until the end; the trash of an earlier run is deleted before the rounds
NTOOLS=$(wc -w <<< "$TOOLS")
SRC_KIB=$(du -sk "$SRC" | cut -f1); TRASH_KIB=$(du -sk "$TRASH" | cut -f1); FREE_KIB=$(df -Pk "$BENCH_DATA" | awk 'NR==2{print $4}')
NEED_KIB=$((SRC_KIB * RUNS * NTOOLS * 11 / 10))       # 10% over the source's du: directories grow, logs
if ((FREE_KIB + TRASH_KIB < NEED_KIB)); then
  echo "disk: $RUNS runs x $NTOOLS tools keep $((RUNS * NTOOLS)) copies of $SRC ($((SRC_KIB / 1024)) MiB each): ~$((NEED_KIB / 1024)) MiB needed," \
       "$(((FREE_KIB + TRASH_KIB) / 1024)) MiB free (the old trash included); lower RUNS or TOOLS, or free space" >&2
  exit 2
fi
NEED_INODES=$(( $(find "$SRC" | wc -l) * RUNS * NTOOLS )); FREE_INODES=$(df -Pi "$BENCH_DATA" | awk 'NR==2{print $4}')
if [[ $FREE_INODES =~ ^[0-9]+$ ]] && ((FREE_INODES < NEED_INODES)); then
  echo "disk: the $((RUNS * NTOOLS)) copies of $SRC need $NEED_INODES inodes, the file system has $FREE_INODES free; lower RUNS or TOOLS" >&2
  exit 2
fi

tee_results firstsync_bench
header_extra
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# source $(describe "$SRC"); copied from $TREE_FROM with cp -a; $(wc -l < "$SRC-dropped-links.txt") symlinks dropped" \
     "from the copy (absolute or leading out of it; listed in $SRC-dropped-links.txt)"
echo "# $RUNS rounds of: $TOOLS; $(order_note); disk: $((FREE_KIB / 1024)) MiB free + $((TRASH_KIB / 1024)) MiB old trash," \
     "~$((NEED_KIB / 1024)) MiB needed for the $((RUNS * NTOOLS)) targets kept"

cleanup() {
  rss_sampler_stop
  [ -n "$FERRY_DAEMON_PID" ] && kill -CONT "$FERRY_DAEMON_PID" 2>/dev/null
  stop_ferry_daemon 60
  stop_lsyncd
  stop_ferry_receivers
  stop_rsyncd
  if [ "$KEEP" != 1 ]; then for t in $TOOLS; do move_aside "$(target_dir "$t")"; done; move_aside "$STATE"; fi
  log "deleting the old targets in $TRASH"
  empty_trash
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# target_dir TOOL : where TOOL's copy lands
target_dir() {
  case $1 in
    ferry) echo "$TARGETS/ferry/b" ;;
    rsync|lsyncd) echo "$TARGETS/rsyncd/$1" ;;
    floor-syncfs) echo "$TARGETS/floor/b" ;;
  esac
}

# --- receivers and configs (untimed, started once) ------------------------------------------------------------
new_token "$TOKEN"
mkdir -p "$TARGETS/ferry" "$TARGETS/rsyncd" "$TARGETS/floor"
if has ferry; then
  start_ferry_receiver_as FERRY_RECEIVER_PID "$LOGS/firstsync-ferry-receive.log" "$FERRY_PORT" "$TOKEN" "fs=$TARGETS/ferry"
  write_ferry_sync_conf "$FS/ferry.yaml" "$STATE" "$SRC" "ferry://127.0.0.1:$FERRY_PORT/fs/b" "$TOKEN"
  echo "# ferry: jar copied to $BENCH_DATA/ferry.jar (built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16))"
  echo "#   receiver (untimed, runs throughout): ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder fs=$TARGETS/ferry --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
  echo "#   timed: ${FERRY_DAEMON_CMD[*]} daemon --config $FS/ferry.yaml ${FERRY_DAEMON_OPTS:-}   (until \"sync ready\")"
  sed 's/^/#     | /' "$FS/ferry.yaml"
fi
if has rsync || has lsyncd; then
  start_rsyncd "$RSYNC_PORT" fs "$TARGETS/rsyncd" "munge symlinks = no"
  echo "# rsync daemon (untimed, runs throughout): module fs -> $TARGETS/rsyncd, munge symlinks = no"
  has rsync && echo "# rsync: timed: rsync -a $SRC/ rsync://127.0.0.1:$RSYNC_PORT/fs/rsync/"
fi
if has lsyncd; then
  write_lsyncd_conf "$FS/lsyncd.conf.lua" "$SRC" "rsync://127.0.0.1:$RSYNC_PORT/fs/lsyncd/" "$LOGS/firstsync-lsyncd.log" \
    "    delay = 0,
    rsync = { archive = true },"
  echo "# lsyncd: timed: lsyncd -log Exec $FS/lsyncd.conf.lua   (until \"Startup of ... finished.\")"
  sed 's/^/#     | /' "$FS/lsyncd.conf.lua"
fi
if has floor-syncfs; then
  start_floor_receiver FLOOR_PID "$LOGS/firstsync-floor-receive.log" "$FLOOR_PORT" "TreeFloor receiver (floor-syncfs)" TreeFloor syncfs
  floor_push TreeFloor "$FLOOR_PORT" "$SRC" "$(target_dir floor-syncfs)"
  echo "# floor-syncfs: receiver (untimed, runs throughout): TreeFloor recv $FLOOR_PORT syncfs; timed: ${PUSH[*]}"
fi

# --- runs --------------------------------------------------------------------------------------------------------
FAILED=0
TIMES="$FS/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"
SECS=""; OK=""; EXTRA=""; ROOT_NOTE=""

PLAINTEXT_WARNING='is not encrypted (transport: plaintext)'   # the daemon's WARN at every start here: expected
# root_mtime_note DIR : "mirrored" when DIR's mtime is the source root's, else "NOT mirrored (...)"; counted in
# $TIMES/ferry.root (lines "mirrored" / "not")
root_mtime_note() {
  local s d
  s=$(stat -c %y "$SRC"); d=$(stat -c %y "$1")
  if [ "$s" = "$d" ]; then echo mirrored >> "$TIMES/ferry.root"; echo "mirrored"
  else echo not >> "$TIMES/ferry.root"; echo "NOT mirrored (target $d, source $s; left out of the check)"; fi
}

# run_ferry R : round R's first sync by the daemon; sets SECS, OK, EXTRA; appends "max_rss_kib hwm_kib samples" to
# $TIMES/ferry.rss.all
run_ferry() {
  local logf="$LOGS/firstsync-ferry-daemon-$1.log" samples="$FS/rss-samples" t0 ready idx hwm max n idx_ms files chunks
  mkdir -p "$STATE"
  t0=$(now)
  start_ferry_daemon "$FS/ferry.yaml" "$logf"
  rss_sampler_start "$FERRY_DAEMON_PID" "$samples"
  if ! wait_log_follow "$logf" "$FERRY_READY_RE" "$FERRY_DAEMON_PID" "$RUN_TIMEOUT_S" "ferry daemon"; then
    rss_sampler_stop
    SECS=$(elapsed "$t0" "$(now)")
    OK="FAIL (no 'sync ready' within $RUN_TIMEOUT_S s or the daemon exited$(grep -q AUTH_FAILED "$logf" && echo ': the receiver refused the token'); log $logf: $(tail -3 "$logf" | tr '\n' ' ' | cut -c1-300))"
    stop_ferry_daemon 10
    return
  fi
  SECS=$(elapsed "$t0" "$WAIT_T"); ready=$WAIT_LINE
  kill -STOP "$FERRY_DAEMON_PID"     # frozen: the check sees what "sync ready" vouched for
  hwm=$(proc_kib "$FERRY_DAEMON_PID" VmHWM)
  rss_sampler_stop
  OK=$(verify "$SRC" "$(target_dir ferry)" skip)   # (the root's mtime apart: the daemon does not mirror it)
  ROOT_NOTE="target root's mtime $(root_mtime_note "$(target_dir ferry)")"
  kill -CONT "$FERRY_DAEMON_PID"
  stop_ferry_daemon 60
  max=$(sort -g "$samples" | tail -1); n=$(wc -l < "$samples")
  echo "${max:-nan} $hwm $n" >> "$TIMES/ferry.rss.all"
  idx=$(grep -m1 -E "$FERRY_INDEXED_RE" "$logf" || true)
  idx_ms=$(sed -nE 's/.* in ([0-9]+) ms.*/\1/p' <<< "$idx")
  read -r chunks files < <(sed -nE 's/.*chunks=([0-9]+) files=([0-9]+).*/\1 \2/p' <<< "$ready") || true
  phases "$t0" "$logf" "$idx" "$ready" "${idx_ms:-0}"
  EXTRA=$(printf '  RSS max %s MiB (%s samples), VmHWM %s MiB; files sent %s, chunks %s; %s\n            phases: %s' \
    "$(mib "${max:-nan}")" "$n" "$(mib "$hwm")" "${files:-?}" "${chunks:-?}" "$ROOT_NOTE" "$PHASES")
  if grep -E ' (WARN|ERROR) ' "$logf" | grep -qv "$PLAINTEXT_WARNING"; then
    EXTRA+=$'\n'"$(grep -E ' (WARN|ERROR) ' "$logf" | grep -v "$PLAINTEXT_WARNING" | head -3 | sed 's/^/            daemon log: /')"
  fi
}

# run_lsyncd R : round R's start of lsyncd, until its startup rsync is done; sets SECS, OK, EXTRA
run_lsyncd() {
  local out="$LOGS/firstsync-lsyncd-$1.out" t0
  rm -f "$LOGS/firstsync-lsyncd.log"
  t0=$(now)
  start_lsyncd "$FS/lsyncd.conf.lua" "$out" -log Exec
  if ! wait_log_follow "$out" 'Startup of .* finished' "$LSYNCD_PID" "$RUN_TIMEOUT_S" "lsyncd"; then
    SECS=$(elapsed "$t0" "$(now)")
    OK="FAIL (no 'Startup of ... finished' within $RUN_TIMEOUT_S s or lsyncd exited; log $out: $(tail -3 "$out" | tr '\n' ' ' | cut -c1-300))"
    stop_lsyncd
    return
  fi
  SECS=$(elapsed "$t0" "$WAIT_T")
  stop_lsyncd
  OK=$(verify "$SRC" "$(target_dir lsyncd)")
  if grep -q 'Error' "$out"; then EXTRA=$'\n'"$(grep 'Error' "$out" | head -3 | sed 's/^/            lsyncd log: /')"; fi
}

# run_process TOOL : one whole-process copy (rsync, floor-syncfs); sets SECS, OK
run_process() {
  local tool=$1 out="$LOGS/firstsync-$1.log" t0 t1 rc=0
  case $tool in
    rsync) PUSH=(rsync -a "$SRC/" "rsync://127.0.0.1:$RSYNC_PORT/fs/rsync/") ;;
    floor-syncfs) floor_push TreeFloor "$FLOOR_PORT" "$SRC" "$(target_dir floor-syncfs)" ;;
  esac
  t0=$(now)
  timeout "$RUN_TIMEOUT_S" "${PUSH[@]}" > "$out" 2>&1 || rc=$?
  t1=$(now)
  SECS=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    OK="FAIL (exit status $rc$([ "$rc" = 124 ] && echo ": timed out after $RUN_TIMEOUT_S s"); output: $(tail -5 "$out" | tr '\n' ' ' | cut -c1-400))"
  else
    OK=$(verify "$SRC" "$(target_dir "$tool")")
  fi
}

# one_run TOOL LABEL : prepare (untimed), time, check; appends the seconds to $TIMES/TOOL (the RSS figures of a
# ferry run to $TIMES/ferry.rss) when it verified
one_run() {
  local tool=$1 label=$2 round=${2#run }
  round=${round%%/*}                 # the daemons' logs, one per round: $LOGS/firstsync-ferry-daemon-R.log, -lsyncd-R.out
  move_aside "$(target_dir "$tool")"
  if [ "$tool" = ferry ]; then
    move_aside "$STATE"; rm -rf "$FERRY_DIGESTS"
    kill -0 "$FERRY_RECEIVER_PID" 2>/dev/null || { echo "FAIL: the ferry receiver is gone (log $LOGS/firstsync-ferry-receive.log)"; FAILED=1; return 1; }
  fi
  if [ "$tool" = floor-syncfs ] && ! kill -0 "$FLOOR_PID" 2>/dev/null; then
    echo "FAIL: the floor's receiver is gone (log $LOGS/firstsync-floor-receive.log)"; FAILED=1; return 1
  fi
  sync
  warm "$SRC"
  EXTRA=""
  case $tool in
    ferry) run_ferry "$round" ;;
    lsyncd) run_lsyncd "$round" ;;
    *) run_process "$tool" ;;
  esac
  printf '%-9s %-13s %8.3f s  %s%s\n' "$label" "$tool" "$SECS" "$OK" "$EXTRA"
  if [[ $OK == FAIL* ]]; then FAILED=1; return 1; fi
  echo "$SECS" >> "$TIMES/$tool"
  if [ "$tool" = ferry ]; then tail -1 "$TIMES/ferry.rss.all" >> "$TIMES/ferry.rss"; fi
}

if [ -n "$(ls -A "$TRASH")" ]; then
  log "deleting an earlier run's trash, then waiting $SETTLE_S s (the header says why)"
  settled_trash
fi
echo
echo "## first sync of $SRC into an empty target"
WARMUP=0
run_rounds one_run                 # lib.sh: RUNS rounds, each in round_order's order; stops at the first failure

# --- results -------------------------------------------------------------------------------------------------------
echo
echo "# load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg); disk free at end: $(df -Pk "$BENCH_DATA" | awk 'NR==2{printf "%.0f MiB", $4/1024}')"
for t in $TOOLS; do touch "$TIMES/$t"; summary "$t-firstsync" < "$TIMES/$t"; done
has ferry && has rsync && median_ratio "" ferry rsync "$TIMES/ferry" "$TIMES/rsync" 1.0
has ferry && has lsyncd && median_ratio "" ferry lsyncd "$TIMES/ferry" "$TIMES/lsyncd" 1.0
has ferry && has floor-syncfs && median_ratio "" ferry floor-syncfs "$TIMES/ferry" "$TIMES/floor-syncfs"
has lsyncd && has rsync && median_ratio "" lsyncd rsync "$TIMES/lsyncd" "$TIMES/rsync"
has floor-syncfs && has rsync && median_ratio "" floor-syncfs rsync "$TIMES/floor-syncfs" "$TIMES/rsync"
if has ferry && [ -s "$TIMES/ferry.rss" ]; then
  # mib_stats COLUMN : "median X MiB (min A, max B)" of a column of $TIMES/ferry.rss (KiB)
  mib_stats() { awk -v c="$1" '{print $c}' "$TIMES/ferry.rss" | sort -g | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "median %.1f MiB (min %.1f, max %.1f)", m/1024, a[1]/1024, a[NR]/1024 }'; }
  worst=$(awk '$1 > w {w = $1} $2 > w {w = $2} END {print w + 0}' "$TIMES/ferry.rss")   # (VmHWM may lag a sample a little)
  echo "RESULT ferry RSS while syncing: VmRSS sampled every ${RSS_SAMPLE_S:-0.1} s, the max of each run: $(mib_stats 1);" \
       "VmHWM at sync ready: $(mib_stats 2); n=$(wc -l < "$TIMES/ferry.rss")"
  awk -v w="$worst" -v t="$RSS_TARGET_MIB" 'BEGIN {
    printf "RESULT target ferry RSS <= %s MiB (the highest VmHWM or sample of all runs, %.1f MiB): %s\n", t, w/1024, (w/1024 <= t ? "MET" : "NOT MET") }'
fi
if has ferry && [ -s "$TIMES/ferry.root" ]; then
  echo "RESULT ferry target root's own mtime (left out of ferry's check): NOT mirrored in $(grep -c '^not$' "$TIMES/ferry.root" || true) of $(wc -l < "$TIMES/ferry.root") runs"
fi
if has ferry; then echo "# ferry receiver (untimed, all runs): VmHWM $(mib "$(proc_kib "$FERRY_RECEIVER_PID" VmHWM)") MiB"; fi
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed, timed out or did not verify (see above)"; exit 1; fi
