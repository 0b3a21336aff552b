#!/usr/bin/env bash
# bench/tls_bench.sh - one-shot push of ONE random file (default 1 GiB) into an empty target over 127.0.0.1: ferry
# over TLS 1.3 (pinned identities) vs ferry in plaintext (token mode), and next to them the FLOOR of each: the least
# a fresh JVM does to copy the same file -> socket -> file (bench/PipeFloor.java), bare and through ferry's own TLS.
# The four tools are interleaved in the same run: each round runs all four in its own shuffled order. The target of
# issue 14: ferry TLS <= 1.25x ferry plaintext (medians). The floors say how much of the gap is the crypto itself on
# this machine (sender and receiver share its cores) and how far ferry is from the least work of each kind.
#
#   bench/tls_bench.sh            RUNS=7 runs of each, SIZE_MIB=1024 -> bench/results-tls.txt
#   bench/tls_bench.sh --quick    SIZE_MIB=64, RUNS=3 (smoke test)    -> bench/results-tls-quick.txt
#
#   ferry-plain : receiver `ferry receive --listen 127.0.0.1:$PLAIN_PORT --folder bench=$TARGET_PLAIN --token-file
#           $TOKEN --durability $DURABILITY`; each run `ferry push $SRC/big.bin ferry://127.0.0.1:$PLAIN_PORT/bench/big
#           --token-file $TOKEN`.
#   ferry-tls : receiver `ferry receive --listen 127.0.0.1:$TLS_PORT --identity $BENCH_DATA/id-receiver
#           --folder bench=$TARGET_TLS --allow bench=SENDER_ID --durability $DURABILITY`; each run `ferry push
#           $SRC/big.bin ferry://RECEIVER_ID@127.0.0.1:$TLS_PORT/bench/big --identity $BENCH_DATA/id-sender`.
#           Identities made once with `ferry keygen` (not timed).
#   floor-plain : receiver `java $FERRY_JVM_FLAGS -cp $BENCH_DATA/pipefloor:ferry.jar PipeFloor recv $FLOOR_PLAIN_PORT`;
#           each run `java FLAGS PipeFloor send $FLOOR_PLAIN_PORT $SRC/big.bin $TARGET_FLOOR_PLAIN/big.bin 0`: file ->
#           socket -> file with direct 1 MiB buffers, <= 128 KiB file writes, no protocol, no hashing, no fsync.
#   floor-tls : receiver `... PipeFloor recv-tls $FLOOR_TLS_PORT $BENCH_DATA/id-receiver SENDER_ID` (ferry's
#           dev.ferry.auth.Tls server context and accept, drops any other sender); each run `... PipeFloor send-tls
#           $FLOOR_TLS_PORT $SRC/big.bin $TARGET_FLOOR_TLS/big.bin 0 $BENCH_DATA/id-sender RECEIVER_ID` (Tls client
#           context and connect: the same TLS 1.3, AES-128-GCM, identities and pinning as ferry's): the same copy
#           through SSLSocket streams.
# JVM flags: ferry's receivers run the jar with bin/ferry's receive flags, its pushes with the push flags
# (lib/jdk.sh ferry_jvm_flags: a plaintext push C1 only, a push with --identity C2, AES-GCM's intrinsics are C2's).
# The floors get exactly those: receivers FERRY_JVM_FLAGS, started once and warmed up like ferry's; floor-plain's
# sender `ferry_jvm_flags ... push`, floor-tls's `ferry_jvm_flags ... push --identity`; all but ferry's AOT cache,
# which belongs to the jar run with -jar (PipeFloor loads JDK classes, and ferry's auth classes for TLS): that errs
# against the floors, i.e. makes them a little slower than they could be. PipeFloor is compiled once with javac.
# DURABILITY [none]: ferry's receivers leave flushing to the OS, as the floors do (DURABILITY=fsync for ferry's
# default). Before every run (not timed; lib.sh timed_run): the previous copy renamed aside and deleted, the digest
# cache deleted (a first push), `sync`, the source read into the page cache. After every run: `cmp` against the
# source; a failed run or a mismatch prints FAIL, stops the runs, and the script exits 1 after the summary.
# Then, with FLOOR=1, an extra section: the old in-JVM floor (bench/TlsFloor.java): the same bytes from memory
# through a bare socket and a bare TLS socket in ONE warm JVM, no files: the steady-state cost of the crypto alone
# (not comparable with a one-shot push; ~10 s).
#
# Knobs (environment): RUNS [7]  SIZE_MIB [1024]  WARMUP [1]  ORDER [shuffle]|fixed  SEED [now]
#   PLAIN_PORT [17881]  TLS_PORT [17882]  FLOOR_PLAIN_PORT [17883]  FLOOR_TLS_PORT [17884]
#   BENCH_DATA [/tmp/ferry-bench]  FLOOR [1]: 0 skips the in-JVM section  FLOOR_RUNS [5]  RESULTS [bench/results-tls.txt]
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
TOOLS="ferry-plain ferry-tls floor-plain floor-tls"
order_init
PLAIN_PORT="${PLAIN_PORT:-17881}"; TLS_PORT="${TLS_PORT:-17882}"
FLOOR_PLAIN_PORT="${FLOOR_PLAIN_PORT:-17883}"; FLOOR_TLS_PORT="${FLOOR_TLS_PORT:-17884}"
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"; TOKEN="$BENCH_DATA/token"
TARGET_PLAIN="$BENCH_DATA/target-plain"; TARGET_TLS="$BENCH_DATA/target-tls"
TARGET_FLOOR_PLAIN="$BENCH_DATA/target-floor-plain"; TARGET_FLOOR_TLS="$BENCH_DATA/target-floor-tls"
FLOOR_SRC="$BENCH_DIR/PipeFloor.java"; FLOOR_CLASSES="$BENCH_DATA/pipefloor"
BYTES=$((SIZE_MIB * 1048576))
if [ $((SIZE_MIB % 1024)) = 0 ]; then LABEL="$((SIZE_MIB / 1024))GiB"; else LABEL="${SIZE_MIB}MiB"; fi

