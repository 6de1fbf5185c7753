#!/usr/bin/env bash
# Summary: the process tree — names in ps, orderly stop within 2 s, death of
# a child stops everything, daemon mode and pid file, no orphans, -V/-h.
. "$(dirname "$0")/../../lib/harness.sh"

# processes besides the UDP receivers: the attendant and the two timers
EXTRA_PROCS=3

P1=$(free_udp_port)
serval_start -n 3 -l "udp:127.0.0.1:$P1"
want=$((3 + EXTRA_PROCS))
check "serval starts $want processes" serval_wait_procs $want
check_eq "master is named in ps" "serval: attendant" "$(proc_title "$SERVAL_PID")"
titles=$(for p in $(tree_pids "$SERVAL_PID"); do proc_title "$p"; done | sort)
for r in 1 2 3; do
  check "receiver #$r is named in ps" grep -qx "serval: udp receiver #$r udp:127.0.0.1:$P1" <<< "$titles"
done
check "timer process is named in ps" grep -qx "serval: timer" <<< "$titles"
check "timer slow process is named in ps" grep -qx "serval: timer slow" <<< "$titles"

all=$(tree_pids "$SERVAL_PID")
t0=$(now_ms)
serval_stop 2000; rc=$STOP_RC
elapsed=$(( $(now_ms) - t0 ))
check_eq "SIGTERM: master exits 0" 0 "$rc"
check "SIGTERM: stopped within 2 s (${elapsed} ms)" test "$elapsed" -lt 2000
left=0; for p in $all; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
check_eq "SIGTERM: no process left" 0 "$left"

# death of a child
serval_start -n 2 -l "udp:127.0.0.1:$P1"
serval_wait_procs $((2 + EXTRA_PROCS)) || not_ok "second start"
all=$(tree_pids "$SERVAL_PID")
victim=
for p in $all; do
  [ "$(proc_title "$p")" = "serval: udp receiver #2 udp:127.0.0.1:$P1" ] && victim=$p
done
kill -KILL "$victim"
pid=$SERVAL_PID
wait_until 3000 eval '! kill -0 '"$pid"' 2>/dev/null' ; wait "$pid"; rc=$?; SERVAL_PID=
check "child killed: master exits non-zero (status $rc)" test "$rc" -ne 0
left=0; for p in $all; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
check_eq "child killed: no process left" 0 "$left"
check "child killed: the log names the dead process and how" \
  grep -q "process $victim (udp receiver #2 udp:127.0.0.1:$P1) was killed by signal 9" "$T/serval.log"

# the master killed hard: children follow it (no orphans)
serval_start -n 2 -l "udp:127.0.0.1:$P1"
serval_wait_procs $((2 + EXTRA_PROCS)) || not_ok "third start"
all=$(tree_pids "$SERVAL_PID")
kill -KILL "$SERVAL_PID"; wait "$SERVAL_PID" 2>/dev/null; SERVAL_PID=
gone() { for p in $all; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
check "master killed: every child stops too" wait_until 2000 gone

# daemon mode with a pid file
"$SERVAL" -E -n 2 -l "udp:127.0.0.1:$P1" -P "$T/serval.pid" > "$T/daemon.log" 2>&1
check_eq "daemon: launcher exits 0 once running" 0 "$?"
dpid=$(cat "$T/serval.pid" 2>/dev/null)
check "daemon: pid file names a running master" kill -0 "${dpid:-0}"
check_eq "daemon: the master is detached (parent is init)" 1 "$(ps -o ppid= -p "${dpid:-0}" | tr -d ' ')"
check_eq "daemon: master is named in ps" "serval: attendant" "$(proc_title "${dpid:-0}")"
all=$(tree_pids "${dpid:-0}")
kill -TERM "${dpid:-0}"
check "daemon: SIGTERM stops every process" wait_until 2500 gone
check "daemon: pid file removed" test ! -e "$T/serval.pid"

# bind failure is reported at start
"$SERVAL" -D -E -n 1 -l "udp:127.0.0.1:$P1" > "$T/a.log" 2>&1 &
apid=$!; BG_PIDS+=("$apid")
wait_until 3000 eval 'grep -q started "$T/a.log"'
"$SERVAL" -D -E -n 1 -l "udp:127.0.0.1:$P1" > "$T/b.log" 2>&1
check_eq "port in use: second serval exits 1" 1 "$?"
check "port in use: the error names the socket" grep -q "cannot bind udp:127.0.0.1:$P1" "$T/b.log"
kill -TERM "$apid"; wait "$apid"

# two listen sockets, receivers per socket, ranks counted across sockets
P2=$(free_udp_port)
serval_start -n 2 -l "udp:127.0.0.1:$P1" -l "udp:127.0.0.1:$P2"
check "two sockets: $((4 + EXTRA_PROCS)) processes" serval_wait_procs $((4 + EXTRA_PROCS))
titles=$(for p in $(tree_pids "$SERVAL_PID"); do proc_title "$p"; done | sort)
check "two sockets: receiver #3 serves the second socket" grep -qx "serval: udp receiver #3 udp:127.0.0.1:$P2" <<< "$titles"
serval_stop

# command line
v=$("$SERVAL" -V | head -1)
check "-V prints 'serval X.Y.Z (arch/os)'" grep -qE '^serval [0-9]+\.[0-9]+\.[0-9]+ \([a-z0-9_]+/[a-z]+\)$' <<< "$v"
check "-V prints the build flags" grep -q '^flags: ' <(  "$SERVAL" -V )
"$SERVAL" -h > /dev/null; check_eq "-h exits 0" 0 "$?"
"$SERVAL" -x > /dev/null 2>&1; check_eq "unknown option exits 2" 2 "$?"
"$SERVAL" -m abc > /dev/null 2>&1; check_eq "bad -m value exits 2" 2 "$?"
# Ctrl-C in a terminal: SIGINT reaches the whole process group at once;
# the children's exits are part of the shutdown, not a failure
setsid "$SERVAL" -D -E -n 2 -l "udp:127.0.0.1:$P1" > "$T/group.log" 2>&1 < /dev/null &
SERVAL_PID=$!
serval_wait_procs $((2 + EXTRA_PROCS)) || not_ok "group start"
all=$(tree_pids "$SERVAL_PID")
kill -INT -- -"$SERVAL_PID"
pid=$SERVAL_PID
wait_until 3000 eval '! kill -0 '"$pid"' 2>/dev/null' ; wait "$pid"; rc=$?; SERVAL_PID=
check_eq "SIGINT to the process group: master exits 0" 0 "$rc"
check "SIGINT to the process group: no child is reported dead" \
  bash -c '! grep -q CRITICAL "$1"' _ "$T/group.log"
left=0; for p in $all; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
check_eq "SIGINT to the process group: no process left" 0 "$left"

done_testing
