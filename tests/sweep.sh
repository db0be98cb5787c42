#!/bin/sh
# tcpsim sweep on a small grid (3 loss rates x 2 delays x 4 seeds, a
# 100 KB transfer each):
#   - the same bytes with 1, 2 and 3 workers;
#   - each row is what a single run with the same --set values and --seed
#     says; the points' medians and quartiles follow from the rows (type 7);
#   - shards run through GNU parallel, merged in any order, are the same
#     bytes as the whole sweep (and with --plot, the same picture);
#   - bad values, options and shard files: one golden message, exit 2,
#     nothing run, nothing written, nothing left behind.
. "$SRCDIR/tests/lib.sh"

S="$TMP/grid.yaml"
cat >"$S" <<'EOF'
name: grid
seed: 1
duration: 120s
link:
  rate: 10Mbps
  delay: 10ms
  queue: 100
client:
  app:
    - connect
    - send: 100KB
    - close
server:
  app: sink
capture: client
EOF
GRID="--vary link.loss=0%,1%,3% --vary link.delay=5ms,20ms --seeds 1..4"
GNUPLOT=$(command -v gnuplot || true)
PLOT=""
[ -n "$GNUPLOT" ] && PLOT="--plot transfer_goodput_mbps"
outs=".csv .jsonl -points.csv"
[ -n "$GNUPLOT" ] && outs="$outs -plot.dat -plot.gp -plot.png"

same() {
	[ "$2" = "$3" ] && pass "$1" || fail "$1: '$2', want '$3'"
}
# run WANT WHAT COMMAND...: stdout/stderr to $TMP/{stdout,stderr}.
run() {
	want=$1; what=$2; shift 2
	status=0
	"$@" >"$TMP/stdout" 2>"$TMP/stderr" || status=$?
	if [ "$status" -eq "$want" ]; then pass "$what"; else fail "$what: exit $status, want $want"; cat "$TMP/stderr" >&2; fi
}
stderr_is() {
	same "$2: the message" "$(cat "$TMP/stderr")" "$1"
}
# same_files WHAT DIR1 DIR2: every output of prefix 'g' the same bytes.
same_files() {
	for o in $outs; do
		if cmp -s "$2/g$o" "$3/g$o"; then pass "$1: g$o"; else fail "$1: g$o differs"; fi
	done
}

# ---- the same bytes whatever --jobs ----
for j in 1 2 3; do
	mkdir -p "$TMP/j$j"
	# shellcheck disable=SC2086
	run 0 "--jobs $j" "$TCPSIM" sweep "$S" $GRID $PLOT --jobs "$j" -o "$TMP/j$j/g"
done
same "the line it prints" "$(cat "$TMP/stdout")" \
	"tcpsim sweep: wrote $TMP/j3/g.csv, $TMP/j3/g.jsonl, $TMP/j3/g-points.csv${PLOT:+, $TMP/j3/g-plot.png}"
same_files "--jobs 1 and 2" "$TMP/j1" "$TMP/j2"
same_files "--jobs 1 and 3" "$TMP/j1" "$TMP/j3"
[ -z "$(find "$TMP" -name '*.part')" ] || fail "a .part file was left: $(find "$TMP" -name '*.part')"
C="$TMP/j1/g.csv"

# ---- the progress line: on a terminal only, erased, and the outputs the same ----
if command -v script >/dev/null 2>&1; then
	mkdir -p "$TMP/tty" "$TMP/quiet"
	script -qc "'$TCPSIM' sweep '$S' $GRID --jobs 2 -o '$TMP/tty/g' >'$TMP/tty.out'" /dev/null \
		>"$TMP/tty.tty" </dev/null
	script -qc "'$TCPSIM' sweep '$S' $GRID --jobs 2 --quiet -o '$TMP/quiet/g' >'$TMP/quiet.out'" \
		/dev/null >"$TMP/quiet.tty" </dev/null
	for o in .csv .jsonl -points.csv; do
		cmp -s "$TMP/j1/g$o" "$TMP/tty/g$o" && cmp -s "$TMP/j1/g$o" "$TMP/quiet/g$o" &&
			pass "progress: g$o the same on a terminal" || fail "progress: g$o differs on a terminal"
	done
	same "progress: --quiet prints nothing there" "$(cat "$TMP/quiet.tty")" ""
	# Each drawing starts with a carriage return; the last, with one at
	# each end, is the erasure; the last count drawn is all of them.
	same "progress: what the terminal got" \
		"$(tr '\r' '\n' <"$TMP/tty.tty" | grep -v '^tcpsim sweep: [0-9]* of 24 runs$' | grep -cv '^ *$') $(tail -c 1 "$TMP/tty.tty" | od -An -c | tr -d ' ') $(tr '\r' '\n' <"$TMP/tty.tty" | grep '^tcpsim' | tail -1)" \
		'0 \r tcpsim sweep: 24 of 24 runs'
