#!/bin/sh
# docs/fidelity.md's tcpsim rows are what tcpsim makes today: tests/fidelity/run
# runs every case's tcpsim side (no ns-3) and fails on a row of the doc it does
# not make, or one it makes that the doc lacks. It also names each scenario the
# doc names, so a renamed or broken scenario fails here too.
. "$SRCDIR/tests/lib.sh"

if out=$("$SRCDIR/tests/fidelity/run" --check "$SRCDIR/docs/fidelity.md" 2>"$TMP/err"); then
	pass "$out"
else
	fail "$(grep -v '^fidelity: tcpsim \|^fidelity: ns-3 ' "$TMP/err")"
fi
for f in $(grep -o 'tests/fidelity/scenarios/[a-z0-9-]*\.yaml' "$SRCDIR/docs/fidelity.md" | sort -u); do
	if [ -e "$SRCDIR/$f" ]; then
		pass "docs/fidelity.md names $f, which exists"
	else
		fail "docs/fidelity.md names $f, which does not exist"
	fi
done
finish
