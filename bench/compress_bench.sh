#!/usr/bin/env bash
# bench/compress_bench.sh - issue 15 benchmark (g): a one-shot `ferry push` of a text-heavy real tree into an empty
# target over 127.0.0.1, without and with compression, interleaved in the same run; bytes on the wire reported.
#
#   bench/compress_bench.sh            RUNS=7 timed runs of each -> bench/results-compress.txt
#   bench/compress_bench.sh --quick    RUNS=3, a smaller tree     -> bench/results-compress-quick.txt
#
#   The tree: a copy of $TREE_FROM (default /usr/share/doc, this machine's package documentation: READMEs,
#   changelogs, copyright files, HTML), made once under $BENCH_DATA/compress-src, every .gz in it decompressed so
#   that it is text-heavy, symlinks removed (a one-shot push does not carry them yet; what is compared is what is
#   pushed). With --quick only the first 1,000 files.
#   Tools (TOOLS, each round in a new shuffled order, lib.sh round_order):
#     ferry       ferry push SRC/ ferry://127.0.0.1:$FERRY_PORT/bench/t --token-file TOKEN
#     ferry-zstd  the same with --compress zstd (the default level, 1), or COMPRESS=zstd:N
#     ferry-zstdN the same with --compress zstd:N (e.g. TOOLS="ferry ferry-zstd1 ferry-zstd3" compares levels)
#   One receiver (`ferry receive`, fsync on: the default) serves both. Before each run (untimed): the previous copy
#   moved aside and deleted, sync. After each run: `diff -r` of source and target (FAIL stops the runs), and the
#   bytes on the wire from the push's summary (ferry's counters: chunk data bytes; headers in neither).
#   Prints per run: time, MB/s of the tree's bytes, chunk bytes raw and on the wire, and the CPU seconds (user +
#   system) of the push process (GNU time) and of the receiver during the run (/proc/PID/stat): the machine has 2
#   cores and other work on it, so CPU seconds say what compression costs when wall times are noisy. Then medians
#   (min-max) and the ratios of the medians (ferry-zstd / ferry).
#
# Knobs (environment): RUNS [7]  WARMUP [1]  TREE_FROM [/usr/share/doc]  COMPRESS [zstd]  ORDER [shuffle]|fixed
#   SEED [now]  TOOLS ["ferry ferry-zstd"]  FERRY_PORT [17880]  BENCH_DATA [/tmp/ferry-bench]  FERRY_JAVA_OPTS []
#   FERRY_RECEIVE_OPTS []  RESULTS [bench/results-compress.txt]
# Exit status: 0 ok, 1 a run failed or did not verify, 2 missing tool or bad usage.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

parse_quick_flag "$@"
if [ "$QUICK" = 1 ]; then
  RUNS="${RUNS:-3}"; MAX_FILES=1000
  RESULTS="${RESULTS:-$BENCH_DIR/results-compress-quick.txt}"
fi
RUNS="${RUNS:-7}"; WARMUP="${WARMUP:-1}"; MAX_FILES="${MAX_FILES:-0}"
TREE_FROM="${TREE_FROM:-/usr/share/doc}"; COMPRESS="${COMPRESS:-zstd}"
TOOLS="${TOOLS:-ferry ferry-zstd}"
order_init
FERRY_PORT="${FERRY_PORT:-17880}"
SRC="$BENCH_DATA/compress-src"; [ "$QUICK" = 1 ] && SRC+=-quick; TOKEN="$BENCH_DATA/token"
TARGET="$BENCH_DATA/compress-target"

need diff gzip find
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time -- install with: apt-get install -y time" >&2; exit 2; }
[ -d "$TREE_FROM" ] || { echo "TREE_FROM=$TREE_FROM is not a directory" >&2; exit 2; }
ferry_prepare
tee_results "compress$([ "$QUICK" = 1 ] && echo -quick || true)"
trap stop_receiver_and_rsyncd EXIT
trap 'exit 130' INT TERM

