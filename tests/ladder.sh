#!/bin/sh
# The --ladder sequence diagram from the command line: the golden ladders
# of two scenarios, byte for byte; every scenario's ladder in 80 columns of
# plain ASCII; the README's examples as the program prints them; the ranges;
# and the refusals, each one tcpsim: line and exit 2.
#
# When the simulator's behaviour changes on purpose, rewrite the golden
# files and the README's examples from a build in the source tree with
#   tests/ladder.sh --update
# (TCPSIM=path/to/tcpsim for a build elsewhere), and review the diff.
update=
if [ "${1:-}" = --update ]; then
	update=1
	here=$(cd "$(dirname "$0")/.." && pwd)
	SRCDIR=${SRCDIR:-$here}
	TCPSIM=${TCPSIM:-$here/sim/tcpsim}
	export SRCDIR TCPSIM
fi
. "$SRCDIR/tests/lib.sh"

GOLDEN="$SRCDIR/tests/golden"
S="$SRCDIR/scenarios/handshake.yaml"

# 1. The golden ladders: standard output is the ladder alone.
for name in handshake fast-retransmit; do
	status=0
	"$TCPSIM" --ladder - -o "$TMP/$name.pcap" "$SRCDIR/scenarios/$name.yaml" \
		>"$TMP/$name.ladder" 2>"$TMP/$name.err" || status=$?
	if [ "$status" -ne 0 ]; then
		fail "$name: exit $status: $(cat "$TMP/$name.err")"
	elif [ -n "$update" ]; then
		cp "$TMP/$name.ladder" "$GOLDEN/$name.ladder" && echo "updated tests/golden/$name.ladder"
	elif cmp -s "$TMP/$name.ladder" "$GOLDEN/$name.ladder"; then
		pass "$name: the golden ladder"
	else
		fail "$name: the ladder differs from tests/golden/$name.ladder (tests/ladder.sh --update rewrites it)"
		diff "$GOLDEN/$name.ladder" "$TMP/$name.ladder" | head -40 >&2
	fi
	# With the ladder on standard output, the summary goes to standard error.
	grep -q "^$name (seed 1): ended at" "$TMP/$name.err" || fail "$name: the summary is not on stderr"
done