else
	echo "script(1) is not installed: the progress line is not tried"
fi

# ---- the rows ----
same "the header" "$(head -1 "$C")" \
	"run,link.loss,link.delay,seed,transfer_complete,transfer_time_s,transfer_goodput_mbps,client.retransmissions,client.fast_retransmits,client.rto_timeouts,end_time_s"
same "one row per run" "$(($(wc -l <"$C") - 1)) $(wc -l <"$TMP/j1/g.jsonl")" "24 24"
# The key drawn is kept after the --keys when they do not name it.
mkdir -p "$TMP/pk"
run 0 "--plot of a key not among --keys" "$TCPSIM" sweep "$S" --vary link.loss=1% --seeds 2 \
	--keys client.retransmissions --plot client.rto_timeouts -o "$TMP/pk/g"
same "--plot's key gets a column" "$(head -1 "$TMP/pk/g.csv")" \
	"run,link.loss,seed,client.retransmissions,client.rto_timeouts"
same "the grid's order: first --vary slowest, the seed fastest" \
	"$(sed 1d "$C" | cut -d, -f1-4 | tr '\n' ' ')" \
	"0,0%,5ms,1 1,0%,5ms,2 2,0%,5ms,3 3,0%,5ms,4 4,0%,20ms,1 5,0%,20ms,2 6,0%,20ms,3 7,0%,20ms,4 8,1%,5ms,1 9,1%,5ms,2 10,1%,5ms,3 11,1%,5ms,4 12,1%,20ms,1 13,1%,20ms,2 14,1%,20ms,3 15,1%,20ms,4 16,3%,5ms,1 17,3%,5ms,2 18,3%,5ms,3 19,3%,5ms,4 20,3%,20ms,1 21,3%,20ms,2 22,3%,20ms,3 23,3%,20ms,4 "
same "a JSON line" "$(sed -n 15p "$TMP/j1/g.jsonl" | cut -c1-70)" \
	'{"run": 14, "link.loss": "1%", "link.delay": "20ms", "seed": 3, "trans'
# Each row is the single run's summary, for three runs of the grid.
for r in 0 14 21; do
	row=$(sed -n "$((r + 2))p" "$C")
	loss=$(echo "$row" | cut -d, -f2); delay=$(echo "$row" | cut -d, -f3); seed=$(echo "$row" | cut -d, -f4)
	"$TCPSIM" --json --quiet -o "$TMP/one.pcap" --set "link.loss=$loss" --set "link.delay=$delay" \
		--seed "$seed" "$S" >"$TMP/one.json"
	want="$r,$loss,$delay,$seed"
	for k in transfer_complete transfer_time_s transfer_goodput_mbps client.retransmissions \
		client.fast_retransmits client.rto_timeouts end_time_s; do
		want="$want,$(json_get "$TMP/one.json" "$k")"
	done
	same "run $r is the run of --set link.loss=$loss --set link.delay=$delay --seed $seed" "$row" "$want"
done
same "the lossy runs retransmit" "$(awk -F, 'NR > 1 && $2 == "3%" && $8 == 0' "$C" | wc -l)" "0"

# ---- the points ----
P="$TMP/j1/g-points.csv"
same "points: the header" "$(head -1 "$P" | cut -d, -f1-9)" \
	"link.loss,link.delay,n,transfer_time_s.median,transfer_time_s.q1,transfer_time_s.q3,transfer_goodput_mbps.median,transfer_goodput_mbps.q1,transfer_goodput_mbps.q3"
same "points: one per grid point, n = 4" "$(sed 1d "$P" | cut -d, -f1-3 | tr '\n' ' ')" \
	"0%,5ms,4 0%,20ms,4 1%,5ms,4 1%,20ms,4 3%,5ms,4 3%,20ms,4 "