need cmp
bench_lock tls_bench
ports_free "$PLAIN_PORT" "$TLS_PORT" "$FLOOR_PLAIN_PORT" "$FLOOR_TLS_PORT"
ferry_prepare
rm -rf "$FLOOR_CLASSES"; mkdir -p "$FLOOR_CLASSES"   # compiled once, untimed (not the source launcher)
"$JAVA_HOME/bin/javac" -cp "$BENCH_DATA/ferry.jar" -d "$FLOOR_CLASSES" "$FLOOR_SRC" || die "cannot compile $FLOOR_SRC"
tee_results "tls_bench$([ "$QUICK" = 1 ] && echo -quick)"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

echo "# one ${LABEL} random file into an empty target, $RUNS timed runs each of ferry over TLS and in plaintext and"
echo "# of their floors (PipeFloor), interleaved ($TOOLS; $(order_note)), $WARMUP untimed warm-up"
echo "# run(s) each; ferry's receivers --durability $DURABILITY (the floors never fsync)"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this host shares its $(nproc) cores)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; AES intrinsics: $(grep -qw aes /proc/cpuinfo && echo 'aes in cpuinfo' || echo 'no aes flag')"

gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
rm -rf "$BENCH_DATA/id-receiver" "$BENCH_DATA/id-sender"
RECEIVER_ID=$("${FERRY_CMD[@]}" keygen "$BENCH_DATA/id-receiver" | tail -1)
SENDER_ID=$("${FERRY_CMD[@]}" keygen "$BENCH_DATA/id-sender" | tail -1)
mkdir -p "$TARGET_PLAIN" "$TARGET_TLS" "$TARGET_FLOOR_PLAIN" "$TARGET_FLOOR_TLS"
move_aside "$TARGET_PLAIN/big"; move_aside "$TARGET_TLS/big"
move_aside "$TARGET_FLOOR_PLAIN/big.bin"; move_aside "$TARGET_FLOOR_TLS/big.bin"

