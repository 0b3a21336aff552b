# bench/lib.sh - helpers shared by ferry's benchmark scripts. Source it, do not run it.
# All traffic goes to 127.0.0.1; all data lives under $BENCH_DATA (default /tmp/ferry-bench).
# Needs bash >= 5 (EPOCHREALTIME).

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
FERRY_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
source "$FERRY_ROOT/bin/lib/jdk.sh"          # find_jdk, ferry_build_if_needed, FERRY_JAR, FERRY_JVM_FLAGS
export LC_ALL=C.UTF-8                          # "." as the decimal point in EPOCHREALTIME, awk, printf; UTF-8 file names for the JVM

BENCH_DATA="${BENCH_DATA:-/tmp/ferry-bench}"
TRASH="$BENCH_DATA/trash"                      # old target copies are renamed into here, deleted at the end
LOGS="$BENCH_DATA/logs"
mkdir -p "$BENCH_DATA" "$TRASH" "$LOGS"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# need CMD... : exit 2 with an install hint when a command is missing
need() {
  local c pkg missing=()
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local pkgs=()
  for c in "${missing[@]}"; do
    case $c in cmp) pkg=diffutils ;; ss) pkg=iproute2 ;; *) pkg=$c ;; esac
    pkgs+=("$pkg")
  done
  echo "missing: ${missing[*]} -- install with: apt-get install -y ${pkgs[*]}" >&2
  exit 2
}

# tee_results NAME : everything printed from here on also goes to $RESULTS (default bench/results-NAME.txt),
# preceded by a header describing the machine.
tee_results() {
  local f="${RESULTS:-$BENCH_DIR/results-$1.txt}"
  exec > >(tee "$f") 2>&1
  echo "# $1 - $(date -u +%Y-%m-%dT%H:%M:%SZ) - nproc $(nproc) - $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: *//')" \
       "- $(awk '/MemTotal/{printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo) - kernel $(uname -r)"
  if [ -n "${JAVA_HOME:-}" ]; then echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p) ($JAVA_HOME)"; else echo "# java: not used"; fi
  command -v rsync >/dev/null 2>&1 && echo "# rsync: $(rsync --version | head -1 | sed 's/  */ /g')"
  echo "# results file: $f   data: $BENCH_DATA"
}

now() { echo "$EPOCHREALTIME"; }
# lo_bytes : bytes the loopback interface has carried so far (its receive counter; on lo every byte sent is also
# received, so it equals tx_bytes); the difference around a run is what crossed 127.0.0.1, TCP/IP headers included
lo_bytes() { awk -F'[: ]+' '$2=="lo"{print $3}' /proc/net/dev; }
# elapsed T0 T1 : seconds between two now() values, 3 decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

# summary NAME UNIT_BYTES < times : "RESULT NAME: median=X s (min A, max B, n=N) = M MB/s"
summary() {
  sort -g | awk -v name="$1" -v bytes="${2:-0}" '{a[NR]=$1} END {
    if (NR == 0) { printf "RESULT %s: no successful runs\n", name; exit }
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "RESULT %s: median=%.3f s (min %.3f, max %.3f, n=%d)", name, m, a[1], a[NR], NR
    if (bytes > 0) printf "  = %.0f MB/s", bytes / m / 1e6
    printf "\n" }'
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else printf "%.6f\n", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

# gen_random FILE MIB : random file, kept if it already has that size
gen_random() {
  local f=$1 mib=$2
  if [ "$(stat -c %s "$f" 2>/dev/null || echo -1)" != $((mib * 1048576)) ]; then
    log "generating $f ($mib MiB random)"
    mkdir -p "$(dirname "$f")"
    head -c $((mib * 1048576)) /dev/urandom > "$f.tmp" && mv "$f.tmp" "$f"
  fi
}

# move_aside DIR : rename DIR into $TRASH (same file system: instant; `rm -rf` and recreating is slow on this
# VM's ext4, and freeing memory hands it back to the hypervisor). The trash is deleted by empty_trash.
move_aside() {
  [ -e "$1" ] || return 0
  mv "$1" "$(mktemp -u "$TRASH/$(basename "$1").XXXXXX")"
}
# The order of the tools in each timed round (resume_bench.sh, push_bench.sh). ORDER [shuffle]|fixed, SEED [now, in
# seconds]: order_init checks them (exit 2), order_note says which for the results header, round_order ROUND prints
# the tools of TOOLS in the order ROUND runs them: as in TOOLS (fixed), or shuffled (Fisher-Yates, awk's srand(SEED +
# ROUND); the seed is printed, so a run can be repeated in the same orders). Shuffled by default: what one run frees
# or takes of this VM's memory lands on the next run (push_bench.sh's header: PREP), and in a fixed order on the same tool every
# round.
order_init() {
  ORDER="${ORDER:-shuffle}"; SEED="${SEED:-$(date +%s)}"
  case $ORDER in shuffle|fixed) ;; *) echo "ORDER must be shuffle or fixed" >&2; exit 2 ;; esac
  [[ $SEED =~ ^[0-9]+$ ]] || { echo "SEED must be a number" >&2; exit 2; }
}
order_note() {
  if [ "$ORDER" = shuffle ]; then echo "each round in its own shuffled order, SEED=$SEED"; else echo "in this order every round"; fi
}
round_order() {
  if [ "$ORDER" = fixed ]; then echo $TOOLS; return; fi
  awk -v seed="$((SEED + $1))" -v tools="$TOOLS" 'BEGIN {
    n = split(tools, t, " "); srand(seed)
    for (i = n; i > 1; i--) { j = int(rand() * i) + 1; x = t[i]; t[i] = t[j]; t[j] = x }
    for (i = 1; i <= n; i++) printf "%s%s", t[i], (i < n ? " " : "\n") }'
}

