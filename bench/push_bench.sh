#!/usr/bin/env bash
# bench/push_bench.sh - one-shot push of ONE random file (default 1 GiB) into an empty target over 127.0.0.1:
# ferry vs rsync, interleaved in the same run: each round runs both, in a shuffled order (ORDER below).
#
#   bench/push_bench.sh            RUNS=10 runs of each tool, SIZE_MIB=1024 -> bench/results-push_bench.txt
#   bench/push_bench.sh --quick    SIZE_MIB=64, RUNS=3 (smoke test)     -> bench/results-push_bench-quick.txt
#
#   ferry : receiver `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$TARGET_FERRY --token-file $TOKEN`
#           started once in the background; each run `ferry push $SRC/big.bin ferry://127.0.0.1:$FERRY_PORT/bench/big
#           --token-file $TOKEN`. Both run the jar directly with the JVM flags bin/ferry uses (the build check of
#           bin/ferry happens once, before anything is timed).
#   rsync : `rsync -a --whole-file $SRC/big.bin rsync://127.0.0.1:$RSYNC_PORT/bench/big/` into an rsync daemon
#           started here (use chroot = no, uid/gid root, address 127.0.0.1).
#   ferry-none : the same ferry push into a second receiver (port FERRY_PORT+1) with `--durability none`.
#   rsync-fsync : the rsync push with `--fsync`.
#   dd    : the disk's own floor for a durable copy: `dd if=$SRC/big.bin of=TARGET/big.bin bs=128K conv=fdatasync`
#           (no network, no checks; 128 KiB writes, as ferry's receiver makes them on this VM).
# Issue 15 (e) compares ferry/rsync-fsync (target <= 0.8), ferry-none/rsync (<= 0.8), ferry/dd (<= 1.3):
#   TOOLS="ferry ferry-none rsync rsync-fsync dd" RUNS=7 bench/push_bench.sh
# ferry's digest cache ($BENCH_DATA/state/ferry/push-digests, lib.sh FERRY_DIGESTS) is deleted before every ferry run:
# each push is a first push, which has no hash list of the file from an earlier one.
# Before every run (not timed): the previous copy ($TARGET_x/big) is renamed into $BENCH_DATA/trash, and with
# PREP=reuse (default) the trash is emptied right away; then `sync`, and the source is read once more so that it
# stays in the page cache. Why reuse: on these Firecracker VMs freed memory goes back to the hypervisor ~2 s after
# it is freed and fresh guest memory is slow to fault in; keeping every old copy until the end (PREP=keep) made
# each rsync 1 GiB push ~3.2-3.6 s instead of ~1.5-2.0 s (measured 2026-11-25), an equal extra cost for both tools
# that squeezes the ratio towards 1. Deleting one big file is fast; moving aside matters for many-file trees. After every run (not timed): `cmp` against
# the source; a failed push or a mismatch prints FAIL, stops the runs, and the script exits 1 after the summary. The trash is deleted at the end.
#
# Knobs (environment): RUNS [10]  SIZE_MIB [1024]  WARMUP [1] untimed runs of each tool first  PREP [reuse]|keep
#   ORDER [shuffle]|fixed  SEED [now]: each timed round runs the tools in a new shuffled order (seeded with SEED + the
#   round; printed), or in the order of TOOLS every round (lib.sh round_order; the warm-up in the order of TOOLS).
#   Shuffled because a run's big writes can land on memory the previous run gave back (PREP above), and in a fixed
#   order that cost falls on the same tool every round (in a run of 2026-11-25 with rsync always after ferry, 7 of
#   rsync's 10 pushes took 3.3-4.1 s instead of ~1.1 s).
#   TOOLS ["ferry rsync"] (e.g. TOOLS=rsync)  FERRY_PORT [17878]  RSYNC_PORT [18730]  BENCH_DATA [/tmp/ferry-bench]
#   FERRY_JAVA_OPTS [] extra JVM options for both ferry processes   RESULTS [bench/results-push_bench.txt]
#   FERRY_RECEIVE_OPTS [] / FERRY_PUSH_OPTS [] extra ferry flags, e.g. FERRY_RECEIVE_OPTS=--durability=none
#   (the ferry receiver fsyncs before acknowledging by default; rsync does not fsync unless --fsync)
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"   # sets QUICK; --help prints the header of this script
if [ "$QUICK" = 1 ]; then
  SIZE_MIB="${SIZE_MIB:-64}"; RUNS="${RUNS:-3}"
  RESULTS="${RESULTS:-$BENCH_DIR/results-push_bench-quick.txt}"
fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-10}"; WARMUP="${WARMUP:-1}"
TOOLS="${TOOLS:-ferry rsync}"; PREP="${PREP:-reuse}"
case $PREP in reuse|keep) ;; *) echo "PREP must be reuse or keep" >&2; exit 2 ;; esac
order_init                         # ORDER, SEED (lib.sh)
FERRY_PORT="${FERRY_PORT:-17878}"; RSYNC_PORT="${RSYNC_PORT:-18730}"
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"; TOKEN="$BENCH_DATA/token"
TARGET_FERRY="$BENCH_DATA/target-ferry"; TARGET_RSYNC="$BENCH_DATA/target-rsync"
TARGET_NONE="$BENCH_DATA/target-ferry-none"; TARGET_RSYNC_FSYNC="$BENCH_DATA/target-rsync-fsync"; TARGET_DD="$BENCH_DATA/target-dd"
BYTES=$((SIZE_MIB * 1048576))
if [ $((SIZE_MIB % 1024)) = 0 ]; then LABEL="$((SIZE_MIB / 1024))GiB"; else LABEL="${SIZE_MIB}MiB"; fi

