# bin/lib/jdk.sh - sourced by ferry's scripts (bin/ferry, bin/ferry-test, bench/*.sh). Not executable on its own.
#
#   find_jdk              sets and exports JAVA_HOME to a JDK >= FERRY_MIN_JAVA (25), or prints why not and exits 1.
#                         Order: $JAVA_HOME, `java` on PATH, every $FERRY_JVM_DIR/* (default /usr/lib/jvm),
#                         highest version first.
#   ferry_build_if_needed builds daemon/target/ferry.jar (mvn -B -Dmaven.test.skip=true package, output on stderr)
#                         when it is missing or older than anything under daemon/src, daemon/pom.xml, pom.xml.
#                         maven.test.skip rather than skipTests: the launcher must not fail because a test that
#                         somebody is editing does not compile (skipTests still compiles the tests).
#   FERRY_ROOT            repo root (set here from this file's location unless already set).
#   FERRY_JAR             $FERRY_ROOT/daemon/target/ferry.jar
#   FERRY_JVM_FLAGS       JVM flags every launch of the jar uses (bin/ferry and the benchmarks share them).
#
# Knobs: FERRY_JVM_DIR (default /usr/lib/jvm; point it at an empty dir to test the "none found" path),
#        FERRY_MIN_JAVA (default 25), MAVEN_OPTS (default --sun-misc-unsafe-memory-access=allow).