start_receiver_as PLAIN_PID "$LOGS/ferry-receive-plain.log" "$PLAIN_PORT" "plaintext receiver" \
  "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$PLAIN_PORT" --folder "bench=$TARGET_PLAIN" --token-file "$TOKEN" \
  --durability "$DURABILITY"
start_receiver_as TLS_PID "$LOGS/ferry-receive-tls.log" "$TLS_PORT" "TLS receiver" \
  "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$TLS_PORT" --identity "$BENCH_DATA/id-receiver" \
  --folder "bench=$TARGET_TLS" --allow "bench=$SENDER_ID" --durability "$DURABILITY"
# shellcheck disable=SC2206  # FERRY_JAVA_OPTS is word-split on purpose, as bin/ferry does
FLOOR_RECV=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_JVM_FLAGS[@]}" -cp "$FLOOR_CLASSES:$BENCH_DATA/ferry.jar" PipeFloor)
start_receiver_as FLOOR_PLAIN_PID "$LOGS/floor-receive-plain.log" "$FLOOR_PLAIN_PORT" "plaintext floor receiver" \
  "${FLOOR_RECV[@]}" recv "$FLOOR_PLAIN_PORT"
start_receiver_as FLOOR_TLS_PID "$LOGS/floor-receive-tls.log" "$FLOOR_TLS_PORT" "TLS floor receiver" \
  "${FLOOR_RECV[@]}" recv-tls "$FLOOR_TLS_PORT" "$BENCH_DATA/id-receiver" "$SENDER_ID"

PUSH_PLAIN=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:$PLAIN_PORT/bench/big" --token-file "$TOKEN")
# the TLS push's own launch flags (bin/ferry gives a push with --identity C2: AES-GCM's intrinsics are C2's)
ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" push --identity
# shellcheck disable=SC2206
PUSH_TLS=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar"
  push "$BIG" "ferry://$RECEIVER_ID@127.0.0.1:$TLS_PORT/bench/big" --identity "$BENCH_DATA/id-sender")
# the floors' senders: the same launch flags as ferry's push of the same kind, without the AOT cache (no-cache.aot
# does not exist: ferry_jvm_flags then adds none)
ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/no-cache.aot" push
# shellcheck disable=SC2206
FLOOR_PLAIN=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -cp "$FLOOR_CLASSES:$BENCH_DATA/ferry.jar"
  PipeFloor send "$FLOOR_PLAIN_PORT" "$BIG" "$TARGET_FLOOR_PLAIN/big.bin" 0)
ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/no-cache.aot" push --identity
# shellcheck disable=SC2206
FLOOR_TLS=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -cp "$FLOOR_CLASSES:$BENCH_DATA/ferry.jar"
  PipeFloor send-tls "$FLOOR_TLS_PORT" "$BIG" "$TARGET_FLOOR_TLS/big.bin" 0 "$BENCH_DATA/id-sender" "$RECEIVER_ID")
echo "# jar built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16);" \
     "PipeFloor.java sha256 $(sha256sum "$FLOOR_SRC" | cut -c1-16); each run:"
echo "#   ferry-plain: ${PUSH_PLAIN[*]}"
echo "#   ferry-tls:   ${PUSH_TLS[*]}"
echo "#   floor-plain: ${FLOOR_PLAIN[*]}"
echo "#   floor-tls:   ${FLOOR_TLS[*]}"
echo "#   floor receivers (started once): ${FLOOR_RECV[*]} recv $FLOOR_PLAIN_PORT | recv-tls $FLOOR_TLS_PORT $BENCH_DATA/id-receiver $SENDER_ID"
echo

