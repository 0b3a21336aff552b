#!/usr/bin/env bash
# bench/delta_bench.sh - issue 15 benchmark (d): 1 MiB overwritten in the middle of a 1 GiB file, re-pushed into a
# target that holds the previous version, over 127.0.0.1. Tools, interleaved in a new shuffled order each round:
#   ferry        `ferry push $SRC/big.bin ferry://127.0.0.1:$PORT/bench/big` into a receiver with the default
#                durability (fsync); its own --state-dir kept across rounds (the digest cache is part of the product)
#   ferry-none   the same into a receiver started with --durability none
#   ferry-before (when BEFORE_JAR names a jar, e.g. one built from an older commit) the same as ferry, that jar
#   rsync        `rsync -a $SRC/big.bin rsync://127.0.0.1:$RSYNC_PORT/bench/big/` (its default delta mode)
#   rsync-fsync  the same with --fsync
#   floor        the least an atomic replace on the receiver costs: `cp --reflink=never` of the target's copy to a
#                temporary file (copy_file_range), the changed 1 MiB written into it at its offset, the rename;
#                floor-fsync the same with the temporary file fsynced before the rename (no network, no hashing)
# Each round (untimed): 1 MiB of fresh random bytes written into the source at a fresh random offset in the middle
# half, then `sync` and the source read into the page cache; every tool's target still holds the previous version
# (pushed in the untimed warm-up). After every run: `cmp` of the target against the source; the bytes that crossed
# loopback during the run (lo tx_bytes, TCP/IP headers included); ferry's own "in N chunks".
# The disk's own floor for a durable write of the whole file: `dd if=/dev/zero bs=1M count=1024 conv=fdatasync`,
# timed once per round too (dd-fdatasync).
#
# Knobs: RUNS [7]  SIZE_MIB [1024]  SEED [now]  BENCH_DATA [/tmp/ferry-bench-delta]  BEFORE_JAR []  RESULTS
#   FERRY_PORT [17950]  NONE_PORT [17951]  BEFORE_PORT [17952]  RSYNC_PORT [18750]
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/ferry-bench-delta}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

RUNS="${RUNS:-7}"; SIZE_MIB="${SIZE_MIB:-1024}"; BEFORE_JAR="${BEFORE_JAR:-}"
FERRY_PORT="${FERRY_PORT:-17950}"; NONE_PORT="${NONE_PORT:-17951}"; BEFORE_PORT="${BEFORE_PORT:-17952}"
RSYNC_PORT="${RSYNC_PORT:-18750}"
order_init
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"; TOKEN="$BENCH_DATA/token"; BYTES=$((SIZE_MIB * 1048576))
TOOLS="ferry ferry-none rsync rsync-fsync floor floor-fsync dd-fdatasync"
[ -n "$BEFORE_JAR" ] && TOOLS="ferry-before $TOOLS"

need rsync cmp dd
ferry_prepare
tee_results delta_bench
trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

echo "# ${SIZE_MIB} MiB random file; each round 1 MiB of it overwritten at a random offset in the middle half, then"
echo "# re-pushed into targets holding the previous version; $RUNS rounds, tools interleaved ($(order_note))"
gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
declare -A TARGET=([ferry]="$BENCH_DATA/t-ferry" [ferry-none]="$BENCH_DATA/t-none" [ferry-before]="$BENCH_DATA/t-before"
  [rsync]="$BENCH_DATA/rsync-root/plain" [rsync-fsync]="$BENCH_DATA/rsync-root/fsync" [floor]="$BENCH_DATA/t-floor"
  [floor-fsync]="$BENCH_DATA/t-floor-fsync")
for t in "${!TARGET[@]}"; do move_aside "${TARGET[$t]}"; mkdir -p "${TARGET[$t]}/big"; done

start_ferry_receiver_as FERRY_PID "$LOGS/receive-fsync.log" "$FERRY_PORT" "$TOKEN" "bench=${TARGET[ferry]}"
start_ferry_receiver_as NONE_PID "$LOGS/receive-none.log" "$NONE_PORT" "$TOKEN" "bench=${TARGET[ferry-none]}" -- --durability none
if [ -n "$BEFORE_JAR" ]; then
  FERRY_CMD_NOW=("${FERRY_CMD[@]}")
  FERRY_CMD=("${FERRY_CMD[@]/$BENCH_DATA\/ferry.jar/$BEFORE_JAR}")
  start_ferry_receiver_as BEFORE_PID "$LOGS/receive-before.log" "$BEFORE_PORT" "$TOKEN" "bench=${TARGET[ferry-before]}"
  FERRY_CMD=("${FERRY_CMD_NOW[@]}")
fi
start_rsyncd "$RSYNC_PORT" bench "$BENCH_DATA/rsync-root"

