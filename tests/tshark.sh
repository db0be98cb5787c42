#!/bin/sh
# Wireshark reads every capture cleanly, and its TCP analysis agrees with
# the simulator's counters (see WIRESHARK.md in the design notes):
#   - no malformed frame, bad IPv4 or TCP checksum or error-level note,
#     except the damaged packets a host received and counted in its
#     checksum_errors (the link's 'corrupt' impairment): as many as that;
#   - for each host whose own packets are in a capture, the frames it sent
#     flagged tcp.analysis.retransmission or tcp.analysis.out_of_order
#     equal its 'retransmissions' counter, and those flagged
#     tcp.analysis.fast_retransmission its 'fast_retransmits';
#     zero_window, zero_window_probe, window_update and duplicate_ack its
#     zero_windows_sent, window_probes, window_updates_sent and
#     dupacks_sent;
#   - what each scenario's comment says Wireshark shows, and the figures it
#     gives from the capture and the --trace CSV, hold: the frames, their
#     labels and times (the tshark commands the comments give are run as
#     given), and the figures README.md quotes.
# One tshark pass reads each capture into a listing that the checks share:
# tshark's start-up, not its analysis, is most of the time a pass takes.
. "$SRCDIR/tests/lib.sh"

if [ -z "$TSHARK" ]; then
	echo "tshark is not installed (./bootstrap installs it): skipped"
	exit 77
fi
export WIRESHARK_CONFIG_DIR="$TMP/wsconfig"
mkdir -p "$WIRESHARK_CONFIG_DIR"

# Wireshark's defaults, said out loud (an empty configuration has them too).
ts() {
	file=$1; shift
	"$TSHARK" -n -r "$file" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o tcp.analyze_sequence_numbers:TRUE -o tcp.fastrt_supersedes_ooo:TRUE \
		-o tcp.relative_sequence_numbers:TRUE "$@" 2>/dev/null
}

# listing FILE CLIENT_ADDR [TSHARK-OPTION...]: one line per frame, tab-separated: 1 number,
# 2 time (relative), 3 C or S (the host that sent it), 4 source port, 5 Seq,
# 6 Ack, 7 Len, 8 window (scaled), 9 bytes captured, 10 Wireshark's Info
# column without the ports (its [TCP ...] labels, the flags and the fields
# as the packet list shows them); then what Wireshark's analysis flagged
# (1 when present): 11 retransmission, 12 out_of_order, 13
# fast_retransmission, 14 zero_window, 15 zero_window_probe, 16
# window_update, 17 duplicate_ack, 18 malformed; 19 the expert severities,
# 20 the IPv4 and 21 the TCP checksum status (0 bad, 1 good); 22 the raw
# Seq, 23 the raw Ack, 24 MSS, 25 window scale shift, 26 its multiplier,
# 27 TSval, 28 the window field as sent, 29 the IPv4 header checksum and 30
# the one it should be.
listing() {
	lf=$1 lc=$2; shift 2
	ts "$lf" -T fields -E separator=/t -E occurrence=f \
		-e frame.number -e frame.time_relative -e ip.src -e tcp.srcport -e tcp.seq -e tcp.ack \
		-e tcp.len -e tcp.window_size -e frame.cap_len -e _ws.col.Info \
		-e tcp.analysis.retransmission -e tcp.analysis.out_of_order -e tcp.analysis.fast_retransmission \
		-e tcp.analysis.zero_window -e tcp.analysis.zero_window_probe -e tcp.analysis.window_update \
		-e tcp.analysis.duplicate_ack -e _ws.malformed -e _ws.expert.severity \
		-e ip.checksum.status -e tcp.checksum.status -e tcp.seq_raw -e tcp.ack_raw \
		-e tcp.options.mss_val -e tcp.options.wscale.shift -e tcp.options.wscale.multiplier \
		-e tcp.options.timestamp.tsval -e tcp.window_size_value -e ip.checksum -e ip.checksum_calculated "$@" |
		awk -F'\t' -v c="$lc" 'BEGIN {OFS = "\t"} {$3 = ($3 == c) ? "C" : "S"; sub(/[0-9]+ → [0-9]+ /, "", $10); print}'
}
# flags F WHO: how many frames from WHO (C or S) carry each of the six
# flags the counters are held to; with WHO "-", how many frames are
# damaged (malformed, a bad checksum, or an error-level expert note).
flags() {
	awk -F'\t' -v w="$2" '
		$3 == w {r += ($11 != "" || $12 != ""); f += ($13 != ""); z += ($14 != ""); p += ($15 != "")
			u += ($16 != ""); d += ($17 != "")}
		{sev = 0; n = split($19, s, ","); for (i = 1; i <= n; i++) if (s[i] + 0 > sev) sev = s[i] + 0
		 if ($18 != "" || $20 == "0" || $21 == "0" || sev >= 8388608) bad++}
		END {if (w == "-") print bad + 0; else print r + 0, f + 0, z + 0, p + 0, u + 0, d + 0}' "$1"
}
# same LABEL GOT WANT: passes when GOT is WANT.
same() {
	[ "$2" = "$3" ] && pass "$1" || fail "$1: got '$2', want '$3'"
}
# info N: the Info column of frame N of the listing $F.
info() {
	awk -F'\t' -v n="$1" '$1 == n {print $10}' "$F"
}
# frames_where F AWK-CONDITION: "number time source Info;" for each matching frame.
frames_where() {
	awk -F'\t' "$2"' {printf "%s %s %s %s;", $1, $2, $3, $10}' "$1"
}
# rows NAME EVENT: the client's --trace rows of that event: time,cwnd,ssthresh,flight.
rows() {
	awk -F, -v e="$2" '$2 == "client" && $3 == e {printf "%s,%s,%s,%s ", $1, $4, $5, $6}' "$TMP/$1.csv"
}
# window-scale's capture has 150 000 frames, more than tshark analyses in
# reasonable time; its handshake and first windows are checked below.
SKIP_FULL="window-scale"

for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	captures "$f" || continue
	"$TCPSIM" --json --trace "$TMP/$name.csv" -o "$TMP/$name.pcap" "$f" >"$TMP/$name.json" ||
		{ fail "$name: run failed"; continue; }
	caddr=$(awk '/^client:/{c=1} c && /address:/{print $2; exit}' "$f")
	saddr=$(awk '/^server:/{c=1} c && /address:/{print $2; exit}' "$f")
	: "${caddr:=192.0.2.1}" "${saddr:=192.0.2.2}"
	for p in "$TMP/$name.pcap" "$TMP/$name-client.pcap" "$TMP/$name-server.pcap"; do
		[ -e "$p" ] || continue
		label="$name/$(basename "$p")"
		case " $SKIP_FULL " in *" $name "*) continue ;; esac
		case $(basename "$p") in
		*-server.pcap) hosts="server" ;;
		*) hosts="client" ;;
		esac
		if grep -q '^capture: server' "$f" || grep -q 'at: server' "$f"; then hosts="server"; fi
		captured=$hosts
		# The captured host's frames are all there, as it sent them; the
		# other host's too when its direction lost, damaged, reordered,
		# duplicated and delayed at random nothing on the way to the
		# capture point (a copy or a late packet looks like a
		# retransmission to Wireshark).
		case $captured in
		client) other="server"; dir=server_to_client ;;
		*) other="client"; dir=client_to_server ;;
		esac
		lost=0
		for k in dropped queue_drops corrupted reordered duplicated jittered; do
			lost=$((lost + $(json_get "$TMP/$name.json" "link.$dir.$k")))
		done
		[ "$lost" = 0 ] && hosts="$hosts $other"
		L="${p%.pcap}.f"
		listing "$p" "$caddr" >"$L"
		nframes=$(wc -l <"$L" | tr -d ' ')
		[ "$nframes" -gt 0 ] || { fail "$label: tshark read no frames"; continue; }
		bad=$(flags "$L" -)
		damaged=$(json_get "$TMP/$name.json" "$captured.checksum_errors")
		[ "$bad" = "$damaged" ] && pass "$label: $nframes frames, $bad damaged in transit (= $captured.checksum_errors)" ||
			fail "$label: $bad bad frame(s), $captured.checksum_errors $damaged"
		for who in $hosts; do
			set -- $(flags "$L" "$(echo "$who" | cut -c1 | tr cs CS)")
			for key in retransmissions fast_retransmits zero_windows_sent window_probes \
				   window_updates_sent dupacks_sent; do
				sim=$(json_get "$TMP/$name.json" "$who.$key")
				[ "$1" = "$sim" ] && pass "$label: $who.$key: Wireshark $1 = tcpsim $sim" ||
					fail "$label: $who.$key: Wireshark $1, tcpsim $sim"
				shift
			done
		done
	done
done

# ---- What each scenario's comment says, held to its capture and trace ----
# (scenarios/*.yaml; the figures there are the ones checked here.)

