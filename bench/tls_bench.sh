#!/usr/bin/env bash
# bench/tls_bench.sh - one-shot push of ONE random file (default 1 GiB) into an empty target over 127.0.0.1:
# ferry over TLS 1.3 (pinned identities) vs ferry in plaintext (token mode), interleaved in the same run: each round
# runs both, in a shuffled order. The target of issue 14: TLS <= 1.25x plaintext (medians). Then the floor: the same
# bytes through a bare socket and a bare TLS 1.3 socket in one JVM (bench/TlsFloor.java), no ferry at all.
#
#   bench/tls_bench.sh            RUNS=7 runs of each, SIZE_MIB=1024 -> bench/results-tls.txt
#   bench/tls_bench.sh --quick    SIZE_MIB=64, RUNS=3 (smoke test)    -> bench/results-tls-quick.txt
#
#   plain : receiver `ferry receive --listen 127.0.0.1:$PLAIN_PORT --folder bench=$TARGET_PLAIN --token-file $TOKEN
#           --durability $DURABILITY`; each run `ferry push $SRC/big.bin ferry://127.0.0.1:$PLAIN_PORT/bench/big
#           --token-file $TOKEN`.
#   tls   : receiver `ferry receive --listen 127.0.0.1:$TLS_PORT --identity $BENCH_DATA/id-receiver
#           --folder bench=$TARGET_TLS --allow bench=SENDER_ID --durability $DURABILITY`; each run `ferry push
#           $SRC/big.bin ferry://RECEIVER_ID@127.0.0.1:$TLS_PORT/bench/big --identity $BENCH_DATA/id-sender`.
#           Identities made once with `ferry keygen` (not timed).
# DURABILITY [none]: both receivers leave flushing to the OS, so the runs compare the transports, not the disk
# (DURABILITY=fsync for the default). Both receivers run the jar directly with bin/ferry's JVM flags (lib.sh).
# Before every run (not timed): the previous copy renamed aside and deleted, the digest cache deleted (a first push),
# `sync`, the source read into the page cache. After every run: `cmp` against the source; a failed push or a
# mismatch prints FAIL, stops the runs, and the script exits 1 after the summary.
#
# Knobs (environment): RUNS [7]  SIZE_MIB [1024]  WARMUP [1]  ORDER [shuffle]|fixed  SEED [now]
#   PLAIN_PORT [17881]  TLS_PORT [17882]  BENCH_DATA [/tmp/ferry-bench]  FLOOR [1]: 0 skips the floor
#   FLOOR_RUNS [5]  RESULTS [bench/results-tls.txt]
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"
if [ "$QUICK" = 1 ]; then
  SIZE_MIB="${SIZE_MIB:-64}"; RUNS="${RUNS:-3}"; FLOOR_RUNS="${FLOOR_RUNS:-2}"
  RESULTS="${RESULTS:-$BENCH_DIR/results-tls-quick.txt}"
fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-7}"; WARMUP="${WARMUP:-1}"; FLOOR="${FLOOR:-1}"; FLOOR_RUNS="${FLOOR_RUNS:-5}"
DURABILITY="${DURABILITY:-none}"
RESULTS="${RESULTS:-$BENCH_DIR/results-tls.txt}"
TOOLS="plain tls"
order_init
PLAIN_PORT="${PLAIN_PORT:-17881}"; TLS_PORT="${TLS_PORT:-17882}"
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"; TOKEN="$BENCH_DATA/token"
TARGET_PLAIN="$BENCH_DATA/target-plain"; TARGET_TLS="$BENCH_DATA/target-tls"
BYTES=$((SIZE_MIB * 1048576))
if [ $((SIZE_MIB % 1024)) = 0 ]; then LABEL="$((SIZE_MIB / 1024))GiB"; else LABEL="${SIZE_MIB}MiB"; fi

need cmp
bench_lock tls_bench
ports_free "$PLAIN_PORT" "$TLS_PORT"
ferry_prepare
tee_results "tls_bench$([ "$QUICK" = 1 ] && echo -quick)"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

echo "# one ${LABEL} random file into an empty target, $RUNS timed runs each of ferry over TLS and in plaintext,"
echo "# interleaved ($(order_note)), $WARMUP untimed warm-up run(s) each; receivers --durability $DURABILITY"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this host shares its $(nproc) cores)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; AES intrinsics: $(grep -qw aes /proc/cpuinfo && echo 'aes in cpuinfo' || echo 'no aes flag')"

gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
rm -rf "$BENCH_DATA/id-receiver" "$BENCH_DATA/id-sender"
RECEIVER_ID=$("${FERRY_CMD[@]}" keygen "$BENCH_DATA/id-receiver" | tail -1)
SENDER_ID=$("${FERRY_CMD[@]}" keygen "$BENCH_DATA/id-sender" | tail -1)
mkdir -p "$TARGET_PLAIN" "$TARGET_TLS"
move_aside "$TARGET_PLAIN/big"; move_aside "$TARGET_TLS/big"

