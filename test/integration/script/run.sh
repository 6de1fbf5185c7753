#!/usr/bin/env bash
# Summary: routing scripts run - stateless relay of an INVITE transaction
# and its replies between two SIPp (Via, received/rport, Max-Forwards),
# error_route for malformed requests (answering with sl_send_reply and
# sl_reply_error when sl is built, else reporting with send()), the
# automatic 400/505 replies of a script without error_route (never to an
# ACK), and fork=no.  Core actions only, but sl in error_route and mi_fifo
# for the statistics.
. "$(dirname "$0")/../../lib/harness.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
RAW=$HERE/sipraw.py
CALLS=5

# write_msg FILE LINE...: a SIP message (LF line ends; sipraw makes CRLF)
write_msg() { local f=$1; shift; printf '%s\n' "$@" "" > "$f"; }

# udp_bound PORT: someone listens on 127.0.0.1:PORT
udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# start_collector PORT OUT N: background listener for N datagrams, bound
# before this returns
start_collector() {
  "$RAW" listen "$1" "$2" --expect "$3" --timeout 10 &
  COLLECTOR=$!
  BG_PIDS+=("$COLLECTOR")
  wait_until 5000 udp_bound "$1" || diag "collector on $1 did not start"
}

# ---------------------------------------------------------------- relay --
SP=$(free_udp_port)      # serval
UP=$(free_udp_port)      # SIPp UAS
CP=$(free_udp_port)      # SIPp UAC
LP=$(free_udp_port)      # raw listener (forward target)
EP=$(free_udp_port)      # error_route's send() target (without sl)

# error_route answers with sl when the sl module is built; a tree without
# it (sl is developed on its own branch) reports through send() instead.
if [ -f "$MPATH/sl/sl.so" ]; then
  HAVE_SL=1
  ERROR_ROUTE='error_route {
	if ($hdr(X-Reply) == "pv") {
		sl_send_reply("$err.rcode", "error_route: $err.rreason");
		exit;
	}
	sl_reply_error();
}'
else
  HAVE_SL=0
  ERROR_ROUTE='error_route {
	if ($err.class == 1 && $err.rcode == 400 && $err.level == 3)
		send("127.0.0.1:'"$EP"'");
}'
fi
cat > "$T/relay.cfg" <<EOF
listen=udp:127.0.0.1:$SP
mpath="$MPATH/"
$([ "$HAVE_SL" = 1 ] && echo 'loadmodule "sl.so"')
$(mi_fifo_cfg)
route {
	if (method == "OPTIONS") {
		if (!forward("127.0.0.1:$LP"))
			send("127.0.0.1:$LP"); # tell the test forward() failed
		exit;
	}
	if (method == "INVITE" || method == "ACK" || method == "BYE") {
		forward("127.0.0.1", $UP);
		exit;
	}
	drop;
}
$ERROR_ROUTE
EOF
serval_start -n 2 -f "$T/relay.cfg"
check "relay: serval starts" serval_wait_ready

sipp -sf "$HERE/uas.xml" -i 127.0.0.1 -p "$UP" -m "$CALLS" -timeout 30 \
  -timeout_error -trace_err -error_file "$T/uas_err.log" \
  > "$T/uas.out" 2>&1 &
UAS=$!; BG_PIDS+=("$UAS")
wait_until 5000 udp_bound "$UP" || diag "UAS not listening"
sipp -sf "$HERE/uac.xml" -i 127.0.0.1 -p "$CP" "127.0.0.1:$SP" -m "$CALLS" \
  -timeout 30 -timeout_error -trace_err -error_file "$T/uac_err.log" \
  > "$T/uac.out" 2>&1
check_eq "relay: $CALLS INVITE/ACK/BYE calls succeed at the UAC" 0 "$?"
wait "$UAS"
check_eq "relay: the UAS saw Via, received/rport and Max-Forwards right" 0 "$?"
[ "$TAP_FAILED" -gt 0 ] && sed 's/^/# /' "$T"/ua?_err.log 2>/dev/null | head -20

