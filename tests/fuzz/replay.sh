#!/bin/sh
# The fuzz harnesses' properties over their seed corpora (scenarios/,
# tests/bad/, the inputs made from captures in tests/fuzz/corpus/NAME/ and
# the minimized corpora of earlier fuzzing runs in corpus/found-NAME/) and
# every regression input (tests/fuzz/regress/NAME/), through the plain replay
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
replay scenario "$SRCDIR/scenarios" "$SRCDIR/tests/bad" "$fz/corpus/found-scenario" \
	"$fz/regress/scenario"
replay wire "$fz/corpus/wire" "$fz/corpus/found-wire" "$fz/regress/wire"
replay tcp "$fz/corpus/tcp" "$fz/corpus/found-tcp" "$fz/regress/tcp"
finish