# handshake: the nine frames of the comment's table, and TIME_WAIT's 2 MSL.
F="$TMP/handshake.f"
same "handshake: the nine frames" \
	"$(awk -F'\t' '{f = $10; sub(/ Seq=.*/, "", f); printf "%s %s %s;", $1, $3, f}' "$F")" \
	"1 C [SYN];2 S [SYN, ACK];3 C [ACK];4 C [PSH, ACK];5 C [FIN, ACK];6 S [ACK];7 S [ACK];8 S [FIN, ACK];9 C [ACK];"
same "handshake: SYN Seq=0 MSS=1460 WS=4" "$(info 1 | grep -c 'Seq=0 .*MSS=1460 WS=4$')" 1
same "handshake: SYN-ACK Seq=0 Ack=1" "$(info 2 | grep -c '^\[SYN, ACK\] Seq=0 Ack=1 ')" 1
same "handshake: Len=1000, Ack=1001, Ack=1002" \
	"$(awk -F'\t' '$1 == 4 {printf "%s ", $7} $1 == 6 || $1 == 7 {printf "%s ", $6}' "$F")" "1000 1001 1002 "
same "handshake: the run ends 2 MSL = 60 s after frame 9" \
	"$(awk -F'\t' -v end="$(json_get "$TMP/handshake.json" end_time_s)" '$1 == 9 {printf "%.9f", end - $2}' "$F")" 60.000000000

# rst-closed-port: [SYN] then [RST, ACK], raw Seq 0, Ack=1, at 0.002007040 s.
F="$TMP/rst-closed-port.f"
same "rst-closed-port: [SYN], then [RST, ACK] Ack=1 at 0.002007040 s" \
	"$(awk -F'\t' '{f = $10; sub(/ Seq=.*/, "", f); printf "%s %s %s %s;", $2, $3, f, $6}' "$F")" \
	"0.000000000 C [SYN] 0;0.002007040 S [RST, ACK] 1;"
same "rst-closed-port: the RST's raw sequence number is 0" "$(awk -F'\t' '$10 ~ /RST/ {print $22}' "$F")" 0

# fast-retransmit: the comment's tshark command, literally, and the story.
F="$TMP/fast-retransmit.f"
out=$(ts "$TMP/fast-retransmit.pcap" -Y "tcp.analysis.duplicate_ack || tcp.analysis.fast_retransmission" |
	awk '{i = index($0, "["); l = substr($0, i); sub(/\].*/, "]", l); printf "%s %s;", $2, l}')
same "fast-retransmit: the comment's filter: Dup ACK #1, #2, #3, the fast retransmission, #4 ... #20" "$out" \
	"$(printf '0.130972800 [TCP Dup ACK 45#1];0.132172800 [TCP Dup ACK 45#2];0.133372800 [TCP Dup ACK 45#3];0.133372800 [TCP Fast Retransmission];'
	   awk -F'\t' '$17 != "" {n++; if (n >= 4) printf "%s [TCP Dup ACK 45#%d];", $2, n}' "$F")"
same "fast-retransmit: 20 duplicate ACKs, the last #20" \
	"$(grep -c 'Dup ACK 45#' "$F") $(grep -c 'Dup ACK 45#20\]' "$F")" "20 1"
same "fast-retransmit: frame 45 and every duplicate: Ack=24821 Win=131072" \
	"$(awk -F'\t' '$1 == 45 || $10 ~ /Dup ACK/ {print $6, $8}' "$F" | sort -u)" "24821 131072"
same "fast-retransmit: the retransmission is of Seq=24821" \
	"$(awk -F'\t' '$10 ~ /Fast Retransmission/ {print $5}' "$F")" 24821
# Limited transmit: one new segment at each of the first two duplicates;
# then nothing new until the 13th, when cwnd is a segment above the flight.
same "fast-retransmit: new data at dup #1 and #2 (limited transmit), then from #13" \
	"$(awk -F'\t' '$3 == "S" && $10 ~ /Dup ACK/ {d = $10; sub(/.*#/, "", d); sub(/\].*/, "", d); t = $2; next}
		$3 == "C" && $7 > 0 && $5 > max {if (d) printf "%s@%s ", d, ($2 == t) ? "same" : "later"; max = $5}' "$F" |
		cut -d' ' -f1-3)" "1@same 2@same 13@same"
same "fast-retransmit: Ack=55481, 47.232 ms after the retransmission, ends recovery" \
	"$(awk -F'\t' '$10 ~ /Fast Retransmission/ {t = $2} $3 == "S" && $6 == 55481 && !seen {seen = 1; printf "%s %.6f", $2, ($2 - t) * 1000}' "$F")" \
	"0.180604800 47.232000"
# README: the third duplicate ACK, the fast retransmission and the trace
# row share the instant the README names.
readme_t=$(sed -n 's/.*row are all at \([0-9.]*\) s.*/\1/p' "$SRCDIR/README.md")
same "README: the fast retransmission instant" \
	"$(awk -F'\t' '$10 ~ /Dup ACK 45#3\]|Fast Retransmission/ {printf "%s ", $2}' "$F")$(rows fast-retransmit fast_retransmit | cut -d, -f1)" \
	"$readme_t $readme_t $readme_t"

# newreno-partial-ack: the fast retransmission of 24821, the partial ACK and
# the [TCP Out-Of-Order] retransmission of 30661 at its instant, one recovery.
F="$TMP/newreno-partial-ack.f"
same "newreno-partial-ack: retransmissions and the partial ACK" \
	"$(frames_where "$F" '$10 ~ /Retransmission|Out-Of-Order/ || ($3 == "S" && $6 == 30661 && $10 !~ /Dup/)' | sed 's/ \[ACK\][^;]*//g')" \
	"54 0.133372800 C [TCP Fast Retransmission];78 0.180604800 S;79 0.180604800 C [TCP Out-Of-Order];"
same "newreno-partial-ack: the copies are of 24821 and 30661; the full ACK is Ack=65701" \
	"$(awk -F'\t' '$1 == 54 || $1 == 79 {printf "%s ", $5} $1 == 95 {printf "%s", $6}' "$F")" "24821 30661 65701"
same "newreno-partial-ack: the copy of 30661 comes 1.2 ms after the previous new segment" \
	"$(awk -F'\t' '$1 == 79 {printf "%.6f", $2 - t} $3 == "C" && $7 > 0 && $5 > m {m = $5; t = $2}' "$F")" 0.001200
same "newreno-partial-ack: the full ACK is the recovery_exit instant" "$(awk -F'\t' '$1 == 95 {print $2}' "$F")" 0.221836800

# slow-start: the first ACK of each of the first five round trips, the
# recovery, the climb back to ssthresh and congestion avoidance.
same "slow-start: the fast retransmission and the partial-ACK copy in the capture" \
	"$(frames_where "$TMP/slow-start.f" '$10 ~ /Retransmission|Out-Of-Order/' | sed 's/ \[ACK\][^;]*//g')" \
	"718 1.034332800 C [TCP Fast Retransmission];851 1.192732800 C [TCP Retransmission];"

# rto-backoff: five copies of Seq=83221 2, 4, 8, 16 s apart, Ack=113881,
# then the 18 segments lost in the blackout.
F="$TMP/rto-backoff.f"
same "rto-backoff: [TCP Retransmission] of Seq=83221 at 1.2, 3.2, 7.2, 15.2, 31.2 s" \
	"$(awk -F'\t' '$10 ~ /Retransmission/ && $5 == 83221 {printf "%s ", $2}' "$F")" \
	"1.218236800 3.218236800 7.218236800 15.218236800 31.218236800 "
same "rto-backoff: nothing from the server between 0.218 s and 31.259 s; the 18 segments sent after 200 ms are 113881 to 138701" \
	"$(awk -F'\t' '$3 == "S" && $2 > 0.22 && $2 < 31.25 {s++} $3 == "C" && $7 > 0 && $2 > 0.2 && $2 < 1 {n++; if (!f) f = $5; l = $5}
		END {print s + 0, n, f, l}' "$F")" "0 18 113881 138701"
same "rto-backoff: Ack=113881 at 31.259 s, then 18 more retransmissions, 113881 to 138701" \
	"$(awk -F'\t' '$3 == "S" && $6 == 113881 && !a {a = $2}
		$10 ~ /Retransmission/ && $5 != 83221 {n++; if (!first) first = $5; last = $5; if ($2 < a) bad++}
		END {print a, n, first, last, bad + 0}' "$F")" "31.259468800 18 113881 138701 0"

# tail-loss: the last ACK, a second of silence, the retransmission with the FIN.
F="$TMP/tail-loss.f"
same "tail-loss: the ACKs stop at Ack=198561, then the retransmission 1 s later" \
	"$(awk -F'\t' '$3 == "S" && $2 < 1 {a = $6; t = $2} $10 ~ /Retransmission/ {printf "%s %s %s %s", a, t, $2, $10}' "$F")" \
	"198561 0.515868800 1.515868800 [TCP Retransmission] [FIN, PSH, ACK] Seq=198561 Ack=1 Win=131072 Len=1440"

