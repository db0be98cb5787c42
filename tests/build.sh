#!/bin/sh
# The program is built as configure said (docs/performance.md, "Build"):
#   - with LTO_CFLAGS set (--enable-lto, the default with GCC), every
#     object of the simulator's library carries GCC's intermediate form
#     beside its code (.gnu.lto_ sections, fat), and sim/tcpsim was
#     optimised whole at link time: its debug information names GCC's
#     link-time compiler ("GNU GIMPLE") as the producer of its units;
#   - without (--disable-lto, a sanitizer or coverage build), none of that.
# A program built without debug information (CFLAGS without -g) has no
# producer to read; then only the objects are checked, and this says so.
. "$SRCDIR/tests/lib.sh"

BUILDDIR=$(cd "$(dirname "$TCPSIM")/.." && pwd)
LTO_CFLAGS=${LTO_CFLAGS:-}

if ! command -v readelf >/dev/null 2>&1; then
	fail "readelf (binutils, which gcc needs) is not on PATH"
	finish
fi
set -- "$BUILDDIR"/sim/libsim_a-*.o
[ -f "$1" ] || { fail "no objects of the library in $BUILDDIR/sim"; finish; }
n=0 lto=0
for o in "$@"; do
	n=$((n + 1))
	if readelf -S -W "$o" | grep -q '\.gnu\.lto_'; then lto=$((lto + 1)); fi
done
producers=$(readelf --debug-dump=info "$TCPSIM" 2>/dev/null | grep 'DW_AT_producer' | sed 's/.*): //')
gimple=$(printf '%s\n' "$producers" | grep -c '^GNU GIMPLE' || true)
if [ -n "$LTO_CFLAGS" ]; then
	[ "$lto" -eq "$n" ] && pass "all $n objects of the library carry LTO sections" ||
		fail "$lto of $n objects of the library carry LTO sections (LTO_CFLAGS=$LTO_CFLAGS)"
	if [ -z "$producers" ]; then
		echo "note: $TCPSIM has no debug information; its link is not checked"
	elif [ "$gimple" -gt 0 ]; then
		pass "sim/tcpsim was optimised at link time ($gimple units from GNU GIMPLE)"
	else
		fail "sim/tcpsim was not optimised at link time: $(printf '%s\n' "$producers" | head -1)"
	fi
else
	[ "$lto" -eq 0 ] && pass "no object of the library carries LTO sections (LTO off)" ||
		fail "$lto of $n objects carry LTO sections, with LTO off"
	[ "$gimple" -eq 0 ] && pass "sim/tcpsim was not optimised at link time (LTO off)" ||
		fail "sim/tcpsim has $gimple units from GNU GIMPLE, with LTO off"
fi
finish
