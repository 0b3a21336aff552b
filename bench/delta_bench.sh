#!/usr/bin/env bash
# bench/delta_bench.sh - issue 15 benchmark (d): 1 MiB changed in the middle of a 1 GiB file, re-push over 127.0.0.1.
# Every tool's target holds the previous version of the file (an untimed first push); each round overwrites
# CHANGE_MIB of the source at a fresh random byte offset in the middle half with fresh random bytes (once per round:
# the same change for every tool), syncs, then times each tool's re-push, in a new shuffled order every round
# (lib.sh round_order), checks every result with cmp, and counts the bytes that crossed loopback during the run.
#
#   bench/delta_bench.sh            RUNS=7 rounds, SIZE_MIB=1024 -> bench/results-delta_bench.txt
#   bench/delta_bench.sh --quick    SIZE_MIB=64, RUNS=3 (smoke test) -> bench/results-delta_bench-quick.txt
#
# The tools (TOOLS, default all of them):
#   ferry        `ferry push $BIG ferry://127.0.0.1:$FERRY_PORT/bench/big --token-file $TOKEN --state-dir
#                $BENCH_DATA/delta/state/ferry` into a receiver started once with `--durability fsync` (the default).
#                Its own --state-dir is kept across rounds: the digest cache is part of the product (it lets the
#                push skip nothing here, the file changed, but it is what a real user's second push has).
#   ferry-none   the same into a second receiver started once with `--durability none` (own port, folder, state-dir).
#   ferry-before the same as ferry with the jar of BEFORE_COMMIT [9bcd1ce] (before the receiver kept the chunk hashes
#                of the files it holds, .ferry/held/): built once from `git archive` into $BENCH_DATA (offline Maven,
#                tests skipped; FERRY_BEFORE_JAR=path uses a jar built elsewhere), own receiver (fsync), port, state-dir.
#   rsync        `rsync -a --stats $BIG rsync://127.0.0.1:$RSYNC_PORT/bench/rsync/` (delta mode, rsync's default)
#                into the rsync daemon of lib.sh.
#   rsync-fsync  the same with --fsync (the durable anchor) into bench/rsync-fsync/.
#   floor        what an atomic replace needs and no more: `cp --reflink=never` of the target copy (rsync's target
#                file) to a temp file (coreutils cp uses copy_file_range), `dd` of the changed CHANGE_MIB from the
#                source into it at the offset (conv=notrunc), `mv` over the final name. The final name holds a hard
#                link to rsync's target, made untimed, so the rename replaces an existing name as the tools' do, without
#                a second persistent 1 GiB copy (disk space is short here); the replaced copy is deleted untimed.
#   floor-fsync  the same plus `sync TEMP` (fsync of the temp file) before the rename and `sync DIR` (fsync of the
#                directory) after it: the durable floor (ferry's guarantee: after DONE the file is durable at its path).
#   dd           the raw disk floor: `dd if=/dev/zero of=$BENCH_DATA/delta/dd/zero bs=1M count=$SIZE_MIB
#                conv=fdatasync` (deleted untimed afterwards).
# Before every run (untimed): `sync`, the source read once (stays in the page cache). Wire bytes: lo_bytes (lib.sh)
# before/after each run, all loopback traffic of the machine, TCP/IP headers included; ferry's "in N chunks" from its
# output line, rsync's "Literal data" and "Total bytes sent/received" from --stats. CPU seconds per run of each end
# (/proc/PID/stat: the push or floor process, the receiver), steadier than wall time when other jobs share the cores. Without the network namespace
# (NETNS below) the loopback count includes whatever else crosses loopback meanwhile: the floors (no network) then
# show that background. The source lives in SRC_DIR [/dev/shm/ferry-delta-src] (tmpfs:
# the source is read from memory either way, and the disk here has room for the targets only).
#
# Knobs (environment): RUNS [7]  SIZE_MIB [1024]  CHANGE_MIB [1]  WARMUP [1] untimed delta rounds first
#   ORDER [shuffle]|fixed  SEED [now]  TOOLS [all above]  FERRY_PORT [17950]  FERRY_NONE_PORT [17951]
#   FERRY_BEFORE_PORT [17952]  RSYNC_PORT [18750]  BEFORE_COMMIT [9bcd1ce]  FERRY_BEFORE_JAR []  SRC_DIR
#   BENCH_DATA [/tmp/ferry-bench-delta]
#   RESULTS [bench/results-delta_bench.txt]
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/ferry-bench-delta}"   # its own: other benchmarks' lock and data stay out of its way
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"
# NETNS [1]: as root, the whole benchmark (receivers, rsync daemon, pushes) runs in a network namespace of its own
# (`unshare --net`, its own loopback device brought up with `ip`), so that the loopback byte counts hold this
# benchmark's traffic only: on a shared machine other people's benchmarks cross the common loopback too (up to
# 80 MB during one run here). The ports cannot collide with theirs either. NETNS=0 runs on the common loopback.
if [ "${NETNS:-1}" = 1 ] && [ -z "${DELTA_BENCH_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 \
   && command -v ip >/dev/null 2>&1; then
  export DELTA_BENCH_NETNS=1
  exec unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' "$(readlink -f "$0")" "$@"
fi
if [ "$QUICK" = 1 ]; then
  SIZE_MIB="${SIZE_MIB:-64}"; RUNS="${RUNS:-3}"
  RESULTS="${RESULTS:-$BENCH_DIR/results-delta_bench-quick.txt}"
fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-7}"; CHANGE_MIB="${CHANGE_MIB:-1}"; WARMUP="${WARMUP:-1}"
TOOLS="${TOOLS:-ferry ferry-none ferry-before rsync rsync-fsync floor floor-fsync dd}"
order_init
FERRY_PORT="${FERRY_PORT:-17950}"; FERRY_NONE_PORT="${FERRY_NONE_PORT:-17951}"
FERRY_BEFORE_PORT="${FERRY_BEFORE_PORT:-17952}"; RSYNC_PORT="${RSYNC_PORT:-18750}"
BEFORE_COMMIT="${BEFORE_COMMIT:-9bcd1ce}"
SRC_DIR="${SRC_DIR:-/dev/shm/ferry-delta-src}"; BIG="$SRC_DIR/big.bin"
DELTA="$BENCH_DATA/delta"; STATE="$DELTA/state"; TOKEN="$BENCH_DATA/token"
BYTES=$((SIZE_MIB * 1048576)); CHANGE_BYTES=$((CHANGE_MIB * 1048576))

