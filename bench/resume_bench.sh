#!/usr/bin/env bash
# bench/resume_bench.sh - resume after an interrupted push: push ONE random file (default 1 GiB) over 127.0.0.1,
# kill the sender once half of the file is in the target, then time the completion push (a second, identical
# push) and count the bytes it sends; ferry vs `rsync --partial` vs `rsync --partial --append-verify`,
# interleaved in the same run (ferry, rsync-partial, rsync-append-verify, ferry, ...).
#
#   bench/resume_bench.sh            RUNS=10 runs of each tool -> bench/results-resume_bench.txt
#   bench/resume_bench.sh --quick    RUNS=3 (smoke test; still 1 GiB) -> bench/results-resume_bench-quick.txt
#
#   ferry : receiver `ferry receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$BENCH_DATA/resume/ferry
#           --token-file $TOKEN`, started ONCE per invocation and kept running across every run (only the sender is
#           killed; the receiver keeps the interrupted transfer in $BENCH_DATA/resume/ferry/.ferry/partial/<hex>.part
#           + .side). Both pushes: `ferry push $SRC/big.bin ferry://127.0.0.1:$FERRY_PORT/bench/big --token-file $TOKEN`
#           (the jar run directly, lib.sh ferry_prepare). Kill point: the .part file has KILL_FRAC of the file;
#           signal FERRY_KILL_SIGNAL [KILL]: a crash, the sender gets no chance to say goodbye.
#   rsync : an rsync daemon on 127.0.0.1:$RSYNC_PORT (module bench -> $BENCH_DATA/resume/rsync, as push_bench.sh),
#           both pushes `rsync -a --partial --stats $SRC/big.bin rsync://127.0.0.1:$RSYNC_PORT/bench/big/`
#           (rsync-partial) or the same with --append-verify (rsync-append-verify). Kill point: the files in the
#           target dir (rsync's temp file) hold KILL_FRAC of the file; signal RSYNC_KILL_SIGNAL [TERM], as in the
#           team's reference (/work/shared/bench/rsync_baseline.sh, case e): the interruption a user makes.
#           (--partial is honoured by the daemon's receiver, which keeps the partial whichever way the client dies:
#           checked with RSYNC_KILL_SIGNAL=KILL too.)
# Each run, for each tool:
#   1. untimed: the previous target dir is renamed into $BENCH_DATA/trash (ferry: also a leftover .ferry/partial);
#      sync; the source is read once more into the page cache.
#   2. untimed: the first push is started and polled every 10 ms (at most POLL_TIMEOUT_S) until the kill point, then
#      killed. Then we wait (at most RELEASE_TIMEOUT_S) until the receiver has let go of the partial (ferry: no open
#      descriptor of the receiver under .ferry/partial; rsync: the daemon has no child left), then SETTLE s more.
#      "kept" = the bytes in the target now (ferry: size of the .part; rsync: the files in the target dir).
#   3. untimed: PREP=reuse (default) empties the trash now, right before the timed push, so that its page cache
#      reuses the memory just freed (see push_bench.sh / README "Hygiene"); sync; the source re-read.
#   4. timed (wall clock, whole process, JVM start included): the completion push. Recorded: its time, the bytes it
#      sent (ferry: its "ferry: pushed ...: X MiB in N chunks (R re-sent)" line; rsync: --stats "Total bytes
#      sent"), the loopback bytes meanwhile (/proc/net/dev lo rx: every loopback byte of the machine, TCP/IP headers
#      included), and the result is checked with cmp. A failure prints FAIL, stops the runs, exit status 1.
# A first push that was not interrupted (it ended before the kill point, or completed in spite of the signal, or left
# the whole file) is printed as SKIP, not counted, and the run is done again (at most SKIP_RETRIES more times).
# Target (the issue): ferry's bytes sent after the restart <= rest + 1% of the file (rest = file size - kept), and
# ferry's median completion time <= 0.5 x the best rsync mode's median.
#
# Knobs (environment): RUNS [10]  SIZE_MIB [1024]  WARMUP [1] untimed rounds of every tool first
#   TOOLS ["ferry rsync-partial rsync-append-verify"]  KILL_FRAC [0.5]  FERRY_KILL_SIGNAL [KILL]  RSYNC_KILL_SIGNAL [TERM]
#   SETTLE [1] s after the receiver let go   POLL_TIMEOUT_S [60]  RELEASE_TIMEOUT_S [30]  SKIP_RETRIES [2]  PREP [reuse]|keep
#   FERRY_PORT [17878]  RSYNC_PORT [18730]  BENCH_DATA [/tmp/ferry-bench]  RESULTS [bench/results-resume_bench.txt]
#   FERRY_JAVA_OPTS [] extra JVM options for both ferry processes
#   FERRY_RECEIVE_OPTS [] / FERRY_PUSH_OPTS [] extra ferry flags, e.g. FERRY_RECEIVE_OPTS=--durability=none
#   (the ferry receiver fsyncs before acknowledging by default; rsync does not fsync unless --fsync)
# Exit status: 0 ok (whether or not the target is met), 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"   # sets QUICK; --help prints the header of this script
if [ "$QUICK" = 1 ]; then RUNS="${RUNS:-3}"; RESULTS="${RESULTS:-$BENCH_DIR/results-resume_bench-quick.txt}"; fi
SIZE_MIB="${SIZE_MIB:-1024}"; RUNS="${RUNS:-10}"; WARMUP="${WARMUP:-1}"
TOOLS="${TOOLS:-ferry rsync-partial rsync-append-verify}"; PREP="${PREP:-reuse}"
KILL_FRAC="${KILL_FRAC:-0.5}"; FERRY_KILL_SIGNAL="${FERRY_KILL_SIGNAL:-KILL}"; RSYNC_KILL_SIGNAL="${RSYNC_KILL_SIGNAL:-TERM}"
SETTLE="${SETTLE:-1}"; POLL_TIMEOUT_S="${POLL_TIMEOUT_S:-60}"; RELEASE_TIMEOUT_S="${RELEASE_TIMEOUT_S:-30}"; SKIP_RETRIES="${SKIP_RETRIES:-2}"
FERRY_PORT="${FERRY_PORT:-17878}"; RSYNC_PORT="${RSYNC_PORT:-18730}"
case $PREP in reuse|keep) ;; *) echo "PREP must be reuse or keep" >&2; exit 2 ;; esac
for t in $TOOLS; do
  case $t in ferry|rsync-partial|rsync-append-verify) ;;
    *) echo "TOOLS: unknown tool '$t' (ferry, rsync-partial, rsync-append-verify)" >&2; exit 2 ;; esac
