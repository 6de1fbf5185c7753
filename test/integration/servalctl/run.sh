#!/usr/bin/env bash
# Summary: servalctl against a live serval.  Exit status and where the
# status line goes; FIFO, reply directory and timeout from options, then
# the environment, then the defaults; quick, clear failures when serval is
# not running or its FIFO is stale; the shortcuts (ps, uptime, version,
# which, stats); start/stop/restart by pid file; the console (commands,
# TAB completion, help, history, Ctrl-C, quit, Ctrl-D) and monitor, driven
# in tmux.
. "$(dirname "$0")/../../lib/harness.sh"

unset SERVAL_FIFO SERVAL_REPLY_DIR SERVAL_TIMEOUT SERVAL_PIDFILE SERVAL_BIN \
  SERVAL_CFG SERVAL_OPTS

TMUX_SOCK=serval-test-$$-$RANDOM
DAEMON_PIDFILES=()
ctl_cleanup() {
  local f p
  tmux -L "$TMUX_SOCK" kill-server 2> /dev/null
  for f in "${DAEMON_PIDFILES[@]}"; do
    p=$(cat "$f" 2> /dev/null) || continue
    [ "$(proc_title "$p")" = "serval: attendant" ] || continue
    for p in $(tree_pids "$p"); do kill -KILL "$p" 2> /dev/null; done
  done
}
trap 'ctl_cleanup; harness_cleanup' EXIT

cd "$T" || exit 1
PORT=$(free_udp_port)
{ mi_fifo_cfg; echo 'route { drop; }'; } > "$T/s.cfg"
serval_start -f "$T/s.cfg" -n 1 -l "udp:127.0.0.1:$PORT"
if ! serval_wait_ready; then
  not_ok "serval starts and answers MI"
  exit 1
fi
ok "serval starts and answers MI"
V=$("$SERVAL" -V | head -1)

# alive PID: PID runs (a zombie does not: a daemon's master waits for
# init to reap it)
alive() { case $(ps -o stat= -p "$1" 2> /dev/null) in '' | Z*) return 1 ;; esac; }

# run ARGS...: runs servalctl; RC, OUT (stdout), ERR (stderr), MS (elapsed)
run() {
  local t0; t0=$(now_ms)
  "$SERVALCTL" "$@" > "$T/o" 2> "$T/e" < /dev/null
  RC=$?; MS=$(( $(now_ms) - t0 ))
  OUT=$(cat "$T/o"); ERR=$(cat "$T/e")
}
CTL=(-s "$FIFO" -r "$T" -t 5)

# ------------------------------------------- exit status, stdout, stderr --
run "${CTL[@]}" fifo version
check_eq "2xx: exit 0, the lines on stdout, nothing on stderr" "0|Server:: $V|" "$RC|$OUT|$ERR"
run "${CTL[@]}" fifo reset_statistics all
check_eq "2xx without lines: exit 0, nothing printed" "0||" "$RC|$OUT|$ERR"
run "${CTL[@]}" fifo nosuch
check_eq "500: exit 1, the status line on stderr" "1||500 command 'nosuch' not available" "$RC|$OUT|$ERR"
run "${CTL[@]}" fifo get_statistics nosuch
check_eq "404: exit 1, the status line on stderr" "1||404 Statistics Not Found" "$RC|$OUT|$ERR"
run "${CTL[@]}" fifo debug 1 2
check_eq "400: exit 1, the status line on stderr" "1||400 Too few or too many arguments" "$RC|$OUT|$ERR"
run "${CTL[@]}" fifo get_statistics " shmem:total_size"
check_eq "an argument is sent as given (leading blank kept, quoted): 404" "1|404 Statistics Not Found" "$RC|$ERR"
run "${CTL[@]}" fifo get_statistics $'shmem:\n\ncore:'
check "an argument the protocol cannot carry (empty line): refused, exit 1" \
  test "$RC" = 1 -a -n "$ERR"
run -x
check_eq "unknown option: usage error, exit 2" 2 "$RC"
run -t abc uptime
check_eq "bad -t: exit 2 with a message" "2|servalctl: bad timeout 'abc' (seconds)" "$RC|$(head -1 <<< "$ERR")"
run "${CTL[@]}" bogus
check_eq "unknown servalctl command: exit 1 with a hint" \
  "1|servalctl: unknown command 'bogus' (try help, or fifo bogus)" "$RC|$ERR"
run -h
check "-h: exit 0, the usage on stdout" test "$RC" = 0 -a -n "$(grep '^usage: servalctl' <<< "$OUT")"

