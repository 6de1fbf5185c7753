#!/usr/bin/env bash
# Summary: MI against a live serval.  Every core command through servalctl
# (which, ps, uptime, version, pwd, arg, debug, get_statistics,
# reset_statistics, kill); the FIFO protocol byte for byte, spoken in plain
# shell as openserctl does; malformed and hostile input that must neither
# stop the server nor its MI process; a reply FIFO nobody opens (bounded
# delay); 20 concurrent clients.
. "$(dirname "$0")/../../lib/harness.sh"

REPLY_TIMEOUT=1000 # ms, mi_fifo's reply_timeout (its default, said aloud)
STALL_MS=5000      # a request without its empty line is dropped after it
CORE_CMDS="which ps uptime version pwd arg kill debug get_statistics reset_statistics"

cd "$T" || exit 1 # serval's working directory, for pwd
PORT=$(free_udp_port)
{
  mi_fifo_cfg
  echo "modparam(\"mi_fifo\", \"reply_timeout\", $REPLY_TIMEOUT)"
  echo 'route { drop; }'
} > "$T/s.cfg"
t_start=$(date +%s)
serval_start -f "$T/s.cfg" -n 2 -l "udp:127.0.0.1:$PORT"
if ! serval_wait_ready; then
  not_ok "serval starts and answers MI"
  exit 1
fi
ok "serval starts and answers MI"

# out_of NAME: the reply mi_raw left for NAME
out_of() { cat "$T/$1.out" 2>/dev/null; }
# raw_is DESC NAME REQUEST EXPECTED: the reply to REQUEST is EXPECTED (a
# printf format), byte for byte
raw_is() {
  local exp
  exp=$(printf "$4"; echo x); exp=${exp%x}
  mi_raw "$2" "$3"
  if [ "$(od -An -c "$T/$2.out")" = "$(printf %s "$exp" | od -An -c)" ]; then
    ok "$1"
  else
    not_ok "$1"
    diag "expected: $(printf %s "$exp" | od -An -c | tr -s ' ')"
    diag "got:      $(od -An -c "$T/$2.out" | tr -s ' ')"
  fi
}

# read_reply NAME [SECONDS]: reads reply FIFO $T/NAME into $T/NAME.out
# until the server closes it (bounded, the open included)
read_reply() { timeout "${2:-5}" bash -c 'exec cat < "$1"' bash "$T/$1" > "$T/$1.out"; }

# held NAME: makes FIFO $T/NAME held open (read+write) by this shell, so
# the server could write into it; untouched NAME: nothing was written.
declare -A HELD
held() { rm -f "$T/$1"; mkfifo "$T/$1"; exec {HELD[$1]}<>"$T/$1"; }
untouched() { ! read -r -t 0 -u "${HELD[$1]}"; }

# ------------------------------------------------------------ which --
out=$(mi which); rc=$?
check_eq "which: exit 0" 0 "$rc"
missing=
for c in $CORE_CMDS; do grep -qx "$c" <<< "$out" || missing="$missing $c"; done
check_eq "which: lists every core command" "" "$missing"
# mi_fifo exports no command of its own (as in OpenSER): the core's are all
check_eq "which: the core's and nothing else (mi_fifo has none)" \
  "$(tr ' ' '\n' <<< "$CORE_CMDS" | sort)" "$(sort <<< "$out")"
check_eq "which: no duplicates" "" "$(sort <<< "$out" | uniq -d)"
check_eq "which: one bare name per line" "" "$(grep -vxE '[A-Za-z0-9_.-]+' <<< "$out")"
unavailable=
for c in $out; do
  [ "$c" = kill ] && continue
  mi "$c" 2>&1 >/dev/null | grep -q "not available" && unavailable="$unavailable $c"
done
check_eq "which: every name listed can be called" "" "$unavailable"

# --------------------------------------------------------------- ps --
out=$(mi ps); rc=$?
check_eq "ps: exit 0" 0 "$rc"
nprocs=$(serval_nprocs)
check_eq "ps: one line per process ($nprocs)" "$nprocs" "$(grep -c . <<< "$out")"
check_eq "ps: every line is 'Process::  ID=<n> PID=<pid> Type=<desc>'" "" \
  "$(grep -vE '^Process::  ID=[0-9]+ PID=[0-9]+ Type=.+$' <<< "$out")"