done
SRC="$BENCH_DATA/src"; BIG="$SRC/big.bin"          # the same source file as push_bench.sh (kept if the size fits)
TOKEN="$BENCH_DATA/token-resume_bench"             # its own: push_bench.sh rewrites $BENCH_DATA/token on every start
ROOT_FERRY="$BENCH_DATA/resume/ferry"; ROOT_RSYNC="$BENCH_DATA/resume/rsync"   # receiver folder / rsync module roots
PARTIALS="$ROOT_FERRY/.ferry/partial"
BYTES=$((SIZE_MIB * 1048576))
if [ $((SIZE_MIB % 1024)) = 0 ]; then LABEL="$((SIZE_MIB / 1024))GiB"; else LABEL="${SIZE_MIB}MiB"; fi
KILL_AT=$(awk -v f="$KILL_FRAC" -v s="$BYTES" 'BEGIN{printf "%d", f * s}')
SLACK=$((BYTES / 100))                             # "+ 1% of the file"

has() { [[ " $TOOLS " == *" $1 "* ]]; }
has_rsync() { has rsync-partial || has rsync-append-verify; }
need cmp
has_rsync && need rsync
bench_lock "resume_bench"                          # one benchmark at a time; then the ports, before anything is written
ports=(); if has ferry; then ports+=("$FERRY_PORT"); fi; if has_rsync; then ports+=("$RSYNC_PORT"); fi
ports_free "${ports[@]}"
has ferry && ferry_prepare                         # JDK + jar before the results file is opened (build output stays out of it)
tee_results "resume_bench$([ "$QUICK" = 1 ] && echo -quick)"

trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

echo "# load before: $(uptime | sed 's/.*load average://')"
echo "# one ${LABEL} random file; the first push is killed once $KILL_FRAC of it ($KILL_AT bytes) is in the target," \
     "the completion push is timed; $RUNS timed runs per tool, interleaved ($TOOLS), $WARMUP untimed warm-up round(s)"
echo "# each run (untimed): previous target renamed into $TRASH, sync, source re-read; after the kill: wait until the" \
     "receiver let go of the partial, +${SETTLE} s;$([ "$PREP" = reuse ] && echo ' trash deleted right before the timed push (PREP=reuse);' || echo ' trash kept until the end (PREP=keep);') sync, source re-read"