# echo-hi-gopher: the tutorial's tcpdump lines (tcpdump's flags: S SYN,
# . ACK, P PSH, F FIN), the ACK before the echo, the close 10 s later.
F="$TMP/echo-hi-gopher.f"
same "echo-hi-gopher: the tcpdump lines" \
	"$(awk -F'\t' '{f = $10; sub(/ Seq=.*/, "", f); gsub(/[][]/, "", f); gsub(/SYN/, "S", f); gsub(/FIN/, "F", f);
		gsub(/PSH/, "P", f); gsub(/ACK/, ".", f); gsub(/, /, "", f); sub(/^\.$/, ".", f);
		if (length(f) > 1) sub(/\.$/, ".", f); printf "%s[%s]%s ", $3, f, ($7 > 0) ? $7 : ""}' "$F")" \
	"C[S] S[S.] C[.] C[P.]11 S[.] S[P.]100 C[.] C[F.] S[.] S[F.] C[.] "
same "echo-hi-gopher: mss 16344, wscale, TS val/ecr on both SYNs" \
	"$(awk -F'\t' '$10 ~ /SYN/ {printf "%s,%s,%s ", $24, $25, $27}' "$F")" "16344,3,0 16344,3,0 "
same "echo-hi-gopher: the close 10 s after connecting" \
	"$(awk -F'\t' '$1 == 3 {t = $2} $10 ~ /FIN/ && !f {f = 1; printf "%.9f", $2 - t}' "$F")" 10.000000000
same "echo-hi-gopher: the echo is the text and 89 zero bytes" \
	"$(ts "$TMP/echo-hi-gopher.pcap" -Y 'tcp.srcport == 8000 && tcp.len > 0' -T fields -e tcp.payload)" \
	"$(printf 'Hi, gopher?' | od -An -tx1 | tr -d ' \n')$(printf '%0178d' 0)"

# simultaneous-open: two SYNs, two SYN-ACKs labelled retransmissions, the ACK.
F="$TMP/simultaneous-open.f"
same "simultaneous-open: the four handshake packets and the ACK, with their times" \
	"$(awk -F'\t' '$1 <= 5 {f = $10; sub(/ Seq=.*/, "", f); printf "%s %.6f %s %s;", $1, $2, $3, f}' "$F")" \
	"1 0.000000 C [SYN];2 0.010038 S [SYN];3 0.010038 C [TCP Retransmission] [SYN, ACK];4 0.020077 S [TCP Retransmission] [SYN, ACK];5 0.020077 C [TCP Window Update] [ACK];"
same "simultaneous-open: the client's 1000 bytes follow its ACK" \
	"$(awk -F'\t' '$1 == 6 {printf "%.6f %s %s", $2, $3, $7}' "$F")" "0.020077 C 1000"

# simultaneous-close: the FINs cross at 1 s, each acknowledged.
F="$TMP/simultaneous-close.f"
same "simultaneous-close: FIN, FIN, ACK, ACK from 1 s" \
	"$(awk -F'\t' '$2 >= 1 {f = $10; sub(/ Seq=.*/, "", f); printf "%.6f %s %s %s;", $2, $3, f, $6}' "$F")" \
	"1.000000 C [FIN, ACK] 1001;1.010032 S [FIN, ACK] 1001;1.010032 C [ACK] 1002;1.020064 S [ACK] 1002;"

# server-closes-first: the server's FIN first, then the client's ACK and FIN.
F="$TMP/server-closes-first.f"
same "server-closes-first: the closing exchange" \
	"$(awk -F'\t' '$10 ~ /FIN/ || p {p = 1; f = $10; sub(/ Seq=.*/, "", f); printf "%.6f %s %s %s;", $2, $3, f, $6}' "$F")" \
	"0.044413 S [FIN, ACK] 101;0.044413 C [ACK] 5002;0.044413 C [FIN, ACK] 5002;0.064509 S [ACK] 102;"

# abort-rst: the RST at the instant the last response segment arrives; no FIN.
F="$TMP/abort-rst.f"
same "abort-rst: the last segment and the RST" \
	"$(awk -F'\t' '$1 >= 10 {f = $10; sub(/ Ack=.*/, "", f); printf "%.6f %s %s %s;", $2, $3, $7, f}' "$F")" \
	"0.044381 S 620 [PSH, ACK] Seq=4381;0.044381 C 0 [RST] Seq=101 Win=0 Len=0;"
same "abort-rst: no FIN" "$(awk -F'\t' '$10 ~ /FIN/' "$F" | wc -l | tr -d ' ')" 0
same "abort-rst: the latency the comment gives" \
	"$(json_get "$TMP/abort-rst.json" client.requests.latency_max_ms)" 24.304

# request-response: the delayed ACK, the held 1020 bytes, the second request.
F="$TMP/request-response.f"
same "request-response: frames 24 to 28" \
	"$(awk -F'\t' '$1 >= 24 && $1 <= 28 {f = $10; sub(/ Seq=.*/, "", f); printf "%s %.6f %s %s %s %s;", $1, $2, $3, $6, $7, f}' "$F")" \
	"24 0.136413 S 301 1460 [ACK];25 0.336413 C 18981 0 [ACK];26 0.377293 S 301 1020 [PSH, ACK];27 0.577293 C 20001 0 [ACK];28 0.577293 C 20001 300 [PSH, ACK];"
same "request-response: ten requests of 300 bytes" \
	"$(awk -F'\t' '$3 == "C" && $7 == 300' "$F" | wc -l | tr -d ' ')" 10
same "request-response: the first latency, and the second to tenth" \
	"$(tr -d ' \n' <"$TMP/request-response.json" | sed 's/.*"latencies_ms":\[\([^]]*\)\].*/\1/')" \
	"337.216,66.752,66.720,66.720,66.720,66.720,66.720,66.720,66.720,66.720"

# bidirectional: the server's data from frame 14; data segments that acknowledge data.
F="$TMP/bidirectional.f"
same "bidirectional: the server's first data segment" \
	"$(awk -F'\t' '$3 == "S" && $7 > 0 {printf "%s %.6f", $1, $2; exit}' "$F")" "14 0.041309"
same "bidirectional: data segments acknowledging data, of all frames" \
	"$(awk -F'\t' '$7 > 0 && $6 > 1 {n++} END {print n + 0, NR}' "$F")" "1350 1967"

# asymmetric: the last upload segment; the download alone, for comparison.
same "asymmetric: the upload's last segment leaves at 0.565 s" \
	"$(awk -F'\t' '$3 == "C" && $7 > 0 {t = $2} END {printf "%.3f", t}' "$TMP/asymmetric.f")" 0.565
sed 's/^  app: \[connect, {send: 100KB}, close\]$/  app: [connect]/' "$SRCDIR/scenarios/asymmetric.yaml" >"$TMP/asym-down.yaml"
"$TCPSIM" --json -o "$TMP/asym-down.pcap" "$TMP/asym-down.yaml" >"$TMP/asym-down.json"
same "asymmetric: the download alone ends at 1.043 s, 15.338 Mbit/s" \
	"$(json_get "$TMP/asym-down.json" server.transfer_time_s) $(json_get "$TMP/asym-down.json" server.transfer_goodput_mbps)" \
	"1.043163200 15.338"

# The handshake and teardown faults: the frames and times their comments give.
# fl F FRAMES: "number time host labels-and-flags Seq Ack Len;" for those frames.
fl() {
	awk -F'\t' -v want=" $2 " 'index(want, " " $1 " ") {f = $10; sub(/ Seq=.*/, "", f);
		printf "%s %.6f %s %s %s %s %s;", $1, $2, $3, f, $5, $6, $7}' "$1"
}
same "syn-lost: the SYN, its retransmission 1 s later, the SYN-ACK" \
	"$(fl "$TMP/syn-lost.f" "1 2 3")" \
	"1 0.000000 C [SYN] 0 0 0;2 1.000000 C [TCP Retransmission] [SYN] 0 0 0;3 1.020077 S [SYN, ACK] 0 1 0;"
same "syn-lost: done at 1.042 s" "$(json_get "$TMP/syn-lost.json" transfer_time_s)" 1.041836800
same "synack-lost: the SYNs, the SYN-ACKs, the client's answer to the second" \
	"$(fl "$TMP/synack-lost.f" "1 2 3 8 9")" \
	"1 0.000000 C [SYN] 0 0 0;2 1.000000 C [TCP Retransmission] [SYN] 0 0 0;3 1.020077 S [SYN, ACK] 0 1 0;8 1.020115 S [TCP Retransmission] [SYN, ACK] 0 1 0;9 1.020115 C [TCP Dup ACK 4#1] [ACK] 2002 1 0;"
same "final-ack-lost: the client sent its ACK" \
	"$(fl "$TMP/final-ack-lost-client.f" "3")" "3 0.020077 C [ACK] 1 1 0;"