# Type 7 over four values: Q1 = x1 + 0.75 (x2 - x1), the median the mean
# of x2 and x3, Q3 = x3 + 0.25 (x4 - x3); the goodput of 3%, 20ms.
want=$(awk -F, 'NR > 1 && $2 == "3%" && $3 == "20ms" { print $7 }' "$C" | sort -n |
	awk '{ x[NR] = $1 } END { printf "%.5f,%.5f,%.5f\n", (x[2] + x[3]) / 2, x[1] + 0.75 * (x[2] - x[1]), x[3] + 0.25 * (x[4] - x[3]) }' |
	sed -e 's/0*,/,/g' -e 's/0*$//' -e 's/\.,/,/g' -e 's/\.$//')
same "points: median, q1, q3 of the goodput at 3%, 20ms" \
	"$(awk -F, '$1 == "3%" && $2 == "20ms"' "$P" | cut -d, -f7-9)" "$want"
same "points: a clean path's runs agree" "$(awk -F, '$1 == "0%" && $2 == "5ms"' "$P" | cut -d, -f7-9)" \
	"$(awk -F, 'NR == 2 { print $7 "," $7 "," $7 }' "$C")"

# ---- shards through GNU parallel, then merged ----
if command -v parallel >/dev/null 2>&1; then
	mkdir -p "$TMP/sh" "$TMP/m"
	# shellcheck disable=SC2086
	if parallel --will-cite --halt now,fail=1 -j2 "$TCPSIM" sweep "$S" $GRID --shard {}/5 \
		-o "$TMP/sh/s{}" ::: 0 1 2 3 4 >"$TMP/stdout" 2>"$TMP/stderr"; then
		pass "five shards under GNU parallel"
	else
		fail "five shards under GNU parallel: $(cat "$TMP/stderr")"
	fi
	same "shard 4/5 has 4 of the 24 runs, after its header" \
		"$(grep -c '^{"run": ' "$TMP/sh/s4.shard.jsonl") $(head -1 "$TMP/sh/s4.shard.jsonl" | cut -c1-30)" \
		'4 {"tcpsim_sweep_shard": 1, "ver'
	same "shard 4/5's runs" "$(sed 1d "$TMP/sh/s4.shard.jsonl" | cut -d, -f1 | tr '\n' ' ')" \
		'{"run": 4 {"run": 9 {"run": 14 {"run": 19 '
	# shellcheck disable=SC2086
	run 0 "--merge, the shards out of order" "$TCPSIM" sweep --merge $PLOT -o "$TMP/m/g" \
		"$TMP/sh/s3.shard.jsonl" "$TMP/sh/s0.shard.jsonl" "$TMP/sh/s4.shard.jsonl" \
		"$TMP/sh/s2.shard.jsonl" "$TMP/sh/s1.shard.jsonl"
	same_files "merge(shards) and the whole sweep" "$TMP/j1" "$TMP/m"
	# One shard is the whole sweep.
	mkdir -p "$TMP/one" "$TMP/m1"
	# shellcheck disable=SC2086
	run 0 "--shard 0/1" "$TCPSIM" sweep "$S" $GRID --shard 0/1 --jobs 2 -o "$TMP/one/s"
	run 0 "--merge of one shard" "$TCPSIM" sweep --merge $PLOT -o "$TMP/m1/g" "$TMP/one/s.shard.jsonl"
	same_files "merge of --shard 0/1 and the whole sweep" "$TMP/j1" "$TMP/m1"
else
	fail "GNU parallel is not installed (./bootstrap installs it)"
fi

