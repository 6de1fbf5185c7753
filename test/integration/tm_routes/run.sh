#!/usr/bin/env bash
# Summary: tm's script routes in a running serval between SIPp callers and
# several SIPp callees on their own ports: serial forking to voicemail
# after a 486 and after a 408 (the seed's example 1-31), fast failover with
# fr_timer 3 s and fr_inv_timer 60 s (a dead gateway given up after 3 s, the
# next one allowed to ring 4 s), parallel forking with one 200 and one 486,
# branch flags seen in the gateway branch's replies only and in the failure
# route when its reply wins, drop in a branch route and in a reply route,
# t_replicate copies (answered or not, never seen upstream), timeouts from
# AVPs (fr_timer_avp, fr_inv_timer_avp), a CANCEL while a failure route
# builds the next branch, a slow failure route on fr_timer that does not
# delay another call's retransmissions (it runs in the timer slow process,
# the timer process goes on); then the seed's examples 1-19 ... 1-33 as written
# (test addresses; 1-28 is in test/integration/tm_write).  After every scenario
# tm:inuse_transactions is back to 0 and shmem:used_size to its baseline.
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

command -v sipp > /dev/null || { not_ok "SIPp (sip-tester) is installed"; exit 1; }

SP=$(free_udp_port)
BUSY=$(free_udp_port); VM=$(free_udp_port); SINK=$(free_udp_port)
SINK2=$(free_udp_port); GW=$(free_udp_port); USER=$(free_udp_port)
PROG=$(free_udp_port); RING=$(free_udp_port); COPY=$(free_udp_port)
COPY2=$(free_udp_port); OPT=$(free_udp_port); SLOW=$(free_udp_port)

# make_cfg TEMPLATE FILE [EXTRA]: a script with its placeholders filled
make_cfg() {
  sed -e "s|@MPATH@|$MPATH/|" -e "s|@FIFO@|$FIFO|" -e "s|@DIR@|$T|" \
      -e "s|@BUSY@|$BUSY|g" -e "s|@VM@|$VM|g" -e "s|@SINK@|$SINK|g" \
      -e "s|@SINK2@|$SINK2|g" -e "s|@GW@|$GW|g" -e "s|@USER@|$USER|g" \
      -e "s|@PROG@|$PROG|g" -e "s|@RING@|$RING|g" -e "s|@COPY@|$COPY|g" \
      -e "s|@COPY2@|$COPY2|g" -e "s|@OPT@|$OPT|g" -e "s|@SLOW@|$SLOW|g" \
      -e "s|^@EXTRA@$|${3:-}|" "$HERE/$1" > "$2"
}

udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# uas NAME PORT CALLS [SIPP ARGS]: a SIPp callee (uas_NAME.xml, or the
# file NAME when it is a path) in the background; its pid is remembered
# for uas_wait
UAS_PIDS=()
uas() {
  local name=$1 port=$2 calls=$3 sf; shift 3
  case $name in /*) sf=$name; name=$(basename "$name" .xml) ;;
                *) sf=$HERE/uas_$name.xml ;; esac
  sipp -sf "$sf" -i 127.0.0.1 -p "$port" -m "$calls" \
       -timeout 30 -timeout_error -nostdin -trace_err \
       -error_file "$T/uas_$name.$port.err" "$@" > "$T/uas_$name.$port.out" 2>&1 &
  UAS_PIDS+=("$!:$name.$port")
  BG_PIDS+=("$!")
  wait_until 5000 udp_bound "$port" || diag "callee $name did not start"
}

# uas_wait: 0 when every callee started since the last uas_wait finished
# its calls without error
uas_wait() {
  local e pid name rc=0
  for e in "${UAS_PIDS[@]}"; do
    pid=${e%%:*}; name=${e#*:}
    if ! wait "$pid"; then
      rc=1
      diag "callee $name failed"
      sed 's/^/# uas: /' "$T/uas_$name.err" 2>/dev/null | tail -8
    fi
  done
  UAS_PIDS=()
  return "$rc"
}

# uac SCENARIO SERVICE CALLS [SIPP ARGS]: a SIPp caller; its exit status
# (SCENARIO is a file name in $HERE or a path)
uac() {
  local sf=$1 service=$2 calls=$3; shift 3
  case $sf in /*) ;; *) sf=$HERE/uac_$sf.xml ;; esac
  sipp -sf "$sf" -s "$service" -i 127.0.0.1 -p "$(free_udp_port)" \
       -m "$calls" -r 20 -timeout 30 -timeout_error -nostdin -trace_err \
       -error_file "$T/uac.err" "$@" 127.0.0.1:"$SP" > "$T/uac.out" 2>&1
  local rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/# uac: /' "$T/uac.err" 2>/dev/null | tail -10
  rm -f "$T/uac.err"
  return "$rc"
}

# final METHOD CODE REASON: the path of a caller scenario expecting CODE
# with a reason phrase starting with REASON (an INVITE's is acknowledged)
final() {
  local f=$T/uac_final_$1_$2.xml ack=
  [ "$1" = INVITE ] && ack='  <send>\n    <![CDATA[\n\n      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0\n      [last_Via:]\n      Max-Forwards: 70\n      From: "tmr" <sip:caller@[local_ip]:[local_port]>;tag=[pid]c[call_number]\n      [last_To:]\n      Call-ID: [call_id]\n      CSeq: 1 ACK\n      Content-Length: 0\n\n    ]]>\n  </send>'
  sed -e "s|@METHOD@|$1|g" -e "s|@CODE@|$2|g" -e "s|@REASON@|$3|g" \
      -e "s|^@ACK@|$ack|" "$HERE/uac_final.xml.in" > "$f"
  echo "$f"
}

# uas_final PORT CALLS PAUSE PROV CODE: a callee answering PROV after
# PAUSE ms, then CODE 600 ms later
uas_final() {
  local f=$T/uas_final_$1.xml
  sed -e "s|@PAUSE@|$3|g" -e "s|@PROV@|$4|g" -e "s|@CODE@|$5|g" \
      "$HERE/uas_final.xml.in" > "$f"
  uas "$f" "$1" "$2"
}

# sink PORT NAME SECONDS: a next hop that never answers, recording what
# it gets in $T/sink_NAME
sink() {
  "$TOP/test/lib/udpsink.py" "$1" "$T/sink_$2" "$3" &
  SINK_PID=$!; BG_PIDS+=("$SINK_PID")
  wait_until 5000 udp_bound "$1"
}

# got NAME WHAT: how many datagrams of sink NAME start with WHAT
got() { grep -c " $2" "$T/sink_$1" 2>/dev/null || true; }

# snapshot / delta NAME: a statistic's change since the last snapshot
STATS="tm:received_replies tm:relayed_replies tm:local_replies
tm:UAS_transactions tm:UAC_transactions tm:2xx_transactions
tm:4xx_transactions tm:5xx_transactions core:fwd_requests"
declare -A SNAP
snapshot() { local n; for n in $STATS; do SNAP[$n]=$(stat "$n"); done; }
delta() { local v; v=$(stat "$1"); echo $(( ${v:-0} - ${SNAP[$1]:-0} )); }
check_delta() { # DESC NAME EXPECTED (polled: the last reply may be queued)
  if wait_until 3000 eval '[ "$(delta '"$2"')" = "'"$3"'" ]'; then ok "$1"
  else not_ok "$1 ($2 changed by $(delta "$2"), expected $3)"; fi
}

# settled WHAT [MS]: no transaction left, shared memory back to its baseline
settled() {
  if wait_until "${2:-6000}" eval '[ "$(stat tm:inuse_transactions)" = 0 ] && [ "$(stat shmem:used_size)" = "$BASE" ]'
  then ok "$1: no transaction and no shared memory left"
  else not_ok "$1: tm:inuse_transactions = $(stat tm:inuse_transactions), shmem:used_size = $(stat shmem:used_size) (baseline $BASE)"; fi
}

# start CFG: serval on $SP with script CFG; BASE = its shm use
RUNS=0
start() {
  [ -f "$T/serval.log" ] && cp "$T/serval.log" "$T/serval.$RUNS.log"
  RUNS=$((RUNS + 1))
  serval_start -n 2 -l "udp:127.0.0.1:$SP" -f "$1"
  serval_wait_ready || return 1
  BASE=$(stat shmem:used_size)
}

# elapsed CMD...: runs CMD, leaves its duration (ms) in ELAPSED; its status
elapsed() {
  local t0 rc
  t0=$(now_ms); "$@"; rc=$?
  ELAPSED=$(( $(now_ms) - t0 ))
  return "$rc"
}

make_cfg serval.cfg "$T/serval.cfg"
if ! start "$T/serval.cfg"; then
  not_ok "serval with tm's routes starts"
  exit 1
fi
ok "serval with tm's routes starts"

# --- serial forking --------------------------------------------------------
snapshot
uas busy "$BUSY" 5
uas answer "$VM" 5
check "1-31: 486 from the callee, then the voicemail answers (5 calls)" \
  uac call serial 5
check "the busy callee got its ACK, the voicemail its end-to-end ACK" uas_wait
check_delta "no 486 went upstream: one 200 relayed per call (and a 180)" \
  tm:4xx_transactions 0
check_delta "2xx_transactions: 5" tm:2xx_transactions 5
settled "serial forking after 486"

sink "$SINK" timeout 5
uas answer "$VM" 1
check "1-31: nobody answers, 408 after fr_timer (3 s), then the voicemail answers" \
  elapsed uac call timeout 1
check "  ... after at least 3 s ($ELAPSED ms)" test "$ELAPSED" -ge 3000
check "the voicemail got the call" uas_wait
wait "$SINK_PID"
settled "serial forking after 408"

# --- fast failover: fr_timer 3 s, fr_inv_timer 60 s ------------------------
sink "$SINK" failover 5
uas slow_answer "$SLOW" 1
check "fast failover: the dead gateway is given up after 3 s, the next one rings 4 s and answers" \
  elapsed uac call failover 1
check "  ... the call took 7 s or more ($ELAPSED ms): ringing was not cut at fr_timer" \
  test "$ELAPSED" -ge 7000
check "the second gateway's call completed" uas_wait
wait "$SINK_PID"
n=$(got failover INVITE)
check "the dead gateway got the INVITE and its retransmissions until 3 s, then nothing ($n)" \
  test "$n" -ge 4 -a "$n" -le 7
settled "fast failover"

# --- parallel forking ------------------------------------------------------
snapshot
uas busy "$BUSY" 5
uas answer "$VM" 5
check "parallel forking: one branch 486, the other 200: the caller gets the 200 (5 calls)" \
  uac call fork 5
check "both callees saw every call" uas_wait
check_delta "no 486 went upstream" tm:4xx_transactions 0
settled "parallel forking"

# --- branch flags ----------------------------------------------------------
uas_final "$GW" 3 0 180 486
uas_final "$USER" 3 300 181 404
check "branch flags: the gateway's 180 shows its flag, the user's 181 not; the user's 404 wins: its failure route sees no flag" \
  uac bflags_user bflags 3
check "both callees done" uas_wait
uas_final "$GW" 3 0 180 404
uas_final "$USER" 3 300 181 486
check "branch flags: the gateway's 404 wins: the failure route sees its flag (and the message flag the 180 set)" \
  uac bflags_gw bflags 3
check "both callees done" uas_wait
settled "branch flags"

# --- drop in a branch route and in a reply route --------------------------
sink "$SINK2" drop 3
uas progress "$PROG" 3
check "drop: the dropped branch is not sent, the dropped 183 not relayed (3 calls)" \
  uac progress drop 3
check "the callee completed its calls" uas_wait
wait "$SINK_PID"
check_eq "the dropped branch's destination got nothing" 0 "$(got drop INVITE)"
settled "drop"

# --- t_replicate -----------------------------------------------------------
snapshot
uas options "$OPT" 5 -key reason Real
uas options "$COPY" 5 -key reason Copy
check "t_replicate: the caller gets the callee's 200, never the copy's (5 OPTIONS)" \
  uac options repl 5
check "the callee and the copy's destination each got 5 OPTIONS" uas_wait
check_delta "UAC_transactions: one replica per request" tm:UAC_transactions 5
check_delta "relayed_replies: the callee's 200s only" tm:relayed_replies 5
sink "$SINK2" repl 4
uas options "$OPT" 2 -key reason Real
check "t_replicate to nobody: the caller still gets its 200 (2 OPTIONS)" \
  uac options replnobody 2
uas_wait
wait "$SINK_PID"
n=$(got repl OPTIONS)
check "the unanswered copies were retransmitted ($n)" test "$n" -ge 4
settled "t_replicate"

# --- timeouts from AVPs ----------------------------------------------------
sink "$SINK" avp 3
check "fr_timer_avp: \$avp(i:24)=1 gives up after 1 s, not fr_timer's 3" \
  elapsed uac "$(final INVITE 504 'Timeout 408')" avpfr 1
check "  ... in 1 to 2.5 s ($ELAPSED ms)" test "$ELAPSED" -ge 1000 -a "$ELAPSED" -lt 2500
wait "$SINK_PID"
uas ring_cancel "$RING" 1
check "fr_inv_timer_avp: \$avp(i:25)=\"1\" cancels the ringing callee after 1 s, not fr_inv_timer's 60" \
  elapsed uac ring487 avpinv 1
check "  ... in less than 4 s ($ELAPSED ms)" test "$ELAPSED" -lt 4000
check "the callee was cancelled" uas_wait
settled "timeouts from AVPs"

# --- CANCEL while a failure route builds the next branch -------------------
sink "$SINK2" race 6
uas busy "$BUSY" 2
check "a CANCEL during the failure route: 200 for it, 487 for the INVITE (2 calls)" \
  uac race race 2 -r 1
uas_wait
wait "$SINK_PID"
check_eq "the failure route's branch was refused: the next destination got nothing" \
  0 "$(got race INVITE)"
settled "CANCEL during a failure route"

# --- a slow failure route on timeout does not stall the timer process ------
sink "$SINK" slow 9; SLOW_SINK=$SINK_PID
uac "$(final INVITE 504 'Slow failure')" slowfail 1 & SLOW_UAC=$!
# the failure route starts 3 s after the INVITE and spins 2 to 3 s; a call
# started meanwhile must see its INVITE resent on time (T1 = 100 ms)
sleep 3.3
sink "$SINK2" retr 4
check "a call during a slow timeout failure route gets its 408 after fr_timer" \
  uac "$(final INVITE 408 'Request Timeout')" retr 1
wait "$SINK_PID"
check "the slow failure route's call gets its 504" wait "$SLOW_UAC"
wait "$SLOW_SINK"
times=$(awk '/ INVITE /{print $1}' "$T/sink_retr" | head -5 | tr '\n' ' ')
check "its INVITE was resent at 100, 300, 700, 1500 ms meanwhile (got: $times)" \
  awk -v t="$times" 'BEGIN { n = split(t, a, " "); split("0 100 300 700 1500", w, " ");
    if (n < 5) exit 1; for (i = 1; i <= 5; i++) if (a[i] < w[i] - 60 || a[i] > w[i] + 150) exit 1 }'
settled "slow failure route"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"

# --- the seed's examples ---------------------------------------------------
make_cfg seed.cfg "$T/seed.cfg"
check "serval with the seed's examples 1-19 ... 1-33 starts" start "$T/seed.cfg"
snapshot
check "1-19: t_newtran + t_reply(\"999\",\"hello\")" \
  uac "$(final INVITE 999 hello)" ex19 1
check_delta "  ... sent by tm, no relay" tm:relayed_replies 0
uas answer "$VM" 1
check "1-20: t_relay()" uac call ex20 1
uas_wait
check "1-21: t_relay(\"tcp:...\") fails (TCP is not implemented): 476" \
  uac "$(final INVITE 476 Unresolvable)" ex21a 1
snapshot
uas answer "$VM" 2
check "1-21: t_relay(\"host:port\",\"0x1\") and t_relay(\"udp:host:port\")" \
  uac call ex21b 1
check_delta "  ... 0x1: no 100 Trying" tm:local_replies 0
check "  ..." uac call ex21c 1
uas_wait
check "1-22: t_reply(\"404\", \"Not found\")" \
  uac "$(final INVITE 404 'Not found')" ex22 1
snapshot
uas options "$OPT" 2 -key reason Real
uas options "$COPY" 2 -key reason Copy
uas options "$COPY2" 2 -key reason Copy
check "1-23: t_replicate three times (the TCP one fails), then t_relay" \
  uac options ex23 2
check "  ... both copies and the callee got every request" uas_wait
check_delta "  ... two replicas per request" tm:UAC_transactions 4
check "1-24: t_release() (then a stateless 200)" uac options ex24 1
sink "$SINK" ex25 3
check "1-25, 1-27: t_check_status and t_local_replied(\"all\") in a failure route" \
  uac "$(final INVITE 408 'No reply received')" ex25 1
wait "$SINK_PID"
uas busy "$BUSY" 1
check "1-26: t_flush_flags(): the failure route sees the flag set after t_newtran" \
  uac "$(final INVITE 480 Flushed)" ex26 1
uas_wait
uas ring_cancel "$RING" 1
check "1-29, 1-30: CANCEL relayed with t_check_trans; t_was_cancelled in the failure route" \
  uac cancel ex30 1
uas_wait
uas busy "$BUSY" 1
uas answer "$VM" 1
check "1-31: t_on_failure, serial forking to voicemail" uac call ex31 1
uas_wait
uas progress "$PROG" 1
check "1-32: t_on_reply: 183 dropped, 180 and 200 relayed" uac progress ex32 1
uas_wait
sink "$SINK2" ex33 3
uas answer_rpid "$GW" 1
check "1-33: t_on_branch: the bad_uri branch dropped, the GW_uri one gets the header" \
  uac call GW_uri 1
uas_wait
wait "$SINK_PID"
check_eq "  ... the dropped branch's destination got nothing" 0 "$(got ex33 INVITE)"
settled "the seed's examples" 9000
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
check "no sanitizer report and no critical log line in any run" \
  test -z "$(grep -lE 'Sanitizer|runtime error|CRITICAL' "$T"/serval*.log)"

done_testing
