#!/usr/bin/env bash
# Summary: tm in a running serval between SIPp callers and callees: whole
# calls, a rejected call (486 acknowledged downstream, the caller's ACK
# absorbed), CANCEL after 180 (487), a next hop that never answers (INVITE
# resent on Timer A, 408 after fr_timer; OPTIONS on Timer E), a callee that
# rings for ever (fr_inv_timer, with noisy_ctimer 0 and 1), calls and
# rejected calls under induced loss (request and reply retransmissions
# absorbed: one 486 relayed however many arrive), OPTIONS and MESSAGE, RFC
# 2543 ACK matching with ruri_matching/via1_matching on and off, serval as
# the callee (t_newtran + t_reply, end-to-end ACK), sl's send_reply through
# tm, enable_stats=0, and shared memory running out (500 from
# sl_reply_error, then recovery).  After every scenario
# tm:inuse_transactions is back to 0 and shmem:used_size to its baseline.
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

command -v sipp > /dev/null || { not_ok "SIPp (sip-tester) is installed"; exit 1; }

SP=$(free_udp_port)
CALL=$(free_udp_port); REJECT=$(free_udp_port); RING=$(free_udp_port)
OPTIONS=$(free_udp_port); MESSAGE=$(free_udp_port); SINK=$(free_udp_port)

# make_cfg FILE [EXTRA LINES]: the test script with its placeholders filled
make_cfg() {
  sed -e "s|@MPATH@|$MPATH/|" -e "s|@FIFO@|$FIFO|" -e "s|@DIR@|$T|" \
      -e "s|@CALL@|$CALL|g" -e "s|@REJECT@|$REJECT|g" -e "s|@RING@|$RING|g" \
      -e "s|@OPTIONS@|$OPTIONS|g" -e "s|@MESSAGE@|$MESSAGE|g" \
      -e "s|@SINK@|$SINK|g" -e "s|^@EXTRA@$|${2:-}|" "$HERE/serval.cfg" > "$1"
}

udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# uas NAME PORT CALLS [SIPP ARGS]: a SIPp callee in the background; its pid
# in UAS_PID
uas() {
  local name=$1 port=$2 calls=$3; shift 3
  sipp -sf "$HERE/uas_$name.xml" -i 127.0.0.1 -p "$port" -m "$calls" \
       -timeout 40 -timeout_error -nostdin -trace_err \
       -error_file "$T/uas_$name.$port.err" "$@" > "$T/uas_$name.out" 2>&1 &
  UAS_PID=$!
  UAS_ERR=$T/uas_$name.$port.err
  BG_PIDS+=("$UAS_PID")
  wait_until 5000 udp_bound "$port" || diag "callee $name did not start"
}

# uas_done: the exit status of the last callee (waits for it)
uas_done() {
  local rc
  wait "$UAS_PID"; rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/# uas: /' "$UAS_ERR" 2>/dev/null | tail -10
  rm -f "$UAS_ERR"
  return "$rc"
}

# uas_stop: lets the last callee finish (5 s at most), else stops it; its
# verdict does not count: under loss a peer may still resend a request or a
# reply after its transaction ended (wt_timer), which serval rightly treats
# as a new request or relays statelessly, and SIPp may then give up waiting
# for what it expects
uas_stop() {
  wait_until 5000 eval '! kill -0 '"$UAS_PID"' 2>/dev/null' || kill "$UAS_PID"
  wait "$UAS_PID" 2>/dev/null
  rm -f "$UAS_ERR"
}

# uac NAME SERVICE CALLS [SIPP ARGS]: a SIPp caller; its exit status
uac() {
  local name=$1 service=$2 calls=$3; shift 3
  sipp -sf "$HERE/uac_$name.xml" -s "$service" -i 127.0.0.1 \
       -p "$(free_udp_port)" -m "$calls" -r 50 -timeout 40 -timeout_error \
       -nostdin -trace_err -error_file "$T/uac_$name.err" "$@" \
       127.0.0.1:"$SP" > "$T/uac_$name.out" 2>&1
  local rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/# uac: /' "$T/uac_$name.err" 2>/dev/null | tail -10
  return "$rc"
}

# snapshot / delta NAME: a statistic's change since the last snapshot
STATS="tm:received_replies tm:relayed_replies tm:local_replies tm:UAS_transactions
tm:2xx_transactions tm:4xx_transactions tm:5xx_transactions tm:6xx_transactions
core:fwd_requests sl:sent_replies"
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

# start CFG [SERVAL ARGS]: serval on $SP with script CFG; BASE = its shm use
# (the log of the previous run is kept as serval.N.log)
RUNS=0
start() {
  local cfg=$1; shift
  [ -f "$T/serval.log" ] && cp "$T/serval.log" "$T/serval.$RUNS.log"
  RUNS=$((RUNS + 1))
  serval_start -n 2 -l "udp:127.0.0.1:$SP" -f "$cfg" "$@"
  serval_wait_ready || return 1
  BASE=$(stat shmem:used_size)
}