same "final-ack-lost: the server's third frame is the first data segment" \
	"$(fl "$TMP/final-ack-lost-server.f" "1 2 3")" \
	"1 0.000000 C [SYN] 0 0 0;2 0.000000 S [SYN, ACK] 0 1 0;3 0.021238 C [ACK] 1 1 1460;"
same "fin-lost: the FIN, the ACK of the data, the FIN resent 1 s later, its ACK" \
	"$(fl "$TMP/fin-lost.f" "6 8 9 10")" \
	"6 0.020077 C [FIN, ACK] 2001 1 0;8 0.241805 S [ACK] 1 2001 0;9 1.241805 C [TCP Retransmission] [FIN, ACK] 2001 1 0;10 1.261869 S [ACK] 1 2002 0;"
same "drop-third-segment: the segment, the duplicate ACKs, the fast retransmission, the end" \
	"$(fl "$TMP/drop-third-segment.f" "6 20 22 23 31")" \
	"6 0.020077 C [ACK] 2921 1 1460;20 0.044941 S [TCP Dup ACK 17#1] [ACK] 1 2921 0;22 0.047341 S [TCP Dup ACK 17#3] [ACK] 1 2921 0;23 0.047341 C [TCP Fast Retransmission] [ACK] 2921 1 1460;31 0.068573 S [ACK] 1 20002 0;"

# bulk-200k: the Wireshark tutorial's picture.
F="$TMP/bulk-200k.f"
same "bulk-200k: data segments of 65495 x 3 and 8315" \
	"$(awk -F'\t' '$3 == "C" && $7 > 0 {printf "%s ", $7}' "$F")" "65495 65495 65495 8315 "
same "bulk-200k: the first segment goes alone, the rest after its ACK" \
	"$(awk -F'\t' '$7 > 0 || ($3 == "S" && $10 !~ /SYN/) {printf "%s ", ($3 == "C") ? "D" $5 : "A" $6}' "$F" | cut -d' ' -f1-5)" \
	"D1 A65496 D65496 D130991 D196486"
same "bulk-200k: the cumulative ACK 204801 comes before the client's FIN" \
	"$(awk -F'\t' '$3 == "S" && $6 == 204801 && !a {a = $1} $3 == "C" && $10 ~ /FIN/ {print (a && a < $1) ? "before" : "not before"}' "$F")" before
same "bulk-200k: MSS 65495 and WS=64 both ways; the SYN-ACK's window 65535, unscaled" \
	"$(awk -F'\t' '$10 ~ /SYN/ {printf "%s/%s/%s ", $24, $26, $28}' "$F")" "65495/64/65535 65495/64/65535 "

# half-close: request and FIN at 0.020 s, both acknowledged, the data from
# 0.141 s (the server connected at 0.030 s plus 100 ms, plus the path), the
# server's FIN only after it.
F="$TMP/half-close.f"
same "half-close: request and FIN together, both ACKed, then the data, then the server's FIN" \
	"$(awk -F'\t' '{f = $10; sub(/ Seq=.*/, "", f); printf "%s %s %s %s %s;", substr($2, 1, 5), $3, f, $6, $7}' "$F" | cut -d';' -f4-9)" \
	"0.020 C [PSH, ACK] 1 200;0.020 C [FIN, ACK] 1 0;0.040 S [ACK] 201 0;0.040 S [ACK] 202 0;0.141 S [ACK] 202 1460;0.142 S [ACK] 202 1460"
same "half-close: the data arrives 100 ms after the server was connected (the handshake's ACK 10.032 ms on its way, the data 11.2 ms)" \
	"$(awk -F'\t' '$1 == 3 {a = $2} $3 == "S" && $7 > 0 && !d {d = $2; printf "%.9f", d - a - 0.010032 - 0.0112}' "$F")" 0.100000000
same "half-close: no server FIN before its last data; the client ACKs the 5000 bytes" \
	"$(awk -F'\t' '$3 == "S" && $10 ~ /FIN/ {fin = $1} $3 == "S" && $7 > 0 {last = $1} $3 == "C" && $2 > 0.1 {a = $6} END {print (fin > last) ? "after" : "before", a}' "$F")" \
	"after 5002"

# delayed-ack, delayed-ack-off: the server's ACK numbers step by 2920 (one
# per two segments) or 1460, all but the first and the last two; the ACK
# counts; the end.
for v in "delayed-ack 2920 343 0.974620800" "delayed-ack-off 1460 685 0.948556800"; do
	set -- $v
	F="$TMP/$1.f"
	same "$1: the first ACK is Ack=1461; all later ones but the last two step by $2" \
		"$(awk -F'\t' -v step="$2" '$3 == "S" && $10 !~ /SYN/ {n++; a[n] = $6}
			END {for (i = 2; i <= n - 2; i++) if (a[i] - a[i - 1] != step) bad++; print a[1], bad + 0}' "$F")" "1461 0"
	same "$1: $3 ACKs" "$(awk -F'\t' '$3 == "S" && $10 ~ /^\[ACK\]/ && $7 == 0 {n++} END {print n}' "$F")" "$3"
	same "$1: the server's FIN" "$(awk -F'\t' '$3 == "S" && $10 ~ /FIN/ {print $2}' "$F")" "$4"
done
same "delayed-ack: the first ACK opens the window to 131072, past the SYN-ACK's 65535" \
	"$(awk -F'\t' '$3 == "S" && $10 ~ /SYN/ {w0 = $8} $3 == "S" && $10 !~ /SYN/ {print w0, $8; exit}' "$TMP/delayed-ack.f")" "65535 131072"
same "delayed-ack: the client sends 688 segments, the server 345" \
	"$(awk -F'\t' '{n[$3]++} END {print n["C"], n["S"]}' "$TMP/delayed-ack.f")" "688 345"

# nagle-delayed-ack: at the server, each 40-byte header is answered by a bare
# ACK exactly 200 ms later (the delayed-ACK timer); at the client 220 ms
# later, and the 200-byte body leaves the instant that ACK arrives. Each
# request takes 241 ms, the five from 0.020 s to 1.226 s. Without Nagle, the
# body follows the header at once and no ACK waits.
same "nagle-delayed-ack: at the server, five ACKs held exactly 200 ms" \
	"$(awk -F'\t' '$3 == "C" && $7 == 40 {t = $2; next} $3 == "S" && $7 == 0 && $10 ~ /^\[ACK\]/ && t != "" {printf "%.9f ", $2 - t; t = ""}' \
		"$TMP/nagle-delayed-ack-server.f")" "0.200000000 0.200000000 0.200000000 0.200000000 0.200000000 "
F="$TMP/nagle-delayed-ack-client.f"
same "nagle-delayed-ack: client side: header to ACK 220 ms, the body at the ACK's instant" \
	"$(awk -F'\t' '$3 == "C" && $7 == 40 {t = $2} $3 == "S" && $7 == 0 && $10 ~ /^\[ACK\]/ && t {g = $2 - t; a = $2; t = ""}
		$3 == "C" && $7 == 200 {printf "%s ", (g >= 0.220 && g < 0.221 && $2 == a) ? "ok" : g}' "$F")" "ok ok ok ok ok "
same "nagle-delayed-ack: 241 ms a request, 0.020 s to 1.226 s" \
	"$(awk -F'\t' '$3 == "C" && $7 == 40 {h[++n] = $2} $3 == "S" && $7 == 1000 {r = $2}
		END {for (i = 2; i <= n; i++) if (h[i] - h[i - 1] < 0.241 || h[i] - h[i - 1] >= 0.242) bad++; printf "%.3f %.3f %d", h[1], r, bad}' "$F")" \
	"0.020 1.226 0"
same "nagle-delayed-ack-nodelay: each body goes with its header" \
	"$(awk -F'\t' '$3 == "C" && $7 == 40 {t = $2} $3 == "C" && $7 == 200 {printf "%s ", ($2 == t) ? "same" : "later"}' \
		"$TMP/nagle-delayed-ack-nodelay-client.f")" "same same same same same "
same "nagle-delayed-ack-nodelay: 0.020 s to 0.126 s, about five round trips" \
	"$(awk -F'\t' '$3 == "C" && $7 == 40 && !h {h = $2} $3 == "S" && $7 == 1000 {r = $2} END {printf "%.3f %.3f", h, r}' "$TMP/nagle-delayed-ack-nodelay-client.f")" \
	"0.020 0.126"

# zero-window: within each stall the probes back off 200, 400, 800, 1600 ms;
# the sliver before it goes 200 ms after the ACK that offers it; the window
# updates at the reads; the first ACK's window; the FIN at the last read.
F="$TMP/zero-window.f"
same "zero-window: probes back off 0.4, 0.8, 1.6 s after the first" \
	"$(awk -F'\t' '$15 != "" {if (n++ && $5 == s) printf "%.9f ", $2 - p; p = $2; s = $5}' "$F")" \
	"$(printf '0.400000000 0.800000000 1.600000000 %.0s' 1 2 3 4)"
