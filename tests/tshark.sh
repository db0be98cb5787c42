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
#   - in fast-retransmit, Wireshark's fast retransmission, the third
#     duplicate ACK and the trace's fast_retransmit row share one instant;
#   - bulk-200k shows the segment sizes and the cumulative ACK of the
#     Wireshark tutorial;
#   - the receiver scenarios show their mechanism at exact times: one ACK
#     per two segments (delayed-ack), the 200 ms stall (nagle-delayed-ack),
#     probes 200/400/800/1600 ms apart (zero-window), scaled windows
#     (window-scale).
. "$SRCDIR/tests/lib.sh"

if [ -z "$TSHARK" ]; then
	echo "tshark is not installed (./bootstrap installs it): skipped"
	exit 77
fi
export WIRESHARK_CONFIG_DIR="$TMP/wsconfig"
mkdir -p "$WIRESHARK_CONFIG_DIR"

ts() {
	file=$1; shift
	"$TSHARK" -n -r "$file" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o tcp.analyze_sequence_numbers:TRUE -o tcp.fastrt_supersedes_ooo:TRUE \
		-o tcp.relative_sequence_numbers:TRUE "$@" 2>/dev/null
}
count() {
	f=$1; shift
	ts "$f" -Y "$1" | wc -l | tr -d ' '
}
# counts FILE FILTER...: the number of frames matching each filter, in one
# pass (tshark's io,stat over the whole capture). No filter may hold a comma.
counts() {
	f=$1; shift
	spec="io,stat,0"
	for flt in "$@"; do spec="$spec,$flt"; done
	ts "$f" -q -z "$spec" | awk -F'|' '/<>/ {for (i = 3; i <= NF; i += 2) printf "%s ", $i + 0}'
}

# window-scale's capture has 150 000 frames, more than tshark analyses in
# reasonable time; its handshake and first windows are checked below.
SKIP_FULL="window-scale"

for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	"$TCPSIM" --json -o "$TMP/$name.pcap" "$f" >"$TMP/$name.json" || { fail "$name: run failed"; continue; }
	caddr=$(awk '/^client:/{c=1} c && /address:/{print $2; exit}' "$f")
	saddr=$(awk '/^server:/{c=1} c && /address:/{print $2; exit}' "$f")
	: "${caddr:=192.0.2.1}" "${saddr:=192.0.2.2}"
	for p in "$TMP/$name.pcap" "$TMP/$name-client.pcap" "$TMP/$name-server.pcap"; do
		[ -e "$p" ] || continue
		label="$name/$(basename "$p")"
		case " $SKIP_FULL " in *" $name "*) continue ;; esac
		case $(basename "$p") in
		*-server.pcap) hosts="server:$saddr" ;;
		*-client.pcap) hosts="client:$caddr" ;;
		*) hosts="client:$caddr" ;;
		esac
		if grep -q '^capture: server' "$f" || grep -q 'at: server' "$f"; then hosts="server:$saddr"; fi
		captured=${hosts%%:*}
		# The captured host's frames are all there, as it sent them; the
		# other host's too when its direction lost, damaged and reordered
		# nothing on the way to the capture point.
		case $captured in
		client) other="server:$saddr"; dir=server_to_client ;;
		*) other="client:$caddr"; dir=client_to_server ;;
		esac
		lost=0
		for k in dropped queue_drops corrupted reordered; do
			lost=$((lost + $(json_get "$TMP/$name.json" "link.$dir.$k")))
		done
		[ "$lost" = 0 ] && hosts="$hosts $other"
		# One tshark pass per capture: all frames, damaged frames, then
		# six flags for each host.
		set -- "frame" \
			"_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || _ws.expert.severity >= 8388608"
		for h in $hosts; do
			addr=${h#*:}
			set -- "$@" \
				"ip.src == $addr && (tcp.analysis.retransmission || tcp.analysis.out_of_order)" \
				"ip.src == $addr && tcp.analysis.fast_retransmission" \
				"ip.src == $addr && tcp.analysis.zero_window" \
				"ip.src == $addr && tcp.analysis.zero_window_probe" \
				"ip.src == $addr && tcp.analysis.window_update" \
				"ip.src == $addr && tcp.analysis.duplicate_ack"
		done
		set -- $(counts "$p" "$@")
		frames=$1
		[ "${frames:-0}" -gt 0 ] || { fail "$label: tshark read no frames"; continue; }
		damaged=$(json_get "$TMP/$name.json" "$captured.checksum_errors")
		[ "$2" = "$damaged" ] && pass "$label: $frames frames, $2 damaged in transit (= $captured.checksum_errors)" ||
			fail "$label: $2 bad frame(s), $captured.checksum_errors $damaged"
		shift 2
		for h in $hosts; do
			who=${h%%:*}
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

# The Wireshark tutorial's picture.
p="$TMP/bulk-200k.pcap"
sizes=$(ts "$p" -Y "ip.src == 192.0.2.1 && tcp.len > 0" -T fields -e tcp.len | tr '\n' ' ')
[ "$sizes" = "65495 65495 65495 8315 " ] && pass "bulk-200k: data segments $sizes" ||
	fail "bulk-200k: data segment sizes '$sizes'"
order=$(ts "$p" -Y "tcp.len > 0 || (ip.src == 192.0.2.2 && tcp.flags.syn == 0)" -T fields -e ip.src -e tcp.seq -e tcp.ack |
	awk '{print ($1 == "192.0.2.1" ? "D" $2 : "A" $3)}' | tr '\n' ' ')
case $order in
"D1 A65496 D65496 D130991 D196486 "*) pass "bulk-200k: the first segment goes alone, the rest after its ACK" ;;
*) fail "bulk-200k: order of data and ACKs: $order" ;;
esac
[ "$(count "$p" "ip.src == 192.0.2.2 && tcp.ack == 204801 && tcp.flags.fin == 0")" -ge 1 ] &&
	pass "bulk-200k: cumulative ACK 204801" || fail "bulk-200k: no ACK of 204801"
