#!/usr/bin/env bash
# bench/callgrind.sh - instructions per stateless request, counted by
# callgrind: deterministic, so a regression of a few percent shows.
#
# serval runs bench/stateless.cfg (fork=no, on udp:127.0.0.1:$PORT) under
# valgrind --tool=callgrind; SIPp sends $CALLS OPTIONS (the shared
# harness's options_uac.xml, so the same messages the real benchmark sends);
# the count covers receive_msg() (parse, checks, script, sl reply, sendto)
# and the receive loop's own per-datagram work, not the recvfrom()
# syscall wrapper nor start-up.  Prints "instr_per_request=N" and, with
# TOP=n (default 15), the n most expensive functions per request.
#
#   PORT=35060 CALLS=2000 TOP=15 bench/callgrind.sh
set -u
cd "$(dirname "$0")/.."
TOP_DIR=$(pwd)
# the shared harness sits beside the main tree (../shared/bench); from a
# worktree under ../wt/ it is two levels up
for h in "${HARNESS:-}" "$TOP_DIR/../shared/bench" "$TOP_DIR/../../shared/bench"; do
  [ -n "$h" ] && [ -d "$h" ] && { HARNESS=$h; break; }
done
HARNESS=${HARNESS:-$TOP_DIR/../shared/bench}
BIN_DIR=${SERVAL_BIN_DIR:-.}
PORT=${PORT:-35060}
CALLS=${CALLS:-2000}
NTOP=${TOP:-15}
XML=$HARNESS/sipp/options_uac.xml

for t in valgrind callgrind_annotate sipp; do
  command -v $t >/dev/null || { echo "callgrind bench: $t missing" >&2; exit 1; }
done
[ -r "$XML" ] || { echo "callgrind bench: $XML not found" >&2; exit 1; }
for p in $PORT $((PORT + 1)); do
  if ss -H -lun "sport = :$p" | grep -q .; then
    echo "callgrind bench: udp port $p busy (set PORT=)" >&2; exit 1
  fi
done

DIR=$(mktemp -d /tmp/serval-callgrind.XXXXXX)
sed -e "s/^fork=.*/fork=no/" -e "s/^listen=.*/listen=udp:127.0.0.1:$PORT/" \
    bench/stateless.cfg > "$DIR/stateless.cfg"

valgrind --tool=callgrind --trace-children=yes --collect-atstart=no \
    --toggle-collect=receive_msg --toggle-collect=fill_rcv_info \
    --callgrind-out-file="$DIR/cg.%p" \
    "$BIN_DIR/serval" -D -E -L "$BIN_DIR/modules" -f "$DIR/stateless.cfg" \
    > "$DIR/serval.log" 2>&1 &
VG=$!
stop() { kill -TERM $VG 2>/dev/null; wait $VG 2>/dev/null; }
trap stop EXIT

for ((i = 0; i < 300; i++)); do
  ss -H -lun "sport = :$PORT" | grep -q . && break
  kill -0 $VG 2>/dev/null || { cat "$DIR/serval.log" >&2; exit 1; }
  sleep 0.1
done

timeout 300 sipp 127.0.0.1:$PORT -sf "$XML" -i 127.0.0.1 -p $((PORT + 1)) \
    -m "$CALLS" -r 500 -nostdin -timeout 240s > "$DIR/sipp.log" 2>&1
sleep 0.5
stop; trap - EXIT

# the receiver's output file is the one with the largest count
best=0
for f in "$DIR"/cg.*; do
  n=$(awk '/^summary:/ { print $2 }' "$f")
  if [ "${n:-0}" -gt "$best" ]; then best=$n; file=$f; fi
done
[ "$best" -gt 0 ] || { echo "callgrind bench: nothing counted ($DIR)" >&2; exit 1; }
# messages handled = calls of receive_msg recorded in the file
# (callgrind names a function once, on its first fn= or cfn= line, and
# uses its number alone after that)
id=$(sed -n 's/^c\{0,1\}fn=(\([0-9]*\)) receive_msg$/\1/p' "$file" | head -1)
n=$(awk -v c="cfn=($id)" '$1 == c { getline; sub(/^calls=/, ""); s += $1 }
                          END { print s + 0 }' "$file")
[ "$n" -gt 0 ] || { echo "callgrind bench: no message counted ($DIR)" >&2; exit 1; }
[ "$n" -eq "$CALLS" ] || echo "callgrind bench: $n messages for $CALLS calls" >&2
CALLS=$n
echo "instr_per_request=$((best / n)) messages=$n total=$best out=$file"
if [ "$NTOP" -gt 0 ]; then
  echo "-- top $NTOP functions, instructions per request (inclusive=${INCL:-no})"
  callgrind_annotate --inclusive=${INCL:-no} "$file" 2>/dev/null |
    awk -v c="$CALLS" -v n="$NTOP" '
      /file:function/ { on = 1; next }
      on && $1 ~ /^[0-9,]+$/ && k < n {
        v = $1; gsub(",", "", v); f = $0
        sub(/^ *[0-9,]+ +\([^)]*\) +/, "", f); sub(/ \[.*$/, "", f)
        sub(/^.*\//, "", f); printf "%8.0f  %s\n", v / c, f; k++ }'
fi
