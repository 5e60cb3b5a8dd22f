#!/bin/bash
# run-up.sh: `./run up` and `./run down`, the mini-lab of the Route Server
# pattern (P2, examples/p2-route-server) as a user runs it.
#
#   NVAD_SRC_ROOT=DIR NVAD_BUILD_DIR=DIR run-up.sh
#
# Runs `./run up` from the source root with the build of NVAD_BUILD_DIR
# (NVAD_SKIP_BUILD=1: no deps, no build), then checks that
#   - nvad learned 10.0.0.0/16 (path 65515) and 10.100.0.0/16 (path 65515
#     12076 12076) from both Route Server instances, one best and one
#     multipath each;
#   - both Route Servers (FRR, asked with vtysh in their namespaces) received
#     10.10.0.0/16 from nvad (10.0.0.4) with path 65001 and origin incomplete;
# and that `./run down` leaves no nvup- namespace, no daemon and no run
# directory, and that a second `./run down` exits 0.
# Needs root; exits 77 (skipped) without it, without FRR, or when the lab is
# already up (it would be taken down).
set -u

HERE=$(dirname "$(readlink -f "$0")")
SRC=${NVAD_SRC_ROOT:-$(cd "$HERE/../.." && pwd)}
if [ -z "${NVAD_BUILD_DIR:-}" ]; then
	if [ -x "$PWD/nvad" ]; then NVAD_BUILD_DIR=$PWD; else NVAD_BUILD_DIR=$SRC/build; fi
