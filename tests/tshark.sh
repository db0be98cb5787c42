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
#   - in fast-retransmit, Wireshark's fast retransmission, the third
#     duplicate ACK and the trace's fast_retransmit row share one instant;
#   - bulk-200k shows the segment sizes and the cumulative ACK of the
#     Wireshark tutorial.
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

for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	"$TCPSIM" --json -o "$TMP/$name.pcap" "$f" >"$TMP/$name.json" || { fail "$name: run failed"; continue; }
	caddr=$(awk '/^client:/{c=1} c && /address:/{print $2; exit}' "$f")
	saddr=$(awk '/^server:/{c=1} c && /address:/{print $2; exit}' "$f")
	: "${caddr:=192.0.2.1}" "${saddr:=192.0.2.2}"
	for p in "$TMP/$name"*.pcap; do
		[ -e "$p" ] || continue
		label="$name/$(basename "$p")"
		frames=$(count "$p" "frame")
		[ "$frames" -gt 0 ] || { fail "$label: tshark read no frames"; continue; }
		case $(basename "$p") in
		*-server.pcap) hosts="server:$saddr" ;;
		*-client.pcap) hosts="client:$caddr" ;;
		*) hosts="client:$caddr" ;;
		esac
		if grep -q '^capture: server' "$f" || grep -q 'at: server' "$f"; then hosts="server:$saddr"; fi
		bad=$(count "$p" "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || _ws.expert.severity >= 8388608")
		damaged=$(json_get "$TMP/$name.json" "${hosts%%:*}.checksum_errors")
		[ "$bad" = "$damaged" ] && pass "$label: $frames frames, $bad damaged in transit (= ${hosts%%:*}.checksum_errors)" ||
			fail "$label: $bad bad frame(s), ${hosts%%:*}.checksum_errors $damaged"
		for h in $hosts; do
			who=${h%%:*}; addr=${h#*:}
			ws=$(count "$p" "ip.src == $addr && (tcp.analysis.retransmission || tcp.analysis.out_of_order)")
			sim=$(json_get "$TMP/$name.json" "$who.retransmissions")
			[ "$ws" = "$sim" ] && pass "$label: $who retransmissions: Wireshark $ws = tcpsim $sim" ||
				fail "$label: $who retransmissions: Wireshark $ws, tcpsim $sim"
			ws=$(count "$p" "ip.src == $addr && tcp.analysis.fast_retransmission")
			sim=$(json_get "$TMP/$name.json" "$who.fast_retransmits")
			[ "$ws" = "$sim" ] && pass "$label: $who fast retransmits: Wireshark $ws = tcpsim $sim" ||
				fail "$label: $who fast retransmits: Wireshark $ws, tcpsim $sim"
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

# rst-closed-port: [SYN] then [RST, ACK] with Ack=1.
p="$TMP/rst-closed-port.pcap"
[ "$(count "$p" "ip.src == 192.0.2.2 && tcp.flags.reset == 1 && tcp.flags.ack == 1 && tcp.ack == 1")" = 1 ] &&
	pass "rst-closed-port: RST, ACK Ack=1" || fail "rst-closed-port: no RST, ACK with Ack=1"
finish