# ------------------------------------- FIFO, reply dir, timeout settings --
run -s "$FIFO" -r "$T" version
check_eq "-s names the FIFO" "0|Server:: $V" "$RC|$OUT"
SERVAL_FIFO=$FIFO run -r "$T" version
check_eq "SERVAL_FIFO names the FIFO without -s" "0|Server:: $V" "$RC|$OUT"
SERVAL_FIFO=$T/nope run -s "$FIFO" -r "$T" version
check_eq "-s wins over SERVAL_FIFO" "0|Server:: $V" "$RC|$OUT"
SERVAL_FIFO=$FIFO run -s "$T/nope" -r "$T" version
check_eq "-s wins over SERVAL_FIFO (the other way round)" \
  "1|servalctl: serval is not running (no FIFO $T/nope)" "$RC|$ERR"
# the default: monitor's header names the FIFO in use; with a reply
# directory that does not exist nothing is ever sent to it
mkdir -p "$T/empty"
run -r "$T/nodir" monitor
check "no -s, no SERVAL_FIFO: the default /tmp/serval_fifo" \
  grep -q 'serval monitor  /tmp/serval_fifo  \[' <<< "$OUT"
SERVAL_REPLY_DIR=$T run -s "$FIFO" version
check_eq "SERVAL_REPLY_DIR names the reply directory without -r" "0|Server:: $V" "$RC|$OUT"
SERVAL_REPLY_DIR=$T/empty run -s "$FIFO" -r "$T" version
check_eq "-r wins over SERVAL_REPLY_DIR" "0|Server:: $V" "$RC|$OUT"
# a reply directory that is not the server's: the reply never comes
run -s "$FIFO" -r "$T/empty" -t 0.5 version
check_eq "wrong reply directory: exit 1, no reply within -t" \
  "1|servalctl: no reply from serval within 500 ms" "$RC|$ERR"
check "-t 0.5 is the bound: gave up in $MS ms" test "$MS" -ge 450 -a "$MS" -lt 2000
SERVAL_TIMEOUT=0.5 run -s "$FIFO" -r "$T/empty" version
check "SERVAL_TIMEOUT without -t: gave up in $MS ms" test "$RC" = 1 -a "$MS" -ge 450 -a "$MS" -lt 2000
SERVAL_TIMEOUT=30 run -s "$FIFO" -r "$T/empty" -t 0.5 version
check "-t wins over SERVAL_TIMEOUT: gave up in $MS ms" test "$RC" = 1 -a "$MS" -lt 2000
check_eq "a call that timed out leaves no reply FIFO behind" "" "$(ls -A "$T/empty")"
"$SERVALCTL" -s "$FIFO" -r "$T/empty" -t 5 version > /dev/null 2>&1 &
cpid=$!
check "a waiting call has its reply FIFO" wait_until 3000 eval '[ -n "$(ls -A "$T/empty")" ]'
kill -TERM "$cpid"; wait "$cpid"; rc=$?
check_eq "a waiting call stopped by SIGTERM: exit 128+15" 143 "$rc"
check_eq "a waiting call stopped by SIGTERM: its reply FIFO is removed" "" "$(ls -A "$T/empty")"

# ------------------------------------------- not running, stale FIFO --
run -s "$T/none" -r "$T" uptime
check_eq "no FIFO: exit 1, serval is not running" \
  "1|servalctl: serval is not running (no FIFO $T/none)" "$RC|$ERR"
check "no FIFO: answered at once ($MS ms)" test "$MS" -lt 1000
# a stale FIFO, as a crashed serval leaves it
PB=$(free_udp_port)
{ mi_fifo_cfg | sed "s|\"$FIFO\"|\"$T/b_fifo\"|"; echo 'route { drop; }'; } > "$T/b.cfg"
"$SERVAL" -D -E -L "$MPATH" -f "$T/b.cfg" -n 1 -l "udp:127.0.0.1:$PB" > "$T/b.log" 2>&1 < /dev/null &
bpid=$!; BG_PIDS+=("$bpid")
b_ready() { "$SERVALCTL" -s "$T/b_fifo" -r "$T" -t 2 uptime > /dev/null 2>&1; }
check "a second serval answers on its own FIFO" wait_until 10000 b_ready
ball=$(tree_pids "$bpid")
kill -KILL "$bpid"; wait "$bpid" 2> /dev/null
b_gone() { local p; for p in $ball; do kill -0 "$p" 2> /dev/null && return 1; done; return 0; }
check "the second serval, killed -9, leaves no process" wait_until 3000 b_gone
check "it left its FIFO behind" test -p "$T/b_fifo"
run -s "$T/b_fifo" -r "$T" uptime
check_eq "stale FIFO: exit 1, clear message" \
  "1|servalctl: stale FIFO $T/b_fifo: it exists but no serval reads it (serval is not running?)" "$RC|$ERR"
