# Shared by the tests/*.sh scripts. The build exports TCPSIM (the program),
# SRCDIR (the source tree) and TSHARK (empty when tshark is not installed).
set -u
: "${TCPSIM:?run these tests through make check}"
: "${SRCDIR:?run these tests through make check}"
TSHARK=${TSHARK:-}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpsim-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

pass() {
	echo "ok: $*"
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)" >&2
		exit 1
	fi
	exit 0
}

# json_get FILE KEY: the value of "KEY": in a --json summary (scalars only).
# Nested keys are unique enough by their last component within an object;
# pass the path as "client.retransmissions" and the section is honoured.
json_get() {
	awk -v path="$2" '
		BEGIN { n = split(path, want, ".") }
		{
			line = $0
			if (match(line, /^ *"[^"]*": \{/)) {
				key = line; sub(/^ *"/, "", key); sub(/".*/, "", key)
				depth++; stack[depth] = key; next
			}
			if (match(line, /^ *\}/)) { depth--; next }
			if (match(line, /^ *"[^"]*": /)) {
				key = line; sub(/^ *"/, "", key); sub(/".*/, "", key)
				val = line; sub(/^ *"[^"]*": /, "", val); sub(/,$/, "", val); gsub(/"/, "", val)
				full = ""
				for (i = 1; i <= depth; i++) full = full stack[i] "."
				full = full key
				if (full == path) { print val; exit }
			}
		}' "$1"
}

# captures FILE: the scenario writes a capture, i.e. does not say
# 'capture: none', as the long transfers do (a capture of theirs would be
# too large to read back). The checks that read captures, pcapng files or
# ladders pass the others by; tests/scenarios.sh runs them without -o.
captures() {
	! grep -q '^capture: none' "$1"
}
