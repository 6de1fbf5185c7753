#!/usr/bin/env bash
# Summary: the everyday script modules (maxfwd, textops, rr, uri, xlog) in a
# stateless relay between a SIPp UAC and a SIPp UAS: an INVITE dialog set
# up and torn down through serval.  The UAS checks what arrives (SIPp
# fails the call when a check fails): Record-Route with serval's address,
# Max-Forwards decremented (or added when absent), a header appended with
# its pseudo-variables expanded, a header removed, the Route set consumed
# by loose_route() on the ACK and the BYE.  A request with Max-Forwards 0
# is not relayed.  Verdicts: SIPp exit status and serval's statistics.
. "$(dirname "$0")/../../lib/harness.sh"

P=$(free_udp_port)
U=$(free_udp_port); while [ "$U" = "$P" ]; do U=$(free_udp_port); done
C=$(free_udp_port); while [ "$C" = "$P" ] || [ "$C" = "$U" ]; do C=$(free_udp_port); done

{
  cat <<CFG
log_stderror=yes
debug=3
listen=udp:127.0.0.1:$P
CFG
  mi_fifo_cfg
  cat <<'CFG'
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "rr.so"
loadmodule "uri.so"
loadmodule "xlog.so"

route {
	if (!mf_process_maxfwd_header("10")) {
		xlog("L_NOTICE", "$rm with Max-Forwards 0 from $si: dropped\n");
		drop;
	}
	if (has_totag()) {
		if (loose_route()) {
			append_hf("P-hint: rr-enforced\r\n");
			forward();
			exit;
		}
		drop;
	}
	xlog("L_INFO", "new $rm from $fu to $ru\n");
	remove_hf("X-Secret");
	if (is_method("INVITE|SUBSCRIBE"))
		record_route();
	append_hf("X-Relayed: $rm from $fU via $Ri\r\n");
	forward();
}
CFG
} > "$T/serval.cfg"

# --- the UAS: answers the INVITE, checks every request it gets ---------
cat > "$T/uas.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="modules uas">
  <recv request="INVITE">
    <action>
      <ereg regexp="^ *&lt;sip:127\\.0\\.0\\.1:$P;ftag=[^;>]+;lr&gt; *\$"
            search_in="hdr" header="Record-Route:" check_it="true"
            assign_to="chk"/>
      <ereg regexp="^ *69 *\$" search_in="hdr" header="Max-Forwards:"
            check_it="true"
            assign_to="chk"/>
      <ereg regexp="^ *INVITE from alice via 127\\.0\\.0\\.1 *\$"
            search_in="hdr" header="X-Relayed:" check_it="true"
            assign_to="chk"/>
      <ereg regexp="hidden" search_in="hdr" header="X-Secret:"
            check_it_inverse="true"
            assign_to="chk"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:bob@[local_ip]:[local_port]>
      Content-Length: 0

    ]]>
  </send>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:bob@[local_ip]:[local_port]>
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK">
    <action>
      <ereg regexp="sip" search_in="hdr" header="Route:"
            check_it_inverse="true"
            assign_to="chk"/>
      <ereg regexp="rr-enforced" search_in="hdr" header="P-hint:"
            check_it="true"
            assign_to="chk"/>
      <ereg regexp="^ *69 *\$" search_in="hdr" header="Max-Forwards:"
            check_it="true"
            assign_to="chk"/>
    </action>
  </recv>
  <recv request="BYE">
    <action>
      <ereg regexp="sip" search_in="hdr" header="Route:"
            check_it_inverse="true"
            assign_to="chk"/>
      <ereg regexp="rr-enforced" search_in="hdr" header="P-hint:"
            check_it="true"
            assign_to="chk"/>
      <ereg regexp="^ *10 *\$" search_in="hdr" header="Max-Forwards:"
            check_it="true"
            assign_to="chk"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML

# --- the UAC: INVITE through serval, ACK and BYE along the route set ---
cat > "$T/uac.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="modules uac">
  <send retrans="500">
    <![CDATA[

      INVITE sip:bob@127.0.0.1:$U SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:alice@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:bob@127.0.0.1:$U>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:alice@[local_ip]:[local_port]>
      Max-Forwards: 70
      X-Secret: hidden
      Content-Length: 0

    ]]>
  </send>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:alice@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:bob@127.0.0.1:$U>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:alice@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:bob@127.0.0.1:$U>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      [routes]
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML

# --- a request that has run out of hops: serval must not relay it ------
cat > "$T/uac_mf0.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="max-forwards 0">
  <send>
    <![CDATA[

      OPTIONS sip:bob@127.0.0.1:$U SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:alice@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:bob@127.0.0.1:$U>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Max-Forwards: 0
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML

sipp_run() { # NAME ARGS...: runs SIPp in $T, output in $T/NAME.out
  local name=$1; shift
  (cd "$T" && exec sipp "$@" -i 127.0.0.1 -m 1 -nostdin -timeout 10s \
     -timeout_error -trace_err -error_file "$T/$name.err" \
     > "$T/$name.out" 2>&1)
}

check "the script loads (serval -c)" eval '"$SERVAL" -c -L "$MPATH" -f "$T/serval.cfg" > "$T/check.log" 2>&1'
serval_start -n 1 -f "$T/serval.cfg"
if ! serval_wait_ready; then
  not_ok "serval is ready"
  done_testing; exit
fi

sipp_run uas -sf "$T/uas.xml" -p "$U" &
UAS_PID=$!
BG_PIDS+=("$UAS_PID")
# the UAS is ready when its port is bound
wait_until 5000 eval 'ss -Hlun "sport = :$U" | grep -q .' ||
  not_ok "the SIPp UAS listens on $U"

sipp_run uac "127.0.0.1:$P" -sf "$T/uac.xml" -p "$C"
check_eq "UAC: the call through serval completes (SIPp exit 0)" 0 "$?"
wait "$UAS_PID"; rc=$?
check_eq "UAS: every request passed its checks (SIPp exit 0)" 0 "$rc"
if [ "$rc" -ne 0 ]; then
  [ -f "$T/uas.err" ] && sed 's/^/# uas: /' "$T/uas.err" | tail -20
  sed 's/^/# uas: /' "$T/uas.out" | tail -20
fi
# every request and reply received was relayed (retransmissions too)
rq=$(stat rcv_requests); fq=$(stat fwd_requests)
rp=$(stat rcv_replies); fp=$(stat fwd_replies)
check "serval relayed INVITE, ACK and BYE ($fq of $rq requests)" \
  test "${fq:-0}" -ge 3 -a "${fq:-0}" = "${rq:-x}"
check "serval relayed 180, 200 and the BYE's 200 ($fp of $rp replies)" \
  test "${fp:-0}" -ge 3 -a "${fp:-0}" = "${rp:-x}"

sipp_run mf0 "127.0.0.1:$P" -sf "$T/uac_mf0.xml" -p "$C"
check_eq "UAC: OPTIONS with Max-Forwards 0 sent" 0 "$?"
check "the OPTIONS is received" \
  wait_until 3000 eval '[ "$(stat rcv_requests)" = $((rq + 1)) ]'
check_eq "the OPTIONS is not relayed" "$fq" "$(stat fwd_requests)"

serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
done_testing