echo "# target: ferry sent after restart <= rest + 1% of the file ($SLACK B), rest = $BYTES - kept;" \
     "ferry completion median <= 0.5 x the best rsync mode's"

gen_random "$BIG" "$SIZE_MIB"
new_token "$TOKEN"
mkdir -p "$ROOT_FERRY" "$ROOT_RSYNC"
move_aside "$ROOT_FERRY/big"; move_aside "$ROOT_RSYNC/big"; move_aside "$PARTIALS"

if has ferry; then
  start_ferry_receiver "$FERRY_PORT" "$TOKEN" "bench=$ROOT_FERRY"
  # shellcheck disable=SC2206
  FERRY_PUSH=("${FERRY_PUSH_CMD[@]}" push "$BIG" "ferry://127.0.0.1:$FERRY_PORT/bench/big" --token-file "$TOKEN" ${FERRY_PUSH_OPTS:-})
  echo "# ferry: the jar run directly (jar copied to $BENCH_DATA/ferry.jar, built $(date -u -r "$FERRY_JAR" +%Y-%m-%dT%H:%M:%SZ)," \
       "sha256 $(sha256sum "$BENCH_DATA/ferry.jar" | cut -c1-16)); both pushes:"
  echo "#   ${FERRY_PUSH[*]}"
  echo "#   killed with SIG$FERRY_KILL_SIGNAL when $PARTIALS/*.part has >= $KILL_AT bytes"
  echo "#   receiver (started once, runs throughout): ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT" \
       "--folder bench=$ROOT_FERRY --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
fi
if has_rsync; then
  start_rsyncd "$RSYNC_PORT" bench "$ROOT_RSYNC"
  RSYNC_PARTIAL=(rsync -a --partial --stats "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/big/")
  RSYNC_APPEND=(rsync -a --partial --append-verify --stats "$BIG" "rsync://127.0.0.1:$RSYNC_PORT/bench/big/")
  has rsync-partial && echo "# rsync-partial (both pushes): ${RSYNC_PARTIAL[*]}"
  has rsync-append-verify && echo "# rsync-append-verify (both pushes): ${RSYNC_APPEND[*]}"
  echo "#   killed with SIG$RSYNC_KILL_SIGNAL when the files in $ROOT_RSYNC/big/ have >= $KILL_AT bytes"
fi
echo

FAILED=0
DATA="$BENCH_DATA/resume-runs"; rm -rf "$DATA"; mkdir -p "$DATA"   # one TSV line per timed run and tool

lo_bytes() { awk -F'[: ]+' '$2=="lo"{print $3}' /proc/net/dev; }
mib1() { awk -v b="$1" 'BEGIN{ if (b == "" || b == "nan") print "nan"; else printf "%.1f", b / 1048576 }'; }

