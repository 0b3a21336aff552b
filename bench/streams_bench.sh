#!/usr/bin/env bash
# bench/streams_bench.sh - issue 15 item 5: parallel streams. One big random file pushed with `ferry push --streams N`
# (N in STREAMS, default 1 2 4) over a long fat link, and over plain loopback (no regression), in interleaved rounds.
#
#   bench/streams_bench.sh            SIZE_MIB=1024, RUNS=5 -> bench/results-streams_bench.txt
#   bench/streams_bench.sh --quick    SIZE_MIB=256, RUNS=2 -> bench/results-streams_bench-quick.txt
#
# The rig (needs root and iproute2): two network namespaces, NS_A (the sender) and NS_B (the receiver), joined by a
# veth pair (10.213.0.1/30 in A, 10.213.0.2/30 in B). In B: `ferry receive --listen 127.0.0.1:$PORT --folder
# bench=$BENCH_DATA/target --token-file T` (durability fsync, the default), and the test kit's FaultProxy
# (dev.ferry.testing.FaultProxy, from daemon/target/test-classes: `mvn -o -pl daemon -am test-compile` first)
# listening on 10.213.0.2:$PROXY_PORT in front of it with `--delay 25ms`: every byte waits 25 ms each way (RTT
# 50 ms), and each direction of each connection holds at most 4 MiB in flight in the proxy (Pump.MAX_QUEUED_BYTES),
# which plays the part of one TCP window on a long fat link: one connection moves at most ~4 MiB per 25 ms.
#
# Runs, each timed from the start of the `ferry push` process to its exit (JVM start included), in a new shuffled
# order every round (one untimed link-1 push first):
#   link-N   in A: ferry push $SRC ferry://10.213.0.2:$PROXY_PORT/bench --streams N   (through the delaying proxy)
#   lo-N     in B: ferry push $SRC ferry://127.0.0.1:$PORT/bench --streams N          (plain loopback, no proxy)
# Before each run (untimed): the previous copy deleted, `sync`, the source read into the page cache. After it: cmp of
# the copy with the source (a mismatch fails the benchmark).
#
# Knobs (environment): SIZE_MIB [1024]  RUNS [5]  STREAMS ["1 2 4"]  MODES ["link lo"]  DELAY [25ms]  PORT [17990]
#   PROXY_PORT [17991]  NS_A [fsb-a]  NS_B [fsb-b]  BENCH_DATA [/tmp/fb-streams]  RESULTS [bench/results-streams_bench.txt]
#   SEED [now]: the shuffle of the rounds
# At exit: the receiver and the proxy stopped, the namespaces deleted, $BENCH_DATA removed.
# Exit status: 0 ok, 1 a run failed or did not verify, 2 not root / missing tool / bad usage.
set -euo pipefail
BENCH_DATA="${BENCH_DATA:-/tmp/fb-streams}"
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"
[ "$(id -u)" = 0 ] || { echo "streams_bench.sh needs root (network namespaces)" >&2; exit 2; }
need ip cmp
if [ "$QUICK" = 1 ]; then
  SIZE_MIB="${SIZE_MIB:-256}"; RUNS="${RUNS:-2}"
  RESULTS="${RESULTS:-$BENCH_DIR/results-streams_bench-quick.txt}"
fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-5}"; STREAMS="${STREAMS:-1 2 4}"; MODES="${MODES:-link lo}"
DELAY="${DELAY:-25ms}"; PORT="${PORT:-17990}"; PROXY_PORT="${PROXY_PORT:-17991}"
NS_A="${NS_A:-fsb-a}"; NS_B="${NS_B:-fsb-b}"; SEED="${SEED:-$(date +%s)}"
ADDR_A=10.213.0.1; ADDR_B=10.213.0.2
SRC="$BENCH_DATA/src/big.bin"; TARGET="$BENCH_DATA/target"; TOKEN="$BENCH_DATA/token"; TIMES="$BENCH_DATA/times"
BYTES=$((SIZE_MIB * 1048576))
TEST_CLASSES="$FERRY_ROOT/daemon/target/test-classes"
[ -f "$TEST_CLASSES/dev/ferry/testing/FaultProxy.class" ] \
  || { echo "no FaultProxy in $TEST_CLASSES: run mvn -o -pl daemon -am test-compile first" >&2; exit 2; }

