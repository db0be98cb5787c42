#!/bin/sh
# The fuzz harnesses' properties over their seed corpora and every
# regression input (tests/fuzz/regress/NAME/), through the plain replay
# programs: no clang or libFuzzer needed. A property that fails aborts the
# replay, which names the input.
. "$SRCDIR/tests/lib.sh"

replay() {
	name=$1
	shift
	if tests/fuzz/replay_"$name" "$@" >"$TMP/$name.out" 2>&1; then
		pass "$name: $(tail -n 1 "$TMP/$name.out" | sed 's/^replay: //')"
	else
		fail "$name: exit $?"
		grep -v '^replay: /' "$TMP/$name.out" >&2
		grep '^replay: /' "$TMP/$name.out" | tail -n 1 >&2
	fi
}

fz=$SRCDIR/tests/fuzz
replay scenario "$SRCDIR/scenarios" "$SRCDIR/tests/bad" "$fz/regress/scenario"
replay wire "$fz/corpus/wire" "$fz/regress/wire"
replay tcp "$fz/corpus/tcp" "$fz/regress/tcp"
finish