need rsync cmp cp dd git
has() { [[ " $TOOLS " == *" $1 "* ]]; }
bench_lock delta_bench
ports_free "$FERRY_PORT" "$FERRY_NONE_PORT" "$FERRY_BEFORE_PORT" "$RSYNC_PORT"

# ferry_before_prepare : the jar of BEFORE_COMMIT in $BENCH_DATA/ferry-before.jar (built once per commit, from
# `git archive`, offline, tests skipped) with its AOT cache; sets BEFORE_CMD and BEFORE_PUSH_CMD as ferry_prepare sets
# FERRY_CMD and FERRY_PUSH_CMD (bin/lib/jdk.sh is the same in both commits).
BEFORE_JAR="$BENCH_DATA/ferry-before.jar"; BEFORE_AOT="$BENCH_DATA/ferry-before.aot"
ferry_before_prepare() {
  local stamp="$BENCH_DATA/ferry-before.commit" full src="$BENCH_DATA/ferry-before-src"
  full=$(git -C "$FERRY_ROOT" rev-parse --verify "$BEFORE_COMMIT^{commit}") || die "no commit $BEFORE_COMMIT"
  if [ -n "${FERRY_BEFORE_JAR:-}" ]; then
    cp "$FERRY_BEFORE_JAR" "$BEFORE_JAR.tmp" && mv "$BEFORE_JAR.tmp" "$BEFORE_JAR"; echo "given: $FERRY_BEFORE_JAR" > "$stamp"
  elif [ ! -f "$BEFORE_JAR" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$full" ]; then
    rm -rf "$src"; mkdir -p "$src"
    git -C "$FERRY_ROOT" archive "$full" | tar -x -C "$src"
    log "building ferry-before ($full) in $src (offline Maven, tests skipped)"
    (cd "$src" && ferry_maven_opts && export MAVEN_OPTS &&
       mvn -B -ntp -o -q -Dstyle.color=never -Dmaven.test.skip=true -pl daemon -am package >&2) || die "the build of $BEFORE_COMMIT failed"
    cp "$src/daemon/target/ferry.jar" "$BEFORE_JAR"; echo "$full" > "$stamp"; rm -rf "$src"
  fi
  ferry_aot_if_needed "$BEFORE_JAR" "$BEFORE_AOT"
  ferry_jvm_flags "$BEFORE_JAR" "$BEFORE_AOT" receive
  # shellcheck disable=SC2206
  BEFORE_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BEFORE_JAR")
  ferry_jvm_flags "$BEFORE_JAR" "$BEFORE_AOT" push
  # shellcheck disable=SC2206
  BEFORE_PUSH_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BEFORE_JAR")
}

ferry_prepare
has ferry-before && ferry_before_prepare
tee_results "delta_bench$([ "$QUICK" = 1 ] && echo -quick)"
# at exit: receivers stopped, the targets (5 GiB at the default size) and the source deleted
cleanup() { stop_receiver_and_rsyncd; move_aside "$DELTA"; empty_trash; rm -rf "$SRC_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# load at start:$(uptime | sed 's/.*load average://')"
if [ -n "${DELTA_BENCH_NETNS:-}" ]; then echo "# in a network namespace of its own (NETNS=1): the loopback bytes are this benchmark's only"
else echo "# on the machine's common loopback (NETNS=0 or not root): the loopback bytes include other traffic"; fi
echo "# $CHANGE_MIB MiB overwritten at a random offset in the middle half of a $SIZE_MIB MiB random file, then re-pushed;"
echo "#   $RUNS timed rounds ($TOOLS; $(order_note)), $WARMUP untimed round(s) first; source in $SRC_DIR"

# ---- setup (untimed): source, targets holding the file, receivers -------------------------------------------------
gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
move_aside "$DELTA"; empty_trash
mkdir -p "$DELTA/floor" "$DELTA/dd" "$STATE"
declare -A TARGET=(
  [ferry]="$DELTA/ferry/big/big.bin" [ferry-none]="$DELTA/ferry-none/big/big.bin"
  [ferry-before]="$DELTA/ferry-before/big/big.bin"
  [rsync]="$DELTA/rsync/rsync/big.bin" [rsync-fsync]="$DELTA/rsync/rsync-fsync/big.bin"
  [floor]="$DELTA/floor/big.bin" [floor-fsync]="$DELTA/floor/big.bin")
declare -A CMD=()
ferry_cmd() {  # ferry_cmd TOOL PORT PUSH_CMD... : sets CMD[TOOL] to the push line (as one string for the header)
  local tool=$1 port=$2; shift 2
  CMD[$tool]="$* push $BIG ferry://127.0.0.1:$port/bench/big --token-file $TOKEN --state-dir $STATE/$tool"
}
if has ferry; then
  start_ferry_receiver_as FERRY_PID "$LOGS/delta-ferry-receive.log" "$FERRY_PORT" "$TOKEN" "bench=$DELTA/ferry" -- --durability fsync
  ferry_cmd ferry "$FERRY_PORT" "${FERRY_PUSH_CMD[@]}"
fi
if has ferry-none; then
  start_ferry_receiver_as FERRY_NONE_PID "$LOGS/delta-ferry-none-receive.log" "$FERRY_NONE_PORT" "$TOKEN" \
    "bench=$DELTA/ferry-none" -- --durability none
  ferry_cmd ferry-none "$FERRY_NONE_PORT" "${FERRY_PUSH_CMD[@]}"
fi
if has ferry-before; then
  mkdir -p "$DELTA/ferry-before"
  start_receiver_as FERRY_BEFORE_PID "$LOGS/delta-ferry-before-receive.log" "$FERRY_BEFORE_PORT" "ferry-before receiver" \
    "${BEFORE_CMD[@]}" receive --listen "127.0.0.1:$FERRY_BEFORE_PORT" --folder "bench=$DELTA/ferry-before" \
    --token-file "$TOKEN" --durability fsync
  ferry_cmd ferry-before "$FERRY_BEFORE_PORT" "${BEFORE_PUSH_CMD[@]}"
fi
# the floors copy rsync's target: the rsync daemon runs whenever one of them does
if has rsync || has rsync-fsync || has floor || has floor-fsync; then start_rsyncd "$RSYNC_PORT" bench "$DELTA/rsync"; fi
CMD[rsync]="rsync -a --stats $BIG rsync://127.0.0.1:$RSYNC_PORT/bench/rsync/"
CMD[rsync-fsync]="rsync -a --fsync --stats $BIG rsync://127.0.0.1:$RSYNC_PORT/bench/rsync-fsync/"
CMD[floor]="floor_replace $DELTA/rsync/rsync/big.bin $DELTA/floor/big.bin OFFSET nosync"
CMD[floor-fsync]="floor_replace $DELTA/rsync/rsync/big.bin $DELTA/floor/big.bin OFFSET fsync"
CMD[dd]="dd if=/dev/zero of=$DELTA/dd/zero bs=1M count=$SIZE_MIB conv=fdatasync status=none"
for t in $TOOLS; do
  [ -n "${CMD[$t]:-}" ] || { echo "unknown tool '$t' in TOOLS" >&2; exit 2; }
  echo "# $t: ${CMD[$t]}"
done
echo "# ferry jar: $(git -C "$FERRY_ROOT" rev-parse --short HEAD)$(git -C "$FERRY_ROOT" diff --quiet HEAD -- daemon || echo '+changes'), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16)"
if has ferry-before; then echo "# ferry-before jar: $(cat "$BENCH_DATA/ferry-before.commit"), sha256 $(sha256sum "$BEFORE_JAR" | cut -c1-16)"; fi

# floor_replace INPUT FINAL OFFSET nosync|fsync : copy INPUT to a temp file beside FINAL, write the changed bytes of
# the source at OFFSET into it, (fsync it,) rename it over FINAL (, fsync the directory)
floor_replace() {
  local in=$1 final=$2 off=$3 mode=$4 tmp="$2.floor-tmp"
  cp --reflink=never "$in" "$tmp"
  dd if="$BIG" of="$tmp" bs=1M count="$CHANGE_MIB" iflag=skip_bytes,fullblock oflag=seek_bytes skip="$off" seek="$off" \
     conv=notrunc status=none
  [ "$mode" = fsync ] && sync "$tmp"
  mv -f "$tmp" "$final"
  if [ "$mode" = fsync ]; then sync "$(dirname "$final")"; fi
}
# run_tool TOOL OFFSET : the tool's re-push, output on stdout
run_tool() {
  case $1 in
    floor) floor_replace "${TARGET[rsync]}" "${TARGET[floor]}" "$2" nosync ;;
    floor-fsync) floor_replace "${TARGET[rsync]}" "${TARGET[floor]}" "$2" fsync ;;
    *) ${CMD[$1]} ;;   # word-split on purpose: no path here holds a space (checked below)
  esac
}
[[ "$BIG$DELTA$STATE$TOKEN" != *" "* ]] || die "BENCH_DATA and SRC_DIR must not contain spaces"

