#!/bin/bash
# kernel.sh: nvad's routes in the kernel, in network namespaces: what nvad
# installs (BGP best routes with their multipath next hops, static routes),
# with which protocol and metric, how next hops are resolved, and what
# happens to the routes across a restart.
#
#   kernel.sh CASE NVAD NVACTL [BGPPROBE]
#
# CASE: fib | restart | link (README.md describes each).
# Prints `ok - ...` / `not ok - ...` lines and `N passed, M failed`; exit 1
# when something failed, 77 (skipped) when not root or a needed program is
# missing. Every namespace is made here (names nvk-PID-*) and removed in the
# EXIT trap; configurations, sockets and logs are in a temporary directory
# (kept on failure or with KEEP_TMP=1). The peers are FRR's bgpd (with its
# zebra, each in its own namespace); nvad runs with --log-level debug and,
# unlike in speaker.sh, writes to the kernel of its namespace.
set -u

CASE=${1:?usage: kernel.sh CASE NVAD NVACTL [BGPPROBE]}
NVAD=$(readlink -f "${2:?nvad path}")
NVACTL=$(readlink -f "${3:?nvactl path}")
HERE=$(dirname "$(readlink -f "$0")")

. "$HERE/lib.sh"

P=nvk-$$
T0=$(date +%s.%N)

# --- preconditions ---------------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
command -v ping >/dev/null || skip "ping not installed"
[ -x "$NVAD" ] || skip "nvad not built: $NVAD"
[ -x "$NVACTL" ] || skip "nvactl not built: $NVACTL"
[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v vtysh >/dev/null ||
	skip "frr not installed"
case $CASE in
fib | restart | link) ;;
*) echo "kernel.sh: unknown case '$CASE'" >&2; exit 2 ;;
esac

lib_init "k-$CASE"

# nvad_start NAME NS [OPTIONS...]: nvad with $TMP/NAME.conf, writing to the kernel
# (nvad_spawn, nvad_kill and nv are in lib.sh).
nvad_start() { nvad_spawn "$1" "$2" "$TMP/$1.conf" "${@:3}"; }

nv_nbr() { nv "$1" show ip bgp neighbors "$2" json 2>/dev/null | jq -c --arg n "$2" '.[$n] // empty'; }
nv_est() { [ "$(nv_nbr "$1" "$2" | jq -r '.bgpState // empty')" = Established ]; }
# all_est NAME PEER...: every session Established.
all_est() {
	local name=$1 p
	shift
	for p in "$@"; do nv_est "$name" "$p" || return 1; done
}
# snap NAME PEER: the session's counters, for "not reset" checks.
snap() { nv_nbr "$1" "$2" | jq -c '{e: .connectionsEstablished, d: .connectionsDropped}'; }
nv_reload() {
	local out rc
	out=$(nv "$1" reload 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   reload: /'
	return $rc
}
# nv_rib_paths NAME PREFIX: how many paths nvad's BGP table holds for it.
nv_rib_paths() {
	nv "$1" show ip bgp json 2>/dev/null | jq --arg p "$2" '(.routes[$p] // []) | length'
}
# nv_fib NAME ip|ipv6 FILE: `show ip route json` (or ipv6) into FILE.
nv_fib() { nv "$1" show "$2" route json >"$3" 2>/dev/null; }

# --- the kernel's view -------------------------------------------------------------
# kr NS PREFIX: every route of the main table for exactly PREFIX, as
# "PROTOCOL METRIC GATEWAY@DEV[,GATEWAY@DEV...]" (next hops sorted; protocol
# 186 printed as bgp, boot, which ip omits, as boot), routes joined by "; "; empty when there is none.
kr() {
	local fam=-4
	case $2 in *:*) fam=-6 ;; esac
	ip -n "$1" $fam -j route show table main 2>/dev/null | jq -r --arg p "$2" '
		[.[] | select(.dst == $p) |
		 "\(if .protocol == "186" then "bgp" elif .protocol == null then "boot" else .protocol end) \(.metric // 0) \(
		  if .nexthops then ([.nexthops[] | "\(.gateway // "-")@\(.dev // "-")"] | sort | join(","))
		  else "\(.gateway // "-")@\(.dev // "-")" end)"] | sort | join("; ")'
}
kr_is() { [ "$(kr "$1" "$2")" = "$3" ]; }
# expect_kr LABEL NS PREFIX WANT: waits up to 30 s for the kernel to show WANT
# (kr's format; "" for no route at all).
expect_kr() {
	local label=$1 ns=$2 p=$3 want=$4
	local what="$label: kernel has $p as '${want:-(no route)}'"
	if wait_for 30 kr_is "$ns" "$p" "$want"; then ok "$what"; else
		notok "$what (got: '$(kr "$ns" "$p")')"
		KR_FAILED_NS+=" $ns"
		return 1
	fi
}
KR_FAILED_NS=
# proto_bgp_count NS: how many routes of protocol 186 (both families).
proto_bgp_count() {
	{ ip -n "$1" -4 -j route show table main proto 186; ip -n "$1" -6 -j route show table main proto 186; } \
		2>/dev/null | jq -s 'map(length) | add // 0'
}

dump_routes() {
	local ns
	for ns in "$@"; do
		say "--- ip route in $ns"
		ip -n "$ns" route show table main 2>&1 | sed 's/^/#   /'
		ip -n "$ns" -6 route show table main 2>&1 | grep -v '^fe80\|^multicast' | sed 's/^/#   /'
	done
}
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }

