#!/usr/bin/env bash
# Summary: t_write_req and t_write_unix (the seed's 1.4.10, example 1-28,
# with the tw_append lists of 1-28 and 1-14) in a running serval: a SIPp
# INVITE whose script does t_newtran(); t_write_req("voicemail/append1",
# FIFO) while `cat` reads that FIFO, a MESSAGE written with
# t_write_unix("logger/append2", SOCK) to a python3 unix datagram reader,
# 1-14's list (pseudo-variables, $rb), and a FIFO nobody reads (-1 at once,
# the script answers).  The twenty lines are checked (version, action,
# method, R-URI, hash:label equal to the transaction that answered the
# caller, append lines, body); each caller gets its final reply (408 from
# the blind branch after fr_timer 2 s), and tm:inuse_transactions and
# shmem:used_size come back to their baseline.
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

command -v sipp > /dev/null || { not_ok "SIPp (sip-tester) is installed"; exit 1; }
command -v python3 > /dev/null || { not_ok "python3 is installed"; exit 1; }

SP=$(free_udp_port)
WFIFO=$T/vm_fifo; WSOCK=$T/logger.sock; NOREADER=$T/no_reader
mkfifo "$WFIFO" "$NOREADER"

sed -e "s|@MPATH@|$MPATH/|" -e "s|@FIFO@|$FIFO|" -e "s|@DIR@|$T|" \
    -e "s|@WFIFO@|$WFIFO|" -e "s|@WSOCK@|$WSOCK|" -e "s|@NOREADER@|$NOREADER|" \
    "$HERE/serval.cfg" > "$T/serval.cfg"

# scenario METHOD CODE: uac_write.xml for METHOD expecting CODE
scenario() {
  local f=$T/uac_$1_$2.xml ack=
  [ "$1" = INVITE ] && ack='  <send>\n    <![CDATA[\n\n      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0\n      [last_Via:]\n      Max-Forwards: 70\n      From: "tw" <sip:caller@[local_ip]:[local_port]>;tag=[pid]w[call_number]\n      [last_To:]\n      Call-ID: [call_id]\n      CSeq: 1 ACK\n      Content-Length: 0\n\n    ]]>\n  </send>'
  sed -e "s|@METHOD@|$1|g" -e "s|@CODE@|$2|" -e "s|^@ACK@|$ack|" "$HERE/uac_write.xml" > "$f"
  echo "$f"
}

# uac METHOD SERVICE CODE: one SIPp call; its exit status.  The
# transaction id the reply's To tag carried is left in ID ("hash:label")
uac() {
  local sf rc h l
  sf=$(scenario "$1" "$3")
  rm -f "$T/uac.log"
  sipp -sf "$sf" -s "$2" -i 127.0.0.1 -p "$(free_udp_port)" \
       -m 1 -timeout 20 -timeout_error -nostdin -trace_err -trace_logs \
       -log_file "$T/uac.log" -error_file "$T/uac.err" 127.0.0.1:"$SP" \
       > "$T/uac.out" 2>&1
  rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/# uac: /' "$T/uac.err" 2>/dev/null | tail -10
  read -r h l < <(sed -n 's/^.*id \([0-9a-f]*\) \([0-9a-f]*\).*$/\1 \2/p' "$T/uac.log" 2>/dev/null | head -1)
  ID=
  [ -n "${h:-}" ] && [ -n "${l:-}" ] && ID=$(printf '%d:%d' "0x$h" "0x$l")
  return "$rc"
}

# line FILE N: line N (0-based) of what was written
line() { sed -n "$(( $2 + 1 ))p" "$1"; }

# settled WHAT: no transaction, shared memory back to its baseline
settled() {
  if wait_until 6000 eval '[ "$(stat tm:inuse_transactions)" = 0 ] && [ "$(stat shmem:used_size)" = "$BASE" ]'
  then ok "$1: no transaction and no shared memory left"
  else not_ok "$1: tm:inuse_transactions = $(stat tm:inuse_transactions), shmem:used_size = $(stat shmem:used_size) (baseline $BASE)"; fi
}

serval_start -n 2 -l "udp:127.0.0.1:$SP" -f "$T/serval.cfg"
if ! serval_wait_ready; then not_ok "serval starts with tw_append lists"; exit 1; fi
ok "serval starts with the tw_append lists of 1-14 and 1-28"
BASE=$(stat shmem:used_size)

# --- t_write_req to a FIFO read by cat
timeout 20 cat "$WFIFO" > "$T/fifo.out" &
CAT=$!; BG_PIDS+=("$CAT")
t0=$(now_ms)
check "1-28 t_write_req: the INVITE's caller gets 408 from the blind branch" \
  uac INVITE fifo 408