make_cfg "$T/serval.cfg"
if ! start "$T/serval.cfg"; then
  not_ok "serval with tm, sl and mi_fifo starts"
  exit 1
fi
ok "serval with tm, sl and mi_fifo starts"

# --- whole calls ---------------------------------------------------------
snapshot
uas call "$CALL" 20
check "20 calls INVITE/100/180/200/ACK/BYE/200 through serval" uac call call 20
check "the callee saw 20 whole calls" uas_done
check_delta "UAS_transactions: one per INVITE and per BYE" tm:UAS_transactions 40
check_delta "2xx_transactions: 40" tm:2xx_transactions 40
check_delta "local_replies: one 100 Trying per INVITE" tm:local_replies 20
check "relayed_replies: at least 180, 200 and 200 per call" \
  test "$(delta tm:relayed_replies)" -ge 60
check_delta "the ACKs of the 2xx are relayed statelessly" core:fwd_requests 20
settled "calls"

# --- rejected call -------------------------------------------------------
snapshot
uas reject "$REJECT" 10
check "10 INVITEs answered 486 and acknowledged" uac reject reject 10
check "the callee got serval's ACK for each 486" uas_done
check_delta "one 486 relayed per call" tm:relayed_replies 10
check_delta "4xx_transactions: 10" tm:4xx_transactions 10
check_delta "the callers' ACKs were absorbed, not relayed" core:fwd_requests 0
settled "rejected calls"

# --- CANCEL after 180 ----------------------------------------------------
snapshot
uas cancel "$RING" 10
check "10 INVITEs cancelled after 180: 200 to the CANCEL, 487" uac cancel ring 10
check "the callee got a CANCEL, answered 487, got the ACK" uas_done
check_delta "UAS_transactions: INVITE and CANCEL" tm:UAS_transactions 20
check_delta "2xx_transactions: the CANCELs" tm:2xx_transactions 10
check_delta "4xx_transactions: the INVITEs (487)" tm:4xx_transactions 10
check_delta "nothing relayed statelessly" core:fwd_requests 0
settled "cancelled calls"

# --- a next hop that never answers ---------------------------------------
"$TOP/test/lib/udpsink.py" "$SINK" "$T/sink_invite" 3 &
SINK_PID=$!; BG_PIDS+=("$SINK_PID")
wait_until 5000 udp_bound "$SINK"
check "INVITE nobody answers: 408 after fr_timer (2 s)" uac timeout nobody 1
wait "$SINK_PID"
check_eq "the INVITE was sent, then resent at 100, 300, 700, 1500 ms" 5 \
  "$(grep -c ' INVITE ' "$T/sink_invite")"
"$TOP/test/lib/udpsink.py" "$SINK" "$T/sink_options" 3 &
SINK_PID=$!; BG_PIDS+=("$SINK_PID")
wait_until 5000 udp_bound "$SINK"
check "OPTIONS nobody answers: 408 after fr_timer" uac options_timeout nobody 1
wait "$SINK_PID"
n=$(grep -c ' OPTIONS ' "$T/sink_options")
check "OPTIONS resent T1 doubling to T2 (100, 300, 700, 1100, 1500, 1900 ms): $n sent" \
  test "$n" -ge 6 -a "$n" -le 7
settled "timeouts"

# --- a callee that rings for ever ----------------------------------------
uas cancel "$RING" 1
check "ringing for ever, noisy_ctimer=0: CANCEL after fr_inv_timer, its 487 relayed" \
  uac ringing ring 1
check "the callee was cancelled by serval" uas_done
settled "fr_inv_timer"

# --- non-INVITE ----------------------------------------------------------
snapshot
uas options "$OPTIONS" 5
check "5 OPTIONS relayed, 200 relayed back" uac options options 5
uas_done
uas message "$MESSAGE" 5
check "5 MESSAGE relayed, 202 relayed back" uac message message 5
uas_done
check_delta "10 transactions completed with 2xx" tm:2xx_transactions 10
check_delta "no 100 Trying for non-INVITE requests" tm:local_replies 0
settled "non-INVITE"

# --- RFC 2543 ACK matching -----------------------------------------------
snapshot
uas reject "$REJECT" 3
check "RFC 2543 caller: its ACK with the same R-URI and Via is absorbed" \
  uac pre3261 old 1 -key ackuser old -key ackvia ";x=1"
check_delta "absorbed" core:fwd_requests 0
# (an ACK that is not absorbed leaves the 486 unacknowledged: SIPp sends
# its ACK again for each retransmission of the 486, so count at least one)
check "ruri_matching=1: an ACK with another R-URI is not the INVITE's" \
  uac pre3261 old 1 -key ackuser oldother -key ackvia ";x=1"