FAILED=0
TIMES="$BENCH_DATA/times"; rm -rf "$TIMES"; mkdir -p "$TIMES"

# one_run TOOL LABEL : prepare, time, verify (lib.sh timed_run); the time goes to $TIMES/TOOL unless a warm-up
one_run() {
  case $1 in
    ferry-plain) timed_run "$1" "$2" "$TARGET_PLAIN/big" "$TARGET_PLAIN/big/big.bin" "$PLAIN_PID" "${PUSH_PLAIN[@]}" ;;
    ferry-tls)   timed_run "$1" "$2" "$TARGET_TLS/big" "$TARGET_TLS/big/big.bin" "$TLS_PID" "${PUSH_TLS[@]}" ;;
    floor-plain) timed_run "$1" "$2" "$TARGET_FLOOR_PLAIN/big.bin" "$TARGET_FLOOR_PLAIN/big.bin" "$FLOOR_PLAIN_PID" "${FLOOR_PLAIN[@]}" ;;
    floor-tls)   timed_run "$1" "$2" "$TARGET_FLOOR_TLS/big.bin" "$TARGET_FLOOR_TLS/big.bin" "$FLOOR_TLS_PID" "${FLOOR_TLS[@]}" ;;
  esac
}

run_rounds one_run   # lib.sh: warm-up, then the timed rounds in shuffled order

echo
for t in $TOOLS; do touch "$TIMES/$t"; summary "$t-$LABEL" "$BYTES" < "$TIMES/$t"; done
if [ -s "$TIMES/ferry-plain" ] && [ -s "$TIMES/ferry-tls" ] && [ -s "$TIMES/floor-plain" ] && [ -s "$TIMES/floor-tls" ]; then
  awk -v ft="$(median < "$TIMES/ferry-tls")" -v fp="$(median < "$TIMES/ferry-plain")" \
      -v bt="$(median < "$TIMES/floor-tls")" -v bp="$(median < "$TIMES/floor-plain")" 'BEGIN {
    printf "RESULT ratio ferry tls/plain (medians, same run) = %.2f (target <= 1.25: %s)\n", ft/fp, (ft/fp <= 1.25 ? "met" : "NOT met")
    printf "RESULT ratio floor tls/plain (medians, same run) = %.2f%s\n", bt/bp, (bt/bp > 1.25 ? " (above 1.25: the bare copy does not meet the target here either)" : "")
    printf "RESULT ferry distance to the floor: tls %+.3f s (ferry-tls - floor-tls), plain %+.3f s (ferry-plain - floor-plain); TLS adds %+.3f s to ferry'"'"'s own work, %+.3f s to the floor'"'"'s\n",
      ft-bt, fp-bp, (ft-bt)-(fp-bp), bt-bp }'
fi

if [ "$FLOOR" = 1 ] && [ "$FAILED" = 0 ]; then
  stop_ferry_receivers
  echo
  echo "# extra (FLOOR=1), not comparable with a one-shot push: bench/TlsFloor.java, one warm JVM, ${LABEL} from memory through 127.0.0.1 in 1 MiB writes, read into a"
  echo "# 1 MiB buffer and dropped: a bare socket, then TLS 1.3 (ferry's own Tls contexts, the identities above);"
  echo "# $FLOOR_RUNS rounds, alternating"
  mkdir -p "$BENCH_DATA/tlsfloor"
  "$JAVA_HOME/bin/javac" -d "$BENCH_DATA/tlsfloor" -cp "$BENCH_DATA/ferry.jar" "$BENCH_DIR/TlsFloor.java"
  "$JAVA_HOME/bin/java" -cp "$BENCH_DATA/tlsfloor:$BENCH_DATA/ferry.jar" TlsFloor "$SIZE_MIB" "$FLOOR_RUNS" \
    "$BENCH_DATA/id-receiver" "$BENCH_DATA/id-sender" || { echo "FAIL: the floor did not run"; FAILED=1; }
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
