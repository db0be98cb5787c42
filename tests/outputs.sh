#!/bin/sh
# Output files named on the command line: nothing else is harmed, nothing
# is left half-written, and an error exit leaves every output as it was.
. "$SRCDIR/tests/lib.sh"

S="$SRCDIR/scenarios/handshake.yaml"
W="$TMP/w"

# run WANT WHAT COMMAND...: COMMAND in $W with stdout/stderr to $TMP/{stdout,stderr}.
run() {
	want=$1; what=$2; shift 2
	status=0
	(cd "$W" && "$@" >"$TMP/stdout" 2>"$TMP/stderr") || status=$?
	if [ "$status" -eq "$want" ]; then pass "$what"; else fail "$what: exit $status, want $want"; cat "$TMP/stderr" >&2; fi
}
# stderr_is TEXT WHAT: the whole of stderr.
stderr_is() {
	[ "$(cat "$TMP/stderr")" = "$1" ] || fail "$2: stderr is '$(cat "$TMP/stderr")', want '$1'"
}
# no_parts: no temporary file anywhere under $W.
no_parts() {
	[ -z "$(find "$W" -name '*.part')" ] || fail "$1: a .part file was left: $(find "$W" -name '*.part')"
}
fresh() { rm -rf "$W"; mkdir -p "$W"; }

# A reference capture of the handshake scenario.
fresh
run 0 "reference run" "$TCPSIM" -o "$TMP/ref.pcap" "$S"

# A transfer long enough for two runs to overlap: 20 MB with a capture.
cat >"$TMP/big.yaml" <<'YAML'
name: big
link: {rate: 1Gbps, delay: 1ms, queue: 1000}
client: {tcp: {send_buffer: 4MiB}, app: [connect, {send: 20MB}, close]}
server: {tcp: {receive_buffer: 4MiB}, app: sink}
YAML
run 0 "20 MB reference" "$TCPSIM" -o "$TMP/big-ref.pcap" "$TMP/big.yaml"
[ "$(stat -c %s "$TMP/big-ref.pcap")" -gt 20000000 ] || fail "20 MB scenario: capture is $(stat -c %s "$TMP/big-ref.pcap") bytes"

# 2. Two runs at once with the same -o: both succeed, and the capture is one
# run's whole (both are the same run here), never a mixture.
fresh
( cd "$W" && "$TCPSIM" -o same.pcap "$TMP/big.yaml" >/dev/null 2>"$TMP/e1"; echo $? >"$TMP/s1" ) &
( cd "$W" && "$TCPSIM" -o same.pcap "$TMP/big.yaml" >/dev/null 2>"$TMP/e2"; echo $? >"$TMP/s2" ) &
wait
[ "$(cat "$TMP/s1") $(cat "$TMP/s2")" = "0 0" ] || fail "two runs, one -o: exits $(cat "$TMP/s1") $(cat "$TMP/s2"): $(cat "$TMP/e1" "$TMP/e2")"
cmp -s "$W/same.pcap" "$TMP/big-ref.pcap" && pass "two runs, one -o: the capture is whole" ||
	fail "two runs, one -o: the capture matches neither run"
no_parts "two runs, one -o"

# 3. A FIFO is written, not replaced by a regular file.
fresh
mkfifo "$W/fifo"
cat "$W/fifo" >"$TMP/from-fifo" &
run 0 "-o FIFO" "$TCPSIM" -o fifo "$S"
wait
[ -p "$W/fifo" ] || fail "-o FIFO: the FIFO was replaced"
cmp -s "$TMP/from-fifo" "$TMP/ref.pcap" || fail "-o FIFO: the reader did not get the capture"

# ... /dev/null stays a device (this matters when run as root).
run 0 "-o /dev/null" "$TCPSIM" -o /dev/null "$S"
[ -c /dev/null ] || fail "-o /dev/null: /dev/null is no longer a character device"
run 0 "--trace /dev/null" "$TCPSIM" --trace /dev/null -o /dev/null "$S"
[ -c /dev/null ] || fail "--trace /dev/null: /dev/null is no longer a character device"

# ... a read-only file is refused and kept.
fresh
echo keep >"$W/ro.pcap"
chmod 444 "$W/ro.pcap"
run 2 "-o read-only file" "$TCPSIM" -o ro.pcap "$S"
stderr_is "tcpsim: cannot write capture file ro.pcap: it is read-only" "-o read-only file"
[ "$(cat "$W/ro.pcap")" = keep ] || fail "-o read-only file: its bytes changed"
[ ! -s "$TMP/stdout" ] || fail "-o read-only file: a summary was printed"

# ... a directory is refused.
mkdir "$W/d"
run 2 "-o directory" "$TCPSIM" -o d "$S"
stderr_is "tcpsim: cannot write capture file d: it is a directory" "-o directory"