# first push of every tool that keeps a target (untimed): the targets hold the file, the receivers are warm
for t in ferry ferry-none ferry-before rsync rsync-fsync; do
  has "$t" || { [ "$t" = rsync ] && { has floor || has floor-fsync; }; } || continue
  sync; cat "$BIG" > /dev/null
  t0=$(now); run_tool "$t" 0 > "$LOGS/delta-first-$t.log" 2>&1 || die "first push of $t failed: $(tail -3 "$LOGS/delta-first-$t.log")"
  cmp -s "$BIG" "${TARGET[$t]}" || die "first push of $t: ${TARGET[$t]} differs from the source"
  echo "# first push (untimed) $t: $(elapsed "$t0" "$(now)") s, verify ok"
done
for t in ferry ferry-none ferry-before; do
  if has "$t"; then echo "# $t receiver's held hashes (.ferry/held): $(find "$DELTA/$t/.ferry/held" -type f 2>/dev/null | wc -l) file(s)"; fi
done
echo

FAILED=0
TIMES="$DELTA/times"; mkdir -p "$TIMES"
# one_run TOOL LABEL OFFSET : prepare, time, verify; records time, loopback bytes, chunks unless LABEL is warm-up
one_run() {
  local tool=$1 label=$2 off=$3 t0 t1 l0 l1 rc=0 secs wire ok extra="" out="$LOGS/delta-last-$1.log"
  case $tool in
    ferry) kill -0 "$FERRY_PID" 2>/dev/null || { echo "FAIL: the ferry receiver is gone"; FAILED=1; return 1; } ;;
    ferry-none) kill -0 "$FERRY_NONE_PID" 2>/dev/null || { echo "FAIL: the ferry-none receiver is gone"; FAILED=1; return 1; } ;;
    ferry-before) kill -0 "$FERRY_BEFORE_PID" 2>/dev/null || { echo "FAIL: the ferry-before receiver is gone"; FAILED=1; return 1; } ;;
    floor|floor-fsync) ln -f "${TARGET[rsync]}" "${TARGET[floor]}" ;;
  esac
  sync
  cat "$BIG" > /dev/null
  local rpid c0 c1 r0=0 r1=0 cpus cpur
  rpid=$(receiver_pid "$tool"); [ -n "$rpid" ] && r0=$(all_ticks "$rpid")
  c0=$(children_ticks); l0=$(lo_bytes); t0=$(now)
  run_tool "$tool" "$off" > "$out" 2>&1 || rc=$?
  t1=$(now); l1=$(lo_bytes); c1=$(children_ticks)
  secs=$(elapsed "$t0" "$t1"); wire=$((l1 - l0))
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tr '\n' ' ' < "$out" | cut -c1-300))"
  elif [ "$tool" = dd ]; then
    ok="(nothing to verify)"
  elif cmp -s "$BIG" "${TARGET[$tool]}"; then
    ok="verify ok"
  else
    ok="FAIL (cmp: ${TARGET[$tool]} differs from the source or is missing)"
  fi
  [ -n "$rpid" ] && r1=$(all_ticks "$rpid")   # after the cmp: the rsync daemon has reaped its child by now
  cpus=$(ticks_s $((c1 - c0))); cpur=$(ticks_s $((r1 - r0)))
  case $tool in
    ferry*) local chunks sent
      chunks=$(sed -nE 's/.* in ([0-9]+) chunks .*/\1/p' "$out" | head -1)
      sent=$(sed -nE 's/.*: ([0-9.]+ [KMGT]?i?B) in [0-9]+ chunks .*/\1/p' "$out" | head -1)
      extra="  ferry: ${sent:-?} in ${chunks:-?} chunks"
      [ "$label" = warm-up ] || [ -z "$chunks" ] || echo "$chunks" >> "$TIMES/$tool.chunks" ;;
    rsync*) local literal rs rr
      literal=$(sed -nE 's/^Literal data: ([0-9,]+) bytes.*/\1/p' "$out" | tr -d ,)
      rs=$(sed -nE 's/^Total bytes sent: ([0-9,]+).*/\1/p' "$out" | tr -d ,)
      rr=$(sed -nE 's/^Total bytes received: ([0-9,]+).*/\1/p' "$out" | tr -d ,)
      extra="  rsync literal data: ${literal:-?} B, total sent ${rs:-?} + received ${rr:-?} B"
      [ "$label" = warm-up ] || [ -z "$literal" ] || echo "$literal" >> "$TIMES/$tool.literal" ;;
    floor|floor-fsync) rm -f "${TARGET[floor]}" ;;
    dd) rm -f "$DELTA/dd/zero" ;;
  esac
  printf '%-10s %-12s %7.3f s  cpu send %5s recv %5s s  loopback %11d B%s  %s\n' "$label" "$tool" "$secs" "$cpus" "$cpur" \
    "$wire" "$extra" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  [ "$label" = warm-up ] && return 0
  echo "$secs" >> "$TIMES/$tool"; echo "$wire" >> "$TIMES/$tool.lo"
  echo "$cpus" >> "$TIMES/$tool.cpus"; echo "$cpur" >> "$TIMES/$tool.cpur"
  awk -v a="$cpus" -v b="$cpur" 'BEGIN{print a + b}' >> "$TIMES/$tool.cpu"
}
# CPU seconds (user + system) a run cost, from /proc/PID/stat, as a figure the other jobs on this shared machine's
# two cores disturb less than the wall time: the sender's are what this shell's waited-for children used (the push
# process, or the floor's cp/dd/sync/mv), the receiver's what the ferry receiver used, or the rsync daemon with its
# reaped per-connection children. Clock ticks of 1/CLK_TCK s.
CLK_TCK=$(getconf CLK_TCK)
children_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }   # $$: this script's shell, also inside $(...)
all_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
receiver_pid() {
  case $1 in
    ferry) echo "$FERRY_PID" ;; ferry-none) echo "$FERRY_NONE_PID" ;; ferry-before) echo "$FERRY_BEFORE_PID" ;;
    rsync|rsync-fsync) echo "$RSYNCD_PID" ;; *) echo "" ;;
  esac
}
ticks_s() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", t / hz}'; }

