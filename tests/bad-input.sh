#!/bin/sh
# Hostile input that is generated rather than kept in tests/bad/: files that
# cannot be read, a 100 MB file, /dev/zero, 100 000 levels of nesting,
# hundreds of thousands of keys. Each run must end with exit status 2, one
# exact line on stderr, nothing on stdout and nothing written (no out/, no
# .part file). The limits are in docs/scenarios.md ("Input limits").
#
# "timeout 30" only keeps a hang from stalling the suite; the time each run
# took is printed for the log, not checked.
. "$SRCDIR/tests/lib.sh"

TIMEOUT=$(command -v timeout || true)
LIMIT="a scenario may be at most 16777216 bytes (16 MiB)"
SMALL="link: {rate: 1Mbps, delay: 1ms}
client: {app: [connect]}
server: {app: sink}"

now() {
	date +%s.%N 2>/dev/null || date +%s
}

# refused FILE WANT: tcpsim FILE fails with exit 2 and stderr "tcpsim: WANT".
refused() {
	file=$1; want="tcpsim: $2"
	rm -rf "$TMP/run"; mkdir -p "$TMP/run"
	status=0
	start=$(now)
	(cd "$TMP/run" && ${TIMEOUT:+$TIMEOUT 30} "$TCPSIM" "$file" >"$TMP/stdout" 2>"$TMP/stderr") ||
		status=$?
	took=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
	got=$(cat "$TMP/stderr")
	what="$(basename "$file") (${took}s)"
	if [ "$status" -ne 2 ]; then
		fail "$what: exit status $status, want 2"
	elif [ "$got" != "$want" ]; then
		fail "$what: stderr differs
   want: $want
    got: $got"
	elif [ -s "$TMP/stdout" ]; then
		fail "$what: wrote to stdout"
	elif [ -e "$TMP/run/out" ] || [ -n "$(find "$TMP/run" -name '*.part')" ]; then
		fail "$what: left output behind"
	else
		pass "$what"
	fi
}

# repeat_text N TEXT: TEXT N times, without a newline.
repeat_text() {
	awk -v n="$1" -v s="$2" 'BEGIN { while (n-- > 0) printf "%s", s }'
}

refused "$TMP/missing.yaml" "$TMP/missing.yaml:1:1: cannot read file: No such file or directory"
mkdir "$TMP/dir.yaml"
refused "$TMP/dir.yaml" "$TMP/dir.yaml:1:1: cannot read file: Is a directory"
: >"$TMP/empty.yaml"
refused "$TMP/empty.yaml" "$TMP/empty.yaml:1:1: a scenario must be a mapping of keys"
if [ -r /dev/zero ]; then
	refused /dev/zero "/dev/zero:1:1: file too large: more than 16777216 bytes; $LIMIT"
fi

# 100 MB: a good scenario, then comments. Answered from the file's size.
{ echo "$SMALL"; head -c 104857500 /dev/zero | tr '\0' '#'; } >"$TMP/100mb.yaml"
refused "$TMP/100mb.yaml" "$TMP/100mb.yaml:1:1: file too large: 104857577 bytes; $LIMIT"
rm -f "$TMP/100mb.yaml"
# ... and from a pipe, which has no size.
status=0
head -c 104857600 /dev/zero | ${TIMEOUT:+$TIMEOUT 30} "$TCPSIM" /dev/stdin >"$TMP/stdout" 2>"$TMP/stderr" ||
	status=$?
[ "$status" -eq 2 ] && [ "$(cat "$TMP/stderr")" = \
	"tcpsim: /dev/stdin:1:1: file too large: more than 16777216 bytes; $LIMIT" ] &&
	pass "100 MB from a pipe" || fail "100 MB from a pipe: exit $status, $(cat "$TMP/stderr")"

# 100 000 levels of flow nesting: refused where the 65th level opens.
{ printf 'x: '; repeat_text 100000 '['; } >"$TMP/deep-seq.yaml"
refused "$TMP/deep-seq.yaml" "$TMP/deep-seq.yaml:1:67: lists and mappings nested more than 64 deep"
{ printf 'x: '; repeat_text 100000 '{a: '; } >"$TMP/deep-map.yaml"
refused "$TMP/deep-map.yaml" "$TMP/deep-map.yaml:1:256: lists and mappings nested more than 64 deep"

# 200 000 keys under expect: the loader takes them (in about half a second);
# tcpsim then finds the first one that is not a summary key.
{ echo "$SMALL"; echo "expect:"
  awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "  client.segments_sent_%d: 1\n", i }'
} >"$TMP/expect-200k.yaml"
refused "$TMP/expect-200k.yaml" \
	"$TMP/expect-200k.yaml:5:3: unknown summary key 'client.segments_sent_1' in expect"
echo "  client.segments_sent_7: 2" >>"$TMP/expect-200k.yaml"
refused "$TMP/expect-200k.yaml" "$TMP/expect-200k.yaml:200005:3: duplicate key 'client.segments_sent_7'"

# 200 000 distinct unknown keys under link:
{ printf 'link:\n  rate: 1Mbps\n  delay: 1ms\n'
  awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "  unknown_%d: 1\n", i }'
  printf 'client: {app: [connect]}\nserver: {app: sink}\n'
} >"$TMP/link-200k.yaml"
refused "$TMP/link-200k.yaml" "$TMP/link-200k.yaml:4:3: unknown key 'unknown_1' in 'link'"

# 100 000 anchors: refused at the 1001st.
{ echo "$SMALL"; echo "expect:"
  awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "  k%d: &a%d 1\n", i, i }'
} >"$TMP/anchors.yaml"
refused "$TMP/anchors.yaml" "$TMP/anchors.yaml:1005:10: more than 1000 anchors"

# 16 MiB of 1-item lists: refused at the millionth node.
{ printf 'x: ['; repeat_text 8388000 '1,'; echo '1]'; } >"$TMP/nodes.yaml"
refused "$TMP/nodes.yaml" "$TMP/nodes.yaml:1:1999999: more than 1000000 values, lists and mappings"

# A UTF-8 byte order mark and CR LF line ends (YAML 1.2 5.2, 5.4) change nothing:
# the same summary and the same capture as the plain file.
S="$SRCDIR/scenarios/handshake.yaml"
for variant in bom crlf bom-crlf; do
	f="$TMP/run-$variant/handshake.yaml"
	mkdir -p "$TMP/run-$variant" "$TMP/run-plain"
	case $variant in
	bom) { printf '\357\273\277'; cat "$S"; } >"$f" ;;
	crlf) sed 's/$/\r/' "$S" >"$f" ;;
	bom-crlf) { printf '\357\273\277'; sed 's/$/\r/' "$S"; } >"$f" ;;
	esac
	cp "$S" "$TMP/run-plain/handshake.yaml"
	(cd "$TMP/run-plain" && "$TCPSIM" --json --check handshake.yaml >summary.json) ||
		fail "plain handshake.yaml did not run"
	if (cd "$TMP/run-$variant" && "$TCPSIM" --json --check handshake.yaml >summary.json) &&
	   cmp -s "$TMP/run-plain/summary.json" "$TMP/run-$variant/summary.json" &&
	   cmp -s "$TMP/run-plain/out/handshake.pcap" "$TMP/run-$variant/out/handshake.pcap"; then
		pass "handshake.yaml with $variant runs as the plain file"
	else
		fail "handshake.yaml with $variant differs from the plain file"
	fi
done
finish
