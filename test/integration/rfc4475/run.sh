#!/usr/bin/env bash
# Summary: every RFC 4475 torture message (test/corpus/rfc4475 and
# rfc4475-more) sent to a running serval, each as one UDP datagram, inside
# a private network namespace that has only loopback (the messages name
# hosts and addresses that are not ours: nothing may leave the machine).
# Invalid requests get the reply RFC 4475 expects (400, 505, 501, 416,
# 420, 483) from the receive path itself; valid ones reach the script,
# whose forward() fails in the namespace and answers with sl_reply_error()
# (476/477); responses are dropped.  The server survives all of it and its
# statistics account for every message.
if [ -z "${SERVAL_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare > /dev/null; then
    echo "not ok 1 - a private network namespace needs root and unshare"
    exit 1
  fi
  exec unshare --net env SERVAL_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up || { echo "not ok 1 - loopback up in the namespace"; exit 1; }
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
RAW=$TOP/test/integration/script/sipraw.py
P=5099

{ mi_fifo_cfg; cat <<CFG
loadmodule "sl.so"
route {
	if (method == "ACK") {
		drop;
	}
	if (!forward()) {
		sl_reply_error();
	}
}
CFG
} > "$T/serval.cfg"
serval_start -n 2 -l "udp:127.0.0.1:$P" -f "$T/serval.cfg"
check "serval starts in the namespace" serval_wait_ready

# reply_code FILE PORT: sends FILE from 127.0.0.1:PORT, prints the status
# code of the reply ("none" when nothing came back within 1.5 s)
reply_code() {
  local out
  out=$(python3 "$RAW" send "127.0.0.1:$P" "$1" --raw --bind "$2" \
        --expect 1 --timeout 1.5 | tr -d "\\0")
  sed -n 's/^SIP\/2\.0 \([0-9][0-9][0-9]\).*/\1/p' <<< "$out" | head -1 |
    grep . || echo none
}

n=0
while IFS=$'\t' read -r file want port; do
  case $file in ''|'#'*) continue ;; esac
  f=$TOP/test/corpus/rfc4475/$file
  [ -f "$f" ] || f=$TOP/test/corpus/rfc4475-more/$file
  got=$(reply_code "$f" "$port")
  n=$((n + 1))
  case $want in
    fwd) [ "$got" = 476 ] || [ "$got" = 477 ] ;;
    *) [ "$got" = "$want" ] ;;
  esac
  check_eq "${file%.dat}: expected $want" ok "$([ $? -eq 0 ] && echo ok || echo "got $got")"
done < "$HERE/expect.tsv"

check "serval is still running after the $n messages" kill -0 "$SERVAL_PID"
check_eq "all its processes are still there" 6 "$(serval_nprocs)"
rcv=$(( $(stat core:rcv_requests) + $(stat core:rcv_replies) ))
check_eq "every message was counted as received" "$n" "$rcv"
check_eq "the five responses were dropped" 5 "$(stat core:drop_replies)"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"
done_testing