# run_rounds FN : WARMUP untimed rounds of every tool in the order of TOOLS, then RUNS timed rounds, each in
# round_order's order (printed when shuffled): `FN TOOL LABEL` per run, LABEL "warm-up" or "run R/RUNS". Stops at
# the first run that fails (FN returns non-zero) or once FAILED is set.
run_rounds() {
  local fn=$1 w r t order
  for ((w = 1; w <= WARMUP && !FAILED; w++)); do
    for t in $TOOLS; do "$fn" "$t" warm-up || return 0; done
  done
  for ((r = 1; r <= RUNS && !FAILED; r++)); do
    order=$(round_order "$r")
    [ "$ORDER" = shuffle ] && echo "# round $r/$RUNS order: $order"
    for t in $order; do "$fn" "$t" "run $r/$RUNS" || return 0; done
  done
}

empty_trash() { [ -d "$TRASH" ] && rm -rf "$TRASH" && mkdir -p "$TRASH"; }

# timed_run TOOL LABEL ASIDE RESULT PID CMD... : one run of a one-shot push bench (push_bench.sh, tls_bench.sh):
# untimed first: ASIDE (the previous copy: the target directory, or the file itself) moved aside, with PREP=reuse
# (default) the trash deleted right away (why: push_bench.sh's header), ferry's digest cache deleted (each push a
# first push), `sync`, $BIG read into the page cache, and PID (a receiver; "" for none) checked alive. Then CMD
# timed (output to $LOGS/last-TOOL.log), and RESULT (the copy of $BIG it must leave) compared with cmp. Prints one
# line (LABEL TOOL seconds MB/s of $BYTES, "verify ok" or FAIL ...) and appends the seconds to $TIMES/TOOL unless
# LABEL is "warm-up". A FAIL sets FAILED=1 and returns 1.
timed_run() {
  local tool=$1 label=$2 aside=$3 result=$4 pid=$5 out="$LOGS/last-$1.log" t0 t1 rc=0 secs ok
  shift 5
  move_aside "$aside"
  [ "${PREP:-reuse}" = reuse ] && empty_trash
  rm -rf "$FERRY_DIGESTS"
  sync
  cat "$BIG" > /dev/null
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: the $tool receiver (pid $pid) is gone (logs in $LOGS)"; FAILED=1; return 1
  fi
  t0=$(now); "$@" > "$out" 2>&1 || rc=$?; t1=$(now)
  secs=$(elapsed "$t0" "$t1")
  if [ "$rc" != 0 ]; then
    ok="FAIL (exit status $rc; output: $(tr '\n' ' ' < "$out" | cut -c1-300))"
  elif cmp -s "$BIG" "$result"; then
    ok="verify ok"
  else
    ok="FAIL (cmp: $result differs from the source or is missing; $(ls -la "$(dirname "$result")" 2>&1 | tr '\n' ' ' | cut -c1-300))"
  fi
  printf '%-8s %-11s %7.3f s  %6.0f MB/s  %s\n' "$label" "$tool" "$secs" "$(awk -v b="$BYTES" -v s="$secs" 'BEGIN{print b/s/1e6}')" "$ok"
  if [[ $ok == FAIL* ]]; then FAILED=1; return 1; fi
  [ "$label" = warm-up ] || echo "$secs" >> "$TIMES/$tool"
}

# port_listening PORT : true when something listens on 127.0.0.1:PORT (ss does not open a connection)
port_listening() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
# wait_listening PORT PID WHAT : waits up to 30 s for PORT; dies if PID exits first
wait_listening() {
  local i
  for ((i = 0; i < 300; i++)); do
    port_listening "$1" && return 0
    if ! kill -0 "$2" 2>/dev/null; then
      local rc=0; wait "$2" 2>/dev/null || rc=$?
      die "$3 (pid $2) exited with status $rc before listening on 127.0.0.1:$1"
    fi
    sleep 0.1
  done
  die "$3 did not listen on 127.0.0.1:$1 within 30 s"
}
# stop_pid PID WHAT : TERM, wait up to 5 s, then KILL (only the process we started)
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  log "$2 (pid $pid) stopped"
}

