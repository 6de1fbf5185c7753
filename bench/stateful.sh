#!/usr/bin/env bash
# bench/stateful.sh - the stateful call flow (SIPp INVITE/100/180/200/ACK/
# BYE/200 relayed by tm to a SIPp UAS), serval beside Kamailio (-x fm, when
# installed), each measured by the shared harness (../shared/bench) with a
# fresh server per run:
#
#   cpu   server CPU microseconds per call at fixed rates (RATES, default
#         1000), serval and Kamailio interleaved (ab.sh, PAIRS pairs)
#   max   the highest call rate with < 0.1 % failed calls (run.sh MODE=max)
#   shm   shared memory per transaction in memory: the growth of the
#         servers' used shared memory divided by their transactions in
#         memory, sampled in the middle of a 1000 calls/s load (each call
#         leaves two transactions waiting for wt_timer, 5 s)
#   leak  100 000 calls (LEAK_CALLS) at 2000 calls/s through serval, then
#         tm:inuse_transactions must be 0 and shmem:used_size back to where
#         it was before the calls
#
# serval gets -m 4096 like Kamailio (the harness README's setting for this
# scenario): at 1000 calls/s about 10 000 transactions wait for wt_timer.
#
#   bench/stateful.sh [cpu|max|shm|leak|all]       (default all)
#   RATES="1000" PAIRS=2 DURATION=10 MAX_RATES="2000 4000 8000 12000 16000"
#   PORT=5060: the servers listen there, the UAS on PORT+10, the UAC on
#   PORT+1 (another base avoids other benchmarks on a shared machine)
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
# the shared harness beside the tree (../shared/bench), or beside a
# worktree's parent
HARNESS=${HARNESS:-$TOP/../shared/bench}
[ -x "$HARNESS/run.sh" ] || HARNESS=$TOP/../../shared/bench
OUT=${SERVAL_OUT:-build/release}
what=${1:-all}
RATES=${RATES:-1000}
export PAIRS=${PAIRS:-2} DURATION=${DURATION:-10}
KAM=/usr/sbin/kamailio
WORK=$(mktemp -d /tmp/serval-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[ -x "$HARNESS/run.sh" ] || { echo "stateful bench: no harness in $HARNESS" >&2; exit 1; }
PORT=${PORT:-5060}
export SERVER_PORT=$PORT UAS_PORT=$((PORT + 10)) UAC_PORT=$((PORT + 1))
# the two scripts with the ports chosen
sed -e "s|127.0.0.1:5060|127.0.0.1:$SERVER_PORT|; s|127.0.0.1:5070|127.0.0.1:$UAS_PORT|g" \
    "$TOP/bench/stateful.cfg" > "$WORK/stateful.cfg"
sed -e "s|127.0.0.1:5060|127.0.0.1:$SERVER_PORT|; s|\"5070\"|\"$UAS_PORT\"|g" \
    "$HARNESS/kamailio/stateful.cfg" > "$WORK/kam_stateful.cfg"
SERVAL_CMD=("$TOP/serval" -D -E -m 4096 -L "$TOP/modules" -f "$WORK/stateful.cfg")
KAM_CMD=("$KAM" -DD -E -x fm -m 4096 -M 8 -f "$WORK/kam_stateful.cfg")
have_kam() { [ -x "$KAM" ]; }
val() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

bench_cpu() {
  local rate line
  printf '\n== CPU per stateful call (us), ab.sh invite, %s pairs of %s s\n' "$PAIRS" "$DURATION"
  for rate in $RATES; do
    if have_kam; then
      line=$(RATE=$rate "$HARNESS/ab.sh" invite "${SERVAL_CMD[@]}" -- "${KAM_CMD[@]}" | grep '^AB')
      printf 'rate %-6s serval %-8s kamailio-fm %-8s serval/kamailio %s (normalised by UAC CPU: %s) fail%% %s / %s\n' \
        "$rate" "$(val A_srv_cpu_us_call <<< "$line")" "$(val B_srv_cpu_us_call <<< "$line")" \
        "$(awk -v r="$(val B_over_A <<< "$line")" 'BEGIN { printf "%.3f", 1 / r }')" \
        "$(awk -v r="$(val B_over_A_uac_normalised <<< "$line")" 'BEGIN { printf "%.3f", 1 / r }')" \
        "$(val A_fail_pct <<< "$line")" "$(val B_fail_pct <<< "$line")"
    else
      line=$(RATE=$rate MODE=fixed "$HARNESS/run.sh" invite "${SERVAL_CMD[@]}" | grep '^SUMMARY')
      printf 'rate %-6s serval %s us/call (Kamailio not installed)\n' "$rate" \
        "$(val srv_cpu_us_call <<< "$line")"
    fi
  done
}

# max_rate NAME CMD...: the highest rate the harness finds with < 0.1 % failed
max_rate() {
  local name=$1 line; shift
  line=$(MODE=max MAX_FAIL_PCT=0.1 RATES=${MAX_RATES:-"2000 4000 8000 12000 16000"} \
         STEP_DURATION=${STEP_DURATION:-8} "$HARNESS/run.sh" invite "$@" | grep '^SUMMARY')
  printf '%-12s max %s calls/s with < 0.1 %% failed\n' "$name" "$(val max_rate <<< "$line")${line:+}"
  [ -n "$line" ] || echo "$name: no SUMMARY (see the harness output)"
  echo "$line" > "$WORK/max_$name"
}

bench_max() {
  printf '\n== maximum call rate (run.sh MODE=max)\n'
  max_rate serval "${SERVAL_CMD[@]}"
  if have_kam; then max_rate kamailio-fm "${KAM_CMD[@]}"; fi
}

# ---- shared memory per transaction in memory --------------------------

# a free UDP port
free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); ss -Hlun "sport = :$p" | grep -q . || { echo $p; return; }; done; }

