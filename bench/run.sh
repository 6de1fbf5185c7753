#!/usr/bin/env bash
# bench/run.sh - serval's benchmarks (make bench).  Never part of the tests.
#
#   bench/run.sh [micro|instr|stateless|stateful|all]   (default all)
#
# micro      the programs built from bench/*.c (shm allocator, timer wheel,
#            SIP parser), each printing key=value lines
# instr      instructions per stateless request (OPTIONS -> sl_send_reply)
#            counted by callgrind (bench/callgrind.sh): deterministic, the
#            figure to watch for regressions
# stateless  SIPp OPTIONS answered by sl_send_reply: CPU us per request at
#            1k/s and 10k/s, serval beside Kamailio (-x fm) and the bare UDP
#            responder sipecho, with ../shared/bench/run.sh
# stateful   SIPp INVITE calls relayed by tm to a SIPp UAS: CPU us per call,
#            max calls/s, shm bytes per transaction, beside Kamailio
#
# Every load is bounded in count and time and only talks to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
OUT=${SERVAL_OUT:-build/release}
what=${1:-all}

section() { printf '\n== %s\n' "$*"; }

run_micro() {
  local b
  section "micro benchmarks ($OUT/bench)"
  for b in "$OUT"/bench/*; do
    [ -x "$b" ] || continue
    echo "-- $(basename "$b")"
    "$b"
  done
}

case $what in
  micro) run_micro ;;
  instr) section "instructions per stateless request (callgrind)"
         SERVAL_BIN_DIR=${SERVAL_BIN_DIR:-.} bench/callgrind.sh ;;
  all) run_micro
       section "instructions per stateless request (callgrind)"
       SERVAL_BIN_DIR=${SERVAL_BIN_DIR:-.} bench/callgrind.sh
       for s in bench/stateless.sh bench/stateful.sh; do
         if [ -x "$s" ]; then "$s"; fi
       done ;;
  stateless|stateful)
       if [ -x "bench/$what.sh" ]; then "bench/$what.sh"
       else echo "bench/$what.sh: not available yet" >&2; exit 1; fi ;;
  *) echo "usage: $0 [micro|instr|stateless|stateful|all]" >&2; exit 2 ;;
esac