# change_source : overwrites CHANGE_MIB of the source at a fresh random byte offset in its middle half with fresh
# random bytes, syncs; sets OFFSET
change_source() {
  local lo=$((BYTES / 4)) span=$((BYTES / 2 - CHANGE_BYTES))
  OFFSET=$((lo + ((RANDOM << 30 | RANDOM << 15 | RANDOM) % span)))
  dd if=/dev/urandom of="$BIG" bs=1M count="$CHANGE_MIB" iflag=fullblock oflag=seek_bytes seek="$OFFSET" conv=notrunc status=none
  sync
}

for ((r = 1; r <= WARMUP + RUNS && !FAILED; r++)); do
  if ((r <= WARMUP)); then label=warm-up; order=$TOOLS; else label="run $((r - WARMUP))/$RUNS"; order=$(round_order "$((r - WARMUP))"); fi
  change_source
  echo "# $label: $CHANGE_MIB MiB changed at byte $OFFSET ($(awk -v o="$OFFSET" 'BEGIN{printf "%.2f", o/1048576}') MiB); order: $order"
  for t in $order; do one_run "$t" "$label" "$OFFSET" || break 2; done
done

echo
echo "# load at end:$(uptime | sed 's/.*load average://')"
med() { if [ -s "$1" ]; then median < "$1"; else echo nan; fi; }
for t in $TOOLS; do touch "$TIMES/$t"; summary "$t" < "$TIMES/$t"; done
for t in $TOOLS; do
  [ "$t" = dd ] && continue
  line="RESULT wire $t: loopback median=$(awk -v b="$(med "$TIMES/$t.lo")" 'BEGIN{printf "%.0f", b}') B"
  line+=" (min $(sort -g "$TIMES/$t.lo" 2>/dev/null | head -1), max $(sort -g "$TIMES/$t.lo" 2>/dev/null | tail -1))"
  [ -s "$TIMES/$t.chunks" ] && line+="; ferry chunks median=$(awk -v c="$(med "$TIMES/$t.chunks")" 'BEGIN{printf "%g", c}') (min $(sort -g "$TIMES/$t.chunks" | head -1), max $(sort -g "$TIMES/$t.chunks" | tail -1))"
  [ -s "$TIMES/$t.literal" ] && line+="; rsync literal data median=$(awk -v c="$(med "$TIMES/$t.literal")" 'BEGIN{printf "%.0f", c}') B"
  echo "$line"