# sample_serval FIFO: "used inuse"
sample_serval() {
  SERVAL_REPLY_DIR=$WORK "$TOP/servalctl" -s "$1" -t 5 fifo get_statistics \
    shmem:used_size tm:inuse_transactions 2>/dev/null |
    awk -F' = ' '/used_size/ { u = $2 } /inuse/ { n = $2 } END { print u + 0, n + 0 }'
}

# sample_kam SOCK: "used inuse"
sample_kam() {
  local u n
  u=$(kamcmd -s "unixs:$1" core.shmmem 2>/dev/null | awk '$1 == "used:" { print $2 }')
  n=$(kamcmd -s "unixs:$1" tm.stats 2>/dev/null | awk '$1 == "current:" { print $2 }')
  echo "${u:-0} ${n:-0}"
}

# shm_run NAME SAMPLER ARG CMD...: load at 1000 cps for 8 s; prints
# used-shm growth / transactions in memory at 6 s
shm_run() {
  local name=$1 sampler=$2 arg=$3; shift 3
  local sp=$SERVER_PORT up=$UAS_PORT srv uas uac b m
  "$@" > "$WORK/$name.log" 2>&1 &
  srv=$!
  sleep 3
  sipp -sf "$HARNESS/sipp/invite_uas.xml" -i 127.0.0.1 -p $up -nostdin -bg \
       -timeout 40 > /dev/null 2>&1
  uas=$(ss -Hlunp "sport = :$up" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  b=$($sampler "$arg")
  sipp -sf "$HARNESS/sipp/invite_uac.xml" -i 127.0.0.1 -p "$(free_port)" \
       127.0.0.1:$sp -r 1000 -m 8000 -nostdin -timeout 30 > /dev/null 2>&1 &
  uac=$!
  sleep 6
  m=$($sampler "$arg")
  wait "$uac"
  [ -n "$uas" ] && kill "$uas" 2>/dev/null
  kill "$srv"; wait "$srv" 2>/dev/null
  awk -v b="$b" -v m="$m" -v n="$name" 'BEGIN { split(b, x, " "); split(m, y, " ");
      if (y[2] > 0) printf "%-12s %d transactions in memory, %d bytes of shm each\n", n, y[2], (y[1] - x[1]) / y[2];
      else printf "%-12s no sample\n", n }'
}