# present_bytes TOOL : the bytes of the interrupted transfer in the target now (ferry: the .part file(s);
# rsync: every file in the target dir, its dot temp file included)
present_bytes() {
  local out s=0 x
  if [ "$1" = ferry ]; then
    out=$(shopt -s nullglob; f=("$PARTIALS"/*.part); [ ${#f[@]} = 0 ] || stat -c %s -- "${f[@]}" 2>/dev/null) || true
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

# released TOOL : true when the receiver has let go of the interrupted transfer (ferry: the receiver holds no
# descriptor under .ferry/partial; rsync: the daemon has no child process, i.e. no connection is being served)
released() {
  if [ "$1" = ferry ]; then
    [ -z "$(find "/proc/$FERRY_RECEIVER_PID/fd" -lname "$PARTIALS/*" 2>/dev/null | head -1)" ]
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

# sidecar_durable : bytes of the chunks the sidecar(s) in .ferry/partial record as verified and durable (what the
# receiver will reuse), from the record layout documented in daemon/.../receive/PartialSidecar.java
# (8-byte header, format 2; records: u32 length, u8 type, u32 CRC32C, payload; VERSION = str path, u64 size,
# i64 mtimeSeconds, u32 mtimeNanos, u32 chunkSize, u8 algorithm).
# Informative only ("nan" when there is none or it does not parse; CRCs are not checked).
sidecar_durable() {
  local f out=""
  for f in "$PARTIALS"/*.side; do
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

# one_run TOOL LABEL : see the header; appends a TSV line to $DATA/TOOL unless LABEL is "warm-up"
one_run() {
  local tool=$1 label=$2 i dir pid sig rc=0 rc1=0 t0 t1 t2 t3 l0 l1 kept durable="" rel secs sent lo ok extra="" first cl0 cl1 line
  local -a cmd
  case $tool in
    ferry) cmd=("${FERRY_PUSH[@]}"); sig=$FERRY_KILL_SIGNAL; dir="$ROOT_FERRY/big" ;;
    rsync-partial) cmd=("${RSYNC_PARTIAL[@]}"); sig=$RSYNC_KILL_SIGNAL; dir="$ROOT_RSYNC/big" ;;
    rsync-append-verify) cmd=("${RSYNC_APPEND[@]}"); sig=$RSYNC_KILL_SIGNAL; dir="$ROOT_RSYNC/big" ;;
  esac
  if [ "$tool" = ferry ] && ! kill -0 "$FERRY_RECEIVER_PID" 2>/dev/null; then
    echo "FAIL: the ferry receiver is gone (log: $LOGS/ferry-receive.log)"; FAILED=1; return 1
  fi
  # 1. clean target (the old copy is deleted later, right before the timed push: PREP=reuse)
  move_aside "$dir"
  if [ "$tool" = ferry ] && [ -n "$(ls -A "$PARTIALS" 2>/dev/null)" ]; then move_aside "$PARTIALS"; fi
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
    echo "$(printf '%-8s %-20s' "$label" "$tool") FAIL: fewer than $KILL_AT bytes in the target after $POLL_TIMEOUT_S s"
    FAILED=1; return 1
  elif [ "$KP" = exited ] && [ "$rc1" != 0 ]; then
    echo "$(printf '%-8s %-20s' "$label" "$tool") FAIL: the first push failed (status $rc1) before the kill point:" \
         "$(tr '\n' ' ' < "$LOGS/resume-$tool-first.log" | cut -c1-300)"
    FAILED=1; return 1
  fi
  rel=$(wait_released "$tool")
  [ "$rel" = timeout ] && extra+=" WARNING: the receiver still held the partial after $RELEASE_TIMEOUT_S s;"
  sleep "$SETTLE"
  kept=$(present_bytes "$tool")
  # not an interruption: the push ended before the kill point, or completed anyway (exit 0 / the whole file kept)
  if [ "$KP" = exited ] || [ "$rc1" = 0 ] || [ "$kept" -ge "$BYTES" ] || { [ "$tool" = ferry ] && [ -e "$dir/big.bin" ]; }; then
    echo "$(printf '%-8s %-20s' "$label" "$tool") SKIP (not counted, run again): the first push $([ "$KP" = exited ] && echo "ended before the kill point" || echo "completed despite SIG$sig")" \
         "(kill point $KP at $(mib1 "$KP_BYTES") MiB; first push $first; kept $(mib1 "$kept") MiB)"
    return 3
  fi
  [ "$tool" = ferry ] && durable=$(sidecar_durable)
  # 3. clean up memory and the page cache before the timed push
  [ "$PREP" = reuse ] && empty_trash
  sync
  cat "$BIG" > /dev/null
  # 4. the completion push, timed
  [ "$tool" = ferry ] && cl0=$(grep -c 'committed path=big/big.bin ' "$LOGS/ferry-receive.log" || true)
  l0=$(lo_bytes); t2=$(now)
  "${cmd[@]}" > "$LOGS/resume-$tool-second.log" 2>&1 || rc=$?
  t3=$(now); l1=$(lo_bytes)
  secs=$(elapsed "$t2" "$t3"); lo=$((l1 - l0))
  if [ "$tool" = ferry ]; then
    line=$(grep -m1 '^ferry: pushed ' "$LOGS/resume-$tool-second.log" || true)
    sent=$(sed -nE 's/.*: ([0-9.]+) MiB in [0-9]+ chunks .*/\1/p' <<< "$line" | awk '{printf "%d", $1 * 1048576}')
    extra+=" $(sed -nE 's/.*MiB in ([0-9]+ chunks \([0-9]+ re-sent\)).*/\1/p' <<< "$line");"
    # the receiver's line for this commit: chunks reused from an existing target file / resumed from the partial
    for ((i = 0; i < 200; i++)); do
      cl1=$(grep -c 'committed path=big/big.bin ' "$LOGS/ferry-receive.log" || true)
      [ "$cl1" -gt "$cl0" ] && break; sleep 0.01
    done
    line=$(grep 'committed path=big/big.bin ' "$LOGS/ferry-receive.log" | tail -1)
    [ "$cl1" -gt "$cl0" ] && extra+=" receiver: $(grep -oE 'chunks=[0-9]+ reused=[0-9]+ resumed=[0-9]+' <<< "$line");"
  else
    sent=$(sed -nE 's/^Total bytes sent: ([0-9,]+).*/\1/p' "$LOGS/resume-$tool-second.log" | tr -d ,)
  fi
  sent=${sent:-nan}
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tr '\n' ' ' < "$LOGS/resume-$tool-second.log" | cut -c1-300))"
  elif cmp -s "$BIG" "$dir/big.bin"; then
    ok="verify ok"
  else
    ok="FAIL (cmp: $dir/big.bin differs from the source or is missing; $(ls -la "$dir" 2>&1 | tr '\n' ' ' | cut -c1-300))"
  fi
  if [ "$tool" = ferry ] && [ "$sent" != nan ]; then
    extra+=" sent <= rest + 1%: $( ((sent <= BYTES - kept + SLACK)) && echo yes || echo NO);"
  fi
  printf '%-8s %-20s SIG%s at %s MiB (first push %s), receiver let go after %s s, kept %s MiB%s; completion %6.3f s, sent %s MiB, lo %s MiB;%s %s\n' \
    "$label" "$tool" "$sig" "$(mib1 "$KP_BYTES")" "$first" "$rel" "$(mib1 "$kept")" \
    "$([ "$tool" = ferry ] && echo " (durable per sidecar $(mib1 "$durable"))")" "$secs" "$(mib1 "$sent")" "$(mib1 "$lo")" "$extra" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  # completion_s  sent  lo  kept  durable
  [ "$label" = warm-up ] || printf '%s\t%s\t%s\t%s\t%s\n' "$secs" "$sent" "$lo" "$kept" "${durable:-nan}" >> "$DATA/$tool"
}