same "zero-window: each first probe 200 ms (one RTO) after the window closed" \
	"$(awk -F'\t' '$10 ~ /\[TCP ZeroWindow\] / && $10 !~ /ProbeAck/ {z = $2} $10 ~ /ZeroWindowProbe\]/ && z {printf "%.9f ", $2 - z; z = ""}' "$F")" \
	"0.200000000 0.200000000 0.200000000 0.200000000 "
same "zero-window: window updates to 8192 at 4.041, 8.041, 12.041, 16.041 s" \
	"$(awk -F'\t' '$10 ~ /Window Update/ {printf "%s/%s ", $2, $8}' "$F")" \
	"4.041340800/8192 8.041340800/8192 12.041340800/8192 16.041340800/8192 "
same "zero-window: the slivers (324, then 892 bytes) go 200 ms after the ACK offering them" \
	"$(awk -F'\t' '$3 == "S" && $8 > 0 && $8 < 1460 {w = $8; t = $2} $3 == "C" && $10 ~ /Window Full/ {printf "%s/%.9f ", $7, $2 - t}' "$F")" \
	"324/0.200000000 892/0.200000000 892/0.200000000 892/0.200000000 "
same "zero-window: the first ACK offers 14924; the server's FIN at 24.041 s" \
	"$(awk -F'\t' '$3 == "S" && $10 !~ /SYN/ && !f {f = $8} $3 == "S" && $10 ~ /FIN/ {print f, $2}' "$F")" "14924 24.041340800"
# With the RFC's 1 s minimum RTO the sliver waits 1 s, and so does the first
# probe after the window closes; it is the only one before the next read.
sed 's/^  tcp: {min_rto: 200ms}$//' "$SRCDIR/scenarios/zero-window.yaml" >"$TMP/zw-rfc.yaml"
"$TCPSIM" -o "$TMP/zw-rfc.pcap" "$TMP/zw-rfc.yaml" >/dev/null
same "zero-window with a 1 s minimum RTO: sliver and probe each 1 s late, one probe per stall" \
	"$(listing "$TMP/zw-rfc.pcap" 192.0.2.1 |
		awk -F'\t' '$3 == "S" && $8 > 0 && $8 < 1460 {w = $2} $10 ~ /Window Full/ {printf "s%.3f ", $2 - w}
			$10 ~ /\[TCP ZeroWindow\] / && $10 !~ /ProbeAck/ {z = $2} $10 ~ /ZeroWindowProbe\]/ {printf "p%.3f ", $2 - z}')" \
	"s1.000 p1.000 s1.000 p1.000 s1.000 p1.000 s1.000 p1.000 "

# slow-reader-close: the reply acknowledged by 29.23 ms, the wire quiet
# after 29.26 ms, the run over at 100.022 s.
F="$TMP/slow-reader-close.f"
same "slow-reader-close: the server's FIN crosses the client's: Ack=1001" \
	"$(awk -F'\t' '$3 == "S" && $10 ~ /FIN/ {print $6}' "$F")" 1001
same "slow-reader-close: the client's last ACK (Ack=10002) and the last frame" \
	"$(awk -F'\t' '$3 == "C" {c = $2 " " $6} {l = $2} END {print c, l}' "$F")" "0.029228800 10002 0.029260800"

# corrupt: what each capture shows of the damaged packets.
same "corrupt: the server's capture: the data segment Seq=239441 with a bad IPv4 header checksum, a good TCP one" \
	"$(awk -F'\t' '$20 == "0" || $21 == "0" {print $2, $5, $7, $29, $30, $20, $21}' "$TMP/corrupt-server.f")" \
	"0.231734400 239441 1460 0xb071 0xb091 0 1"
same "corrupt: the client's capture: three ACKs with [TCP CHECKSUM INCORRECT], good IPv4 headers" \
	"$(awk -F'\t' '$20 == "0" || $21 == "0" {printf "%s %s %s %s %s %s;", $4, ($4 == 8000) ? $6 : "-", $7, $20, $21,
		($10 ~ /\[TCP CHECKSUM INCORRECT\]/) ? "incorrect" : "?"}' "$TMP/corrupt-client.f")" \
	"40768 - 0 1 0 incorrect;8000 133997 0 1 0 incorrect;8001 - 0 1 0 incorrect;"
same "corrupt: the server sent Ack=150381 where the client received 133997" \
	"$(awk -F'\t' '$3 == "S" && $6 == 150381 {n++} END {print n}' "$TMP/corrupt-server.f")" 1
same "corrupt: the data segment repaired by a fast retransmission" \
	"$(frames_where "$TMP/corrupt-client.f" '$10 ~ /Retransmission/' | sed 's/ \[ACK\][^;]*//g') $(awk -F'\t' '$10 ~ /Retransmission/ {print $5}' "$TMP/corrupt-client.f")" \
	"296 0.256604800 C [TCP Fast Retransmission]; 239441"

# reorder: the comment's filter: 141 duplicate ACKs, 10 fast retransmissions,
# 71 other retransmissions; 6 out-of-order copies outside the filter.
F="$TMP/reorder.f"
same "reorder: the filter's frames, and the Out-Of-Order copies" \
	"$(ts "$TMP/reorder.pcap" -Y "tcp.analysis.duplicate_ack || tcp.analysis.retransmission" -T fields -e ip.src -e _ws.col.Info |
		awk -F'\t' '{n++} $2 ~ /Dup ACK/ && $1 == "192.0.2.2" {d++} $2 ~ /Fast Retransmission/ {f++} $2 ~ /\[TCP Retransmission\]/ {r++}
			END {print n, d, f, r}') $(grep -c 'Out-Of-Order' "$F")" "222 141 10 71 6"

# reorder, captured at the server: 27 packets arrive after later ones, each
# overtaken by one to four (first arrivals of each segment, in the order
# the client sent them first).
(cat "$SRCDIR/scenarios/reorder.yaml"; echo "capture: server") >"$TMP/reorder-at-server.yaml"
"$TCPSIM" -o "$TMP/reorder-at-server.pcap" "$TMP/reorder-at-server.yaml" >/dev/null
listing "$TMP/reorder-at-server.pcap" 192.0.2.1 >"$TMP/reorder-at-server.f"
same "reorder: 27 packets overtaken, by 1 to 4 later ones" \
	"$(awk -F'\t' 'FNR == NR {if ($3 == "C" && $7 > 0 && !($5 in so)) so[$5] = ++n; next}
		$3 == "C" && $7 > 0 && !($5 in seen) {seen[$5] = 1; c = 0; for (q in seen) if (so[q] > so[$5]) c++
			if (c) {late++; if (c > mx) mx = c; if (!mn || c < mn) mn = c}}
		END {print late, mn, mx}' "$TMP/reorder.f" "$TMP/reorder-at-server.f")" "27 1 4"

# timestamps: the two timestamp clocks on the wire, one RTT sample per ACK of
# new data, each the client's clock less the echo; the comment's frames.
# tsfields FILE: number, time (the run's: the capture's epoch is its start),
# C or S, Ack, TSval, TSecr, ack_rtt, Info.
tsfields() {
	ts "$1" -T fields -E separator=/t -E occurrence=f -e frame.number -e frame.time_epoch \
		-e ip.src -e tcp.ack -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr \
		-e tcp.analysis.ack_rtt -e _ws.col.Info |
		awk -F'\t' 'BEGIN {OFS = "\t"} {$3 = ($3 == "192.0.2.1") ? "C" : "S"; sub(/[0-9]+ → [0-9]+ /, "", $8); print}'
}
# ticks TIME HZ (in awk): floor(TIME * HZ) from the decimal digits, exactly.
TICKS='function ticks(t, hz,   i, f) {i = index(t, "."); f = substr(t, i + 1) "000000000";
	return substr(t, 1, i - 1) * hz + int(substr(f, 1, length(hz "") - 1))}'
tsfields "$TMP/timestamps.pcap" >"$TMP/timestamps.t"
(cat "$SRCDIR/scenarios/timestamps.yaml"; echo "capture: server") >"$TMP/timestamps-at-server.yaml"
"$TCPSIM" -o "$TMP/timestamps-at-server.pcap" "$TMP/timestamps-at-server.yaml" >/dev/null
tsfields "$TMP/timestamps-at-server.pcap" >"$TMP/timestamps-at-server.t"
same "timestamps: the SYN's TSval is the tutorial's, the SYN-ACK's the server's 100 Hz clock" \
	"$(awk -F'\t' '$8 ~ /SYN/ {printf "%s %s/%s ", $3, $5, $6}' "$TMP/timestamps.t")" \
	"C 678438397/0 S 1000002/678438397 "
same "timestamps: every TSval the client sends is 678438397 + its time in ms (1000 Hz)" \
	"$(awk -F'\t' "$TICKS"' $3 == "C" {n++; if ($5 != 678438397 + ticks($2, 1000)) bad++} END {print n, bad + 0}' "$TMP/timestamps.t")" \
	"50 0"
