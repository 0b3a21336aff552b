#!/usr/bin/env bash
# bench/resume_bench.sh - resume after an interrupted push: push ONE random file (default 1 GiB) over 127.0.0.1,
# kill the sender once half of the file is in the target, then time the completion push (a second, identical
# push) and count the bytes it sends; ferry (receiver fsyncs) vs ferry-nofsync (receiver --durability none) vs
# `rsync --partial` vs `rsync --partial --append-verify` vs the same with --fsync, interleaved in the same run
# (each round runs every tool once, in a shuffled order: ORDER below),
# so that durability is compared like for like: ferry-nofsync against the rsync modes without fsync, ferry against
# rsync-append-verify-fsync. java-pipe-floor is a reference, not a competitor: the least any JVM program does here
# (JVM start + copying the rest file->socket->file with direct buffers; no hashing, no protocol, no fsync), to show
# how low a Java implementation's ratio to rsync can go on this machine at all; java-pipe-floor-checked the same plus
# the checks the issue asks of every chunk (a CRC32C in flight, a strong hash), the least a Java implementation of
# the issue's own design does.
#
#   bench/resume_bench.sh            RUNS=10 runs of each tool -> bench/results-resume_bench.txt
#   bench/resume_bench.sh --quick    RUNS=3 (smoke test; still 1 GiB) -> bench/results-resume_bench-quick.txt
#
#   ferry : receiver `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$BENCH_DATA/resume/ferry
#           --token-file $TOKEN --durability fsync` (ferry's default, spelt out), started ONCE per invocation and kept
#           running across every run (only the sender is killed; the receiver keeps the interrupted transfer in
#           $BENCH_DATA/resume/ferry/.ferry/partial/<hex>.part + .side; log $BENCH_DATA/logs/ferry-receive.log).
#           Both pushes: `ferry push $SRC/big.bin ferry://127.0.0.1:$FERRY_PORT/bench/big --token-file $TOKEN`
#           (the jar run directly, lib.sh ferry_prepare). Kill point: the .part file has KILL_FRAC of the file;
#           signal FERRY_KILL_SIGNAL [KILL]: a crash, the sender gets no chance to say goodbye.
#           The push's digest cache (XDG_STATE_HOME=$BENCH_DATA/state: $BENCH_DATA/state/ferry/push-digests) is deleted
#           before every first push, so that the first push starts without a hash list, as a first push does; what
#           that push keeps there (its read-ahead hashes the whole file while the first half goes out) is what the
#           completion push uses, as it would after a real crash. Each run line says whether the cache held the
#           file's list at the kill ("digest cache: kept" or "digest cache: none").
#   ferry-nofsync : the same against a SECOND receiver, also started once and kept running, `--durability none`
#           (no fsync before an ack or at the commit; the partial and its sidecar are still kept), on its own port
#           FERRY_NOFSYNC_PORT and folder root: `ferry receive --listen 127.0.0.1:$FERRY_NOFSYNC_PORT --folder
#           bench=$BENCH_DATA/resume/ferry-nofsync --token-file $TOKEN --durability none` (partials in
#           resume/ferry-nofsync/.ferry/partial; log $BENCH_DATA/logs/ferry-nofsync-receive.log); both pushes
#           `ferry push $SRC/big.bin ferry://127.0.0.1:$FERRY_NOFSYNC_PORT/bench/big --token-file $TOKEN`.
#   java-pipe-floor : the reference (bench/PipeFloor.java, compiled once per invocation with javac into
#           $BENCH_DATA/pipefloor, run with the same JDK as ferry). Receiver `java $FERRY_JVM_FLAGS
#           -cp $BENCH_DATA/pipefloor PipeFloor recv $FLOOR_PORT`, started once and kept running like the ferry
#           receivers (log $BENCH_DATA/logs/java-pipe-floor-receive.log): per connection a header (u64 offset, u32 path
#           length, u8 mode, UTF-8 path), then every following byte written at offset, offset+n, ... from one direct 1 MiB buffer
#           (SocketChannel.read, FileChannel.write(buf, position); no truncation, no fsync), one reply byte at EOF.
#           No first push and no kill: the kept part is the source's first KILL_AT bytes, written untimed (`head -c
#           $KILL_AT $SRC/big.bin > $BENCH_DATA/resume/java-pipe-floor/big/big.bin`). Completion: `java
#           $FERRY_JVM_FLAGS -XX:TieredStopAtLevel=1 -cp $BENCH_DATA/pipefloor PipeFloor send
#           $FLOOR_PORT $SRC/big.bin $BENCH_DATA/resume/java-pipe-floor/big/big.bin $KILL_AT` (the rest, read with
#           FileChannel.read into a direct 1 MiB buffer + SocketChannel.write). JVM flags as ferry's: FERRY_JVM_FLAGS of
#           bin/lib/jdk.sh for both, the sender C1 only as ferry's push (ferry_jvm_flags); FERRY_JAVA_OPTS not applied;
#           no AOT cache (it loads JDK classes only). Two things err against the floor (make it a little slower than it
#           could be): that missing AOT cache, and its rest: always everything after KILL_AT, while the killed tools'
#           kill lands a little past KILL_AT, so they have a little less left to send (see the bytes lines).
#           The classpath of both sides is $BENCH_DATA/pipefloor:$BENCH_DATA/ferry.jar (the checked mode below).
#   java-pipe-floor-checked : the same reference program, receiver and kept prefix, completion `PipeFloor
#           send-checked ...` instead of `send`: the rest goes in blocks of up to 1 MiB, each after a u32 length and
#           its CRC32C (java.util.zip.CRC32C, computed by the sender); the receiver checks every block's CRC32C and
#           hashes it with XXH3-128 (ferry's own dev.ferry.hash.ChunkDigester, from ferry.jar), as ferry's receiver
#           checks a chunk against the sender's hash list. The sender hashes nothing, as ferry's completion push, which
#           takes its list from its digest cache. Still no protocol, no partial file, no sidecar, no rename, no fsync.
#   rsync : an rsync daemon on 127.0.0.1:$RSYNC_PORT (module bench -> $BENCH_DATA/resume/rsync, as push_bench.sh),
#           both pushes `rsync -a --partial --stats $SRC/big.bin rsync://127.0.0.1:$RSYNC_PORT/bench/big/`
#           (rsync-partial), the same with --append-verify (rsync-append-verify), or with --append-verify --fsync
#           (rsync-append-verify-fsync: the daemon's receiver fsyncs every file it finishes). The three modes share
#           the module and its target dir big/: the runs are sequential and every run starts by moving that dir
#           aside, so no mode sees another's leftovers. Kill point: the files in the target dir (rsync's temp file)
#           hold KILL_FRAC of the file; signal RSYNC_KILL_SIGNAL [TERM], as in the team's reference
#           (/work/shared/bench/rsync_baseline.sh, case e): the interruption a user makes.
#           (--partial is honoured by the daemon's receiver, which keeps the partial whichever way the client dies:
#           checked with RSYNC_KILL_SIGNAL=KILL too.)
# Once, before the runs (informational, not part of any target): the disk's durable write speed, the floor for a
# durable completion: DISK_RUNS times `dd if=$SRC/big.bin of=$BENCH_DATA/dd.tmp bs=1M count=<the rest after the
# kill point, in MiB> conv=fdatasync` (each after the previous dd.tmp is renamed into the trash, PREP=reuse emptying
# it, sync, source re-read; the last dd.tmp is renamed into the trash too), printed as one "# disk: ..." line
# with the median.
# Each run, for each tool:
#   1. untimed: the previous target dir is renamed into $BENCH_DATA/trash (ferry tools: also a leftover .ferry/partial
#      of that tool's receiver); sync; the source is read once more into the page cache.
#   2. untimed: the first push is started and polled every 10 ms (at most POLL_TIMEOUT_S) until the kill point, then
#      killed. Then we wait (at most RELEASE_TIMEOUT_S) until the receiver has let go of the partial (ferry tools: no
#      open descriptor of that tool's receiver under its .ferry/partial; rsync: the daemon has no child left), then
#      SETTLE s more. "kept" = the bytes in the target now (ferry tools: size of the .part; rsync: the files in the
#      target dir). the floors instead: the prefix of KILL_AT bytes is written (head -c, time printed), no wait;
#      kept = its size.
#   3. untimed: PREP=reuse (default) empties the trash now, right before the timed push, so that its page cache
#      reuses the memory just freed (see push_bench.sh / README "Hygiene"); sync; CACHE=warm (default): the source
#      re-read; CACHE=cold: `echo 3 > /proc/sys/vm/drop_caches` instead, as after a reboot: the source, the kept part,
#      the programs and the JDK all come from disk (both sides share this machine's page cache; needs root).
#   4. timed (wall clock, whole process, JVM start included): the completion push. Recorded: its time, the bytes it
#      sent (ferry tools: its "ferry: pushed ...: X MiB in N chunks (R re-sent)" line; rsync: --stats "Total bytes
#      sent"; the floors: the "PipeFloor: sent N bytes" line, = size - KILL_AT), the loopback bytes meanwhile
#      (/proc/net/dev lo rx: every loopback byte of the machine, TCP/IP headers included), and the result is checked
#      with cmp. A failure prints FAIL, stops the runs, exit status 1.
# A first push that was not interrupted (it ended before the kill point, or completed in spite of the signal, or left
# the whole file) is printed as SKIP, not counted, and the run is done again (at most SKIP_RETRIES more times).
# Target (the issue): ferry's bytes sent after the restart <= rest + 1% of the file (rest = file size - kept; checked
# for ferry and for ferry-nofsync), and ferry's median completion time <= 0.5 x rsync's, like for like (medians of
# the same run): ferry-nofsync / the best of rsync-partial and rsync-append-verify (no fsync on either side), and
# ferry / rsync-append-verify-fsync (fsync on both sides). Also printed, labelled as not like for like: ferry /
# the best rsync mode without fsync (the ratio this script reported before the fsync-aware tools existed).
# The references: "RESULT floor: java-pipe-floor completion median = X s = R x the best rsync mode's (the issue's target
# is 0.5 x)", against the best rsync mode without fsync (no fsync on either side), and the same line for
# java-pipe-floor-checked; no target of their own (left out when that floor or both rsync modes without fsync are not
# in TOOLS). Its completion and bytes RESULT lines are
# printed like every tool's.
#
# Knobs (environment): RUNS [10]  SIZE_MIB [1024]  WARMUP [1] untimed rounds of every tool first
#   TOOLS ["ferry ferry-nofsync java-pipe-floor java-pipe-floor-checked rsync-partial rsync-append-verify
#          rsync-append-verify-fsync"]   CACHE [warm]|cold (step 3)
#   ORDER [shuffle]|fixed: the order of the tools in each timed round: shuffled anew every round (seeded with
#   SEED [now, in seconds] + the round; the seed is printed, so a run can be repeated in the same orders), or as
#   in TOOLS. Shuffled because each run leaves its successor the memory to reclaim and back again (the VM's
#   first touch of memory is slow here: a receiver's kernel time rose from 0.13 to 1.0-1.5 s per 512 MiB written in
#   alternate runs), and in a fixed order that cost lands on the same tool every round. The warm-up round runs
#   in the order of TOOLS.
#   KILL_FRAC [0.5]  FERRY_KILL_SIGNAL [KILL]  RSYNC_KILL_SIGNAL [TERM]  SETTLE [1] s after the receiver let go
#   POLL_TIMEOUT_S [60]  RELEASE_TIMEOUT_S [30]  SKIP_RETRIES [2]  PREP [reuse]|keep
#   DISK_RUNS [3] dd runs for the "# disk:" line (0: none)
#   FERRY_PORT [17878]  FERRY_NOFSYNC_PORT [FERRY_PORT+1]  FLOOR_PORT [FERRY_PORT+2] the floors' receiver
#   RSYNC_PORT [18730] (the ports in use must differ: exit 2)  BENCH_DATA [/tmp/ferry-bench]
#   RESULTS [bench/results-resume_bench.txt]   FERRY_JAVA_OPTS [] extra JVM options for every ferry process
#   FERRY_RECEIVE_OPTS [] extra flags for both ferry receivers (not --durability: each tool sets its own; exit 2)
#   FERRY_PUSH_OPTS [] extra flags for every ferry push
# Exit status: 0 ok (whether or not the target is met), 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"   # sets QUICK; --help prints the header of this script
if [ "$QUICK" = 1 ]; then RUNS="${RUNS:-3}"; RESULTS="${RESULTS:-$BENCH_DIR/results-resume_bench-quick.txt}"; fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-10}"; WARMUP="${WARMUP:-1}"
TOOLS="${TOOLS:-ferry ferry-nofsync java-pipe-floor java-pipe-floor-checked rsync-partial rsync-append-verify rsync-append-verify-fsync}"; PREP="${PREP:-reuse}"
KILL_FRAC="${KILL_FRAC:-0.5}"; FERRY_KILL_SIGNAL="${FERRY_KILL_SIGNAL:-KILL}"; RSYNC_KILL_SIGNAL="${RSYNC_KILL_SIGNAL:-TERM}"
SETTLE="${SETTLE:-1}"; POLL_TIMEOUT_S="${POLL_TIMEOUT_S:-60}"; RELEASE_TIMEOUT_S="${RELEASE_TIMEOUT_S:-30}"; SKIP_RETRIES="${SKIP_RETRIES:-2}"
DISK_RUNS="${DISK_RUNS:-3}"; CACHE="${CACHE:-warm}"
FERRY_PORT="${FERRY_PORT:-17878}"; FERRY_NOFSYNC_PORT="${FERRY_NOFSYNC_PORT:-$((FERRY_PORT + 1))}"; RSYNC_PORT="${RSYNC_PORT:-18730}"
FLOOR_PORT="${FLOOR_PORT:-$((FERRY_PORT + 2))}"
case $PREP in reuse|keep) ;; *) echo "PREP must be reuse or keep" >&2; exit 2 ;; esac
order_init                                         # ORDER, SEED (lib.sh)
case $CACHE in
  warm) ;;
  cold) (sync; echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null || { echo "CACHE=cold needs root (/proc/sys/vm/drop_caches)" >&2; exit 2; } ;;
  *) echo "CACHE must be warm or cold" >&2; exit 2 ;;
