#!/usr/bin/env bash
# bench/paths_bench.sh BEFORE_JAR AFTER_JAR - what resolving every receiver path beneath the folder root costs
# (issue 14 item 5): the same one-shot pushes into a receiver run from BEFORE_JAR (paths checked, then used) and one
# run from AFTER_JAR (openat2 / FFM descriptors), interleaved in one run. Both receivers fsync (the default).
#   big   : `ferry push $SRC/big.bin ferry://127.0.0.1:PORT/bench/big` of one random SIZE_MIB [1024] MiB file
#   small : `ferry push $SRC/small ferry://127.0.0.1:PORT/bench/small` of COUNT [20000] files of 4 KiB in 200
#           directories (issue 15's small-file case)
# into an empty target each time (the previous copy moved aside, untimed; `sync` before each run); the pusher is
# the AFTER_JAR's each time (the sender did not change) with its digest cache deleted before each run; every copy
# is checked (cmp / diff -r) after its run. RUNS [3] rounds, each running before and after in a shuffled order
# (SEED, lib.sh). FERRY_BENEATH=segments runs AFTER_JAR's receiver with the per-segment fallback instead of openat2.
# Results: bench/results-paths_bench.txt (RESULTS to change). Exit 0 ok, 1 a run failed, 2 bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
[ $# = 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: $0 BEFORE_JAR AFTER_JAR" >&2; exit 2; }
SIZE_MIB="${SIZE_MIB:-1024}"; COUNT="${COUNT:-20000}"; RUNS="${RUNS:-3}"; TOOLS="before after"
order_init
export XDG_STATE_HOME="$BENCH_DATA/state"
find_jdk
cp "$1" "$BENCH_DATA/before.jar"; cp "$2" "$BENCH_DATA/after.jar"
SRC="$BENCH_DATA/src"; TOKEN="$BENCH_DATA/token"
tee_results paths_bench
echo "# before: $1 ($(sha256sum "$1" | cut -c1-12))  after: $2 ($(sha256sum "$2" | cut -c1-12))${FERRY_BENEATH:+  after with -Dferry.beneath.resolution=$FERRY_BENEATH}"
echo "# $RUNS rounds, $(order_note); big = $SIZE_MIB MiB, small = $COUNT x 4 KiB in 200 dirs"

gen_random "$SRC/big.bin" "$SIZE_MIB"
if [ "$(find "$SRC/small" -type f 2>/dev/null | wc -l)" != "$COUNT" ]; then
  log "generating $COUNT small files"
  rm -rf "$SRC/small"
  for d in $(seq 0 199); do mkdir -p "$SRC/small/d$d"; done
  head -c $((COUNT * 4096)) /dev/urandom | split -b 4096 -a 5 -d - "$SRC/small/f"
  i=0; for f in "$SRC"/small/f*; do mv "$f" "$SRC/small/d$((i % 200))/"; i=$((i + 1)); done
fi
[ -f "$TOKEN" ] || new_token "$TOKEN"

JAVA=("$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}")
PUSH=("${JAVA[@]}" -XX:TieredStopAtLevel=1 -jar "$BENCH_DATA/after.jar" push)
trap stop_ferry_receivers EXIT
trap 'exit 130' INT TERM
mkdir -p "$BENCH_DATA/target-before" "$BENCH_DATA/target-after"
start_receiver_as PID_BEFORE "$LOGS/receive-before.log" 17881 "before receiver" "${JAVA[@]}" -jar "$BENCH_DATA/before.jar" \
  receive --listen 127.0.0.1:17881 --folder "bench=$BENCH_DATA/target-before" --token-file "$TOKEN"
start_receiver_as PID_AFTER "$LOGS/receive-after.log" 17882 "after receiver" "${JAVA[@]}" \
  ${FERRY_BENEATH:+-Dferry.beneath.resolution=$FERRY_BENEATH} -jar "$BENCH_DATA/after.jar" \
  receive --listen 127.0.0.1:17882 --folder "bench=$BENCH_DATA/target-after" --token-file "$TOKEN"
declare -A PORT=([before]=17881 [after]=17882)

# run WHICH CASE : one timed push; prints the seconds, or fails
run() {
  local which=$1 case=$2 target="$BENCH_DATA/target-$1" t0 t1
  move_aside "$target/$case"; rm -rf "$FERRY_DIGESTS"; sync
  local from="$SRC/big.bin"; [ "$case" = small ] && from="$SRC/small"
  t0=$(now)
  "${PUSH[@]}" "$from" "ferry://127.0.0.1:${PORT[$which]}/bench/$case" --token-file "$TOKEN" > "$LOGS/push-$which-$case.log" 2>&1 \
    || { log "FAIL: $which $case push (log $LOGS/push-$which-$case.log)"; return 1; }
  t1=$(now)
  if [ "$case" = big ]; then cmp -s "$from" "$target/big/big.bin" || { log "FAIL: $which big differs"; return 1; }
  else diff -rq "$from" "$target/small/small" > /dev/null || { log "FAIL: $which small differs"; return 1; }; fi
  elapsed "$t0" "$t1"
}

declare -A TIMES=()
for round in $(seq 1 "$RUNS"); do
  for which in $(round_order "$round"); do
    for case in big small; do
      t=$(run "$which" "$case") || exit 1
      echo "round $round $which $case ${t}s"
      TIMES[$which-$case]+="$t "
    done
    empty_trash
  done
done
for case in big small; do
  for which in before after; do
    bytes=0; [ "$case" = big ] && bytes=$((SIZE_MIB * 1048576))
    tr ' ' '\n' <<< "${TIMES[$which-$case]}" | grep . | summary "$case $which" "$bytes"
  done
  b=$(tr ' ' '\n' <<< "${TIMES[before-$case]}" | grep . | median); a=$(tr ' ' '\n' <<< "${TIMES[after-$case]}" | grep . | median)
  awk -v a="$a" -v b="$b" -v c="$case" 'BEGIN{printf "RESULT %s after/before: %.3f\n", c, a/b}'
done