check "stale FIFO: answered at once ($MS ms)" test "$MS" -lt 1000
check_eq "stale FIFO: no reply FIFO left behind" "" "$(ls "$T" | grep '^servalctl_')"
"$SERVAL" -D -E -L "$MPATH" -f "$T/b.cfg" -n 1 -l "udp:127.0.0.1:$PB" > "$T/b2.log" 2>&1 < /dev/null &
bpid=$!; BG_PIDS+=("$bpid")
check "serval started again replaces the stale FIFO and answers" wait_until 10000 b_ready
kill -TERM "$bpid"; wait "$bpid"
check_eq "that serval stops with exit 0" 0 "$?"

# ------------------------------------------------------------ shortcuts --
run "${CTL[@]}" fifo ps; want=$OUT
run "${CTL[@]}" ps
check_eq "ps: the MI ps" "0|$want" "$RC|$OUT"
check "ps: lists the attendant" grep -qx "Process::  ID=0 PID=$SERVAL_PID Type=attendant" <<< "$OUT"
run "${CTL[@]}" uptime
check_eq "uptime: Now, Up since, Up time" "0|Now::|Up since::|Up time::" \
  "$RC|$(sed 's/:: .*/::/' <<< "$OUT" | paste -sd'|')"
run "${CTL[@]}" fifo version; want=$OUT
run "${CTL[@]}" version
check_eq "version: the MI version" "0|$want" "$RC|$OUT"
run "${CTL[@]}" fifo which; want=$OUT
run "${CTL[@]}" which
check_eq "which: the MI which" "0|$want" "$RC|$OUT"
run "${CTL[@]}" fifo get_statistics all; want=$OUT
run "${CTL[@]}" stats
check_eq "stats: get_statistics all" "0|$want" "$RC|$OUT"
run "${CTL[@]}" fifo get_statistics shmem:; want=$OUT
run "${CTL[@]}" stats shmem
check_eq "stats shmem: the shmem: group" "0|$want" "$RC|$OUT"
check_eq "stats shmem: its 6 values" 6 "$(grep -c '^shmem:' <<< "$OUT")"
run "${CTL[@]}" fifo get_statistics core: shmem:; want=$OUT
run "${CTL[@]}" stats core shmem
check_eq "stats core shmem: both groups" "0|$want" "$RC|$OUT"
run "${CTL[@]}" stats rcv_requests
check_eq "stats NAME: one statistic" "0|core:rcv_requests = 0" "$RC|$OUT"
run "${CTL[@]}" stats shmem:total_size
check "stats group:name: one statistic" grep -qxE 'shmem:total_size = [1-9][0-9]*' <<< "$OUT"
run "${CTL[@]}" stats nosuch
check_eq "stats nosuch: exit 1, 404 on stderr" "1||404 Statistics Not Found" "$RC|$OUT|$ERR"

# ------------------------------------------------ start, stop, restart --
PC=$(free_udp_port)
{ mi_fifo_cfg | sed "s|\"$FIFO\"|\"$T/c_fifo\"|"; echo 'route { drop; }'; } > "$T/c.cfg"
PIDF=$T/c.pid
DAEMON_PIDFILES+=("$PIDF")
SCTL=(-s "$T/c_fifo" -r "$T" -t 5 -P "$PIDF" -b "$SERVAL" -f "$T/c.cfg")
export SERVAL_OPTS="-E -L $MPATH -n 1 -l udp:127.0.0.1:$PC"
# a daemon keeps the launcher's stdout/stderr: files, never pipes
sctl() { local out=$1; shift; "$SERVALCTL" "${SCTL[@]}" "$@" > "$T/$out" 2>&1 < /dev/null; }
sctl start1.out start; rc=$?
pid1=$(cat "$PIDF" 2> /dev/null)
check_eq "start: exit 0" 0 "$rc"
check "start: says so with the pid from the pid file" grep -qx "serval started (pid ${pid1:-?})" "$T/start1.out"
check_eq "start: the pid file names the running master" "serval: attendant" "$(proc_title "${pid1:-0}")"
sctl up1.out uptime
check "start: the started serval answers MI" grep -q '^Up time::' "$T/up1.out"
check_eq "start: its arguments were -f CFG -P PIDFILE SERVAL_OPTS" \
  "$(printf '%s\n' "$SERVAL" -f "$T/c.cfg" -P "$PIDF" -E -L "$MPATH" -n 1 -l "udp:127.0.0.1:$PC")" \
  "$("$SERVALCTL" "${SCTL[@]}" fifo arg)"