FERRY_MIN_JAVA="${FERRY_MIN_JAVA:-25}"
FERRY_JVM_DIR="${FERRY_JVM_DIR:-/usr/lib/jvm}"
: "${FERRY_ROOT:=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)}"
FERRY_JAR="$FERRY_ROOT/daemon/target/ferry.jar"
# -XX:UserThreadWaitAttemptsAtExit=0: without it the JVM waits ~300 ms at exit (30 x 10 ms) for the JDK's
# poller thread once a virtual thread has blocked on a socket. Product flag, present on JDK 25.
# Memory: the serial collector, a small initial heap, and a heap that shrinks after a collection. ferry allocates
# little once running (chunk data lives in reused direct buffers), and a daemon mostly idles: on 100,000 files the
# idle RSS after a restart fell from 409.5 to 160.7 MiB (bench/startup_bench.sh, 2 restarts each, same hour; the
# restart itself 8.7 -> 7.6 s).
# TLS: AES-GCM is fast (~8 GB/s here) only in C2's intrinsic; by the default thresholds C2 compiles it after some
# 10,000 records, so the first GiB of a connection ran at ~1.4 GB/s, the rest at ~8 (a fresh JVM, 16 KiB records,
# 0.72 s for the first GiB, 0.11-0.15 s for each next). These methods compile at 1/100 of the thresholds instead
# (first GiB 0.26 s). `quiet` first: otherwise the JVM prints each command on stdout (`ferry id` is read by scripts).
# Patterns in the JVM's slash form; a script that word-splits them must not glob (packaging/deb/ferry.sh: set -f).
FERRY_TLS_COMPILE=(-XX:CompileCommand=quiet
  -XX:CompileCommand=option,com/sun/crypto/provider/*.*,double,CompileThresholdScaling,0.01
  -XX:CompileCommand=option,sun/security/ssl/SSLCipher*.*,double,CompileThresholdScaling,0.01
  -XX:CompileCommand=option,sun/security/ssl/SSLSocketOutputRecord.*,double,CompileThresholdScaling,0.01
  -XX:CompileCommand=option,sun/security/ssl/SSLSocketInputRecord.*,double,CompileThresholdScaling,0.01)
FERRY_JVM_FLAGS=(-XX:UserThreadWaitAttemptsAtExit=0 -XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
  "${FERRY_TLS_COMPILE[@]}")
# The daemon's heap, added after FERRY_JVM_FLAGS (the later value of a flag wins). Its start walks the whole tree
# (100,000 files: ~90 MB of heap at the peak, ~47 MB live once idle: the index and the watch keys), then it idles.
# NewRatio=1: a young generation half the heap (not a third), so that the walk's short-lived objects die young;
# the serial collector ran ~280 young collections in a 100k-file restart with the default. -ShrinkHeapInSteps and
# MaxHeapFreeRatio=10: the full collection the daemon makes once every target had its first sync
# (PairOptions.afterFirstSync) gives the heap back down to live + ~11% at once, not in steps over later full
# collections that an idle daemon never makes (the old generation is what stays resident: the young one's pages
# are mostly given back; an idle daemon promotes little, and the old generation grows again when it must).
# TrimNativeHeapInterval: glibc keeps what the JIT compilers and the start freed; the JVM hands it back every 2 s.
# On the 100k-file restart (bench/startup_bench.sh tree, one run each, load 9-12): idle RSS 177-187 MiB with
# FERRY_JVM_FLAGS alone, 128-140 with these minus MaxHeapFreeRatio=20, 119-126 with all of them. MaxHeapFreeRatio 20 -> 10 (2026-12-06, load 2-3, two restarts each): the heap after that
# collection 101-102 -> 90 MiB, idle RSS 129.4 and 135.3 -> 124.0 and 122.8 MiB (pmap of an idle
# daemon: the old generation ~55 MiB resident, the AOT cache ~33 MiB, libjvm ~16 MiB, the young generation ~4 MiB).
FERRY_DAEMON_FLAGS=(-XX:NewRatio=1 -XX:-ShrinkHeapInSteps -XX:MaxHeapFreeRatio=10 -XX:TrimNativeHeapInterval=2000)
# The JVM takes the encoding of file names from the locale: under LC_ALL=C / POSIX (systemd's default, many CI
# shells) non-ASCII names become unmappable. ferry's names are UTF-8 on the wire, so run it with a UTF-8 locale.
# (Read from the variables, not `locale charmap`: a fork per launch. A locale the variables do not name as UTF-8
# gets C.UTF-8, which only changes the JVM's encoding of names and its message language.)
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *[Uu][Tt][Ff]-8*|*[Uu][Tt][Ff]8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac
FERRY_AOT="$FERRY_ROOT/daemon/target/ferry.aot"

# _ferry_major HOME : sets _FERRY_V to the feature version (8, 17, 25, ...) of HOME/bin/java, or returns 1.
# Reads JAVA_VERSION from HOME/release when there is one (bash builtins only: launch overhead matters),
# else parses `HOME/bin/java -version` (~100 ms).
_ferry_major() {
  local home=$1 line="" v=""
  _FERRY_V=""
  [ -x "$home/bin/java" ] || return 1
  if [ -r "$home/release" ]; then
    while IFS= read -r line; do
      case $line in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done < "$home/release"
  fi
  if [ -z "$v" ]; then
    line=$("$home/bin/java" -version 2>&1) || return 1
    case $line in *'version "'*) v=${line#*version \"}; v=${v%%\"*} ;; *) return 1 ;; esac
  fi
  case $v in 1.*) v=${v#1.} ;; esac     # 1.8.0_392 -> 8.0_392
  v=${v%%[!0-9]*}                        # 25.0.3 | 17.0.15 | 25-ea -> 25 | 17 | 25
  [ -n "$v" ] || return 1
  _FERRY_V=$v
}

find_jdk() {
  local exe home c best="" bestv=0 checked_home checked_path checked_dir=""
  # 1. $JAVA_HOME
  if [ -n "${JAVA_HOME:-}" ]; then
    if _ferry_major "$JAVA_HOME"; then
      [ "$_FERRY_V" -ge "$FERRY_MIN_JAVA" ] && { export JAVA_HOME; return 0; }
      checked_home="JAVA_HOME=$JAVA_HOME = version $_FERRY_V"
    else
      checked_home="JAVA_HOME=$JAVA_HOME (no usable bin/java)"
    fi
  else
    checked_home="JAVA_HOME unset"
  fi
  # 2. java on PATH, resolved through symlinks (update-alternatives) to its home
  if exe=$(type -P java); then
    home=$(readlink -f "$exe"); home=${home%/bin/java}
    if _ferry_major "$home"; then
      [ "$_FERRY_V" -ge "$FERRY_MIN_JAVA" ] && { export JAVA_HOME="$home"; return 0; }
      checked_path="java on PATH = version $_FERRY_V ($exe)"
    else
      checked_path="java on PATH = version unknown ($exe)"
    fi
  else
    checked_path="java on PATH = none"
  fi
  # 3. every $FERRY_JVM_DIR/*: the highest version wins
  for c in "$FERRY_JVM_DIR"/*; do
    _ferry_major "$c" || continue
    checked_dir+=" ${c##*/}=$_FERRY_V"
    if [ "$_FERRY_V" -gt "$bestv" ]; then bestv=$_FERRY_V; best=$c; fi
  done
  if [ "$bestv" -ge "$FERRY_MIN_JAVA" ]; then export JAVA_HOME="$best"; return 0; fi
  echo "ferry: no JDK >= $FERRY_MIN_JAVA found (checked $checked_home, $checked_path, $FERRY_JVM_DIR/*${checked_dir:+:$checked_dir}): install Temurin $FERRY_MIN_JAVA or set JAVA_HOME" >&2
  exit 1
}