mss=$(ts "$p" -Y "tcp.flags.syn == 1" -T fields -e tcp.options.mss_val | tr '\n' ' ')
[ "$mss" = "65495 65495 " ] && pass "bulk-200k: MSS 65495 both ways" || fail "bulk-200k: MSS '$mss'"
win=$(ts "$p" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 1" -T fields -e tcp.window_size_value)
[ "$win" = 65535 ] && pass "bulk-200k: SYN-ACK window 65535, unscaled" || fail "bulk-200k: SYN-ACK window '$win'"

# fast-retransmit: the capture and the trace tell one story at one instant.
"$TCPSIM" --trace "$TMP/ft.csv" -o "$TMP/ft.pcap" "$SRCDIR/scenarios/fast-retransmit.yaml" >/dev/null
fr_ws=$(ts "$TMP/ft.pcap" -Y "tcp.analysis.fast_retransmission" -T fields -e frame.time_epoch)
dup3=$(ts "$TMP/ft.pcap" -Y "tcp.analysis.duplicate_ack_num == 3" -T fields -e frame.time_epoch)
fr_tr=$(awk -F, '$3 == "fast_retransmit" {print $1}' "$TMP/ft.csv")
[ -n "$fr_ws" ] && [ "$fr_ws" = "$dup3" ] && [ "$fr_ws" = "$fr_tr" ] &&
	pass "fast-retransmit: third dup ACK, fast retransmission and trace row at $fr_tr s" ||
	fail "fast-retransmit: times differ: Wireshark fast retransmission '$fr_ws', third dup ACK '$dup3', trace '$fr_tr'"
# The flight column counts the two segments limited transmit sent on the
# first two duplicate ACKs; RFC 5681 §3.2 step 2 leaves them out of ssthresh.
halved=$(awk -F, '$3 == "fast_retransmit" {print ($5 == int(($6 - 2 * 1460) / 2) && $4 == $5 + 3 * 1460) ? "yes" : "no"}' "$TMP/ft.csv")
[ "$halved" = yes ] && pass "fast-retransmit: ssthresh = (flight - limited transmit) / 2, cwnd = ssthresh + 3 SMSS" ||
	fail "fast-retransmit: the trace's fast_retransmit row does not halve: $(grep fast_retransmit "$TMP/ft.csv")"

# ... and recovery ends one round trip after it began: the retransmitted
# segment's ACK comes back after one RTT (plus the queue of new data sent
# during recovery), well before a second one.
rec=$(awk -F, '$3 == "fast_retransmit" {t0 = $1} $3 == "recovery_exit" {t1 = $1; srtt = $7}
	END {d = (t1 - t0) * 1000; print (t1 > t0 && d >= srtt && d < 2 * srtt) ? "yes " d : "no " d}' "$TMP/ft.csv")
case $rec in
yes*) pass "fast-retransmit: recovery lasted ${rec#yes } ms, one round trip" ;;
*) fail "fast-retransmit: recovery lasted ${rec#no } ms" ;;
esac

# loss-5pct: the handshake, the retransmissions and both FINs are visible.
p="$TMP/loss-5pct.pcap"
[ "$(count "$p" "tcp.flags.syn == 1")" -ge 2 ] || fail "loss-5pct: no handshake"
[ "$(count "$p" "tcp.flags.fin == 1")" -ge 2 ] || fail "loss-5pct: not both FINs"
[ "$(count "$p" "tcp.analysis.retransmission")" -ge 10 ] && pass "loss-5pct: retransmissions flagged" ||
	fail "loss-5pct: too few retransmissions flagged"

