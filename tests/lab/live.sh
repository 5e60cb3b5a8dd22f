#!/bin/bash
# live.sh: one example topology, live.
#
#   live.sh AZLAB NVAD FILE [--xfail LINE REASON]...
#
# Brings the lab up under a name of its own (with this PID), runs
# `azlab test FILE` against it (reach/noReach by ping, traces by traceroute,
# routes and Route Server tables from the live feed), checks that the live
# reachability matrix (`azlab reach`) equals the offline one (`azlab check`),
# then `azlab down`, and that no namespace, run directory or process of the
# lab is left and the host's interfaces, nftables tables and iptables
# mangle rules are as before (tap.sh). --xfail LINE: the expectation on
# that line of FILE is a known disagreement between the model and the live
# lab (reported, not failed; an unexpected pass is a failure, so the list
# stays honest).
# Root only: exits 77 (skipped) otherwise, or when a tool is missing.
set -u
AZLAB=$1 NVAD=$2 FILE=$3
shift 3
declare -A XFAIL=()
while [ $# -ge 3 ] && [ "$1" = --xfail ]; do
	XFAIL[$2]=$3
	shift 3
done

. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables traceroute ping ip
if grep -q 'software: *frr' "$FILE"; then
	[ -x /usr/lib/frr/bgpd ] && command -v vtysh >/dev/null || skip "FRR not installed (./run deps)"
fi
if grep -q 'software: *bird' "$FILE"; then
	[ -x /usr/sbin/bird ] || skip "BIRD not installed (./run deps)"
fi

NAME=azlt$$-$(basename "$(dirname "$FILE")" | cut -c1-6)-$(basename "$FILE" .yaml | md5sum | cut -c1-4)
OUT=$(mktemp -d /tmp/azlab-live.XXXXXX)
host_snapshot
cleanup() {
	az down >/dev/null 2>&1
	if [ "$FAILED" -gt 0 ]; then say "output kept in $OUT"; else rm -rf "$OUT"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

start=$(date +%s%N)
if az --nvad "$NVAD" up "$FILE" --timeout 40 >"$OUT/up.out" 2>&1; then
	ok "azlab up $FILE ($((($(date +%s%N) - start) / 1000000)) ms)"
else
	notok "azlab up $FILE"
	tail -n 40 "$OUT/up.out" | sed 's/^/# /'
fi
grep -q 'converged' "$OUT/up.out" && ok "up waits for BGP and prints the status table" ||
	notok "up prints a converged status table"

# --- the file's expectations, live ---
az test "$FILE" >"$OUT/test.out" 2>&1
grep -q '^live lab' "$OUT/test.out" && ok "azlab test runs against the live lab" ||
	notok "azlab test runs against the live lab"
while IFS= read -r line; do
	ln=$(printf '%s' "$line" | sed -n 's/^[A-Z]* [^:]*:\([0-9]*\):.*/\1/p')
	case $line in
	PASS*)
		if [ -n "${XFAIL[$ln]:-}" ]; then
			notok "expected to disagree but passes (drop --xfail $ln): ${line#PASS }"
		else
			ok "live: ${line#PASS }"
		fi
		;;
	FAIL*)
		if [ -n "${XFAIL[$ln]:-}" ]; then
			ok "live: known disagreement (${XFAIL[$ln]}): ${line#FAIL }"
		else
			notok "live: ${line#FAIL }"
		fi
		;;
	esac
done <"$OUT/test.out"

# --- the live matrix equals the offline one (principle 7) ---
# the rows of the matrix: the lines after the blank line under the title, up
# to the next blank line, without the header of names
matrix() { awk '/^Reachability/ { t = 1; next } t && /^$/ { if (r) exit; next } t { r = 1; print }' "$1" | sed -n '2,$p'; }
az reach >"$OUT/reach.out" 2>&1
rc=$?
"$AZLAB" check "$FILE" >"$OUT/check.out" 2>&1
if [ -s "$OUT/reach.out" ] && diff <(matrix "$OUT/reach.out") <(matrix "$OUT/check.out") >"$OUT/diff"; then
	ok "live reach matrix equals azlab check ($(matrix "$OUT/reach.out" | wc -l) rows)"
else
	notok "live reach matrix equals azlab check"
	sed 's/^/# /' "$OUT/diff"
fi
[ $rc -eq 0 ] && ok "azlab reach: every flow, Private Endpoints too, as the model says" ||
	{ notok "azlab reach agrees with the model"; grep DIFFERS "$OUT/reach.out" | sed 's/^/# /'; }

# --- down leaves nothing ---
PIDS=$(lab_pids "$NAME")
az down >"$OUT/down.out" 2>&1 && ok "azlab down" || notok "azlab down"
lab_gone "$NAME" "$PIDS"
host_unchanged
finish