check_eq "ps: IDs are 0..$((nprocs - 1)) in order" "$(seq 0 $((nprocs - 1)))" \
  "$(sed -n 's/^Process::  ID=\([0-9]*\) .*/\1/p' <<< "$out")"
check_eq "ps: ID 0 is the attendant, the master" \
  "Process::  ID=0 PID=$SERVAL_PID Type=attendant" "$(head -1 <<< "$out")"
check_eq "ps: the PIDs are those of serval's process tree" \
  "$(tree_pids "$SERVAL_PID" | sort -n)" \
  "$(sed -n 's/.* PID=\([0-9]*\) .*/\1/p' <<< "$out" | sort -n)"
bad_type=
while read -r line; do
  pid=$(sed 's/.* PID=\([0-9]*\) .*/\1/' <<< "$line")
  type=${line#* Type=}
  shown=$(ps -o args= -p "$pid" | sed 's/[[:space:]]*$//')
  [ "serval: $type" = "$shown" ] || bad_type="$bad_type [$pid: '$type' vs ps '$shown']"
done <<< "$out"
check_eq "ps: each Type is what ps(1) shows after 'serval: '" "" "$bad_type"
check "ps: the MI process is listed" grep -q ' Type=mi fifo$' <<< "$out"
check_eq "ps: both UDP receivers are listed" 2 "$(grep -c " Type=udp receiver #[12] udp:127.0.0.1:$PORT\$" <<< "$out")"
MI_PID=$(sed -n 's/.* PID=\([0-9]*\) Type=mi fifo$/\1/p' <<< "$out")

# ----------------------------------------------------------- uptime --
out=$(mi uptime); rc=$?
check_eq "uptime: exit 0" 0 "$rc"
check_eq "uptime: Now, Up since, Up time" "Now::|Up since::|Up time::" \
  "$(sed 's/:: .*/::/' <<< "$out" | paste -sd'|')"
now=$(date -d "$(sed -n 's/^Now:: //p' <<< "$out")" +%s 2>/dev/null)
since=$(date -d "$(sed -n 's/^Up since:: //p' <<< "$out")" +%s 2>/dev/null)
up=$(sed -n 's/^Up time:: \([0-9]*\) \[sec\]$/\1/p' <<< "$out")
check "uptime: Now is the current time ('${now:-unparsable}')" \
  test "${now:-0}" -ge $(($(date +%s) - 2)) -a "${now:-0}" -le "$(date +%s)"
check "uptime: Up since is when serval started ('${since:-unparsable}')" \
  test "${since:-0}" -ge "$t_start" -a "${since:-0}" -le "${now:-0}"
check "uptime: Up time is whole seconds since then ('${up:-}')" \
  test -n "$up" -a "${up:-0}" -le $(( ${now:-0} - ${since:-0} ))
up_grows() { local u; u=$(mi uptime | sed -n 's/^Up time:: \([0-9]*\) .*/\1/p'); [ "${u:-0}" -gt "${up:-0}" ]; }
check "uptime: Up time grows" wait_until 3000 up_grows

# ---------------------------------------------------- version, pwd, arg --
check_eq "version: matches serval -V" "Server:: $("$SERVAL" -V | head -1)" "$(mi version)"
check_eq "pwd: serval's working directory" "WD:: $(pwd -P)" "$(mi pwd)"
check_eq "arg: the command line serval was started with" \
  "$(printf '%s\n' "$SERVAL" -D -E -L "$MPATH" -f "$T/s.cfg" -n 2 -l "udp:127.0.0.1:$PORT")" \
  "$(mi arg)"

# ------------------------------------------------------------ debug --
level0=$(mi debug | sed -n 's/^DEBUG:: \(-\{0,1\}[0-9]*\)$/\1/p')
check "debug: shows the level ('${level0:-}')" test -n "$level0"
check_eq "debug 4: answers the new level" "DEBUG:: 4" "$(mi debug 4)"
check_eq "debug: a later call sees 4" "DEBUG:: 4" "$(mi debug)"
check_eq "debug -3: the lowest level is accepted" "DEBUG:: -3" "$(mi debug -3)"
err=$(mi debug 10 2>&1 >/dev/null); rc=$?
check_eq "debug 10: exit 1, 400 Bad parameter" "1 400 Bad parameter" "$rc $err"
err=$(mi debug abc 2>&1 >/dev/null); rc=$?
check_eq "debug abc: exit 1, 400 Bad parameter" "1 400 Bad parameter" "$rc $err"
err=$(mi debug 1 2 2>&1 >/dev/null); rc=$?
check_eq "debug 1 2: exit 1, 400 (argument count)" "1 400 Too few or too many arguments" "$rc $err"
check_eq "debug: the refused calls left it alone" "DEBUG:: -3" "$(mi debug)"
mi debug "$level0" > /dev/null

# --------------------------------------------------- get_statistics --
all=$(mi get_statistics all); rc=$?
check_eq "get_statistics all: exit 0" 0 "$rc"
check_eq "get_statistics all: every line 'group:name = value'" "" \
  "$(grep -vE '^[A-Za-z0-9_]+:[A-Za-z0-9_]+ = -?[0-9]+$' <<< "$all")"
core=$(mi get_statistics core:)
shmem=$(mi get_statistics shmem:)
check_eq "get_statistics core: 12 values, all core:" 12 "$(grep -c '^core:' <<< "$core")$(grep -v '^core:' <<< "$core")"
check_eq "get_statistics shmem: 6 values, all shmem:" 6 "$(grep -c '^shmem:' <<< "$shmem")$(grep -v '^shmem:' <<< "$shmem")"
check_eq "get_statistics all: the core: and shmem: groups" \
  "$(printf '%s\n%s\n' "$core" "$shmem" | sed 's/ = .*//' | sort)" "$(sed 's/ = .*//' <<< "$all" | sort)"
check_eq "get_statistics core: no SIP traffic, all counters zero" "" "$(grep -v ' = 0$' <<< "$core" | grep -v '^core:udp_receivers ')"
check_eq "get_statistics core:udp_receivers: one receiver listens when idle" 1 "$(stat core:udp_receivers)"
check_eq "get_statistics rcv_requests (bare name)" "core:rcv_requests = 0" "$(mi get_statistics rcv_requests)"
total=$(sed -n 's/^shmem:total_size = //p' <<< "$shmem")
check "shmem:total_size is positive ($total)" test "${total:-0}" -gt 0
check_eq "get_statistics shmem:total_size (group:name)" "shmem:total_size = $total" \
  "$(mi get_statistics shmem:total_size)"
check_eq "get_statistics: several selectors, in argument order" \
  "shmem:total_size = $total|core:bad_msg_hdr = 0" \
  "$(mi get_statistics shmem:total_size bad_msg_hdr | paste -sd'|')"
out=$(mi get_statistics nosuch 2>"$T/err"); rc=$?
check_eq "get_statistics nosuch: exit 1, nothing on stdout" "1 " "$rc $out"
check_eq "get_statistics nosuch: 404 on stderr" "404 Statistics Not Found" "$(cat "$T/err")"
err=$(mi get_statistics nosuch: 2>&1 >/dev/null); rc=$?
check_eq "get_statistics nosuch: (unknown group): 404" "1 404 Statistics Not Found" "$rc $err"
err=$(mi get_statistics 2>&1 >/dev/null); rc=$?
check_eq "get_statistics without argument: 400" "1 400 Too few or too many arguments" "$rc $err"

# ------------------------------------------------- reset_statistics --
out=$(mi reset_statistics all); rc=$?
check_eq "reset_statistics all: exit 0, empty 200 reply" "0 " "$rc $out"
check_eq "reset_statistics: counters read 0, the gauge stays" "core:udp_receivers = 1" "$(mi get_statistics core: | grep -v ' = 0$')"
check_eq "reset_statistics: gauges are left alone (total_size)" \
  "shmem:total_size = $total" "$(mi get_statistics shmem:total_size)"
check_eq "reset_statistics core:rcv_requests: exit 0" 0 "$(mi reset_statistics core:rcv_requests > /dev/null; echo $?)"
mi reset_statistics shmem:max_used_size > /dev/null; rc=$?
used=$(mi get_statistics shmem:real_used_size shmem:max_used_size | sed 's/.* = //' | paste -sd' ')
check_eq "reset_statistics shmem:max_used_size: the high-water mark drops to the usage" \
  "0 $(cut -d' ' -f1 <<< "$used")" "$rc $(cut -d' ' -f2 <<< "$used")"
err=$(mi reset_statistics nosuch 2>&1 >/dev/null); rc=$?
check_eq "reset_statistics nosuch: 404" "1 404 Statistics Not Found" "$rc $err"
err=$(mi reset_statistics 2>&1 >/dev/null); rc=$?
check_eq "reset_statistics without argument: 400" "1 400 Too few or too many arguments" "$rc $err"

# ------------------------------------- the protocol, openserctl style --
v=$("$SERVAL" -V | head -1)
raw_is "raw version: '200 OK', the node, an empty line" rv ':version:rv\n\n' "200 OK\nServer:: $v\n\n"
raw_is "raw pwd: byte for byte" rp ':pwd:rp\n\n' "200 OK\nWD:: $(pwd -P)\n\n"
raw_is "raw ps: byte for byte (two spaces after 'Process::')" rps ':ps:rps\n\n' "200 OK\n$(mi ps | sed 's/%/%%/g' | sed 's/$/\\n/' | tr -d '\n')\n"
raw_is "raw which: one name per line" rw ':which:rw\n\n' "200 OK\n$(tr ' ' '\n' <<< "$CORE_CMDS" | sed 's/$/\\n/' | tr -d '\n')\n"
raw_is "raw get_statistics: two arguments" rg ':get_statistics:rg\nshmem:total_size\nbad_msg_hdr\n\n' \
  "200 OK\nshmem:total_size = $total\ncore:bad_msg_hdr = 0\n\n"
raw_is "raw: blanks around an argument are dropped" rb ':get_statistics:rb\n  \tshmem:total_size \t\n\n' \
  "200 OK\nshmem:total_size = $total\n\n"
raw_is "raw: a quoted argument keeps its blanks" rq ':get_statistics:rq\n" shmem:total_size"\n\n' \
  "404 Statistics Not Found\n\n"
raw_is "raw: CR LF line ends" rcr ':get_statistics:rcr\r\nbad_msg_hdr\r\n\r\n' "200 OK\ncore:bad_msg_hdr = 0\n\n"
raw_is "raw: blank lines before a request are ignored" rbl '\n\n\n:version:rbl\n\n' "200 OK\nServer:: $v\n\n"
raw_is "raw: unknown command: 500 not available" ru ':nosuch:ru\n\n' "500 command 'nosuch' not available\n\n"
raw_is "raw: wrong argument count: 400" rd ':debug:rd\n1\n2\n\n' "400 Too few or too many arguments\n\n"
raw_is "raw: no argument to get_statistics: 400" rn ':get_statistics:rn\n\n' "400 Too few or too many arguments\n\n"
raw_is "raw: arguments to a command that takes none are ignored" rvi ':version:rvi\nextra\n\n' "200 OK\nServer:: $v\n\n"

# a slow client: opens its reply FIFO only after it sent the request
rm -f "$T/slow"; mkfifo "$T/slow"
fifo_write ':version:slow\n\n'
sleep 0.3 # the client's delay is what is tested, well under reply_timeout
read_reply slow
check_eq "a client opening its reply FIFO 300 ms late still gets the reply" \
  "200 OK|Server:: $v|" "$(paste -sd'|' "$T/slow.out")"

# --------------------------------------------------------- bad input --
nprocs0=$(serval_nprocs)
held nocolon; mkdir -p "$T/sub"; held sub/x; held dotdot; held long1
held target; ln -sf "$T/target" "$T/link"; echo keep > "$T/plain"
fifo_write 'uptime:nocolon\n\n'
fifo_write ':uptime:sub/x\n\n'
fifo_write ":uptime:../$(basename "$T")/dotdot\n\n"
fifo_write ":uptime:/$T/dotdot\n\n"
fifo_write ":$(printf '%02000d' 0):long1\n\n"
fifo_write ':uptime:link\n\n'
fifo_write ':uptime:plain\n\n'
fifo_write ":ps:$(basename "$FIFO")\n\n" # the server's own FIFO as reply FIFO
t0=$(now_ms)
mi uptime > /dev/null # served after all of them (one MI process, in order)
el=$(( $(now_ms) - t0 ))
check "the server's own FIFO as reply FIFO: its reply read back is skipped; answers in $el ms" \
  test "$el" -lt $((REPLY_TIMEOUT + 1500))
check "no leading ':': skipped, nothing written" untouched nocolon
check "reply name with '/': refused, nothing written" untouched sub/x
check "reply name with '..': refused, nothing written" untouched dotdot
check "first line over 1024 bytes: skipped, nothing written" untouched long1
check "reply name that is a symlink: nothing written through it" untouched target
check_eq "reply name that is a plain file: left alone" keep "$(cat "$T/plain")"

raw_is "empty command name: 400 naming the problem" re '::re\n\n' \
  "400 parse error in command ''\nempty command name (line 1)\n\n"
raw_is "blank in the command name: 400" rbc ':up time:rbc\n\n' \
  "400 parse error in command 'up?time'\nbad command name (line 1)\n\n"
raw_is "NUL byte in the command name: 400" rnul ':up\000time:rnul\n\n' \
  "400 parse error in command 'up?time'\nbad command name (line 1)\n\n"
raw_is "unterminated quoted value: 400" rqu ':debug:rqu\n"4\n\n' \
  "400 parse error in command 'debug'\nunterminated quoted value (line 2)\n\n"
raw_is "text after a closing quote: 400" rqt ':debug:rqt\n"4" 5\n\n' \
  "400 parse error in command 'debug'\ntext after a closing quote (line 2)\n\n"
raw_is "argument line over 8192 bytes: 400" rll ":debug:rll\n$(printf '%09000d' 4)\n\n" \
  "400 parse error in command 'debug'\nargument line too long (line 2)\n\n"
# a request over 64 KiB whose tail holds what would be a request of its
# own: the tail is skipped up to the request's empty line, not run
body=$(for i in $(seq 1 70); do printf '%01000d\\n' 1; done)
raw_is "request over 64 KiB: 400 request too big" rbig ":debug:rbig\n$body:debug:\n7\n\n" \
  "400 parse error in command 'debug'\nrequest too big\n\n"
check_eq "request over 64 KiB: its tail was not run as a request" "DEBUG:: $level0" "$(mi debug)"

# garbage between two requests, in one write
garbage=$(for b in $(seq 1 255); do [ "$b" = 10 ] || printf '\\%03o' "$b"; done)
rm -f "$T/g1" "$T/g2"; mkfifo "$T/g1" "$T/g2"
read_reply g1 & r1=$!
read_reply g2 & r2=$!
fifo_write ":version:g1\n\n\000$garbage\n$garbage\n\n:pwd:g2\n\n"
wait "$r1"; wait "$r2"
check_eq "garbage between requests: the one before is answered" "200 OK|Server:: $v|" "$(paste -sd'|' "$T/g1.out")"
check_eq "garbage between requests: the one after is answered" "200 OK|WD:: $(pwd -P)|" "$(paste -sd'|' "$T/g2.out")"
head -c 8000 /dev/urandom | tr -d '\n' > "$T/noise"
timeout 5 bash -c '{ cat "$1"; printf "\n\n"; } > "$2"' bash "$T/noise" "$FIFO"
check_eq "random bytes, then an empty line: the next request is answered" "Server:: $v" "$(mi version)"

# no reply FIFO: the command still runs
fifo_write ':debug:\n4\n\n'
check_eq "no reply FIFO: the command still runs (debug 4 took effect)" "DEBUG:: 4" "$(mi debug)"
mi debug "$level0" > /dev/null
err=$(mi nosuch 2>&1 >/dev/null); rc=$?
check_eq "unknown command through servalctl: exit 1, 500" "1 500 command 'nosuch' not available" "$rc $err"

# a request too big whose empty line never comes (its client died): the
# server skips its rest only until none of it came for the stall time
raw_is "request over 64 KiB never finished: 400 request too big" rbig2 ":debug:rbig2\n$body" \
  "400 parse error in command 'debug'\nrequest too big\n\n"
sleep $(( (STALL_MS + 1500) / 1000 )).5 # the silence is what is tested (+1 s tick)
out=$(mi debug); rc=$?
check_eq "request over 64 KiB never finished: the next request is answered, not skipped" \
  "0 DEBUG:: $level0" "$rc $out"

# a request without its empty line: answered 400 after the stall time
rm -f "$T/rst"; mkfifo "$T/rst"
read_reply rst $((STALL_MS / 1000 + 5)) & r1=$!
t0=$(now_ms)
fifo_write ':debug:rst\n4\n'
wait "$r1"; el=$(( $(now_ms) - t0 ))
check_eq "request without its empty line: 400 incomplete request" \
  "400 parse error in command 'debug'|incomplete request|" "$(paste -sd'|' "$T/rst.out")"
check "request without its empty line: dropped after ${STALL_MS} ms (+1 s tick), in ${el} ms" \
  test "$el" -ge $((STALL_MS - 100)) -a "$el" -le $((STALL_MS + 2500))
check_eq "request without its empty line: not run" "DEBUG:: $level0" "$(mi debug)"

now_pid=$(mi ps | sed -n 's/.* PID=\([0-9]*\) Type=mi fifo$/\1/p')
check_eq "after the bad input: the MI process is the same ($MI_PID)" "$MI_PID" "$now_pid"
check "after the bad input: serval is running" kill -0 "$SERVAL_PID"
check_eq "after the bad input: every process is there" "$nprocs0" "$(serval_nprocs)"
check_eq "after the bad input: MI answers" "Server:: $v" "$(mi version)"

# ---------------------------------- a reply FIFO its client never opens --
rm -f "$T/ghost"; mkfifo "$T/ghost"
t0=$(now_ms)
fifo_write ':version:ghost\n\n'
out=$(mi version); rc=$?
el=$(( $(now_ms) - t0 ))
check_eq "reply FIFO never opened: the next request is answered" "0 Server:: $v" "$rc $out"
check "reply FIFO never opened: the server gave up after reply_timeout ($el ms, bound $REPLY_TIMEOUT + 1500)" \
  test "$el" -ge $((REPLY_TIMEOUT - 100)) -a "$el" -le $((REPLY_TIMEOUT + 1500))
t0=$(now_ms); mi version > /dev/null; el=$(( $(now_ms) - t0 ))
check "reply FIFO never opened: then requests are prompt again ($el ms)" test "$el" -lt 1000

# ------------------------------------------------ concurrent clients --
cmds=(which ps version pwd arg "get_statistics shmem:total_size" debug "get_statistics core:")
declare -A want
for c in "${cmds[@]}"; do want[$c]=$(mi $c); done
pids=()
for i in $(seq 0 19); do
  c=${cmds[$((i % ${#cmds[@]}))]}
  ( mi $c > "$T/par.$i" 2>&1; echo "rc=$?" >> "$T/par.$i" ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
bad=
for i in $(seq 0 19); do
  c=${cmds[$((i % ${#cmds[@]}))]}
  [ "$(cat "$T/par.$i")" = "${want[$c]}"$'\n'"rc=0" ] || bad="$bad $i($c)"
done
check_eq "20 concurrent servalctl calls: each gets its own correct reply" "" "$bad"
check_eq "no reply FIFO left behind by the clients" "" "$(ls "$T" | grep '^servalctl_')"

# ------------------------------------------------------------- kill --
all=$(tree_pids "$SERVAL_PID")
out=$(mi kill); rc=$?
check_eq "kill: exit 0, empty 200 reply" "0 " "$rc $out"
pid=$SERVAL_PID
exited() { case $(ps -o stat= -p "$pid") in Z*|'') return 0 ;; esac; return 1; }
check "kill: the master exits within 3 s" wait_until 3000 exited
wait "$pid"; rc=$?; SERVAL_PID=
check_eq "kill: serval exits 0" 0 "$rc"
left=; for p in $all; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
check_eq "kill: every process is gone" "" "$left"
check "kill: the FIFO is removed" test ! -e "$FIFO"
done_testing