# delayed-ack: after the handshake every server ACK but the last two (the
# odd last segment goes with the FIN, and the FIN's own ACK) covers two
# full segments; with delayed_ack 0, one each.
for v in "delayed-ack 2920" "delayed-ack-off 1460"; do
	name=${v% *}; step=${v#* }
	steps=$(ts "$TMP/$name.pcap" -Y "ip.src == 192.0.2.2 && tcp.flags.syn == 0" -T fields -e tcp.ack |
		awk -v step="$step" 'NR > 1 && $1 - prev != step {odd++} {prev = $1} END {print NR " " odd + 0}')
	[ "${steps#* }" -le 2 ] && pass "$name: each ACK covers $step bytes (${steps% *} ACKs, ${steps#* } others)" ||
		fail "$name: ${steps#* } of ${steps% *} ACKs do not cover $step bytes"
done

# nagle-delayed-ack: at the server, each 40-byte header is answered by a bare
# ACK exactly 200 ms later (the delayed-ACK timer); at the client, the
# 200-byte body leaves the instant that ACK arrives. Without Nagle, the
# body follows the header at once and no ACK waits.
gaps=$(ts "$TMP/nagle-delayed-ack-server.pcap" -Y "tcp.len == 40 || (ip.src == 192.0.2.2 && tcp.len == 0 && tcp.flags.syn == 0 && tcp.flags.fin == 0)" \
	-T fields -e frame.time_relative -e tcp.len | awk '$2 == 40 {t = $1; next} t != "" {printf "%.9f ", $1 - t; t = ""}')
[ "$gaps" = "0.200000000 0.200000000 0.200000000 0.200000000 0.200000000 " ] &&
	pass "nagle-delayed-ack: five ACKs held exactly 200 ms" || fail "nagle-delayed-ack: header-to-ACK gaps '$gaps'"
rel=$(ts "$TMP/nagle-delayed-ack-client.pcap" -Y "tcp.len == 200 || (ip.src == 192.0.2.2 && tcp.len == 0 && tcp.flags.syn == 0 && tcp.flags.fin == 0)" \
	-T fields -e frame.time_relative -e tcp.len | awk '$2 == 0 {t = $1; next} {printf "%s ", ($1 == t) ? "same" : "later"}')
[ "$rel" = "same same same same same " ] && pass "nagle-delayed-ack: each body leaves as its ACK arrives" ||
	fail "nagle-delayed-ack: bodies vs ACKs: '$rel'"
gaps=$(ts "$TMP/nagle-delayed-ack-nodelay-client.pcap" -Y "tcp.len == 40 || tcp.len == 200" -T fields -e frame.time_relative |
	awk 'NR % 2 == 1 {t = $1; next} {printf "%s ", ($1 == t) ? "same" : "later"}')
[ "$gaps" = "same same same same same " ] && pass "nagle-delayed-ack-nodelay: each body goes with its header" ||
	fail "nagle-delayed-ack-nodelay: header/body timing '$gaps'"

# zero-window: within each stall the probes back off 200, 400, 800, 1600 ms.
iv=$(ts "$TMP/zero-window.pcap" -Y "tcp.analysis.zero_window_probe" -T fields -e frame.time_relative -e tcp.seq |
	awk 'NR > 1 && $2 == s {printf "%.9f ", $1 - p} {p = $1; s = $2}')
[ "$iv" = "$(printf '0.400000000 0.800000000 1.600000000 %.0s' 1 2 3 4)" ] &&
	pass "zero-window: probes back off 0.4, 0.8, 1.6 s after the first" || fail "zero-window: probe intervals '$iv'"
first=$(ts "$TMP/zero-window.pcap" -Y "tcp.analysis.zero_window || tcp.analysis.zero_window_probe" -T fields -e frame.time_relative |
	awk 'NR == 1 {z = $1} NR == 2 {printf "%.9f", $1 - z}')
[ "$first" = 0.200000000 ] && pass "zero-window: the first probe goes 200 ms (one RTO) after the window closed" ||
	fail "zero-window: first probe $first s after the zero window"

# window-scale: WS=512 on both SYNs, unscaled SYN windows, and the first ACK
# offers the whole 16 MiB through the raw field 32768.
ws=$(ts "$TMP/window-scale.pcap" -c 3 -T fields -e tcp.window_size_value -e tcp.options.wscale.multiplier -e tcp.window_size | tr '\n\t' '  ')
[ "$ws" = "65535 512 65535 65535 512 65535 32768  16777216 " ] &&
	pass "window-scale: SYNs unscaled with WS=512, then Win=16777216 from field 32768" ||
	fail "window-scale: windows '$ws'"

# rst-closed-port: [SYN] then [RST, ACK] with Ack=1.
p="$TMP/rst-closed-port.pcap"
[ "$(count "$p" "ip.src == 192.0.2.2 && tcp.flags.reset == 1 && tcp.flags.ack == 1 && tcp.ack == 1")" = 1 ] &&
	pass "rst-closed-port: RST, ACK Ack=1" || fail "rst-closed-port: no RST, ACK with Ack=1"
finish
