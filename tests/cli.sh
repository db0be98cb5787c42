#!/bin/sh
# The command line: options, exit statuses, output files and their names.
. "$SRCDIR/tests/lib.sh"

S="$SRCDIR/scenarios/handshake.yaml"

# expect_status WANT DESCRIPTION COMMAND...: runs COMMAND in $TMP/run.
expect_status() {
	want=$1; what=$2; shift 2
	rm -rf "$TMP/run"; mkdir -p "$TMP/run"
	status=0
	(cd "$TMP/run" && "$@" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	if [ "$status" -eq "$want" ]; then pass "$what"; else fail "$what: exit $status, want $want"; cat "$TMP/stderr" >&2; fi
}

expect_status 0 "--help" "$TCPSIM" --help
grep -q '^Usage: tcpsim' "$TMP/stdout" || fail "--help prints the usage"
expect_status 0 "--version" "$TCPSIM" --version
grep -q '^tcpsim [0-9]' "$TMP/stdout" || fail "--version prints the version"

expect_status 2 "no scenario" "$TCPSIM"
grep -q "^tcpsim: no scenario file given" "$TMP/stderr" || fail "no scenario: message"
expect_status 2 "unknown option" "$TCPSIM" --frobnicate "$S"
grep -q "^tcpsim: unknown option '--frobnicate'" "$TMP/stderr" || fail "unknown option: message"
expect_status 2 "bad seed" "$TCPSIM" --seed abc "$S"
grep -q "^tcpsim: --seed: 'abc' is not a non-negative integer" "$TMP/stderr" || fail "bad seed: message"
expect_status 2 "seed out of range" "$TCPSIM" --seed 18446744073709551616 "$S"
[ "$(head -1 "$TMP/stderr")" = "tcpsim: --seed: '18446744073709551616' is out of range (0 to 18446744073709551615)" ] ||
	fail "seed out of range: message is '$(head -1 "$TMP/stderr")'"
expect_status 0 "largest seed" "$TCPSIM" --seed=18446744073709551615 -o "$TMP/s.pcap" "$S"
grep -q "handshake (seed 18446744073709551615)" "$TMP/stdout" || fail "largest seed: summary"
expect_status 2 "negative seed" "$TCPSIM" --seed -1 "$S"
grep -q "^tcpsim: --seed: '-1' is not a non-negative integer" "$TMP/stderr" || fail "negative seed: message"
expect_status 2 "bad --max-events" "$TCPSIM" --max-events 1e9 "$S"
grep -q "^tcpsim: --max-events: '1e9' is not a non-negative integer" "$TMP/stderr" || fail "bad --max-events: message"
expect_status 2 "bad --max-capture" "$TCPSIM" --max-capture 4GiBs "$S"
grep -q "^tcpsim: --max-capture: '4GiBs': .* (a size such as 4GiB)$" "$TMP/stderr" || fail "bad --max-capture: message"
expect_status 2 "--seedx is unknown" "$TCPSIM" --seedx 1 "$S"
grep -q "^tcpsim: unknown option '--seedx'" "$TMP/stderr" || fail "--seedx: message"
expect_status 2 "-o without a value" "$TCPSIM" "$S" -o
expect_status 2 "two scenarios" "$TCPSIM" "$S" "$S"
expect_status 2 "missing scenario file" "$TCPSIM" "$TMP/nope.yaml"
[ "$(cat "$TMP/stderr")" = "tcpsim: $TMP/nope.yaml:1:1: cannot read file: No such file or directory" ] ||
	fail "missing file: message is '$(cat "$TMP/stderr")'"

# Default output: out/NAME.pcap under the working directory, and a summary.
expect_status 0 "default run" "$TCPSIM" "$S"
[ -s "$TMP/run/out/handshake.pcap" ] || fail "default run writes out/handshake.pcap"
grep -q "handshake (seed 1)" "$TMP/stdout" || fail "default run prints the summary"
[ -z "$(find "$TMP/run" -name '*.part')" ] || fail "a .part file was left behind"

# -o PATH, and a directory that does not exist: exit 2, nothing written.
expect_status 0 "-o PATH" "$TCPSIM" -o "$TMP/x.pcap" "$S"
[ -s "$TMP/x.pcap" ] || fail "-o writes PATH"
[ ! -e "$TMP/run/out" ] || fail "-o PATH leaves out/ alone"
expect_status 2 "-o into a missing directory" "$TCPSIM" -o "$TMP/missing/x.pcap" "$S"
[ "$(cat "$TMP/stderr")" = "tcpsim: cannot create capture file $TMP/missing/x.pcap: No such file or directory" ] ||
	fail "missing directory: message is '$(cat "$TMP/stderr")'"
[ ! -e "$TMP/missing" ] || fail "missing directory was created"
[ ! -s "$TMP/stdout" ] || fail "no summary when the capture cannot be written"

# capture: both -> two files, -client and -server.
sed 's/^seed: 1$/seed: 1\ncapture: both/' "$S" >"$TMP/both.yaml"
expect_status 0 "capture: both" "$TCPSIM" -o "$TMP/both.pcap" "$TMP/both.yaml"
[ -s "$TMP/both-client.pcap" ] && [ -s "$TMP/both-server.pcap" ] || fail "capture: both writes -client and -server files"

# --json: one object holding the contract's keys.
expect_status 0 "--json" "$TCPSIM" --json -o "$TMP/j.pcap" "$S"
for key in scenario seed end_time_s events client.state client.app_bytes_sent \
	client.app_bytes_received client.data_intact client.segments_sent \
	client.data_segments_sent client.payload_bytes_sent client.retransmissions \
	client.fast_retransmits client.rto_timeouts client.dupacks_received \
	client.max_cwnd_bytes client.final_srtt_ms client.final_rto_ms server.state \
	link.client_to_server.packets link.client_to_server.dropped \
	link.client_to_server.queue_drops link.server_to_client.reordered \
	link.server_to_client.duplicated link.server_to_client.corrupted; do
	[ -n "$(json_get "$TMP/stdout" "$key")" ] || fail "--json lacks $key"
done
[ "$(json_get "$TMP/stdout" client.segments_sent)" = 5 ] || fail "--json client.segments_sent"
head -c1 "$TMP/stdout" | grep -q '{' || fail "--json starts with {"

# --check: a failing expectation gives exit 1 and names its line.
sed 's/^  client.segments_sent: 5$/  client.segments_sent: 6/' "$S" >"$TMP/wrong.yaml"
expect_status 1 "--check with a failing expectation" "$TCPSIM" --check -o "$TMP/w.pcap" "$TMP/wrong.yaml"
grep -q "^$TMP/wrong.yaml:[0-9]*:3: expect client.segments_sent == 6 failed: got 5$" "$TMP/stderr" ||
	fail "--check failure line: $(cat "$TMP/stderr")"
expect_status 0 "without --check expectations are not evaluated" "$TCPSIM" -o "$TMP/w.pcap" "$TMP/wrong.yaml"

# --trace PATH: a CSV with a header and one row per congestion event.
expect_status 0 "--trace" "$TCPSIM" --trace "$TMP/t.csv" -o "$TMP/t.pcap" "$SRCDIR/scenarios/fast-retransmit.yaml"
[ "$(head -1 "$TMP/t.csv")" = "time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,rttvar_ms,rto_ms,state" ] ||
	fail "--trace header: $(head -1 "$TMP/t.csv")"
[ "$(grep -c ',client,fast_retransmit,' "$TMP/t.csv")" = 1 ] || fail "--trace: one fast_retransmit row"
[ "$(grep -c ',client,recovery_exit,' "$TMP/t.csv")" = 1 ] || fail "--trace: one recovery_exit row"
[ ! -e "$TMP/t.csv.part" ] || fail "--trace left its .part file"
expect_status 2 "--trace into a missing directory" "$TCPSIM" --trace "$TMP/missing/t.csv" -o "$TMP/t2.pcap" "$S"
[ "$(cat "$TMP/stderr")" = "tcpsim: cannot create trace file $TMP/missing/t.csv: No such file or directory" ] ||
	fail "--trace missing directory: message is '$(cat "$TMP/stderr")'"
[ ! -e "$TMP/t2.pcap" ] && [ ! -e "$TMP/t2.pcap.part" ] || fail "--trace failure left a capture behind"

# An expect key that names nothing in the summary is a scenario error.
sed 's/^  client.segments_sent: 5$/  client.segment_sent: 5/' "$S" >"$TMP/badkey.yaml"
expect_status 2 "unknown expect key" "$TCPSIM" "$TMP/badkey.yaml"
grep -q "^tcpsim: $TMP/badkey.yaml:[0-9]*:3: unknown summary key 'client.segment_sent' in expect$" "$TMP/stderr" ||
	fail "unknown expect key message: $(cat "$TMP/stderr")"
[ ! -e "$TMP/run/out" ] || fail "unknown expect key: out/ was written"
# ... said on one line: a tab in a quoted key is shown as '?'.
printf 'link: {rate: 1Mbps, delay: 1ms}\nclient: {app: [connect, close]}\nserver: {app: sink}\nexpect: {"a\\tb": 1}\n' >"$TMP/tabkey.yaml"
expect_status 2 "unknown expect key with a tab" "$TCPSIM" "$TMP/tabkey.yaml"
[ "$(cat "$TMP/stderr")" = "tcpsim: $TMP/tabkey.yaml:4:10: unknown summary key 'a?b' in expect" ] ||
	fail "unknown expect key with a tab: message is '$(cat "$TMP/stderr")'"

# libpcap is loaded when a pcap is written, and only then: a run without one
# starts without libpcap and its dependencies (the dynamic loader's LD_DEBUG
# lists every object it maps).
loaded() { grep -c 'file=libpcap[.]so.*dynamically loaded by' "$TMP/ld" || :; }
(cd "$TMP" && LD_DEBUG=files "$TCPSIM" -o "$TMP/ld.pcap" "$S" >/dev/null 2>"$TMP/ld") ||
	fail "LD_DEBUG run with a pcap failed"
[ "$(loaded)" = 1 ] || fail "a run writing a pcap did not load libpcap once: $(grep -c pcap "$TMP/ld") lines name it"
for how in "--set capture=none" "--pcapng -o $TMP/ld.pcapng"; do
	# shellcheck disable=SC2086  # $how is two words
	(cd "$TMP" && LD_DEBUG=files "$TCPSIM" $how "$S" >/dev/null 2>"$TMP/ld") ||
		fail "LD_DEBUG run with $how failed"
	! grep -q 'libpcap' "$TMP/ld" || fail "a run with $how loaded libpcap"
done

finish