same "timestamps: every TSval the server sends is 1000000 + its time in 10 ms ticks (100 Hz)" \
	"$(awk -F'\t' "$TICKS"' $3 == "S" {n++; if ($5 != 1000000 + ticks($2, 100)) bad++} END {print n, bad + 0}' "$TMP/timestamps-at-server.t")" \
	"33 0"
same "timestamps: every TSecr the client sends is a TSval the server sent before (0 on the SYN)" \
	"$(awk -F'\t' '$3 == "S" {seen[$5] = 1} $3 == "C" {n++; if (!($6 in seen) && !($6 == 0 && $8 ~ /SYN/)) bad++} END {print n, bad + 0}' "$TMP/timestamps.t")" \
	"50 0"
same "timestamps: one rtt_sample row per ACK of new data, at its instant, the client's clock less its TSecr" \
	"$(awk -F'\t' "$TICKS"' FNR == NR {if ($3 == "S" && $4 > top) {top = $4; n++; want[$2] = sprintf("%.3f", 678438397 + ticks($2, 1000) - $6)}; next}
		$2 == "client" && $3 == "rtt_sample" {r++; if (want[$1] != $11) bad++}
		END {print n, r, bad + 0}' "$TMP/timestamps.t" FS=, "$TMP/timestamps.csv")" \
	"20 20 0"
same "timestamps: the first ACK of data: TSecr 678438437 at clock 678438478, a 41 ms sample; Wireshark's ack_rtt" \
	"$(awk -F'\t' '$3 == "S" && $4 > 1 {printf "%s %s %s %s", $2, $6, 678438397 + 81, $7; exit}' "$TMP/timestamps.t") $(awk -F, '$1 == "0.081379200" && $3 == "rtt_sample" {print $11}' "$TMP/timestamps.csv")" \
	"0.081379200 678438437 678438478 0.041283200 41.000"
same "timestamps: Dup ACK 17#3 echoes 678438437; the fast retransmission of Seq=2897 carries TSval 678438485" \
	"$(awk -F'\t' '$2 == "0.088579200" {printf "%s %s|", ($3 == "C") ? $5 : $6, $8}' "$TMP/timestamps.t" | sed 's/ Win=[^|]*|/|/g')" \
	"678438437 [TCP Dup ACK 17#3] [ACK] Seq=1 Ack=2897|678438485 [TCP Fast Retransmission] [ACK] Seq=2897 Ack=1|"
same "timestamps: at the server, the late original (TSval 678438437) and the ACK PAWS sends for it" \
	"$(awk -F'\t' '$2 == "0.163737600" {printf "%s %s %s|", $3, $5, $6; sub(/ Win=.*/, "", $8); printf "%s|", $8}' "$TMP/timestamps-at-server.t")" \
	"C 678438437 1000002|[TCP Spurious Retransmission] [ACK] Seq=2897 Ack=1|S 1000016 678438528|[ACK] Seq=1 Ack=30409|"
"$TCPSIM" -o "$TMP/timestamps-at-server.pcapng" "$TMP/timestamps-at-server.yaml" >/dev/null
same "timestamps: the pcapng comments on those two frames" \
	"$(ts "$TMP/timestamps-at-server.pcapng" -Y 'frame.time_epoch >= 0.163737600 && frame.time_epoch <= 0.163737601' -T fields -e frame.comment)" \
	"held back 100 ms by the link
ACK 30409: PAWS discarded an old duplicate (TSval 678438437 < TS.Recent 678438528)"

# loss-5pct: the handshake and both FINs; every fast_retransmit and rto row of the trace is a flagged
# retransmission at the same instant; the two timeouts and what came before.
F="$TMP/loss-5pct.f"
same "loss-5pct: the handshake and both FINs" "$(grep -c 'SYN' "$F") $(grep -c 'FIN' "$F")" "2 2"
same "loss-5pct: each fast_retransmit and rto row is a retransmission Wireshark flags, at its instant" \
	"$(awk -F'\t' 'FNR == NR {if ($3 == "C" && $10 ~ /Retransmission|Out-Of-Order/) t[$2] = 1; next}
		$2 == "client" && ($3 == "fast_retransmit" || $3 == "rto") {n++; if (!($1 in t)) bad++} END {print n, bad + 0}' "$F" FS=, "$TMP/loss-5pct.csv")" \
	"19 0"
same "loss-5pct: the first timeout resends the fast retransmission's segment; the second one first sent during the recovery before" \
	"$(awk -F'\t' '$3 == "C" && $7 > 0 && !($5 in first) {first[$5] = $2}
		$3 == "C" && ($2 == "0.893820800" || $2 == "1.893820800" || $2 == "8.215484800") && $10 ~ /Retransmission|Out-Of-Order/ {printf "%s:%s:%s ", $2, $5, first[$5]}' "$F")" \
	"0.893820800:162061:0.788956800 1.893820800:162061:0.788956800 8.215484800:873081:7.159452800 "
same "loss-5pct: the segment of the second timeout is the first new one after the fast retransmit at 7.113 s" \
	"$(awk -F'\t' '$3 == "C" && $7 > 0 && $5 > m {if ($2 > 7.113020800 && !n) n = $5; m = $5} END {print n}' "$F")" 873081

# window-scale: WS=512 on both SYNs, unscaled SYN windows, and the first ACK
# offers the whole 16 MiB through the raw field 32768; 96 bytes captured;
# slow start, 1.5 times per round trip, to the 16 MiB window in about 18
# round trips.
listing "$TMP/window-scale.pcap" 192.0.2.1 -c 1000 >"$TMP/window-scale.f"
F="$TMP/window-scale.f"
same "window-scale: SYNs unscaled with WS=512, then Win=16777216 from field 32768" \
	"$(awk -F'\t' '$1 <= 3 {printf "%s/%s/%s ", $28, $26, $8}' "$F")" "65535/512/65535 65535/512/65535 32768//16777216 "
same "window-scale: frames cut to 96 bytes" "$(awk -F'\t' '$9 > m {m = $9} END {print m}' "$F")" 96
same "window-scale: the first data leaves at 0.100 s" "$(awk -F'\t' '$7 > 0 {printf "%.3f", $2; exit}' "$F")" 0.100
# sack-recovery: Wireshark reads the SACK blocks as the receiver built them
# (relative numbers: tcp.options.sack_le / sack_re), the comment's filter
# shows them on the duplicate ACKs and the three retransmissions; every
# block the server sent is in the client's capture (nothing lost that way).
F="$TMP/sack-recovery.f"
sack_blocks() {
	ts "$TMP/sack-recovery.pcap" -Y "ip.src == 192.0.2.2 && tcp.options.sack_le" -T fields \
		-e frame.number -e tcp.ack -e tcp.options.sack_le -e tcp.options.sack_re
}
same "sack-recovery: the first three duplicate ACKs' blocks" \
	"$(sack_blocks | head -3 | awk -F'\t' '{printf "%s %s %s-%s;", $1, $2, $3, $4}')" \
	"49 24821 26281-27741;51 24821 26281-29201;53 24821 26281-30661;"
same "sack-recovery: three blocks, the newest first" \
	"$(sack_blocks | awk -F'\t' '$1 == 59 {printf "%s %s-%s", $2, $3, $4}')" \
	"24821 37961,32121,26281-39421,36501,30661"
same "sack-recovery: SACK blocks in the capture = server.sack_blocks_sent" \
	"$(sack_blocks | awk -F'\t' '{n += split($3, a, ",")} END {print n}')" \
	"$(json_get "$TMP/sack-recovery.json" server.sack_blocks_sent)"
same "sack-recovery: ... = client.sack_blocks_received" \
	"$(json_get "$TMP/sack-recovery.json" server.sack_blocks_sent)" \
	"$(json_get "$TMP/sack-recovery.json" client.sack_blocks_received)"
same "sack-recovery: the comment's filter: the fast retransmission and two retransmissions" \
	"$(ts "$TMP/sack-recovery.pcap" -Y "tcp.options.sack_le || tcp.analysis.retransmission" |
		awk '/Retransmission/ {i = index($0, "["); l = substr($0, i); sub(/\].*/, "]", l); printf "%s %s;", $2, l}')" \
	"0.133388800 [TCP Fast Retransmission];0.165033600 [TCP Retransmission];0.167433600 [TCP Retransmission];"
same "sack-recovery: the retransmissions are of 24821, 30661, 36501" \
	"$(awk -F'\t' '$11 != "" || $12 != "" {printf "%s ", $5}' "$F")" "24821 30661 36501 "
same "sack-recovery: Ack=56941 at 0.208665600 s ends recovery (trace)" \
	"$(awk -F'\t' '$3 == "S" && $6 == 56941 {printf "%s ", $2; exit}' "$F")$(rows sack-recovery sack_recovery_exit | cut -d, -f1-2)" \
	"0.208665600 0.208665600,13870"