esac
ALL_TOOLS="ferry ferry-nofsync java-pipe-floor java-pipe-floor-checked rsync-partial rsync-append-verify rsync-append-verify-fsync"
[ -n "${TOOLS// /}" ] || { echo "TOOLS is empty (${ALL_TOOLS// /, })" >&2; exit 2; }
for t in $TOOLS; do
  [[ " $ALL_TOOLS " == *" $t "* ]] || { echo "TOOLS: unknown tool '$t' (${ALL_TOOLS// /, })" >&2; exit 2; }
done
if [[ " ${FERRY_RECEIVE_OPTS:-} " == *" --durability"* ]]; then
  echo "FERRY_RECEIVE_OPTS: no --durability here: the ferry tool's receiver fsyncs (--durability fsync), ferry-nofsync's" \
       "does not (--durability none); pick with TOOLS" >&2
  exit 2
fi
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"          # the same source file as push_bench.sh (kept if the size fits)
TOKEN="$BENCH_DATA/token-resume_bench"             # its own: push_bench.sh rewrites $BENCH_DATA/token on every start
ROOT_RSYNC="$BENCH_DATA/resume/rsync"              # the rsync module's root (all three rsync modes, one after another)
ROOT_FLOOR="$BENCH_DATA/resume/java-pipe-floor"    # java-pipe-floor's target root (the file: big/big.bin, as rsync's)
FLOOR_SRC="$BENCH_DIR/PipeFloor.java"; FLOOR_CLASSES="$BENCH_DATA/pipefloor"   # compiled once per invocation
FLOOR_RECEIVER_PID=""                              # set by lib.sh start_receiver_as
DD_TMP="$BENCH_DATA/dd.tmp"                        # the "# disk:" line's dd output
# per ferry tool: its receiver's folder root, partial dir, port, pid variable (lib.sh start_ferry_receiver_as), log,
# --durability
declare -A ROOT PARTIALS PORT RECV_PID_VAR RECV_LOG DURABILITY
ROOT[ferry]="$BENCH_DATA/resume/ferry"; ROOT[ferry-nofsync]="$BENCH_DATA/resume/ferry-nofsync"
PARTIALS[ferry]="${ROOT[ferry]}/.ferry/partial"; PARTIALS[ferry-nofsync]="${ROOT[ferry-nofsync]}/.ferry/partial"
PORT[ferry]=$FERRY_PORT; PORT[ferry-nofsync]=$FERRY_NOFSYNC_PORT
RECV_PID_VAR[ferry]=FERRY_RECEIVER_PID; RECV_PID_VAR[ferry-nofsync]=FERRY_NOFSYNC_RECEIVER_PID
RECV_LOG[ferry]="$LOGS/ferry-receive.log"; RECV_LOG[ferry-nofsync]="$LOGS/ferry-nofsync-receive.log"
DURABILITY[ferry]=fsync; DURABILITY[ferry-nofsync]=none
# shellcheck disable=SC2034  # set through its name by lib.sh start_ferry_receiver_as, read through RECV_PID_VAR
FERRY_NOFSYNC_RECEIVER_PID=""
BYTES=$((SIZE_MIB * 1048576))
if [ $((SIZE_MIB % 1024)) = 0 ]; then LABEL="$((SIZE_MIB / 1024))GiB"; else LABEL="${SIZE_MIB}MiB"; fi
KILL_AT=$(awk -v f="$KILL_FRAC" -v s="$BYTES" 'BEGIN{printf "%d", f * s}')
SLACK=$((BYTES / 100))                             # "+ 1% of the file"
DD_MIB=$(( (BYTES - KILL_AT) / 1048576 )); [ "$DD_MIB" -ge 1 ] || DD_MIB=1   # the rest after the kill point

