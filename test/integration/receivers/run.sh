#!/usr/bin/env bash
# Summary: the adaptive pool of UDP receivers (core/udp_pool.h) in a
# running serval: with children=3 one receiver listens at first
# (core:udp_receivers = 1); a request that keeps its receiver busy for
# 100 ms makes a second one listen; light traffic afterwards parks it
# again; every request is answered throughout (SIPp's verdict); with
# adaptive_receivers=no all three listen from the start and stay.
. "$(dirname "$0")/../../lib/harness.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
P=$(free_udp_port)

command -v sipp > /dev/null || { not_ok "SIPp (sip-tester) is installed"; exit 1; }

# the script: OPTIONS answered at once; MESSAGE answered after a busy loop
# (about 100 ms of CPU) so its receiver is busy for a whole window
make_cfg() { # FILE [EXTRA GLOBAL]
  {
    printf '%s\n' "${2:-}" 'max_while_loops=100000000'
    printf 'loadmodule "sl.so"\n'
    mi_fifo_cfg
    cat <<'CFG'
route {
	if (method == "MESSAGE") {
		$var(i) = 0;
		while ($var(i) < 300000)
			$var(i) = $var(i) + 1;
	}
	sl_send_reply("200", "OK");
}
CFG
  } > "$1"
}

# sipp_run NAME CALLS RATE: the verdict is SIPp's exit status
sipp_run() {
  sipp -sf "$HERE/$1.xml" -m "$2" -r "$3" -i 127.0.0.1 -p "$(free_udp_port)" \
       127.0.0.1:"$P" -timeout 20 -nostdin \
       -trace_err -error_file "$T/sipp_$1.err" > "$T/sipp_$1.out" 2>&1
}
listening_is() { wait_until "${2:-3000}" eval "[ \"\$(stat core:udp_receivers)\" = \"$1\" ]"; }

make_cfg "$T/adaptive.cfg"
serval_start -n 3 -l "udp:127.0.0.1:$P" -f "$T/adaptive.cfg"
check "serval starts and answers MI" serval_wait_ready
check_eq "one of three receivers listens at first" 1 "$(stat core:udp_receivers)"
check "SIPp: 50 OPTIONS answered" sipp_run options 50 100
check_eq "light load: still one listens" 1 "$(stat core:udp_receivers)"
check "SIPp: a MESSAGE that keeps its receiver busy is answered" sipp_run message 1 1
check "a busy receiver lets a second one listen" listening_is 2
# light traffic reaches the second receiver sooner or later; it parks
check "SIPp: 200 OPTIONS answered meanwhile" sipp_run options 200 100
check "light load again: the second receiver parks itself" listening_is 1 5000
check_eq "core:udp_receivers cannot be reset" 1 "$(mi reset_statistics core:udp_receivers >/dev/null 2>&1; stat core:udp_receivers)"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"

make_cfg "$T/fixed.cfg" 'adaptive_receivers=no'
serval_start -n 3 -l "udp:127.0.0.1:$P" -f "$T/fixed.cfg"
check "adaptive_receivers=no: serval starts" serval_wait_ready
check_eq "adaptive_receivers=no: all three listen" 3 "$(stat core:udp_receivers)"
check "SIPp: 50 OPTIONS answered" sipp_run options 50 100
check_eq "adaptive_receivers=no: all three still listen" 3 "$(stat core:udp_receivers)"
serval_stop
check_eq "serval stops cleanly" 0 "$STOP_RC"

done_testing
