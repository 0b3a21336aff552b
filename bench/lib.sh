# bench/lib.sh - helpers shared by ferry's benchmark scripts. Source it, do not run it.
# All traffic goes to 127.0.0.1; all data lives under $BENCH_DATA (default /tmp/ferry-bench).
# Needs bash >= 5 (EPOCHREALTIME).

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
FERRY_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
source "$FERRY_ROOT/bin/lib/jdk.sh"          # find_jdk, ferry_build_if_needed, FERRY_JAR, FERRY_JVM_FLAGS
export LC_ALL=C                                # "." as the decimal point in EPOCHREALTIME, awk, printf

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
empty_trash() { [ -d "$TRASH" ] && rm -rf "$TRASH" && mkdir -p "$TRASH"; }

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
# start_rsyncd PORT MODULE DIR : rsync daemon on 127.0.0.1:PORT serving DIR as MODULE; sets RSYNCD_PID
RSYNCD_PID=""
start_rsyncd() {
  local port=$1 module=$2 dir=$3 conf="$BENCH_DATA/rsyncd/rsyncd.conf"
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
# cannot swap it under a running JVM. Sets FERRY_CMD (an array): the java command line bin/ferry would exec,
# minus its build check.
ferry_prepare() {
  find_jdk
  ferry_build_if_needed
  cp "$FERRY_JAR" "$BENCH_DATA/ferry.jar.tmp" && mv "$BENCH_DATA/ferry.jar.tmp" "$BENCH_DATA/ferry.jar"
  ferry_aot_if_needed "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot"   # as bin/ferry does for its own jar
  ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" receive
  # shellcheck disable=SC2206  # FERRY_JAVA_OPTS is word-split on purpose, as bin/ferry does
  FERRY_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
  ferry_jvm_flags "$BENCH_DATA/ferry.jar" "$BENCH_DATA/ferry.aot" push ${FERRY_PUSH_OPTS:-}
  # shellcheck disable=SC2206
  FERRY_PUSH_CMD=("$JAVA_HOME/bin/java" ${FERRY_JAVA_OPTS:-} "${FERRY_LAUNCH_FLAGS[@]}" -jar "$BENCH_DATA/ferry.jar")
}
# start_ferry_receiver PORT TOKEN_FILE NAME=DIR... : background receiver; sets FERRY_RECEIVER_PID.
# FERRY_RECEIVE_OPTS (word-split) is appended, e.g. FERRY_RECEIVE_OPTS=--durability=none
FERRY_RECEIVER_PID=""
start_ferry_receiver() {
  local port=$1 token=$2 f args=(); shift 2
  port_listening "$port" && die "port $port is already in use (FERRY_PORT=...)"
  for f in "$@"; do mkdir -p "${f#*=}"; args+=(--folder "$f"); done
  # shellcheck disable=SC2086
  "${FERRY_CMD[@]}" receive --listen "127.0.0.1:$port" "${args[@]}" --token-file "$token" ${FERRY_RECEIVE_OPTS:-} \
    > "$LOGS/ferry-receive.log" 2>&1 &
  FERRY_RECEIVER_PID=$!
  wait_listening "$port" "$FERRY_RECEIVER_PID" "ferry receiver (log: $LOGS/ferry-receive.log)"
  log "ferry receiver: pid $FERRY_RECEIVER_PID, 127.0.0.1:$port, $*"
}
stop_ferry_receiver() { stop_pid "$FERRY_RECEIVER_PID" "ferry receiver"; FERRY_RECEIVER_PID=""; }
