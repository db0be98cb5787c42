#!/bin/sh
# make install, into a DESTDIR under $TMP:
#   - the program lands in $(bindir), the manual in $(man1dir), every file
#     of scenarios/ in $(pkgdatadir)/scenarios, and README.md, LICENSE,
#     every docs/*.md and the README's pictures (docs/*.png) in $(docdir)
#     (docs/ kept as docs/), each the same bytes as in the source tree: a
#     file missing from the lists in Makefile.am fails here;
#   - the manual formats without a warning, names the directories things
#     were installed in, and documents exactly the options that --help
#     lists, each of which the program accepts;
#   - the installed program's --help points at the installed scenario
#     reference and the manual, and it runs an installed scenario from an
#     empty directory, writing the same capture as the build's program;
#   - make uninstall removes every file again.
. "$SRCDIR/tests/lib.sh"

BUILDDIR=$(cd "$(dirname "$TCPSIM")/.." && pwd)
MAKE=${MAKE:-make}
# The flags of the make running the tests (its jobserver, check-long's
# variables) are not meant for these.
unset MAKEFLAGS MFLAGS MAKELEVEL
D="$TMP/dest"

# makevar NAME: the value of NAME in the build's Makefile, expanded.
makevar() {
	printf 'tcpsim-print-var:\n\t@echo "$(%s)"\n' "$1" |
		(cd "$BUILDDIR" && $MAKE -s --no-print-directory -f Makefile -f - tcpsim-print-var)
}

if (cd "$BUILDDIR" && $MAKE install DESTDIR="$D") >"$TMP/install.log" 2>&1; then
	pass "make install DESTDIR=..."
else
	fail "make install DESTDIR=..."
	cat "$TMP/install.log" >&2
	finish
