#!/bin/sh
# Every scenario under scenarios/ runs with --check: its expect: block holds.
# Then the figures the scenarios' comments quote from the --trace CSV (the
# sender's congestion state at each event) are held to it, and README.md's
# quick start to what the command it gives prints. (tests/tshark.sh holds
# the comments' statements about the captures.)
. "$SRCDIR/tests/lib.sh"

for f in "$SRCDIR"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	set -- -o "$TMP/$name.pcap"
	captures "$f" || set --
	if "$TCPSIM" --check --trace "$TMP/$name.csv" "$@" "$f" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
		pass "$name"
	else
		fail "$name: exit $? $(cat "$TMP/$name.err")"
		cat "$TMP/$name.out" >&2
	fi
done

# same LABEL GOT WANT: passes when GOT is WANT.
same() {
	[ "$2" = "$3" ] && pass "$1" || fail "$1: got '$2', want '$3'"
}

# The benchmark's transfers (scenarios/bench/, make bench) hold their expect:
# too, without a capture; and its driver runs (ns-3 left out: a smoke run).
# The RSS target's verdict must agree with its figure, whichever it is (a
# sanitizer build needs more than 16 MiB).
for f in "$SRCDIR"/scenarios/bench/*.yaml; do
	name=bench/$(basename "$f" .yaml)
	if "$TCPSIM" --check --quiet --set capture=none "$f" >"$TMP/bench.out" 2>&1; then
		pass "$name"
	else
		fail "$name: $(cat "$TMP/bench.out")"
	fi
done
if [ -x /usr/bin/time ] && command -v bc >/dev/null 2>&1; then
	out=$(REPS=1 NS3_BENCH=/nonexistent TCPSIM="$TCPSIM" "$SRCDIR/tests/bench/run" bulk-10m-loss5 2>&1) &&
		[ "$(echo "$out" | awk '$1 == "bulk-10m-loss5" {print $2, $4, $7}' | tr '\n' ' ')" = "off 11342 187.289 on 11342 187.289 " ] &&
		[ "$(echo "$out" | awk '$1 == "bulk-10m-loss5" {print $2, ($12 ~ /^[0-9]+\.[0-9]+$/ ? "s" : $12), ($13 ~ /^[0-9]+\.[0-9]+x$/ ? "x" : $13)}' | tr '\n' ' ')" = "off - - on s x " ] &&
		[ "$(echo "$out" | awk '$1 == "bulk-10m-loss5" {print $14, $15, $16, $17}' | tr '\n' ' ')" = "- - - - - - - - " ] &&
		echo "$out" | awk '/^  peak RSS at most 16 MiB +[0-9.]+ MiB +(met|NOT MET)$/ {
			n++; ok = (NF == 10 ? $9 " " $10 : $9) == ($7 <= 16 ? "met" : "NOT MET")}
			END {exit !(n == 1 && ok)}' &&
		pass "tests/bench/run: a row per capture setting, with the run's events and completion, dd beside the capture, and the targets" ||
		fail "tests/bench/run: $out"
	out=$(REPS=1 FLOOR=/nonexistent TCPSIM="$TCPSIM" "$SRCDIR/tests/bench/run" bulk-10m-loss5 2>&1)
	same "tests/bench/run without the floor program" "$?: $out" "2: bench: /nonexistent is not built (make tests/bench/floor)"
fi
# The floor's 50 segments of 1460 bytes of the client's pattern (and 720),
# each checksummed twice: the checksums add up to what RFC 1071's sum of
# the same bytes, taken 16 bits at a time in network order, gives.
same "tests/bench/floor 100000 8192" "$("$FLOOR" 100000 8192)" \
	"floor: 100000 bytes, window 8192: sums 5034010, segments differing 0"
# The same bytes in passes, the floor the benchmark's target is set against:
# two checksums of all 100,000 bytes, each 62403 (0xf3c3) by RFC
# 1071's sum of the pattern's lines taken 16 bits at a time in network
# order; the seconds vary, the words around them do not.
same "tests/bench/floor --passes 100000" \
	"$("$FLOOR" --passes 100000 | sed 's/[0-9]*\.[0-9]\{4\} s/S s/g')" \
	"floor: 100000 bytes in passes: copy S s, sum S s, sum S s, compare S s, total S s; sums 124806, differing 0"

# scenarios/README.md lists every scenario once, and only scenarios that exist.
cat="$SRCDIR/scenarios/README.md"
listed=$(sed -n 's/^| `\([^`]*\.yaml\)` |.*/\1/p' "$cat" | sort)
present=$(cd "$SRCDIR/scenarios" && ls ./*.yaml | sed 's|^\./||' | sort)
[ "$listed" = "$present" ] && pass "scenarios/README.md lists every scenario once" ||
	fail "scenarios/README.md: listed and present differ: $(printf '%s\n' "$listed" | diff - "$(printf '%s\n' "$present" >"$TMP/present"; echo "$TMP/present")" | grep '^[<>]' | tr '\n' ' ')"

# rows NAME EVENT: the client's trace rows of that event: time,cwnd,ssthresh,flight.
rows() {
	awk -F, -v e="$2" '$2 == "client" && $3 == e {printf "%s,%s,%s,%s ", $1, $4, $5, $6}' "$TMP/$1.csv"
}
# bursts NAME N GAP: cwnd at the first row of each of the client's first N
# bursts of rows (rows closer than GAP seconds: the ACKs of one round trip,
# while the flight is less than the path holds); "!" marks a row whose
# ssthresh is not "inf".
bursts() {
	awk -F, -v n="$2" -v gap="$3" '$2 == "client" {if ($1 - p > gap && k < n) {k++; printf "%s%s ", $4, ($5 == "inf") ? "" : "!"} p = $1}' "$TMP/$1.csv"
}
# growth: how many of the ratios between successive numbers on the line
# are outside 1.4 to 1.55 (slow start with an ACK for every second segment).
growth() {
	awk '{for (i = 2; i <= NF; i++) if ($i / $(i - 1) < 1.4 || $i / $(i - 1) > 1.55) bad++; print bad + 0}'
}

# fast-retransmit: the fast_retransmit and recovery_exit rows, nothing else
# but duplicate ACKs; in recovery each one adds one SMSS.
same "fast-retransmit: the fast_retransmit and recovery_exit rows; no partial_ack, no rto" \
	"$(rows fast-retransmit fast_retransmit)| $(rows fast-retransmit recovery_exit)| $(rows fast-retransmit partial_ack)$(rows fast-retransmit rto)" \
	"0.133372800,18250,13870,30660 | 0.180604800,13140,13870,11680 | "
same "fast-retransmit: two duplicate ACKs before the fast retransmit, 17 after, each adding one SMSS" \
	"$(awk -F, '$2 != "client" {next} $3 == "fast_retransmit" {c = $4; r = 1; next} $3 == "dupack" && !r {b++}
		r && $3 == "dupack" {n++; if ($4 != c + 1460) bad++; c = $4} END {print b, n, bad + 0}' "$TMP/fast-retransmit.csv")" "2 17 0"

# newreno-partial-ack: one fast retransmit, one partial ACK, one recovery exit.
same "newreno-partial-ack: fast_retransmit, partial_ack and recovery_exit rows; no rto" \
	"$(rows newreno-partial-ack fast_retransmit | cut -d, -f1)|$(rows newreno-partial-ack partial_ack | cut -d, -f1)|$(rows newreno-partial-ack recovery_exit | cut -d, -f1)|$(rows newreno-partial-ack rto)" \
	"0.133372800|0.180604800|0.221836800|"

# slow-start and delayed-ack: cwnd at the first ACK of the first round trips;
# then slow-start's recovery and congestion avoidance.
same "slow-start: cwnd at the first ACK of the first five round trips (ssthresh inf)" \
	"$(bursts slow-start 5 0.02)" "16060 23360 33580 49640 73000 "
same "slow-start: about 1.5 times per round trip" "$(bursts slow-start 5 0.02 | growth)" 0
same "slow-start: fast retransmit, partial ACK, recovery exit" \
	"$(rows slow-start fast_retransmit)|$(rows slow-start partial_ack | cut -d, -f1)|$(rows slow-start recovery_exit)" \
	"1.034332800,103660,99280,198560 |1.192732800|1.293964800,5840,99280,4380 "
same "slow-start: back at ssthresh at 2.048 s, then one segment more per round trip, 18 times, to 125560" \
	"$(awk -F, '$2 == "client" && $3 == "recovery_exit" {r = 1; next}
		$2 == "client" && r && !ca && $4 == 99280 {ca = 1; t = $1; c = $4; last = $1; next}
		$2 == "client" && ca && $4 != c {n++; if ($4 != c + 1460 || $1 - last < 0.09) bad++; last = $1; c = $4}
		END {print t, n, c, bad + 0}' "$TMP/slow-start.csv")" "2.048188800 18 125560 0"
same "delayed-ack: cwnd 16060, 23360, 33580 at the first ACK of the first three round trips" \
	"$(bursts delayed-ack 3 0.02)" "16060 23360 33580 "
same "delayed-ack-off: cwnd 16060, 30660 at the first ACK of the first two round trips" \
	"$(bursts delayed-ack-off 2 0.02)" "16060 30660 "

# window-scale: 1.5 times per round trip; cwnd past the 16 MiB window at
# 1.951 s, 18.5 round trips (of 100 ms) after the first data left at 0.100 s.
same "window-scale: about 1.5 times per round trip over the first 17 round trips" \
	"$(bursts window-scale 17 0.05 | growth)" 0
same "window-scale: cwnd passes 16 MiB at 1.951 s" \
	"$(awk -F, '$2 == "client" && $4 >= 16777216 {print $1; exit}' "$TMP/window-scale.csv")" 1.951234848

# rto-backoff: five rto rows, rto_ms doubling, ssthresh half the flight
# and then held, cwnd one segment.
same "rto-backoff: rto rows, rto_ms doubling, ssthresh 56940 / 2 held, cwnd 1 SMSS" \
	"$(awk -F, '$2 == "client" && $3 == "rto" {printf "%s,%s,%s,%s,%s ", $1, $4, $5, $6, $9}' "$TMP/rto-backoff.csv")" \
	"1.218236800,1460,28470,56940,2000.000 3.218236800,1460,28470,56940,4000.000 7.218236800,1460,28470,56940,8000.000 15.218236800,1460,28470,56940,16000.000 31.218236800,1460,28470,56940,32000.000 "

# tail-loss: the timer expires 1 s after the last ACK (RTO = max(1 s,
# SRTT + 4 RTTVAR), the latter smaller), cwnd one segment.
same "tail-loss: the rto row: 1 s after the last ACK, cwnd 1 segment, SRTT + 4 RTTVAR under 1 s" \
	"$(awk -F, '$2 == "client" && $3 == "ack" {t = $1} $2 == "client" && $3 == "rto" {printf "%.9f %s %s", $1 - t, $4, ($7 + 4 * $8 < 1000) ? "under" : "over"}' "$TMP/tail-loss.csv")" \
	"1.000000000 1460 under"

# reorder: 10 spurious fast retransmits, 77 partial ACKs.
same "reorder: 10 fast_retransmit rows, 77 partial_ack rows" \
	"$(rows reorder fast_retransmit | wc -w) $(rows reorder partial_ack | wc -w)" "10 77"

# loss-5pct: 17 recoveries; the two timeouts, each 1 s after the event
# before it: a fast retransmit (one more duplicate ACK in between), and the
# end of a recovery (four duplicate ACKs in between that start nothing).
same "loss-5pct: 17 fast_retransmit rows" "$(rows loss-5pct fast_retransmit | wc -w)" 17
same "loss-5pct: the two timeouts, and the event before each" \
	"$(awk -F, '$2 != "client" {next} $3 == "dupack" {d++; next}
		$3 == "rto" {printf "%s(%s %.9f %d) ", $1, e, $1 - t, d} {e = $3; t = $1; d = 0}' "$TMP/loss-5pct.csv")" \
	"1.893820800(fast_retransmit 1.000000000 1) 8.215484800(recovery_exit 1.000000000 4) "

# cubic: the loss (W_max, ssthresh = 0.7 FlightSize), the stage's start
# (cwnd_epoch, K), the plateau's time t_epoch + K, the first ACK in the
# convex region, and that the concave region comes before it and nothing
# else after the stage begins.
cc_row() {
	awk -F, -v e="$2" '$2 == "client" && $3 == e {print $1, $4, $5, $6, $11, $12, $13, $14; exit}' "$TMP/$1.csv"
}
same "cubic: the fast retransmit: cwnd 217978, ssthresh 213598 = 0.7 x 305140, W_max 305140" \
	"$(cc_row cubic fast_retransmit | cut -d' ' -f1-5)" "0.924552960 217978 213598 308060 305140"
same "cubic: the stage begins at 1.040639360 s, cwnd_epoch 214620, K 5.371685 s" \
	"$(cc_row cubic cubic_epoch | cut -d' ' -f1,5-8)" "1.040639360 305140 5.371685 1.040639360 214620"
same "cubic: the plateau, t_epoch + K, at 6.412 s" \
	"$(cc_row cubic cubic_epoch | awk '{printf "%.3f", $7 + $6}')" "6.412"
same "cubic: regions after the epoch: reno_friendly, concave, then convex from 7.044383360 s" \
	"$(awk -F, '$2 == "client" && $3 == "cubic_epoch" {on = 1} on && $16 != r {printf "%s%s", (r == "" ? "" : " "), $16 (t == "" && $16 == "convex" ? "@" $1 : ""); if ($16 == "convex") t = $1; r = $16}' "$TMP/cubic.csv")" \
	"reno_friendly concave convex@7.044383360"

# slow-reader-close: both sides go through TIME_WAIT for 2 MSL: the client
# from 0.029 s (the ACK of its FIN arrives), the server from 0.034 s (the
# client's last ACK arrives 5 ms later): the client leaves it between
# 60.029 and 60.030 s, the server between 60.034 and 60.035 s.
for v in "60.029s TIME_WAIT TIME_WAIT" "60.030s CLOSED TIME_WAIT" "60.034s CLOSED TIME_WAIT" "60.035s CLOSED CLOSED"; do
	set -- $v
	(cat "$SRCDIR/scenarios/slow-reader-close.yaml"; echo "duration: $1") >"$TMP/src.yaml"
	"$TCPSIM" --json -o "$TMP/src.pcap" "$TMP/src.yaml" >"$TMP/src.json"
	same "slow-reader-close: cut at $1, the client in $2, the server in $3" \
		"$(json_get "$TMP/src.json" client.state) $(json_get "$TMP/src.json" server.state)" "$2 $3"
done

# README.md's quick start: the command it gives, run from the top of a tree,
# prints the lines the README shows.
mkdir -p "$TMP/qs/out"
(cd "$TMP/qs" && "$TCPSIM" "$SRCDIR/scenarios/loss-5pct.yaml" >"$TMP/qs.out" 2>&1)
awk '/^The first command prints/ {on = 1; next} on && /^```$/ {if (++fence == 2) exit; next} on && fence == 1' "$SRCDIR/README.md" >"$TMP/qs.readme"
same "README: the quick start prints what the README shows" \
	"$(awk 'FNR == NR {if ($0 != "  ...") want[++n] = $0; next} k < n && $0 == want[k + 1] {k++} END {print k "/" n}' "$TMP/qs.readme" "$TMP/qs.out")" \
	"$(grep -cv '^  \.\.\.$' "$TMP/qs.readme")/$(grep -cv '^  \.\.\.$' "$TMP/qs.readme")"
same "README: the quick start's first line is the output's first line" \
	"$(head -1 "$TMP/qs.out")" "$(head -1 "$TMP/qs.readme")"
# sack-recovery and newreno-three-holes: the same three losses; SACK
# recovery from the third duplicate ACK to the ACK of everything, NewReno a
# round trip per hole.
same "sack-recovery: sack_recovery and sack_recovery_exit rows; no rto" \
	"$(rows sack-recovery sack_recovery)| $(rows sack-recovery sack_recovery_exit)| $(rows sack-recovery rto)" \
	"0.133388800,25481,13870,30660 | 0.208665600,13870,13870,13140 | "
same "newreno-three-holes: fast_retransmit, two partial_acks, recovery_exit; no rto" \
	"$(rows newreno-three-holes fast_retransmit | cut -d, -f1)|$(rows newreno-three-holes partial_ack | tr ' ' '\n' | cut -d, -f1 | tr '\n' ' ')|$(rows newreno-three-holes recovery_exit | cut -d, -f1)|$(rows newreno-three-holes rto)" \
	"0.133372800|0.179404800 0.220636800 |0.261868800|"
# gig-sack: the 1 GB transfer's two SACK recoveries (its expect: holds the
# counts); then the same without SACK, whose figures its comment gives.
same "gig-sack: sack_recovery and sack_recovery_exit rows; no rto" \
	"$(rows gig-sack sack_recovery)| $(rows gig-sack sack_recovery_exit)| $(rows gig-sack rto)" \
	"0.056316192,2555730,1278960,2560840 3.679476128,1703089,852640,1708200 | 0.086100032,1278960,1278960,1277500 3.693480032,852640,852640,851180 | "
sed 's/^    sack: true$/    sack: false/' "$SRCDIR/scenarios/gig-sack.yaml" >"$TMP/gig-nosack.yaml"
"$TCPSIM" --json --trace "$TMP/gig-nosack.csv" "$TMP/gig-nosack.yaml" >"$TMP/gig-nosack.json"
j="$TMP/gig-nosack.json"
same "gig-sack without SACK: queue drops, retransmissions, RTOs, spurious retransmissions, transfer time" \
	"$(json_get "$j" link.client_to_server.queue_drops) $(json_get "$j" client.retransmissions) $(json_get "$j" client.rto_timeouts) $(json_get "$j" client.spurious_retransmissions) $(json_get "$j" client.transfer_time_s) $(json_get "$j" client.sack_recoveries)" \
	"855 1117 1 262 9.764511296 0"
same "gig-sack without SACK: the first partial ACK, the timeout, the fast retransmits" \
	"$(rows gig-nosack partial_ack | cut -d' ' -f1 | cut -d, -f1)|$(rows gig-nosack rto | cut -d, -f1)|$(rows gig-nosack fast_retransmit | tr ' ' '\n' | cut -d, -f1 | tr '\n' ' ')" \
	"0.070331968|1.070331968|0.056327968 1.141600000 6.835516640 "
finish
