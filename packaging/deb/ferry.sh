#!/bin/sh
# /usr/bin/ferry, from the ferry Debian package: runs ferry on the package's own Java runtime
# (/usr/lib/ferry/runtime, made by jlink) with the jar /usr/lib/ferry/lib/ferry.jar. Nothing is built or
# trained here: every start is just the JVM. It execs the JVM, so that under systemd the JVM is the unit's main
# process, the one whose READY=1 counts (Type=notify, NotifyAccess=main).
#   FERRY_JAVA_OPTS  extra JVM options, word-split (e.g. FERRY_JAVA_OPTS=-Xmx512m)
# The flags below are bin/lib/jdk.sh's (FERRY_JVM_FLAGS, FERRY_DAEMON_FLAGS, and a push's from ferry_jvm_flags), written in by
# packaging/build-deb; see there for why each is used.
lib=/usr/lib/ferry
# The JVM takes the encoding of file names from the locale; ferry's names are UTF-8 on the wire.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *[Uu][Tt][Ff]-8*|*[Uu][Tt][Ff]8*) ;;
  *) LC_ALL=C.UTF-8; export LC_ALL ;;
esac
extra=
aot=$lib/lib/ferry.aot
if [ "${1:-}" = daemon ]; then
  # the daemon's heap: sized for its start's walk, given back once its targets are in sync
  extra="@DAEMON_FLAGS@"
fi
if [ "${1:-}" = push ]; then
  # a one-shot push: C1 only (not with --hash sha-256, which C1 has no intrinsic for, nor over TLS, whose AES-GCM
  # intrinsics are C2's), and its own AOT cache
  case " $* " in
    *sha-256*) ;;
    *" --identity"*) extra="@TLS_PUSH_FLAGS@" ;;
    *) extra="@PUSH_FLAGS@" ;;
  esac
  aot=$lib/lib/ferry-push.aot
fi
# the AOT start-up cache recorded when the package was built, if it has one
if [ -f "$aot" ]; then
  extra="$extra -XX:AOTCache=$aot"
fi
# the flags and FERRY_JAVA_OPTS are meant to be word-split, but not globbed (the JVM's method patterns have '*')
set -f
# shellcheck disable=SC2086
exec "$lib/runtime/bin/java" @JVM_FLAGS@ $extra ${FERRY_JAVA_OPTS:-} -jar "$lib/lib/ferry.jar" "$@"
