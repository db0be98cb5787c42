#!/bin/sh
# The annotated pcapng (--pcapng), read back by Wireshark, for every
# scenario:
#   - no malformed frame; two interfaces named client and server; every
#     packet sent is on its sender's interface (direction outbound), every
#     arrival on the receiver's (inbound), and a packet the link dropped is
#     on the sending interface only;
#   - the comments are what the simulator decided: as many say "fast
#     retransmit" as the summary's fast_retransmits, "RTO #" as
#     rto_timeouts, "window probe #" as window_probes, "dup ACK #N" (not
#     "after dup ACK #N", the sender's words) as
#     dupacks_sent, "dropped" as the link's dropped + queue_drops, and
#     "checksum error" as the hosts' checksum_errors;
#   - one side's frames, written to a file of their own, get the same
#     Wireshark analysis as that host's pcap capture (the recipe the README
#     gives for reading one side in Wireshark 4.0);
#   - the comment on the fast retransmit in fast-retransmit.yaml is exact,
#     and sits on the frame Wireshark labels the fast retransmission.
. "$SRCDIR/tests/lib.sh"

if [ -z "$TSHARK" ]; then
	echo "tshark is not installed (./bootstrap installs it): skipped"
	exit 77
fi
export WIRESHARK_CONFIG_DIR="$TMP/wsconfig"
mkdir -p "$WIRESHARK_CONFIG_DIR"

ts() {
	file=$1; shift
	"$TSHARK" -n -r "$file" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "$@" 2>/dev/null
}

# window-scale's 300 000 frames take tshark too long; its mechanism is
# checked in tshark.sh.
for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	[ "$name" = window-scale ] && continue
	captures "$f" || continue
	png="$TMP/$name.pcapng"
	"$TCPSIM" --json --pcapng -o "$png" "$f" >"$TMP/$name.json" || { fail "$name: run failed"; continue; }
	ts "$png" -T fields -e frame.interface_name -e frame.packet_flags_direction \
		-e ip.src -e _ws.malformed -e frame.comment >"$TMP/$name.fields"
	got=$(cut -f1 "$TMP/$name.fields" | sort -u | tr '\n' ' ')
	[ "$got" = "client server " ] || fail "$name: interfaces '$got'"
	caddr=$(awk '/^client:/{c=1} c && /address:/{print $2; exit}' "$f")
	: "${caddr:=192.0.2.1}"
	# A frame the client sent is outbound (2) on the client's interface or
	# inbound (1) on the server's.
	bad=$(awk -F'\t' -v c="$caddr" '
		($3 == c) != (($1 == "client") == ($2 == "0x00000002")) { n++ }
		$4 != "" { n++ }
		END { print n + 0 }' "$TMP/$name.fields")
	[ "$bad" = 0 ] || fail "$name: $bad frames on the wrong interface or malformed"
	cnt() { grep -- "$1" "$TMP/$name.fields" | grep -vc "after dup ACK #" || true; }
	sum2() { echo $(( $(json_get "$TMP/$name.json" "client.$1") + $(json_get "$TMP/$name.json" "server.$1") )); }
	lost=0
	for dir in client_to_server server_to_client; do
		for k in dropped queue_drops; do
			lost=$((lost + $(json_get "$TMP/$name.json" "link.$dir.$k")))
		done
	done
	frs=$(grep -c "fast retransmit of" "$TMP/$name.fields" || true)
	[ "$frs" = "$(sum2 fast_retransmits)" ] || fail "$name: $frs fast retransmit comments"
	for pair in "RTO #:rto_timeouts" \
		    "window probe #:window_probes" "dup ACK #:dupacks_sent" \
		    "checksum error:checksum_errors"; do
		words=${pair%%:*} key=${pair#*:}
		[ "$(cnt "$words")" = "$(sum2 "$key")" ] ||
			fail "$name: $(cnt "$words") comments say '$words', $key is $(sum2 "$key")"
	done
	drops=$(grep -c "dropped" "$TMP/$name.fields" || true)
	[ "$drops" = "$lost" ] || fail "$name: $drops drop comments, the link lost $lost"
	# Sent frames number what both hosts sent; arrivals what the links delivered.
	sent=$(awk -F'\t' '$2 == "0x00000002"' "$TMP/$name.fields" | wc -l | tr -d ' ')
	[ "$sent" = "$(sum2 segments_sent)" ] || fail "$name: $sent sent frames, $(sum2 segments_sent) segments sent"
	pass "$name"
done

# One side on its own reads as that host's pcap does.
f="$SRCDIR/scenarios/fast-retransmit.yaml"
"$TCPSIM" --pcapng -o "$TMP/fr.pcapng" "$f" >/dev/null
"$TCPSIM" -o "$TMP/fr.pcap" "$f" >/dev/null
ts "$TMP/fr.pcapng" -Y 'frame.interface_name == "client"' -w "$TMP/fr-client.pcapng"
a=$(ts "$TMP/fr.pcap" -T fields -e frame.time_epoch -e tcp.analysis.flags -e _ws.col.Info)
b=$(ts "$TMP/fr-client.pcapng" -T fields -e frame.time_epoch -e tcp.analysis.flags -e _ws.col.Info)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the client's frames alone read differently from the client's pcap"
# The fast retransmit's comment, on the frame Wireshark labels.
got=$(ts "$TMP/fr-client.pcapng" -Y tcp.analysis.fast_retransmission -T fields -e frame.comment)
case "$got" in
"fast retransmit of 24821:26281 after dup ACK #3 | cwnd "*" | recovery") pass "fast retransmit comment" ;;
*) fail "fast retransmit comment: '$got'" ;;
esac

# The README's sample is this run's output.
"$TCPSIM" --pcapng -o "$TMP/out/fast-retransmit.pcapng" "$f" >/dev/null 2>&1 ||
	{ mkdir -p "$TMP/out" && "$TCPSIM" --pcapng -o "$TMP/out/fast-retransmit.pcapng" "$f" >/dev/null; }
want=$(awk '/<!-- pcapng-sample:/ {on = 1; next} on && /^```$/ {n++; if (n == 2) exit; next}
	    on && n == 1 && !/^\$ / && !/^    -Y/' "$SRCDIR/README.md")
got=$(cd "$TMP" && ts out/fast-retransmit.pcapng -T fields -e frame.number -e frame.interface_name \
	-e frame.comment -Y 'frame.comment contains "dup ACK #3" or frame.comment contains "fast retransmit" or frame.comment contains "dropped"')
[ -n "$want" ] && [ "$want" = "$got" ] || fail "README's pcapng sample differs from the run:
$got"
finish