# --- the peers: FRR's bgpd as a Route Server instance or a router -----------------
# spk_conf DIR ROUTER_ID MULTIHOP PEER4 "PREFIXES4" [PEER6 "PREFIXES6"]: AS
# 65515, passive towards nvad (AS 65001), announcing PREFIXES with its own
# address as next hop (FRR's default towards an eBGP peer).
spk_conf() {
	local dir=$1 rid=$2 mh=$3 p4=$4 n4=$5 p6=${6:-} n6=${7:-} p n
	{
		echo "frr defaults traditional"
		echo "hostname nvk-$rid"
		echo "log file $dir/bgpd.log informational"
		echo "!"
		echo "router bgp 65515"
		echo " bgp router-id $rid"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " no bgp default ipv4-unicast"
		for p in $p4 $p6; do
			echo " neighbor $p remote-as 65001"
			echo " neighbor $p timers 3 9"
			echo " neighbor $p timers connect 2"
			echo " neighbor $p passive"
			[ "$mh" = 1 ] && echo " neighbor $p ebgp-multihop 255"
		done
		echo " address-family ipv4 unicast"
		for n in $n4; do echo "  network $n"; done
		echo "  neighbor $p4 activate"
		echo " exit-address-family"
		if [ -n "$p6" ]; then
			echo " address-family ipv6 unicast"
			for n in $n6; do echo "  network $n"; done
			echo "  neighbor $p6 activate"
			echo " exit-address-family"
		fi
		echo "exit"
	} >"$dir/bgpd.conf"
}
# spk_withdraw NS DIR PREFIX: `no network PREFIX` through vtysh.
spk_withdraw() {
	local af="ipv4 unicast"
	case $3 in *:*) af="ipv6 unicast" ;; esac
	frr_vtysh "$1" "$2" -c "configure terminal" -c "router bgp 65515" -c "address-family $af" \
		-c "no network $3" >/dev/null
}
spk_start() { # NS DIR
	mkdir -p "$2" && frr_start "$1" "$2"
}

# --- nvad's configuration --------------------------------------------------------
# nva_conf FILE STATIC_LINES PEERS4 PEERS6 MULTIHOP: nvad, AS 65001, the Route
# Server peers in AS 65515 (as the reference NVA, with ebgp-multihop when
# MULTIHOP is 1), no policy (no bgp ebgp-requires-policy), nothing
# originated. STATIC_LINES: "ip route ..." lines, separated by "|".
nva_conf() {
	local file=$1 statics=$2 p4=$3 p6=$4 mh=$5 p
	{
		echo "frr defaults traditional"
		echo "hostname nvk-nva"
		printf '%s\n' "$statics" | tr '|' '\n' | sed '/^$/d'
		echo "!"
		echo "router bgp 65001"
		echo " bgp router-id 10.0.0.4"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp default ipv4-unicast"
		for p in $p4 $p6; do
			echo " neighbor $p remote-as 65515"
			[ "$mh" = 1 ] && echo " neighbor $p ebgp-multihop 255"
			echo " neighbor $p timers 3 9"
			echo " neighbor $p timers connect 2"
		done
		echo " address-family ipv4 unicast"
		for p in $p4; do echo "  neighbor $p activate"; done
		echo " exit-address-family"
		if [ -n "$p6" ]; then
			echo " address-family ipv6 unicast"
			for p in $p6; do echo "  neighbor $p activate"; done
			echo " exit-address-family"
		fi
		echo "exit"
	} >"$file"
}

# --- topology: the Route Server pattern ------------------------------------------
# N (the NVA): eth0 10.0.0.4/24. R (the VNet's router): eth0 10.0.0.1/24 and
# 10.0.0.2/24 (a second router address on the NVA's subnet), br0 10.0.210.1/24
# (RouteServerSubnet) with the two instances RS4 (10.0.210.4) and RS5
# (10.0.210.5); forwarding on. With WITH_DEST=1 also: H (10.10.0.4, a host
# behind the NVA on N's eth1 10.10.0.1/24, N forwarding) and D (10.100.0.4,
# the destination behind R's eth2 10.100.0.1/24; R routes 10.10.0.0/16 to the
# NVA, as the Route Server would program the VNet).
NSN=$P-n
NSR=$P-r
NS4=$P-rs4
NS5=$P-rs5
NSH=$P-h
NSD=$P-d
net_rs() {
	local with_dest=$1 i
	ns_add "$NSN" && ns_add "$NSR" && ns_add "$NS4" && ns_add "$NS5" || return 1
	veth "$NSN" eth0 "$NSR" eth0 && addr "$NSN" eth0 10.0.0.4/24 &&
		addr "$NSR" eth0 10.0.0.1/24 10.0.0.2/24 || return 1
	ip -n "$NSR" link add br0 type bridge && ip -n "$NSR" link set br0 up &&
		addr "$NSR" br0 10.0.210.1/24 || return 1
	for i in 4 5; do
		local ns=$NS4
		[ $i = 5 ] && ns=$NS5
		veth "$NSR" rs$i "$ns" eth0 && ip -n "$NSR" link set rs$i master br0 &&
			addr "$ns" eth0 10.0.210.$i/24 &&
			ip -n "$ns" route add 10.0.0.0/24 via 10.0.210.1 &&
			ip -n "$ns" route add default via 10.0.210.1 || return 1
	done
	ip netns exec "$NSR" sysctl -qw net.ipv4.ip_forward=1 || return 1
	[ "$with_dest" = 1 ] || return 0
	ns_add "$NSH" && ns_add "$NSD" || return 1
	veth "$NSN" eth1 "$NSH" eth0 && addr "$NSN" eth1 10.10.0.1/24 && addr "$NSH" eth0 10.10.0.4/24 &&
		ip -n "$NSH" route add default via 10.10.0.1 || return 1
	veth "$NSR" eth2 "$NSD" eth0 && addr "$NSR" eth2 10.100.0.1/24 && addr "$NSD" eth0 10.100.0.4/24 &&
		ip -n "$NSD" route add default via 10.100.0.1 || return 1
	ip -n "$NSR" route add 10.10.0.0/16 via 10.0.0.4 || return 1
	ip netns exec "$NSN" sysctl -qw net.ipv4.ip_forward=1
}

