#!/bin/sh
# Many seeds over hostile links (loss, reordering, corruption, small
# buffers, data both ways, slow readers, small writes under Nagle and
# delayed ACK, ECN marks beside losses): every run must finish with both connections
# CLOSED without error and every byte delivered intact. STRESS_SEEDS sets
# how many seeds per link (make check: 100; make check-long: 2000). Each
# link runs twice: as written, and with SACK on both hosts, the seed
# choosing the recovery (prr, prr-crb, rfc6675 in turn), where the SACK
# blocks meet reordering, loss of ACKs, corruption and tiny windows.
. "$SRCDIR/tests/lib.sh"

seeds=${STRESS_SEEDS:-100}

cat >"$TMP/echo.yaml" <<'YAML'
duration: 3000s
link: {rate: 5Mbps, delay: 15ms, queue: 20, loss: 8%, corrupt: 1%, reorder: {probability: 5%, delay: 7ms}}
client: {tcp: {receive_buffer: 16KiB}, app: [connect, {send: 200KB}, {wait: 50ms}, {send: "end"}, close]}
server: {tcp: {send_buffer: 8KiB}, app: echo}
capture: none
YAML
cat >"$TMP/bulk.yaml" <<'YAML'
duration: 3000s
link: {rate: 20Mbps, delay: 30ms, queue: 30, loss: 3%, reorder: {probability: 10%, delay: 2ms},
       b_to_a: {loss: 10%, delay: 5ms}}
client: {tcp: {mss: 1000}, app: [connect, {send: 500KB}, close]}
server: {tcp: {receive_buffer: 8KiB}, app: sink}
capture: none
YAML

cat >"$TMP/slow.yaml" <<'YAML'
duration: 3000s
link: {rate: 5Mbps, delay: 10ms, queue: 20, loss: 5%, reorder: {probability: 5%, delay: 5ms}}
client:
  tcp: {receive_buffer: 2000, min_rto: 200ms}
  read: {bytes: 500, every: 20ms}
  app: [connect, {repeat: {times: 20, steps: [{send: 40}, {send: 300}, {read: 2000}]}}, close]
server:
  tcp: {receive_buffer: 3000, delayed_ack: 100ms}
  read: {bytes: 700, every: 30ms}
  app: [{repeat: {times: 20, steps: [{read: 340}, {send: 2000}]}}]
capture: none
YAML

# ECN on both hosts, both directions marking past 4 packets of a 20-packet
# queue, beside loss, reordering and corruption: reductions for ECE, fast
# retransmits and timeouts in the same windows.
cat >"$TMP/ecn.yaml" <<'YAML'
duration: 3000s
link: {rate: 5Mbps, delay: 15ms, queue: 20, ecn_threshold: 4, loss: 3%, corrupt: 1%,
       reorder: {probability: 5%, delay: 7ms}}
client: {tcp: {ecn: true, receive_buffer: 32KiB}, app: [connect, {send: 300KB}, close]}
server: {tcp: {ecn: true, delayed_ack: 40ms}, app: echo}
capture: none
YAML

RECOVERIES="prr prr-crb rfc6675"
# variant SUFFIX "LINK..." PREFIX SED-SCRIPT: each LINK once more as
# LINK-SUFFIX.yaml, the line PREFIX (if any) first, then the link's YAML
# through SED-SCRIPT.
variant() {
	for cfg in $2; do
		{ [ -z "$3" ] || echo "$3"; sed "$4" "$TMP/$cfg.yaml"; } >"$TMP/$cfg-$1.yaml"
	done
}
# The first three once more with SACK and RACK-TLP (RFC 2018, RFC 6675,
# RFC 8985) on every host.
variant rack "echo bulk slow" "" 's/tcp: {/tcp: {sack: true, rack: true, tlp: true, /'
# And under profile: linux (SACK, PRR, RACK-TLP, timestamps, CUBIC with
# HyStart++, the adaptive delayed ACK) with ECN asked for: every mechanism
# at once, the links' own tcp keys over it.
variant linux "echo bulk slow ecn" "profile: linux" '/ecn: true/!s/tcp: {/tcp: {ecn: true, /'

for cfg in echo bulk slow ecn echo-sack bulk-sack slow-sack ecn-sack echo-rack bulk-rack slow-rack \
	echo-linux bulk-linux slow-linux ecn-linux; do
	case $cfg in
	echo*) want="200003 200003 " ;;
	bulk*) want="0 500000 " ;;
	slow*) want="40000 6800 " ;;
	ecn*) want="300000 300000 " ;;
	esac
	bad=0
	sacked=0    # runs in which SACK blocks arrived
	seed=1
	while [ "$seed" -le "$seeds" ]; do
		yaml=$TMP/$cfg.yaml
		case $cfg in
		*-sack)
			set -- $RECOVERIES
			shift $((seed % 3))
			yaml=$TMP/run.yaml
			sed "s/tcp: {/tcp: {sack: true, recovery: $1, /" "$TMP/${cfg%-sack}.yaml" >"$yaml"
			;;
		esac
		"$TCPSIM" --json --seed "$seed" "$yaml" >"$TMP/out.json" 2>"$TMP/err" || {
			fail "$cfg seed $seed: exit status $? $(cat "$TMP/err")"; bad=1; }
		got=$(grep '"app_bytes_received"' "$TMP/out.json" | tr -d ' ,' | cut -d: -f2 | tr '\n' ' ')
		intact=$(grep -c '"data_intact": true' "$TMP/out.json")
		closed=$(grep -c '"state": "CLOSED"' "$TMP/out.json")
		errors=$(grep -c '"error": null' "$TMP/out.json")
		[ "$(json_get "$TMP/out.json" client.sack_blocks_received)$(json_get "$TMP/out.json" server.sack_blocks_received)" = 00 ] ||
			sacked=$((sacked + 1))
		if [ "$got" != "$want" ] || [ "$intact" != 2 ] || [ "$closed" != 2 ] || [ "$errors" != 2 ]; then
			fail "$cfg seed $seed: received '$got' (want '$want'), intact $intact/2, CLOSED $closed/2, no error $errors/2"
			bad=1
		fi
		seed=$((seed + 1))
	done
	note=
	case $cfg in
	*-sack) [ "$sacked" -gt 0 ] || { fail "$cfg: no run received a SACK block"; bad=1; }
		note=" ($sacked with SACK blocks received)" ;;
	esac
	[ "$bad" -eq 0 ] && pass "$cfg: $seeds seeds, all complete and intact$note"
done

# Determinism with RACK-TLP on: the same seed twice, the same summary and trace.
for cfg in echo-rack bulk-rack slow-rack; do
	for run in 1 2; do
		"$TCPSIM" --json --seed 7 --trace "$TMP/t$run.csv" "$TMP/$cfg.yaml" >"$TMP/s$run.json" 2>/dev/null
	done
	cmp -s "$TMP/s1.json" "$TMP/s2.json" && cmp -s "$TMP/t1.csv" "$TMP/t2.csv" &&
		pass "$cfg: seed 7 twice, identical summary and trace" ||
		fail "$cfg: seed 7 twice, the outputs differ"
done
finish
