#!/bin/bash
# run-up.sh: `./run up` and `./run down` as a user runs them: the article's
# Route Server pattern (P2, examples/p2-route-server-lab) brought up by azlab
# with nvad in the NVA.
#
#   NVAD_SRC_ROOT=DIR NVAD_BUILD_DIR=DIR run-up.sh
#
# Runs `./run up` from the source root with the build of NVAD_BUILD_DIR
# (NVAD_SKIP_BUILD=1: no deps, no build), then checks that
#   - it exits 0, having checked the file's expectations against the live lab
#     (PASS lines, no FAIL), and prints how to ask more and how to stop;
#   - the lab's nvad (vm-hub00, asked with nvactl in its namespace) has both
#     Route Server sessions Established and learned 10.0.0.0/16 (path 65515)
#     and 10.100.0.0/16 (path 65515 12076 12076) from each instance;
#   - a second `./run up` finds the lab up and only prints its state;
# and that `./run down` leaves no namespace, run directory or process of the
# lab, and that a second `./run down` exits 0.
# Needs root; exits 77 (skipped) without it, without the tools the lab needs,
# or when the lab is already up (it would be taken down).
set -u

HERE=$(dirname "$(readlink -f "$0")")
SRC=${NVAD_SRC_ROOT:-$(cd "$HERE/../.." && pwd)}
if [ -z "${NVAD_BUILD_DIR:-}" ]; then
	if [ -x "$PWD/nvad" ]; then NVAD_BUILD_DIR=$PWD; else NVAD_BUILD_DIR=$SRC/build; fi
fi
NVAD_BUILD_DIR=$(readlink -f "$NVAD_BUILD_DIR")
export NVAD_SKIP_BUILD=1 NVAD_BUILD_DIR
FILE=examples/p2-route-server-lab/topology.yaml
NAME=p2-route-server
LAB_DIR=/run/azlab/$NAME
SOCK=$LAB_DIR/vm-hub00/nvad.sock
OUT=$(mktemp -d /tmp/nvt-run-up.XXXXXX) || exit 1

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
say() { printf '# %s\n' "$*"; }
skip() { echo "1..0 # SKIP $*"; rm -rf "$OUT"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
for tool in jq nft iptables traceroute ping; do
	command -v $tool >/dev/null || skip "$tool not installed (./run deps)"
done
for b in azlab nvad nvactl; do
	[ -x "$NVAD_BUILD_DIR/$b" ] || skip "no $b in $NVAD_BUILD_DIR"
done
if [ -d "$LAB_DIR" ] || ip netns list | grep -q "^azl-$NAME-"; then
	skip "the lab is already up (./run down first)"
fi

# Whatever happens, nothing stays up.
cleanup() {
	(cd "$SRC" && ./run down >/dev/null 2>&1)
	if [ "$FAILED" -gt 0 ]; then say "output kept in $OUT"; else rm -rf "$OUT"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

nva() { ip netns exec "azl-$NAME-vm-hub00" "$NVAD_BUILD_DIR/nvactl" --socket "$SOCK" "$@"; }
lab_nsns() { ip netns list | awk '{print $1}' | grep "^azl-$NAME-" || true; }

# --- up ----------------------------------------------------------------------
rc=0
(cd "$SRC" && ./run up) >"$OUT/up.out" 2>&1 || rc=$?
if [ $rc -eq 0 ]; then
	ok "./run up exits 0"
else
	notok "./run up exits 0 (exit $rc)"
	tail -n 40 "$OUT/up.out" | sed 's/^/# /'
fi
npass=$(grep -c '^PASS' "$OUT/up.out")
nfail=$(grep -c '^FAIL' "$OUT/up.out")
if [ "$npass" -ge 10 ] && [ "$nfail" = 0 ]; then
	ok "./run up checked the file's expectations live: $npass PASS, no FAIL"
else
	notok "./run up checked the file's expectations live ($npass PASS, $nfail FAIL)"
	grep '^FAIL' "$OUT/up.out" | sed 's/^/# /'
fi
if grep -q 'azlab.* trace vm-hub100 10.10.0.4' "$OUT/up.out" && grep -q './run down' "$OUT/up.out"; then
	ok "./run up prints how to ask the lab and how to stop"
else
	notok "./run up prints how to ask the lab and how to stop"
fi
[ -n "$(lab_nsns)" ] && ok "namespaces azl-$NAME-*: $(lab_nsns | wc -l)" || notok "namespaces azl-$NAME-* exist"

# --- what nvad, the NVA, learned from the two Route Server instances ---
nva show ip bgp summary json >"$OUT/summary.json" 2>&1
if [ "$(jq -r '[.ipv4Unicast.peers["10.0.210.4", "10.0.210.5"].state] | join(" ")' \
	"$OUT/summary.json" 2>/dev/null)" = "Established Established" ]; then
	ok "nvad (vm-hub00): sessions with 10.0.210.4 and 10.0.210.5 Established"
else
	notok "nvad (vm-hub00): sessions with 10.0.210.4 and 10.0.210.5 Established"
	head -c 2000 "$OUT/summary.json" | sed 's/^/# /'
fi
nva show ip bgp json >"$OUT/rib.json" 2>&1
for want in "10.0.0.0/16|65515" "10.100.0.0/16|65515 12076 12076"; do
	p=${want%%|*} path=${want#*|}
	got=$(jq -r --arg p "$p" '[.routes[$p][]? | "\(.peerId) \(.path)"] | sort | join(", ")' "$OUT/rib.json" 2>/dev/null)
	if [ "$got" = "10.0.210.4 $path, 10.0.210.5 $path" ]; then
		ok "nvad learned $p with path '$path' from both instances"
	else
		notok "nvad learned $p with path '$path' from both instances (got: $got)"
	fi
done

# --- a second up only reports ---
(cd "$SRC" && ./run up) >"$OUT/up2.out" 2>&1
grep -q 'already up' "$OUT/up2.out" && ok "a second ./run up finds the lab up and prints its state" ||
	notok "a second ./run up finds the lab up"

# --- down ----------------------------------------------------------------------
PIDS=$(pgrep -f "$LAB_DIR" | tr '\n' ' ')
if (cd "$SRC" && ./run down) >"$OUT/down.out" 2>&1; then ok "./run down exits 0"; else
	notok "./run down exits 0"
	tail -20 "$OUT/down.out" | sed 's/^/# /'
fi
[ -z "$(lab_nsns)" ] && ok "no azl-$NAME- namespace left" || notok "namespaces left: $(lab_nsns | tr '\n' ' ')"
[ ! -e "$LAB_DIR" ] && ok "$LAB_DIR removed" || notok "$LAB_DIR removed"
left=
for pid in $PIDS; do kill -0 "$pid" 2>/dev/null && left+=" $pid"; done
[ -z "$left" ] && ok "no process of the lab left (${PIDS:-none recorded})" || notok "processes left:$left"
(cd "$SRC" && ./run down) >/dev/null 2>&1 && ok "a second ./run down exits 0" || notok "a second ./run down exits 0"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