# ... the scenario file is never an output, by any name.
fresh
cp "$S" "$W/x.yaml"
chmod u+w "$W/x.yaml"   # the source tree may be read-only (make distcheck)
ln "$W/x.yaml" "$W/hard.yaml"
run 2 "-o SCENARIO" "$TCPSIM" -o x.yaml x.yaml
stderr_is "tcpsim: x.yaml is the scenario file; it is never an output" "-o SCENARIO"
run 2 "--trace SCENARIO (another name)" "$TCPSIM" --trace ./hard.yaml -o x.pcap x.yaml
stderr_is "tcpsim: ./hard.yaml is the scenario file; it is never an output" "--trace SCENARIO"
cmp -s "$W/x.yaml" "$S" || fail "-o SCENARIO: the scenario changed"
[ ! -e "$W/x.pcap" ] || fail "--trace SCENARIO: the capture was written"
no_parts "-o SCENARIO"

# ... -o - writes the capture to standard output, the summary to stderr.
fresh
run 0 "-o -" "$TCPSIM" -o - "$S"
cmp -s "$TMP/stdout" "$TMP/ref.pcap" || fail "-o -: stdout is not the capture"
grep -q "^handshake (seed 1): ended at" "$TMP/stderr" || fail "-o -: the summary is not on stderr"
[ -z "$(ls "$W")" ] || fail "-o -: files were written: $(ls "$W")"
if [ -n "$TSHARK" ]; then
	frames=$( (cd "$W" && "$TCPSIM" -o - "$S" 2>/dev/null) | "$TSHARK" -r - 2>/dev/null | wc -l)
	[ "$frames" -eq 9 ] && pass "tcpsim -o - | tshark -r -" || fail "tcpsim -o - | tshark -r -: $frames frames, want 9"
fi
# ... and so does -o /dev/stdout, to a file or a pipe, never renamed over.
run 0 "-o /dev/stdout" "$TCPSIM" -o /dev/stdout "$S"
cmp -s "$TMP/stdout" "$TMP/ref.pcap" || fail "-o /dev/stdout: stdout is not the capture"
grep -q "^handshake (seed 1): ended at" "$TMP/stderr" || fail "-o /dev/stdout: the summary is not on stderr"
(cd "$W" && "$TCPSIM" -o /dev/stdout "$S" 2>/dev/null) | cmp -s - "$TMP/ref.pcap" ||
	fail "-o /dev/stdout into a pipe: not the capture"
[ -z "$(ls "$W")" ] || fail "-o /dev/stdout: files were written: $(ls "$W")"
sed 's/^seed: 1$/seed: 1\ncapture: both/' "$S" >"$TMP/both.yaml"
run 2 "-o - with capture: both" "$TCPSIM" -o - "$TMP/both.yaml"
stderr_is "tcpsim: -o -: 'capture: both' writes two files; name them with -o PATH" "-o - with capture: both"
run 2 "-o - and --trace -" "$TCPSIM" -o - --trace - "$S"
grep -q "^tcpsim: -o - and --trace - cannot share standard output$" "$TMP/stderr" || fail "-o - --trace -: message"
run 0 "--trace -" "$TCPSIM" --trace - -o x.pcap "$S"
[ "$(head -1 "$TMP/stdout")" = "time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,rttvar_ms,rto_ms,state" ] ||
	fail "--trace -: stdout is not the CSV"
grep -q "^handshake (seed 1): ended at" "$TMP/stderr" || fail "--trace -: the summary is not on stderr"

# 4. -o X --trace X: refused, and X is left as it was (absent, or its bytes).
fresh
run 2 "-o X --trace X" "$TCPSIM" -o X --trace X "$S"
stderr_is "tcpsim: X and X name the same file; give each output its own" "-o X --trace X"
[ ! -e "$W/X" ] || fail "-o X --trace X: X was created"
echo old >"$W/X"
run 2 "-o X --trace ./X (existing)" "$TCPSIM" -o X --trace ./X "$S"
[ "$(cat "$W/X")" = old ] || fail "-o X --trace ./X: X changed"
run 2 "capture: both and --trace on one of its files" "$TCPSIM" -o b.pcap --trace b-server.pcap "$TMP/both.yaml"
stderr_is "tcpsim: b-server.pcap and b-server.pcap name the same file; give each output its own" "capture: both, --trace collision"
[ -z "$(ls "$W" | grep -v '^X$')" ] || fail "collision: files left: $(ls "$W")"
no_parts "-o X --trace X"

# Any error exit leaves an existing output as it was: here the trace cannot be created.
fresh
echo old >"$W/x.pcap"
run 2 "failing trace keeps the capture" "$TCPSIM" -o x.pcap --trace missing/t.csv "$S"
[ "$(cat "$W/x.pcap")" = old ] || fail "failing trace: the capture changed"
no_parts "failing trace"
# ... and a successful run replaces it whole, through a symbolic link too.
ln -s x.pcap "$W/link.pcap"
run 0 "-o through a symlink" "$TCPSIM" -o link.pcap "$S"
[ -L "$W/link.pcap" ] || fail "-o through a symlink: the link was replaced"
cmp -s "$W/x.pcap" "$TMP/ref.pcap" || fail "-o through a symlink: the file it names is not the capture"