# --- rsync daemon receiver ---------------------------------------------------------------------------
# start_rsyncd PORT MODULE DIR [MODULE_LINE...] : rsync daemon on 127.0.0.1:PORT serving DIR as MODULE; sets
# RSYNCD_PID. Each MODULE_LINE (e.g. "munge symlinks = no") is added to the module's section.
RSYNCD_PID=""
start_rsyncd() {
  local port=$1 module=$2 dir=$3 conf="$BENCH_DATA/rsyncd/rsyncd.conf" line; shift 3
  port_listening "$port" && die "port $port is already in use (RSYNC_PORT=...)"
  mkdir -p "$BENCH_DATA/rsyncd" "$dir"
  {
    echo "# generated by bench/lib.sh"
    echo "use chroot = no"
    if [ "$(id -u)" = 0 ]; then echo "uid = root"; echo "gid = root"; fi
    echo "address = 127.0.0.1"
    echo "port = $port"
    echo "max connections = 0"
    echo "log file = $BENCH_DATA/rsyncd/rsyncd.log"
    echo "pid file = $BENCH_DATA/rsyncd/rsyncd.pid"
    echo "[$module]"
    echo "    path = $dir"
    echo "    read only = no"
    for line in "$@"; do echo "    $line"; done
  } > "$conf"
  rm -f "$BENCH_DATA/rsyncd/rsyncd.pid"
  rsync --daemon --no-detach --config="$conf" &
  RSYNCD_PID=$!
  wait_listening "$port" "$RSYNCD_PID" "rsync daemon"
  log "rsync daemon: pid $RSYNCD_PID, rsync://127.0.0.1:$port/$module -> $dir"
}
stop_rsyncd() { stop_pid "$RSYNCD_PID" "rsync daemon"; RSYNCD_PID=""; }

# --- ferry ----------------------------------------------------------------------------------------------
# ferry_prepare : JDK + up-to-date jar, once, before anything is timed. The jar is copied to
# $BENCH_DATA/ferry.jar so that a rebuild in the source tree during the benchmark (other people work in it)
# cannot swap it under a running JVM. Sets FERRY_CMD (an array): the java command line bin/ferry would exec (FERRY_DAEMON_CMD: for `daemon`),
# minus its build check. Every ferry process of a benchmark gets XDG_STATE_HOME=$BENCH_DATA/state, so a one-shot
# push keeps its digest cache in FERRY_DIGESTS (not in the user's ~/.local/state), where the scripts can clear it.
FERRY_DIGESTS="$BENCH_DATA/state/ferry/push-digests"
ferry_prepare() {
  export XDG_STATE_HOME="$BENCH_DATA/state"
  find_jdk
  ferry_build_if_needed
  cp "$FERRY_JAR" "$BENCH_DATA/ferry.jar.tmp" && mv "$BENCH_DATA/ferry.jar.tmp" "$BENCH_DATA/ferry.jar"
  ferry_aot_if_needed "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot"   # as bin/ferry does for its own jar
  ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" receive
  # shellcheck disable=SC2206  # FERRY_JAVA_OPTS is word-split on purpose, as bin/ferry does
  FERRY_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
  ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" daemon
  # shellcheck disable=SC2206
  FERRY_DAEMON_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
  ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" push ${FERRY_PUSH_OPTS:-}
  # shellcheck disable=SC2206
  FERRY_PUSH_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
}
# start_ferry_receiver PORT TOKEN_FILE NAME=DIR... : background receiver `ferry receive --listen 127.0.0.1:PORT
# --folder NAME=DIR... --token-file TOKEN_FILE`, log $LOGS/ferry-receive.log; sets FERRY_RECEIVER_PID.
# FERRY_RECEIVE_OPTS (word-split) is appended, e.g. FERRY_RECEIVE_OPTS=--durability=none
start_ferry_receiver() { start_ferry_receiver_as FERRY_RECEIVER_PID "$LOGS/ferry-receive.log" "$@"; }
# start_ferry_receiver_as PID_VAR LOG PORT TOKEN_FILE NAME=DIR... [-- OPTION...] : the same for one more receiver
# (resume_bench.sh runs two): sets the variable named PID_VAR instead, logs to LOG, and appends the OPTIONs after
# FERRY_RECEIVE_OPTS (ferry takes the last value of an option, e.g. `-- --durability none`). Every PID_VAR is
# remembered in FERRY_RECEIVER_VARS: stop_ferry_receivers (the EXIT trap) stops each receiver still running.
# shellcheck disable=SC2034  # set through its name (printf -v) by start_ferry_receiver, read by the scripts
FERRY_RECEIVER_PID=""
FERRY_RECEIVER_VARS=()
declare -gA RECEIVER_WHAT=()                   # PID_VAR -> what it runs, for the log lines (start_receiver_as)
start_ferry_receiver_as() {
  local var=$1 logf=$2 port=$3 token=$4 args=() opts=(); shift 4
  port_listening "$port" && die "port $port is already in use (FERRY_PORT=...)"
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then shift; opts=("$@"); break; fi
    mkdir -p "${1#*=}"; args+=(--folder "$1"); shift
  done
  # shellcheck disable=SC2086
  start_receiver_as "$var" "$logf" "$port" "ferry receiver" \
    "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$port" "${args[@]}" --token-file "$token" ${FERRY_RECEIVE_OPTS:-} "${opts[@]}"
  log "ferry receiver: pid ${!var}, 127.0.0.1:$port, ${args[*]}${opts[*]:+ ${opts[*]}}"
}
# start_receiver_as PID_VAR LOG PORT WHAT CMD... : any receiver: CMD in the background (stdout and stderr to LOG),
# waited for until it listens on 127.0.0.1:PORT; sets the variable named PID_VAR and registers it in
# FERRY_RECEIVER_VARS, so that stop_ferry_receivers (the EXIT trap) stops it too. WHAT names it in the log lines.
# start_ferry_receiver_as uses it; resume_bench.sh also for its PipeFloor receiver.
start_receiver_as() {
  local var=$1 logf=$2 port=$3 what=$4; shift 4
  port_listening "$port" && die "port $port is already in use ($what)"
  [[ " ${FERRY_RECEIVER_VARS[*]} " == *" $var "* ]] || FERRY_RECEIVER_VARS+=("$var")   # before the start: the trap sees it
  RECEIVER_WHAT[$var]=$what
  "$@" > "$logf" 2>&1 &
  printf -v "$var" '%s' "$!"
  wait_listening "$port" "${!var}" "$what (log: $logf)"
}
# stop_ferry_receiver_var PID_VAR : stops the receiver whose pid the variable PID_VAR holds (if any), empties PID_VAR
stop_ferry_receiver_var() {
  local what="${RECEIVER_WHAT[$1]:-ferry receiver}"
  [ "$1" = FERRY_RECEIVER_PID ] || what+=" ($1)"
  stop_pid "${!1:-}" "$what"
  printf -v "$1" '%s' ""
}
stop_ferry_receiver() { stop_ferry_receiver_var FERRY_RECEIVER_PID; }
stop_ferry_receivers() { local v; for v in "${FERRY_RECEIVER_VARS[@]}"; do stop_ferry_receiver_var "$v"; done; }