# run_slot TOOL LABEL : one_run, again when the push was not interrupted (at most SKIP_RETRIES more times)
run_slot() {
  local a rc
  for ((a = 0; a <= SKIP_RETRIES; a++)); do
    rc=0; one_run "$1" "$2" || rc=$?
    [ "$rc" = 3 ] || return "$rc"
    SKIPS[$1]=$(( ${SKIPS[$1]:-0} + 1 ))
  done
  echo "FAIL: $1: $((SKIP_RETRIES + 1)) first pushes in a row were not interrupted (see SKIP above)"; FAILED=1; return 1
}
declare -A SKIPS
for ((w = 1; w <= WARMUP && !FAILED; w++)); do
  for t in $TOOLS; do run_slot "$t" warm-up || break 2; done
done
for ((r = 1; r <= RUNS && !FAILED; r++)); do
  for t in $TOOLS; do run_slot "$t" "run $r/$RUNS" || break 2; done
done

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
if has ferry && [ -s "$DATA/ferry" ]; then
  echo "INFO ferry durable per sidecar at kill: median $(mmm 5 < "$DATA/ferry")"
  awk -F'\t' -v size="$BYTES" -v slack="$SLACK" '{
      n++; rest = size - $4; if ($2 != "nan" && $2 + 0 <= rest + slack) ok++
      if ($3 + 0 <= rest + slack) lok++ }
    END { printf "RESULT target ferry bytes sent after restart <= rest + 1%% of the file (%.1f MiB): %s (%d of %d runs; by loopback bytes: %d of %d)\n",
            slack / 1048576, (ok == n ? "MET" : "NOT MET"), ok, n, lok, n }' "$DATA/ferry"
fi
best=""
for t in rsync-partial rsync-append-verify; do
  [ -n "${MED[$t]:-}" ] || continue
  if [ -z "$best" ] || awk -v a="${MED[$t]}" -v b="${MED[$best]}" 'BEGIN{exit !(a < b)}'; then best=$t; fi
done
if [ -n "${MED[ferry]:-}" ] && [ -n "$best" ]; then
  awk -v f="${MED[ferry]}" -v r="${MED[$best]}" -v b="$best" 'BEGIN{
    printf "RESULT ratio ferry/%s completion time (medians, same run; best rsync mode) = %.2f  target <= 0.5: %s\n",
      b, f / r, (f / r <= 0.5 ? "MET" : "NOT MET") }'
fi
echo "# load after: $(uptime | sed 's/.*load average://')"
echo "# per-run figures: $DATA/<tool> (completion_s, sent, lo, kept, durable); last push outputs: $LOGS/resume-<tool>-{first,second}.log"
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