start_receiver_as PLAIN_PID "$LOGS/ferry-receive-plain.log" "$PLAIN_PORT" "plaintext receiver" \
  "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$PLAIN_PORT" --folder "bench=$TARGET_PLAIN" --token-file "$TOKEN" \
  --durability "$DURABILITY"
start_receiver_as TLS_PID "$LOGS/ferry-receive-tls.log" "$TLS_PORT" "TLS receiver" \
  "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$TLS_PORT" --identity "$BENCH_DATA/id-receiver" \
  --folder "bench=$TARGET_TLS" --allow "bench=$SENDER_ID" --durability "$DURABILITY"
PUSH_PLAIN=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:$PLAIN_PORT/bench/big" --token-file "$TOKEN")
# the TLS push's own launch flags (bin/ferry gives a push with --identity C2: AES-GCM's intrinsics are C2's)
ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" push --identity
# shellcheck disable=SC2206
PUSH_TLS_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
PUSH_TLS=("${PUSH_TLS_CMD[@]}" push "$BIG" "ferry://$RECEIVER_ID@127.0.0.1:$TLS_PORT/bench/big" --identity "$BENCH_DATA/id-sender")
echo "# jar built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16); each run:"
echo "#   plain: ${PUSH_PLAIN[*]}"
echo "#   tls:   ${PUSH_TLS[*]}"
echo

FAILED=0
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"

# one_run TOOL LABEL : prepare, time, verify; appends the time to $TIMES/TOOL unless LABEL is "warm-up"
one_run() {
  local tool=$1 label=$2 target pid t0 t1 rc=0 secs ok
  if [ "$tool" = tls ]; then target="$TARGET_TLS/big"; pid=$TLS_PID; else target="$TARGET_PLAIN/big"; pid=$PLAIN_PID; fi
  move_aside "$target"
  empty_trash
  rm -rf "$FERRY_DIGESTS"
  sync
  cat "$BIG" > /dev/null
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: the $tool receiver is gone (logs in $LOGS)"; FAILED=1; return 1; }
  if [ "$tool" = tls ]; then
    t0=$(now); "${PUSH_TLS[@]}" > "$LOGS/last-push.log" 2>&1 || rc=$?; t1=$(now)
  else
    t0=$(now); "${PUSH_PLAIN[@]}" > "$LOGS/last-push.log" 2>&1 || rc=$?; t1=$(now)
  fi
  secs=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tr '\n' ' ' < "$LOGS/last-push.log" | cut -c1-300))"
  elif cmp -s "$BIG" "$target/big.bin"; then
    ok="verify ok"
  else
    ok="FAIL (cmp: $target/big.bin differs from the source or is missing)"
  fi
  printf '%-8s %-6s %7.3f s  %6.0f MB/s  %s\n' "$label" "$tool" "$secs" "$(awk -v b="$BYTES" -v s="$secs" 'BEGIN{print b/s/1e6}')" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  [ "$label" = warm-up ] || echo "$secs" >> "$TIMES/$tool"
}

for ((w = 1; w <= WARMUP && !FAILED; w++)); do
  for t in $TOOLS; do one_run "$t" warm-up || break 2; done
done
for ((r = 1; r <= RUNS && !FAILED; r++)); do
  order=$(round_order "$r")
  [ "$ORDER" = shuffle ] && echo "# round $r/$RUNS order: $order"
  for t in $order; do one_run "$t" "run $r/$RUNS" || break 2; done
done

echo
for t in $TOOLS; do touch "$TIMES/$t"; summary "ferry-$t-$LABEL" "$BYTES" < "$TIMES/$t"; done
if [ -s "$TIMES/plain" ] && [ -s "$TIMES/tls" ]; then
  awk -v t="$(median < "$TIMES/tls")" -v p="$(median < "$TIMES/plain")" \
    'BEGIN{printf "RESULT ratio tls/plaintext (medians, same run) = %.2f (target <= 1.25: %s)\n", t/p, (t/p <= 1.25 ? "met" : "NOT met")}'
fi

if [ "$FLOOR" = 1 ] && [ "$FAILED" = 0 ]; then
  stop_ferry_receivers
  echo
  echo "# floor: bench/TlsFloor.java, one JVM, ${LABEL} from memory through 127.0.0.1 in 1 MiB writes, read into a"
  echo "# 1 MiB buffer and dropped: a bare socket, then TLS 1.3 (ferry's own Tls contexts, the identities above);"
  echo "# $FLOOR_RUNS rounds, alternating"
  mkdir -p "$BENCH_DATA/tlsfloor"
  "$JAVA_HOME/bin/javac" -d "$BENCH_DATA/tlsfloor" -cp "$BENCH_DATA/ferry.jar" "$BENCH_DIR/TlsFloor.java"
  "$JAVA_HOME/bin/java" -cp "$BENCH_DATA/tlsfloor:$BENCH_DATA/ferry.jar" TlsFloor "$SIZE_MIB" "$FLOOR_RUNS" \
    "$BENCH_DATA/id-receiver" "$BENCH_DATA/id-sender" || { echo "FAIL: the floor did not run"; FAILED=1; }
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
