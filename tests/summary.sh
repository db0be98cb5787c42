#!/bin/sh
# The summary's transfer figures against the captures, the version key, the
# new keys in expect:, and the progress line on a terminal.
#
#   - For each scenario whose transfer completed, and each host that sent
#     data and was captured (with the client's capture for the first SYN):
#     tshark finds the first intact segment from the peer whose ACK covers
#     the last data byte, as it arrived at the sender; its time less the
#     client's first SYN's is that host's transfer_time_s, to the
#     nanosecond. The host's frames with data are its data_segments_sent,
#     those Wireshark flags as retransmitted its data_retransmissions, and
#     retransmission_rate_pct and transfer_goodput_mbps follow from them.
#   - fast-retransmit and loss-5pct hold their figures as expect: lines.
#   - version is what --version says.
#   - The progress line: on a terminal (script(1) gives one) it is erased
#     before the summary, --quiet silences it, a file gets none, and the
#     summary is the same bytes in every case.
. "$SRCDIR/tests/lib.sh"

# ---- version ----
v=$("$TCPSIM" --version | sed 's/^tcpsim //')
"$TCPSIM" --json -o "$TMP/h.pcap" "$SRCDIR/scenarios/handshake.yaml" >"$TMP/h.json"
if [ "$(json_get "$TMP/h.json" version)" = "$v" ] && [ -n "$v" ]; then
	pass "version: $v"
else
	fail "version: JSON says '$(json_get "$TMP/h.json" version)', --version '$v'"
fi

# ---- expect: with the new keys ----
expect_ok() {
	name=$1; shift
	cp "$SRCDIR/scenarios/$name.yaml" "$TMP/x-$name.yaml"
	chmod u+w "$TMP/x-$name.yaml"
	for line in "$@"; do printf '  %s\n' "$line" >>"$TMP/x-$name.yaml"; done
	if "$TCPSIM" --check -o "$TMP/x.pcap" "$TMP/x-$name.yaml" >/dev/null 2>"$TMP/x.err"; then
		pass "$name: expect $*"
	else
		fail "$name: expect: $(cat "$TMP/x.err")"
	fi
}
expect_ok fast-retransmit 'transfer_complete: true' 'transfer_time_s: 0.5492768' \
	'client.transfer_time_s: 0.549276800' 'transfer_goodput_mbps: 2.913' \
	'client.data_retransmissions: 1' 'client.retransmission_rate_pct: 0.725' \
	'client.max_cwnd_outside_recovery_bytes: 27740' 'client.max_cwnd_bytes: 43070' \
	'client.app_bytes_acked: 200KB' 'server.transfer_time_s: 0' 'version: "'"$v"'"'
expect_ok loss-5pct 'transfer_time_s: 9.3581088' 'transfer_goodput_mbps: 0.855' \
	'client.data_retransmissions: 34' 'client.retransmission_rate_pct: 4.729' \
	'client.max_cwnd_outside_recovery_bytes: 40880' 'end_time_s: "> 69"' \
	'client.data_corrupt: false'
# ... and a wrong one fails, saying what it got.
cp "$SRCDIR/scenarios/fast-retransmit.yaml" "$TMP/y.yaml"
chmod u+w "$TMP/y.yaml"
echo '  transfer_time_s: "< 0.5"' >>"$TMP/y.yaml"
"$TCPSIM" --check -o "$TMP/y.pcap" "$TMP/y.yaml" >/dev/null 2>"$TMP/y.err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'expect transfer_time_s < 0.5 failed: got 0.549276800$' "$TMP/y.err"; then
	pass "a failing transfer_time_s expectation"
else
	fail "a failing transfer_time_s expectation: exit $rc, $(cat "$TMP/y.err")"
fi

