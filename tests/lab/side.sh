#!/bin/bash
# side.sh: two live labs of one topology side by side, under two names.
#
#   side.sh AZLAB NVAD FILE
#
# Brings FILE up twice, as azs<PID>a and azs<PID>b (`azlab --name`): both
# must come up, have disjoint namespaces and run directories, and each must
# pass `azlab test FILE` against its own live lab; the first is then taken
# down and the second must still be whole and pass its test again; then it
# is taken down too, and nothing of either is left (namespace, run
# directory, process, host interface, host nftables table or iptables
# mangle rule; tap.sh). Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables traceroute ping ip

A=azs$$a
B=azs$$b
OUT=$(mktemp -d /tmp/azlab-side.XXXXXX)
host_snapshot
cleanup() {
	"$AZLAB" --name "$A" down >/dev/null 2>&1
	"$AZLAB" --name "$B" down >/dev/null 2>&1
	if [ "$FAILED" -gt 0 ]; then say "output kept in $OUT"; else rm -rf "$OUT"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# live_test NAME LABEL: `azlab test` against that lab; every expectation passes.
live_test() {
	local out=$OUT/test-$1-$2.out pass fail
	"$AZLAB" --name "$1" test "$FILE" >"$out" 2>&1
	pass=$(grep -c '^PASS' "$out")
	fail=$(grep -c '^FAIL' "$out")
	if grep -q '^live lab' "$out" && [ "$pass" -gt 0 ] && [ "$fail" = 0 ]; then
		ok "$2: azlab test against $1's live lab: $pass passed"
	else
		notok "$2: azlab test against $1's live lab: $pass passed, $fail failed"
		grep '^FAIL' "$out" | head -10 | sed 's/^/# /'
	fi
}

for n in "$A" "$B"; do
	start=$(date +%s%N)
	if "$AZLAB" --name "$n" --nvad "$NVAD" up "$FILE" --timeout 40 >"$OUT/up-$n.out" 2>&1; then
		ok "azlab --name $n up ($((($(date +%s%N) - start) / 1000000)) ms)"
	else
		notok "azlab --name $n up"
		tail -n 30 "$OUT/up-$n.out" | sed 's/^/# /'
	fi
done
na=$(lab_ns "$A" | wc -l)
nb=$(lab_ns "$B" | wc -l)
[ "$na" -gt 0 ] && [ "$na" = "$nb" ] && ok "both labs have their namespaces ($na each)" ||
	notok "both labs have their namespaces ($na and $nb)"
[ -z "$(comm -12 <(lab_ns "$A") <(lab_ns "$B"))" ] && ok "no namespace shared" || notok "a namespace shared"
[ -d "/run/azlab/$A" ] && [ -d "/run/azlab/$B" ] && ok "a run directory each" || notok "a run directory each"
live_test "$A" "both up"
live_test "$B" "both up"

PA=$(lab_pids "$A")
PB=$(lab_pids "$B")
NSB=$(lab_ns "$B")
"$AZLAB" --name "$A" down >"$OUT/down-$A.out" 2>&1 && ok "azlab --name $A down" || notok "azlab --name $A down"
lab_gone "$A" "$PA"
[ "$(lab_ns "$B")" = "$NSB" ] && ok "$B: every namespace still there" || notok "$B: namespaces changed by $A's down"
alive=0
for p in $PB; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
[ "$alive" = "$(echo "$PB" | wc -w)" ] && ok "$B: its $alive processes still run" ||
	notok "$B: $alive of $(echo "$PB" | wc -w) processes still run"
live_test "$B" "after $A's down"

"$AZLAB" --name "$B" down >"$OUT/down-$B.out" 2>&1 && ok "azlab --name $B down" || notok "azlab --name $B down"
lab_gone "$B" "$PB"
host_unchanged
finish