push_cmd() { # TOOL : the command line of one push
  case $1 in
    ferry) echo "${FERRY_PUSH_CMD[*]} push $BIG ferry://127.0.0.1:$FERRY_PORT/bench/big --token-file $TOKEN --state-dir $BENCH_DATA/ps-ferry" ;;
    ferry-none) echo "${FERRY_PUSH_CMD[*]} push $BIG ferry://127.0.0.1:$NONE_PORT/bench/big --token-file $TOKEN --state-dir $BENCH_DATA/ps-none" ;;
    ferry-before) echo "${FERRY_PUSH_CMD[*]/$BENCH_DATA\/ferry.jar/$BEFORE_JAR} push $BIG ferry://127.0.0.1:$BEFORE_PORT/bench/big --token-file $TOKEN --state-dir $BENCH_DATA/ps-before" ;;
    rsync) echo "rsync -a $BIG rsync://127.0.0.1:$RSYNC_PORT/bench/plain/big/" ;;
    rsync-fsync) echo "rsync -a --fsync $BIG rsync://127.0.0.1:$RSYNC_PORT/bench/fsync/big/" ;;
  esac
}
echo "# jar built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16)${BEFORE_JAR:+; before: $BEFORE_JAR, sha256 $(sha256sum "$BEFORE_JAR" | cut -c1-16)}"
for t in ferry ferry-none ferry-before rsync rsync-fsync; do [[ " $TOOLS " == *" $t "* ]] && echo "#   $t: $(push_cmd "$t")"; done
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

OFFSET=0   # the changed MiB of this round (MiB index)
# floor_run DIR FSYNC : the atomic replace a receiver could do at best, in DIR/big/big.bin
floor_run() {
  local f="$1/big/big.bin" tmp="$1/big/.big.bin.tmp"
  cp --reflink=never "$f" "$tmp"
  dd if="$BIG" of="$tmp" bs=1M skip="$OFFSET" seek="$OFFSET" count=1 conv=notrunc status=none
  if [ "$2" = 1 ]; then sync "$tmp"; fi   # (coreutils sync FILE: fsync of that file)
  mv "$tmp" "$f"
}
lo_bytes() { cat /sys/class/net/lo/statistics/tx_bytes; }
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"; FAILED=0
# one_run TOOL LABEL
one_run() {
  local tool=$1 label=$2 out="$LOGS/last-$1.log" t0 t1 rc=0 secs ok b0 b1 chunks=""
  sync; cat "$BIG" > /dev/null
  b0=$(lo_bytes); t0=$(now)
  case $tool in
    floor) floor_run "${TARGET[floor]}" 0 > "$out" 2>&1 || rc=$? ;;
    floor-fsync) floor_run "${TARGET[floor-fsync]}" 1 > "$out" 2>&1 || rc=$? ;;
    dd-fdatasync) dd if=/dev/zero of="$BENCH_DATA/dd.bin" bs=1M count="$SIZE_MIB" conv=fdatasync status=none > "$out" 2>&1 || rc=$? ;;
    *) $(push_cmd "$tool") > "$out" 2>&1 || rc=$? ;;
  esac
  t1=$(now); b1=$(lo_bytes)
  secs=$(elapsed "$t0" "$t1")
  [ "$tool" = dd-fdatasync ] && rm -f "$BENCH_DATA/dd.bin"
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; $(tr '\n' ' ' < "$out" | cut -c1-300))"
  elif [ "$tool" = dd-fdatasync ] || cmp -s "$BIG" "${TARGET[$tool]}/big/big.bin"; then
    ok="verify ok"
  else
    ok="FAIL (cmp: ${TARGET[$tool]}/big/big.bin differs from the source)"
  fi
  [[ $tool == ferry* ]] && chunks=$(grep -o 'in [0-9]* chunks' "$out" | head -1 || true)
  printf '%-8s %-12s %7.3f s  lo %9d B  %s%s\n' "$label" "$tool" "$secs" "$((b1 - b0))" "$ok" "${chunks:+ ($chunks)}"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  if [ "$label" != warm-up ]; then echo "$secs" >> "$TIMES/$tool"; echo "$((b1 - b0))" >> "$TIMES/$tool.lo"; fi
}

# warm-up: every target gets the file (untimed), and the floors' copies are made
for t in $TOOLS; do
  case $t in
    floor|floor-fsync) cp "$BIG" "${TARGET[$t]}/big/big.bin" ;;
    dd-fdatasync) ;;
    *) one_run "$t" warm-up ;;
  esac
done
for ((r = 1; r <= RUNS && !FAILED; r++)); do
  OFFSET=$(( SIZE_MIB / 4 + RANDOM % (SIZE_MIB / 2) ))
  head -c 1048576 /dev/urandom | dd of="$BIG" bs=1M seek="$OFFSET" count=1 iflag=fullblock conv=notrunc status=none
  order=$(TOOLS="$TOOLS" round_order "$r")
  echo "# round $r/$RUNS: MiB $OFFSET changed; order: $order"
  for t in $order; do one_run "$t" "run $r/$RUNS" || break 2; done
done

echo
for t in $TOOLS; do
  touch "$TIMES/$t" "$TIMES/$t.lo"
  summary "$t" "$BYTES" < "$TIMES/$t"
  echo "RESULT $t loopback bytes: median $(median < "$TIMES/$t.lo" | cut -d. -f1)"
done
ratio() { # A B NOTE : median(A)/median(B)
  [ -s "$TIMES/$1" ] && [ -s "$TIMES/$2" ] && awk -v a="$(median < "$TIMES/$1")" -v b="$(median < "$TIMES/$2")" -v n="$3" \
    'BEGIN{printf "RESULT ratio %s (medians, same run) = %.2f%s\n", n, a/b, ""}'
}
ratio ferry rsync "ferry/rsync (target <= 0.3)"
ratio ferry rsync-fsync "ferry/rsync --fsync"
ratio ferry-none rsync "ferry --durability none/rsync"
ratio ferry floor-fsync "ferry/floor-fsync"
ratio ferry-none floor "ferry --durability none/floor"
[ -n "$BEFORE_JAR" ] && ratio ferry ferry-before "ferry/ferry-before"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