# the tree, made once (kept between runs of this script while TREE_FROM's copy is there)
if [ ! -f "$SRC/.made" ]; then
  log "copying $TREE_FROM to $SRC, decompressing its .gz files"
  rm -rf "$SRC"; mkdir -p "$SRC"
  if [ "$MAX_FILES" -gt 0 ]; then
    (cd "$TREE_FROM" && find . -type f | sort | awk -v n="$MAX_FILES" 'NR <= n' \
      | while IFS= read -r f; do mkdir -p "$SRC/$(dirname "$f")"; cp -p "$f" "$SRC/$f"; done)
  else
    cp -a "$TREE_FROM/." "$SRC/"
  fi
  find "$SRC" -type l -delete
  # decompress in place; a .gz whose plain name exists already (both shipped) keeps its compressed copy
  find "$SRC" -type f -name '*.gz' -print0 | while IFS= read -r -d '' f; do
    [ -e "${f%.gz}" ] || gzip -dq "$f" 2>/dev/null || true
  done
  touch "$SRC/.made"
fi
FILES=$(find "$SRC" -type f ! -name .made | wc -l)
BYTES=$(find "$SRC" -type f ! -name .made -printf '%s\n' | awk '{s+=$1} END {print s+0}')
GZ_LEFT=$(find "$SRC" -type f -name '*.gz' | wc -l)
head -c 32 /dev/urandom | base64 > "$TOKEN"; chmod 600 "$TOKEN"

echo "# tree: $TREE_FROM copied to $SRC, .gz decompressed (${GZ_LEFT} left compressed), symlinks removed:"
echo "#   $FILES files, $BYTES bytes ($(awk -v b="$BYTES" 'BEGIN{printf "%.1f MiB", b/1048576}'))"
echo "# $RUNS timed runs per tool, interleaved ($TOOLS; $(order_note)), $WARMUP untimed warm-up run(s) each"
echo "# load before the runs:$(uptime | sed 's/.*load average://') (2 cores; other work on this machine shows here)"

start_ferry_receiver "$FERRY_PORT" "$TOKEN" "bench=$TARGET"
PUSH=("${FERRY_PUSH_CMD[@]}" push "$SRC/" "ferry://127.0.0.1:$FERRY_PORT/bench/t" --token-file "$TOKEN" --no-digest-cache)
echo "# ferry:      ${PUSH[*]}"
echo "# ferry-zstd: the same + --compress $COMPRESS; ferry-zstdN: + --compress zstd:N"
echo "# receiver:   ${FERRY_CMD[*]} receive --listen 127.0.0.1:$FERRY_PORT --folder bench=$TARGET --token-file $TOKEN ${FERRY_RECEIVE_OPTS:-}"
echo

FAILED=0
TIMES="$BENCH_DATA/times-compress"; rm -rf "$TIMES"; mkdir -p "$TIMES"

# cpu_of PID : user + system CPU seconds of a running process so far
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# wire_of LOG : "RAW WIRE" chunk bytes (MiB, as the summary prints them) from a push's output
wire_of() {
  local raw wire
  raw=$(sed -n 's/^ferry: pushed .*: \([0-9.]*\) MiB in .*/\1/p' "$1")
  wire=$(sed -n 's/^ferry: compressed: \([0-9.]*\) MiB on the wire.*/\1/p' "$1")
  echo "${raw:-?} ${wire:-$raw}"
}

