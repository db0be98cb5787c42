#!/bin/sh
# Same scenario and seed: byte-identical pcap(s) and JSON, whatever the
# working directory. A different seed changes the capture.
. "$SRCDIR/tests/lib.sh"

mkdir -p "$TMP/a" "$TMP/b"
for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	captures "$f" || continue   # the long runs: tests/scenarios.sh holds their figures
	(cd "$TMP/a" && "$TCPSIM" --json -o "$name.pcap" "$f" >"$TMP/a/$name.json")
	(cd "$TMP/b" && "$TCPSIM" --json -o "$name.pcap" "$f" >"$TMP/b/$name.json")
	same=1
	cmp -s "$TMP/a/$name.json" "$TMP/b/$name.json" || { fail "$name: JSON differs between runs"; same=0; }
	for p in "$TMP/a/$name"*.pcap; do
		q="$TMP/b/$(basename "$p")"
		cmp -s "$p" "$q" || { fail "$name: $(basename "$p") differs between runs"; same=0; }
	done
	[ "$same" -eq 1 ] && pass "$name is deterministic"
done

# The trace too.
for d in a b; do
	(cd "$TMP/$d" && "$TCPSIM" --trace loss.csv -o trace.pcap "$SRCDIR/scenarios/loss-5pct.yaml" >/dev/null)
done
[ -s "$TMP/a/loss.csv" ] && cmp -s "$TMP/a/loss.csv" "$TMP/b/loss.csv" && pass "the trace is deterministic" ||
	fail "the trace differs between runs"

f="$SRCDIR/scenarios/loss-5pct.yaml"
"$TCPSIM" --json --seed 2 -o "$TMP/seed2.pcap" "$f" >"$TMP/seed2.json"
if cmp -s "$TMP/a/loss-5pct.pcap" "$TMP/seed2.pcap"; then
	fail "--seed 2 gives the same capture as seed 1"
else
	pass "--seed changes the run"
fi
[ "$(json_get "$TMP/seed2.json" seed)" = 2 ] && pass "--seed is reported" || fail "--seed not in the JSON"
finish