fwd=$(stat core:fwd_requests); rcv=$(stat core:rcv_requests)
check "relay: every request was forwarded ($fwd of $rcv, >= $((3 * CALLS)))" \
  test "${fwd:-0}" -eq "${rcv:-1}" -a "${fwd:-0}" -ge $((3 * CALLS))
fwd=$(stat core:fwd_replies); rcv=$(stat core:rcv_replies)
check "relay: every reply was relayed ($fwd of $rcv, >= $((3 * CALLS)))" \
  test "${fwd:-0}" -eq "${rcv:-1}" -a "${fwd:-0}" -ge $((3 * CALLS))

# Max-Forwards added when absent
write_msg "$T/opt.sip" \
  "OPTIONS sip:x@127.0.0.1:$LP SIP/2.0" \
  "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKmf1" \
  "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
  "Call-ID: mf1" "CSeq: 1 OPTIONS" "Content-Length: 0"
start_collector "$LP" "$T/opt.out" 1
"$RAW" send "127.0.0.1:$SP" "$T/opt.sip" --expect 0
wait "$COLLECTOR"
check "relay: Max-Forwards: 70 added to a request without one" \
  grep -qx "Max-Forwards: 70" "$T/opt.out"
check "relay: our Via on top of the forwarded OPTIONS" \
  grep -qE "^Via: SIP/2.0/UDP 127.0.0.1:$SP;branch=z9hG4bKsl" "$T/opt.out"

# Max-Forwards 0: forward() refuses (the script then sends it raw)
write_msg "$T/mf0.sip" \
  "OPTIONS sip:x@127.0.0.1:$LP SIP/2.0" \
  "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKmf0" \
  "Max-Forwards: 0" \
  "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
  "Call-ID: mf0" "CSeq: 1 OPTIONS" "Content-Length: 0"
start_collector "$LP" "$T/mf0.out" 1
"$RAW" send "127.0.0.1:$SP" "$T/mf0.sip" --expect 0
wait "$COLLECTOR"
check "relay: Max-Forwards 0 is not forwarded (forward() false)" \
  grep -qx "Max-Forwards: 0" "$T/mf0.out"
check "relay: ... and what arrived is the raw request, without our Via" \
  test "$(grep -c '^Via:' "$T/mf0.out")" = 1

# error_route with sl: sl_send_reply with $err.*, and sl_reply_error()
error_route_sl() {
  write_msg "$T/bad.sip" \
    "OPTIONS sip:x@127.0.0.1 SIP/2.0" \
    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbad;rport" \
    "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
    "Call-ID: bad1" "CSeq: 1 INVITE" "X-Reply: pv" "Content-Length: 0"
  "$RAW" send "127.0.0.1:$SP" "$T/bad.sip" --expect 1 > "$T/bad.out"
  check "error_route: sl_send_reply(\"\$err.rcode\", ... \$err.rreason)" \
    grep -qx "SIP/2.0 400 error_route: Bad Request" "$T/bad.out"
  write_msg "$T/bad2.sip" \
    "OPTIONS sip:x@127.0.0.1 SIP/3.0" \
    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbad2;rport" \
    "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
    "Call-ID: bad2" "CSeq: 1 OPTIONS" "Content-Length: 0"
  "$RAW" send "127.0.0.1:$SP" "$T/bad2.sip" --expect 1 > "$T/bad2.out"
  check "error_route: sl_reply_error() answers SIP/3.0 with 505" \
    grep -q "^SIP/2.0 505 " "$T/bad2.out"
  NBAD=2
}

# error_route without sl: a request without Call-ID reaches it
error_route_send() {
  write_msg "$T/bad.sip" \
    "OPTIONS sip:x@127.0.0.1 SIP/2.0" \
    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbad" \
    "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
    "CSeq: 1 OPTIONS" "Content-Length: 0"
  start_collector "$EP" "$T/bad.out" 1
  "$RAW" send "127.0.0.1:$SP" "$T/bad.sip" --expect 0
  wait "$COLLECTOR"
  check "error_route: ran for a request without Call-ID, with \$err.*" \
    grep -q "^OPTIONS sip:x@127.0.0.1 SIP/2.0" "$T/bad.out"
  NBAD=1
}