# ---- the transfer against the captures ----
if [ -n "$TSHARK" ]; then
	export WIRESHARK_CONFIG_DIR="$TMP/wsconfig"
	mkdir -p "$WIRESHARK_CONFIG_DIR"
	ts() {
		file=$1; shift
		"$TSHARK" -n -r "$file" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
			-o tcp.analyze_sequence_numbers:TRUE -o tcp.fastrt_supersedes_ooo:TRUE \
			-o tcp.relative_sequence_numbers:TRUE "$@" 2>/dev/null
	}
	# Frames the receiving host took in: neither checksum failed.
	intact='ip.checksum.status != 0 && tcp.checksum.status != 0'
	for f in "$SRCDIR"/scenarios/*.yaml; do
		name=$(basename "$f" .yaml)
		case $name in window-scale) continue ;; esac   # 150 000 frames: tshark.sh says why
		captures "$f" || continue
		j="$TMP/$name.json"
		"$TCPSIM" --json -o "$TMP/$name.pcap" "$f" >"$j" || { fail "$name: run failed"; continue; }
		[ "$(json_get "$j" transfer_complete)" = true ] || continue
		caddr=$(awk '/^client:/{c=1} c && /address:/{print $2; exit}' "$f")
		saddr=$(awk '/^server:/{c=1} c && /address:/{print $2; exit}' "$f")
		: "${caddr:=192.0.2.1}" "${saddr:=192.0.2.2}"
		if [ -e "$TMP/$name-client.pcap" ]; then
			cpcap="$TMP/$name-client.pcap"; spcap="$TMP/$name-server.pcap"
		elif grep -q '^capture: server' "$f"; then
			continue
		else
			cpcap="$TMP/$name.pcap"; spcap=""
		fi
		syn=$(ts "$cpcap" -Y "ip.src == $caddr && tcp.flags.syn == 1 && tcp.flags.ack == 0" \
			-T fields -e frame.time_epoch | head -1)
		for host in client server; do
			if [ $host = client ]; then
				pcap=$cpcap; me=$caddr; peer=$saddr
			else
				pcap=$spcap; me=$saddr; peer=$caddr
			fi
			sent=$(json_get "$j" "$host.app_bytes_sent")
			[ "$sent" -gt 0 ] && [ -n "$pcap" ] || continue
			acked=$(ts "$pcap" -Y "ip.src == $peer && tcp.ack > $sent && $intact" \
				-T fields -e frame.time_epoch | head -1)
			want=$(awk -v a="$acked" -v s="$syn" 'BEGIN {
				split(a, x, "."); split(s, y, ".")
				ns = (x[1] - y[1]) * 1000000000 + (x[2] - y[2])
				printf "%d.%09d", ns / 1000000000, ns % 1000000000 }')
			got=$(json_get "$j" "$host.transfer_time_s")
			data=$(ts "$pcap" -Y "ip.src == $me && tcp.len > 0" | wc -l | tr -d ' ')
			rexmt=$(ts "$pcap" -Y "ip.src == $me && tcp.len > 0 && (tcp.analysis.retransmission || tcp.analysis.out_of_order)" | wc -l | tr -d ' ')
			rate=$(awk -v r="$rexmt" -v n="$data" 'BEGIN { printf "%.3f", 100 * r / n }')
			goodput=$(awk -v b="$sent" -v t="$want" 'BEGIN {
				split(t, x, "."); printf "%.3f", b * 8e3 / (x[1] * 1000000000 + x[2]) }')
			figures="$want $data $rexmt $rate $goodput"
			json="$got $(json_get "$j" "$host.data_segments_sent") $(json_get "$j" "$host.data_retransmissions") $(json_get "$j" "$host.retransmission_rate_pct") $(json_get "$j" "$host.transfer_goodput_mbps")"
			if [ "$figures" = "$json" ]; then
				pass "$name/$host: transfer $got s, $data data segments, $rexmt retransmitted = $rate%, $goodput Mbit/s"
			else
				fail "$name/$host: tshark says '$figures', the summary '$json' (time, data segments, retransmitted, rate, goodput)"
			fi
		done
	done
else
	echo "tshark is not installed (./bootstrap installs it): the captures are not read"
fi

# ---- the progress line ----
cat >"$TMP/long.yaml" <<'EOF'
name: long
link: {rate: 1Gbps, delay: 5ms, queue: 1000}
client:
  tcp: {send_buffer: 4MiB}
  app: [connect, {send: 1GB}, close]
server:
  tcp: {receive_buffer: 4MiB}
  app: sink
capture: none
EOF
"$TCPSIM" "$TMP/long.yaml" >"$TMP/plain.out" 2>"$TMP/plain.err"
if [ -s "$TMP/plain.err" ]; then
	fail "progress: standard error is a file, yet got '$(cat "$TMP/plain.err")'"
else
	pass "progress: nothing on a standard error that is not a terminal"
fi
if ! command -v script >/dev/null 2>&1; then
	echo "script(1) is not installed: the terminal is not tried"
	finish
fi
# script(1) runs the command on a pseudo-terminal; standard output goes to a file.
start=$(date +%s)
script -qc "'$TCPSIM' '$TMP/long.yaml' >'$TMP/tty.out'" /dev/null >"$TMP/tty.tty" </dev/null
took=$(($(date +%s) - start))
script -qc "'$TCPSIM' --quiet '$TMP/long.yaml' >'$TMP/quiet.out'" /dev/null >"$TMP/quiet.tty" </dev/null
if cmp -s "$TMP/plain.out" "$TMP/tty.out" && cmp -s "$TMP/plain.out" "$TMP/quiet.out"; then
	pass "progress: the summary is the same with and without a terminal"
else
	fail "progress: the summaries differ"
fi
if [ -s "$TMP/quiet.tty" ]; then
	fail "progress: --quiet printed '$(cat "$TMP/quiet.tty")'"
else
	pass "progress: --quiet prints nothing"
fi
# Every line drawn starts with a carriage return; the last thing written is
# the erasure: a carriage return, spaces, a carriage return.
tty=$(tr '\r' '\n' <"$TMP/tty.tty")
if [ -s "$TMP/tty.tty" ]; then
	last=$(tail -c 1 "$TMP/tty.tty" | od -An -c | tr -d ' ')
	others=$(printf '%s\n' "$tty" | grep -v '^tcpsim: [0-9.]* s virtual time, [0-9,]* B delivered, [0-9.]* virtual s per wall s *$' | grep -cv '^ *$')
	if [ "$last" = '\r' ] && [ "$others" -eq 0 ]; then
		pass "progress: $(printf '%s\n' "$tty" | grep -c '^tcpsim') line(s) on the terminal, erased"
	else
		fail "progress: unexpected terminal output: $(od -c "$TMP/tty.tty" | head -5)"
	fi
elif [ "$took" -ge 2 ]; then
	fail "progress: a ${took} s run showed no progress line"
else
	pass "progress: the run was too quick for a line (${took} s)"
fi
finish