# Wireshark's duplicate ACKs (RFC 5681's definition: same ACK and window)
# are the server's dupacks_sent and the client's dupacks_received; RFC
# 6675's DupAcks (an ACK that SACKs new data) are sack_dupacks_received.
same "sack-recovery: Wireshark's duplicate ACKs = client.dupacks_received; RFC 6675 DupAcks" \
	"$(awk -F'\t' '$3 == "S" && $17 != ""' "$F" | wc -l | tr -d ' ') $(json_get "$TMP/sack-recovery.json" client.sack_dupacks_received)" \
	"$(json_get "$TMP/sack-recovery.json" client.dupacks_received) 19"

# ecn: what its comment says Wireshark shows, held to the summary's ECN
# counters: the CE marks (in the server's capture: they are made on the
# way), ECT(0) on every data segment, the ECE and CWR flags beside the
# negotiation's, the first ECE and both CWR frames, the two ecn_reduction
# rows of the trace, and every CE-marked packet with a good IPv4 checksum.
count() { ts "$1" -Y "$2" -T fields -e frame.number | wc -l | tr -d ' '; }
frames() { ts "$1" -Y "$2" -T fields -e frame.number -e frame.time_relative -e "$3" | tr '\t\n' ': '; }
J="$TMP/ecn.json" C="$TMP/ecn-client.pcap" S="$TMP/ecn-server.pcap"
same "ecn: SYN [ECE, CWR], SYN-ACK [ECE]: ECN-setup, both Not-ECT" \
	"$(ts "$C" -c 2 -T fields -e tcp.flags.str -e ip.dsfield.ecn | tr '\t\n' '/ ')" "····CE····S·/0 ·····E·A··S·/0 "
same "ecn: ip.dsfield.ecn == 3 in the server's capture = link.client_to_server.ce_marked = server.ce_received" \
	"$(count "$S" 'ip.dsfield.ecn == 3') $(json_get "$J" link.client_to_server.ce_marked) $(json_get "$J" server.ce_received)" \
	"110 110 110"
same "ecn: no CE in the client's capture, and every CE frame's IPv4 checksum good" \
	"$(count "$C" 'ip.dsfield.ecn == 3') $(count "$S" 'ip.dsfield.ecn == 3 && ip.checksum.status == 1')" "0 110"
same "ecn: ip.dsfield.ecn == 2 (ECT(0)) in the client's capture = client.data_segments_sent" \
	"$(count "$C" 'ip.dsfield.ecn == 2') $(json_get "$J" client.data_segments_sent) $(count "$C" 'ip.dsfield.ecn == 2 && tcp.len == 0')" \
	"1370 1370 0"
same "ecn: tcp.flags.ece beyond the SYNs = server.ece_sent = client.ece_received; with them 2 more" \
	"$(count "$C" 'tcp.flags.ece == 1 && tcp.flags.syn == 0') $(json_get "$J" server.ece_sent) $(json_get "$J" client.ece_received) $(count "$C" 'tcp.flags.ece == 1')" \
	"69 69 69 71"
same "ecn: tcp.flags.cwr beyond the SYN = client.cwr_sent = client.ecn_reductions; with it 1 more" \
	"$(count "$C" 'tcp.flags.cwr == 1 && tcp.flags.syn == 0') $(json_get "$J" client.cwr_sent) $(json_get "$J" client.ecn_reductions) $(count "$C" 'tcp.flags.cwr == 1')" \
	"2 2 2 3"
same "ecn: no drop, no retransmission" \
	"$(json_get "$J" link.client_to_server.queue_drops) $(json_get "$J" link.client_to_server.dropped) $(json_get "$J" client.retransmissions) $(count "$C" 'tcp.analysis.retransmission')" \
	"0 0 0 0"
same "ecn: the first CE mark is on Seq=208781" \
	"$(ts "$S" -Y 'ip.dsfield.ecn == 3' -T fields -e tcp.seq | head -n 1)" 208781
same "ecn: the first ECE at the client, frame 301 at 0.326668800, Ack=211701; 41 of them before the CWR's ACK" \
	"$(ts "$C" -Y 'tcp.flags.ece == 1 && tcp.flags.syn == 0' -T fields -e frame.number -e frame.time_relative -e tcp.ack | head -n 1 | tr '\t' ' ') $(count "$C" 'tcp.flags.ece == 1 && tcp.flags.syn == 0 && tcp.ack <= 328501')" \
	"301 0.326668800 211701 41"
same "ecn: the CWR frames 322 (Seq=328501) and 1433 (Seq=1403061)" \
	"$(frames "$C" 'tcp.flags.cwr == 1 && tcp.flags.syn == 0' tcp.seq)" "322:0.374668800:328501 1433:1.274668800:1403061 "
same "ecn: the trace's ecn_reduction rows: ssthresh = cwnd = FlightSize / 2" \
	"$(rows ecn ecn_reduction)" "0.326668800,58400,58400,116800 1.241068800,39420,39420,78840 "
# linux-echo: the tutorial's SYN values in Linux's option layout (MSS,
# SACK-permitted, timestamps, NOP, window scale), as its comment shows.
same "linux-echo: both SYNs: raw seq, window, mss 16344, wscale 6, sackOK, TS val 678438397, ecr" \
	"$(ts "$TMP/linux-echo.pcap" -Y 'tcp.flags.syn == 1' -T fields -E separator=, -e tcp.seq_raw \
		-e tcp.window_size_value -e tcp.options.mss_val -e tcp.options.wscale.shift \
		-e tcp.options.sack_perm -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr | tr '\n' ' ')" \
	"2046827845,65535,16344,6,0402,678438397,0 1697569320,65535,16344,6,0402,678438397,678438397 "
same "linux-echo: the SYN's options, byte by byte" \
	"$(ts "$TMP/linux-echo.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.options)" \
	"02043fd80402080a287025fd0000000001030306"
F="$TMP/linux-echo.f"
same "linux-echo: the server acknowledges the text at once, as in the tutorial" \
	"$(awk -F'\t' '{f = $10; sub(/ Seq=.*/, "", f); gsub(/[][]/, "", f); gsub(/SYN/, "S", f); gsub(/FIN/, "F", f);
		gsub(/PSH/, "P", f); gsub(/ACK/, ".", f); gsub(/, /, "", f); printf "%s[%s]%s ", $3, f, ($7 > 0) ? $7 : ""}' "$F")" \
	"C[S] S[S.] C[.] C[P.]11 S[.] S[P.]100 C[.] C[F.] S[.] S[F.] C[.] "
same "linux-echo: the window after the handshake (3 MiB >> 6)" \
	"$(ts "$TMP/linux-echo.pcap" -Y 'frame.number == 3' -T fields -e tcp.window_size_value)" 49152
# gig-sack captures nothing (1 GB); its first 20 MB show the same overflow
# and the same recovery (585 of its 586 drops), small enough to read back:
# Wireshark's retransmissions (with the out-of-order copies: resent within
# a round trip of the highest segment) are the summary's, one per drop,
# and the receiver reported no duplicate.
sed 's/{send: 1GB}/{send: 20MB}/; s/^capture: none$/capture: client/; /^expect:/,$d' \
	"$SRCDIR/scenarios/gig-sack.yaml" >"$TMP/gig20.yaml"
"$TCPSIM" --json -o "$TMP/gig20.pcap" "$TMP/gig20.yaml" >"$TMP/gig20.json"
F="$TMP/gig20.f"
listing "$TMP/gig20.pcap" 192.0.2.1 >"$F"
set -- $(flags "$F" C)
same "gig-sack's first 20 MB: Wireshark's retransmissions and fast retransmits; the summary's; its queue drops; D-SACKs" \
	"$1 $2 $(json_get "$TMP/gig20.json" client.retransmissions) $(json_get "$TMP/gig20.json" client.fast_retransmits) $(json_get "$TMP/gig20.json" link.client_to_server.queue_drops) $(json_get "$TMP/gig20.json" server.dsack_sent)" \
	"585 1 585 1 585 0"

# tail-loss-probe: the ACKs stop at Ack=197101 (0.314675200 s), the probe
# is Wireshark's [TCP Retransmission] of the last segment with the FIN at
# 0.400433836 s (2 SRTT = 85.758 ms later), its ACK at 0.441649836 s; the
# trace's pto and tlp_recovery rows; tail-loss.yaml's RTO retransmission of
# the same segment at 1.515868800 s.
F="$TMP/tail-loss-probe.f"
same "tail-loss-probe: the last ACK before the probe, the probe, its ACK" \
	"$(awk -F'\t' '$3 == "S" && $6 == 197101 && !a {a = 1; printf "%s Ack=%s;", $2, $6}
		$3 == "C" && $11 != "" {printf "%s %s;", $2, $10}
		$3 == "S" && $6 == 200002 && !b {b = 1; printf "%s Ack=%s;", $2, $6}' "$F")" \
	"0.314675200 Ack=197101;0.400433836 [TCP Retransmission] [FIN, PSH, ACK] Seq=198561 Ack=1 Win=131072 Len=1440;0.441649836 Ack=200002;"
