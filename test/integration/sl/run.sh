#!/usr/bin/env bash
# Summary: the sl module in a running serval, driven by SIPp: OPTIONS
# answered 200 and counted exactly (sl: and core: statistics over MI); an
# INVITE answered 404 whose ACK is absorbed before the script (the script
# would forward it), while an ACK with another branch or arriving after the
# 2 s window reaches the script; error_route answering a malformed request
# with sl_reply_error(); codes and reasons from pseudo-variables
# ($err.rcode, $var, $fU), default_code for a code that is not a number;
# a 302 listing the destination set as Contact;
# reset_statistics; enable_stats=0; a bad literal code refused by serval -c.
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

P=$(free_udp_port)
SINK=$(free_udp_port)

# make_cfg FILE [EXTRA LINE]: the test script with its placeholders filled
make_cfg() {
  sed -e "s|@MPATH@|$MPATH/|" -e "s|@FIFO@|$FIFO|" -e "s|@DIR@|$T|" \
      -e "s|@SINK@|$SINK|" "$HERE/serval.cfg" > "$1"
  [ $# -lt 2 ] || printf '%s\n' "$2" >> "$1"
}

# sipp_run NAME CALLS: runs scenario NAME.xml against serval; its exit
# status is the verdict (0: every call went as the scenario says)
sipp_run() {
  sipp -sf "$HERE/$1.xml" -m "$2" -r 200 -i 127.0.0.1 -p "$(free_udp_port)" \
       127.0.0.1:"$P" -timeout 20 -nostdin -trace_err \
       -error_file "$T/sipp_$1.err" > "$T/sipp_$1.out" 2>&1
  local rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/# sipp: /' "$T/sipp_$1.err" 2>/dev/null | tail -20
  return "$rc"
}

# stat_is NAME VALUE: the statistic has that value (polled: the last
# message SIPp sent may still be in serval's queue)
stat_is() { wait_until 3000 eval "[ \"\$(stat $1)\" = \"$2\" ]"; }
check_stat() { # DESC NAME VALUE
  if stat_is "$2" "$3"; then ok "$1"; else not_ok "$1 ($2 = '$(stat "$2")', expected $3)"; fi
}

command -v sipp > /dev/null || { not_ok "SIPp (sip-tester) is installed"; exit 1; }

make_cfg "$T/serval.cfg"
serval_start -n 2 -l "udp:127.0.0.1:$P" -f "$T/serval.cfg"
check "serval with sl starts and answers MI" serval_wait_ready

# --- OPTIONS x N: exact counts ------------------------------------------
N=20
check "SIPp: $N OPTIONS answered 200 OK with sl's to-tag" sipp_run options $N
check_stat "sl:200_replies = $N" sl:200_replies $N
check_stat "sl:2xx_replies = $N" sl:2xx_replies $N
check_stat "sl:sent_replies = $N" sl:sent_replies $N
check_stat "core:rcv_requests = $N" core:rcv_requests $N
check_eq "sl:sent_err_replies = 0" 0 "$(stat sl:sent_err_replies)"
check_eq "get_statistics sl: lists the 24 sl statistics" 24 \
  "$(mi get_statistics sl: | grep -c '^sl:')"

# --- INVITE 404 + ACK: absorbed before the script -----------------------
M=10
check "SIPp: $M INVITEs answered 404, each ACKed" sipp_run invite_404_ack $M
check_stat "sl:received_ACKs = $M" sl:received_ACKs $M
check_stat "sl:404_replies = $M" sl:404_replies $M
check_stat "core:rcv_requests counts INVITEs and ACKs" core:rcv_requests $((N + 2 * M))
check_eq "no absorbed ACK reached the script (core:fwd_requests = 0)" 0 \
  "$(stat core:fwd_requests)"
check_eq "the absorbed ACKs are dropped (core:drop_requests = $M)" $M \
  "$(stat core:drop_requests)"

# an ACK with another branch is not sl's: the script sees and forwards it
check "SIPp: INVITE 404, ACK with a new branch" sipp_run ack_new_branch 1
check_stat "that ACK reached the script (core:fwd_requests = 1)" core:fwd_requests 1
check_eq "and was not counted as absorbed" $M "$(stat sl:received_ACKs)"

# an ACK after the 2 s window is not examined: the script sees it
check "SIPp: INVITE 404, ACK 2.6 s later" sipp_run late_ack 1
check_stat "the late ACK reached the script (core:fwd_requests = 2)" core:fwd_requests 2
check_eq "and was not counted as absorbed" $M "$(stat sl:received_ACKs)"

# --- error_route and pseudo-variables -----------------------------------
check "SIPp: malformed request answered by sl_reply_error() (400 Bad Request)" \
  sipp_run malformed 1
check_stat "sl counted that 400 (sl:400_replies = 1)" sl:400_replies 1
check "SIPp: SIP/3.0 answered sl_send_reply(\"\$err.rcode\", \"Invalid user - \$fU\")" \
  sipp_run pv_error 1
check "SIPp: send_reply(\"\$var(code)\", \"Invalid user - \$fU\") sends 403" \
  sipp_run pv_request 1
check_stat "sl:403_replies = 1" sl:403_replies 1
check "SIPp: a code that is not a number gives default_code (503)" \
  sipp_run default_code 1
check_stat "sl:5xx_replies = 2 (505 and 503)" sl:5xx_replies 2
check "SIPp: a 302 carries the destination set as Contact" sipp_run redirect 1
check_stat "sl:302_replies = 1" sl:302_replies 1
check_stat "sl:sent_err_replies = $((M + 2 + 5))" sl:sent_err_replies $((M + 2 + 5))
check_eq "sl:failures = 0" 0 "$(stat sl:failures)"

# --- reset --------------------------------------------------------------
mi reset_statistics sl:200_replies > /dev/null
check_eq "reset_statistics sl:200_replies" 0 "$(stat sl:200_replies)"
check_eq "other statistics are left alone" $N "$(stat sl:2xx_replies)"

serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"

# --- enable_stats = 0 ---------------------------------------------------
make_cfg "$T/nostats.cfg" 'modparam("sl", "enable_stats", 0)'
serval_start -n 1 -l "udp:127.0.0.1:$P" -f "$T/nostats.cfg"
check "enable_stats=0: serval starts" serval_wait_ready
check "enable_stats=0: OPTIONS still answered" sipp_run options 1
check_eq "enable_stats=0: no sl statistic is registered" 0 \
  "$(mi get_statistics sl: 2>/dev/null | grep -c '^sl:')"
serval_stop

# --- a literal code outside 100-699 is refused when the script is checked
sed 's|sl_send_reply("404", "Not Here")|sl_send_reply("99", "x")|' \
  "$T/serval.cfg" > "$T/bad.cfg"
"$SERVAL" -c -E -L "$MPATH" -f "$T/bad.cfg" > "$T/bad.out" 2>&1
check_eq "serval -c refuses sl_send_reply(\"99\", ...)" 1 "$?"
check "the message names the script position and the code" \
  grep -q "bad.cfg:[0-9]*:[0-9]*: error: sl_send_reply: invalid reply code \"99\"" "$T/bad.out"

done_testing