fi
NVAD_BUILD_DIR=$(readlink -f "$NVAD_BUILD_DIR")
export NVAD_SKIP_BUILD=1 NVAD_BUILD_DIR
LAB_DIR=/run/nvup
SOCK=$LAB_DIR/nva/nvad.sock
OUT=$(mktemp -d /tmp/nvt-run-up.XXXXXX) || exit 1

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
say() { printf '# %s\n' "$*"; }
skip() { echo "1..0 # SKIP $*"; rm -rf "$OUT"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v vtysh >/dev/null ||
	skip "frr not installed"
command -v jq >/dev/null || skip "jq not installed"
[ -x "$NVAD_BUILD_DIR/nvad" ] && [ -x "$NVAD_BUILD_DIR/nvactl" ] ||
	skip "no nvad and nvactl in $NVAD_BUILD_DIR"
if ip netns list | grep -q '^nvup-'; then
	skip "the lab is already up (./run down first)"
fi

# Whatever happens, nothing stays up.
cleanup() {
	(cd "$SRC" && ./run down >/dev/null 2>&1)
	if [ "$FAILED" -gt 0 ]; then say "output kept in $OUT"; else rm -rf "$OUT"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

nvactl() { ip netns exec nvup-nva "$NVAD_BUILD_DIR/nvactl" --socket "$SOCK" "$@"; }
vtysh_ars() { ip netns exec "nvup-ars$1" vtysh --vty_socket "$LAB_DIR/ars$1" -c "$2"; }

# --- up ----------------------------------------------------------------------
rc=0
(cd "$SRC" && ./run up) >"$OUT/up.out" 2>&1 || rc=$?
if [ $rc -eq 0 ]; then
	ok "./run up exits 0"
else
	notok "./run up exits 0 (exit $rc)"
	tail -n 40 "$OUT/up.out" | sed 's/^/# /'
fi
if grep -q 'nvad# show ip bgp summary' "$OUT/up.out" && grep -q 'received-routes' "$OUT/up.out" &&
	grep -q './run down' "$OUT/up.out"; then
	ok "./run up prints nvad's tables and how to stop"
else
	notok "./run up prints nvad's tables and how to stop"
fi

# The daemons it started, for the check after `down`.
PIDS=$(cat "$LAB_DIR"/*.lpid 2>/dev/null | tr '\n' ' ')
[ -n "$PIDS" ] && ok "daemons recorded in $LAB_DIR: $PIDS" || notok "daemons recorded in $LAB_DIR"

nvactl show ip bgp summary json >"$OUT/summary.json" 2>&1
if [ "$(jq -r '[.ipv4Unicast.peers["10.0.210.4", "10.0.210.5"].state] | join(" ")' \
	"$OUT/summary.json" 2>/dev/null)" = "Established Established" ]; then
	ok "nvad: sessions with 10.0.210.4 and 10.0.210.5 Established"
else
	notok "nvad: sessions with 10.0.210.4 and 10.0.210.5 Established"
	head -c 2000 "$OUT/summary.json" | sed 's/^/# /'
fi

# --- what nvad learned ---------------------------------------------------------
nvactl show ip bgp json >"$OUT/rib.json" 2>&1
for want in "10.0.0.0/16=65515" "10.100.0.0/16=65515 12076 12076"; do
	pfx=${want%%=*}
	path=${want#*=}
	if [ "$(jq --arg p "$pfx" --arg a "$path" '.routes[$p] // [] |
		(map(.peerId) | sort) == ["10.0.210.4", "10.0.210.5"] and
		all(.path == $a and .origin == "IGP" and .valid == true and .nexthops[0].ip == .peerId) and
		(map(select(.bestpath == true)) | length) == 1 and
		(map(select(.multipath == true)) | length) >= 1' "$OUT/rib.json" 2>/dev/null)" = true ]; then
		ok "nvad learned $pfx path '$path' from both Route Servers (best + multipath)"
	else
		notok "nvad learned $pfx path '$path' from both Route Servers (best + multipath)"
		jq -c --arg p "$pfx" '.routes[$p]' "$OUT/rib.json" 2>&1 | head -c 2000 | sed 's/^/# /'
	fi
done

# As recorded on the reference NVA: each instance sends exactly these two.
for rs in 10.0.210.4 10.0.210.5; do
	nvactl show ip bgp neighbors $rs received-routes json >"$OUT/recv-$rs.json" 2>&1
	if [ "$(jq -c '.receivedRoutes // {} | keys' "$OUT/recv-$rs.json" 2>/dev/null)" = \
		'["10.0.0.0/16","10.100.0.0/16"]' ]; then
		ok "received-routes from $rs: exactly 10.0.0.0/16 and 10.100.0.0/16"
	else
		notok "received-routes from $rs: exactly 10.0.0.0/16 and 10.100.0.0/16"
		jq -c '.receivedRoutes | keys' "$OUT/recv-$rs.json" 2>&1 | head -c 1000 | sed 's/^/# /'
	fi
done

# As recorded on the reference NVA: exactly one prefix advertised to each
# instance (PRE01 holds 10.0.210.0/24 back; rmap-azure-asns the 65515 routes).
for rs in 10.0.210.4 10.0.210.5; do
	nvactl show ip bgp neighbors $rs advertised-routes json >"$OUT/adv-$rs.json" 2>&1
	if [ "$(jq -c '.advertisedRoutes // {} | keys' "$OUT/adv-$rs.json" 2>/dev/null)" = \
		'["10.10.0.0/16"]' ]; then
		ok "advertised-routes to $rs: exactly 10.10.0.0/16 (route policy applied)"
	else
		notok "advertised-routes to $rs: exactly 10.10.0.0/16 (route policy applied)"
		jq -c '.advertisedRoutes | keys' "$OUT/adv-$rs.json" 2>&1 | head -c 1000 | sed 's/^/# /'
	fi
done

# --- what the Route Servers received ---------------------------------------------
for i in 0 1; do
	vtysh_ars $i "show ip bgp json" >"$OUT/ars$i.json" 2>&1
	if [ "$(jq '(.routes | keys) == ["10.0.0.0/16", "10.10.0.0/16", "10.100.0.0/16"] and
		(.routes["10.10.0.0/16"] // [] | length == 1 and
		(.[0] | .peerId == "10.0.0.4" and .path == "65001" and .origin == "incomplete" and
		 .valid == true and .nexthops[0].ip == "10.0.0.4"))' "$OUT/ars$i.json" 2>/dev/null)" = true ]; then
		ok "Route Server $i holds the hub, on-premises and 10.10.0.0/16 (from nvad, path 65001, origin incomplete)"
	else
		notok "Route Server $i received 10.10.0.0/16 from nvad, path 65001, origin incomplete"
		jq -c '.routes["10.10.0.0/16"]' "$OUT/ars$i.json" 2>&1 | head -c 2000 | sed 's/^/# /'
	fi
done

# --- up again, then down ---------------------------------------------------------
rc=0
(cd "$SRC" && ./run up) >"$OUT/up2.out" 2>&1 || rc=$?
if [ $rc -eq 0 ] && grep -q 'already up' "$OUT/up2.out"; then
	ok "./run up again says the lab is already up"
else
	notok "./run up again says the lab is already up (exit $rc)"
fi

rc=0
(cd "$SRC" && ./run down) >"$OUT/down.out" 2>&1 || rc=$?
[ $rc -eq 0 ] && ok "./run down exits 0" || notok "./run down exits 0 (exit $rc)"
left=$(ip netns list | awk '{print $1}' | grep '^nvup-' | tr '\n' ' ')
[ -z "$left" ] && ok "no nvup- namespace left" || notok "no nvup- namespace left (still: $left)"
alive=
for pid in $PIDS; do
	kill -0 "$pid" 2>/dev/null && alive="$alive $pid"
done
[ -z "$alive" ] && ok "no daemon left" || notok "no daemon left (still running:$alive)"
[ ! -e "$LAB_DIR" ] && ok "$LAB_DIR removed" || notok "$LAB_DIR removed"
rc=0
(cd "$SRC" && ./run down) >"$OUT/down2.out" 2>&1 || rc=$?
[ $rc -eq 0 ] && ok "./run down when nothing is up exits 0" ||
	notok "./run down when nothing is up exits 0 (exit $rc)"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