check "it was relayed statelessly" wait_until 3000 eval '[ "$(delta core:fwd_requests)" -ge 1 ]'
snapshot
check "via1_matching=1: an ACK with another top Via is not the INVITE's" \
  uac pre3261 old 1 -key ackuser old -key ackvia ";x=2"
check "it was relayed statelessly" wait_until 3000 eval '[ "$(delta core:fwd_requests)" -ge 1 ]'
uas_done
settled "RFC 2543 matching"

# --- serval as the callee, sl through tm ----------------------------------
snapshot
check "t_newtran + t_reply(200): call, end-to-end ACK, BYE answered locally" \
  uac call local 5
check_delta "local_replies: the 200s of INVITE and BYE" tm:local_replies 10
check_delta "the end-to-end ACKs ended the INVITE transactions (none relayed)" \
  core:fwd_requests 0
snapshot
check "send_reply() inside a transaction: 486 from tm, its ACK absorbed" \
  uac reject slbusy 3
check_delta "tm sent them" tm:local_replies 3
check_delta "sl sent nothing itself" sl:sent_replies 0
check_delta "the ACKs were absorbed by tm" core:fwd_requests 0
settled "local transactions"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"

# --- the other settings --------------------------------------------------
make_cfg "$T/other.cfg" 'modparam("tm", "ruri_matching", 0)\nmodparam("tm", "via1_matching", 0)\nmodparam("tm", "noisy_ctimer", 1)'
check "serval with ruri_matching=0, via1_matching=0, noisy_ctimer=1" start "$T/other.cfg"
snapshot
uas reject "$REJECT" 2
check "ruri_matching=0: an ACK with another R-URI is still absorbed" \
  uac pre3261 old 1 -key ackuser oldother -key ackvia ";x=1"
check "via1_matching=0: an ACK with another top Via is still absorbed" \
  uac pre3261 old 1 -key ackuser old -key ackvia ";x=2"
uas_done
check_delta "neither was relayed" core:fwd_requests 0
uas cancel "$RING" 1
check "ringing for ever, noisy_ctimer=1: 408 after fr_inv_timer" uac timeout ring 1
check "and the callee was cancelled" uas_done
settled "other settings"
serval_stop

# --- enable_stats=0 ------------------------------------------------------
make_cfg "$T/nostats.cfg" 'modparam("tm", "enable_stats", 0)'
check "serval with enable_stats=0" start "$T/nostats.cfg"
check_eq "enable_stats=0: no tm statistic is registered" 0 \
  "$(mi get_statistics tm: 2>/dev/null | grep -c '^tm:')"
uas call "$CALL" 1
check "enable_stats=0: calls are relayed all the same" uac call call 1
uas_done
serval_stop

# --- loss ----------------------------------------------------------------
# with wt_timer at its default (5 s): a caller losing replies may resend a
# request seconds after its transaction completed
make_cfg "$T/loss.cfg" 'modparam("tm", "wt_timer", 5)'
check "serval with wt_timer=5" start "$T/loss.cfg"
# loss at the caller: its retransmitted INVITEs and BYEs are absorbed (the
# last reply resent), the callee's retransmitted 200s relayed
uas call "$CALL" 30
check "30 calls with 10 % loss at the caller all complete" \
  uac call call 30 -lost 10 -r 20
uas_stop
# loss at the callee: serval resends the INVITE (Timer A) and absorbs the
# retransmitted 486s, acknowledging each
snapshot
uas reject "$REJECT" 30 -lost 10 -max_retrans 12 -max_invite_retrans 12
check "30 rejected calls with 10 % loss at the callee all complete" \
  uac reject reject 30
uas_stop
check_delta "exactly one 486 relayed per call" tm:relayed_replies 30
check "retransmitted 486s reached serval and were absorbed" \
  test "$(delta tm:received_replies)" -gt 30
# and resends a non-INVITE request (Timer E)
uas options "$OPTIONS" 10 -lost 15
check "10 OPTIONS with 15 % loss at the callee all answered" \
  uac options options 10
check "the callee answered them all" uas_done
settled "calls under loss" 9000
serval_stop

# --- shared memory running out -------------------------------------------
make_cfg "$T/small.cfg" 'modparam("tm", "fr_timer", 3)'
check "serval with 4 MB of shared memory" start "$T/small.cfg" -m 4
snapshot
uac timeout nobody 1500 -r 1000 -rp 1000 > /dev/null 2>&1
check "when shared memory is exhausted, t_relay fails and sl_reply_error sends 500" \
  test "$(delta sl:sent_replies)" -gt 0
settled "exhaustion"
snapshot
uas call "$CALL" 5
check "serval recovers: 5 whole calls" uac call call 5
uas_done
settled "recovery"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
check "no sanitizer report and no critical log line in any run" \
  test -z "$(grep -lE 'Sanitizer|runtime error|CRITICAL' "$T"/serval*.log)"

done_testing