# stop_receiver_and_rsyncd : the EXIT trap of the push-style benches: every receiver (FERRY_RECEIVER_VARS) and the rsync daemon
# stopped, old targets deleted
stop_receiver_and_rsyncd() {
  stop_ferry_receivers
  stop_rsyncd
  log "deleting the old target copies in $TRASH"
  empty_trash
}

# --- added for latency_bench.sh / startup_bench.sh -------------------------------------------------------

# lsyncd_version : "lsyncd 2.2.3" (or "lsyncd: not installed")
lsyncd_version() {
  if command -v lsyncd >/dev/null 2>&1; then lsyncd -version 2>&1 | awk 'NR==1{print "lsyncd", $2}'; else echo "lsyncd: not installed"; fi
}
# header_extra : more header lines after tee_results: lsyncd version, inotify limits, load
header_extra() {
  echo "# $(lsyncd_version); inotify max_user_watches $(cat /proc/sys/fs/inotify/max_user_watches)," \
       "max_user_instances $(cat /proc/sys/fs/inotify/max_user_instances); load:$(uptime | sed 's/.*load average://')"
}

# stop_pid_wait PID WHAT SECS : as stop_pid, but waits up to SECS for a clean exit before KILL (a daemon that
# saves its state at shutdown may need more than 5 s). Prints how it ended.
stop_pid_wait() {
  local pid=$1 what=$2 secs=${3:-30} i rc=0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    log "$what (pid $pid) did not exit within $secs s of SIGTERM: killed"
  fi
  wait "$pid" 2>/dev/null || rc=$?
  log "$what (pid $pid) stopped (status $rc)"
}