# The check every case ends with: each nvad still running stops cleanly on
# SIGTERM, and no sanitizer report in any nvad log.
final_checks() {
	local f n pid
	for f in "$TMP"/*.lpid; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .lpid)
		[ -f "$TMP/$n.conf" ] || continue # not an nvad
		pid=$(cat "$f")
		kill -0 "$pid" 2>/dev/null || continue
		kill -TERM "$pid"
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		if ! kill -0 "$pid" 2>/dev/null && tail -5 "$TMP/$n.log" | grep -q 'nvad notice: stopped'; then
			ok "nvad $n stopped cleanly on SIGTERM"
		else
			notok "nvad $n stopped cleanly on SIGTERM"
			tail -20 "$TMP/$n.log" | sed 's/^/#   /'
		fi
	done
	for f in "$TMP"/*.log; do
		[ -f "$f" ] || continue
		if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$f"; then
			notok "no sanitizer report in $(basename "$f")"
			grep -A20 -m1 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$f" | sed 's/^/#   /'
		fi
	done
}

# ====================================================================================
# fib: what nvad installs, with which protocol, metric and next hops.
NSE=$P-e
NSS1=$P-s1
NSS2=$P-s2
# The ECMP setup: E (a second NVA) with eth1 10.1.0.4/24 + fd00:1::4/64 towards
# S1 (10.1.0.5, fd00:1::5) and eth2 10.2.0.4/24 + fd00:2::4/64 towards S2
# (10.2.0.5, fd00:2::5): two directly connected peers behind two interfaces.
net_ecmp() {
	ns_add "$NSE" && ns_add "$NSS1" && ns_add "$NSS2" || return 1
	veth "$NSE" eth1 "$NSS1" eth0 && addr "$NSE" eth1 10.1.0.4/24 fd00:1::4/64 &&
		addr "$NSS1" eth0 10.1.0.5/24 fd00:1::5/64 || return 1
	veth "$NSE" eth2 "$NSS2" eth0 && addr "$NSE" eth2 10.2.0.4/24 fd00:2::4/64 &&
		addr "$NSS2" eth0 10.2.0.5/24 fd00:2::5/64
}

case_fib() {
	local f p s4 s5 s4b s5b
	net_rs 0 && net_ecmp || { notok "namespaces set up"; return; }
	# Azure's DHCP default route, as `ip route` adds it (protocol boot).
	ip -n "$NSN" route add default via 10.0.0.1 metric 100
	ok "namespaces: NVA N behind router R (10.0.0.1, 10.0.0.2), RS 10.0.210.4/.5; NVA E with S1, S2"

	# The Route Server instances announce what the reference recorded.
	mkdir -p "$TMP/rs4" "$TMP/rs5" "$TMP/s1" "$TMP/s2"
	spk_conf "$TMP/rs4" 10.0.210.4 1 10.0.0.4 "10.0.0.0/16 10.100.0.0/16"
	spk_conf "$TMP/rs5" 10.0.210.5 1 10.0.0.4 "10.0.0.0/16 10.100.0.0/16"
	spk_conf "$TMP/s1" 10.1.0.5 0 10.1.0.4 "10.200.0.0/16" fd00:1::4 "2001:db8:200::/48"
	spk_conf "$TMP/s2" 10.2.0.5 0 10.2.0.4 "10.200.0.0/16"
	if spk_start "$NS4" "$TMP/rs4" && spk_start "$NS5" "$TMP/rs5" &&
		spk_start "$NSS1" "$TMP/s1" && spk_start "$NSS2" "$TMP/s2"; then
		ok "FRR started as RS 10.0.210.4, RS 10.0.210.5, S1 and S2 (AS 65515)"
	else
		notok "FRR started as RS 10.0.210.4, RS 10.0.210.5, S1 and S2"
		return
	fi
	nva_conf "$TMP/n.conf" "ip route 10.0.210.0/24 10.0.0.1" "10.0.210.4 10.0.210.5" "" 1
	nva_conf "$TMP/e.conf" "" "10.1.0.5 10.2.0.5" "fd00:1::5" 0
	nvad_start n "$NSN" && nvad_start e "$NSE" || { notok "nvad N and E started"; return; }
	ok "nvad N and E started"
	if wait_for 30 all_est n 10.0.210.4 10.0.210.5; then ok "N: sessions with 10.0.210.4 and .5 Established"; else
		notok "N: sessions with 10.0.210.4 and .5 Established"; fi
	if wait_for 30 all_est e 10.1.0.5 10.2.0.5 fd00:1::5; then
		ok "E: sessions with 10.1.0.5, 10.2.0.5, fd00:1::5 Established"; else
		notok "E: sessions with 10.1.0.5, 10.2.0.5, fd00:1::5 Established"; fi

	# --- recursive resolution, the reference NVA's table ---
	# 10.0.210.4 and .5 resolve through the static 10.0.210.0/24 to 10.0.0.1:
	# one next hop in the kernel.
	expect_kr "N (eBGP, recursive via the static route)" "$NSN" 10.0.0.0/16 "bgp 20 10.0.0.1@eth0"
	expect_kr "N (eBGP, recursive via the static route)" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.1@eth0"
	expect_kr "N (static)" "$NSN" 10.0.210.0/24 "bgp 1 10.0.0.1@eth0"
	expect_kr "N (the DHCP default route left alone)" "$NSN" default "boot 100 10.0.0.1@eth0"
	check "N: BGP holds two paths for 10.0.0.0/16 (one per Route Server)" \
		test "$(nv_rib_paths n 10.0.0.0/16)" = 2
	f=$TMP/n-route.json
	nv_fib n ip "$f"
	for p in 10.0.0.0/16 10.100.0.0/16; do
		jqcheck "N: show ip route json: $p bgp [20/0] selected and installed" "$f" \
			'[.[$p][] | select(.protocol == "bgp")] | length == 1 and
			 (.[0] | .selected == true and .installed == true and .distance == 20 and .metric == 0)' \
			--arg p $p
		jqcheck "N: show ip route json: $p recursive next hops 10.0.210.4 and 10.0.210.5, not in the FIB" \
			"$f" '[.[$p][] | select(.protocol == "bgp") | .nexthops[] | select(.recursive == true)] |
			 (map(.ip) | sort) == ["10.0.210.4", "10.0.210.5"] and all(.fib != true)' --arg p $p
		jqcheck "N: show ip route json: $p resolved to 10.0.0.1 on eth0 once, in the FIB" "$f" \
			'[.[$p][] | select(.protocol == "bgp") | .nexthops[] | select(.resolver == true)] |
			 map("\(.ip) \(.interfaceName) \(.fib)") == ["10.0.0.1 eth0 true"]' --arg p $p
	done
	jqcheck "N: show ip route json: static 10.0.210.0/24 [1/0] via 10.0.0.1 eth0, selected, installed" "$f" \
		'.["10.0.210.0/24"] | map(select(.protocol == "static")) | length == 1 and
		 (.[0] | .selected == true and .installed == true and .distance == 1 and
		  (.nexthops | map("\(.ip) \(.interfaceName) \(.fib)")) == ["10.0.0.1 eth0 true"])'
	jqcheck "N: show ip route json: kernel default [0/100] via 10.0.0.1, selected" "$f" \
		'.["0.0.0.0/0"] | map(select(.protocol == "kernel")) | length == 1 and
		 (.[0] | .selected == true and .distance == 0 and .metric == 100 and .nexthops[0].ip == "10.0.0.1")'
	jqcheck "N: show ip route json: connected 10.0.0.0/24 on eth0" "$f" \
		'.["10.0.0.0/24"] | map(select(.protocol == "connected")) | length == 1 and
		 .[0].nexthops[0].interfaceName == "eth0"'
	nv n show ip route >"$TMP/n-route.txt" 2>&1
	check "N: show ip route: 'B>  10.0.0.0/16 [20/0] via 10.0.210.x (recursive)'" \
		grep -Eq '^B>  10\.0\.0\.0/16 \[20/0\] via 10\.0\.210\.[45] \(recursive\)$' "$TMP/n-route.txt"
	check "N: show ip route: the second recursive next hop and '* via 10.0.0.1, eth0'" \
		eval "grep -A2 '^B>  10.0.0.0/16' '$TMP/n-route.txt' | grep -Eq '^ +via 10\.0\.210\.[45] \(recursive\)$' &&
			grep -A2 '^B>  10.0.0.0/16' '$TMP/n-route.txt' | grep -Eq '^  \* +via 10\.0\.0\.1, eth0$'"
	check "N: show ip route: 'S>* 10.0.210.0/24 [1/0] via 10.0.0.1, eth0'" \
		grep -q '^S>\* 10\.0\.210\.0/24 \[1/0\] via 10\.0\.0\.1, eth0$' "$TMP/n-route.txt"
	check "N: show ip route: 'K>* 0.0.0.0/0 [0/100] via 10.0.0.1, eth0'" \
		grep -q '^K>\* 0\.0\.0\.0/0 \[0/100\] via 10\.0\.0\.1, eth0$' "$TMP/n-route.txt"

	# --- ECMP over two interfaces, IPv6 ---
	expect_kr "E (ECMP: two next hops)" "$NSE" 10.200.0.0/16 "bgp 20 10.1.0.5@eth1,10.2.0.5@eth2"
	f=$TMP/e-route.json
	nv_fib e ip "$f"
	jqcheck "E: show ip route json: 10.200.0.0/16 installed with next hops 10.1.0.5 eth1 and 10.2.0.5 eth2, not recursive" \
		"$f" '[.["10.200.0.0/16"][] | select(.protocol == "bgp")] | length == 1 and
		 (.[0] | .selected == true and .installed == true and
		  (.nexthops | map("\(.ip) \(.interfaceName) \(.fib)") | sort) == ["10.1.0.5 eth1 true", "10.2.0.5 eth2 true"] and
		  all(.nexthops[]; .recursive != true))'
	expect_kr "E (IPv6, global next hop on a connected subnet)" "$NSE" 2001:db8:200::/48 "bgp 20 fd00:1::5@eth1"
	f=$TMP/e-route6.json
	nv_fib e ipv6 "$f"
	jqcheck "E: show ipv6 route json: 2001:db8:200::/48 bgp via fd00:1::5 eth1, installed" "$f" \
		'[.["2001:db8:200::/48"][] | select(.protocol == "bgp")] | length == 1 and
		 (.[0] | .selected == true and .installed == true and .distance == 20 and
		  (.nexthops | map("\(.ip) \(.interfaceName) \(.fib)")) == ["fd00:1::5 eth1 true"])'
	spk_withdraw "$NSS1" "$TMP/s1" 10.200.0.0/16
	expect_kr "E (S1 withdrew: one next hop left)" "$NSE" 10.200.0.0/16 "bgp 20 10.2.0.5@eth2"
	spk_withdraw "$NSS2" "$TMP/s2" 10.200.0.0/16
	expect_kr "E (S2 withdrew too: no route)" "$NSE" 10.200.0.0/16 ""
	nv_fib e ip "$f"
	jqcheck "E: show ip route json: no 10.200.0.0/16 any more" "$f" 'has("10.200.0.0/16") | not'
	spk_withdraw "$NSS1" "$TMP/s1" 2001:db8:200::/48
	expect_kr "E (IPv6 withdrawn: no route)" "$NSE" 2001:db8:200::/48 ""

	# --- a changed underlying route: the static moves to 10.0.0.2 ---
	s4=$(snap n 10.0.210.4) s5=$(snap n 10.0.210.5)
	nva_conf "$TMP/n.conf" "ip route 10.0.210.0/24 10.0.0.2" "10.0.210.4 10.0.210.5" "" 1
	check "N: nvactl reload with 'ip route 10.0.210.0/24 10.0.0.2'" nv_reload n
	expect_kr "N (the static, replaced)" "$NSN" 10.0.210.0/24 "bgp 1 10.0.0.2@eth0"
	expect_kr "N (re-resolved)" "$NSN" 10.0.0.0/16 "bgp 20 10.0.0.2@eth0"
	expect_kr "N (re-resolved)" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.2@eth0"
	f=$TMP/n-route2.json
	nv_fib n ip "$f"
	jqcheck "N: show ip route json: 10.0.0.0/16 now resolved to 10.0.0.2 on eth0" "$f" \
		'[.["10.0.0.0/16"][] | select(.protocol == "bgp") | .nexthops[] | select(.resolver == true)] |
		 map("\(.ip) \(.interfaceName) \(.fib)") == ["10.0.0.2 eth0 true"]'
	sleep 1
	s4b=$(snap n 10.0.210.4) s5b=$(snap n 10.0.210.5)
	check "N: sessions not reset by the change ($s4 $s5)" \
		eval '[ "$s4b" = "$s4" ] && [ "$s5b" = "$s5" ] && all_est n 10.0.210.4 10.0.210.5'
	[ "$s4b $s5b" = "$s4 $s5" ] || say "  now: $s4b $s5b"

	if [ "$FAILED" -gt 0 ]; then
		dump_routes "$NSN" "$NSE"
		dump_logs "$TMP/n.log" "$TMP/e.log"
	fi
}

# ====================================================================================
# restart: the routes stay in the kernel across nvad's restarts. A ping
# stream every 10 ms runs from before the SIGKILL until after the sweep;
# it is stopped with SIGINT, so the count is whatever it sent.
# h_pings N: N pings from H to D (10.100.0.4), all answered.
h_pings() { ip netns exec "$NSH" ping -n -q -c "$1" -i 0.2 -W 2 10.100.0.4 >/dev/null 2>&1; }
case_restart() {
	local f before after n_adopted ping_pid mon_pid p sent recv live="10.0.0.0/16 10.100.0.0/16 10.0.210.0/24"
	net_rs 1 || { notok "namespaces set up"; return; }
	ok "namespaces: H 10.10.0.4 - N (NVA) - R - D 10.100.0.4, RS 10.0.210.4/.5 behind R"
	mkdir -p "$TMP/rs4" "$TMP/rs5"
	# 10.124.0.0/24: the Route Servers stop sending it while nvad is dead.
	spk_conf "$TMP/rs4" 10.0.210.4 1 10.0.0.4 "10.0.0.0/16 10.100.0.0/16 10.124.0.0/24"
	spk_conf "$TMP/rs5" 10.0.210.5 1 10.0.0.4 "10.0.0.0/16 10.100.0.0/16 10.124.0.0/24"
	spk_start "$NS4" "$TMP/rs4" && spk_start "$NS5" "$TMP/rs5" ||
		{ notok "FRR started as RS 10.0.210.4 and .5"; return; }
	# No default route on N: the destination is reachable only through
	# the route nvad installs.
	nva_conf "$TMP/n.conf" "ip route 10.0.210.0/24 10.0.0.1" "10.0.210.4 10.0.210.5" "" 1
	nvad_start n "$NSN" || { notok "nvad started"; return; }
	if wait_for 30 all_est n 10.0.210.4 10.0.210.5; then ok "sessions with 10.0.210.4 and .5 Established"; else
		notok "sessions with 10.0.210.4 and .5 Established"; fi
	expect_kr "N" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.1@eth0"
	expect_kr "N" "$NSN" 10.0.210.0/24 "bgp 1 10.0.0.1@eth0"
	expect_kr "N" "$NSN" 10.124.0.0/24 "bgp 20 10.0.0.1@eth0"
	check "H reaches D (10.100.0.4) through the NVA" h_pings 1

	# One more static route, installed, then dropped from the file without
	# a reload: after the restart it is stale.
	nva_conf "$TMP/n.conf" "ip route 10.0.210.0/24 10.0.0.1|ip route 10.123.0.0/24 10.0.0.1" \
		"10.0.210.4 10.0.210.5" "" 1
	check "reload with the extra static route 10.123.0.0/24" nv_reload n
	expect_kr "N (the extra static)" "$NSN" 10.123.0.0/24 "bgp 1 10.0.0.1@eth0"
	nva_conf "$TMP/n.conf" "ip route 10.0.210.0/24 10.0.0.1" "10.0.210.4 10.0.210.5" "" 1

	before=$(ip -n "$NSN" -d -j route show table main proto 186 | jq -c 'sort_by(.dst)')
	n_adopted=$(proto_bgp_count "$NSN")
	say "nvad's routes before the restart ($n_adopted):"
	ip -n "$NSN" route show table main proto 186 | sed 's/^/#   /'

	lib_spawn "$NSN" "$TMP/monitor.txt" ip -timestamp monitor route
	mon_pid=$LIB_LAST_PID
	sleep 0.5
	lib_spawn "$NSH" "$TMP/ping.txt" ping -n -q -i 0.01 -W 1 10.100.0.4
	ping_pid=$LIB_LAST_PID
	sleep 4
	if nvad_kill n KILL; then ok "nvad killed with SIGKILL"; else notok "nvad killed with SIGKILL"; fi
	echo "----- $(date +%T.%N) nvad killed -----" >>"$TMP/monitor.txt"
	expect_kr "N right after SIGKILL (route kept)" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.1@eth0"
	# While nvad is dead, both Route Servers stop sending 10.124.0.0/24.
	spk_withdraw "$NS4" "$TMP/rs4" 10.124.0.0/24
	spk_withdraw "$NS5" "$TMP/rs5" 10.124.0.0/24
	sleep 2
	echo "----- $(date +%T.%N) nvad started again -----" >>"$TMP/monitor.txt"
	nvad_start n "$NSN" || notok "nvad started again"
	if wait_for 30 all_est n 10.0.210.4 10.0.210.5; then ok "after the restart: sessions Established again"; else
		notok "after the restart: sessions Established again"; fi
	if grep -Eq "kernel: $n_adopted routes of a previous run kept" "$TMP/n.log"; then
		ok "log: the $n_adopted routes of the previous run kept"
	else
		notok "log: the $n_adopted routes of the previous run kept"
		grep 'kernel' "$TMP/n.log" | tail -5 | sed 's/^/#   /'
	fi
	if wait_for 30 grep -q 'kernel: stale routes from the previous run removed' "$TMP/n.log"; then
		ok "log: stale routes swept (after End-of-RIB, well before the 120 s timer)"
	else
		notok "log: stale routes swept after End-of-RIB"
	fi
	expect_kr "N (stale static swept)" "$NSN" 10.123.0.0/24 ""
	expect_kr "N (BGP route the peers no longer send swept)" "$NSN" 10.124.0.0/24 ""
	expect_kr "N (live route kept)" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.1@eth0"
	expect_kr "N (live route kept)" "$NSN" 10.0.0.0/16 "bgp 20 10.0.0.1@eth0"
	expect_kr "N (live static kept)" "$NSN" 10.0.210.0/24 "bgp 1 10.0.0.1@eth0"

	# The stream ran across the kill, the restart and the sweep: stopped
	# now (SIGINT makes ping print its counts), 2 s after the sweep.
	sleep 2
	check "the ping stream ran until after the sweep" kill -0 "$ping_pid"
	kill -INT "$ping_pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$ping_pid" 2>/dev/null || break; sleep 0.1; done
	sleep 1
	stop_pid "$mon_pid"
	say "ping: $(grep 'packets transmitted' "$TMP/ping.txt")"
	read -r sent recv < <(awk '/packets transmitted/ {print $1, $4}' "$TMP/ping.txt")
	if [ "${sent:-0}" -gt 0 ] && [ "$sent" = "$recv" ] &&
		grep -q ' 0% packet loss' "$TMP/ping.txt"; then
		ok "ping H -> D every 10 ms across the restart: $sent sent, $recv received, 0% loss"
	else
		notok "ping H -> D every 10 ms across the restart: ${sent:-?} sent, ${recv:-?} received (none lost)"
	fi
	after=$(ip -n "$NSN" -d -j route show table main proto 186 | jq -c 'sort_by(.dst)')
	expect_eq_routes() {
		local b a
		b=$(jq -c --arg p "$1" '.[] | select(.dst == $p)' <<<"$before")
		a=$(jq -c --arg p "$1" '.[] | select(.dst == $p)' <<<"$after")
		if [ -n "$b" ] && [ "$a" = "$b" ]; then ok "$1: the same route before and after ($a)"; else
			notok "$1: the same route before and after"; say "  before: $b"; say "  after:  $a"; fi
	}
	for p in $live; do expect_eq_routes "$p"; done
	say "ip monitor route in N during the restart:"
	sed 's/^/#   /' "$TMP/monitor.txt"
	for p in $live; do
		if grep -Fq " $p " "$TMP/monitor.txt" || grep -q "^Deleted $p \|^$p " "$TMP/monitor.txt"; then
			notok "$p not rewritten (no delete/add in ip monitor)"
		else
			ok "$p not rewritten (no delete/add in ip monitor)"
		fi
	done
	check "ip monitor: the stale 10.123.0.0/24 deleted" grep -q 'Deleted 10\.123\.0\.0/24 ' "$TMP/monitor.txt"
	check "ip monitor: the stale 10.124.0.0/24 deleted" grep -q 'Deleted 10\.124\.0\.0/24 ' "$TMP/monitor.txt"
	f=$TMP/n-route.json
	nv_fib n ip "$f"
	jqcheck "show ip route json after the restart: 10.100.0.0/16 selected and installed" "$f" \
		'[.["10.100.0.0/16"][] | select(.protocol == "bgp")] | length == 1 and .[0].installed == true'

	# SIGTERM: the routes stay too.
	if nvad_kill n TERM && tail -5 "$TMP/n.log" | grep -q 'nvad notice: stopped'; then
		ok "nvad stopped with SIGTERM"; else notok "nvad stopped with SIGTERM"; fi
	expect_kr "N after SIGTERM (kept)" "$NSN" 10.100.0.0/16 "bgp 20 10.0.0.1@eth0"
	check "H still reaches D after nvad stopped (3 pings)" h_pings 3

	# --no-kernel: nothing of protocol bgp appears. The operator's route to
	# the Route Servers replaces nvad's static.
	ip -n "$NSN" route flush table main proto 186
	ip -n "$NSN" route add 10.0.210.0/24 via 10.0.0.1
	check "N: no route of protocol bgp left after the flush" test "$(proto_bgp_count "$NSN")" = 0
	cp "$TMP/n.conf" "$TMP/nk.conf"
	lib_spawn "$NSN" "$TMP/monitor-nk.txt" ip monitor route
	mon_pid=$LIB_LAST_PID
	nvad_start nk "$NSN" --no-kernel || { notok "nvad --no-kernel started"; return; }
	if wait_for 30 all_est nk 10.0.210.4 10.0.210.5; then ok "--no-kernel: sessions Established"; else
		notok "--no-kernel: sessions Established"; fi
	check "--no-kernel: BGP holds 10.100.0.0/16 from both" \
		wait_for 15 eval '[ "$(nv_rib_paths nk 10.100.0.0/16)" = 2 ]'
	sleep 2
	stop_pid "$mon_pid"
	check "--no-kernel: no route of protocol bgp in the kernel" test "$(proto_bgp_count "$NSN")" = 0
	check "--no-kernel: ip monitor saw no route of protocol bgp" eval "! grep -q 'proto bgp' '$TMP/monitor-nk.txt'"
	check "--no-kernel: the log says so" grep -q 'started with .* (no kernel routes)' "$TMP/nk.log"

	if [ "$FAILED" -gt 0 ]; then
		dump_routes "$NSN"
		dump_logs "$TMP/n.log" "$TMP/nk.log" "$TMP/ping.txt"
	fi
}

# ====================================================================================
# link: interfaces going down and up, as zebra follows them.
# s_has NS DIR PREFIX: FRR in NS holds PREFIX in its BGP table.
s_has() {
	frr_vtysh "$1" "$2" -c "show ip bgp json" 2>/dev/null | jq -e --arg p "$3" '.routes | has($p)' >/dev/null
}
s_lacks() { ! s_has "$@"; }
# fib_has NAME PREFIX PROTOCOL: nvad's show ip route json has a PROTOCOL route for PREFIX.
fib_has() {
	nv "$1" show ip route json 2>/dev/null |
		jq -e --arg p "$2" --arg k "$3" '[(.[$p] // [])[] | select(.protocol == $k)] | length > 0' >/dev/null
}
fib_lacks() { ! fib_has "$@"; }
case_link() {
	local f
	net_ecmp || { notok "namespaces set up"; return; }
	ok "namespaces: NVA E with eth1 towards S1 (10.1.0.5) and eth2 towards S2 (10.2.0.5)"
	mkdir -p "$TMP/s1" "$TMP/s2"
	spk_conf "$TMP/s1" 10.1.0.5 0 10.1.0.4 "10.200.0.0/16"
	spk_conf "$TMP/s2" 10.2.0.5 0 10.2.0.4 "10.200.0.0/16"
	if spk_start "$NSS1" "$TMP/s1" && spk_start "$NSS2" "$TMP/s2"; then
		ok "FRR started as S1 and S2 (AS 65515), both announcing 10.200.0.0/16"
	else
		notok "FRR started as S1 and S2"
		return
	fi
	# A static route through S1, and a kernel route through it that is not
	# nvad's; E redistributes its connected subnets.
	nva_conf "$TMP/e.conf" "ip route 10.99.0.0/16 10.1.0.5" "10.1.0.5 10.2.0.5" "" 0
	sed -i 's/^ address-family ipv4 unicast$/&\n  redistribute connected/' "$TMP/e.conf"
	ip -n "$NSE" route add 10.98.0.0/16 via 10.1.0.5 dev eth1
	nvad_start e "$NSE" || { notok "nvad E started"; return; }
	if wait_for 30 all_est e 10.1.0.5 10.2.0.5; then ok "E: sessions with S1 and S2 Established"; else
		notok "E: sessions with S1 and S2 Established"; fi
	expect_kr "E (ECMP over eth1 and eth2)" "$NSE" 10.200.0.0/16 "bgp 20 10.1.0.5@eth1,10.2.0.5@eth2"
	expect_kr "E (static via S1)" "$NSE" 10.99.0.0/16 "bgp 1 10.1.0.5@eth1"
	check "E: show ip route has the kernel route 10.98.0.0/16" wait_for 10 fib_has e 10.98.0.0/16 kernel
	check "S2 holds E's connected 10.1.0.0/24 (redistribute connected)" wait_for 20 s_has "$NSS2" "$TMP/s2" 10.1.0.0/24

	# eth1 set down: its connected subnet, the routes through it and the
	# next hop 10.1.0.5 go at once; the session with S1 is reset
	# (fast-external-failover), not left to its hold timer.
	ip -n "$NSE" link set eth1 down
	expect_kr "E after eth1 down (one next hop left)" "$NSE" 10.200.0.0/16 "bgp 20 10.2.0.5@eth2"
	expect_kr "E after eth1 down (static inactive, removed)" "$NSE" 10.99.0.0/16 ""
	check "E: show ip route: no connected 10.1.0.0/24 while eth1 is down" wait_for 10 fib_lacks e 10.1.0.0/24 connected
	check "E: show ip route: the kernel route 10.98.0.0/16 gone with eth1 (the kernel flushed it silently)" \
		wait_for 10 fib_lacks e 10.98.0.0/16 kernel
	check "S2 no longer holds 10.1.0.0/24" wait_for 20 s_lacks "$NSS2" "$TMP/s2" 10.1.0.0/24
	check "E: the session with S1 is down, reset for the interface" wait_for 10 eval \
		'[ "$(nv_nbr e 10.1.0.5 | jq -r ".bgpState + \" \" + .lastResetDueTo")" != Established ] &&
		 nv_nbr e 10.1.0.5 | jq -e ".lastResetDueTo | test(\"interface down\")" >/dev/null'
	check "E: the session with S2 stayed up" all_est e 10.2.0.5

	# eth1 up again: everything comes back (the kernel route does not: the
	# kernel deleted it).
	ip -n "$NSE" link set eth1 up
	if wait_for 40 all_est e 10.1.0.5; then ok "E: session with S1 Established again"; else
		notok "E: session with S1 Established again"; fi
	expect_kr "E after eth1 up (ECMP again)" "$NSE" 10.200.0.0/16 "bgp 20 10.1.0.5@eth1,10.2.0.5@eth2"
	expect_kr "E after eth1 up (static back)" "$NSE" 10.99.0.0/16 "bgp 1 10.1.0.5@eth1"
	check "E: show ip route: connected 10.1.0.0/24 back" wait_for 10 fib_has e 10.1.0.0/24 connected
	check "S2 holds 10.1.0.0/24 again" wait_for 20 s_has "$NSS2" "$TMP/s2" 10.1.0.0/24
	check "E: show ip route: no kernel route 10.98.0.0/16 (the kernel removed it)" fib_lacks e 10.98.0.0/16 kernel

	# The carrier goes (S1's end set down; E's eth1 stays administratively
	# up): the kernel keeps the routes through eth1, marked linkdown; nvad
	# treats them as zebra does, as gone until the carrier returns.
	ip -n "$NSE" route add 10.98.0.0/16 via 10.1.0.5 dev eth1
	check "E: show ip route has the kernel route 10.98.0.0/16 again" wait_for 10 fib_has e 10.98.0.0/16 kernel
	ip -n "$NSS1" link set eth0 down
	expect_kr "E without carrier on eth1 (one next hop left)" "$NSE" 10.200.0.0/16 "bgp 20 10.2.0.5@eth2"
	expect_kr "E without carrier on eth1 (static removed)" "$NSE" 10.99.0.0/16 ""
	check "E: show ip route: no connected 10.1.0.0/24 without carrier" wait_for 10 fib_lacks e 10.1.0.0/24 connected
	check "E: show ip route: the kernel route 10.98.0.0/16 not used without carrier" \
		wait_for 10 fib_lacks e 10.98.0.0/16 kernel
	check "E: the kernel itself still holds 10.98.0.0/16 (linkdown)" \
		eval 'ip -n "$NSE" route show 10.98.0.0/16 | grep -q linkdown'
	ip -n "$NSS1" link set eth0 up
	if wait_for 40 all_est e 10.1.0.5; then ok "E: session with S1 Established after the carrier returned"; else
		notok "E: session with S1 Established after the carrier returned"; fi
	expect_kr "E with carrier again (ECMP)" "$NSE" 10.200.0.0/16 "bgp 20 10.1.0.5@eth1,10.2.0.5@eth2"
	expect_kr "E with carrier again (static back)" "$NSE" 10.99.0.0/16 "bgp 1 10.1.0.5@eth1"
	check "E: show ip route: the kernel route 10.98.0.0/16 usable again" wait_for 10 fib_has e 10.98.0.0/16 kernel
	check "E: show ip route: connected 10.1.0.0/24 back" wait_for 10 fib_has e 10.1.0.0/24 connected

	if [ "$FAILED" -gt 0 ]; then
		dump_routes "$NSE"
		dump_logs "$TMP/e.log"
	fi
}

case $CASE in
fib) case_fib ;;
restart) case_restart ;;
link) case_link ;;
esac
final_checks
say "$CASE: $(elapsed "$T0") s"
finish
