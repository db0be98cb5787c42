#!/bin/sh
# --set KEY.PATH=VALUE. Each line of tests/set/EXPECTED is the arguments of
# one run on tests/set/base.yaml, tab-separated, then the one line it must
# print on stderr (after "tcpsim: "), with exit status 2, nothing on stdout
# and nothing written. Then runs that succeed: a --set gives the capture and
# the summary that the same edit of the file gives, and the JSON records the
# arguments in order.
. "$SRCDIR/tests/lib.sh"

dir="$SRCDIR/tests/set"
base="$dir/base.yaml"
count=0
mkdir -p "$TMP/run"
tab=$(printf '\t')
while IFS= read -r line; do
	[ -n "$line" ] || continue
	count=$((count + 1))
	want="tcpsim: ${line##*"$tab"}"
	args=${line%"$tab"*}
	# The arguments, each after a --set, as positional parameters.
	set --
	rest=$args
	while :; do
		set -- "$@" --set "${rest%%"$tab"*}"
		case $rest in *"$tab"*) rest=${rest#*"$tab"} ;; *) break ;; esac
	done
	status=0
	(cd "$TMP/run" && "$TCPSIM" "$@" "$base" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	got=$(cat "$TMP/stderr")
	if [ "$status" -ne 2 ]; then
		fail "$args: exit status $status, want 2"
	elif [ "$got" != "$want" ]; then
		fail "$args: stderr differs
   want: $want
    got: $got"
	elif [ -s "$TMP/stdout" ]; then
		fail "$args: wrote to stdout"
	elif [ -e "$TMP/run/out" ]; then
		fail "$args: left $TMP/run/out behind"
	else
		pass "--set $args"
	fi
done <"$dir/EXPECTED"
[ "$count" -ge 10 ] || fail "only $count --set cases"

# same_as_file NAME SED-SCRIPT ARGS...: tcpsim ARGS base.yaml writes the
# capture that base.yaml edited by SED-SCRIPT writes, and the same JSON
# but for the "set" line.
same_as_file() {
	name=$1; script=$2; shift 2
	sed "$script" "$base" >"$TMP/$name.yaml"
	cmp -s "$base" "$TMP/$name.yaml" && fail "$name: the edit changed nothing"
	mkdir -p "$TMP/file" "$TMP/set"
	"$TCPSIM" --json -o "$TMP/file/$name.pcap" "$TMP/$name.yaml" >"$TMP/out.json" ||
		fail "$name: the edited file: exit $?"
	sed "s|$TMP/file/|DIR/|" "$TMP/out.json" >"$TMP/$name-file.json"
	"$TCPSIM" --json -o "$TMP/set/$name.pcap" "$@" "$base" >"$TMP/out.json" ||
		fail "$name: --set: exit $?"
	sed "s|$TMP/set/|DIR/|" "$TMP/out.json" >"$TMP/$name-set.json"
	if ! cmp -s "$TMP/file/$name.pcap" "$TMP/set/$name.pcap"; then
		fail "$name: the captures differ"
	elif ! grep -v '^  "set": ' "$TMP/$name-set.json" | diff - "$TMP/$name-file.json" >&2; then
		fail "$name: the summaries differ"
	else
		pass "$name: --set is the edit of the file"
	fi
}
# name: is the file's own; the edited copy has another file name.
same_as_file loss 's/loss: 1%/loss: 5%/' --set link.loss=5%
same_as_file nagle-seed 's/nagle: true/nagle: false/; s/^name: set-base/&\nseed: 9/' \
	--set client.tcp.nagle=false --set seed=9
same_as_file new-keys 's/^  loss: 1%/&\n  b_to_a: {delay: 50ms}/; s/^server:/&\n  tcp: {sack: true}/; s/^client:/&\n  tcp: {sack: true, nagle: true}/; /^  tcp: {nagle: true}/d' \
	--set link.b_to_a.delay=50ms --set server.tcp.sack=true --set client.tcp.sack=true
same_as_file later-wins 's/loss: 1%/loss: 0/' --set link.loss=3% --set link.loss=0
# The path's impairments: a loss model's mapping built key by key, jitter, a direction's MTU.
same_as_file impairments 's/^  loss: 1%/&\n  jitter: 2ms\n  a_to_b: {loss: {model: gilbert-elliott, p: 5%, good_loss: 1%}}\n  b_to_a: {mtu: 1280, duplicate: 10%}/' \
	--set link.a_to_b.loss.model=gilbert-elliott --set link.a_to_b.loss.p=5% \
	--set link.a_to_b.loss.good_loss=1% --set link.jitter=2ms --set link.b_to_a.mtu=1280 \
	--set link.b_to_a.duplicate=10%

# The JSON records the arguments as given, in order, after the seed.
"$TCPSIM" --json -o "$TMP/x.pcap" --set seed=4 --set 'link.loss=2%' --set 'description=a "quoted" word' \
	"$base" >"$TMP/set.json" || fail "recorded: exit $?"
want='  "set": ["seed=4", "link.loss=2%", "description=a \"quoted\" word"],'
[ "$(sed -n '5p' "$TMP/set.json")" = "$want" ] && [ "$(json_get "$TMP/set.json" seed)" = 4 ] &&
	pass "the JSON records --set" || fail "the JSON records --set: $(sed -n '4,5p' "$TMP/set.json")"
"$TCPSIM" --json -o "$TMP/x.pcap" "$base" >"$TMP/plain.json" || fail "no --set: exit $?"
grep -q '"set"' "$TMP/plain.json" && fail "without --set, the JSON has no \"set\"" ||
	pass "without --set, no \"set\" in the JSON"

# --check: an expectation from --set is named by its argument when it fails.
status=0
"$TCPSIM" --check -o "$TMP/x.pcap" --set 'expect.client.retransmissions=> 1000' "$base" \
	>/dev/null 2>"$TMP/stderr" || status=$?
[ "$status" -eq 1 ] && grep -q '^--set expect.client.retransmissions=> 1000: expect client.retransmissions > 1000 failed: got ' "$TMP/stderr" &&
	pass "--check names a --set expectation" ||
	fail "--check with a --set expectation: exit $status, $(cat "$TMP/stderr")"
finish