el=$(( $(now_ms) - t0 ))
check "  ... after fr_timer (2 s), not before (took ${el} ms)" test "$el" -ge 1900
wait "$CAT"; rc=$?
check_eq "  ... cat read the FIFO to its end" 0 "$rc"
F=$T/fifo.out
check_eq "  ... 24 lines (20, the append block has 3 more, the body 1 more)" 24 "$(wc -l < "$F")"
check_eq "  ... line 0: version" "0.3" "$(line "$F" 0)"
check_eq "  ... line 1: action" "sip_request.voicemail" "$(line "$F" 1)"
check_eq "  ... line 2: method" "INVITE" "$(line "$F" 2)"
check_eq "  ... line 3: R-URI user" "fifo" "$(line "$F" 3)"
check_eq "  ... line 4: R-URI host" "127.0.0.1" "$(line "$F" 4)"
check_eq "  ... line 5: receiving address" "127.0.0.1" "$(line "$F" 5)"
check_eq "  ... line 6: receiving port" "$SP" "$(line "$F" 6)"
check "  ... line 8: the caller's Contact" \
  grep -q '^sip:caller@127.0.0.1:[0-9]*$' <(line "$F" 8)
check_eq "  ... line 13: no To tag" "" "$(line "$F" 13)"
check_eq "  ... line 14: CSeq number" "1" "$(line "$F" 14)"
check "  ... line 15: hash:label of the transaction that answered ($ID)" \
  test -n "$ID" -a "$(line "$F" 15)" = "$ID"
check_eq "  ... line 16, 17: no route set, no next hop" ". ." "$(line "$F" 16) $(line "$F" 17)"
check_eq "  ... append block: flags, Email (avp[i:12]), UA (hdr[User-Agent]), ." \
  "P-MsgFlags: 0|Email: vm@example.org|UA: tw-sipp|." \
  "$(sed -n '19,22p' "$F" | paste -sd'|')"
check "  ... the INVITE's body last" grep -q '^hello t_write' <(line "$F" 22)
settled "t_write_req"

# --- t_write_unix to a datagram socket read by python3
"$HERE/unixread.py" "$WSOCK" "$T/unix.out" 20 &
PY=$!; BG_PIDS+=("$PY")
wait_until 5000 test -S "$WSOCK" || diag "the unix reader did not start"
check "1-28 t_write_unix: the MESSAGE's caller gets 408 from the blind branch" \
  uac MESSAGE unix 408
wait "$PY"; rc=$?
check_eq "  ... the reader got one datagram" 0 "$rc"
U=$T/unix.out
check_eq "  ... action, method" "sip_request.logger MESSAGE" "$(line "$U" 1) $(line "$U" 2)"
check "  ... hash:label of the transaction that answered ($ID)" \
  test -n "$ID" -a "$(line "$U" 15)" = "$ID"
check_eq "  ... append block without elements, then the body (msg[body])" \
  "P-MsgFlags: 0|.|hello t_write" "$(sed -n '19,21p' "$U" | tr -d '\r' | paste -sd'|')"
settled "t_write_unix"

# --- 1-14's list: pseudo-variables, $rb
"$HERE/unixread.py" "$WSOCK" "$T/test.out" 20 &
PY=$!; BG_PIDS+=("$PY")
wait_until 5000 test -S "$WSOCK" || diag "the unix reader did not start"
check "1-14 list: the caller gets 408" uac MESSAGE test 408
wait "$PY"
X=$T/test.out
check_eq "  ... ua, avp, then time (\$Ts) lines" "ua: tw-sipp|avp: 10" \
  "$(sed -n '20,21p' "$X" | paste -sd'|')"
check "  ... time is \$Ts" grep -q '^time: [0-9]\{10\}$' <(line "$X" 21)
check_eq "  ... end of block, body (\$rb)" ".|hello t_write" \
  "$(sed -n '23,24p' "$X" | tr -d '\r' | paste -sd'|')"
settled "1-14's list"

# --- nobody reads the FIFO: -1 at once, the script replies itself
t0=$(now_ms)
check "t_write_req to a FIFO nobody reads fails: the script's 500 goes up" \
  uac INVITE noreader 500
el=$(( $(now_ms) - t0 ))
check "  ... at once (${el} ms)" test "$el" -lt 1500
settled "no reader"

serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
check "no sanitizer report and no critical log line" \
  test -z "$(grep -lE 'Sanitizer|runtime error|CRITICAL' "$T"/serval*.log)"

done_testing