# wait_log FILE REGEX PID TIMEOUT_S WHAT [QUIET] : waits until a line of FILE matches the extended REGEX; polls
# every 20 ms. Sets WAIT_LINE (the first matching line) and WAIT_T (now() when it was seen). Returns 1 (after a
# log line; QUIET=1: no line for the timeout) when PID exits first or after TIMEOUT_S; never blocks longer.
WAIT_LINE=""; WAIT_T=""
wait_log() {
  local file=$1 re=$2 pid=$3 timeout=$4 what=$5 quiet=${6:-0} t0 line
  WAIT_LINE=""; WAIT_T=""
  t0=$SECONDS
  while :; do
    if [ -f "$file" ] && line=$(grep -m1 -E -- "$re" "$file"); then
      WAIT_T=$(now); WAIT_LINE=$line; return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "$what: process $pid exited before '$re' appeared in $file"; return 1
    fi
    if ((SECONDS - t0 >= timeout)); then [ "$quiet" = 1 ] || log "$what: no '$re' in $file within $timeout s"; return 1; fi
    sleep 0.02
  done
}
# wait_file FILE CONTENT TIMEOUT_S : waits (polls every 10 ms) until FILE exists with exactly CONTENT
wait_file() {
  local f=$1 want=$2 timeout=$3 t0=$SECONDS
  while ((SECONDS - t0 < timeout)); do
    [ -f "$f" ] && [ "$(cat "$f" 2>/dev/null)" = "$want" ] && return 0
    sleep 0.01
  done
  return 1
}

# proc_kib PID FIELD : a /proc/PID/status figure in KiB (FIELD: VmRSS, VmHWM, ...), or "nan"
proc_kib() { awk -v f="$2:" '$1==f{print $2; found=1} END{if(!found) print "nan"}' "/proc/$1/status" 2>/dev/null || echo nan; }
# mib KIB : KiB -> MiB with one decimal
mib() { awk -v k="$1" 'BEGIN{if (k=="nan") print "nan"; else printf "%.1f", k/1024}'; }

# latency_stats NAME < samples_ms : the RESULT line LatencyProbe.java prints, computed from raw samples (used
# to aggregate several rounds): p50 = median, p95 nearest rank.
latency_stats() {
  sort -g | awk -v name="$1" -v to="${2:-0}" '{a[NR]=$1; s+=$1} END {
    if (NR == 0) { printf "RESULT %s latency_ms p50=nan p95=nan max=nan min=nan mean=nan n=0 timeouts=%d\n", name, to; exit }
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    r = int(0.95 * NR); if (r < 0.95 * NR) r++; if (r < 1) r = 1
    printf "RESULT %s latency_ms p50=%.2f p95=%.2f max=%.2f min=%.2f mean=%.2f n=%d timeouts=%d\n", name, m, a[r], a[NR], a[1], s/NR, NR, to }'
}
# result_field LINE KEY : value of KEY=value in a RESULT line ("nan" if absent)
result_field() { sed -nE "s/.* $2=([^ ]+).*/\1/p" <<< "$1" | grep . || echo nan; }

# new_token FILE : fresh random token (mode 600)
new_token() { head -c 32 /dev/urandom | base64 > "$1"; chmod 600 "$1"; }

# --- lsyncd ---------------------------------------------------------------------------------------------
# write_lsyncd_conf CONF SRC TARGET LOGFILE [EXTRA_SYNC_LINES] : default.rsync config, nodaemon (we own the PID)
write_lsyncd_conf() {
  local conf=$1 src=$2 target=$3 logf=$4 extra=${5:-}
  mkdir -p "$(dirname "$conf")"
  cat > "$conf" <<LUA
-- generated by bench/lib.sh
settings {
    nodaemon   = true,
    logfile    = "$logf",
    statusFile = "${conf%.lua}.status",
}
sync {
    default.rsync,
    source = "${src%/}/",
    target = "$target",${extra:+
$extra}
}
LUA
}
# start_lsyncd CONF STDOUT_LOG [LSYNCD_OPTS...] : background lsyncd; sets LSYNCD_PID. `-log Exec` logs each rsync.
LSYNCD_PID=""
start_lsyncd() {
  local conf=$1 out=$2; shift 2
  lsyncd "$@" "$conf" > "$out" 2>&1 &
  LSYNCD_PID=$!
}
stop_lsyncd() { stop_pid "$LSYNCD_PID" "lsyncd"; LSYNCD_PID=""; }