sctl start2.out start; rc=$?
check_eq "start while running: exit 1, refused" "1|servalctl: serval is already running (pid $pid1)" "$rc|$(cat "$T/start2.out")"
check_eq "start while running: the server is untouched" "$pid1" "$(cat "$PIDF")"
all1=$(tree_pids "${pid1:-0}")
sctl restart.out restart; rc=$?
pid2=$(cat "$PIDF" 2> /dev/null)
check_eq "restart: exit 0" 0 "$rc"
check "restart: stopped, then started" grep -qx "serval stopped" "$T/restart.out"
check "restart: a new master (${pid1:-?} -> ${pid2:-?})" test -n "$pid2" -a "$pid2" != "$pid1"
left=; for p in $all1; do alive "$p" && left="$left $p"; done
check_eq "restart: every process of the old server is gone" "" "$left"
sctl up2.out uptime
check "restart: the new server answers MI" grep -q '^Up time::' "$T/up2.out"
all2=$(tree_pids "${pid2:-0}")
sctl stop1.out stop; rc=$?
check_eq "stop: exit 0, says so" "0|serval stopped" "$rc|$(cat "$T/stop1.out")"
left=; for p in $all2; do alive "$p" && left="$left $p"; done
check_eq "stop: every process is gone when it returns" "" "$left"
check "stop: the pid file is removed" test ! -e "$PIDF"
check "stop: the FIFO is removed" test ! -e "$T/c_fifo"
sctl stop2.out stop; rc=$?
check_eq "stop when not running: exit 1" "1|servalctl: serval is not running (no pid in $PIDF)" "$rc|$(cat "$T/stop2.out")"
sleep 30 & decoy=$!; BG_PIDS+=("$decoy")
echo "$decoy" > "$PIDF"
sctl stop3.out stop; rc=$?
check_eq "stop with a pid file naming another program: exit 1, refused" \
  "1|servalctl: serval is not running (stale pid file $PIDF)" "$rc|$(cat "$T/stop3.out")"
check "stop with a pid file naming another program: that program lives" kill -0 "$decoy"
kill "$decoy"; wait "$decoy" 2> /dev/null; rm -f "$PIDF"
SERVAL_OPTS="$SERVAL_OPTS -m abc" sctl start3.out start; rc=$?
check_eq "start that fails (bad option): exit 1" 1 "$rc"
check "start that fails: says so with serval's exit status" \
  grep -q "servalctl: serval failed to start (exit status 2)" "$T/start3.out"
unset SERVAL_OPTS

# ---------------------------------------------------- console, in tmux --
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
# tm_run NAME CMD...: runs CMD in a new 200x50 pane; its exit status goes
# to $T/NAME.status (tmux 3.3 sometimes never reaps a pane's process, so
# #{pane_dead_status} cannot be relied on).  The shell around CMD ignores
# SIGINT so Ctrl-C reaches only CMD, which sets its own handler.
tm_run() {
  local name=$1; shift
  rm -f "$T/$name.status"
  tm new-session -d -s "$name" -x 200 -y 50 \
    "trap '' INT; $(printf '%q ' "$@"); echo \$? > $(printf %q "$T/$name.status")" \; \
    set-option -w -t "$name" remain-on-exit on
}
pane() { tm capture-pane -p -J -t "$1" -S - 2> /dev/null; }
pane_has() { pane "$1" | grep -qF -- "$2"; }
# the pane's last line that is not empty (the line being edited)
pane_last() { pane "$1" | grep -v '^$' | tail -1 | sed 's/[[:space:]]*$//'; }
prompts() { pane "$1" | grep -c '^servalctl> '; }
# wait_prompt NAME N: until the Nth prompt is shown (5 s)
wait_prompt() { wait_until 5000 eval '[ "$(prompts '"$1"')" -ge '"$2"' ]'; }
# pane_dead NAME: its program exited; dead_status NAME: with which status
pane_dead() { [ -s "$T/$1.status" ]; }
dead_status() { cat "$T/$1.status" 2> /dev/null; }
# type NAME N KEYS...: sends KEYS once the Nth prompt is there
type_at() { local n=$1 k=$2; shift 2; wait_prompt "$n" "$k" && tm send-keys -t "$n" "$@"; }