need rsync cmp
has() { [[ " $TOOLS " == *" $1 "* ]]; }
{ has ferry || has ferry-none; } && ferry_prepare         # JDK + jar before the results file is opened (build output stays out of it)
tee_results "push_bench$([ "$QUICK" = 1 ] && echo -quick)"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

echo "# one ${LABEL} random file into an empty target, $RUNS timed runs per tool, interleaved ($TOOLS; $(order_note)), $WARMUP untimed warm-up run(s) each"
echo "# before each run (untimed): previous target copy renamed into $TRASH$([ "$PREP" = reuse ] && echo ' and deleted (PREP=reuse)' || echo ', kept until the end (PREP=keep)'), sync, source re-read into the page cache"

gen_random "$BIG" "$SIZE_MIB"
head -c 32 /dev/urandom | base64 > "$TOKEN"; chmod 600 "$TOKEN"
mkdir -p "$TARGET_FERRY" "$TARGET_RSYNC" "$TARGET_NONE" "$TARGET_RSYNC_FSYNC" "$TARGET_DD"
for t in "$TARGET_FERRY" "$TARGET_RSYNC" "$TARGET_NONE" "$TARGET_RSYNC_FSYNC" "$TARGET_DD"; do move_aside "$t/big"; done

if has ferry; then
  start_ferry_receiver "$FERRY_PORT" "$TOKEN" "bench=$TARGET_FERRY"
  # shellcheck disable=SC2206
  FERRY_PUSH=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:$FERRY_PORT/bench/big" --token-file "$TOKEN" ${FERRY_PUSH_OPTS:-})
  echo "# ferry: the jar run directly (build checked once before the runs; jar copied to $BENCH_DATA/ferry.jar,"
  echo "#   built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16)), each run:"
  echo "#   ${FERRY_PUSH[*]}"
  echo "#   receiver: ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$TARGET_FERRY --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
fi
if has ferry-none; then
  start_ferry_receiver_as FERRY_NONE_PID "$LOGS/ferry-none-receive.log" "$((FERRY_PORT + 1))" "$TOKEN" "bench=$TARGET_NONE" -- --durability none
  # shellcheck disable=SC2206
  FERRY_NONE_PUSH=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:$((FERRY_PORT + 1))/bench/big" --token-file "$TOKEN" ${FERRY_PUSH_OPTS:-})
  echo "# ferry-none: the same push into a receiver on port $((FERRY_PORT + 1)) with --durability none"
fi
if has rsync || has rsync-fsync; then
  start_rsyncd "$RSYNC_PORT" bench "$BENCH_DATA" # (the module holds both rsync targets)
  RSYNC_PUSH=(rsync -a --whole-file "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/target-rsync/big/")
  RSYNC_FSYNC_PUSH=(rsync -a --whole-file --fsync "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/target-rsync-fsync/big/")
  echo "# rsync: ${RSYNC_PUSH[*]}"
  has rsync-fsync && echo "# rsync-fsync: ${RSYNC_FSYNC_PUSH[*]}"
fi
DD_COPY=(dd if="$BIG" of="$TARGET_DD/big/big.bin" bs=128K conv=fdatasync status=none)
has dd && echo "# dd: mkdir TARGET; ${DD_COPY[*]}"
echo

FAILED=0
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"

# one_run TOOL LABEL : prepare, time, verify (lib.sh timed_run); the time goes to $TIMES/TOOL unless a warm-up
one_run() {
  case $1 in
    ferry) timed_run ferry "$2" "$TARGET_FERRY/big" "$TARGET_FERRY/big/big.bin" "$FERRY_RECEIVER_PID" "${FERRY_PUSH[@]}" ;;
    rsync) timed_run rsync "$2" "$TARGET_RSYNC/big" "$TARGET_RSYNC/big/big.bin" "" "${RSYNC_PUSH[@]}" ;;
    ferry-none) timed_run ferry-none "$2" "$TARGET_NONE/big" "$TARGET_NONE/big/big.bin" "$FERRY_NONE_PID" "${FERRY_NONE_PUSH[@]}" ;;
    rsync-fsync) timed_run rsync-fsync "$2" "$TARGET_RSYNC_FSYNC/big" "$TARGET_RSYNC_FSYNC/big/big.bin" "" "${RSYNC_FSYNC_PUSH[@]}" ;;
    dd) timed_run dd "$2" "$TARGET_DD/big" "$TARGET_DD/big/big.bin" "" bash -c 'mkdir -p "$1" && shift && exec "$@"' - "$TARGET_DD/big" "${DD_COPY[@]}" ;;
  esac
}

run_rounds one_run   # lib.sh: warm-up, then the timed rounds in shuffled order

echo
for t in $TOOLS; do touch "$TIMES/$t"; summary "$t-$LABEL" "$BYTES" < "$TIMES/$t"; done
# ratio NUM DEN [TARGET] : "RESULT ratio NUM/DEN (medians, same run) = X [target <= T: MET|NOT MET]"
ratio() {
  [ -s "$TIMES/$1" ] && [ -s "$TIMES/$2" ] || return 0
  awk -v n="$1" -v d="$2" -v a="$(median < "$TIMES/$1")" -v b="$(median < "$TIMES/$2")" -v t="${3:-}" 'BEGIN {
    printf "RESULT ratio %s/%s (medians, same run) = %.2f", n, d, a / b
    if (t != "") printf "  target <= %s: %s", t, (a / b <= t + 0 ? "MET" : "NOT MET")
    printf "\n" }'
}
ratio ferry rsync
ratio ferry rsync-fsync 0.8
ratio ferry-none rsync 0.8
ratio ferry dd 1.3
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
