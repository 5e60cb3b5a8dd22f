#!/bin/bash
# policy.sh: nvad's routing policy against FRR 8.4's, in network namespaces.
#
#   policy.sh CASE NVAD NVACTL
#
# CASE: differential | azure-relay | options (README.md describes each).
# Prints `ok - ...` / `not ok - ...` lines and `N passed, M failed`; exit 1
# when something failed, 77 (skipped) when not root or a needed program is
# missing. Every daemon runs in a namespace made here (pol-PID-*), with its
# configuration, sockets and logs in a temporary directory (kept on failure
# or with KEEP_TMP=1); nvad runs with --log-level debug --no-kernel. When nvad
# and FRR differ, the test expects what FRR does.
# Environment: NVAD_SRC_ROOT (the source tree; default: two levels up),
# NVAD_SEED_DIR (the seed configurations; default <source root>/../shared/
# seed/reference), POLICY_CONFIGS (differential: only these configurations,
# by name, separated by spaces).
set -u

CASE=${1:?usage: policy.sh CASE NVAD NVACTL}
NVAD=$(readlink -f "${2:?nvad path}")
NVACTL=$(readlink -f "${3:?nvactl path}")
HERE=$(dirname "$(readlink -f "$0")")
SRC_ROOT=${NVAD_SRC_ROOT:-$(cd "$HERE/../.." && pwd)}
SEED_DIR=${NVAD_SEED_DIR:-$SRC_ROOT/../shared/seed/reference}

. "$HERE/lib.sh"

P=pol-$$
T0=$(date +%s.%N)

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
[ -x "$NVAD" ] || skip "nvad not built: $NVAD"
[ -x "$NVACTL" ] || skip "nvactl not built: $NVACTL"
[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v vtysh >/dev/null ||
	skip "frr not installed"
case $CASE in
differential) command -v exabgp >/dev/null || skip "exabgp not installed (feeder and sink)" ;;
azure-relay) [ -f "$SEED_DIR/p2-vm-hub00.frr.conf" ] || skip "no $SEED_DIR/p2-vm-hub00.frr.conf" ;;
options) command -v exabgp >/dev/null || skip "exabgp not installed (feeder)" ;;
*) echo "policy.sh: unknown case '$CASE'" >&2; exit 2 ;;
esac

lib_init "pol-$CASE"

elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }
dump_logs() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		say "--- last lines of ${f#"$TMP"/}"
		tail -20 "$f" | sed 's/^/#   /'
	done
}
expect_eq() { if [ "$2" = "$3" ]; then ok "$1: $3"; else notok "$1: $3 (got: $2)"; fi; }