same "tail-loss-probe: pto and tlp_recovery rows; SRTT 42.879 ms, PTO 2 SRTT after the last ACK" \
	"$(rows tail-loss-probe pto)| $(rows tail-loss-probe tlp_recovery)| $(awk -F, '$2 == "client" && $3 == "pto" {printf "%s %.6f", $7, 0.400433836 - 0.314675200}' "$TMP/tail-loss-probe.csv")" \
	"0.400433836,113880,inf,2901 | 0.441649836,2920,2920,0 | 42.879 0.085759"
same "tail-loss: the RTO retransmission of Seq=198561 at 1.515868800 s" \
	"$(awk -F'\t' '$3 == "C" && $11 != "" {printf "%s %s", $2, $5}' "$TMP/tail-loss.f")" "1.515868800 198561"

# rack-lost-retransmit: the drop, the fast retransmission (frame 134), the
# next segment sent (frame 137), the SACK that covers it (frame 191), the
# third copy (frame 192), the ACK that ends the recovery and the last one;
# RACK.rtt 47.232 ms; the trace's rack_lost rows; the pcapng's reason; with
# SACK alone, the RTO's copy 1 s after the first and the end at 1.263 s.
F="$TMP/rack-lost-retransmit.f"
same "rack-lost-retransmit: the client's 60th packet, the copies Wireshark labels, the SACK between" \
	"$(awk -F'\t' '$3 == "C" && $5 == 83221 && $7 > 0 {printf "%s %s %s;", $1, $2, $10}
		$1 == 137 {printf "%s %s %s-%s;", $1, $2, $5, $5 + $7}
		$1 == 191 {printf "%s %s %s;", $1, $2, $10}
		$3 == "S" && ($6 == 170821 || $6 == 200002) && !seen[$6]++ {printf "%s Ack=%s;", $2, $6}' "$F" |
		sed 's/ \[ACK\] Seq=[^;]*Len=1460//g')" \
	"78 0.173411200;134 0.221852800 [TCP Fast Retransmission];137 0.224252800 143081-144541;191 0.271484800 [TCP Dup ACK 125#41] [ACK] Seq=1 Ack=83221 Win=131072 Len=0 SLE=84681 SRE=144541;192 0.271484800 [TCP Fast Retransmission];0.312716800 Ack=170821;0.356332800 Ack=200002;"
same "rack-lost-retransmit: RACK.rtt of 143081:144541; the rack_lost and sack_recovery_exit rows" \
	"$(awk 'BEGIN {printf "%.6f", 0.271484800 - 0.224252800}') $(rows rack-lost-retransmit rack_lost)| $(rows rack-lost-retransmit sack_recovery_exit)" \
	"0.047232 0.221852800,56940,inf,59860 0.271484800,28470,28470,87600 | 0.312716800,28470,28470,27740 "
"$TCPSIM" --pcapng -o "$TMP/rlr.pcapng" "$SRCDIR/scenarios/rack-lost-retransmit.yaml" >/dev/null
same "rack-lost-retransmit: the pcapng's reason for the third copy" \
	"$(ts "$TMP/rlr.pcapng" -Y 'frame.interface_name == "client" && frame.time_relative == 0.271484800 && tcp.seq == 83221' \
		-T fields -e frame.comment | cut -d'|' -f1)" "RACK fast retransmit of 83221:84681, its retransmission lost too (resent 2.4ms before the last delivered, reo_wnd 0us) "
sed 's/^  tcp: {sack: true, rack: true, tlp: true}$/  tcp: {sack: true}/; /^expect:/,$d' \
	"$SRCDIR/scenarios/rack-lost-retransmit.yaml" >"$TMP/rlr-sack.yaml"
"$TCPSIM" --json -o "$TMP/rlr-sack.pcap" "$TMP/rlr-sack.yaml" >"$TMP/rlr-sack.json"
same "rack-lost-retransmit with SACK alone: the copies of 83221, the end of the transfer" \
	"$(listing "$TMP/rlr-sack.pcap" 192.0.2.1 | awk -F'\t' '$3 == "C" && $5 == 83221 && $7 > 0 {printf "%s ", $2}')$(json_get "$TMP/rlr-sack.json" client.transfer_time_s) $(json_get "$TMP/rlr-sack.json" client.rto_timeouts)" \
	"0.173411200 0.221852800 1.221852800 1.263084800 1"

# reorder-sack: 11 [TCP Fast Retransmission], one [TCP Out-Of-Order], 12
# D-SACK blocks from the server.
F="$TMP/reorder-sack.f"
same "reorder-sack: the client's copies by Wireshark's label; the server's D-SACKs" \
	"$(awk -F'\t' '$3 == "C" && $13 != "" {f++} $3 == "C" && $12 != "" {o++} END {print f + 0, o + 0}' "$F") $(ts "$TMP/reorder-sack.pcap" -Y tcp.options.sack.dsack | wc -l | tr -d ' ')" \
	"11 1 12"

# reorder-rack: the comment's filter: four copies and four D-SACKs, in the
# order and at the instants the comment gives, then nothing.
out=$(ts "$TMP/reorder-rack.pcap" -T fields -E separator=/t -e frame.time_relative -e ip.src -e tcp.seq -e _ws.col.Info \
	-Y "tcp.analysis.retransmission || tcp.analysis.out_of_order || tcp.options.sack.dsack" |
	awk -F'\t' '{l = ($2 == "192.0.2.1") ? $4 : "D-SACK"; sub(/\] .*/, "]", l); printf "%s %s %s;", $1, $3, l}')
same "reorder-rack: the comment's filter" "$out" \
	"0.184220800 54021 [TCP Fast Retransmission];0.185462400 55481 [TCP Out-Of-Order];0.232652800 1 D-SACK;0.233852800 1 D-SACK;0.315116800 134321 [TCP Fast Retransmission];0.341948800 147461 [TCP Retransmission];0.356358400 1 D-SACK;0.383212800 1 D-SACK;"
same "reorder-rack: RACK's annotation of the first copy" \
	"$("$TCPSIM" --quiet --pcapng -o "$TMP/reorder-rack.pcapng" "$SRCDIR/scenarios/reorder-rack.yaml" >/dev/null
	   ts "$TMP/reorder-rack.pcapng" -Y 'frame.interface_id == 0 && (tcp.seq == 54021 || tcp.seq == 55481) && frame.comment contains "RACK"' -T fields -e frame.comment | cut -d'|' -f1 | tr '\n' ';')" \
	"RACK fast retransmit of 54021:55481, lost (sent 2.4ms before the last delivered, reo_wnd 0us) ;RACK: lost 55481:56941 (sent 4.8ms before the last delivered, reo_wnd 0us) ;"
# gilbert-burst: the lost data segments, in bursts, as the comment gives them.
"$TCPSIM" --quiet --pcapng -o "$TMP/gilbert-burst.pcapng" "$SRCDIR/scenarios/gilbert-burst.yaml" >/dev/null
same "gilbert-burst: 14 data segments lost in bursts of 2, 2, 2, 1, 2, 4, 1; the first two" \
	"$(ts "$TMP/gilbert-burst.pcapng" -Y 'frame.interface_id == 0 && ip.src == 192.0.2.1 && tcp.len > 0' \
		-T fields -e frame.time_relative -e tcp.seq -e frame.comment |
	   awk -F'\t' '{lost = $3 ~ /dropped by link: Gilbert-Elliott loss of data segments, bad state \(100%\)/}
		lost && total < 2 {first = first " " $1 " " $2}
		lost {run++; total++} !lost && run {printf "%d ", run; run = 0}
		END {if (run) printf "%d ", run; printf "/ %d /%s", total, first}')" \
	"2 2 2 1 2 4 1 / 14 / 0.225411200 108041 0.227811200 109501"
same "gilbert-burst: 14 retransmissions in Wireshark's view (one of them labelled out-of-order)" \
	"$(count "$TMP/gilbert-burst.pcap" 'ip.src == 192.0.2.1 && (tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.out_of_order)')" 14

# duplicate: the three copies as Wireshark labels them, and the D-SACKs.
same "duplicate: the copies of Seq=14601, 194181 and 198561, each answered by a D-SACK" \
	"$(ts "$TMP/duplicate.pcap" -Y 'tcp.analysis.retransmission' -T fields -e tcp.seq | tr '\n' ' ')$(count "$TMP/duplicate.pcap" 'tcp.options.sack.dsack_le')" \
	"14601 194181 198561 3"

# jitter: out-of-order frames, and the two real retransmissions.
same "jitter: 94 [TCP Out-Of-Order]; the spurious retransmissions" \
	"$(count "$TMP/jitter.pcap" 'tcp.analysis.out_of_order') $(ts "$TMP/jitter.pcap" -Y 'tcp.analysis.spurious_retransmission' -T fields -e frame.time_relative -e tcp.seq | tr '\t\n' ' ;')" \
	"94 0.181431477 94901;0.227876782 181041;"

finish