# ---- docs/sweeps.md's Slurm job array, each task run as Slurm would ----
D="$TMP/slurm"
mkdir -p "$D/shards" "$D/out" "$D/whole"
ln -s "$SRCDIR/scenarios" "$D/scenarios"
awk '/^`sweep.sbatch`:/ { on = 1; next } on && /^```sh/ { body = 1; next }
	body && /^```/ { exit } body' "$SRCDIR/docs/sweeps.md" >"$D/sweep.sbatch"
merge=$(sed -n "s/^    '\(tcpsim sweep --merge .*\)'\$/\1/p" "$SRCDIR/docs/sweeps.md")
tasks=$(sed -n 's/^#SBATCH --array=0-\([0-9]*\) .*/\1/p' "$D/sweep.sbatch")
same "the Slurm script: an array of 10 tasks, and its merge" "$tasks $(echo "$merge" | cut -d' ' -f1-3)" \
	"9 tcpsim sweep --merge"
bin=$(dirname "$TCPSIM")
ok=true
for k in $(seq 0 "$tasks"); do
	(cd "$D" && PATH="$bin:$PATH" SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=$((tasks + 1)) \
		SLURM_CPUS_PER_TASK=2 sh sweep.sbatch >/dev/null 2>"$TMP/stderr") ||
		{ ok=false; fail "Slurm task $k: $(cat "$TMP/stderr")"; }
done
# A task run again alone: the same shard.
cp "$D/shards/loss-7.shard.jsonl" "$TMP/task7"
(cd "$D" && PATH="$bin:$PATH" SHARDS=10 SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_COUNT=1 \
	SLURM_CPUS_PER_TASK=2 sh sweep.sbatch >/dev/null) && cmp -s "$TMP/task7" "$D/shards/loss-7.shard.jsonl" &&
	pass "the Slurm script: a task run again alone writes the same shard" ||
	fail "the Slurm script: task 7 run again alone differs"
$ok && (cd "$D" && PATH="$bin:$PATH" sh -c "$merge" >/dev/null 2>"$TMP/stderr") &&
	pass "the Slurm script: its tasks and its merge" || fail "the Slurm merge: $(cat "$TMP/stderr")"
(cd "$D" && "$TCPSIM" sweep scenarios/loss-5pct.yaml --vary link.loss=0%,0.5%,1%,2%,3%,4%,5% \
	--vary link.delay=10ms,50ms --seeds 1..200 -o whole/loss >/dev/null)
for o in .csv .jsonl -points.csv; do
	cmp -s "$D/out/loss$o" "$D/whole/loss$o" && pass "the Slurm sweep's loss$o is the whole sweep's" ||
		fail "the Slurm sweep's loss$o differs from the whole sweep's"
done
same "the Slurm sweep: 2800 runs" "$(sed 1d "$D/out/loss.csv" | wc -l)" "2800"

# ---- errors: golden, exit 2, nothing written ----
E="$TMP/e"
mkdir -p "$E"
# bad WHAT MESSAGE ARGS...: exit 2, the message on stderr, nothing in $E.
bad() {
	what=$1; msg=$2; shift 2
	run 2 "$what" "$TCPSIM" sweep "$@"
	stderr_is "$msg" "$what"
	same "$what: nothing written" "$(ls -A "$E")" ""
	same "$what: nothing on stdout" "$(cat "$TMP/stdout")" ""
}
U="Try 'tcpsim sweep --help'."
bad "a bad --vary value" "tcpsim: --vary link.loss=200%: loss: must be at most 100%" \
	"$S" --vary link.loss=0%,200% --seeds 2 -o "$E/x"
bad "an unknown --vary key" "tcpsim: --vary link.los=1%: unknown key 'los' in 'link' (did you mean 'loss'?)" \
	"$S" --vary link.los=1% --seeds 2 -o "$E/x"
bad "a bad --set value" "tcpsim: --set link.loss=300%: loss: must be at most 100%" \
	"$S" --set link.loss=300% --vary link.delay=1ms,2ms --seeds 2 -o "$E/x"
bad "two --vary values that do not go together" \
	"tcpsim: --vary link.mtu=576 --vary client.tcp.mss=1460: mss 1460 is larger than the MTU allows (MTU-40 = 536)" \
	"$S" --vary link.mtu=1500,576 --vary client.tcp.mss=1460,500 --seeds 2 -o "$E/x"
bad "an empty --vary value" "tcpsim: sweep: --vary link.loss=1%,: an empty value (two commas, or one at an end)
$U" "$S" --vary link.loss=1%, --seeds 2 -o "$E/x"
bad "a --vary key twice" "tcpsim: sweep: --vary link.loss=2%: 'link.loss' is varied twice
$U" "$S" --vary link.loss=1% --vary link.loss=2% --seeds 2 -o "$E/x"
bad "a --vary key also --set" "tcpsim: sweep: --vary link.loss=1%,2%: 'link.loss' is also given by --set link.loss=3%
$U" "$S" --set link.loss=3% --vary link.loss=1%,2% --seeds 2 -o "$E/x"
bad "--set seed" "tcpsim: sweep: --set seed=3: the seeds are --seeds's to give
$U" "$S" --set seed=3 --seeds 2 -o "$E/x"
bad "no --seeds" "tcpsim: sweep: no --seeds A..B or --seeds N given
$U" "$S" --vary link.loss=1% -o "$E/x"
bad "bad --seeds" "tcpsim: sweep: --seeds: '5..2': the last seed is below the first
$U" "$S" --seeds 5..2 -o "$E/x"
bad "bad --shard" "tcpsim: sweep: --shard: '3/3': K must be below N (shards are numbered 0 to N-1)
$U" "$S" --seeds 2 --shard 3/3 -o "$E/x"
bad "bad --jobs" "tcpsim: sweep: --jobs: '0' is not a number from 1 to 1024
$U" "$S" --seeds 2 --jobs 0 -o "$E/x"
bad "an unknown --keys key" "tcpsim: sweep: --keys: 'client.retransmits' is not a summary key (tcpsim --json shows them)
$U" "$S" --seeds 2 --keys client.retransmissions,client.retransmits -o "$E/x"
bad "--plot of no summary key" "tcpsim: sweep: --plot client.rto: not a summary key (tcpsim --json shows them)
$U" "$S" --vary link.loss=1% --seeds 2 --keys client.retransmissions --plot client.rto -o "$E/x"
bad "--plot with nothing varied" "tcpsim: sweep: --plot: there is no --vary key to draw it against
$U" "$S" --seeds 2 --plot end_time_s -o "$E/x"
bad "--plot on a shard" "tcpsim: sweep: --plot: a shard has only some of the runs; give --plot to --merge
$U" "$S" --vary link.loss=1% --seeds 2 --shard 0/2 --plot end_time_s -o "$E/x"
bad "-o -" "tcpsim: sweep: -o -: a sweep writes several files; give a PREFIX
$U" "$S" --seeds 2 -o -
bad "no -o" "tcpsim: sweep: no -o PREFIX given (the outputs are PREFIX.csv, ...)
$U" "$S" --seeds 2
bad "an option without its value" "tcpsim: sweep: option '--vary' needs a value
$U" "$S" --seeds 2 -o "$E/x" --vary
bad "a missing scenario" "tcpsim: $E/none.yaml:1:1: cannot read file: No such file or directory" \
	"$E/none.yaml" --seeds 2 -o "$E/x"
# A run that does not end: said of the run, with its values and seed.
bad "a run past --max-events" \
	"tcpsim: sweep: run 0 (link.loss=1%, seed 1): stopped after 50 events at 0.084572800 s of virtual time, before the scenario ended (--max-events 50; 0 lifts the limit)" \
	"$S" --vary link.loss=1% --seeds 2 --max-events 50 --jobs 1 -o "$E/x"

# The scenario itself is never an output.
mkdir -p "$TMP/self"
cp "$S" "$TMP/self/g.csv"
run 2 "-o onto the scenario" "$TCPSIM" sweep "$TMP/self/g.csv" --seeds 2 -o "$TMP/self/g"
stderr_is "tcpsim: $TMP/self/g.csv is the scenario file; it is never an output" "-o onto the scenario"
cmp -s "$S" "$TMP/self/g.csv" && pass "the scenario is untouched" || fail "the scenario was changed"
same "-o onto the scenario: nothing else written" "$(ls -A "$TMP/self")" "g.csv"

# A failed sweep leaves the outputs of an earlier one as they were.
cp -r "$TMP/j1" "$TMP/keep"
run 2 "a failed sweep over an earlier one's outputs" "$TCPSIM" sweep "$S" --vary link.loss=1%,x \
	--seeds 2 -o "$TMP/j1/g"
same_files "the earlier outputs" "$TMP/keep" "$TMP/j1"
[ -z "$(find "$TMP" -name '*.part')" ] || fail "a .part file was left: $(find "$TMP" -name '*.part')"

# ---- a signal: the sweep and its workers end, nothing is left behind ----
if command -v ps >/dev/null 2>&1; then
	L="$TMP/long.yaml"
	cat >"$L" <<'EOF'
name: long
duration: 100000s
link: {rate: 100Mbps, delay: 10ms, queue: 200}
client:
  app: [connect, {send: 20GB}, close]
server:
  app: sink
EOF
	mkdir -p "$TMP/sig"
	"$TCPSIM" sweep "$L" --vary link.loss=0%,0.1% --seeds 2 --jobs 2 --max-events 0 -o "$TMP/sig/x" \
		>/dev/null 2>&1 &
	pid=$!
	# Its two workers started (after its temporary files were made).
	i=0
	workers=""
	while [ "$(echo $workers | wc -w)" -lt 2 ] && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
		workers=$(ps -o pid= --ppid "$pid" | tr -d ' ')
	done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	same "SIGTERM: the sweep ends by it, with 2 workers running" "$status $(echo $workers | wc -w)" "143 2"
	left=""
	for w in $workers; do
		i=0
		while ps -o stat= -p "$w" | grep -qv '^Z'; do
			[ $i -ge 40 ] && { left="$left $w"; kill -KILL "$w"; break; }
			sleep 0.05; i=$((i + 1))
		done
	done
	same "SIGTERM: no worker runs on" "$left" ""
	same "SIGTERM: nothing left in the directory" "$(ls -A "$TMP/sig")" ""
else
	echo "ps(1) is not installed: a killed sweep is not tried"
fi

# ---- merge errors ----
if [ -d "$TMP/sh" ]; then
	M="$TMP/sh"
	bad "--merge: a shard missing" "tcpsim: --merge: shard 2/5 is missing (the sweep has 5 shards; give every one's file)" \
		--merge -o "$E/x" "$M/s0.shard.jsonl" "$M/s1.shard.jsonl" "$M/s3.shard.jsonl" "$M/s4.shard.jsonl"
	bad "--merge: a shard twice" "tcpsim: $M/s1.shard.jsonl:1:1: shard 1/5 again ($M/s1.shard.jsonl has it)" \
		--merge -o "$E/x" "$M/s0.shard.jsonl" "$M/s1.shard.jsonl" "$M/s1.shard.jsonl"
	"$TCPSIM" sweep "$S" --vary link.loss=0%,1% --seeds 1..12 --shard 1/5 -o "$TMP/other" >/dev/null
	bad "--merge: a shard of another sweep" \
		"tcpsim: $TMP/other.shard.jsonl:1:1: not a shard of the same sweep as $M/s0.shard.jsonl (its header's \"grid\" differs)" \
		--merge -o "$E/x" "$M/s0.shard.jsonl" "$TMP/other.shard.jsonl"
	sed '$d' "$M/s2.shard.jsonl" >"$TMP/cut.shard.jsonl"
	bad "--merge: a shard cut short" \
		"tcpsim: $TMP/cut.shard.jsonl:5:1: shard 2/5 has 4 of its 5 rows (a file cut short?)" \
		--merge -o "$E/x" "$M/s0.shard.jsonl" "$M/s1.shard.jsonl" "$TMP/cut.shard.jsonl"
	sed '3s/"run": 7/"run": 8/' "$M/s2.shard.jsonl" >"$TMP/bad.shard.jsonl"
	bad "--merge: a row out of its place" \
		"tcpsim: $TMP/bad.shard.jsonl:3:1: run 8 where run 7 was due" \
		--merge -o "$E/x" "$TMP/bad.shard.jsonl"
	sed '4s/, "seed"/ "seed"/' "$M/s2.shard.jsonl" >"$TMP/bad.shard.jsonl"
	bad "--merge: a row that is not JSON" \
		"tcpsim: $TMP/bad.shard.jsonl:4:53: not a row (one JSON object a line)" \
		--merge -o "$E/x" "$TMP/bad.shard.jsonl"
	bad "--merge: not a shard file" \
		"tcpsim: $TMP/j1/g.csv:1:1: not a shard file of tcpsim sweep (its first line is not a shard's header)" \
		--merge -o "$E/x" "$TMP/j1/g.csv"
	bad "--merge: with grid options" "tcpsim: sweep: --merge takes only -o, --plot and --against: the grid is in the shard files
$U" --merge --seeds 3 -o "$E/x" "$M/s0.shard.jsonl"
	cp "$TMP/one/s.shard.jsonl" "$TMP/self/g.csv"
	run 2 "--merge onto a shard" "$TCPSIM" sweep --merge -o "$TMP/self/g" "$TMP/self/g.csv"
	stderr_is "tcpsim: $TMP/self/g.csv is a file the sweep reads; it is never an output" "--merge onto a shard"
fi

finish