HOME_DIR=$T/home; mkdir -p "$HOME_DIR"
CON=(env HOME="$HOME_DIR" "$SERVALCTL" -s "$FIFO" -r "$T" -t 5)
tm_run con "${CON[@]}"
check "console: greets with the server's version" wait_until 5000 pane_has con "$FIFO: Server:: $V"
type_at con 1 ps Enter
check "console: ps" wait_until 5000 pane_has con "Process::  ID=0 PID=$SERVAL_PID Type=attendant"
type_at con 2 uptime Enter
check "console: uptime" wait_until 5000 pane_has con "Up time:: "
type_at con 3 'stats shmem' Enter
check "console: stats shmem" wait_until 5000 pane_has con "shmem:total_size = "
type_at con 4 get_st Tab
wait_until 5000 eval '[ "$(pane_last con)" = "servalctl> get_statistics" ]'
check_eq "console: TAB completes get_st to get_statistics" "servalctl> get_statistics" "$(pane_last con)"
tm send-keys -t con core:rcv_requests Enter
check "console: the completed command runs" wait_until 5000 pane_has con "core:rcv_requests = 0"
type_at con 5 'fifo reset_s' Tab
wait_until 5000 eval '[ "$(pane_last con)" = "servalctl> fifo reset_statistics" ]'
check_eq "console: TAB completes the word after fifo (reset_statistics)" \
  "servalctl> fifo reset_statistics" "$(pane_last con)"
tm send-keys -t con all Enter
type_at con 6 help Enter
check "console: help lists the commands" wait_until 5000 pane_has con "stats [GROUP|NAME]   get_statistics"
check "console: help tells how to leave" pane_has con "quit, exit, ^D       leave"
type_at con 7 nosuch Enter
check "console: an unknown MI command shows the server's answer" \
  wait_until 5000 pane_has con "500 command 'nosuch' not available"
type_at con 8 quit Enter
check "console: quit leaves" wait_until 5000 pane_dead con
check_eq "console: exit status 0" 0 "$(dead_status con)"
check_eq "console: the history is in ~/.servalctl_history" \
  "ps|uptime|stats shmem|get_statistics core:rcv_requests|fifo reset_statistics all|help|nosuch|quit" \
  "$(paste -sd'|' "$HOME_DIR/.servalctl_history" 2> /dev/null)"

tm_run con2 "${CON[@]}"
type_at con2 1 Up
check "console: Up recalls the history of the last session" \
  wait_until 5000 eval '[ "$(pane_last con2)" = "servalctl> quit" ]'
tm send-keys -t con2 Up
check "console: Up again, the line before" \
  wait_until 5000 eval '[ "$(pane_last con2)" = "servalctl> nosuch" ]'
tm send-keys -t con2 C-c
type_at con2 2 version Enter
check "console: Ctrl-C dropped the line; the next one runs alone" \
  wait_until 5000 eval '[ "$(pane con2 | grep -c "^Server:: serval")" -ge 1 ]'
check "console: nothing of the dropped line ran" eval '! pane_has con2 "not available"'
type_at con2 3 C-d
check "console: Ctrl-D leaves" wait_until 5000 pane_dead con2
check_eq "console: Ctrl-D, exit status 0" 0 "$(dead_status con2)"
check_eq "console: the history file grew by the new line" "version" "$(tail -1 "$HOME_DIR/.servalctl_history")"

# ---------------------------------------------------- monitor, in tmux --
tm_run mon env HOME="$HOME_DIR" "$SERVALCTL" -s "$FIFO" -r "$T" -t 5 monitor 1
tm_run mon0 env HOME="$HOME_DIR" "$SERVALCTL" -s "$T/none" -r "$T" -t 5 monitor 1
check "monitor: shows the version" wait_until 5000 pane_has mon "Server:: $V"
check "monitor: shows the uptime" pane_has mon "Up time:: "
check "monitor: shows the core counters" pane_has mon "core:rcv_requests = 0"
check "monitor: shows shmem" pane_has mon "shmem:total_size = "
check "monitor: refreshes" wait_until 5000 pane_has mon "round 2;"
check "monitor without serval: shows the error" \
  wait_until 5000 pane_has mon0 "(version: serval is not running (no FIFO $T/none))"
check "monitor without serval: keeps trying" wait_until 5000 pane_has mon0 "round 2;"
tm send-keys -t mon q
tm send-keys -t mon0 x
check "monitor: a key press quits" wait_until 5000 pane_dead mon
check_eq "monitor: exit status 0" 0 "$(dead_status mon)"
check "monitor without serval: a key press quits" wait_until 5000 pane_dead mon0
check_eq "monitor without serval: exit status 0" 0 "$(dead_status mon0)"

check_eq "serval still runs and answers" "Server:: $V" "$(mi version)"
serval_stop
check_eq "serval stops with exit 0" 0 "$STOP_RC"
done_testing
