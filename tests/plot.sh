#!/bin/sh
# --plot DIR on the fast-retransmit scenario: the data files against the
# trace CSV and the summary, the script and the pictures gnuplot draws from
# it (when gnuplot is installed), the same bytes on every run, and bad
# directories refused with one message, nothing left behind.
. "$SRCDIR/tests/lib.sh"

S="$SRCDIR/scenarios/fast-retransmit.yaml"
W="$TMP/w"
GNUPLOT=$(command -v gnuplot || true)

# run WANT WHAT COMMAND...: COMMAND in $W, stdout/stderr to $TMP/{stdout,stderr}.
run() {
	want=$1; what=$2; shift 2
	status=0
	(cd "$W" && "$@" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	if [ "$status" -eq "$want" ]; then pass "$what"; else fail "$what: exit $status, want $want"; cat "$TMP/stderr" >&2; fi
}
stderr_is() {
	[ "$(cat "$TMP/stderr")" = "$1" ] || fail "$2: stderr is '$(cat "$TMP/stderr")', want '$1'"
}
# same WHAT GOT WANT
same() {
	[ "$2" = "$3" ] && pass "$1" || fail "$1: '$2', want '$3'"
}
# rows FILE AWK-CONDITION: the data rows (not the # lines) that match.
rows() {
	awk "!/^#/ && ($2)" "$1"
}
no_parts() {
	[ -z "$(find "$W" -name '*.part')" ] || fail "$1: a .part file was left: $(find "$W" -name '*.part')"
}
fresh() { rm -rf "$W"; mkdir -p "$W"; }

# 1. The data, without gnuplot: the trace CSV and the summary say the same.
fresh
run 0 "--plot without gnuplot" env PATH=/nonexistent "$TCPSIM" --json -o cap.pcap \
	--trace trace.csv --plot plots "$S"
stderr_is "tcpsim: gnuplot is not on PATH; to draw the plots: gnuplot plots/plots.gp" \
	"without gnuplot: one line says how to draw"
same "without gnuplot: the files" "$(cd "$W/plots" && echo *)" \
	"client-ack.dat client-cwnd.dat client-tseq.dat plots.gp"
cp -r "$W/plots" "$TMP/nogp"
P="$TMP/nogp"
cp "$TMP/stdout" "$TMP/summary.json"

# The cwnd samples at the fast retransmit: the trace row's, and the
# retransmission's own (taken as it left), both the CSV's row.
csv=$(grep ',client,fast_retransmit,' "$W/trace.csv" | cut -d, -f1,4,5,6 | tr , ' ')
same "cwnd at the fast retransmit (trace)" "$(rows "$P/client-cwnd.dat" '$5 == "trace" && $6 == "fast_retransmit"' | cut -d' ' -f1-4)" "$csv"
same "cwnd at the fast retransmit (sent)" "$(rows "$P/client-cwnd.dat" '$5 == "sent" && $6 == "fast_retransmit"' | cut -d' ' -f1-4)" "$csv"
same "the fast retransmit, exactly" "$csv" "0.133372800 18250 13870 30660"
# Every trace row of the client and every packet it sent after the SYN
# (before the SYN-ACK it has no congestion window) is one sample.
same "cwnd: one sample per trace row" "$(rows "$P/client-cwnd.dat" '$5 == "trace"' | wc -l)" \
	"$(grep -c ',client,' "$W/trace.csv")"
same "cwnd: one sample per packet but the SYN" "$(rows "$P/client-cwnd.dat" '$5 == "sent"' | wc -l)" \
	"$(($(json_get "$TMP/summary.json" client.segments_sent) - 1))"
same "cwnd: the first sample" "$(rows "$P/client-cwnd.dat" 1 | head -1)" "0.040076800 14600 inf 0 sent handshake_ack"
same "cwnd: the largest is max_cwnd_bytes" \
	"$(rows "$P/client-cwnd.dat" 1 | sort -k2,2n | tail -1 | cut -d' ' -f2)" \
	"$(json_get "$TMP/summary.json" client.max_cwnd_bytes)"
same "cwnd: ssthresh set at the fast retransmit" \
	"$(rows "$P/client-cwnd.dat" '$3 != "inf"' | head -1 | cut -d' ' -f1,3)" "0.133372800 13870"

# The time-sequence graph: the dropped segment, its retransmission, and the
# counts the summary has.
same "tseq: the drop (the 20th packet, Seq=24821)" "$(rows "$P/client-tseq.dat" '$5 != "accepted"')" \
	"0.086140800 24821 26281 new drop_list data"
same "tseq: the fast retransmission" "$(rows "$P/client-tseq.dat" '$4 == "retransmit"')" \
	"0.133372800 24821 26281 retransmit accepted fast_retransmit"
same "tseq: retransmissions are client.retransmissions" \
	"$(rows "$P/client-tseq.dat" '$4 == "retransmit"' | wc -l)" \
	"$(json_get "$TMP/summary.json" client.retransmissions)"
drops=$(($(json_get "$TMP/summary.json" link.client_to_server.dropped) + \
	$(json_get "$TMP/summary.json" link.client_to_server.queue_drops)))
same "tseq: drops are the link's drops" "$(rows "$P/client-tseq.dat" '$5 != "accepted"' | wc -l)" "$drops"
same "tseq: the SYN is 0" "$(rows "$P/client-tseq.dat" 1 | head -1)" "0.000000000 0 1 new accepted syn"
# New data covers the sequence space once: the SYN, 200000 bytes, the FIN.
same "tseq: new rows cover [0, 200002) once" \
	"$(rows "$P/client-tseq.dat" '$4 == "new"' | awk 'BEGIN { e = 0 } $2 != e { bad = 1 } { n += $3 - $2; e = $3 } END { print bad + 0, n, e }')" \
	"0 200002 200002"
# The ACKs: the SYN-ACK's (window 65535, never scaled in a SYN), the last one.
same "ack: the SYN-ACK" "$(rows "$P/client-ack.dat" 1 | head -1)" "0.040076800 1 65536"
same "ack: the last ACK covers the FIN" "$(rows "$P/client-ack.dat" 1 | tail -1 | cut -d' ' -f2)" "200002"
same "ack: never backwards" "$(rows "$P/client-ack.dat" 1 | awk '$2 < a { bad = 1 } { a = $2 } END { print bad + 0 }')" "0"
# The server sent no data: no plot of it, in the script either.
grep -q server "$P/plots.gp" && fail "the script draws the server, which sent no data"
grep -qF "set output dir.'client-cwnd.'.fmt.part" "$P/plots.gp" || fail "the script draws client-cwnd"
grep -qF "set output dir.'client-tseq.'.fmt.part" "$P/plots.gp" || fail "the script draws client-tseq"
# Only the marks that happened: a fast retransmit, no timeout.
grep -q "'fast_retransmit'" "$P/plots.gp" || fail "the script marks the fast retransmit"
grep -q "'rto'" "$P/plots.gp" && fail "the script marks a timeout that did not happen"
no_parts "without gnuplot"

# 2. The pictures.
if [ -z "$GNUPLOT" ]; then
	echo "gnuplot is not installed (./bootstrap installs it): pictures skipped"
else
	fresh
	run 0 "--plot with gnuplot" "$TCPSIM" -o cap.pcap --plot plots "$S"
	same "with gnuplot: nothing on stderr" "$(cat "$TMP/stderr")" ""
	same "with gnuplot: the files" "$(cd "$W/plots" && echo *)" \
		"client-ack.dat client-cwnd.dat client-cwnd.png client-cwnd.svg client-tseq.dat client-tseq.png client-tseq.svg plots.gp"
	for f in client-cwnd client-tseq; do
		[ -s "$W/plots/$f.png" ] && [ -s "$W/plots/$f.svg" ] || fail "$f: a picture is empty"
		same "$f.png is a PNG" "$(head -c 8 "$W/plots/$f.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
		same "$f.svg is an SVG" "$(sed -n 2p "$W/plots/$f.svg")" "<svg "
		grep -q "GNUPLOT [0-9]" "$W/plots/$f.svg" && fail "$f.svg names gnuplot's version"
	done
	for f in client-ack.dat client-cwnd.dat client-tseq.dat plots.gp; do
		cmp -s "$W/plots/$f" "$P/$f" || fail "with gnuplot: $f is not what it is without"
	done
	no_parts "with gnuplot"
	mv "$W/plots" "$TMP/first"
	# A second run, from another directory into another: the same bytes.
	mkdir -p "$W/sub"
	run 0 "a second run" "$TCPSIM" -o cap.pcap --plot sub/again "$S"
	for f in $(cd "$TMP/first" && echo *); do
		cmp -s "$TMP/first/$f" "$W/sub/again/$f" || fail "two runs: $f differs"
	done
	pass "two runs: the same bytes"
	# The script stands alone: gnuplot run from elsewhere finds the data
	# beside it and draws the same pictures.
	rm -f "$W/sub/again"/*.png "$W/sub/again"/*.svg
	(cd "$TMP" && "$GNUPLOT" -d "$W/sub/again/plots.gp") 2>"$TMP/gp.err" ||
		fail "gnuplot DIR/plots.gp: $(cat "$TMP/gp.err")"
	for f in client-cwnd.png client-tseq.png; do
		cmp -s "$TMP/first/$f" "$W/sub/again/$f" || fail "gnuplot DIR/plots.gp: $f differs"
	done
	[ -s "$TMP/gp.err" ] && fail "gnuplot DIR/plots.gp warns: $(cat "$TMP/gp.err")"
	pass "gnuplot DIR/plots.gp draws the same"
fi

# 3. gnuplot fails or draws nothing: exit 2, no picture, no temporary file;
# the data and the script are whole and in place.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "gnuplot: broken" >&2\nexit 3\n' >"$TMP/bin/gnuplot"
chmod +x "$TMP/bin/gnuplot"
fresh
run 2 "gnuplot fails" env PATH="$TMP/bin" "$TCPSIM" -o cap.pcap --plot plots "$S"
stderr_is "gnuplot: broken
tcpsim: gnuplot failed on plots/plots.gp (exit status 3); the data and the script are in place" \
	"gnuplot fails: its message, then one line"
same "gnuplot fails: no picture" "$(cd "$W/plots" && echo *)" \
	"client-ack.dat client-cwnd.dat client-tseq.dat plots.gp"
cmp -s "$W/plots/client-tseq.dat" "$P/client-tseq.dat" || fail "gnuplot fails: the data is not whole"
no_parts "gnuplot fails"
# gnuplot's arguments: no initialization file, the suffix, and a script
# name that cannot be taken for an option.
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/args"\n' "$TMP" >"$TMP/bin/gnuplot"
fresh
run 2 "gnuplot draws nothing" env PATH="$TMP/bin" "$TCPSIM" -o cap.pcap --plot -dash "$S"
stderr_is "tcpsim: gnuplot did not draw -dash/client-cwnd.svg: No such file or directory" \
	"gnuplot draws nothing: one line"
same "gnuplot's arguments" "$(sed 's/[0-9][0-9]*/PID/' "$TMP/args" | tr '\n' ' ')" \
	"-d -e part='.PID.gnuplot.part' ./-dash/plots.gp "
no_parts "gnuplot draws nothing"

# 4. Bad directories: one line, exit 2, nothing left behind.
fresh
echo keep >"$W/file"
run 2 "--plot FILE" "$TCPSIM" -o cap.pcap --plot file "$S"
stderr_is "tcpsim: --plot: file is not a directory" "--plot FILE: one line"
same "--plot FILE: the file is as it was, nothing else written" "$(cat "$W/file") $(cd "$W" && echo *)" "keep file"
fresh
run 2 "--plot in a missing directory" "$TCPSIM" -o cap.pcap --plot missing/plots "$S"
stderr_is "tcpsim: --plot: cannot create directory missing/plots: No such file or directory" \
	"--plot in a missing directory: one line"
same "--plot in a missing directory: nothing written" "$(cd "$W" && echo *)" "*"
fresh
mkdir "$W/ro"
chmod 555 "$W/ro"
ro=ro
if touch "$W/ro/probe" 2>/dev/null; then
	# Permissions do not stop root: a directory of sysfs does.
	rm -f "$W/ro/probe"
	ro=""
	touch /sys/tcpsim-probe 2>/dev/null || ro=/sys
fi
if [ -n "$ro" ]; then
	run 2 "--plot unwritable" "$TCPSIM" -o cap.pcap --plot "$ro" "$S"
	stderr_is "tcpsim: cannot create plot file $ro/client-cwnd.dat: Permission denied" \
		"--plot unwritable: one line"
	same "--plot unwritable: nothing written" "$(cd "$W" && echo *) $(ls -A "$W/ro")" "ro "
else
	echo "no unwritable directory to try: skipped"
fi
chmod 755 "$W/ro"
# A run that fails after --plot created its directory removes it again; an
# existing directory keeps what it had.
fresh
run 2 "a failed run" "$TCPSIM" -o cap.pcap --max-events 10 --plot plots "$S"
same "a failed run: nothing written" "$(cd "$W" && echo *)" "*"
mkdir "$W/old" && echo old >"$W/old/client-cwnd.dat"
run 2 "a failed run, existing directory" "$TCPSIM" -o cap.pcap --max-events 10 --plot old "$S"
same "a failed run: the old plot is as it was" "$(cd "$W/old" && echo *) $(cat "$W/old/client-cwnd.dat")" \
	"client-cwnd.dat old"
no_parts "failed runs"
fresh
run 2 "--plot ''" "$TCPSIM" --plot "" "$S"
grep -q "^tcpsim: option '--plot' needs a file name" "$TMP/stderr" || fail "--plot '': message"
# No host sends data: nothing to plot, said once, the directory not made.
fresh
run 0 "--plot, no data" env PATH=/nonexistent "$TCPSIM" --plot plots "$SRCDIR/scenarios/rst-closed-port.yaml"
stderr_is "tcpsim: --plot: no host sent data; nothing to plot" "--plot, no data: one line"
[ -e "$W/plots" ] && fail "--plot, no data: the directory was made"

finish