# ferry_maven_opts : exports MAVEN_OPTS with --sun-misc-unsafe-memory-access=allow added (Maven 3.8 on JDK 25
# warns about sun.misc.Unsafe otherwise).
ferry_maven_opts() {
  case " ${MAVEN_OPTS:-} " in
    *--sun-misc-unsafe-memory-access=*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
  export MAVEN_OPTS
}

# ferry_jar_stale : true (0) if the jar is missing or something it is built from is newer
# (directories count too, so deleting a source file also makes it stale).
ferry_jar_stale() {
  [ -f "$FERRY_JAR" ] || return 0
  [ -n "$(cd "$FERRY_ROOT" && find daemon/src daemon/pom.xml pom.xml -newer "$FERRY_JAR" -print -quit 2>/dev/null)" ]
}

# ferry_build_if_needed : call after find_jdk. Serialised with flock so parallel launches build once.
ferry_build_if_needed() {
  ferry_jar_stale || return 0
  if ! command -v mvn >/dev/null 2>&1; then
    echo "ferry: $FERRY_JAR is missing or out of date and 'mvn' is not installed: install Maven (apt-get install -y maven) or build the jar elsewhere" >&2
    exit 1
  fi
  local lock="${TMPDIR:-/tmp}/ferry-build-$(echo "$FERRY_ROOT" | cksum | cut -d' ' -f1).lock"
  (
    command -v flock >/dev/null 2>&1 && { exec 9>"$lock"; flock 9; }
    ferry_jar_stale || exit 0      # somebody else built it while we waited
    echo "ferry: building $FERRY_JAR (mvn -B -Dmaven.test.skip=true package, JAVA_HOME=$JAVA_HOME)" >&2
    ferry_maven_opts
    cd "$FERRY_ROOT" && mvn -B -ntp -Dstyle.color=never -Dmaven.test.skip=true package >&2
  ) || { echo "ferry: build failed (see the Maven output above)" >&2; exit 1; }
  [ -f "$FERRY_JAR" ] || { echo "ferry: build finished but $FERRY_JAR is missing" >&2; exit 1; }
}