# 5. SIGTERM and SIGINT mid-run: the temporary files go, the signal ends the
# run (the shell reports 128 + the signal), an earlier capture stays.
sed 's/{send: 20MB}/{send: 100GB}/; s/^name: big$/name: huge/' "$TMP/big.yaml" >"$TMP/huge.yaml"
for sig in TERM INT; do
	fresh
	echo old >"$W/x.pcap"
	(cd "$W" && exec env --default-signal=INT "$TCPSIM" -o x.pcap --trace t.csv "$TMP/huge.yaml" >/dev/null 2>&1) &
	pid=$!
	i=0
	while [ -z "$(find "$W" -name 'x.pcap.*.part' -size +1k)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -"$sig" "$pid"
	status=0
	wait "$pid" || status=$?
	want=143
	[ "$sig" = INT ] && want=130
	[ "$status" -eq "$want" ] && pass "SIG$sig: exit $want" || fail "SIG$sig: exit $status, want $want"
	no_parts "SIG$sig"
	[ "$(cat "$W/x.pcap")" = old ] || fail "SIG$sig: the earlier capture changed"
	[ ! -e "$W/t.csv" ] || fail "SIG$sig: a trace was left"
done

# 8. A closed pipe on stdout: exit 2 with a message, no capture kept.
fresh
{ (cd "$W" && "$TCPSIM" -o x.pcap "$TMP/big.yaml" 2>"$TMP/stderr"); echo $? >"$TMP/s1"; } | true
[ "$(cat "$TMP/s1")" = 2 ] && pass "closed pipe: exit 2" || fail "closed pipe: exit $(cat "$TMP/s1")"
stderr_is "tcpsim: cannot write the summary: Broken pipe" "closed pipe"
[ ! -e "$W/x.pcap" ] || fail "closed pipe: the capture was kept"
no_parts "closed pipe"

# ... a closed stdout: exit 2 at once, no capture.
fresh
status=0
(cd "$W" && "$TCPSIM" --json "$S" >&- 2>"$TMP/stderr") || status=$?
[ "$status" -eq 2 ] && pass "--json >&-: exit 2" || fail "--json >&-: exit $status"
stderr_is "tcpsim: standard output is closed: nowhere to write the summary" "--json >&-"
[ ! -e "$W/out" ] || fail "--json >&-: out/ was written"
status=0
(cd "$W" && "$TCPSIM" -o - "$S" >&- 2>"$TMP/stderr") || status=$?
[ "$status" -eq 2 ] || fail "-o - >&-: exit $status"
stderr_is "tcpsim: standard output is closed: nowhere to write the output '-'" "-o - >&-"

# ... bounds: a run that would never end, or fill the disk, stops with a message.
fresh
run 2 "--max-events" "$TCPSIM" --max-events 5 -o x.pcap "$S"
stderr_is "tcpsim: stopped after 5 events at 0.015097280 s of virtual time, before the scenario ended (--max-events 5; 0 lifts the limit)" "--max-events"
[ ! -e "$W/x.pcap" ] || fail "--max-events: the capture was kept"
# The handshake scenario is 10 events: a bound of 10 lets it finish, 9 does not.
run 0 "--max-events at the run's own count" "$TCPSIM" --max-events 10 -o x.pcap "$S"
run 2 "--max-events one short" "$TCPSIM" --max-events 9 -o x.pcap "$S"
run 0 "--max-events 0: no bound" "$TCPSIM" --max-events 0 -o x.pcap "$S"
fresh
run 2 "--max-capture" "$TCPSIM" --max-capture 1000 -o x.pcap "$S"
stderr_is "tcpsim: capture file x.pcap reached its limit of 1000 bytes (--max-capture)" "--max-capture"
[ ! -e "$W/x.pcap" ] || fail "--max-capture: the capture was kept"
no_parts "--max-capture"
run 0 "--max-capture the capture's own size" "$TCPSIM" --max-capture "$(stat -c %s "$TMP/ref.pcap")" -o x.pcap "$S"
run 2 "--max-capture a byte short" "$TCPSIM" --max-capture "$(($(stat -c %s "$TMP/ref.pcap") - 1))" -o x.pcap "$S"
# The default bounds stop a run of a billion seconds on a busy link.
sed 's/^name: huge$/name: forever\nduration: 1000000000s/' "$TMP/huge.yaml" >"$TMP/forever.yaml"
run 2 "duration: 1000000000s, default capture bound" "$TCPSIM" --max-capture 64MiB -o x.pcap "$TMP/forever.yaml"
stderr_is "tcpsim: capture file x.pcap reached its limit of 67108864 bytes (--max-capture)" "forever, capture bound"
run 2 "duration: 1000000000s, event bound" "$TCPSIM" --max-events 200000 "$TMP/forever.yaml"
grep -q "^tcpsim: stopped after 200000 events at " "$TMP/stderr" || fail "forever, event bound: $(cat "$TMP/stderr")"
no_parts "bounds"
finish