# --- ferry daemon ---------------------------------------------------------------------------------------
# write_ferry_sync_conf CONF STATE_DIR SRC TARGET_URI TOKEN_FILE : a daemon config with one sync pair
write_ferry_sync_conf() {
  mkdir -p "$(dirname "$1")" "$2"
  cat > "$1" <<YAML
# generated by bench/lib.sh
transport: plaintext
state-dir: $2
sync:
  - source: $3
    targets: [ "$4" ]
    token-file: $5
YAML
}
# start_ferry_daemon CONF LOG : `ferry daemon --config CONF` in the background (FERRY_DAEMON_CMD from ferry_prepare,
# FERRY_DAEMON_OPTS word-split and appended); sets FERRY_DAEMON_PID. Its log (stderr+stdout) goes to LOG.
FERRY_DAEMON_PID=""
start_ferry_daemon() {
  # shellcheck disable=SC2086
  "${FERRY_DAEMON_CMD[@]}" daemon --config "$1" ${FERRY_DAEMON_OPTS:-} > "$2" 2>&1 &
  FERRY_DAEMON_PID=$!
}
stop_ferry_daemon() { stop_pid_wait "$FERRY_DAEMON_PID" "ferry daemon" "${1:-30}"; FERRY_DAEMON_PID=""; }
# The daemon's INFO lines (see daemon/SyncPair.java and TargetLink.java):
FERRY_READY_RE='sync ready pair='
FERRY_INDEXED_RE='pair=.* watching [0-9]+ directories, indexed [0-9]+ files \([0-9]+ hashed\)'
# log_epoch LINE : the ISO-8601 timestamp at the start of a ferry log line as epoch seconds ("" if none)
log_epoch() { local ts=${1%% *}; [[ $ts == 20*T*Z ]] && date -u -d "$ts" +%s.%N 2>/dev/null || true; }
# phases T0 LOG INDEX_LINE READY_LINE INDEX_MS : sets PHASES, where a daemon's start went: launch -> the pair starts
# (JVM, config, loading the saved index), -> the index line (the one walk of the source: inotify watches, stat +
# hash, and the files the target lacks streamed to it while the walk goes on; the target lists meanwhile), ->
# "sync ready" (the reconcile with the target's listing after the walk: directories, deletes, the files still owed)
phases() {
  local t0=$1 e_idx e_ready pstart
  PHASES="n/a (no timestamps in the log)"
  e_idx=$(log_epoch "$3"); e_ready=$(log_epoch "$4")
  [ -n "$e_idx" ] && [ -n "$e_ready" ] || return 0
  pstart=$(awk -v e="$e_idx" -v ms="$5" 'BEGIN{printf "%.3f", e - ms/1000}')
  PHASES="launch -> pair start $(elapsed "$t0" "$pstart") s, walk (watches + index + streaming) $(elapsed "$pstart" "$e_idx") s"
  PHASES+=", then to sync ready $(elapsed "$e_idx" "$e_ready") s"
}

# wait_log_follow FILE REGEX PID TIMEOUT_S WHAT : as wait_log (sets WAIT_LINE and WAIT_T, returns 1 when PID exits
# first or after TIMEOUT_S), but without polling: FILE is followed (`tail -F`, woken by inotify) into one grep, so
# that a wait of minutes does not fork two processes every 20 ms beside the daemon it times (2 cores here). PID's
# exit is noticed within about a second (tail --pid).
wait_log_follow() {
  local file=$1 re=$2 pid=$3 timeout=$4 what=$5 fd tail_pid line rc=0
  WAIT_LINE=""; WAIT_T=""
  exec {fd}< <(exec timeout "$timeout" tail -n +1 -F --pid="$pid" "$file" 2>/dev/null)
  tail_pid=$!
  line=$(grep -m1 -E -- "$re" <&"$fd") || rc=$?
  [ "$rc" = 0 ] && WAIT_T=$(now)
  kill "$tail_pid" 2>/dev/null || true
  exec {fd}<&-
  wait "$tail_pid" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    if kill -0 "$pid" 2>/dev/null; then log "$what: no '$re' in $file within $timeout s"; else log "$what: process $pid exited before '$re' appeared in $file"; fi
    return 1
  fi
  WAIT_LINE=$line
}

# rss_sampler_start PID FILE : appends PID's VmRSS (KiB) to FILE every RSS_SAMPLE_S [0.1] s until PID exits or
# rss_sampler_stop; sets RSS_SAMPLER_PID. Builtins only (read; the pause is a read with a timeout on a FIFO nobody
# writes), so that sampling forks nothing beside the process it measures.
RSS_SAMPLER_PID=""
rss_sampler_start() {
  local pid=$1 file=$2 fifo="$BENCH_DATA/.rss-sampler.fifo"
  : > "$file"
  rm -f "$fifo"; mkfifo "$fifo"
  (
    exec 3<> "$fifo"   # read-write: the open does not block, and a read on it waits out its timeout
    while [ -r "/proc/$pid/status" ]; do
      while read -r key value _; do
        if [ "$key" = VmRSS: ]; then echo "$value"; break; fi
      done < "/proc/$pid/status" 2>/dev/null || true
      read -r -t "${RSS_SAMPLE_S:-0.1}" -u 3 _ || true
    done >> "$file"
  ) &
  RSS_SAMPLER_PID=$!
}
rss_sampler_stop() {
  [ -n "$RSS_SAMPLER_PID" ] || return 0
  kill "$RSS_SAMPLER_PID" 2>/dev/null || true
  wait "$RSS_SAMPLER_PID" 2>/dev/null || true
  RSS_SAMPLER_PID=""
}