errs=$(stat core:err_requests)
if [ "$HAVE_SL" = 1 ]; then error_route_sl; else
  diag "sl.so is not built: error_route reports with send()"
  error_route_send
fi
check_eq "error_route: counted in core:err_requests" $((errs + NBAD)) \
  "$(stat core:err_requests)"
serval_stop
check_eq "relay: serval stops cleanly" 0 "$STOP_RC"

# ----------------------------------------------------- automatic replies --
SP=$(free_udp_port)
cat > "$T/plain.cfg" <<EOF
listen=udp:127.0.0.1:$SP
mpath="$MPATH/"
$(mi_fifo_cfg)
route {
	drop;
}
EOF
serval_start -n 1 -f "$T/plain.cfg"
check "auto replies: serval starts" serval_wait_ready

# request(METHOD, CSEQ-METHOD, VERSION, CALLID)
request() {
  write_msg "$T/r.sip" \
    "$1 sip:x@127.0.0.1 $3" \
    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK$4;rport" \
    "From: <sip:a@127.0.0.1>;tag=1" "To: <sip:x@127.0.0.1>" \
    "Call-ID: $4" "CSeq: 1 $2" "Content-Length: 0"
}
request OPTIONS INVITE SIP/2.0 cseq1
"$RAW" send "127.0.0.1:$SP" "$T/r.sip" --expect 1 > "$T/r1.out"
check "auto reply: CSeq method mismatch gets 400" \
  grep -q "^SIP/2.0 400 " "$T/r1.out"
check "auto reply: the 400 has a To tag" \
  grep -qE "^To: <sip:x@127.0.0.1>;tag=[0-9a-f]{32}$" "$T/r1.out"
check "auto reply: the 400 went back to the source port (rport)" \
  grep -qE "^Via: .*;rport=[0-9]+" "$T/r1.out"
request OPTIONS OPTIONS SIP/3.0 ver1
"$RAW" send "127.0.0.1:$SP" "$T/r.sip" --expect 1 > "$T/r2.out"
check "auto reply: SIP/3.0 gets 505" grep -q "^SIP/2.0 505 " "$T/r2.out"
# a malformed ACK is never answered: the next reply is the OPTIONS's
request ACK INVITE SIP/2.0 ack1
cp "$T/r.sip" "$T/ack.sip"
request OPTIONS INVITE SIP/2.0 after1
AP=$(free_udp_port)
"$RAW" send "127.0.0.1:$SP" "$T/ack.sip" --bind "$AP" --expect 0
"$RAW" send "127.0.0.1:$SP" "$T/r.sip" --bind "$AP" --expect 1 > "$T/r3.out"
check "auto reply: a malformed ACK gets no reply" \
  grep -qx "Call-ID: after1" "$T/r3.out"
check_eq "auto reply: 4 malformed requests counted" 4 "$(stat core:err_requests)"
check_eq "auto reply: 3 of them bad headers (bad_msg_hdr)" 3 "$(stat core:bad_msg_hdr)"
serval_stop

# --------------------------------------------------------------- fork=no --
SP=$(free_udp_port); SP2=$(free_udp_port)
cat > "$T/nofork.cfg" <<EOF
fork=no
children=4
listen=udp:127.0.0.1:$SP
listen=udp:127.0.0.1:$SP2
mpath="$MPATH/"
$(mi_fifo_cfg)
route {
	drop;
}
EOF
serval_start -f "$T/nofork.cfg"
check "fork=no: serval starts" serval_wait_ready
# attendant, one UDP receiver, timer, timer slow, MI FIFO
check "fork=no: 5 processes" serval_wait_procs 5
check_eq "fork=no: one UDP receiver, on the first socket" \
  "udp receiver #1 udp:127.0.0.1:$SP" \
  "$(mi ps | grep -o 'udp receiver[^"]*' | sed 's/ *$//')"
request OPTIONS INVITE SIP/2.0 nofork1
"$RAW" send "127.0.0.1:$SP" "$T/r.sip" --expect 1 > "$T/nf.out"
check "fork=no: the receiver answers" grep -q "^SIP/2.0 400 " "$T/nf.out"
serval_stop
check_eq "fork=no: stops cleanly" 0 "$STOP_RC"

done_testing
