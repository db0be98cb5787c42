#!/bin/sh
# Every scenario under scenarios/ runs with --check: its expect: block holds.
. "$SRCDIR/tests/lib.sh"

for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	if "$TCPSIM" --check -o "$TMP/$name.pcap" "$f" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
		pass "$name"
	else
		fail "$name: exit $? $(cat "$TMP/$name.err")"
		cat "$TMP/$name.out" >&2
	fi
done
finish