# --- running alone ----------------------------------------------------------------------------------------
# bench_lock NAME : one benchmark at a time per $BENCH_DATA: an exclusive flock on $BENCH_DATA/bench.lock held
# (fd 8) for the life of the calling script; exits 1 at once when another holds it. Call it before ferry_prepare
# and tee_results: a second run must not replace $BENCH_DATA/ferry.jar, the token or the results file of the first.
bench_lock() {
  local lock="$BENCH_DATA/bench.lock"
  command -v flock >/dev/null 2>&1 || return 0
  exec 8>>"$lock"
  if ! flock -n 8; then
    echo "another benchmark is running ($(cat "$lock.who" 2>/dev/null || echo '?'); lock $lock): run one at a time" >&2
    exit 1
  fi
  echo "$1, pid $$, since $(date -u +%H:%M:%SZ)" > "$lock.who"
}
# ports_free PORT... : exits 1 when something listens on one of them (call before tee_results, see bench_lock)
ports_free() {
  local p
  for p in "$@"; do
    if port_listening "$p"; then
      echo "port $p on 127.0.0.1 is in use: another benchmark or ferry running? (FERRY_PORT=/RSYNC_PORT= to move)" >&2
      exit 1
    fi
  done
}

# script_help : prints the calling script's header comment (its lines 2 up to `set -euo`), exits 0
script_help() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
# parse_no_args ARGS... : for the scripts that take no flag (their knobs are environment variables): --help prints
# the header comment, anything else is a usage error (exit 2)
parse_no_args() {
  local a
  for a in "$@"; do
    case $a in
      -h|--help) script_help ;;
      *) echo "usage: $0   (no arguments; see the header of this script for the knobs)" >&2; exit 2 ;;
    esac
  done
}
# parse_quick_flag ARGS... : the one flag the bench scripts take. Sets QUICK=1 for --quick; --help prints the
# calling script's header comment; anything else is a usage error (exit 2).
parse_quick_flag() {
  QUICK=0
  local a
  for a in "$@"; do
    case $a in
      --quick) QUICK=1 ;;
      -h|--help) script_help ;;
      *) echo "usage: $0 [--quick]   (see the header of this script for the knobs)" >&2; exit 2 ;;
    esac
  done
}

# --- the floors: bench/TreeFloor.java and NoopFloor.java (plain JDK programs; their headers say what they do) ---------
FLOOR_CLASSES="$BENCH_DATA/treefloor"
# floors_compile FILE... : javac the floor programs (names in bench/) into FLOOR_CLASSES, emptied first; once per
# invocation, before anything is timed (the source launcher would compile inside every timed run). Dies if they fail.
floors_compile() {
  local sources=() f
  for f in "$@"; do sources+=("$BENCH_DIR/$f"); done
  rm -rf "$FLOOR_CLASSES"; mkdir -p "$FLOOR_CLASSES"
  "$JAVA_HOME/bin/javac" -d "$FLOOR_CLASSES" "${sources[@]}" 2>/dev/null || die "cannot compile $*"
}
# start_floor_receiver PID_VAR LOG PORT WHAT CLASS [ARG...] : `java CLASS recv PORT ARG...` through start_receiver_as
# (TreeFloor with native access: its receiver's file calls go through FFM)
start_floor_receiver() {
  local var=$1 logf=$2 port=$3 what=$4 class=$5 native=(); shift 5
  [ "$class" = TreeFloor ] && native=(--enable-native-access=ALL-UNNAMED)
  start_receiver_as "$var" "$logf" "$port" "$what" \
    "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" "${native[@]}" -cp "$FLOOR_CLASSES" "$class" recv "$port" "$@"
}
# floor_push CLASS PORT SRC TARGET : sets PUSH (an array), a floor's sender: `java CLASS send PORT SRC TARGET`, C1 only
floor_push() {
  PUSH=("$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -XX:TieredStopAtLevel=1 -cp "$FLOOR_CLASSES" "$1" send "$2" "$3" "$4")
}

# median_ratio PREFIX NUM DEN NUM_FILE DEN_FILE [TARGET] : "RESULT PREFIXratio NUM/DEN = X (medians A / B s)", from
# the medians of the seconds in the two files, with "  target <= TARGET: MET|NOT MET" when a TARGET is given; "RESULT
# PREFIXratio NUM/DEN: no runs" when a file is empty or missing
median_ratio() {
  local prefix=$1 num=$2 den=$3 f=$4 g=$5 target=${6:-}
  [ -s "$f" ] && [ -s "$g" ] || { echo "RESULT ${prefix}ratio $num/$den: no runs"; return; }
  awk -v p="$prefix" -v n="$num" -v d="$den" -v a="$(median < "$f")" -v b="$(median < "$g")" -v t="$target" 'BEGIN {
    x = a / b; printf "RESULT %sratio %s/%s = %.2f (medians %.3f / %.3f s)", p, n, d, x, a, b
    if (t != "") printf "  target <= %s: %s", t, (x <= t + 0 ? "MET" : "NOT MET")
    printf "\n" }'
}