done
for t in $TOOLS; do
  [ -s "$TIMES/$t.cpu" ] || continue
  echo "RESULT cpu $t: sender median=$(awk -v c="$(med "$TIMES/$t.cpus")" 'BEGIN{printf "%.2f", c}') s," \
       "receiver median=$(awk -v c="$(med "$TIMES/$t.cpur")" 'BEGIN{printf "%.2f", c}') s," \
       "both median=$(awk -v c="$(med "$TIMES/$t.cpu")" 'BEGIN{printf "%.2f", c}') s (min $(sort -g "$TIMES/$t.cpu" | head -1), max $(sort -g "$TIMES/$t.cpu" | tail -1))"
done
# ratio A B : "RESULT ratio A/B = x" from the medians of the same run, when both have runs
ratio() {
  [ -s "$TIMES/$1" ] && [ -s "$TIMES/$2" ] || return 0
  awk -v a="$(median < "$TIMES/$1")" -v b="$(median < "$TIMES/$2")" -v n="$1/$2" 'BEGIN{printf "RESULT ratio %s = %.2f  (medians, same run)\n", n, a/b}'
}
# cpu_ratio A B : the same for the CPU seconds of both ends
cpu_ratio() {
  [ -s "$TIMES/$1.cpu" ] && [ -s "$TIMES/$2.cpu" ] || return 0
  awk -v a="$(median < "$TIMES/$1.cpu")" -v b="$(median < "$TIMES/$2.cpu")" -v n="$1/$2" 'BEGIN{if (b > 0) printf "RESULT cpu ratio %s = %.2f  (medians of sender + receiver CPU s, same run)\n", n, a/b}'
}
ratio ferry rsync; ratio ferry rsync-fsync; ratio ferry-none rsync; ratio ferry ferry-before
ratio ferry floor-fsync; ratio ferry-none floor; ratio ferry-before rsync; ratio floor-fsync dd
cpu_ratio ferry ferry-before; cpu_ratio ferry rsync; cpu_ratio ferry floor-fsync
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