has() { [[ " $TOOLS " == *" $1 "* ]]; }
has_ferry() { has ferry || has ferry-nofsync; }
has_rsync() { has rsync-partial || has rsync-append-verify || has rsync-append-verify-fsync; }
is_ferry() { [[ $1 == ferry || $1 == ferry-nofsync ]]; }
has_floor() { has java-pipe-floor || has java-pipe-floor-checked; }
need cmp
has_rsync && need rsync
bench_lock "resume_bench"                          # one benchmark at a time; then the ports, before anything is written
ports=(); has ferry && ports+=("$FERRY_PORT"); has ferry-nofsync && ports+=("$FERRY_NOFSYNC_PORT")
has_floor && ports+=("$FLOOR_PORT"); has_rsync && ports+=("$RSYNC_PORT")
if [ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" != "${#ports[@]}" ]; then
  echo "FERRY_PORT, FERRY_NOFSYNC_PORT, FLOOR_PORT and RSYNC_PORT must differ (${ports[*]})" >&2; exit 2
fi
ports_free "${ports[@]}"
# JDK + jar before the results file is opened (build output stays out of it); PipeFloor's checked mode hashes with
# ferry's ChunkDigester, so the floors need the jar too
{ has_ferry || has_floor; } && ferry_prepare
if has_floor; then                                 # the same JDK; compiled once, untimed (not the source launcher)
  rm -rf "$FLOOR_CLASSES"; mkdir -p "$FLOOR_CLASSES"
  "$JAVA_HOME/bin/javac" -cp "$BENCH_DATA/ferry.jar" -d "$FLOOR_CLASSES" "$FLOOR_SRC" || die "cannot compile $FLOOR_SRC"
fi
tee_results "resume_bench$([ "$QUICK" = 1 ] && echo -quick)"

trap stop_receiver_and_rsyncd EXIT                 # every receiver (lib.sh FERRY_RECEIVER_VARS: ferry's, PipeFloor's) and rsyncd
trap 'exit 130' INT TERM

echo "# load before: $(uptime | sed 's/.*load average://')"
echo "# one ${LABEL} random file; the first push is killed once $KILL_FRAC of it ($KILL_AT bytes) is in the target," \
     "the completion push is timed; $RUNS timed runs per tool, interleaved ($TOOLS;" \
     "$(order_note)), $WARMUP untimed warm-up round(s)"
echo "# each run (untimed): previous target renamed into $TRASH, sync, source re-read; after the kill: wait until the" \
     "receiver let go of the partial, +${SETTLE} s;$([ "$PREP" = reuse ] && echo ' trash deleted right before the timed push (PREP=reuse);' || echo ' trash kept until the end (PREP=keep);') sync, source re-read"
echo "# target: ferry and ferry-nofsync sent after restart <= rest + 1% of the file ($SLACK B), rest = $BYTES - kept;" \
     "completion median <= 0.5 x rsync's, like for like: ferry-nofsync vs the best rsync mode without fsync," \
     "ferry (fsync) vs rsync-append-verify-fsync"
if has_floor; then
  echo "# java-pipe-floor is a reference, not a competitor: the least any JVM program does here: JVM start + copying the" \
       "rest file->socket->file with direct buffers; no hashing, no protocol, no fsync (bench/PipeFloor.java)"
fi

gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
mkdir -p "$ROOT_RSYNC" "$ROOT_FLOOR"; move_aside "$ROOT_RSYNC/big"; move_aside "$ROOT_FLOOR/big"
for t in ferry ferry-nofsync; do mkdir -p "${ROOT[$t]}"; move_aside "${ROOT[$t]}/big"; move_aside "${PARTIALS[$t]}"; done

if has_ferry; then
  echo "# ferry: the jar run directly (jar copied to $BENCH_DATA/ferry.jar, built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ)," \
       "sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16))"
fi
for t in ferry ferry-nofsync; do
  has "$t" || continue
  # at DEBUG: the receiver's per-file "committed folder=.. path=.. peer=.. chunks=.. reused=.. resumed=.." line (INFO
  # has only one "received ..." summary per session)
  FERRY_LOG_LEVEL=DEBUG start_ferry_receiver_as "${RECV_PID_VAR[$t]}" "${RECV_LOG[$t]}" "${PORT[$t]}" "$TOKEN" "bench=${ROOT[$t]}" -- --durability "${DURABILITY[$t]}"
  # shellcheck disable=SC2206
  push=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:${PORT[$t]}/bench/big" --token-file "$TOKEN" ${FERRY_PUSH_OPTS:-})
  if [ "$t" = ferry ]; then FERRY_PUSH=("${push[@]}"); else FERRY_NOFSYNC_PUSH=("${push[@]}"); fi
  echo "# $t (both pushes): ${push[*]}"
  echo "#   killed with SIG$FERRY_KILL_SIGNAL when ${PARTIALS[$t]}/*.part has >= $KILL_AT bytes"
  echo "#   receiver (started once, runs throughout; log ${RECV_LOG[$t]}): FERRY_LOG_LEVEL=DEBUG ${FERRY_CMD[*]} receive --listen 127.0.0.1:${PORT[$t]}" \
       "--folder bench=${ROOT[$t]} --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}${FERRY_RECEIVE_OPTS:+ }--durability ${DURABILITY[$t]}"
done
# floor_send TOOL : sets FLOOR_SEND to the completion command of java-pipe-floor or java-pipe-floor-checked
floor_send() {
  FLOOR_SEND=("$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -XX:TieredStopAtLevel=1 -cp "$FLOOR_CP" PipeFloor
              "${FLOOR_MODE[$1]}" "$FLOOR_PORT" "$BIG" "$ROOT_FLOOR/big/big.bin" "$KILL_AT")
}

if has_floor; then
  # the JVM flags of ferry's processes (bin/lib/jdk.sh FERRY_JVM_FLAGS); the sender also C1 only, as ferry's push
  # (ferry_jvm_flags). No AOT cache: PipeFloor loads only JDK classes (the JDK's own CDS archive covers those), and
  # the checked receiver ferry's ChunkDigester (ferry.jar on its classpath).
  FLOOR_CP="$FLOOR_CLASSES:$BENCH_DATA/ferry.jar"
  FLOOR_RECV=("$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -cp "$FLOOR_CP" PipeFloor recv "$FLOOR_PORT")
  declare -A FLOOR_MODE=([java-pipe-floor]=send [java-pipe-floor-checked]=send-checked)
  start_receiver_as FLOOR_RECEIVER_PID "$LOGS/java-pipe-floor-receive.log" "$FLOOR_PORT" "PipeFloor receiver" "${FLOOR_RECV[@]}"
  log "PipeFloor receiver: pid $FLOOR_RECEIVER_PID, 127.0.0.1:$FLOOR_PORT"
  echo "# java-pipe-floor: no first push: the kept part is a byte-identical prefix of the source, written untimed:" \
       "head -c $KILL_AT $BIG > $ROOT_FLOOR/big/big.bin"
  for t in java-pipe-floor java-pipe-floor-checked; do
    has "$t" && floor_send "$t" && echo "#   $t completion (timed): ${FLOOR_SEND[*]}"
  done
  echo "#   receiver (started once, runs throughout; log $LOGS/java-pipe-floor-receive.log; $FLOOR_CLASSES compiled" \
       "from $FLOOR_SRC with javac, sha256 $(sha256sum "$FLOOR_SRC" | cut -c1-16)): ${FLOOR_RECV[*]}"
fi
if has_rsync; then
  start_rsyncd "$RSYNC_PORT" bench "$ROOT_RSYNC"
  RSYNC_PARTIAL=(rsync -a --partial --stats "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/big/")
  RSYNC_APPEND=(rsync -a --partial --append-verify --stats "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/big/")
  RSYNC_APPEND_FSYNC=(rsync -a --partial --append-verify --fsync --stats "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/big/")
  has rsync-partial && echo "# rsync-partial (both pushes): ${RSYNC_PARTIAL[*]}"
  has rsync-append-verify && echo "# rsync-append-verify (both pushes): ${RSYNC_APPEND[*]}"
  has rsync-append-verify-fsync && echo "# rsync-append-verify-fsync (both pushes): ${RSYNC_APPEND_FSYNC[*]}"
  echo "#   killed with SIG$RSYNC_KILL_SIGNAL when the files in $ROOT_RSYNC/big/ have >= $KILL_AT bytes" \
       "(the modes share the module; every run first moves big/ aside)"
fi

# the disk's durable write speed (informational): dd of the rest after the kill point with fdatasync, DISK_RUNS times
if [ "$DISK_RUNS" -gt 0 ]; then
  : > "$LOGS/resume-dd.log"
  dd_times=() dd_fail=""
  for ((i = 1; i <= DISK_RUNS; i++)); do
    move_aside "$DD_TMP"
    [ "$PREP" = reuse ] && empty_trash
    sync
    cat "$BIG" > /dev/null
    t0=$(now)
    if ! dd if="$BIG" of="$DD_TMP" bs=1M count="$DD_MIB" conv=fdatasync 2>> "$LOGS/resume-dd.log"; then
      dd_fail="dd failed (see $LOGS/resume-dd.log)"; break
    fi
    t1=$(now); dd_times+=("$(elapsed "$t0" "$t1")")
  done
  move_aside "$DD_TMP"
  if [ -n "$dd_fail" ]; then
    echo "# disk: $dd_fail"
  else
    printf '%s\n' "${dd_times[@]}" | sort -g | awk -v mib="$DD_MIB" -v frac="$KILL_FRAC" '{a[NR]=$1} END {
      m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
      printf "# disk: writing the rest after the kill point (%d MiB, %g of the file) with fdatasync (dd): median %.3f s" \
             " (min %.3f, max %.3f, n=%d) = %.0f MB/s: the floor for a durable completion (informational, no target)\n",
             mib, 1 - frac, m, a[1], a[NR], NR, mib * 1048576 / m / 1e6 }'
  fi
fi
echo

FAILED=0
DATA="$BENCH_DATA/resume-runs"; rm -rf "$DATA"; mkdir -p "$DATA"   # one TSV line per timed run and tool

# before_completion : the last step before a timed completion: sync, then CACHE=warm: the source is read into the page
# cache; CACHE=cold: every clean page is dropped (the source, the partial, the programs and the JDK: as after a reboot)
before_completion() {
  sync
  if [ "$CACHE" = cold ]; then echo 3 > /proc/sys/vm/drop_caches; else cat "$BIG" > /dev/null; fi
}
mib1() { awk -v b="$1" 'BEGIN{ if (b == "" || b == "nan") print "nan"; else printf "%.1f", b / 1048576 }'; }
# receiver_pid TOOL : the pid of a ferry tool's receiver
receiver_pid() { local v=${RECV_PID_VAR[$1]}; echo "${!v}"; }

# present_bytes TOOL : the bytes of the interrupted transfer in the target now (ferry tools: the .part file(s) of
# that tool's receiver; rsync: every file in the target dir, its dot temp file included)
present_bytes() {
  local out s=0 x
  if is_ferry "$1"; then
    out=$(shopt -s nullglob; f=("${PARTIALS[$1]}"/*.part); [ ${#f[@]} = 0 ] || stat -c %s -- "${f[@]}" 2>/dev/null) || true
  else
    out=$(shopt -s nullglob dotglob; f=("$ROOT_RSYNC/big"/*); [ ${#f[@]} = 0 ] || stat -c %s -- "${f[@]}" 2>/dev/null) || true
  fi
  for x in $out; do s=$((s + x)); done
  echo "$s"
}

# wait_kill_point TOOL PID : polls every 10 ms until present_bytes >= KILL_AT. Sets KP to reached | exited | timeout;
# KP_BYTES: what present_bytes saw last (at the kill: how far past the kill point the poll was).
KP=""; KP_BYTES=0
wait_kill_point() {
  local t0=$SECONDS
  while :; do
    KP_BYTES=$(present_bytes "$1")
    [ "$KP_BYTES" -ge "$KILL_AT" ] && { KP=reached; return 0; }
    kill -0 "$2" 2>/dev/null || { KP=exited; return 0; }
    ((SECONDS - t0 >= POLL_TIMEOUT_S)) && { KP=timeout; return 0; }
    sleep 0.01
  done
}

# released TOOL : true when the receiver has let go of the interrupted transfer (ferry tools: that tool's receiver
# holds no descriptor under its .ferry/partial; rsync: the daemon has no child process, i.e. no connection is served)
released() {
  if is_ferry "$1"; then
    [ -z "$(find "/proc/$(receiver_pid "$1")/fd" -lname "${PARTIALS[$1]}/*" 2>/dev/null | head -1)" ]
  elif [ -r "/proc/$RSYNCD_PID/task/$RSYNCD_PID/children" ]; then
    [ -z "$(tr -d ' \n' < "/proc/$RSYNCD_PID/task/$RSYNCD_PID/children")" ]
  else
    ! pgrep -P "$RSYNCD_PID" >/dev/null
  fi
}
# wait_released TOOL : at most RELEASE_TIMEOUT_S; prints the seconds it took, or "timeout"
wait_released() {
  local t0 t1 i
  t0=$(now)
  for ((i = 0; i < RELEASE_TIMEOUT_S * 100; i++)); do
    if released "$1"; then t1=$(now); elapsed "$t0" "$t1"; return 0; fi
    sleep 0.01
  done
  echo timeout
}

# sidecar_durable PARTIAL_DIR : bytes of the chunks the sidecar(s) in PARTIAL_DIR record as verified and durable (what
# the receiver will reuse; with --durability none: recorded, not fsynced), from the record layout documented in
# daemon/.../receive/PartialSidecar.java (8-byte header, format 2; records: u32 length, u8 type, u32 CRC32C, payload;
# VERSION = str path, u64 size, i64 mtimeSeconds, u32 mtimeNanos, u32 chunkSize, u8 algorithm).
# Informative only ("nan" when there is none or it does not parse; CRCs are not checked).
sidecar_durable() {
  local f out=""
  for f in "$1"/*.side; do
    [ -f "$f" ] || continue
    out=$(od -An -v -tu1 "$f" | awk '{ for (i = 1; i <= NF; i++) b[n++] = $i }
      function u(o, k,   v, j) { v = 0; for (j = 0; j < k; j++) v = v * 256 + b[o + j]; return v }
      END {
        o = 8; cs = 0; size = 0; d = 0
        while (o + 9 <= n) {
          len = u(o, 4); type = b[o + 4]; p = o + 9
          if (p + len > n) break
          if (type == 1) { pl = u(p, 2); size = u(p + 2 + pl, 8); cs = u(p + 22 + pl, 4) }
          else if (type == 2 && cs > 0) { i = u(p, 4); c = size - i * cs; d += (c < cs ? c : cs) }
          o = p + len
        }
        if (cs == 0) print "nan"; else print d }')
  done
  echo "${out:-nan}"
}

# verdict TOOL RC DIR : "verify ok", or FAIL with the reason: the completion's exit status (and its output), or cmp
# finding DIR/big.bin different from the source or missing (with what DIR holds)
verdict() {
  if [ "$2" != 0 ]; then
    echo "FAIL (exit status $2; output: $(tr '\n' ' ' < "$LOGS/resume-$1-second.log" | cut -c1-300))"
  elif cmp -s "$BIG" "$3/big.bin"; then
    echo "verify ok"
  else
    echo "FAIL (cmp: $3/big.bin differs from the source or is missing; $(ls -la "$3" 2>&1 | tr '\n' ' ' | cut -c1-300))"
  fi
}

# one_run TOOL LABEL : see the header; appends a TSV line to $DATA/TOOL unless LABEL is "warm-up"
one_run() {
  local tool=$1 label=$2 i dir pid sig rc=0 rc1=0 t0 t1 t2 t3 l0 l1 kept durable="" rel secs sent lo ok extra="" first cl0 cl1 line
  local rlog="" tag
  local -a cmd
  case $tool in
    ferry) cmd=("${FERRY_PUSH[@]}") ;;
    ferry-nofsync) cmd=("${FERRY_NOFSYNC_PUSH[@]}") ;;
    rsync-partial) cmd=("${RSYNC_PARTIAL[@]}") ;;
    rsync-append-verify) cmd=("${RSYNC_APPEND[@]}") ;;
    rsync-append-verify-fsync) cmd=("${RSYNC_APPEND_FSYNC[@]}") ;;
  esac
  tag=$(printf '%-8s %-25s' "$label" "$tool")
  if is_ferry "$tool"; then
    sig=$FERRY_KILL_SIGNAL; dir="${ROOT[$tool]}/big"; rlog=${RECV_LOG[$tool]}
    if ! kill -0 "$(receiver_pid "$tool")" 2>/dev/null; then
      echo "FAIL: the $tool receiver is gone (log: $rlog)"; FAILED=1; return 1
    fi
  else
    sig=$RSYNC_KILL_SIGNAL; dir="$ROOT_RSYNC/big"
  fi
  # 1. clean target (the old copy is deleted later, right before the timed push: PREP=reuse)
  move_aside "$dir"
  if is_ferry "$tool" && [ -n "$(ls -A "${PARTIALS[$tool]}" 2>/dev/null)" ]; then move_aside "${PARTIALS[$tool]}"; fi
  is_ferry "$tool" && rm -rf "$FERRY_DIGESTS"   # the first push starts without a hash list
  sync
  cat "$BIG" > /dev/null
  # 2. the interrupted push
  t0=$(now)
  "${cmd[@]}" > "$LOGS/resume-$tool-first.log" 2>&1 &
  pid=$!
  wait_kill_point "$tool" "$pid"
  [ "$KP" = reached ] && kill -"$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || rc1=$?
  t1=$(now)
  first="$(elapsed "$t0" "$t1") s, status $rc1"
  if [ "$KP" = timeout ]; then
    kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    echo "$tag FAIL: fewer than $KILL_AT bytes in the target after $POLL_TIMEOUT_S s"
    FAILED=1; return 1
  elif [ "$KP" = exited ] && [ "$rc1" != 0 ]; then
    echo "$tag FAIL: the first push failed (status $rc1) before the kill point:" \
         "$(tr '\n' ' ' < "$LOGS/resume-$tool-first.log" | cut -c1-300)"
    FAILED=1; return 1
  fi
  rel=$(wait_released "$tool")
  [ "$rel" = timeout ] && extra+=" WARNING: the receiver still held the partial after $RELEASE_TIMEOUT_S s;"
  sleep "$SETTLE"
  kept=$(present_bytes "$tool")
  # not an interruption: the push ended before the kill point, or completed anyway (exit 0 / the whole file kept)
  if [ "$KP" = exited ] || [ "$rc1" = 0 ] || [ "$kept" -ge "$BYTES" ] || { is_ferry "$tool" && [ -e "$dir/big.bin" ]; }; then
    echo "$tag SKIP (not counted, run again): the first push $([ "$KP" = exited ] && echo "ended before the kill point" || echo "completed despite SIG$sig")" \
         "(kill point $KP at $(mib1 "$KP_BYTES") MiB; first push $first; kept $(mib1 "$kept") MiB)"
    return 3
  fi
  is_ferry "$tool" && durable=$(sidecar_durable "${PARTIALS[$tool]}")
  if is_ferry "$tool"; then
    if [ -n "$(ls -A "$FERRY_DIGESTS" 2>/dev/null)" ]; then extra+=" digest cache: kept;"; else extra+=" digest cache: none;"; fi
  fi
  # 3. clean up memory and the page cache before the timed push
  [ "$PREP" = reuse ] && empty_trash
  before_completion
  # 4. the completion push, timed
  is_ferry "$tool" && cl0=$(grep -cE 'committed folder=[^ ]+ path=big/big.bin ' "$rlog" || true)
  l0=$(lo_bytes); t2=$(now)
  "${cmd[@]}" > "$LOGS/resume-$tool-second.log" 2>&1 || rc=$?
  t3=$(now); l1=$(lo_bytes)
  secs=$(elapsed "$t2" "$t3"); lo=$((l1 - l0))
  if is_ferry "$tool"; then
    line=$(grep -m1 '^ferry: pushed ' "$LOGS/resume-$tool-second.log" || true)
    sent=$(sed -nE 's/.*: ([0-9.]+) MiB in [0-9]+ chunks .*/\1/p' <<< "$line" | awk '{printf "%d", $1 * 1048576}')
    extra+=" $(sed -nE 's/.*MiB in ([0-9]+ chunks \([0-9]+ re-sent\)).*/\1/p' <<< "$line");"
    # the receiver's line for this commit: chunks reused from an existing target file / resumed from the partial
    for ((i = 0; i < 200; i++)); do
      cl1=$(grep -cE 'committed folder=[^ ]+ path=big/big.bin ' "$rlog" || true)
      [ "$cl1" -gt "$cl0" ] && break; sleep 0.01
    done
    line=$(grep -E 'committed folder=[^ ]+ path=big/big.bin ' "$rlog" | tail -1)
    [ "$cl1" -gt "$cl0" ] && extra+=" receiver: $(grep -oE 'chunks=[0-9]+ reused=[0-9]+ resumed=[0-9]+' <<< "$line");"
  else
    sent=$(sed -nE 's/^Total bytes sent: ([0-9,]+).*/\1/p' "$LOGS/resume-$tool-second.log" | tr -d ,)
  fi
  sent=${sent:-nan}
  ok=$(verdict "$tool" "$rc" "$dir")
  if is_ferry "$tool" && [ "$sent" != nan ]; then
    extra+=" sent <= rest + 1%: $( ((sent <= BYTES - kept + SLACK)) && echo yes || echo NO);"
  fi
  printf '%s SIG%s at %s MiB (first push %s), receiver let go after %s s, kept %s MiB%s; completion %6.3f s, sent %s MiB, lo %s MiB;%s %s\n' \
    "$tag" "$sig" "$(mib1 "$KP_BYTES")" "$first" "$rel" "$(mib1 "$kept")" \
    "$(is_ferry "$tool" && echo " ($([ "${DURABILITY[$tool]}" = fsync ] && echo durable || echo recorded) per sidecar $(mib1 "$durable"))")" "$secs" "$(mib1 "$sent")" "$(mib1 "$lo")" "$extra" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  # completion_s  sent  lo  kept  durable
  [ "$label" = warm-up ] || printf '%s\t%s\t%s\t%s\t%s\n' "$secs" "$sent" "$lo" "$kept" "${durable:-nan}" >> "$DATA/$tool"
}

# floor_run TOOL LABEL : one run of java-pipe-floor or java-pipe-floor-checked (see the header): no first push; the kept part is the source's first
# KILL_AT bytes, written untimed; then the same hygiene and the timed `PipeFloor send` of the rest. Appends a TSV line
# to $DATA/java-pipe-floor unless LABEL is "warm-up".
floor_run() {
  local tool=$1 label=$2 dir="$ROOT_FLOOR/big" rc=0 t0 t1 t2 t3 l0 l1 kept prefix secs sent lo ok tag
  tag=$(printf '%-8s %-25s' "$label" "$tool")
  if ! kill -0 "$FLOOR_RECEIVER_PID" 2>/dev/null; then
    echo "FAIL: the PipeFloor receiver is gone (log: $LOGS/java-pipe-floor-receive.log)"; FAILED=1; return 1
  fi
  # 1. clean target
  move_aside "$dir"
  sync
  cat "$BIG" > /dev/null
  # 2. instead of an interrupted push: the kept part, a byte-identical prefix of the source
  mkdir -p "$dir"
  t0=$(now)
  if ! head -c "$KILL_AT" "$BIG" > "$dir/big.bin"; then
    echo "$tag FAIL: cannot write the prefix $dir/big.bin"; FAILED=1; return 1
  fi
  t1=$(now)
  prefix=$(elapsed "$t0" "$t1")
  kept=$(stat -c %s "$dir/big.bin")
  # 3. clean up memory and the page cache before the timed push
  [ "$PREP" = reuse ] && empty_trash
  before_completion
  # 4. the completion, timed: the rest from offset KILL_AT
  floor_send "$tool"
  l0=$(lo_bytes); t2=$(now)
  "${FLOOR_SEND[@]}" > "$LOGS/resume-$tool-second.log" 2>&1 || rc=$?
  t3=$(now); l1=$(lo_bytes)
  secs=$(elapsed "$t2" "$t3"); lo=$((l1 - l0))
  sent=$(sed -nE 's/^PipeFloor: sent ([0-9]+) bytes .*/\1/p' "$LOGS/resume-$tool-second.log")
  sent=${sent:-nan}
  ok=$(verdict "$tool" "$rc" "$dir")
  printf '%s reference: prefix of %s MiB written untimed (head -c, %s s), kept %s MiB; completion %6.3f s, sent %s MiB, lo %s MiB; %s\n' \
    "$tag" "$(mib1 "$KILL_AT")" "$prefix" "$(mib1 "$kept")" "$secs" "$(mib1 "$sent")" "$(mib1 "$lo")" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  # completion_s  sent  lo  kept  durable (none)
  [ "$label" = warm-up ] || printf '%s\t%s\t%s\t%s\tnan\n' "$secs" "$sent" "$lo" "$kept" >> "$DATA/$tool"
}

# run_slot TOOL LABEL : one_run, again when the push was not interrupted (at most SKIP_RETRIES more times);
# java-pipe-floor: floor_run (nothing is interrupted, nothing to retry)
run_slot() {
  local a rc
  if [[ $1 == java-pipe-floor* ]]; then floor_run "$1" "$2"; return; fi
  for ((a = 0; a <= SKIP_RETRIES; a++)); do
    rc=0; one_run "$1" "$2" || rc=$?
    [ "$rc" = 3 ] || return "$rc"
    SKIPS[$1]=$(( ${SKIPS[$1]:-0} + 1 ))
  done
  echo "FAIL: $1: $((SKIP_RETRIES + 1)) first pushes in a row were not interrupted (see SKIP above)"; FAILED=1; return 1
}
declare -A SKIPS
run_rounds run_slot   # lib.sh: warm-up, then the timed rounds in shuffled order

# mmm COLUMN < tsv : "median (min .., max ..)" of a byte column, in MiB
mmm() {
  cut -f"$1" | grep -v nan | sort -g | awk '{a[NR]=$1} END {
    if (NR == 0) { print "nan"; exit }
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "%.1f MiB (min %.1f, max %.1f)", m / 1048576, a[1] / 1048576, a[NR] / 1048576 }'
}
echo
declare -A MED
for t in $TOOLS; do
  touch "$DATA/$t"
  cut -f1 "$DATA/$t" | summary "$t-resume-$LABEL completion"
  echo "RESULT $t-resume-$LABEL bytes: sent after restart median $(mmm 2 < "$DATA/$t"); loopback median $(mmm 3 < "$DATA/$t");" \
       "kept at kill median $(mmm 4 < "$DATA/$t")$([ "${SKIPS[$t]:-0}" = 0 ] || echo "; ${SKIPS[$t]} first push(es) not interrupted, run again")"
  [ -s "$DATA/$t" ] && MED[$t]=$(cut -f1 "$DATA/$t" | median)
done
for t in ferry ferry-nofsync; do
  if ! has "$t" || [ ! -s "$DATA/$t" ]; then continue; fi
  if [ "$t" = ferry ]; then
    echo "INFO ferry durable per sidecar at kill: median $(mmm 5 < "$DATA/$t")"
  else
    echo "INFO $t recorded per sidecar at kill (--durability none: not fsynced): median $(mmm 5 < "$DATA/$t")"
  fi
  awk -F'\t' -v t="$t" -v size="$BYTES" -v slack="$SLACK" '{
      n++; rest = size - $4; if ($2 != "nan" && $2 + 0 <= rest + slack) ok++
      if ($3 + 0 <= rest + slack) lok++ }
    END { printf "RESULT target %s bytes sent after restart <= rest + 1%% of the file (%.1f MiB): %s (%d of %d runs; by loopback bytes: %d of %d)\n",
            t, slack / 1048576, (ok == n ? "MET" : "NOT MET"), ok, n, lok, n }' "$DATA/$t"
done
# ratio_line NUM DEN TEXT : "RESULT ratio NUM/DEN TEXT = R  target <= 0.5: MET|NOT MET" (both medians needed)
ratio_line() {
  [ -n "${MED[$1]:-}" ] && [ -n "${MED[$2]:-}" ] || return 0
  awk -v f="${MED[$1]}" -v r="${MED[$2]}" -v n="$1" -v d="$2" -v text="$3" 'BEGIN{
    printf "RESULT ratio %s/%s %s = %.2f  target <= 0.5: %s\n", n, d, text, f / r, (f / r <= 0.5 ? "MET" : "NOT MET") }'
}
best=""                                            # the best rsync mode without fsync
for t in rsync-partial rsync-append-verify; do
  [ -n "${MED[$t]:-}" ] || continue
  if [ -z "$best" ] || awk -v a="${MED[$t]}" -v b="${MED[$best]}" 'BEGIN{exit !(a < b)}'; then best=$t; fi
done
if [ -n "$best" ]; then
  ratio_line ferry-nofsync "$best" "completion time (medians, same run; like for like, no fsync on either side: ferry --durability none vs the best rsync mode without fsync of rsync-partial, rsync-append-verify)"
fi
ratio_line ferry rsync-append-verify-fsync "completion time (medians, same run; like for like, fsync on both sides: ferry --durability fsync vs rsync --fsync)"
if [ -n "$best" ]; then
  ratio_line ferry "$best" "completion time (medians, same run; best rsync mode; NOT like for like: ferry fsyncs, this rsync mode does not)"
fi
# the reference: how low the ratio can go at all for a JVM program here (no fsync on either side, like ferry-nofsync's)
for t in java-pipe-floor java-pipe-floor-checked; do
  [ -n "${MED[$t]:-}" ] && [ -n "$best" ] || continue
  awk -v t="$t" -v f="${MED[$t]}" -v r="${MED[$best]}" -v best="$best" 'BEGIN{
    printf "RESULT floor: %s completion median = %.3f s = %.2f x the best rsync mode\047s (the issue\047s target" \
           " is 0.5 x): the best rsync mode without fsync, %s, median %.3f s; no fsync on either side\n", t, f, f / r, best, r }'
done
echo "# load after: $(uptime | sed 's/.*load average://')"
echo "# per-run figures: $DATA/<tool> (completion_s, sent, lo, kept, durable); last push outputs: $LOGS/resume-<tool>-{first,second}.log"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
