# tap.sh: sourced by the live lab scripts: TAP-style ok/notok lines, their
# count, skip (exit 77), and the checks that every live script makes first.
PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
skip() { echo "1..0 # SKIP $*"; exit 77; }
# needs_root_and TOOL...: root, the tools, and an nvad at $NVAD
needs_root_and() {
	[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
	for tool in "$@"; do
		command -v "$tool" >/dev/null || skip "$tool not installed (./run deps)"
	done
	[ -x "$NVAD" ] || skip "no nvad at $NVAD"
}
# the summary line and the exit status
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
