#!/bin/sh
# Each broken scenario under tests/bad/ fails with exit status 2 and exactly
# the one line of tests/bad/EXPECTED (the path as given, then LINE:COL), and
# leaves nothing behind in out/.
. "$SRCDIR/tests/lib.sh"

dir="$SRCDIR/tests/bad"
count=0
mkdir -p "$TMP/run"
while IFS= read -r line; do
	[ -n "$line" ] || continue
	file=${line%%:*}
	count=$((count + 1))
	status=0
	(cd "$TMP/run" && "$TCPSIM" "$dir/$file" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	want="tcpsim: $dir/$line"
	got=$(cat "$TMP/stderr")
	if [ "$status" -ne 2 ]; then
		fail "$file: exit status $status, want 2"
	elif [ "$got" != "$want" ]; then
		fail "$file: stderr differs
   want: $want
    got: $got"
	elif [ -s "$TMP/stdout" ]; then
		fail "$file: wrote to stdout"
	elif [ -e "$TMP/run/out" ]; then
		fail "$file: left $TMP/run/out behind"
	else
		pass "$file"
	fi
done <"$dir/EXPECTED"

# Every file in tests/bad/ is listed.
for f in "$dir"/*.yaml; do
	grep -q "^$(basename "$f"):" "$dir/EXPECTED" || fail "$(basename "$f") is not in EXPECTED"
done
[ "$count" -ge 15 ] || fail "only $count broken scenarios"
finish
