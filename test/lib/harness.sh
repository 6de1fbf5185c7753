#!/usr/bin/env bash
# harness.sh - shared helpers for integration tests (source it).
#
# A test is test/integration/<feature>/run.sh; it sources this file, runs a
# real serval on loopback from a fresh temporary directory ($T) and prints
# TAP lines ("ok N - what" / "not ok N - what").  test/run.sh counts them.
#
# Rules kept here so tests cannot forget them:
#  - processes are started by the test and stopped by pid (never by name);
#    an EXIT trap stops everything that is still running;
#  - readiness is asked of the server (MI, or the process table while MI is
#    not loaded), with a deadline, never assumed after a sleep;
#  - ports are chosen at random and checked free, so tests can run side by
#    side;
#  - on failure the server log is shown; SERVAL_TEST_LEAVE=1 keeps $T.
set -u

TOP=${SERVAL_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BIN_DIR=${SERVAL_BIN_DIR:-.}
case $BIN_DIR in /*) ;; *) BIN_DIR=$TOP/$BIN_DIR ;; esac
SERVAL=$BIN_DIR/serval
SERVALCTL=$BIN_DIR/servalctl
MPATH=$BIN_DIR/modules
T=${SERVAL_TEST_DIR:-$(mktemp -d /tmp/serval-it.XXXXXX)}
mkdir -p "$T"
TAP_N=0
TAP_FAILED=0
SERVAL_PID=
BG_PIDS=()

ok()     { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
# check DESC CMD...: ok when CMD succeeds
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_eq DESC EXPECTED ACTUAL
check_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (expected '$2', got '$3')"; fi
}
diag() { echo "# $*"; }

# now_ms: monotonic-enough milliseconds for deadlines
now_ms() { date +%s%3N; }

# wait_until TIMEOUT_MS CMD...: polls CMD every 20 ms until it succeeds
wait_until() {
  local deadline=$(( $(now_ms) + $1 )); shift
  while ! "$@"; do
    [ "$(now_ms)" -ge "$deadline" ] && return 1
    sleep 0.02
  done
  return 0
}

# free_udp_port: prints a random UDP port nobody listens on
free_udp_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    ss -Hlun "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}

# children PID: direct children pids of PID
children_of() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }

# tree_pids PID: PID and all descendants
tree_pids() {
  local p=$1 c
  echo "$p"
  for c in $(children_of "$p"); do tree_pids "$c"; done
}

# proc_title PID: what ps shows for PID
proc_title() { local t; t=$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null); t=${t%"${t##*[! ]}"}; echo "$t"; }

# serval_start ARGS...: starts serval in the foreground mode (-D -E) with
# stdout/stderr in $T/serval.log; sets SERVAL_PID.
serval_start() {
  "$SERVAL" -D -E -L "$MPATH" "$@" > "$T/serval.log" 2>&1 < /dev/null &
  SERVAL_PID=$!
}

# mi_fifo_cfg: the lines a test script needs to load the MI FIFO on $FIFO
FIFO=$T/serval_fifo
mi_fifo_cfg() {
  printf 'loadmodule "mi_fifo.so"\nmodparam("mi_fifo", "fifo_name", "%s")\nmodparam("mi_fifo", "reply_dir", "%s/")\n' "$FIFO" "$T"
}

# mi CMD [ARGS...]: one MI command through servalctl; reply tree on stdout
mi() { SERVAL_REPLY_DIR=$T "$SERVALCTL" -s "$FIFO" -t 5 fifo "$@"; }

# fifo_write FORMAT [ARGS...]: printf FORMAT into $FIFO (bounded: 5 s)
fifo_write() { timeout 5 bash -c 'f=$1; shift; printf "$@" > "$f"' bash "$FIFO" "$@"; }

# mi_raw NAME REQUEST: one MI request the way openserctl sends it:
# mkfifo $T/NAME (a+w), a background cat reading it, printf REQUEST (a
# printf format: ":cmd:NAME\n" + one line per argument + "\n") into
# $FIFO, wait for the cat.  The reply bytes are left in $T/NAME.out; the
# status is cat's (124: no reply within 5 s).
mi_raw() {
  local path=$T/$1 reader rc
  rm -f "$path" "$path.out"
  mkfifo "$path" && chmod a+w "$path" || return 1
  timeout 5 bash -c 'exec cat < "$1"' bash "$path" > "$path.out" &
  reader=$!
  fifo_write "$2"
  wait "$reader"; rc=$?
  rm -f "$path"
  return $rc
}

# serval_wait_ready [TIMEOUT_MS]: waits until MI answers "uptime" (the
# server's processes are all running by then: the MI process starts with
# them)
serval_wait_ready() {
  wait_until "${1:-10000}" eval 'mi uptime > /dev/null 2>&1' && return 0
  diag "serval did not answer MI within ${1:-10000} ms"
  return 1
}

# stat NAME: value of one statistic ("group:name" or "name"), via MI
stat() { mi get_statistics "$1" 2>/dev/null | sed -n 's/^[^=]* = //p' | head -1; }

# serval_nprocs: number of processes of the running serval tree
serval_nprocs() { tree_pids "$SERVAL_PID" | grep -c .; }

# serval_wait_procs N [TIMEOUT_MS]: waits until the tree has N processes
serval_wait_procs() { wait_until "${2:-5000}" eval '[ "$(serval_nprocs)" -eq '"$1"' ]'; }

# serval_stop [TIMEOUT_MS]: SIGTERM, wait (SIGKILL after the timeout);
# the exit status is left in STOP_RC (not echoed: $(...) would run it in a
# subshell, which cannot wait for our child)
STOP_RC=
serval_stop() {
  local pid=$SERVAL_PID
  STOP_RC=255
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null
  if ! wait_until "${1:-3000}" eval '[ "$(ps -o stat= -p '"$pid"' 2>/dev/null)" = Z ] || ! kill -0 '"$pid"' 2>/dev/null'; then
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null; STOP_RC=$?
  SERVAL_PID=
}

show_log() { [ -f "$T/serval.log" ] && sed 's/^/# log: /' "$T/serval.log" | tail -40; }

harness_cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  if [ -n "$SERVAL_PID" ] && kill -0 "$SERVAL_PID" 2>/dev/null; then
    local all; all=$(tree_pids "$SERVAL_PID")
    kill -TERM "$SERVAL_PID" 2>/dev/null; sleep 0.5
    for p in $all; do kill -KILL "$p" 2>/dev/null; done
  fi
  [ "$TAP_FAILED" -gt 0 ] && show_log
  [ "${SERVAL_TEST_LEAVE:-0}" = 1 ] || [ -n "${SERVAL_TEST_DIR:-}" ] || rm -rf "$T"
}
trap harness_cleanup EXIT

# done_testing: exit status of the test script
done_testing() { [ "$TAP_FAILED" -eq 0 ]; }