# --- nvad ------------------------------------------------------------------------
# nvad_start NAME NS CONF: nvad with CONF, socket $TMP/NAME.sock, log $TMP/NAME.log.
nvad_start() {
	local name=$1 ns=$2 conf=$3
	echo "----- nvad started by the test with $(basename "$conf") -----" >>"$TMP/$name.log"
	echo "$conf" >"$TMP/$name.nvconf"
	nvad_spawn "$name" "$ns" "$conf" --no-kernel
}
nvad_stop() {
	local pid
	pid=$(lib_pid "$TMP" "$1")
	[ -n "$pid" ] || return 0
	stop_pid "$pid"
	echo "----- nvad stopped by the test -----" >>"$TMP/$1.log"
}
nv_nbr() { nv "$1" show ip bgp neighbors "$2" json 2>/dev/null | jq -c --arg n "$2" '.[$n] // empty'; }
nv_field() { nv_nbr "$1" "$2" | jq -r ".$3 // empty"; }
nv_est() { [ "$(nv_field "$1" "$2" bgpState)" = Established ]; }
nv_reload() {
	local out rc
	out=$(nv "$1" reload 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   reload: /'
	return $rc
}

# --- the same route summary for FRR and nvad ---------------------------------------------
# One object per prefix from `show bgp ... PREFIX json`: the best path's AS
# path, origin, MED, local preference, weight, communities (standard, large,
# extended), the global next hop, the peer it came from, and the number of paths.
RIB_JQ='select(.prefix != null) | .prefix as $p | (.paths | (map(select(.bestpath.overall == true)) + .)[0]) as $b |
	{key: $p, value: {path: $b.aspath.string, origin: $b.origin, med: $b.metric, locPrf: $b.locPrf,
	 weight: ($b.weight // 0), comm: $b.community.string, large: $b.largeCommunity.string,
	 ext: $b.extendedCommunity.string,
	 nh: ([$b.nexthops[]? | select((.scope // "global") == "global") | .ip][0]),
	 from: $b.peer.peerId, paths: (.paths | length)}}'
# frr_rib NS DIR ipv4|ipv6: the summary of FRR's table.
frr_rib() {
	local ns=$1 dir=$2 afi=$3 p args=()
	for p in $(frr_vtysh "$ns" "$dir" -c "show bgp $afi unicast json" 2>/dev/null | jq -r '.routes // {} | keys[]'); do
		args+=(-c "show bgp $afi unicast $p json")
	done
	if [ ${#args[@]} -eq 0 ]; then echo '{}'; return; fi
	frr_vtysh "$ns" "$dir" "${args[@]}" 2>/dev/null | jq -c "$RIB_JQ" | jq -sS 'from_entries'
}
# nv_rib NAME ipv4|ipv6
nv_rib() {
	local name=$1 afi=$2 p cmd="show ip bgp"
	[ "$afi" = ipv6 ] && cmd="show bgp ipv6 unicast"
	for p in $(nv "$name" $cmd json 2>/dev/null | jq -r '.routes // {} | keys[]'); do
		nv "$name" $cmd "$p" json 2>/dev/null
	done | jq -c "$RIB_JQ" | jq -sS 'from_entries'
}
# sink_table FILE PEER: what an ExaBGP neighbor holds from PEER, from its JSON
# lines (announcements and withdrawals in order, emptied when the session goes
# up or down): per prefix ExaBGP's attribute object, the global next hop and
# whether a link-local next hop came along.
sink_table() {
	jq -R -n -S --arg peer "$2" 'reduce (inputs | fromjson? | select(.neighbor.address.peer == $peer)) as $m ({};
		if $m.type == "state" then (if ($m.neighbor.state == "up" or $m.neighbor.state == "down") then {} else . end)
		elif $m.type == "update" then
			($m.neighbor.message.update) as $u |
			(reduce ($u.withdraw // {} | to_entries[] | .value[]? | .nlri) as $x (.; del(.[$x]))) as $t |
			reduce ([$u.announce // {} | to_entries[] | .value | to_entries[] | .key as $nh | .value[] |
				{nlri, nh: $nh}] | group_by(.nlri)[]) as $g ($t;
				.[$g[0].nlri] = ($u.attribute + {
					nh: ([$g[].nh | select(startswith("fe80") | not)][0]),
					linkLocal: ([$g[].nh | select(startswith("fe80"))] | length > 0)}))
		else . end)' "$1" 2>/dev/null
}

# ====================================================================================
# differential: the same configuration in FRR (side 1) and nvad (side 2)
# ====================================================================================
# Each side: a router namespace R (FRR's bgpd or nvad, AS 65001, router-id
# 10.255.0.1) and a namespace E with one ExaBGP that is both the feeder
# (AS 64500: 10.1.0.2 and fd00:1::2, announcing FEED4 and FEED6) and the sink
# (AS 64501: 10.2.0.2 and fd00:2::2, recording what it receives). The two
# sides use the same addresses, so FRR's and nvad's results compare as they
# are. ExaBGP is passive; the router connects.
#
# The feeder's routes: prefix, next hop, then ExaBGP's attributes. Paths of
# several lengths, private ASNs, 65515, 23456, 4-octet ASNs, AS 0 (RFC 7607:
# treat-as-withdraw), AS_SETs, our own AS 65001 (loop), the sink's AS 64501,
# paths not starting with the feeder's AS, the empty path, communities
# (standard, well-known, large, extended), MEDs up to 4294967295, the three
# origins, prefixes of many lengths, the default route, third-party next hops.
FEED4=(
	"10.20.0.0/16 10.1.0.2 origin igp as-path [ 64500 ] med 0 community [ 64500:1 ]"
	"10.20.1.0/24 10.1.0.2 origin igp as-path [ 64500 65515 ] med 10 community [ 65515:1 64500:100 ]"
	"10.20.2.0/24 10.1.0.2 origin igp as-path [ 64500 65515 12076 12076 ]"
	"10.20.3.0/25 10.1.0.2 origin egp as-path [ 64500 64512 ] med 50 large-community [ 64500:1:1 ]"
	"10.20.4.0/26 10.1.0.2 origin incomplete as-path [ 64500 64513 64519 ] large-community [ 64500:2:2 64500:1:1 ]"
	"10.20.5.0/27 10.1.0.2 origin igp as-path [ 64500 64520 ] med 100"
	"10.20.6.0/28 10.1.0.2 origin igp as-path [ 64500 23456 ] community [ 64500:23456 ]"
	"10.20.7.0/29 10.1.0.2 origin igp as-path [ 64500 131050 ]"
	"10.20.8.0/30 10.1.0.2 origin igp as-path [ 64500 131072 ] med 4294967295"
	"10.20.9.1/32 10.1.0.2 origin incomplete as-path [ 64500 65100 65200 65300 ] med 7"
	"10.21.0.0/16 10.1.0.2 origin igp as-path [ 64500 ( 64512 64513 ) ]"
	"10.21.1.0/24 10.1.0.2 origin igp as-path [ 64500 3356 ( 174 1299 ) ] community [ 3356:100 ]"
	"10.21.2.0/24 10.1.0.2 origin igp as-path [ 64500 64501 64500 ]"
	"10.21.3.0/24 10.1.0.2 origin igp as-path [ 64500 65001 ]"
	"10.21.4.0/24 10.1.0.2 origin igp as-path [ 64500 65001 65001 ] med 44"
	"10.21.5.0/24 10.1.0.2 origin igp as-path [ 64500 0 ]"
	"10.21.6.0/24 10.1.0.2 origin igp as-path [ 64500 ] community [ no-export ]"
	"10.21.7.0/24 10.1.0.2 origin igp as-path [ 64500 ] community [ no-advertise ]"
	"10.21.8.0/24 10.1.0.2 origin igp as-path [ 64500 65515 ] community [ 65515:65515 ] extended-community [ target:64500:1 ]"
	"10.22.0.0/15 10.1.0.2 origin igp as-path [ 64500 64496 ] med 20"
	"10.24.0.0/13 10.1.0.2 origin igp as-path [ 64500 65534 ]"
	"10.32.0.0/11 10.1.0.2 origin igp as-path [ 64500 65535 ]"
	"172.16.0.0/12 10.1.0.2 origin incomplete as-path [ 64500 64512 64500 ]"
	"192.168.0.0/16 10.1.0.2 origin igp as-path [ 64500 4200000000 ] large-community [ 4200000000:1:2 ]"
	"192.168.1.0/24 10.1.0.2 origin igp as-path [ 64500 64511 ]"
	"192.168.1.128/25 10.1.0.2 origin igp as-path [ 64500 65515 65515 ] med 30 community [ 64500:30 64500:31 64500:32 ]"
	"100.64.0.0/10 10.1.0.2 origin igp as-path [ 64500 7018 ]"
	"0.0.0.0/0 10.1.0.2 origin igp as-path [ 64500 ] med 1"
	"198.51.100.0/24 10.1.0.2 origin igp as-path [ 64500 65516 ] community [ 64500:1 64500:2 ]"
	"203.0.113.0/24 10.1.0.2 origin egp as-path [ 64500 65519 ] large-community [ 65515:1:2 ]"
	"203.0.113.64/26 10.1.0.2 origin igp as-path [ 64500 64999 65000 ] community [ 64500:1 65535:0 ]"
	"10.0.210.0/24 10.1.0.2 origin igp as-path [ 64500 65515 ]"
	"10.0.0.0/16 10.1.0.2 origin igp as-path [ 64500 65515 ]"
	"10.100.0.0/16 10.1.0.2 origin igp as-path [ 64500 65515 12076 12076 ] med 0"
	"10.10.0.0/16 10.1.0.2 origin igp as-path [ 64500 ]"
	"10.40.0.0/24 10.1.0.9 origin igp as-path [ 64500 ] med 40"
	"10.40.1.0/24 10.1.0.2 origin igp as-path [ 64500 64500 64500 ] community [ 64500:2 64500:1 ]"
	"10.40.2.0/24 10.1.0.2 origin igp as-path [ ]"
	"10.40.3.0/24 10.1.0.2 origin igp as-path [ 64500 65001 65001 65001 ]"
	"10.40.4.0/24 10.1.0.2 origin igp as-path [ 64500 64512 65001 ]"
	"10.40.7.0/24 10.1.0.2 origin igp as-path [ 65010 65515 ] med 3"
	"10.40.8.0/24 10.1.0.2 origin igp as-path [ 65515 ]"
	"10.40.9.0/24 10.1.0.2 origin igp as-path [ 64500 ( 65001 65002 ) ]"
	"10.40.10.0/23 10.1.0.2 origin igp as-path [ 64500 65200 ] community [ 65200:1 65535:65281 ]"
)
FEED6=(
	"2001:db8:1::/48 fd00:1::2 origin igp as-path [ 64500 ] med 10 community [ 64500:6 ]"
	"2001:db8:2::/48 fd00:1::2 origin igp as-path [ 64500 65515 ]"
	"2001:db8:3::/64 fd00:1::2 origin incomplete as-path [ 64500 64512 ] large-community [ 64500:6:6 ]"
	"2001:db8::/32 fd00:1::2 origin igp as-path [ 64500 131000 ]"
	"::/0 fd00:1::2 origin igp as-path [ 64500 ]"
	"2001:db8:4::/56 fd00:1::2 origin igp as-path [ 64500 ( 64513 64514 ) ]"
	"2001:db8:5::/48 fd00:1::2 origin egp as-path [ 64500 23456 ] community [ 64500:1 64500:2 ]"
	"2001:db8:6::1/128 fd00:1::2 origin igp as-path [ 64500 65001 ]"
	"fd00:10::/48 fd00:1::2 origin igp as-path [ 64500 64501 ] med 5"
	"2001:db8:7::/48 fd00:1::2 origin igp as-path [ 65515 12076 ]"
	"2001:db8:8::/47 fd00:1::9 origin igp as-path [ 64500 65100 ] extended-community [ target:64500:6 ]"
	"2001:db8:9::/48 fd00:1::2 origin igp as-path [ 65100 65200 ] med 9"
)

# exa_conf DIR: the ExaBGP configuration of a side.
exa_conf() {
	local d=$1 r
	exabgp_receiver_script "$d"
	# Commands appended to exabgp-cmds.txt are run (announce/withdraw later).
	# ExaBGP takes commands only from a process bound to the neighbors, and
	# writes their events to it too: it must read them (through fd 3: a
	# background command's stdin is /dev/null), or ExaBGP blocks once the
	# pipe is full.
	: >"$d/exabgp-cmds.txt"
	printf '#!/bin/sh\nexec 3<&0\ncat <&3 >/dev/null &\ntail -n +1 -F "%s/exabgp-cmds.txt" 2>/dev/null\n' "$d" >"$d/exabgp-sender.sh"
	chmod 755 "$d/exabgp-sender.sh"
	{
		echo "process receiver { run $d/exabgp-receiver.sh; encoder json; }"
		echo "process sender { run $d/exabgp-sender.sh; encoder text; }"
		echo "template { neighbor base { hold-time 9; passive true; listen 179; peer-as 65001;"
		echo "  api { processes [ receiver sender ]; receive { parsed; update; notification; } neighbor-changes; } } }"
		echo "neighbor 10.1.0.1 { inherit base; router-id 10.1.0.2; local-address 10.1.0.2; local-as 64500;"
		echo "  family { ipv4 unicast; }"
		echo "  static {"
		for r in "${FEED4[@]}"; do
			set -- $r
			echo "    route $1 next-hop $2 ${r#* * };"
		done
		echo "  }"
		echo "}"
		echo "neighbor fd00:1::1 { inherit base; router-id 10.1.0.2; local-address fd00:1::2; local-as 64500;"
		echo "  family { ipv6 unicast; }"
		echo "  static {"
		for r in "${FEED6[@]}"; do
			set -- $r
			echo "    route $1 next-hop $2 ${r#* * };"
		done
		echo "  }"
		echo "}"
		echo "neighbor 10.2.0.1 { inherit base; router-id 10.2.0.2; local-address 10.2.0.2; local-as 64501;"
		echo "  family { ipv4 unicast; } }"
		echo "neighbor fd00:2::1 { inherit base; router-id 10.2.0.2; local-address fd00:2::2; local-as 64501;"
		echo "  family { ipv6 unicast; } }"
	} >"$d/exabgp.conf"
}

# --- the router configurations --------------------------------------------------------
# The router: AS 65001, neighbors 10.1.0.2 / fd00:1::2 (the feeder, AS 64500)
# and 10.2.0.2 / fd00:2::2 (the sink, AS 64501), `network` 10.10.0.0/16,
# 10.50.0.0/16 and 2001:db8:ff::/48 of its own. Each configuration below sets
# A4 and A6 (neighbor lines in the address families) and POL (policy
# objects); router_conf writes the whole file, the same for FRR and nvad.
# The policy objects come first: FRR binds a neighbor's route-map when the
# neighbor line is read, and one defined later only after its route-map
# delay timer (5 s). Unless a configuration sets SRI=0, the feeder's
# neighbors have soft-reconfiguration inbound: ExaBGP 4.2.21 resets the
# session when it receives a ROUTE-REFRESH (a TypeError in its reactor), so
# it does not offer route refresh, and a reload that changes inbound policy
# re-applies it from the Adj-RIB-In, in nvad as in FRR.
router_conf() {
	local out=$1 p
	{
		echo "frr defaults traditional"
		echo "hostname pol-router"
		echo "log file $TMP/frr1/bgpd.log informational"
		echo "!"
		[ "$POL_FIRST" = 0 ] || [ -z "$POL" ] || { printf '%s\n' "$POL"; echo "!"; }
		echo "router bgp 65001"
		echo " bgp router-id 10.255.0.1"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " no bgp default ipv4-unicast"
		for p in "10.1.0.2 64500" "fd00:1::2 64500" "10.2.0.2 64501" "fd00:2::2 64501"; do
			set -- $p
			echo " neighbor $1 remote-as $2"
			echo " neighbor $1 timers 3 9"
			echo " neighbor $1 timers connect 1"
		done
		[ -z "${NBR:-}" ] || printf '%s\n' "$NBR"
		echo " !"
		echo " address-family ipv4 unicast"
		echo "  network 10.10.0.0/16"
		echo "  network 10.50.0.0/16"
		echo "  neighbor 10.1.0.2 activate"
		echo "  neighbor 10.2.0.2 activate"
		[ "$SRI" = 0 ] || echo "  neighbor 10.1.0.2 soft-reconfiguration inbound"
		[ -z "$A4" ] || printf '%s\n' "$A4"
		echo " exit-address-family"
		echo " !"
		echo " address-family ipv6 unicast"
		echo "  network 2001:db8:ff::/48"
		echo "  neighbor fd00:1::2 activate"
		echo "  neighbor fd00:2::2 activate"
		[ "$SRI" = 0 ] || echo "  neighbor fd00:1::2 soft-reconfiguration inbound"
		[ -z "$A6" ] || printf '%s\n' "$A6"
		echo " exit-address-family"
		echo "exit"
		echo "!"
		[ "$POL_FIRST" = 1 ] || [ -z "$POL" ] || printf '%s\n' "$POL"
		echo "end"
	} >"$out"
}

# The Azure reference NVA's policy (p2-vm-hub00), feeder inbound, sink
# outbound, in the reference's order (policy after router bgp: FRR applies it
# after its route-map delay timer of 5 s, so the wait is at least 6 s).
cfg_azure_reference() {
	SRI=0 POL_FIRST=0 MIN_WAIT=6
	A4="  neighbor 10.1.0.2 soft-reconfiguration inbound
  neighbor 10.1.0.2 route-map rmap-bogon-asns in
  neighbor 10.2.0.2 prefix-list PRE01 out
  neighbor 10.2.0.2 route-map rmap-azure-asns out"
	A6="  neighbor fd00:1::2 soft-reconfiguration inbound
  neighbor fd00:1::2 route-map rmap-bogon-asns in
  neighbor fd00:2::2 route-map rmap-azure-asns out"
	POL="ip prefix-list PRE01 seq 5 deny 10.0.210.0/24
ip prefix-list PRE01 seq 10 permit any
bgp as-path access-list azure-asns seq 5 permit _65515_
bgp as-path access-list bogon-asns seq 5 permit _0_
bgp as-path access-list bogon-asns seq 10 permit _23456_
bgp as-path access-list bogon-asns seq 15 permit _1310[0-6][0-9]_|_13107[0-1]_
bgp as-path access-list bogon-asns seq 20 deny _65515_
bgp as-path access-list bogon-asns seq 25 permit ^65
route-map rmap-bogon-asns deny 5
 match as-path bogon-asns
exit
route-map rmap-bogon-asns permit 10
exit
route-map rmap-azure-asns deny 5
 match as-path azure-asns
exit
route-map rmap-azure-asns permit 10
exit"
}
# Prefix lists: seq, implicit seq, ge, le, ge+le, exact, any, deny, IPv6.
cfg_prefix_lists() {
	A4="  neighbor 10.1.0.2 prefix-list IN4 in
  neighbor 10.2.0.2 prefix-list OUT4 out"
	A6="  neighbor fd00:1::2 prefix-list IN6 in
  neighbor fd00:2::2 prefix-list OUT6 out"
	POL="ip prefix-list IN4 seq 5 deny 10.20.0.0/16 le 24
ip prefix-list IN4 seq 10 permit 10.20.0.0/16 ge 25 le 28
ip prefix-list IN4 seq 15 permit 10.20.8.0/30
ip prefix-list IN4 seq 20 permit 10.21.0.0/16 ge 24
ip prefix-list IN4 permit 0.0.0.0/0
ip prefix-list IN4 seq 30 deny 10.32.0.0/11
ip prefix-list IN4 seq 40 permit 192.168.0.0/16 le 25
ip prefix-list IN4 seq 50 permit 10.0.0.0/8 ge 11 le 15
ip prefix-list IN4 seq 60 permit 172.16.0.0/12 ge 12
ip prefix-list IN4 seq 70 permit 10.40.0.0/16 ge 23 le 23
ip prefix-list OUT4 seq 5 deny 10.20.4.0/26
ip prefix-list OUT4 seq 10 deny 10.10.0.0/16 ge 17
ip prefix-list OUT4 seq 15 permit any
ip prefix-list OUT4 seq 20 deny 10.50.0.0/16
ipv6 prefix-list IN6 seq 5 permit 2001:db8::/32 le 48
ipv6 prefix-list IN6 seq 10 permit ::/0
ipv6 prefix-list IN6 seq 15 permit fd00::/8 ge 48 le 48
ipv6 prefix-list OUT6 seq 5 deny 2001:db8:1::/48
ipv6 prefix-list OUT6 seq 10 permit any"
}
# AS-path access lists as filter-lists, FRR's regexes.
cfg_as_path_lists() {
	A4="  neighbor 10.1.0.2 filter-list IN in
  neighbor 10.2.0.2 filter-list OUT out"
	A6="  neighbor fd00:1::2 filter-list IN6 in
  neighbor fd00:2::2 filter-list OUT out"
	POL="bgp as-path access-list IN seq 5 deny _0_
bgp as-path access-list IN seq 10 deny _23456_
bgp as-path access-list IN seq 15 deny _1310[0-6][0-9]_|_13107[0-1]_
bgp as-path access-list IN seq 20 deny (^|_)6451[2-9]_
bgp as-path access-list IN seq 25 deny ^65
bgp as-path access-list IN seq 30 permit .*
bgp as-path access-list OUT seq 5 deny _65515_
bgp as-path access-list OUT seq 10 permit ^64500_
bgp as-path access-list OUT seq 15 permit ^\$
bgp as-path access-list IN6 seq 5 deny _65001_
bgp as-path access-list IN6 seq 10 permit _64500\$
bgp as-path access-list IN6 seq 15 permit ^64500 (6451[2-9]|13100)
bgp as-path access-list IN6 seq 20 permit ^65515_12076\$
bgp as-path access-list IN6 seq 25 permit _64513,"
}
# Community lists (standard, exact-match, expanded, well-known, large).
cfg_communities() {
	A4="  neighbor 10.1.0.2 route-map COMM-IN in
  neighbor 10.2.0.2 route-map COMM-OUT out"
	A6="  neighbor fd00:1::2 route-map COMM-IN in
  neighbor fd00:2::2 route-map COMM-OUT out"
	POL="bgp community-list standard CL-A seq 5 permit 64500:1
bgp community-list standard CL-EX seq 5 permit 64500:1 64500:2
bgp community-list standard CL-NE seq 5 permit no-export
bgp community-list standard CL-DENY seq 5 deny 65515:1
bgp community-list standard CL-DENY seq 10 permit internet
bgp community-list expanded CE-515 seq 5 permit ^65515:
bgp community-list expanded CE-515 seq 10 permit _64500:3[0-9]_
bgp community-list expanded CE-EMPTY seq 5 permit ^\$
bgp community-list expanded CE-WK seq 5 permit graceful-shutdown|no-advertise|no-peer
bgp large-community-list standard LC-1 seq 5 permit 64500:1:1
bgp large-community-list expanded LC-E seq 5 permit ^65515:
bgp large-community-list expanded LC-E seq 10 permit 64500:2:2
route-map COMM-IN permit 10
 match community CL-EX exact-match
 set local-preference 210
exit
route-map COMM-IN permit 20
 match community CL-A
 set local-preference 220
exit
route-map COMM-IN permit 30
 match community CE-515
 set local-preference 230
exit
route-map COMM-IN permit 35
 match community CE-WK
 set local-preference 235
exit
route-map COMM-IN permit 40
 match large-community LC-1 exact-match
 set local-preference 240
exit
route-map COMM-IN permit 50
 match large-community LC-E
 set local-preference 250
exit
route-map COMM-IN deny 60
 match community CL-NE
exit
route-map COMM-IN permit 70
 match community CE-EMPTY
 set local-preference 270
exit
route-map COMM-IN permit 80
 match community CL-DENY
 set local-preference 280
exit
route-map COMM-OUT permit 10
 match community CL-A exact-match
 set metric 111
exit
route-map COMM-OUT deny 20
 match large-community LC-E
exit
route-map COMM-OUT permit 30
exit"
}
# match metric / origin / ip and ipv6 address prefix-list; set metric N/+N/-N,
# weight, origin, local-preference.
cfg_metric_origin() {
	A4="  neighbor 10.1.0.2 route-map MM-IN in
  neighbor 10.2.0.2 route-map MM-OUT out"
	A6="  neighbor fd00:1::2 route-map MM-IN in
  neighbor fd00:2::2 route-map MM-OUT out"
	POL="ip prefix-list P-20 seq 5 permit 10.20.0.0/16 le 32
ipv6 prefix-list P6-DB8 seq 5 permit 2001:db8::/32 le 64
route-map MM-IN permit 10
 match metric 10
 set metric +5
 set weight 100
exit
route-map MM-IN permit 20
 match metric 4294967295
 set metric +10
exit
route-map MM-IN permit 30
 match origin egp
 set origin igp
 set metric -20
exit
route-map MM-IN permit 40
 match origin incomplete
 match ip address prefix-list P-20
 set origin egp
 set metric 4294967295
exit
route-map MM-IN permit 50
 match ipv6 address prefix-list P6-DB8
 set metric -100
 set weight 50
exit
route-map MM-IN permit 60
 match ip address prefix-list P-20
 set metric 77
exit
route-map MM-IN permit 70
 match metric 100
 set local-preference 70
exit
route-map MM-IN permit 80
 set origin incomplete
exit
route-map MM-OUT permit 10
 match origin igp
 match metric 77
 set metric +1
exit
route-map MM-OUT permit 20
 match origin incomplete
 set metric 3
 set origin egp
exit
route-map MM-OUT permit 30
 match metric 1
 set metric -1
exit
route-map MM-OUT permit 40
exit"
}
# set as-path prepend (ASNs, last-as), exclude, replace; matches after sets.
cfg_as_path_sets() {
	A4="  neighbor 10.1.0.2 route-map AP-IN in
  neighbor 10.2.0.2 route-map AP-OUT out"
	A6="  neighbor fd00:1::2 route-map AP-IN in
  neighbor fd00:2::2 route-map AP-OUT out"
	POL="bgp as-path access-list A-515 seq 5 permit _65515_
bgp as-path access-list A-PRIV seq 5 permit (^|_)6451[2-9]_
bgp as-path access-list A-23456 seq 5 permit _23456_
bgp as-path access-list A-4B seq 5 permit _1310[0-6][0-9]_|_13107[0-1]_
bgp as-path access-list A-LOOP seq 5 permit _64500_64500_
bgp as-path access-list A-65000 seq 5 permit ^65000_
bgp as-path access-list A-NONE seq 5 permit ^\$
route-map AP-IN permit 10
 match as-path A-515
 set as-path exclude 65515
 set as-path prepend 65000 65000
 on-match next
exit
route-map AP-IN permit 15
 match as-path A-65000
 set metric 15
exit
route-map AP-IN permit 20
 match as-path A-PRIV
 set as-path prepend 65000
 set as-path exclude 64512
exit
route-map AP-IN permit 30
 match as-path A-23456
 set as-path prepend last-as 2
exit
route-map AP-IN permit 40
 match as-path A-4B
 set as-path replace 131050
exit
route-map AP-IN permit 45
 match as-path A-NONE
 set as-path prepend last-as 3
exit
route-map AP-IN permit 50
exit
route-map AP-OUT permit 10
 match as-path A-515
 set as-path replace any
exit
route-map AP-OUT permit 20
 match as-path A-LOOP
 set as-path exclude 64500
exit
route-map AP-OUT permit 30
 match as-path A-4B
 set as-path replace 65001
 set as-path prepend 65001 65001
exit
route-map AP-OUT permit 40
 set as-path prepend 64999 64998 64997
 set as-path prepend last-as 1
exit"
}
# set ip next-hop A.B.C.D / peer-address, community (replace, additive, none),
# large-community (replace, additive, none), in and out.
cfg_nexthop_communities() {
	A4="  neighbor 10.1.0.2 route-map NH-IN in
  neighbor 10.2.0.2 route-map NH-OUT out"
	A6="  neighbor fd00:1::2 route-map NH-IN in
  neighbor fd00:2::2 route-map NH-OUT out"
	POL="ip prefix-list P-NH1 seq 5 permit 10.20.0.0/16 le 32
ip prefix-list P-NH2 seq 5 permit 10.21.0.0/16 le 24
ip prefix-list P-NH2 seq 10 permit 10.40.0.0/16 le 24
bgp community-list standard CL-A seq 5 permit 64500:1
bgp large-community-list standard LC-ANY seq 5 permit 64500:1:1
bgp large-community-list standard LC-ANY seq 10 permit 4200000000:1:2
route-map NH-IN permit 10
 match ip address prefix-list P-NH1
 set ip next-hop 10.1.0.5
 set community 64999:2 64999:1 64999:1
exit
route-map NH-IN permit 20
 match ip address prefix-list P-NH2
 set ip next-hop peer-address
 set community 64999:3 additive
 set large-community 64999:1:2 64999:1:1
exit
route-map NH-IN permit 30
 match community CL-A
 set community none
 set large-community 64999:9:9 additive
exit
route-map NH-IN permit 40
 match large-community LC-ANY
 set large-community none
 set community no-export additive
exit
route-map NH-IN permit 50
 set ip next-hop 10.1.0.6
 set community 64999:50 graceful-shutdown additive
exit
route-map NH-OUT permit 10
 match ip address prefix-list P-NH1
 set ip next-hop 10.2.0.7
exit
route-map NH-OUT permit 20
 match ip address prefix-list P-NH2
 set ip next-hop peer-address
 set community 64501:1 additive
 set large-community 64501:1:1 additive
exit
route-map NH-OUT permit 30
 set community 64501:2 64501:3
 set large-community none
exit"
}
# on-match next / goto, continue [N], call (permit, deny), deny entries,
# implicit deny at the end, matches that see earlier sets.
cfg_flow() {
	A4="  neighbor 10.1.0.2 route-map FLOW in
  neighbor 10.2.0.2 route-map FLOW-OUT out"
	A6="  neighbor fd00:1::2 route-map FLOW in
  neighbor fd00:2::2 route-map FLOW-OUT out"
	POL="bgp as-path access-list A-515 seq 5 permit _65515_
bgp as-path access-list A-PRIV seq 5 permit (^|_)6451[2-9]_
bgp as-path access-list A-4B seq 5 permit _1310[0-9][0-9]_
bgp as-path access-list A-ER seq 5 permit _12076_12076\$
bgp as-path access-list A-131072 seq 5 permit _131072_
bgp community-list standard CL-A seq 5 permit 64500:1
bgp large-community-list standard LC-1 seq 5 permit 64500:1:1
route-map SUB deny 10
 match as-path A-131072
exit
route-map SUB permit 20
 match metric 10
 set metric 1
exit
route-map SUB permit 30
 set community 64999:35 additive
exit
route-map FLOW permit 10
 match as-path A-515
 set metric 515
 on-match next
exit
route-map FLOW permit 20
 match metric 515
 set local-preference 515
 on-match goto 40
exit
route-map FLOW permit 25
 match as-path A-PRIV
 set local-preference 25
 continue 45
exit
route-map FLOW permit 30
 match origin incomplete
 set local-preference 30
exit
route-map FLOW permit 35
 match as-path A-4B
 set local-preference 35
 call SUB
 on-match next
exit
route-map FLOW permit 40
 match community CL-A
 set weight 40
 on-match next
exit
route-map FLOW permit 45
 match large-community LC-1
 set weight 45
exit
route-map FLOW deny 50
 match as-path A-ER
exit
route-map FLOW permit 60
 match metric 3
 set metric 60
 continue 70
exit
route-map FLOW permit 70
 match origin igp
 set metric +7
exit
route-map FLOW-OUT permit 10
 call SUB
 on-match next
exit
route-map FLOW-OUT permit 20
 match as-path A-515
 set as-path prepend 65001
exit
route-map FLOW-OUT permit 30
 match metric 1
 call NO-SUCH-MAP
 on-match goto 100
exit"
}
# Undefined references: route-map in, filter-list in, prefix-list out, and
# matches and a call naming what does not exist.
cfg_undefined() {
	SRI=0
	A4="  neighbor 10.1.0.2 route-map NO-SUCH-MAP in
  neighbor 10.2.0.2 route-map UNDEF-MATCH out"
	A6="  neighbor fd00:1::2 filter-list NO-SUCH-ACL in
  neighbor fd00:2::2 prefix-list NO-SUCH-PL6 out"
	POL="route-map UNDEF-MATCH deny 10
 match as-path NO-SUCH-ACL
exit
route-map UNDEF-MATCH deny 20
 match community NO-SUCH-CL
exit
route-map UNDEF-MATCH deny 25
 match large-community NO-SUCH-LCL
exit
route-map UNDEF-MATCH deny 30
 match ip address prefix-list NO-SUCH-PL
exit
route-map UNDEF-MATCH permit 40
 call NO-SUCH-MAP
 set metric 40
exit"
}
# as-override and next-hop-self towards the sink; allowas-in N and origin.
cfg_override_allowas() {
	SRI=0
	A4="  neighbor 10.1.0.2 allowas-in 2
  neighbor 10.2.0.2 as-override
  neighbor 10.2.0.2 next-hop-self"
	A6="  neighbor fd00:1::2 allowas-in origin
  neighbor fd00:2::2 as-override
  neighbor fd00:2::2 remove-private-AS"
	POL=""
}
# remove-private-AS all replace-AS, all; allowas-in (3).
cfg_remove_private() {
	SRI=0
	A4="  neighbor 10.1.0.2 allowas-in
  neighbor 10.2.0.2 remove-private-AS all replace-AS"
	A6="  neighbor fd00:1::2 allowas-in 1
  neighbor fd00:2::2 remove-private-AS all"
	POL=""
}
# remove-private-AS and remove-private-AS replace-AS; weight; maximum-prefix
# warning-only (exceeded); soft-reconfiguration inbound; default-originate.
cfg_neighbor_options() {
	SRI=0
	A4="  neighbor 10.1.0.2 soft-reconfiguration inbound
  neighbor 10.1.0.2 weight 300
  neighbor 10.1.0.2 maximum-prefix 10 warning-only
  neighbor 10.1.0.2 allowas-in 3
  neighbor 10.2.0.2 remove-private-AS
  neighbor 10.2.0.2 default-originate"
	A6="  neighbor fd00:1::2 weight 5
  neighbor fd00:1::2 route-map W6 in
  neighbor fd00:2::2 remove-private-AS replace-AS
  neighbor fd00:2::2 default-originate"
	POL="route-map W6 permit 10
 match as-path A-515
 set weight 1000
exit
route-map W6 permit 20
exit
bgp as-path access-list A-515 seq 5 permit _65515_"
}
# maximum-prefix-out (only the count is compared: which prefixes make it
# depends on the order they were learned).
cfg_max_prefix_out() {
	A4="  neighbor 10.2.0.2 maximum-prefix-out 7
  neighbor 10.1.0.2 maximum-prefix 1000 90"
	A6="  neighbor fd00:2::2 maximum-prefix-out 2"
	POL=""
	COUNT_ONLY="sink4 sink6"
}
# send-community: no large / extended to the IPv4 sink, no standard to the IPv6
# sink; communities added outbound.
cfg_send_community() {
	A4="  no neighbor 10.2.0.2 send-community large
  no neighbor 10.2.0.2 send-community extended
  neighbor 10.2.0.2 route-map SC-OUT out"
	A6="  no neighbor fd00:2::2 send-community
  neighbor fd00:2::2 route-map SC-OUT out"
	POL="route-map SC-OUT permit 10
 set community 64501:100 additive
 set large-community 64501:1:100 additive
exit"
}
# Everything at once on one neighbor: prefix-list, then filter-list, then the
# route-map, inbound and outbound (FRR's order), with weight and next-hop-self.
cfg_combined() {
	A4="  neighbor 10.1.0.2 prefix-list C-IN in
  neighbor 10.1.0.2 filter-list C-ACL in
  neighbor 10.1.0.2 route-map C-RM in
  neighbor 10.1.0.2 weight 7
  neighbor 10.2.0.2 prefix-list C-OUT out
  neighbor 10.2.0.2 filter-list C-ACL-OUT out
  neighbor 10.2.0.2 route-map C-RM-OUT out
  neighbor 10.2.0.2 next-hop-self"
	A6="  neighbor fd00:1::2 prefix-list C-IN6 in
  neighbor fd00:1::2 route-map C-RM in
  neighbor fd00:2::2 filter-list C-ACL-OUT out"
	POL="ip prefix-list C-IN seq 5 permit 10.0.0.0/8 le 32
ip prefix-list C-IN seq 10 permit 192.168.0.0/16 le 32
ip prefix-list C-OUT seq 5 deny 10.20.0.0/16 le 26
ip prefix-list C-OUT seq 10 permit 0.0.0.0/0 le 32
ipv6 prefix-list C-IN6 seq 5 deny 2001:db8:1::/48
ipv6 prefix-list C-IN6 seq 10 permit ::/0 le 128
bgp as-path access-list C-ACL seq 5 deny _65001_
bgp as-path access-list C-ACL seq 10 permit .
bgp as-path access-list C-ACL-OUT seq 5 deny ^64500_65515\$
bgp as-path access-list C-ACL-OUT seq 10 permit .*
bgp community-list expanded C-CE seq 5 permit 64500:[0-9]+
route-map C-RM permit 10
 match community C-CE
 set as-path prepend 64999
 set local-preference 150
exit
route-map C-RM permit 20
 match origin incomplete
 set weight 9
exit
route-map C-RM permit 30
 match metric 40
 set metric +1
exit
route-map C-RM permit 40
exit
route-map C-RM-OUT deny 10
 match as-path C-ACL-PREP
exit
route-map C-RM-OUT permit 20
 set metric +100
exit
bgp as-path access-list C-ACL-PREP seq 5 permit ^64999_"
}

# The configurations in the order they run. A "reload" one is applied to
# the running nvad as a reload of the previous one first (then started fresh).
DIFF_CONFIGS="azure_reference prefix_lists as_path_lists:reload communities metric_origin:reload
	as_path_sets nexthop_communities flow:reload undefined override_allowas remove_private
	neighbor_options max_prefix_out send_community combined:reload"

# --- the two sides -------------------------------------------------------------------
# ns_add6 NAME: a namespace whose interfaces skip IPv6 duplicate address
# detection, so their link-local addresses are usable at once (FRR resets the
# sessions of an interface whose link-local address appears late).
ns_add6() {
	ns_add "$1" && ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0
}
# no_tentative NS...: no IPv6 address of these namespaces is still tentative.
no_tentative() {
	local ns
	for ns in "$@"; do
		ip -n "$ns" -6 addr show 2>/dev/null | grep -q tentative && return 1
	done
	return 0
}
# side_net S: namespaces $P-rS (the router) and $P-eS (ExaBGP), two links.
side_net() {
	local r=$P-r$1 e=$P-e$1
	ns_add6 "$r" && ns_add6 "$e" && veth "$r" rf "$e" ef && veth "$r" rs "$e" es &&
		addr "$r" rf 10.1.0.1/24 fd00:1::1/64 && addr "$e" ef 10.1.0.2/24 fd00:1::2/64 &&
		addr "$r" rs 10.2.0.1/24 fd00:2::1/64 && addr "$e" es 10.2.0.2/24 fd00:2::2/64 &&
		wait_for 10 no_tentative "$r" "$e"
}
exa_side_start() {
	local d=$TMP/exa$1
	mkdir -p "$d" && chmod 755 "$d"
	exa_conf "$d"
	exabgp_start "$P-e$1" "$d" "exabgp_tcp_bind=10.1.0.2 10.2.0.2 fd00:1::2 fd00:2::2" exabgp_tcp_port=179
}
ROUTER_PEERS="10.1.0.2 fd00:1::2 10.2.0.2 fd00:2::2"
# probe S: a line that changes while routes move: each session's state and
# counters, and how much the sink has received.
probe() {
	local s
	if [ "$1" = 1 ]; then
		s=$(frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp ipv4 unicast summary json" \
			-c "show bgp ipv6 unicast summary json" 2>/dev/null | jq -sc 'map(.peers // {} | to_entries[] |
			"\(.key)=\(.value.state)/\(.value.pfxRcd)/\(.value.pfxSnt)") | sort | join(" ")')
	else
		s=$( { nv r2 show ip bgp summary json | jq '.ipv4Unicast'; nv r2 show bgp ipv6 unicast summary json; } 2>/dev/null |
			jq -sc 'map(.peers // {} | to_entries[] |
			"\(.key)=\(.value.state)/\(.value.pfxRcd)/\(.value.pfxSnt)") | sort | join(" ")')
	fi
	echo "$s $(wc -l <"$TMP/exa$1/exabgp-received.jsonl")"
}
all_est() { [ "$(grep -o '=Established' <<<"$1" | wc -l)" = 4 ]; }
# exa_states S: ExaBGP's last session state per router address (up, down, ...).
# A NOTIFICATION ExaBGP received counts as down once it is 2 s old (after
# one with Cease/1 ExaBGP 4.2 reports no state; before that it may still be
# tearing the session down, and a new connection then meets the old one).
exa_states() {
	grep -a '"type": "\(state\|notification\)"' "$TMP/exa$1/exabgp-received.jsonl" 2>/dev/null |
		jq -R -rn '[inputs | fromjson? | select(.type == "state" or .type == "notification") |
		{p: .neighbor.address.peer, s: (if .type == "notification" then
			(if now - .time > 2 then "down" else "closing" end) else .neighbor.state end)}] |
		group_by(.p) | map("\(.[0].p)=\(.[-1].s)") | join(" ")'
}
exa_all() { [ "$(exa_states "$1" | grep -o "=$2" | wc -l)" = 4 ]; }
exa_none_up() { ! exa_states "$1" | grep -q '=up'; }
# converge: waits until both sides have all four sessions Established and
# nothing moved for about 1.5 s (FRR sends to a new peer after 1 s), and at least
# MIN_WAIT s (at most 40 s). Prints the seconds it took.
converge() {
	local t0 p1 p2 l1= l2= n1=0 n2=0
	t0=$(date +%s.%N)
	while :; do
		p1=$(probe 1) p2=$(probe 2)
		if all_est "$p1" && exa_all 1 up && [ "$p1" = "$l1" ]; then n1=$((n1 + 1)); else n1=0; fi
		if all_est "$p2" && exa_all 2 up && [ "$p2" = "$l2" ]; then n2=$((n2 + 1)); else n2=0; fi
		l1=$p1 l2=$p2
		[ $n1 -ge 3 ] && [ $n2 -ge 3 ] && [ "$(elapsed "$t0" | cut -d. -f1)" -ge "${MIN_WAIT:-0}" ] && break
		if [ "$(elapsed "$t0" | cut -d. -f1)" -ge 40 ]; then
			say "not converged after 40 s: FRR: $p1; nvad: $p2"
			break
		fi
		sleep 0.3
	done
	elapsed "$t0"
}
# snapshot S: the side's summary: RIBs, what the sink holds, and the
# received-routes of the feeder (prefixes; null without soft-reconfiguration).
snapshot() {
	local s=$1 r4 r6 rc4 rc6
	if [ "$s" = 1 ]; then
		r4=$(frr_rib "$P-r1" "$TMP/frr1" ipv4)
		r6=$(frr_rib "$P-r1" "$TMP/frr1" ipv6)
		rc4=$(frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp ipv4 unicast neighbors 10.1.0.2 received-routes json" 2>/dev/null)
		rc6=$(frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp ipv6 unicast neighbors fd00:1::2 received-routes json" 2>/dev/null)
	else
		r4=$(nv_rib r2 ipv4)
		r6=$(nv_rib r2 ipv6)
		rc4=$(nv r2 show ip bgp neighbors 10.1.0.2 received-routes json 2>/dev/null)
		rc6=$(nv r2 show bgp ipv6 unicast neighbors fd00:1::2 received-routes json 2>/dev/null)
	fi
	jq -n -S --argjson r4 "${r4:-null}" --argjson r6 "${r6:-null}" \
		--argjson s4 "$(sink_table "$TMP/exa$s/exabgp-received.jsonl" 10.2.0.1)" \
		--argjson s6 "$(sink_table "$TMP/exa$s/exabgp-received.jsonl" fd00:2::1)" \
		--argjson c4 "$(jq -c 'if .receivedRoutes then (.receivedRoutes | keys) else null end' <<<"${rc4:-{\}}" 2>/dev/null || echo '"?"')" \
		--argjson c6 "$(jq -c 'if .receivedRoutes then (.receivedRoutes | keys) else null end' <<<"${rc6:-{\}}" 2>/dev/null || echo '"?"')" \
		'{rib4: $r4, rib6: $r6, sink4: $s4, sink6: $s6, received4: $c4, received6: $c6}'
}
# count_only FILE WHAT...: the named tables replaced by their sizes.
count_only() {
	local f=$1 w
	shift
	for w in "$@"; do
		jq -S --arg w "$w" '.[$w] |= (if type == "object" then {count: length} else . end)' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
	done
}
# compare LABEL A B: ok when equal, else the diff.
compare() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1"
		diff -u --label "${2#"$TMP"/}" --label "${3#"$TMP"/}" "$2" "$3" | head -${DIFF_LINES:-80} | sed 's/^/#   /'
	fi
}
# nvad's connectionsEstablished for every neighbor, one line.
nv_conns() {
	local n
	for n in $ROUTER_PEERS; do printf '%s=%s ' "$n" "$(nv_field r2 "$n" connectionsEstablished)"; done
}
# wait_fast SECONDS COMMAND...: wait_for, polling every 0.1 s.
wait_fast() {
	local limit=$1
	shift
	for _ in $(seq $((limit * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# The router of a side restarts only once ExaBGP has seen every session of
# the previous one go down (else ExaBGP meets the new connections as
# collisions and the feeder's session comes up seconds later). bgpd as
# lib.sh's frr_start_bgpd starts it, with a faster wait for its socket.
frr1_restart() {
	local dir=$TMP/frr1
	lib_stop "$dir" bgpd
	wait_fast 10 exa_none_up 1 || say "ExaBGP 1 still has sessions up: $(exa_states 1)"
	cp "$1" "$dir/bgpd.conf"
	if ! lib_running "$dir" zebra; then frr_start "$P-r1" "$dir"; return; fi
	rm -f "$dir/bgpd.vty"
	lib_spawn "$P-r1" "$dir/bgpd.out" /usr/lib/frr/bgpd -f "$dir/bgpd.conf" -i "$dir/bgpd.pid" \
		-z "$dir/zserv.api" --vty_socket "$dir" -u frr -g frr -p 179
	lib_pid_save "$dir" bgpd
	wait_fast 10 test -S "$dir/bgpd.vty"
}
nvad2_restart() {
	nvad_stop r2
	wait_fast 10 exa_none_up 2 || say "ExaBGP 2 still has sessions up: $(exa_states 2)"
	cp "$1" "$TMP/r2.conf"
	nvad_start r2 "$P-r2" "$TMP/r2.conf"
}

case_differential() {
	local item name mode cf t s summary want=${POLICY_CONFIGS:-} COUNT_ONLY SRI POL_FIRST MIN_WAIT c0 c1 fpid frr1_restart_done nconf=0
	mkdir -p "$TMP/frr1" "$TMP/conf" "$TMP/out"
	chmod 755 "$TMP/frr1"
	{ side_net 1 && side_net 2; } || { notok "namespaces set up"; return; }
	exa_side_start 1 && exa_side_start 2 || { notok "ExaBGP started on both sides"; dump_logs "$TMP"/exa*/exabgp.log; return; }
	ok "ExaBGP (feeder AS 64500, sink AS 64501) started on both sides: ${#FEED4[@]} IPv4 and ${#FEED6[@]} IPv6 routes"
	for item in $DIFF_CONFIGS; do
		name=${item%%:*} mode=${item#*:}
		[ "$mode" = "$item" ] && mode=fresh
		if [ -n "$want" ] && ! grep -qw -- "$name" <<<"$want"; then continue; fi
		nconf=$((nconf + 1))
		COUNT_ONLY= SRI=1 POL_FIRST=1 MIN_WAIT=0
		"cfg_$name"
		cf=$TMP/conf/$name.conf
		router_conf "$cf"
		say "=== $name ($mode)"
		if ! "$NVAD" -f "$cf" --check >"$TMP/out/$name.check" 2>&1; then
			notok "[$name] nvad --check accepts the configuration"
			sed 's/^/#   /' "$TMP/out/$name.check"
		fi
		rm -f "$TMP/frr1/bgpd.log"
		# FRR: bgpd restarted with the configuration. nvad: a reload of the
		# previous one first when asked, then a fresh start.
		# (in the background: it waits for ExaBGP and bgpd's socket meanwhile)
		frr1_restart "$cf" &
		fpid=$! frr1_restart_done=0
		if [ "$mode" = reload ] && lib_running "$TMP" r2; then
			wait $fpid || { notok "[$name] FRR's bgpd started"; dump_logs "$TMP/frr1/bgpd.out"; continue; }
			frr1_restart_done=1
			c0=$(nv_conns)
			cp "$cf" "$TMP/r2.conf"
			if nv_reload r2; then ok "[$name] nvactl reload from the previous configuration"; else
				notok "[$name] nvactl reload from the previous configuration"; fi
			t=$(converge)
			snapshot 2 >"$TMP/out/$name.reload.json"
			c1=$(nv_conns)
			expect_eq "[$name] the reload reset no session (connectionsEstablished)" "$c1" "$c0"
		fi
		nvad2_restart "$cf" || { notok "[$name] nvad started"; wait $fpid; continue; }
		if [ "$frr1_restart_done" = 0 ] && ! wait $fpid; then
			notok "[$name] FRR's bgpd started"; dump_logs "$TMP/frr1/bgpd.out"; continue
		fi
		t=$(converge)
		if grep -q "not converged" <<<"$t"; then
			notok "[$name] both sides converged ($t); the remaining configurations are not run"
			break
		fi
		snapshot 1 >"$TMP/out/$name.frr.json" &
		snapshot 2 >"$TMP/out/$name.nvad.json"
		wait $!
		if grep -E "No such command|Unknown command|\[EC [0-9]+\].*(config|command)" "$TMP/frr1/bgpd.out" "$TMP/frr1/bgpd.log" 2>/dev/null |
			grep -v "^--" | sed 's/^/#   /' | grep .; then
			notok "[$name] FRR took every line of the configuration"
		fi
		for s in frr nvad reload; do
			[ -f "$TMP/out/$name.$s.json" ] && [ -n "$COUNT_ONLY" ] && count_only "$TMP/out/$name.$s.json" $COUNT_ONLY
		done
		summary=$(jq -r '"\(.rib4 | length) IPv4 and \(.rib6 | length) IPv6 in the RIB, \(.sink4 | if has("count") then .count else length end) + \(.sink6 | if has("count") then .count else length end) at the sink"' "$TMP/out/$name.frr.json")
		say "$name: converged in $t s; FRR: $summary"
		compare "[$name] nvad's RIB, sink and received-routes equal FRR's ($summary)" \
			"$TMP/out/$name.frr.json" "$TMP/out/$name.nvad.json"
		if [ "$mode" = reload ] && [ -f "$TMP/out/$name.reload.json" ]; then
			compare "[$name] nvad after the reload equals nvad started fresh" \
				"$TMP/out/$name.nvad.json" "$TMP/out/$name.reload.json"
		fi
	done
	[ "$nconf" -ge 1 ] || notok "no configuration selected (POLICY_CONFIGS=$want)"
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/r2.log" "$TMP/frr1/bgpd.log" "$TMP/exa1/exabgp.log"
}

# ====================================================================================
# azure-relay: the reference NVA with two Route Server instances, and the
# relay between two Route Servers that both use AS 65515 (P3)
# ====================================================================================
# rs_conf DIR ROUTER_ID NVA NETWORKS...: an Azure Route Server instance played by
# FRR's bgpd: AS 65515, the NVA (AS 65001) as its only neighbor, with
# soft-reconfiguration inbound (its received-routes show what the NVA sent,
# also what its AS-loop check then drops). NETWORK+ER is sent with the path
# 65515 12076 12076 (learned from ExpressRoute).
rs_conf() {
	local dir=$1 rid=$2 nva=$3 n
	shift 3
	mkdir -p "$dir" && chmod 755 "$dir"
	{
		echo "frr defaults traditional"
		echo "hostname rs-$rid"
		echo "log file $dir/bgpd.log informational"
		echo "route-map rmap-expressroute permit 10"
		echo " set as-path prepend 12076 12076"
		echo "exit"
		echo "router bgp 65515"
		echo " bgp router-id $rid"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " neighbor $nva remote-as 65001"
		echo " neighbor $nva ebgp-multihop 255"
		echo " neighbor $nva timers connect 1"
		echo " neighbor $nva timers 3 9"
		# as Azure's: no route goes back to the NVA it came from (FRR 8.4
		# checks the path against the peer's AS only for a solo neighbor)
		echo " neighbor $nva solo"
		echo " neighbor $nva sender-as-path-loop-detection"
		echo " address-family ipv4 unicast"
		for n in "$@"; do
			case $n in
			*+ER) echo "  network ${n%+ER} route-map rmap-expressroute" ;;
			*) echo "  network $n" ;;
			esac
		done
		echo "  neighbor $nva soft-reconfiguration inbound"
		echo " exit-address-family"
		echo "exit"
	} >"$dir/bgpd.conf"
	# The instance reaches the NVA through its default route.
	printf 'hostname zebra-%s\nlog file %s/zebra.log informational\nip nht resolve-via-default\n' "$rid" "$dir" >"$dir/zebra.conf"
}
# rs_view NS DIR NVA PREFIX...: what an instance holds for these prefixes
# (AS path and origin of its best path, "absent" when it has none) and what
# the NVA sent it (received-routes: prefix -> AS path), from one vtysh call.
rs_view() {
	local ns=$1 dir=$2 nva=$3 p args=()
	shift 3
	for p in "$@"; do args+=(-c "show bgp ipv4 unicast $p json"); done
	frr_vtysh "$ns" "$dir" "${args[@]}" -c "show bgp ipv4 unicast neighbors $nva received-routes json" 2>/dev/null |
		jq -s -S -c --argjson want "$(printf '%s\n' "$@" | jq -R . | jq -s -c .)" '
		{table: (($want | map({key: ., value: "absent"}) | from_entries) +
			(map(select(.prefix != null)) | map({key: .prefix, value: (.paths | (map(select(.bestpath.overall == true)) + .)[0] |
				"\(.aspath.string) \(.origin)")}) | from_entries)),
		 received: (.[-1].receivedRoutes // {} | map_values(.path))}'
}

# --- (1) the reference configuration --------------------------------------------------
azure_reference_case() {
	local n=$P-nva f=$P-fab r0=$P-rs0 r1=$P-rs1 i rs d v ref=$SEED_DIR/p2-vm-hub00.frr.conf
	{
		ns_add "$n" && ns_add "$f" && ns_add "$r0" && ns_add "$r1" &&
			veth "$n" eth0 "$f" nva && addr "$n" eth0 10.0.0.4/24 && addr "$f" nva 10.0.0.1/24 &&
			ip -n "$n" route add default via 10.0.0.1 &&
			ip -n "$f" link add rss type bridge && addr "$f" rss 10.0.210.1/24 && ip -n "$f" link set rss up &&
			ip netns exec "$f" sysctl -qw net.ipv4.ip_forward=1
	} || { notok "(1) namespaces set up"; return; }
	for i in 0 1; do
		rs=$P-rs$i
		veth "$rs" eth0 "$f" "ars$i" && addr "$rs" eth0 "10.0.210.$((4 + i))/24" &&
			ip -n "$rs" route add default via 10.0.210.1 && ip -n "$f" link set "ars$i" master rss ||
			{ notok "(1) namespaces set up"; return; }
	done
	rs_conf "$TMP/rs0" 10.0.210.4 10.0.0.4 10.0.0.0/16 10.100.0.0/16+ER
	rs_conf "$TMP/rs1" 10.0.210.5 10.0.0.4 10.0.0.0/16 10.100.0.0/16+ER
	frr_start "$r0" "$TMP/rs0" && frr_start "$r1" "$TMP/rs1" || { notok "(1) FRR Route Servers started"; return; }
	cp "$ref" "$TMP/nva.conf"
	nvad_start nva "$n" "$TMP/nva.conf" || { notok "(1) nvad started with the reference configuration"; return; }
	ok "(1) nvad (10.0.0.4, AS 65001) with $(basename "$ref") unchanged; FRR as Route Server 10.0.210.4 and .5 (AS 65515, ebgp-multihop)"
	if wait_for 20 eval 'nv_est nva 10.0.210.4 && nv_est nva 10.0.210.5'; then
		ok "(1) nvad: sessions with 10.0.210.4 and 10.0.210.5 Established"
	else
		notok "(1) nvad: sessions with 10.0.210.4 and 10.0.210.5 Established"; dump_logs "$TMP/nva.log"; return
	fi
	for i in 0 1; do
		rs=10.0.210.$((4 + i)) d=$TMP/rs$i
		if wait_for 15 eval '[ "$(rs_view "$P-rs$i" "$d" 10.0.0.4 10.10.0.0/16 | jq -r ".table[\"10.10.0.0/16\"]")" = "65001 incomplete" ]'; then :; fi
		v=$(rs_view "$P-rs$i" "$d" 10.0.0.4 10.10.0.0/16 10.0.210.0/24)
		expect_eq "(1) Route Server $rs holds 10.10.0.0/16 from nvad with AS path 65001, origin incomplete, and no 10.0.210.0/24" \
			"$(jq -c .table <<<"$v")" '{"10.0.210.0/24":"absent","10.10.0.0/16":"65001 incomplete"}'
		expect_eq "(1) Route Server $rs received exactly 10.10.0.0/16 from nvad (its received-routes)" \
			"$(jq -c '.received | keys' <<<"$v")" '["10.10.0.0/16"]'
		expect_eq "(1) nvad advertises exactly 10.10.0.0/16 to $rs (advertised-routes)" \
			"$(nv nva show ip bgp neighbors "$rs" advertised-routes json | jq -c '.advertisedRoutes // {} | map_values("\(.path) \(.bgpOriginCode)")')" \
			'{"10.10.0.0/16":" ?"}'
		wait_for 10 eval '[ "$(nv nva show ip bgp neighbors '"$rs"' received-routes json | jq ".receivedRoutes // {} | length")" = 2 ]'
		expect_eq "(1) nvad received 10.0.0.0/16 (65515) and 10.100.0.0/16 (65515 12076 12076) from $rs" \
			"$(nv nva show ip bgp neighbors "$rs" received-routes json | jq -c '.receivedRoutes // {} | map_values(.path)')" \
			'{"10.0.0.0/16":"65515","10.100.0.0/16":"65515 12076 12076"}'
	done
	expect_eq "(1) nvad's RIB: both prefixes from both instances, paths 65515 and 65515 12076 12076" \
		"$(nv nva show ip bgp json | jq -c '.routes | with_entries(select(.key == "10.0.0.0/16" or .key == "10.100.0.0/16")) |
			map_values(map("\(.peerId) \(.path)") | sort)')" \
		'{"10.0.0.0/16":["10.0.210.4 65515","10.0.210.5 65515"],"10.100.0.0/16":["10.0.210.4 65515 12076 12076","10.0.210.5 65515 12076 12076"]}'
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/nva.log" "$TMP/rs0/bgpd.log"
}

# --- (2)(3) the relay between two Route Servers in AS 65515 ----------------------------------
# Per side S (1: FRR is the NVA, 2: nvad is): $P-hS the hub's Route Server
# (10.0.210.4, originating 10.0.0.0/16 and 10.100.0.0/16 via ExpressRoute),
# $P-sS the spoke's (10.1.210.4, originating 10.1.0.0/16), $P-nS the NVA
# (AS 65001; 10.0.210.10 and 10.1.210.10).
relay_net() {
	local s=$1 n=$P-n$1 h=$P-h$1 k=$P-s$1
	ns_add "$n" && ns_add "$h" && ns_add "$k" &&
		veth "$n" hub "$h" nva && veth "$n" spoke "$k" nva &&
		addr "$n" hub 10.0.210.10/24 && addr "$h" nva 10.0.210.4/24 &&
		addr "$n" spoke 10.1.210.10/24 && addr "$k" nva 10.1.210.4/24 &&
		ip -n "$h" route add default via 10.0.210.10 && ip -n "$k" route add default via 10.1.210.10
}
# relay_conf FILE VARIANT: the NVA's configuration, the same for FRR and nvad.
relay_conf() {
	local p
	{
		echo "frr defaults traditional"
		echo "hostname nva-relay"
		echo "log file $TMP/nva1/bgpd.log informational"
		case $2 in
		exclude)
			echo "route-map RELAY permit 10"
			echo " set as-path exclude 65515"
			echo "exit" ;;
		deny-override)
			echo "bgp as-path access-list azure-asns seq 5 permit _65515_"
			echo "route-map NO-AZURE deny 5"
			echo " match as-path azure-asns"
			echo "exit"
			echo "route-map NO-AZURE permit 10"
			echo "exit" ;;
		esac
		echo "router bgp 65001"
		echo " bgp router-id 10.0.210.10"
		echo " no bgp ebgp-requires-policy"
		for p in 10.0.210.4 10.1.210.4; do
			echo " neighbor $p remote-as 65515"
			echo " neighbor $p timers 3 9"
			echo " neighbor $p timers connect 1"
		done
		echo " address-family ipv4 unicast"
		for p in 10.0.210.4 10.1.210.4; do
			case $2 in
			as-override) echo "  neighbor $p as-override" ;;
			exclude) echo "  neighbor $p route-map RELAY out" ;;
			deny-override) echo "  neighbor $p as-override"; echo "  neighbor $p route-map NO-AZURE out" ;;
			esac
		done
		echo " exit-address-family"
		echo "exit"
	} >"$1"
}
# relay_view S: both Route Servers' view of the other side's prefixes.
relay_view() {
	jq -n -S -c --argjson h "$(rs_view "$P-h$1" "$TMP/hub$1" 10.0.210.10 10.1.0.0/16)" \
		--argjson k "$(rs_view "$P-s$1" "$TMP/spoke$1" 10.1.210.10 10.0.0.0/16 10.100.0.0/16)" '{hub: $h, spoke: $k}'
}
relay_settle() {
	local t0 l1= l2= v1 v2 n=0
	t0=$(date +%s.%N)
	while :; do
		v1=$(relay_view 1) v2=$(relay_view 2)
		if [ "$v1$v2" = "$l1$l2" ]; then n=$((n + 1)); else n=0; fi
		l1=$v1 l2=$v2
		# FRR as the NVA sends 1 s after its sessions come up (1 s after start)
		[ $n -ge 3 ] && [ "$(elapsed "$t0" | cut -d. -f1)" -ge 3 ] && break
		[ "$(elapsed "$t0" | cut -d. -f1)" -ge 30 ] && { say "relay: not settled after 30 s"; break; }
		sleep 0.3
	done
}
relay_case() {
	local s v variant want fpid
	mkdir -p "$TMP/nva1" && chmod 755 "$TMP/nva1"
	for s in 1 2; do
		relay_net $s || { notok "(2) namespaces set up"; return; }
		rs_conf "$TMP/hub$s" 10.0.210.4 10.0.210.10 10.0.0.0/16 10.100.0.0/16+ER
		rs_conf "$TMP/spoke$s" 10.1.210.4 10.1.210.10 10.1.0.0/16
		frr_start "$P-h$s" "$TMP/hub$s" && frr_start "$P-s$s" "$TMP/spoke$s" ||
			{ notok "(2) FRR Route Servers started"; return; }
	done
	ok "(2) two sides, each with a hub and a spoke Route Server (FRR, AS 65515); NVA AS 65001: FRR on side 1, nvad on side 2"
	# variant, then what the hub instance holds for the spoke's prefix and
	# what the spoke instance holds for the hub's two, as FRR 8.4 as the NVA
	# does it. (3) deny-override: FRR applies as-override (and
	# remove-private-AS) before the outbound route-map, so `match as-path
	# _65515_` sees 65001 there and the routes are relayed.
	for want in \
		'none|{"10.1.0.0/16":"absent"}|{"10.0.0.0/16":"absent","10.100.0.0/16":"absent"}' \
		'as-override|{"10.1.0.0/16":"65001 65001 IGP"}|{"10.0.0.0/16":"65001 65001 IGP","10.100.0.0/16":"65001 65001 12076 12076 IGP"}' \
		'exclude|{"10.1.0.0/16":"65001 IGP"}|{"10.0.0.0/16":"65001 IGP","10.100.0.0/16":"65001 12076 12076 IGP"}' \
		'deny-override|{"10.1.0.0/16":"65001 65001 IGP"}|{"10.0.0.0/16":"65001 65001 IGP","10.100.0.0/16":"65001 65001 12076 12076 IGP"}'; do
		IFS='|' read -r variant wh wk <<<"$want"
		relay_conf "$TMP/relay-$variant.conf" "$variant"
		rm -f "$TMP/nva1/bgpd.log"
		( lib_stop "$TMP/nva1" bgpd; cp "$TMP/relay-$variant.conf" "$TMP/nva1/bgpd.conf"
		  if lib_running "$TMP/nva1" zebra; then frr_start_bgpd "$P-n1" "$TMP/nva1"; else frr_start "$P-n1" "$TMP/nva1"; fi ) &
		fpid=$!
		nvad_stop nva2
		nvad_start nva2 "$P-n2" "$TMP/relay-$variant.conf" || notok "(2) [$variant] nvad started"
		wait $fpid || notok "(2) [$variant] FRR (the NVA) started"
		relay_settle
		v1=$(relay_view 1) v2=$(relay_view 2)
		say "[$variant] FRR as the NVA: $v1"
		say "[$variant] nvad as the NVA: $v2"
		for s in 1 2; do
			v=$v1 who=FRR
			[ $s = 2 ] && v=$v2 who=nvad
			expect_eq "(2) [$variant] $who as the NVA: the hub Route Server holds the spoke's prefix as" \
				"$(jq -c .hub.table <<<"$v")" "$wh"
			expect_eq "(2) [$variant] $who as the NVA: the spoke Route Server holds the hub's prefixes as" \
				"$(jq -c .spoke.table <<<"$v")" "$wk"
		done
		# What each instance received from the NVA (its received-routes),
		# the spoke's prefix at the hub and the hub's at the spoke: also
		# what the AS-loop check dropped.
		expect_eq "(2) [$variant] nvad as the NVA sent the hub Route Server the spoke's prefix as FRR does (received-routes)" \
			"$(jq -c '.hub.received | with_entries(select(.key == "10.1.0.0/16"))' <<<"$v2")" \
			"$(jq -c '.hub.received | with_entries(select(.key == "10.1.0.0/16"))' <<<"$v1")"
		expect_eq "(2) [$variant] nvad as the NVA sent the spoke Route Server the hub's prefixes as FRR does (received-routes)" \
			"$(jq -c '.spoke.received | with_entries(select(.key != "10.1.0.0/16"))' <<<"$v2")" \
			"$(jq -c '.spoke.received | with_entries(select(.key != "10.1.0.0/16"))' <<<"$v1")"
		# FRR also sends an instance's own prefixes back to it.
		expect_eq "(2) [$variant] nvad, as FRR, sends each instance's own prefixes back to it (received-routes)" \
			"$(jq -c '[(.hub.received | with_entries(select(.key != "10.1.0.0/16"))), (.spoke.received | with_entries(select(.key == "10.1.0.0/16")))]' <<<"$v2")" \
			"$(jq -c '[(.hub.received | with_entries(select(.key != "10.1.0.0/16"))), (.spoke.received | with_entries(select(.key == "10.1.0.0/16")))]' <<<"$v1")"
	done
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/nva2.log" "$TMP/nva1/bgpd.log"
}

case_azure_relay() {
	azure_reference_case
	relay_case
}

# ====================================================================================
# options: maximum-prefix, allowas-in, enforce-first-as, default-originate;
# FRR (side 1) and nvad (side 2) with the same configuration, as in
# differential, each expectation checked on both
# ====================================================================================
# The feeder's routes at the start; OPT_LATER4/6 are announced once the
# first ones are accepted, so that the limit is crossed by a later UPDATE
# (FRR checks maximum-prefix when a prefix arrives, against the prefixes
# already counted; those of the first UPDATEs are counted only once their
# next hop is resolved, so a limit crossed at the start can go unnoticed).
OPT_FEED4=(
	"10.60.1.0/24 10.1.0.2 origin igp as-path [ 64500 65001 ]"
	"10.60.2.0/24 10.1.0.2 origin igp as-path [ 64500 65001 65001 ]"
	"10.60.3.0/24 10.1.0.2 origin igp as-path [ 64500 65001 65001 65001 ]"
	"10.60.5.0/24 10.1.0.2 origin igp as-path [ 64500 ]"
)
for _i in 0 1 2 3 4 5 6; do OPT_FEED4+=("10.61.$_i.0/24 10.1.0.2 origin igp as-path [ 64500 ] med $_i"); done
OPT_LATER4=()
for _i in 7 8 9; do OPT_LATER4+=("10.61.$_i.0/24 next-hop 10.1.0.2 origin igp as-path [ 64500 ] med $_i"); done
OPT_LAST4="10.62.0.0/24 next-hop 10.1.0.2 origin igp as-path [ 64500 ] med 99"
OPT_FEED6=(
	"2001:db8:60::/48 fd00:1::2 origin igp as-path [ 64500 ]"
	"2001:db8:61::/48 fd00:1::2 origin igp as-path [ 65010 64500 ]"
)
for _i in 2 3 4; do OPT_FEED6+=("2001:db8:6$_i::/48 fd00:1::2 origin igp as-path [ 64500 ] med $_i"); done
OPT_LATER6=()
for _i in 5 6 7; do OPT_LATER6+=("2001:db8:6$_i::/48 next-hop fd00:1::2 origin igp as-path [ 64500 ] med $_i"); done
# o_later announce|withdraw [4|6|last]: the later routes, on both sides.
o_later() {
	local s r
	for s in 1 2; do
		{
			case ${2:-46} in *4*) for r in "${OPT_LATER4[@]}"; do echo "neighbor 10.1.0.1 $1 route $r"; done ;; esac
			case ${2:-46} in *6*) for r in "${OPT_LATER6[@]}"; do echo "neighbor fd00:1::1 $1 route $r"; done ;; esac
			case ${2:-46} in *last*) echo "neighbor 10.1.0.1 $1 route $OPT_LAST4" ;; esac
		} >>"$TMP/exa$s/exabgp-cmds.txt"
	done
}

# Per side: the state of a neighbor, its connectionsEstablished, whether a
# prefix is in the table, the side's log.
o_state() {
	if [ "$1" = 1 ]; then frr_state "$P-r1" "$TMP/frr1" "$2"; else nv_field r2 "$2" bgpState; fi
}
o_conns() {
	if [ "$1" = 1 ]; then
		frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp neighbors $2 json" 2>/dev/null | jq -r --arg n "$2" '.[$n].connectionsEstablished // 0'
	else nv_field r2 "$2" connectionsEstablished; fi
}
o_has() {
	local afi=ipv4
	case $2 in *:*) afi=ipv6 ;; esac
	if [ "$1" = 1 ]; then
		frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp $afi unicast $2 json" 2>/dev/null | jq -e '.paths | length > 0' >/dev/null
	else
		[ -n "$(nv r2 show bgp $afi unicast "$2" json 2>/dev/null | jq -r '.paths // [] | .[0] // empty')" ]
	fi
}
o_log() { if [ "$1" = 1 ]; then echo "$TMP/frr1/bgpd.log"; else echo "$TMP/r2.log"; fi; }
o_who() { if [ "$1" = 1 ]; then echo FRR; else echo nvad; fi; }
o_est() { [ "$(o_state "$1" "$2")" = Established ]; }
o_clear() {
	if [ "$1" = 1 ]; then frr_vtysh "$P-r1" "$TMP/frr1" -c "clear bgp $2" >/dev/null; else nv r2 clear ip bgp "$2" >/dev/null; fi
}
# o_start NAME: both routers (re)started with the configuration in A4/A6/NBR.
o_start() {
	local cf=$TMP/conf/$1.conf
	SRI=0 POL_FIRST=1 POL=
	router_conf "$cf"
	rm -f "$TMP/frr1/bgpd.log"
	frr1_restart "$cf" & fpid=$!
	nvad2_restart "$cf" || notok "[$1] nvad started"
	wait $fpid || notok "[$1] FRR's bgpd started"
}
# o_notif S PEER: ExaBGP of side S received a NOTIFICATION code/subcode from PEER.
o_notif() {
	jq -R -r --arg p "$2" 'fromjson? | select(.type == "notification" and .neighbor.address.peer == $p) |
		"\(.neighbor.notification.code)/\(.neighbor.notification.subcode)"' "$TMP/exa$1/exabgp-received.jsonl" 2>/dev/null | tail -1
}

# Configurations FRR 8.4 refuses: nvad --check must refuse them too.
o_refused_by_frr() {
	local line=$1 f=$TMP/conf/refused.conf out
	printf 'route-map X permit 10\n%s\nexit\n' "$line" >"$f"
	out=$(/usr/lib/frr/bgpd -C -f "$f" 2>&1)
	if grep -q "Failed\|Incomplete\|No such command\|error" <<<"$out"; then
		if "$NVAD" -f "$f" --check >/dev/null 2>&1; then
			notok "route-map clause '$line': FRR 8.4 refuses it ($(grep -m1 'Incomplete\|range\|No such' <<<"$out" | sed 's/.*\] //' | cut -c1-90)); nvad --check must too (it accepts it)"
		else
			ok "route-map clause '$line': refused by FRR 8.4 and by nvad --check"
		fi
	else
		say "route-map clause '$line': FRR 8.4 accepts it (not checked)"
	fi
}

case_options() {
	local s t0 c0 c1 held ok1 fpid down w v n0
	mkdir -p "$TMP/frr1" "$TMP/conf"
	chmod 755 "$TMP/frr1"
	o_refused_by_frr " match metric 0"
	o_refused_by_frr " continue"
	FEED4=("${OPT_FEED4[@]}") FEED6=("${OPT_FEED6[@]}")
	{ side_net 1 && side_net 2; } || { notok "namespaces set up"; return; }
	exa_side_start 1 && exa_side_start 2 || { notok "ExaBGP started on both sides"; return; }

	# --- A: allowas-in 2 and maximum-prefix 10 warning-only on the IPv4
	# feeder (10 prefixes accepted, then 13); maximum-prefix 5 restart 1 on
	# the IPv6 feeder (5, then 8); default-originate to both sinks.
	NBR=
	A4="  neighbor 10.1.0.2 allowas-in 2
  neighbor 10.1.0.2 maximum-prefix 10 warning-only
  neighbor 10.2.0.2 default-originate"
	A6="  neighbor fd00:1::2 maximum-prefix 5 restart 1
  neighbor fd00:2::2 default-originate"
	o_start options-a
	if wait_for 15 eval 'o_has 1 10.61.6.0/24 && o_has 2 10.61.6.0/24 && o_has 1 2001:db8:64::/48 && o_has 2 2001:db8:64::/48'; then
		ok "[A] both: the first 10 IPv4 and 5 IPv6 prefixes accepted (at the limits)"
	else
		notok "[A] both: the first 10 IPv4 and 5 IPv6 prefixes accepted (at the limits)"
	fi
	sleep 0.5
	o_later announce
	for s in 1 2; do
		w=$(o_who $s)
		if wait_for 15 eval '[ -n "$(o_notif '$s' fd00:1::1)" ]'; then :; fi
		expect_eq "[A] $w: maximum-prefix 5 restart 1, 8 IPv6 prefixes: NOTIFICATION Cease/1 to the feeder (as ExaBGP got it)" \
			"$(o_notif $s fd00:1::1)" 6/1
	done
	down=$(date +%s.%N)
	# Meanwhile: warning-only, allowas-in, default-originate.
	wait_for 10 eval 'o_has 1 10.61.9.0/24 && o_has 2 10.61.9.0/24'
	sleep 1
	for s in 1 2; do
		w=$(o_who $s)
		check "[A] $w: maximum-prefix 10 warning-only, 13 prefixes: the IPv4 feeder stays Established" o_est $s 10.1.0.2
		check "[A] $w: the threshold (75 %) is logged ($(grep -a -m1 'MAXPFX:.*10.1.0.2\|10.1.0.2.*% of the limit' "$(o_log $s)" | sed 's/^.*\] //; s/^.*nvad //' | cut -c1-100))" \
			eval 'grep -a -q "MAXPFX:.*10.1.0.2\|10.1.0.2.*% of the limit" "$(o_log '$s')"'
		check "[A] $w: exceeding the limit is logged ($(grep -a -m1 -i 'MAXPFXEXCEED.*10.1.0.2\|10.1.0.2.*exceed' "$(o_log $s)" | sed 's/^.*\] //; s/^.*nvad //' | cut -c1-100))" \
			eval 'grep -a -qi "MAXPFXEXCEED.*10.1.0.2\|10.1.0.2.*exceed" "$(o_log '$s')"'
		check "[A] $w: allowas-in 2 accepts 64500 65001 and 64500 65001 65001" eval 'o_has '$s' 10.60.1.0/24 && o_has '$s' 10.60.2.0/24'
		check "[A] $w: allowas-in 2 rejects 64500 65001 65001 65001" eval '! o_has '$s' 10.60.3.0/24'
		v=$(sink_table "$TMP/exa$s/exabgp-received.jsonl" 10.2.0.1 | jq -c '.["0.0.0.0/0"] // {} | {"as-path", origin, nh}')
		expect_eq "[A] $w: default-originate: the IPv4 sink got 0.0.0.0/0" "$v" '{"as-path":[65001],"origin":"igp","nh":"10.2.0.1"}'
		v=$(sink_table "$TMP/exa$s/exabgp-received.jsonl" fd00:2::1 | jq -c '.["::/0"] // {} | {"as-path", origin, nh}')
		expect_eq "[A] $w: default-originate: the IPv6 sink got ::/0" "$v" '{"as-path":[65001],"origin":"igp","nh":"fd00:2::1"}'
		v=$(sink_table "$TMP/exa$s/exabgp-received.jsonl" 10.1.0.1 | jq -c 'has("0.0.0.0/0")')
		expect_eq "[A] $w: default-originate: the IPv4 feeder (no default-originate) did not get 0.0.0.0/0" "$v" false
	done
	# Held down more than 10 s, the log naming 60 s.
	held=1
	while [ "$(elapsed "$down" | cut -d. -f1)" -lt 11 ]; do
		for s in 1 2; do
			if o_est $s fd00:1::2; then held=0; say "$(o_who $s): fd00:1::2 Established again after $(elapsed "$down") s"; fi
		done
		sleep 0.5
	done
	for s in 1 2; do
		w=$(o_who $s)
		check "[A] $w: maximum-prefix restart 1: the IPv6 feeder held down for more than 10 s" \
			eval '[ "$held" = 1 ] && ! o_est '$s' fd00:1::2'
	done
	check "[A] nvad: the log says the session is held down for 60 s ($(grep -a -m1 'fd00:1::2.*held down for 60 s' "$TMP/r2.log" | sed 's/^.*nvad //'))" \
		grep -a -q 'fd00:1::2.*held down for 60 s' "$TMP/r2.log"
	# FRR logs its restart timer only with debugging on; its neighbor shows it.
	v=$(frr_vtysh "$P-r1" "$TMP/frr1" -c "show bgp neighbors fd00:1::2" 2>/dev/null | grep -m1 -i 'will restart in')
	check "[A] FRR: the neighbor shows the restart timer ($(echo $v))" test -n "$v"

	# --- B: maximum-prefix 10 (no warning-only) on the IPv4 feeder: torn
	# down, stays down, `clear ip bgp` brings it back; enforce-first-as on
	# the IPv6 feeder (one path starts with 65010, not 64500).
	NBR=" neighbor fd00:1::2 enforce-first-as"
	A4="  neighbor 10.1.0.2 maximum-prefix 10"
	A6=
	o_later withdraw 4
	o_start options-b
	if wait_for 15 eval 'o_has 1 10.61.6.0/24 && o_has 2 10.61.6.0/24'; then
		ok "[B] both: the first 8 IPv4 prefixes accepted"
	else
		notok "[B] both: the first 8 IPv4 prefixes accepted"
	fi
	n0="$(o_notif 1 10.1.0.1) $(o_notif 2 10.1.0.1)"
	sleep 0.5
	# 11 prefixes, limit 10. FRR 8.4 checks the limit before it counts the
	# prefix that arrives, so it cuts the session only when a prefix arrives
	# while it already holds more than 10 (the 12th).
	o_later announce 4
	wait_for 5 eval 'o_has 1 10.61.9.0/24'
	sleep 1.5
	expect_eq "[B] nvad, as FRR: maximum-prefix 10 and 11 prefixes: the session's state" "$(o_state 2 10.1.0.2)" "$(o_state 1 10.1.0.2)"
	o_later announce last
	for s in 1 2; do
		w=$(o_who $s)
		wait_for 10 eval '[ "$(o_notif '$s' 10.1.0.1)" != "${n0% *}" ] && [ -n "$(o_notif '$s' 10.1.0.1)" ]'
		expect_eq "[B] $w: maximum-prefix 10, then 12 IPv4 prefixes: NOTIFICATION Cease/1 to the feeder (as ExaBGP got it)" "$(o_notif $s 10.1.0.1)" 6/1
	done
	c0="$(o_conns 1 10.1.0.2) $(o_conns 2 10.1.0.2)"
	down=$(date +%s.%N)
	wait_for 10 eval 'o_est 1 fd00:1::2 && o_est 2 fd00:1::2 && o_has 1 2001:db8:67::/48 && o_has 2 2001:db8:67::/48'
	sleep 1
	for s in 1 2; do
		w=$(o_who $s)
		check "[B] $w: enforce-first-as: 2001:db8:61::/48 (path 65010 64500 from AS 64500) not accepted" eval '! o_has '$s' 2001:db8:61::/48'
		check "[B] $w: enforce-first-as: the other IPv6 prefixes accepted" eval 'o_has '$s' 2001:db8:60::/48 && o_has '$s' 2001:db8:67::/48'
		expect_eq "[B] $w: enforce-first-as: the IPv6 session stays up (the route is treated as withdrawn)" \
			"$(o_state $s fd00:1::2)" Established
	done
	while [ "$(elapsed "$down" | cut -d. -f1)" -lt 4 ]; do sleep 0.5; done
	c1="$(o_conns 1 10.1.0.2) $(o_conns 2 10.1.0.2)"
	for s in 1 2; do
		check "[B] $(o_who $s): maximum-prefix 10: the IPv4 feeder stays down (4 s, no new connection)" \
			eval '! o_est '$s' 10.1.0.2 && [ "$c1" = "$c0" ]'
	done
	for s in 1 2; do
		w=$(o_who $s)
		c0=$(o_conns $s 10.1.0.2)
		o_clear $s 10.1.0.2
		if wait_for 10 eval '[ "$(o_conns '$s' 10.1.0.2)" -gt "$c0" ]'; then
			ok "[B] $w: clear ip bgp 10.1.0.2 brings the session back (connectionsEstablished $c0 -> $(o_conns $s 10.1.0.2))"
		else
			notok "[B] $w: clear ip bgp 10.1.0.2 brings the session back (connectionsEstablished stays $c0)"
		fi
	done
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/r2.log" "$TMP/frr1/bgpd.log"
}

# ====================================================================================
# For debugging: the namespaces ($P) stay up this long.
policy_hold() { [ -z "${POLICY_HOLD:-}" ] || { say "holding $P for $POLICY_HOLD s"; sleep "$POLICY_HOLD"; }; }
case $CASE in
differential) case_differential ;;
azure-relay) case_azure_relay ;;
options) case_options ;;
esac
policy_hold
# Every nvad still running: stops cleanly on SIGTERM, no sanitizer report.
for f in "$TMP"/*.lpid; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .lpid)
	[ -f "$TMP/$n.nvconf" ] || continue # not an nvad
	pid=$(cat "$f")
	kill -0 "$pid" 2>/dev/null || continue
	kill -TERM "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then notok "nvad $n stopped on SIGTERM"; fi
done
for f in "$TMP"/*.log; do
	[ -f "$f" ] || continue
	if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$f"; then
		notok "no sanitizer report in $(basename "$f")"
		grep -A20 -m1 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$f" | sed 's/^/#   /'
	fi
done
say "$CASE: $(elapsed "$T0") s"
finish