# ferry_aot_if_needed : after a build, record an AOT cache (JDK 25, JEP 483/515: classes loaded and linked, method
# profiles) from a training run of `ferry demo`, once per jar; a start-up with it is ~0.2 s faster (tiny push
# 0.49 s -> 0.29 s measured here). Then the push's own cache beside it (ferry_push_aot_record). FERRY_AOT_MODE=off
# skips both. The JVM ignores a cache that does not match the jar.
# Usage: ferry_aot_if_needed [JAR [CACHE]] (default: FERRY_JAR, FERRY_AOT); a cache belongs to one jar path.
ferry_aot_if_needed() {
  local jar="${1:-$FERRY_JAR}" aot="${2:-$FERRY_AOT}"
  local push_aot="${aot%.aot}-push.aot"   # the one-shot push's own cache beside it (ferry.aot -> ferry-push.aot)
  [ "${FERRY_AOT_MODE:-on}" = off ] && return 0
  [ -f "$aot" ] && [ "$aot" -nt "$jar" ] && [ -f "$push_aot" ] && [ "$push_aot" -nt "$jar" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  # (trained with the launch flags: a cache recorded under another collector costs a tiny push ~30 ms)
  if "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -XX:AOTCacheOutput="$aot" -jar "$jar" demo --dir "$tmp/demo" >"$tmp/log" 2>&1 \
     && ferry_push_aot_record "$jar" "$push_aot" "$tmp"; then
    rm -rf "$tmp"
  else
    echo "ferry: note: could not record the start-up cache (see $tmp/log); running without it" >&2
    rm -f "$aot" "$push_aot"
  fi
}

# ferry_push_aot_record JAR CACHE TMP : records the push's own cache from a training push of the demo's sample folder
# (TMP/demo, left by the demo run) into a receiver in another process, under the push's own launch flags. A push
# then maps only the classes a push loads, trained under its C1-only flags: a tiny push took 221.6 ms with it and
# 242.8 ms with the demo's cache (median of 15 each, interleaved; the demo's cache recorded under the push's flags
# gave 232.9 ms). A first, untrained push fills the digest cache, so that the training push also takes the video's
# hash list from there, as a push after an interrupted one does; the training push goes to an empty subfolder, so
# that every chunk is sent.
ferry_push_aot_record() {
  local jar=$1 cache=$2 tmp=$3 pid port="" i rc=0
  local -a launch
  mkdir -p "$tmp/train"
  : > "$tmp/receive.log"   # before the receiver starts: the wait below reads it at once
  "$JAVA_HOME/bin/java" "${FERRY_JVM_FLAGS[@]}" -jar "$jar" receive --listen 127.0.0.1:0 --folder "train=$tmp/train" \
    --token-file "$tmp/demo/token" --durability none > /dev/null 2>"$tmp/receive.log" &
  pid=$!
  for ((i = 0; i < 300; i++)); do   # at most 30 s
    port=$(sed -nE 's/^ferry: receiving on [^ ]*:([0-9]+) into.*/\1/p' "$tmp/receive.log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; cat "$tmp/receive.log" >> "$tmp/log"; return 1; fi
  ferry_jvm_flags "$jar" "$tmp/no-cache.aot" push   # the push's launch flags, with no cache to read
  launch=("${FERRY_LAUNCH_FLAGS[@]}")
  "$JAVA_HOME/bin/java" "${launch[@]}" -jar "$jar" push "$tmp/demo/source/" "ferry://127.0.0.1:$port/train/first" \
    --token-file "$tmp/demo/token" --state-dir "$tmp/state" >>"$tmp/log" 2>&1 || rc=1
  [ "$rc" = 0 ] && { "$JAVA_HOME/bin/java" "${launch[@]}" -XX:AOTCacheOutput="$cache" -jar "$jar" push "$tmp/demo/source/" \
    "ferry://127.0.0.1:$port/train/second" --token-file "$tmp/demo/token" --state-dir "$tmp/state" >>"$tmp/log" 2>&1 || rc=1; }
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  return "$rc"
}

# ferry_jvm_flags [JAR [CACHE] [ARGS...]] : sets FERRY_LAUNCH_FLAGS, the flags of a launch: FERRY_JVM_FLAGS, the AOT
# cache when there is a current one, for `daemon` FERRY_DAEMON_FLAGS, and for a one-shot `push` (ARGS) the C1 compiler only: a push lives a few
# seconds, and C2 compiling the hot loops cost it ~0.45 CPU-s per GiB (1 GiB on loopback, one run, 5 each:
# 2.36-2.50 s vs 2.78-2.97 s). Not with --hash sha-256: C1 has no SHA-256 intrinsic (8 s/GiB). FERRY_PUSH_C2=1 keeps
# C2 (for measuring the trade-off again). CompileThresholdScaling=4 (FERRY_PUSH_COMPILE_SCALING): C1 compiles
# what runs 4x as often as its default asks; completing a half-sent 1 GiB push compiled 370 methods in 0.065 s
# instead of 780 in 0.17-0.19 s (-XX:+CITime, one run each), CPU a short push shares with the receiver on 2 vCPUs.
# Not with --identity either: TLS's AES-GCM intrinsics are C2's (C1 alone pushed 64 MiB over TLS at 9 MB/s); a TLS
# push keeps C2 with the same scaling (FERRY_TLS_COMPILE has the crypto compile early): C2 then compiles less of the
# rest, 1 GiB over TLS medians 2.0 -> 1.8 s (3 interleaved runs each, a warm receiver).
ferry_jvm_flags() {
  local jar="${1:-$FERRY_JAR}" aot="${2:-$FERRY_AOT}"
  shift 2 2>/dev/null || shift $#
  FERRY_LAUNCH_FLAGS=("${FERRY_JVM_FLAGS[@]}")
  if [ "${1:-}" = daemon ]; then
    FERRY_LAUNCH_FLAGS+=("${FERRY_DAEMON_FLAGS[@]}")
  fi
  if [ "${1:-}" = push ] && [[ " $* " != *sha-256* ]] && [ "${FERRY_PUSH_C2:-0}" != 1 ]; then
    if [[ " $* " == *" --identity"* ]]; then
      FERRY_LAUNCH_FLAGS+=(-XX:CompileThresholdScaling="${FERRY_PUSH_COMPILE_SCALING:-4}")
    else
      FERRY_LAUNCH_FLAGS+=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling="${FERRY_PUSH_COMPILE_SCALING:-4}")
    fi
  fi
  # a push uses its own cache (ferry_push_aot_record) when there is a current one (no $(...) here: a fork costs
  # ~4 ms on this VM, and this runs at every launch)
  if [ "${1:-}" = push ] && [ -f "${aot%.aot}-push.aot" ] && [ "${aot%.aot}-push.aot" -nt "$jar" ]; then
    aot="${aot%.aot}-push.aot"
  fi
  if [ "${FERRY_AOT_MODE:-on}" != off ] && [ -f "$aot" ] && [ "$aot" -nt "$jar" ]; then
    FERRY_LAUNCH_FLAGS+=(-XX:AOTCache="$aot")
  fi
}