fi
for var in bindir man1dir pkgdatadir docdir; do
	val=$(makevar "$var")
	case $val in
	/*) eval "$var=\$val" ;;
	*) fail "the Makefile's $var is '$val', not an absolute directory"; finish ;;
	esac
done
bin="$D$bindir/tcpsim"
man="$D$man1dir/tcpsim.1"
scn="$D$pkgdatadir/scenarios"
doc="$D$docdir"

[ -f "$bin" ] && [ -x "$bin" ] && pass "program in \$(bindir)" || fail "$bindir/tcpsim was not installed"
[ -f "$man" ] && pass "manual in \$(man1dir)" || fail "$man1dir/tcpsim.1 was not installed"

# installed_as SRC DEST WHERE: SRC was installed as DEST, the same bytes, not executable.
installed_as() {
	if [ ! -f "$2" ]; then
		fail "$1 was not installed (add it to $3 in Makefile.am)"
	elif ! cmp -s "$SRCDIR/$1" "$2"; then
		fail "$1 was installed with other contents"
	elif [ -x "$2" ]; then
		fail "$1 was installed executable"
	fi
}

# Every file in scenarios/ (the scenarios, the benchmark's in bench/, and any
# notes beside them), and nothing more.
want=$(cd "$SRCDIR/scenarios" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
for f in $want; do
	case $f in
	bench/*) installed_as "scenarios/$f" "$scn/$f" dist_benchscenarios_DATA ;;
	*) installed_as "scenarios/$f" "$scn/$f" dist_scenarios_DATA ;;
	esac
done
got=$(cd "$scn" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
[ "$got" = "$want" ] && pass "every scenario in \$(pkgdatadir)/scenarios"
for f in $(echo "$got" | grep -vxF "$want"); do
	fail "scenarios/$f was installed, but is not in the source tree"
done

# README.md, LICENSE, every docs/*.md and the README's pictures, and nothing more.
want=$( (echo LICENSE; echo README.md; cd "$SRCDIR" && ls docs/*.md docs/*.png) | sort)
for f in $want; do
	installed_as "$f" "$doc/$f" nobase_dist_doc_DATA
done
got=$(cd "$doc" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
[ "$got" = "$want" ] && pass "README.md, LICENSE, docs/*.md and docs/*.png in \$(docdir)"
for f in $(echo "$got" | grep -vxF "$want"); do
	fail "$f was installed in \$(docdir), but is not README.md, LICENSE, docs/*.md or docs/*.png"
done

# The manual: groff (what man uses) formats it without a warning.
if ! command -v groff >/dev/null 2>&1; then
	fail "groff is not installed (./bootstrap installs groff-base): the manual is not checked"
	finish
fi
if groff -man -ww -Tutf8 -z "$man" >/dev/null 2>"$TMP/groff.err" && [ ! -s "$TMP/groff.err" ]; then
	pass "the manual formats without a warning"
else
	fail "groff -man -ww: $(cat "$TMP/groff.err")"
fi
# Plain text, on long lines, unhyphenated, as the checks below read it.
groff -man -Tascii -P-cbou -rLL=300n -rHY=0 "$man" 2>/dev/null >"$TMP/man.txt"
if grep -n '@[A-Za-z_]*@' "$man" >"$TMP/unfilled"; then
	fail "the manual has placeholders left: $(cat "$TMP/unfilled")"
fi
for path in "$pkgdatadir/scenarios/" "$docdir/docs/scenarios.md" "$docdir/docs/sweeps.md" "$docdir/README.md" "$docdir/LICENSE"; do
	if ! grep -qF "$path" "$TMP/man.txt"; then
		fail "the manual does not name $path"
	elif [ ! -e "$D$path" ]; then
		fail "the manual names $path, which was not installed"
	fi
done

# The options: those --help lists (the words starting with '-' at the head
# of each '  -' line, before the description) and those the manual's
# OPTIONS section has an entry for (its tag lines, 7 spaces in) are one set.
"$bin" --help >"$TMP/help.txt" 2>&1 || fail "installed tcpsim --help: exit $?"
awk '/^  -/ {
	for (i = 1; i <= NF; i++) {
		w = $i; sub(/,$/, "", w)
		if (w ~ /^--?[a-z][a-z-]*$/) print w
		else if (w !~ /^[A-Z]+$/) break
	}
}' "$TMP/help.txt" | sort -u >"$TMP/help.opts"
awk '/^[A-Z]/ { in_options = ($0 == "OPTIONS"); next }
in_options && /^       -/ {
	for (i = 1; i <= NF; i++) {
		w = $i; sub(/,$/, "", w)
		if (w ~ /^--?[a-z][a-z-]*$/) print w
	}
}' "$TMP/man.txt" | sort -u >"$TMP/man.opts"
[ "$(wc -l <"$TMP/help.opts")" -ge 5 ] || fail "read too few options from --help: $(cat "$TMP/help.opts")"
for o in $(comm -23 "$TMP/help.opts" "$TMP/man.opts"); do
	fail "--help lists $o, which the manual's OPTIONS do not describe"
done
for o in $(comm -13 "$TMP/help.opts" "$TMP/man.opts"); do
	fail "the manual describes $o, which --help does not list"
done
# The same for the sweep: 'tcpsim sweep --help' and the manual's SWEEPS section.
"$bin" sweep --help >"$TMP/sweep-help.txt" 2>&1 || fail "installed tcpsim sweep --help: exit $?"
awk '/^  -/ {
	for (i = 1; i <= NF; i++) {
		w = $i; sub(/,$/, "", w)
		if (w ~ /^--?[a-z][a-z-]*$/) print w
		else if (w !~ /^[A-Z]+$/) break
	}
}' "$TMP/sweep-help.txt" | sort -u >"$TMP/sweep-help.opts"
awk '/^[A-Z]/ { in_sweeps = ($0 == "SWEEPS"); next }
in_sweeps && /^       -/ {
	for (i = 1; i <= NF; i++) {
		w = $i; sub(/,$/, "", w)
		if (w ~ /^--?[a-z][a-z-]*$/) print w
	}
}' "$TMP/man.txt" | sort -u >"$TMP/sweep-man.opts"
[ "$(wc -l <"$TMP/sweep-help.opts")" -ge 10 ] ||
	fail "read too few options from sweep --help: $(cat "$TMP/sweep-help.opts")"
for o in $(comm -23 "$TMP/sweep-help.opts" "$TMP/sweep-man.opts"); do
	fail "sweep --help lists $o, which the manual's SWEEPS section does not describe"
done
for o in $(comm -13 "$TMP/sweep-help.opts" "$TMP/sweep-man.opts"); do
	fail "the manual's SWEEPS section describes $o, which sweep --help does not list"
done
cmp -s "$TMP/sweep-help.opts" "$TMP/sweep-man.opts" &&
	pass "the manual and sweep --help list the same options: $(tr '\n' ' ' <"$TMP/sweep-help.opts")"
grep -qF "$docdir/docs/sweeps.md" "$TMP/sweep-help.txt" && [ -f "$D$docdir/docs/sweeps.md" ] &&
	pass "sweep --help names the installed guide" ||
	fail "sweep --help does not name $docdir/docs/sweeps.md: $(tail -1 "$TMP/sweep-help.txt")"
mkdir -p "$TMP/opt"
for o in $(cat "$TMP/man.opts"); do
	(cd "$TMP/opt" && "$bin" "$o" >/dev/null 2>"$TMP/opt.err") || true
	if grep -q "unknown option" "$TMP/opt.err"; then
		fail "the manual describes $o, which tcpsim refuses: $(cat "$TMP/opt.err")"
	fi
done
cmp -s "$TMP/help.opts" "$TMP/man.opts" && pass "the manual and --help list the same options: $(tr '\n' ' ' <"$TMP/help.opts")"

# --help points at the installed reference and at the manual.
grep -qF "$docdir/docs/scenarios.md" "$TMP/help.txt" && [ -f "$D$docdir/docs/scenarios.md" ] &&
	pass "--help names the installed scenario reference" ||
	fail "--help does not name $docdir/docs/scenarios.md: $(tail -2 "$TMP/help.txt")"
grep -q "man tcpsim" "$TMP/help.txt" || fail "--help does not mention the manual"

# The installed program runs an installed scenario, away from the source tree.
mkdir -p "$TMP/run" "$TMP/ref"
if (cd "$TMP/run" && "$bin" --check "$scn/handshake.yaml" >"$TMP/run.out" 2>&1); then
	pass "the installed program runs an installed scenario"
else
	fail "installed tcpsim --check $pkgdatadir/scenarios/handshake.yaml: $(cat "$TMP/run.out")"
fi
(cd "$TMP/ref" && "$TCPSIM" "$SRCDIR/scenarios/handshake.yaml" >/dev/null 2>&1)
[ -s "$TMP/run/out/handshake.pcap" ] && cmp -s "$TMP/run/out/handshake.pcap" "$TMP/ref/out/handshake.pcap" ||
	fail "the installed program's capture differs from the build's"

# make uninstall leaves no file behind.
if (cd "$BUILDDIR" && $MAKE uninstall DESTDIR="$D") >"$TMP/uninstall.log" 2>&1; then
	left=$(find "$D" -type f)
	[ -z "$left" ] && pass "make uninstall removes every file" || fail "make uninstall left: $left"
else
	fail "make uninstall DESTDIR=..."
	cat "$TMP/uninstall.log" >&2
fi

finish