bench_shm() {
  printf '\n== shared memory per transaction in memory (1000 calls/s)\n'
  serval_mi_cfg
  shm_run serval sample_serval "$WORK/fifo" \
    "$TOP/serval" -D -E -m 4096 -L "$TOP/modules" -f "$WORK/serval.cfg"
  if have_kam; then
    sed -e "s|^loadmodule \"maxfwd.so\"|&\nloadmodule \"ctl.so\"\nloadmodule \"kex.so\"\nmodparam(\"ctl\", \"binrpc\", \"unixs:$WORK/kam.ctl\")|" \
        "$WORK/kam_stateful.cfg" > "$WORK/kam.cfg"
    shm_run kamailio-fm sample_kam "$WORK/kam.ctl" \
      "$KAM" -DD -E -x fm -m 4096 -M 8 -f "$WORK/kam.cfg"
  fi
}

# serval_mi_cfg: bench/stateful.cfg with the MI FIFO in $WORK
serval_mi_cfg() {
  sed -e "s|^loadmodule \"maxfwd.so\"|&\nloadmodule \"mi_fifo.so\"\nmodparam(\"mi_fifo\", \"fifo_name\", \"$WORK/fifo\")\nmodparam(\"mi_fifo\", \"reply_dir\", \"$WORK/\")|" \
      "$WORK/stateful.cfg" > "$WORK/serval.cfg"
}

bench_leak() {
  local calls=${LEAK_CALLS:-100000} srv uas b a i
  printf '\n== %s calls, then nothing left behind\n' "$calls"
  serval_mi_cfg
  "$TOP/serval" -D -E -m 4096 -L "$TOP/modules" -f "$WORK/serval.cfg" > "$WORK/leak.log" 2>&1 &
  srv=$!
  sleep 3
  sipp -sf "$HARNESS/sipp/invite_uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin -bg \
       -timeout $((calls / 2000 + 60)) > /dev/null 2>&1
  uas=$(ss -Hlunp "sport = :$UAS_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  b=$(sample_serval "$WORK/fifo")
  sipp -sf "$HARNESS/sipp/invite_uac.xml" -i 127.0.0.1 -p "$(free_port)" \
       127.0.0.1:"$SERVER_PORT" -r 2000 -m "$calls" -nostdin -timeout $((calls / 2000 + 40)) \
       > "$WORK/leak_uac.out" 2>&1
  echo "uac: $(grep -E 'Successful call|Failed call' "$WORK/leak_uac.out" | awk -F'|' '{gsub(/ /, "", $3); printf "%s ", $3}' | awk '{print $1 " successful, " $2 " failed"}')"
  for ((i = 0; i < 30; i++)); do
    a=$(sample_serval "$WORK/fifo")
    [ "${a#* }" = 0 ] && [ "${a% *}" = "${b% *}" ] && break
    sleep 1
  done
  [ -n "$uas" ] && kill "$uas" 2>/dev/null
  kill "$srv"; wait "$srv" 2>/dev/null
  echo "before: shm used ${b% *} bytes, ${b#* } transactions; after: shm used ${a% *} bytes, ${a#* } transactions"
  if [ "${a#* }" = 0 ] && [ "${a% *}" = "${b% *}" ]; then echo "leak: none"; else echo "leak: FOUND"; fi
}

case $what in
  cpu) bench_cpu ;;
  max) bench_max ;;
  shm) bench_shm ;;
  leak) bench_leak ;;
  all) bench_shm; bench_leak; bench_cpu; bench_max ;;
  *) echo "usage: $0 [cpu|max|shm|leak|all]" >&2; exit 2 ;;
esac