one_run() {
  local tool=$1 label=$2 t0 t1 rc=0 secs ok extra=() raw wire r0 r1 pcpu rcpu
  case $tool in
    ferry) ;;
    ferry-zstd) extra=(--compress "$COMPRESS") ;;
    ferry-zstd[0-9]*) extra=(--compress "zstd:${tool#ferry-zstd}") ;;
    *) echo "unknown tool $tool (TOOLS: ferry, ferry-zstd, ferry-zstdN)" >&2; exit 2 ;;
  esac
  move_aside "$TARGET/t"; empty_trash; sync
  kill -0 "$FERRY_RECEIVER_PID" 2>/dev/null || { echo "FAIL: the ferry receiver is gone (log: $LOGS/ferry-receive.log)"; FAILED=1; return 1; }
  r0=$(cpu_of "$FERRY_RECEIVER_PID")
  t0=$(now); /usr/bin/time -f '%U %S' -o "$LOGS/last-push.time" "${PUSH[@]}" "${extra[@]}" > "$LOGS/last-push.log" 2>&1 || rc=$?; t1=$(now)
  r1=$(cpu_of "$FERRY_RECEIVER_PID")
  secs=$(elapsed "$t0" "$t1")
  pcpu=$(awk 'END{printf "%.2f", $1 + $2}' "$LOGS/last-push.time")
  rcpu=$(awk -v a="$r0" -v b="$r1" 'BEGIN{printf "%.2f", b - a}')
  read -r raw wire < <(wire_of "$LOGS/last-push.log")
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tr '\n' ' ' < "$LOGS/last-push.log" | cut -c1-300))"
  elif diff -r -q -x .made "$SRC" "$TARGET/t" > "$LOGS/last-diff.log" 2>&1; then
    ok="verify ok"
  else
    ok="FAIL (diff -r: $(head -3 "$LOGS/last-diff.log" | tr '\n' ' ' | cut -c1-300))"
  fi
  printf '%-9s %-11s %7.3f s  %5.0f MB/s  chunks %s MiB, on the wire %s MiB  cpu push %s s, receiver %s s  %s\n' \
    "$label" "$tool" "$secs" "$(awk -v b="$BYTES" -v s="$secs" 'BEGIN{print b/s/1e6}')" "$raw" "$wire" "$pcpu" "$rcpu" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  if [ "$label" != warm-up ]; then
    echo "$secs" >> "$TIMES/$tool"; echo "$wire" >> "$TIMES/$tool.wire"; echo "$raw" >> "$TIMES/$tool.raw"
    echo "$pcpu" >> "$TIMES/$tool.pcpu"; echo "$rcpu" >> "$TIMES/$tool.rcpu"
  fi
}

run_rounds one_run   # lib.sh: warm-up, then the timed rounds in shuffled order

echo
for t in $TOOLS; do
  touch "$TIMES/$t" "$TIMES/$t.wire" "$TIMES/$t.raw" "$TIMES/$t.pcpu" "$TIMES/$t.rcpu"
  summary "$t" "$BYTES" < "$TIMES/$t"
  awk -v t="$t" -v r="$(median < "$TIMES/$t.raw")" -v w="$(median < "$TIMES/$t.wire")" \
      -v p="$(median < "$TIMES/$t.pcpu")" -v c="$(median < "$TIMES/$t.rcpu")" \
    'BEGIN{printf "RESULT %s bytes: chunks %.1f MiB raw, %.1f MiB on the wire; cpu: push %.2f s, receiver %.2f s (medians)\n", t, r, w, p, c}'
done
for t in $TOOLS; do
  [ "$t" != ferry ] && [ -s "$TIMES/ferry" ] && [ -s "$TIMES/$t" ] || continue
  awk -v t="$t" -v z="$(median < "$TIMES/$t")" -v f="$(median < "$TIMES/ferry")" \
      -v zw="$(median < "$TIMES/$t.wire")" -v fw="$(median < "$TIMES/ferry.wire")" \
      -v zc="$(median < "$TIMES/$t.pcpu")" -v fc="$(median < "$TIMES/ferry.pcpu")" \
    'BEGIN{printf "RESULT ratio %s/ferry (medians, same run): time %.2f (target <= 1.2), bytes on the wire %.3f, push cpu %.2f\n", t, z/f, zw/fw, zc/fc}'
done
if [ "$FAILED" != 0 ]; then echo "FAIL: at least one run failed or did not verify (see above)"; exit 1; fi
