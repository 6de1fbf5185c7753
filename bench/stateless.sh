#!/usr/bin/env bash
# bench/stateless.sh - CPU per stateless request (SIPp OPTIONS answered by
# sl_send_reply) at 1k/s and 10k/s: serval beside Kamailio (-x fm, when
# installed) and the bare UDP responder sipecho, each measured by the
# shared harness (../shared/bench/run.sh) with a fresh server per run.
#
#   RATES="1000 10000" DURATION=10 REPEAT=1 bench/stateless.sh
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
# the shared harness sits beside the main tree (../shared/bench); from a
# worktree under ../wt/ it is two levels up
for h in "${HARNESS:-}" "$TOP/../shared/bench" "$TOP/../../shared/bench"; do
  [ -n "$h" ] && [ -d "$h" ] && { HARNESS=$h; break; }
done
HARNESS=${HARNESS:-$TOP/../shared/bench}
OUT=${SERVAL_OUT:-build/release}
RATES=${RATES:-"1000 10000"}
export DURATION=${DURATION:-10} REPEAT=${REPEAT:-1}

if [ ! -x "$HARNESS/run.sh" ]; then
  echo "stateless bench: harness $HARNESS/run.sh not found" >&2; exit 1
fi
mkdir -p "$OUT/bench"
gcc -O2 -o "$OUT/bench/sipecho" "$HARNESS/sipecho.c" || exit 1

# on-CPU time from schedstat (ns precision); the tick-based figure is
# printed beside it (ticks undercount short bursts, see the harness README)
summary() {
  grep '^SUMMARY' | tr ' ' '\n' | awk -F= '
    $1 == "srv_cpu_us_call_sched" { s = $2 } $1 == "srv_cpu_us_call" { t = $2 }
    END { printf "%s (ticks %s)", s, t }'
}

printf '%-8s %-12s %s\n' rate server cpu_us_per_request
for rate in $RATES; do
  export RATE=$rate
  s=$("$HARNESS/run.sh" options "$TOP/serval" -D -E -L "$TOP/modules" \
        -f "$TOP/bench/stateless.cfg" 2>/dev/null | summary)
  printf '%-8s %-12s %s\n' "$rate" serval "${s:-failed}"
  if [ -x /usr/sbin/kamailio ]; then
    k=$(cd "$HARNESS" && ./run.sh options /usr/sbin/kamailio -DD -E -x fm \
          -f kamailio/stateless.cfg -m 256 -M 8 2>/dev/null | summary)
    printf '%-8s %-12s %s\n' "$rate" kamailio-fm "${k:-failed}"
  fi
  e=$("$HARNESS/run.sh" options "$TOP/$OUT/bench/sipecho" 127.0.0.1 5060 2 \
        2>/dev/null | summary)
  printf '%-8s %-12s %s\n' "$rate" sipecho "${e:-failed}"
done