# 2. Every scenario: a ladder of plain ASCII, no line over 80 columns, one
# arrow line per packet the summary counts (an arrow line has the send
# time's last digit in column 10; a note starts at column 19).
for f in "$SRCDIR"/scenarios/*.yaml; do
	[ -z "$update" ] || break
	name=$(basename "$f" .yaml)
	captures "$f" || continue
	status=0
	"$TCPSIM" --json --ladder "$TMP/all.ladder" -o "$TMP/all.pcap" "$f" >"$TMP/all.json" 2>"$TMP/all.err" ||
		status=$?
	if [ "$status" -ne 0 ]; then
		fail "$name: exit $status: $(cat "$TMP/all.err")"
		continue
	fi
	wide=$(awk 'length($0) > 80 { print NR ": " length($0) " columns"; exit }' "$TMP/all.ladder")
	[ -z "$wide" ] || fail "$name: line $wide"
	if LC_ALL=C grep -q '[^ -~]' "$TMP/all.ladder"; then
		fail "$name: a character that is not printable ASCII"
	fi
	arrows=$(awk 'substr($0, 10, 1) ~ /[0-9]/' "$TMP/all.ladder" | wc -l)
	packets=$(( $(json_get "$TMP/all.json" link.client_to_server.packets) +
		    $(json_get "$TMP/all.json" link.server_to_client.packets) ))
	[ "$arrows" -eq "$packets" ] || fail "$name: $arrows arrows for $packets packets"
	[ -z "$wide" ] && [ "$arrows" -eq "$packets" ] && pass "$name: $arrows arrows in 80 columns"
done

# 3. The README's examples: each fenced block after the marker starts with
# the command ("$ sim/tcpsim ARGS", run in the source tree) and holds
# exactly what it prints on standard output.
awk -v dir="$TMP" '
	/<!-- checked by tests\/ladder.sh -->/ { want = 1; next }
	want && /^```/ { want = 0; n++; inblock = 1; next }
	inblock && /^```/ { inblock = 0; next }
	inblock { print > (dir "/readme." n) }
' "$SRCDIR/README.md"
n=0
for block in "$TMP"/readme.*; do
	[ -e "$block" ] || break
	n=$((n + 1))
	cmd=$(head -n 1 "$block")
	case $cmd in
	'$ sim/tcpsim '*) ;;
	*) fail "README example $n: its first line is '$cmd', not '\$ sim/tcpsim ...'"; continue ;;
	esac
	tail -n +2 "$block" >"$TMP/readme.want"
	# shellcheck disable=SC2086  # the words of the command, as the README writes them
	set -- ${cmd#'$ sim/tcpsim '}
	(cd "$SRCDIR" && "$TCPSIM" "$@" -o "$TMP/readme.pcap") >"$TMP/readme.got" 2>"$TMP/readme.err" ||
		fail "README example $n: exit $?: $(cat "$TMP/readme.err")"
	cp "$TMP/readme.got" "$TMP/readme.got.$n"
	if [ -n "$update" ]; then
		:
	elif cmp -s "$TMP/readme.got" "$TMP/readme.want"; then
		pass "README example $n: $cmd"
	else
		fail "README example $n ($cmd) is not what the program prints:"
		diff "$TMP/readme.want" "$TMP/readme.got" >&2
	fi
done
[ "$n" -ge 3 ] || fail "README: $n checked examples, expected at least 3"
# What the README says of its second and third examples: the duplicate ACKs
# arrive at the times the client's three segments leave.
if [ -z "$update" ] && [ "$n" -ge 3 ]; then
	arrived=$(awk 'substr($0, 10, 1) ~ /[0-9]/ { print $NF }' "$TMP/readme.got.2" | tr '\n' ' ')
	sent=$(awk 'substr($0, 10, 1) ~ /[0-9]/ { print $1 }' "$TMP/readme.got.3" | tr '\n' ' ')
	[ -n "$sent" ] && [ "$arrived" = "$sent" ] && pass "README: the ACKs arrive as the segments leave" ||
		fail "README: example 2 arrives at $arrived, example 3 leaves at $sent (choose the packets anew)"
fi
if [ -n "$update" ]; then
	# Each checked block keeps its command line; what follows it is the output.
	awk -v dir="$TMP" '
		/<!-- checked by tests\/ladder.sh -->/ { want = 1; print; next }
		want && /^```/ { want = 0; n++; inblock = 1; print; next }
		inblock == 1 { print; while ((getline l < (dir "/readme.got." n)) > 0) print l; inblock = 2; next }
		inblock == 2 && /^```/ { inblock = 0; print; next }
		inblock == 2 { next }
		{ print }
	' "$SRCDIR/README.md" >"$TMP/README.md" && cat "$TMP/README.md" >"$SRCDIR/README.md" &&
		echo "updated the $n checked examples in README.md"
	finish
fi

# run WANT WHAT ARGS...: tcpsim ARGS in $TMP/run; stdout and stderr kept.
run() {
	want=$1; what=$2; shift 2
	rm -rf "$TMP/run"; mkdir -p "$TMP/run"
	status=0
	(cd "$TMP/run" && "$TCPSIM" "$@" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	if [ "$status" -eq "$want" ]; then pass "$what"; else fail "$what: exit $status, want $want"; cat "$TMP/stderr" >&2; fi
}
# refused WHAT MESSAGE ARGS...: exit 2, the one message then the hint, and nothing written.
refused() {
	what=$1; msg=$2; shift 2
	run 2 "$what" "$@"
	printf '%s\nTry '\''tcpsim --help'\''.\n' "$msg" >"$TMP/want"
	cmp -s "$TMP/stderr" "$TMP/want" || fail "$what: stderr is '$(cat "$TMP/stderr")', want '$msg'"
	[ ! -s "$TMP/stdout" ] || fail "$what: wrote to stdout"
	[ -z "$(ls -A "$TMP/run")" ] || fail "$what: left $(ls -A "$TMP/run")"
}

# 4. Ranges: the packets of the golden ladder that they name, and no others.
# (golden_part FIRST LAST: the header and those packets' lines.)
golden_part() {
	awk -v a="$1" -v b="$2" '
		NR == 1 { print; next }
		substr($0, 10, 1) ~ /[0-9]/ { keep = $2 >= a && $2 <= b }
		keep' \
		"$GOLDEN/handshake.ladder"
}
run 0 "--ladder-packets 2:4" --ladder - --ladder-packets 2:4 "$S"
golden_part 2 4 >"$TMP/want"
cmp -s "$TMP/stdout" "$TMP/want" || { fail "--ladder-packets 2:4: not packets 2 to 4"; diff "$TMP/want" "$TMP/stdout" >&2; }
run 0 "--ladder-packets=7" --ladder=- --ladder-packets=7 "$S"
golden_part 7 7 >"$TMP/want"
cmp -s "$TMP/stdout" "$TMP/want" || { fail "--ladder-packets=7: not packet 7"; diff "$TMP/want" "$TMP/stdout" >&2; }
run 0 "--ladder-time 15ms:0.016" --ladder - --ladder-time 15ms:0.016 "$S"
golden_part 6 8 >"$TMP/want"
cmp -s "$TMP/stdout" "$TMP/want" || { fail "--ladder-time 15ms:0.016: not packets 6 to 8"; diff "$TMP/want" "$TMP/stdout" >&2; }
run 0 "both ranges" --ladder-time :0.016 --ladder - --ladder-packets 5: "$S"
golden_part 5 8 >"$TMP/want"
cmp -s "$TMP/stdout" "$TMP/want" || { fail "both ranges: not packets 5 to 8"; diff "$TMP/want" "$TMP/stdout" >&2; }
run 0 "a range with no packet" --ladder - --ladder-time 1:2 "$S"
head -n 1 "$GOLDEN/handshake.ladder" >"$TMP/want"
cmp -s "$TMP/stdout" "$TMP/want" || fail "a range with no packet: more than the header: $(cat "$TMP/stdout")"

# 5. A ladder file: written whole when the run succeeds, the summary on stdout.
run 0 "--ladder FILE" --ladder x.ladder -o x.pcap "$S"
cmp -s "$TMP/run/x.ladder" "$GOLDEN/handshake.ladder" || fail "--ladder FILE: not the golden ladder"
grep -q "^handshake (seed 1): ended at" "$TMP/stdout" || fail "--ladder FILE: no summary on stdout"
grep -q "x.ladder" "$TMP/stdout" && fail "--ladder FILE: the summary names the ladder as a capture"
[ -z "$(find "$TMP/run" -name '*.part')" ] || fail "--ladder FILE: a .part file was left"
run 2 "--ladder FILE, run stopped" --ladder x.ladder -o x.pcap --max-events 3 "$S"
[ ! -e "$TMP/run/x.ladder" ] || fail "--ladder FILE, run stopped: the ladder was kept"
[ -z "$(find "$TMP/run" -name '*.part')" ] || fail "--ladder FILE, run stopped: a .part file was left"

# 6. Refusals.
refused "reversed time range" "tcpsim: --ladder-time: '0.3:0.1': the range ends before it starts" \
	--ladder - --ladder-time 0.3:0.1 "$S"
refused "time range without a colon" \
	"tcpsim: --ladder-time: '5': expected FROM:TO, send times such as 0.1:0.3 or 100ms:300ms (either may be left out)" \
	--ladder - --ladder-time 5 "$S"
refused "bad time" \
	"tcpsim: --ladder-time: 'abc:': 'abc': expected a time such as 25ms (units: ns, us, ms, s, min)" \
	--ladder - --ladder-time=abc: "$S"
refused "bad time unit" "tcpsim: --ladder-time: '1:2h': '2h': unknown time unit: use ns, us, ms, s or min" \
	--ladder - --ladder-time 1:2h "$S"
refused "packet 0" "tcpsim: --ladder-packets: '0:5': packets are numbered from 1" \
	--ladder - --ladder-packets 0:5 "$S"
refused "reversed packet range" "tcpsim: --ladder-packets: '9:3': the range ends before it starts" \
	--ladder - --ladder-packets 9:3 "$S"
refused "not a packet number" "tcpsim: --ladder-packets: 'x': 'x' is not a packet number (1, 2, 3 ...)" \
	--ladder - --ladder-packets x "$S"
refused "range without --ladder" "tcpsim: --ladder-time: draws nothing without --ladder PATH" \
	--ladder-time 0.1:0.2 "$S"
refused "packets without --ladder" "tcpsim: --ladder-packets: draws nothing without --ladder PATH" \
	--ladder-packets 1:2 "$S"
refused "--ladder without a value" "tcpsim: option '--ladder' needs a value" "$S" --ladder
refused "--ladder-time without a value" "tcpsim: option '--ladder-time' needs a value" \
	--ladder - "$S" --ladder-time
refused "--ladder ''" "tcpsim: option '--ladder' needs a file name" --ladder "" "$S"
refused "--ladder - and -o -" "tcpsim: --ladder - cannot share standard output with -o - or --trace -" \
	--ladder - -o - "$S"
refused "--ladder - and --trace -" "tcpsim: --ladder - cannot share standard output with -o - or --trace -" \
	--ladder - --trace - "$S"
run 2 "--ladder and --trace, one file" --ladder x --trace x "$S"
[ "$(cat "$TMP/stderr")" = "tcpsim: x and x name the same file; give each output its own" ] ||
	fail "--ladder and --trace, one file: stderr is '$(cat "$TMP/stderr")'"
run 2 "--ladder into a missing directory" --ladder "$TMP/missing/x" "$S"
[ "$(cat "$TMP/stderr")" = "tcpsim: cannot create ladder file $TMP/missing/x: No such file or directory" ] ||
	fail "--ladder into a missing directory: stderr is '$(cat "$TMP/stderr")'"
status=0
"$TCPSIM" --ladder - "$S" >&- 2>"$TMP/stderr" || status=$?
[ "$status" -eq 2 ] && [ "$(cat "$TMP/stderr")" = "tcpsim: standard output is closed: nowhere to write the output '-'" ] ||
	fail "--ladder - with stdout closed: exit $status, stderr '$(cat "$TMP/stderr")'"
# Writable, as make distcheck's source tree is not: the refusal to test is
# the scenario's, not a read-only file's.
cp "$S" "$TMP/s.yaml" && chmod u+w "$TMP/s.yaml"
run 2 "--ladder SCENARIO" --ladder "$TMP/s.yaml" "$TMP/s.yaml"
[ "$(cat "$TMP/stderr")" = "tcpsim: $TMP/s.yaml is the scenario file; it is never an output" ] ||
	fail "--ladder SCENARIO: stderr is '$(cat "$TMP/stderr")'"
cmp -s "$TMP/s.yaml" "$S" || fail "--ladder SCENARIO: the scenario changed"

finish