# --- trees of files (tree_bench.sh, tree_floor_bench.sh) ------------------------------------------------------------
# gen_small DIR : 200 directories of 100 random 4 KiB files, unless DIR already holds 20,000 files
gen_small() {
  local dir=$1 i sub
  [ "$(find "$dir" -type f 2>/dev/null | wc -l)" = 20000 ] && return 0
  log "generating $dir (200 dirs x 100 files x 4 KiB)"
  move_aside "$dir"; mkdir -p "$dir"
  for ((i = 0; i < 200; i++)); do
    sub=$(printf '%s/d%03d' "$dir" "$i"); mkdir "$sub"
    head -c $((100 * 4096)) /dev/urandom | split -b 4096 -d -a 4 --additional-suffix=.bin - "$sub/f"
  done
}
# listing DIR : one line per entry: type, mode, mtime, size (files only: a directory's size depends on its
# history), path, link text
listing() {
  (cd "$1" && find . \( -type f -printf 'f %#m %T@ %s %p\n' \) -o \( -type l -printf 'l %#m %T@ %p -> %l\n' \) \
                     -o -printf '%y %#m %T@ %p\n' | sort)
}
# verify SRC TARGET [ROOT_MTIME] : "verify ok" or "FAIL (...)"; the source's listing is computed once per source.
# ROOT_MTIME "skip" leaves TARGET's own mtime out of the comparison (its mode, and everything below it, still count):
# for ferry's daemon, which does not mirror its pair root's mtime (firstsync_bench.sh reports that apart)
declare -gA SRC_LISTING=()
verify() {
  local src=$1 dst=$2 root_mtime=${3:-check} out="$BENCH_DATA/listing" want got
  [ -d "$dst" ] || { echo "FAIL ($dst is missing)"; return; }
  [ -n "${SRC_LISTING[$src]:-}" ] || { SRC_LISTING[$src]="$out-$(basename "$src")"; listing "$src" > "${SRC_LISTING[$src]}"; }
  listing "$dst" > "$out-target"
  want=${SRC_LISTING[$src]}; got=$out-target
  if [ "$root_mtime" = skip ]; then                  # the root's line is "d MODE MTIME ."
    sed -E 's/^(d [0-7]+) [0-9.]+ \.$/\1 - ./' "$want" | sort > "$out-want"; want=$out-want   # (sorted again: the
    sed -E 's/^(d [0-7]+) [0-9.]+ \.$/\1 - ./' "$got" | sort > "$out-got"; got=$out-got       # mtime placed the line)
  fi
  if ! cmp -s "$want" "$got"; then
    echo "FAIL (listing differs from the source's: $(diff "$want" "$got" | grep -c '^[<>]') lines; first: $(diff "$want" "$got" | grep '^[<>]' | head -3 | tr '\n' ' ' | cut -c1-300))"
  elif ! diff -rq --no-dereference "$src" "$dst" > "$out-diff" 2>&1; then
    echo "FAIL (contents differ: $(head -3 "$out-diff" | tr '\n' ' ' | cut -c1-300))"
  else
    echo "verify ok"
  fi
}
# copy_tree FROM DIR : `cp -a FROM DIR` once (DIR.done marks a complete copy), then the symlinks ferry's receiver
# refuses are deleted from the copy, named in DIR-dropped-links.txt: absolute ones, and relative ones whose text,
# resolved from the link's directory without following links, leads out of DIR
copy_tree() {
  local from=$1 dir=$2 link target resolved root
  [ -f "$dir.done" ] && [ -d "$dir" ] && return 0
  log "copying $from to $dir (cp -a)"
  move_aside "$dir"; move_aside "$dir.tmp"
  cp -a "$from" "$dir.tmp"
  root=$(realpath -s "$dir.tmp")
  : > "$dir-dropped-links.txt"
  while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    resolved=$(realpath -m -s "$(dirname "$link")/$target")
    case $target in
      /*) ;;
      *) case $resolved in "$root"/*) continue ;; esac ;;
    esac
    printf '%s -> %s\n' "${link#"$root"/}" "$target" >> "$dir-dropped-links.txt"
    rm "$link"
  done < <(find "$root" -type l -print0)
  mv "$dir.tmp" "$dir"; touch "$dir.done"
}
# describe DIR : "DIR: N files (M MB), D directories, L symlinks, O other"
describe() {
  find "$1" -printf '%y %s\n' | awk -v d="$1" '{n[$1]++; if ($1 == "f") b += $2}
    END {printf "%s: %d files (%.1f MB), %d directories, %d symlinks, %d other\n", d, n["f"], b / 1e6, n["d"], n["l"],
         NR - n["f"] - n["d"] - n["l"]}'
}
warm() { find "$1" -printf '' ; tar -cf - -C "$1" . > /dev/null; }

# settled_trash : deletes the trash, then waits SETTLE_S (tree_bench.sh's header says why)
settled_trash() { empty_trash; sync; sleep "$SETTLE_S"; }
