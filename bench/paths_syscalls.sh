#!/usr/bin/env bash
# bench/paths_syscalls.sh JAR PORT LABEL : a receiver from JAR under `strace -f -c`, one push of 2,000 of
# paths_bench.sh's small files (its first 20 directories; run paths_bench.sh first); prints the receiver's CPU time for
# the push (utime+stime from /proc, in 1/100 s) and its system calls by count (the whole receiver life, start included).
# Load-independent figures to set beside paths_bench.sh's wall times on a busy machine.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
find_jdk
JAR=$1; PORT=$2; LABEL=$3; D=$BENCH_DATA/syscalls-$LABEL; rm -rf "$D"; mkdir -p "$D/t"
SRC=$BENCH_DATA/src; TOKEN=$BENCH_DATA/token
mkdir -p "$D/small2k"; for i in $(seq 0 19); do cp -r "$SRC/small/d$i" "$D/small2k/"; done
JAVA=("$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}")
strace -f -c -o "$D/strace.txt" "${JAVA[@]}" -jar "$JAR" receive --listen 127.0.0.1:$PORT --folder "bench=$D/t" --token-file "$TOKEN" > "$D/recv.log" 2>&1 &
SP=$!
for i in $(seq 50); do port_listening $PORT && break; sleep 0.2; done
JP=$(pgrep -P $SP java || echo $SP)
ticks() { awk '{print $14+$15}' /proc/$JP/stat; }
push() { "${JAVA[@]}" -XX:TieredStopAtLevel=1 -jar $BENCH_DATA/after.jar push "$1" "ferry://127.0.0.1:$PORT/bench/$2" --token-file "$TOKEN" >/dev/null 2>&1; }
t0=$(ticks); push "$D/small2k" small; t1=$(ticks)
echo "$LABEL small2k receiver cpu ticks: $((t1 - t0)) (1/100 s) for $(find $D/small2k -type f | wc -l) files"
kill $JP; wait $SP 2>/dev/null || true
echo "$LABEL syscalls (whole receiver life incl. start):"; sort -k4 -n -r "$D/strace.txt" | head -25 | awk '{print "  " $0}'