bench_lock streams_bench
ferry_prepare
RECEIVER_PID=""; PROXY_PID=""
cleanup() {
  [ -n "$PROXY_PID" ] && stop_pid "$PROXY_PID" "fault proxy"
  [ -n "$RECEIVER_PID" ] && stop_pid "$RECEIVER_PID" "ferry receiver"
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  cd / && rm -rf "$BENCH_DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
tee_results "streams_bench$([ "$QUICK" = 1 ] && echo -quick)"

# ---- the rig (untimed) ---------------------------------------------------------------------------------------------
for ns in "$NS_A" "$NS_B"; do ip netns del "$ns" 2>/dev/null || true; ip netns add "$ns"; done
ip link add fsb-va netns "$NS_A" type veth peer name fsb-vb netns "$NS_B"
ip -n "$NS_A" addr add "$ADDR_A/30" dev fsb-va; ip -n "$NS_B" addr add "$ADDR_B/30" dev fsb-vb
for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
ip -n "$NS_A" link set fsb-va up; ip -n "$NS_B" link set fsb-vb up

mkdir -p "$TARGET" "$TIMES" "$(dirname "$SRC")"
new_token "$TOKEN"
gen_random "$SRC" "$SIZE_MIB"
ip netns exec "$NS_B" "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$PORT" --folder "bench=$TARGET" \
  --token-file "$TOKEN" > "$LOGS/streams-receive.log" 2>&1 &
RECEIVER_PID=$!
ip netns exec "$NS_B" "$JAVA_HOME/bin/java" -cp "$TEST_CLASSES:$BENCH_DATA/ferry.jar" dev.ferry.testing.FaultProxy \
  --listen "$ADDR_B:$PROXY_PORT" --upstream "127.0.0.1:$PORT" --delay "$DELAY" > "$LOGS/streams-proxy.log" 2>&1 &
PROXY_PID=$!
for ((i = 0; i < 300; i++)); do
  ip netns exec "$NS_B" ss -Hltn "sport = :$PORT" | grep -q . && ip netns exec "$NS_B" ss -Hltn "sport = :$PROXY_PORT" | grep -q . && break
  kill -0 "$RECEIVER_PID" 2>/dev/null || die "the receiver exited (log: $LOGS/streams-receive.log)"
  kill -0 "$PROXY_PID" 2>/dev/null || die "the proxy exited (log: $LOGS/streams-proxy.log)"
  sleep 0.1
done
ip netns exec "$NS_A" timeout 5 bash -c "exec 3<>/dev/tcp/$ADDR_B/$PROXY_PORT" || die "no route from $NS_A to $ADDR_B:$PROXY_PORT"

echo "# load at start:$(uptime | sed 's/.*load average://')"
echo "# $SIZE_MIB MiB random file, ferry push --streams N (N: $STREAMS), $RUNS interleaved rounds (shuffled, SEED=$SEED)"
echo "# link: $NS_A -> veth -> FaultProxy --delay $DELAY (each way; 4 MiB in flight per direction per connection)"
echo "#       in $NS_B -> ferry receive (fsync); lo: in $NS_B straight to the receiver on 127.0.0.1"

# one_run MODE N LABEL : one timed push, verified with cmp; the seconds go to $TIMES/MODE-N
one_run() {
  local mode=$1 n=$2 label=$3 ns url t0 t1 rc=0 secs
  if [ "$mode" = link ]; then ns=$NS_A; url="ferry://$ADDR_B:$PROXY_PORT/bench"; else ns=$NS_B; url="ferry://127.0.0.1:$PORT/bench"; fi
  rm -f "$TARGET/big.bin"
  sync
  cat "$SRC" > /dev/null
  t0=$(now)
  ip netns exec "$ns" "${FERRY_PUSH_CMD[@]}" push "$SRC" "$url" --token-file "$TOKEN" --streams "$n" \
    --no-digest-cache -q > "$LOGS/last-push.log" 2>&1 || rc=$?
  t1=$(now)
  secs=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    echo "FAIL $label $mode-$n: exit $rc: $(tr '\n' ' ' < "$LOGS/last-push.log" | cut -c1-300)"; return 1
  fi
  cmp -s "$SRC" "$TARGET/big.bin" || { echo "FAIL $label $mode-$n: the copy differs from the source"; return 1; }
  printf '%-9s %-7s %7.3f s  %6.0f MB/s  verify ok\n' "$label" "$mode-$n" "$secs" \
    "$(awk -v b="$BYTES" -v s="$secs" 'BEGIN{print b/s/1e6}')"
  [ "$label" = warm-up ] || echo "$secs" >> "$TIMES/$mode-$n"
}

runs=()
for m in $MODES; do for n in $STREAMS; do runs+=("$m-$n"); done; done
one_run link 1 warm-up > /dev/null || die "the warm-up push failed (logs in $LOGS)"
for ((r = 1; r <= RUNS; r++)); do
  order=$(printf '%s\n' "${runs[@]}" | awk -v seed=$((SEED + r)) 'BEGIN{srand(seed)} {print rand() "\t" $0}' \
    | sort -g | cut -f2 | tr '\n' ' ')
  echo "# round $r/$RUNS order: $order"
  for run in $order; do one_run "${run%-*}" "${run##*-}" "run $r/$RUNS" || exit 1; done
done

echo "# medians (MB/s of $BYTES bytes, JVM start included):"
for run in "${runs[@]}"; do summary "$run" "$BYTES" < "$TIMES/$run"; done
echo "# load at end:$(uptime | sed 's/.*load average://')"
