#!/usr/bin/env bash
# Summary: the default script etc/serval.cfg (what `make run` starts) and
# the examples in etc/examples/: every one passes serval -c; the default
# answers OPTIONS to itself 200, other requests to itself 404 (their ACK
# absorbed), refuses Max-Forwards 0 with 483 and relays a call to another
# host statelessly, replies included (SIPp UAC -> serval -> SIPp UAS).
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SL=$TOP/test/integration/sl
SC=$TOP/test/integration/script

for f in "$TOP"/etc/serval.cfg "$TOP"/etc/examples/*.cfg; do
  "$SERVAL" -c -L "$MPATH" -f "$f" > "$T/check.log" 2>&1
  check_eq "serval -c accepts ${f#$TOP/}" 0 "$?"
done

P=$(free_udp_port)
UP=$(free_udp_port)
# the default script with a private FIFO (the port comes from -l)
sed -e "s|/tmp/serval_fifo|$FIFO|" \
    -e "s|^modparam(\"mi_fifo\", \"fifo_name\".*|&\nmodparam(\"mi_fifo\", \"reply_dir\", \"$T/\")|" \
    "$TOP/etc/serval.cfg" > "$T/serval.cfg"
serval_start -l "udp:127.0.0.1:$P" -f "$T/serval.cfg"
check "the default script starts and answers MI" serval_wait_ready

sipp_uac() { # SCENARIO CALLS [EXTRA SIPP ARGS...]
  local sf=$1 n=$2; shift 2
  sipp -sf "$sf" -m "$n" -r 100 -i 127.0.0.1 -p "$(free_udp_port)" \
       127.0.0.1:"$P" -timeout 20 -timeout_error -nostdin -trace_err \
       -error_file "$T/$(basename "$sf").err" "$@" > /dev/null 2>&1
}

check "OPTIONS to serval itself: 200 OK" sipp_uac "$SL/options.xml" 5
check "INVITE to serval itself: 404, ACK sent" sipp_uac "$SL/invite_404_ack.xml" 5
wait_until 3000 eval '[ "$(stat sl:received_ACKs)" = 5 ]'
check_eq "the 5 ACKs were absorbed by sl" 5 "$(stat sl:received_ACKs)"
check "Max-Forwards 0: 483 Too Many Hops" sipp_uac "$HERE/mf0.xml" 3
check_eq "sl:483_replies = 3" 3 "$(stat sl:483_replies)"

# a call to another host: relayed statelessly, replies too
sipp -sf "$SC/uas.xml" -i 127.0.0.1 -p "$UP" -m 5 -timeout 30 \
  -timeout_error -trace_err -error_file "$T/uas_err.log" > "$T/uas.out" 2>&1 &
UAS=$!; BG_PIDS+=("$UAS")
wait_until 5000 eval 'ss -Hlun "sport = :$UP" | grep -q .'
sipp -sf "$SC/uac.xml" -i 127.0.0.1 -p "$(free_udp_port)" "127.0.0.1:$UP" \
  -rsa "127.0.0.1:$P" -m 5 -timeout 30 -timeout_error -trace_err \
  -error_file "$T/uac_err.log" > "$T/uac.out" 2>&1
check_eq "5 calls to another host relayed (SIPp UAC)" 0 "$?"
wait "$UAS"
check_eq "the UAS saw the calls (SIPp UAS)" 0 "$?"
check "core:fwd_replies counts the relayed replies" \
  test "$(stat core:fwd_replies)" -ge 10

serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
done_testing
