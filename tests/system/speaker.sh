#!/bin/bash
# speaker.sh: nvad as a BGP speaker, in network namespaces, against itself and
# against real BGP daemons.
#
#   speaker.sh CASE NVAD NVACTL
#
# CASE: nvad-nvad | frr | bird | gobgp | openbgpd | exabgp | security | privileges |
#       rfc7606 | config | ebgp-policy | keepalive-under-load (README.md describes each).
# Prints `ok - ...` / `not ok - ...` lines and `N passed, M failed`; exit 1
# when something failed, 77 (skipped) when not root or a needed program is
# missing. Every daemon runs in a namespace made here, with its configuration,
# sockets and logs in a temporary directory (kept on failure or with
# KEEP_TMP=1); nvad runs with --log-level debug --no-kernel.
# Environment: NVAD_SRC_ROOT (the source tree; default: two levels up),
# NVAD_SEED_DIR (the seed configurations; default <source root>/../shared/
# seed/reference), LOAD_PREFIXES (keepalive-under-load's table, 200000).
set -u

CASE=${1:?usage: speaker.sh CASE NVAD NVACTL}
NVAD=$(readlink -f "${2:?nvad path}")
NVACTL=$(readlink -f "${3:?nvactl path}")
HERE=$(dirname "$(readlink -f "$0")")
SRC_ROOT=${NVAD_SRC_ROOT:-$(cd "$HERE/../.." && pwd)}
SEED_DIR=${NVAD_SEED_DIR:-$SRC_ROOT/../shared/seed/reference}

. "$HERE/lib.sh"

NSA=nvs-$$-a
NSB=nvs-$$-b
NSR=nvs-$$-r
NSC=nvs-$$-c
T0=$(date +%s.%N)

# --- preconditions ---------------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
[ -x "$NVAD" ] || skip "nvad not built: $NVAD"
[ -x "$NVACTL" ] || skip "nvactl not built: $NVACTL"
need_frr() { [ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v vtysh >/dev/null ||
	skip "frr not installed"; }
case $CASE in
nvad-nvad | config | ebgp-policy | redistribute | graceful-restart) ;;
rfc7606) command -v python3 >/dev/null || skip "python3 not installed" ;;
privileges)
	command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	;;
frr) need_frr ;;
bird) command -v bird >/dev/null && command -v birdc >/dev/null || skip "bird2 not installed" ;;
gobgp) command -v gobgpd >/dev/null && command -v gobgp >/dev/null || skip "gobgpd not installed" ;;
exabgp) command -v exabgp >/dev/null || skip "exabgp not installed" ;;
openbgpd) [ -x "$(openbgpd_bin)" ] && command -v bgpctl >/dev/null || skip "openbgpd not installed" ;;
security)
	need_frr
	command -v python3 >/dev/null || skip "python3 not installed"
	;;
keepalive-under-load)
	need_frr
	command -v bird >/dev/null || skip "bird2 not installed (the feeder)"
	;;
*) echo "speaker.sh: unknown case '$CASE'" >&2; exit 2 ;;
esac

lib_init "sp-$CASE"

# nvad_start NAME NS [OPTIONS...]: nvad with $TMP/NAME.conf, routes kept out of the kernel
# (nvad_spawn, nvad_kill and nv are in lib.sh).
nvad_start() { nvad_spawn "$1" "$2" "$TMP/$1.conf" --no-kernel "${@:3}"; }

# nv_nbr NAME PEER: the neighbor's JSON (show ip bgp neighbors PEER json).
nv_nbr() { nv "$1" show ip bgp neighbors "$2" json 2>/dev/null | jq -c --arg n "$2" '.[$n] // empty'; }
# nv_field NAME PEER FIELD: one field of it.
nv_field() { nv_nbr "$1" "$2" | jq -r ".$3 // empty"; }
nv_est() { [ "$(nv_field "$1" "$2" bgpState)" = Established ]; }
nv_not_est() { ! nv_est "$@"; }
# nv_route NAME PREFIX: the best path, in lib.sh's shape.
nv_route() {
	local cmd="show ip bgp json"
	case $2 in *:*) cmd="show bgp ipv6 unicast json" ;; esac
	nv "$1" $cmd 2>/dev/null | jq -c --arg p "$2" '(.routes[$p] // []) |
		(map(select(.bestpath)) + .)[0] // empty |
		{asPath: .path, origin: .origin, med: .metric, nextHop: .nexthops[0].ip}'
}
# nv_stale NAME PREFIX: true when the path is kept stale (graceful restart).
nv_stale() {
	nv "$1" show ip bgp json 2>/dev/null | jq -r --arg p "$2" '.routes[$p][0].stale // false'
}
# nv_pfxrcd NAME PEER: prefixes accepted from the peer in its family.
nv_pfxrcd() {
	local cmd="show ip bgp summary json" key=ipv4Unicast
	case $2 in *:*) cmd="show bgp ipv6 summary json" key=ipv6Unicast ;; esac
	nv "$1" $cmd 2>/dev/null | jq -r --arg n "$2" --arg k "$key" '.[$k].peers[$n].pfxRcd // 0'
}
nv_log() { cat "$TMP/$1.log" 2>/dev/null; }
# nv_reload NAME: nvactl reload, its answer shown as a comment.
nv_reload() {
	local out rc
	out=$(nv "$1" reload 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   reload: /'
	return $rc
}

# nvad_conf FILE: a configuration from these variables:
#   C_HOST C_AS C_RID; C_PEERS (addresses) C_PEERAS; C_L (letter: a, b) and
#   C_N (digit) naming the prefixes; C_PASSIVE, C_EXTRA (the withdrawable
#   prefixes), C_POLICY (1: keep FRR's default ebgp-requires-policy) as 0/1;
#   C_TIMERS; C_NBR (more neighbor lines, "%s" for the address), C_AFNBR
#   (the same in its address family);
#   C_GLOBAL (more lines in router bgp).
# Prefixes: network 10.10N.0.0/16 and 2001:db8:L0::/48 (origin IGP, MED 0),
# static 10.20N.0.0/16 and 2001:db8:L1::/48 (redistribute static metric 77:
# origin incomplete, MED 77), extra 10.11N.0.0/16 and 2001:db8:L2::/48.
nvad_conf() {
	local p f
	{
		echo "frr defaults traditional"
		echo "hostname $C_HOST"
		echo "ip route 10.20$C_N.0.0/16 blackhole"
		echo "ipv6 route 2001:db8:${C_L}1::/48 blackhole"
		echo "!"
		echo "router bgp $C_AS"
		echo " bgp router-id $C_RID"
		[ "$C_POLICY" = 1 ] || echo " no bgp ebgp-requires-policy"
		echo " no bgp default ipv4-unicast"
		[ -z "$C_GLOBAL" ] || printf '%s\n' "$C_GLOBAL"
		for p in $C_PEERS; do
			echo " neighbor $p remote-as $C_PEERAS"
			echo " neighbor $p timers $C_TIMERS"
			echo " neighbor $p timers connect 2"
			[ "$C_PASSIVE" = 1 ] && echo " neighbor $p passive"
			# shellcheck disable=SC2059
			[ -z "$C_NBR" ] || printf "$C_NBR" "$p" "$p" "$p" "$p"
		done
		for f in 4 6; do
			echo " !"
			if [ $f = 4 ]; then
				echo " address-family ipv4 unicast"
				echo "  network 10.10$C_N.0.0/16"
				[ "$C_EXTRA" = 1 ] && echo "  network 10.11$C_N.0.0/16"
			else
				echo " address-family ipv6 unicast"
				echo "  network 2001:db8:${C_L}0::/48"
				[ "$C_EXTRA" = 1 ] && echo "  network 2001:db8:${C_L}2::/48"
			fi
			echo "  redistribute static metric 77"
			for p in $C_PEERS; do
				case $p in *:*) [ $f = 6 ] || continue ;; *) [ $f = 4 ] || continue ;; esac
				echo "  neighbor $p activate"
				# shellcheck disable=SC2059
				[ -z "$C_AFNBR" ] || printf "$C_AFNBR" "$p" "$p" "$p" "$p"
			done
			echo " exit-address-family"
		done
		echo "exit"
	} >"$1"
}
# Presets: nvad A (AS 65001, 10.97.0.1) facing B (AS 65002, 10.97.0.2), and
# nvad B facing A.
preset_a() {
	C_HOST=nvad-a C_AS=65001 C_RID=10.97.0.1 C_PEERS="10.97.0.2 fd00:97::2" C_PEERAS=65002
	C_L=a C_N=1 C_PASSIVE=0 C_EXTRA=1 C_POLICY=0 C_TIMERS="3 9" C_NBR='' C_AFNBR='' C_GLOBAL=''
}
preset_b() {
	C_HOST=nvad-b C_AS=65002 C_RID=10.97.0.2 C_PEERS="10.97.0.1 fd00:97::1" C_PEERAS=65001
	C_L=b C_N=2 C_PASSIVE=0 C_EXTRA=1 C_POLICY=0 C_TIMERS="3 9" C_NBR='' C_AFNBR='' C_GLOBAL=''
}

# Two namespaces A and B on one veth: 10.97.0.1/24 + fd00:97::1/64 in A,
# 10.97.0.2/24 + fd00:97::2/64 in B.
net_ab() {
	ns_add "$NSA" && ns_add "$NSB" && veth "$NSA" va "$NSB" vb &&
		addr "$NSA" va 10.97.0.1/24 fd00:97::1/64 && addr "$NSB" vb 10.97.0.2/24 fd00:97::2/64
}

# --- checks ---------------------------------------------------------------------------
has_route() { [ -n "$("$1" "$2")" ]; }
no_route() { [ -z "$("$1" "$2")" ]; }
# expect_route LABEL GETTER PREFIX ASPATH ORIGIN MED NEXTHOP: waits up to 30 s
# for the prefix, then compares (MED "-": not compared; origin igp|incomplete).
expect_route() {
	local label=$1 get=$2 p=$3 path=$4 origin=$5 med=$6 nh=$7 r
	local what="$label has $p: AS path '$path', origin $origin, MED $med, next hop $nh"
	if ! wait_for 30 has_route "$get" "$p"; then
		notok "$what (absent)"
		return 1
	fi
	r=$("$get" "$p")
	if jq -e --arg path "$path" --arg o "$origin" --arg med "$med" --arg nh "$nh" '
		(.origin | ascii_downcase) as $x |
		(.asPath == $path) and
		($x == $o or ($x == "i" and $o == "igp") or ($x == "?" and $o == "incomplete")) and
		($med == "-" or (.med | tostring) == $med) and (.nextHop == $nh)' <<<"$r" >/dev/null; then
		ok "$what"
	else
		notok "$what"
		say "  got: $r"
		return 1
	fi
}
# expect_gone LABEL GETTER PREFIX
expect_gone() {
	if wait_for 30 no_route "$2" "$3"; then ok "$1: $3 withdrawn"; else
		notok "$1: $3 withdrawn (still: $("$2" "$3"))"; return 1; fi
}
# The address of the other end on the A-B link.
other() {
	case $1 in
	10.97.0.1) echo 10.97.0.2 ;; 10.97.0.2) echo 10.97.0.1 ;;
	fd00:97::1) echo fd00:97::2 ;; fd00:97::2) echo fd00:97::1 ;;
	esac
}
# expect_eq LABEL GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1: $3"; else notok "$1: $3 (got: $2)"; fi
}
# gt A B: A > B as numbers (false when either is empty).
gt() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -gt "$2" ] 2>/dev/null; }
# Numbers as they are now, for "unchanged" checks.
snap() { nv_nbr "$1" "$2" | jq -c '{e: .connectionsEstablished, d: .connectionsDropped}'; }
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }


both_est() { nv_est a 10.97.0.2 && nv_est a fd00:97::2; }
# both_tables: A's and B's BGP tables, both families, without the times.
both_tables() {
	local n
	for n in a b; do
		nv "$n" show ip bgp json 2>/dev/null
		nv "$n" show bgp ipv6 unicast json 2>/dev/null
	done | jq -cS 'del(.. | .lastUpdate?, .lastUpdateEpoch?, .uptime?, .tableVersion?, .version?)'
}
# settled_tables: both_tables once two reads 1 s apart agree (at most 30 s).
settled_tables() {
	local a b
	b=$(both_tables)
	for _ in $(seq 30); do
		sleep 1
		a=$(both_tables)
		[ "$a" = "$b" ] && { printf '%s\n' "$a"; return 0; }
		b=$a
	done
	return 1
}
# The getters of the routes each side holds.
rt_a() { nv_route a "$1"; }
rt_b() { nv_route b "$1"; }

# ====================================================================================
# nvad-nvad
# ====================================================================================
case_nvad_nvad() {
	local s0 s1 u0 u1 r0 r1 pa
	net_ab || { notok "namespaces set up"; return; }
	preset_a; nvad_conf "$TMP/a.conf"
	preset_b; C_PASSIVE=1; nvad_conf "$TMP/b.conf"
	nvad_start b "$NSB" && nvad_start a "$NSA" || { notok "nvad A and B started"; return; }
	ok "nvad A (AS 65001) and B (AS 65002, passive) started"

	for pa in 10.97.0.2 fd00:97::2; do
		if wait_for 30 nv_est a $pa; then ok "A: session with B over $pa Established"; else
			notok "A: session with B over $pa Established (state $(nv_field a $pa bgpState))"; fi
		# A connected: its end is the ephemeral port, B's is 179.
		expect_eq "A is the active side towards $pa (A's foreign port / B's local port)" \
			"$(nv_field a $pa portForeign)/$(nv_field b "$(other $pa)" portLocal)" 179/179
	done
	check "B is Established with A over fd00:97::1" nv_est b fd00:97::1

	# Routes both ways.
	expect_route "A" rt_a 10.102.0.0/16 65002 igp 0 10.97.0.2
	expect_route "A" rt_a 10.202.0.0/16 65002 incomplete 77 10.97.0.2
	expect_route "A" rt_a 10.112.0.0/16 65002 igp 0 10.97.0.2
	expect_route "A" rt_a 2001:db8:b0::/48 65002 igp 0 fd00:97::2
	expect_route "A" rt_a 2001:db8:b1::/48 65002 incomplete 77 fd00:97::2
	expect_route "B" rt_b 10.101.0.0/16 65001 igp 0 10.97.0.1
	expect_route "B" rt_b 10.201.0.0/16 65001 incomplete 77 10.97.0.1
	expect_route "B" rt_b 10.111.0.0/16 65001 igp 0 10.97.0.1
	expect_route "B" rt_b 2001:db8:a0::/48 65001 igp 0 fd00:97::1
	expect_route "B" rt_b 2001:db8:a1::/48 65001 incomplete 77 fd00:97::1
	expect_route "B" rt_b 2001:db8:a2::/48 65001 igp 0 fd00:97::1
	check "A: 3 IPv4 prefixes accepted from B (pfxRcd)" test "$(nv_pfxrcd a 10.97.0.2)" = 3
	check "A: 3 IPv6 prefixes accepted from B (pfxRcd)" test "$(nv_pfxrcd a fd00:97::2)" = 3

	# Withdrawal: A drops a network line of each family and reloads.
	s0=$(snap a 10.97.0.2)
	preset_a; C_EXTRA=0; nvad_conf "$TMP/a.conf"
	check "A: nvactl reload without 10.111.0.0/16 and 2001:db8:a2::/48" nv_reload a
	expect_gone "B" rt_b 10.111.0.0/16
	expect_gone "B" rt_b 2001:db8:a2::/48
	check "B still has 10.101.0.0/16 and 2001:db8:a0::/48" eval 'has_route rt_b 10.101.0.0/16 && has_route rt_b 2001:db8:a0::/48'
	check "the reload did not reset the session ($s0)" test "$(snap a 10.97.0.2)" = "$s0"

	# soft out / soft in: no reset; what is re-sent is counted.
	s0=$(snap a 10.97.0.2)
	u0=$(nv_field b 10.97.0.1 messageStats.updatesRecv)
	check "A: clear ip bgp 10.97.0.2 soft out" nv a clear ip bgp 10.97.0.2 soft out
	# Whether soft out re-sends unchanged routes is not asserted (only
	# changes must be sent); the count is shown for information.
	sleep 1
	say "soft out: B's updatesRecv from A $u0 -> $(nv_field b 10.97.0.1 messageStats.updatesRecv)"
	r0=$(nv_field b 10.97.0.1 messageStats.routeRefreshSent)
	r1=$(nv_field a 10.97.0.2 messageStats.routeRefreshRecv)
	u0=$(nv_field a 10.97.0.2 messageStats.updatesSent)
	# B has no soft-reconfiguration inbound: soft in is a ROUTE-REFRESH to A.
	check "B: clear ip bgp 10.97.0.1 soft in (no soft-reconfiguration)" nv b clear ip bgp 10.97.0.1 soft in
	if wait_for 10 eval 'gt "$(nv_field a 10.97.0.2 messageStats.routeRefreshRecv)" "$r1"'; then
		ok "route refresh: A received B's ROUTE-REFRESH (routeRefreshRecv $r1 -> $(nv_field a 10.97.0.2 messageStats.routeRefreshRecv); B sent $r0 -> $(nv_field b 10.97.0.1 messageStats.routeRefreshSent))"
	else
		notok "route refresh: A received B's ROUTE-REFRESH (routeRefreshRecv stays $r1)"
	fi
	if wait_for 10 eval 'gt "$(nv_field a 10.97.0.2 messageStats.updatesSent)" "$u0"'; then
		ok "route refresh: A re-sent its routes (updatesSent $u0 -> $(nv_field a 10.97.0.2 messageStats.updatesSent))"
	else
		notok "route refresh: A re-sent its routes (updatesSent stays $u0)"
	fi
	check "A: clear ip bgp 10.97.0.2 soft in" nv a clear ip bgp 10.97.0.2 soft in
	check "A: clear ip bgp fd00:97::2 soft" nv a clear ip bgp fd00:97::2 soft
	sleep 1
	check "B keeps A's routes after the refresh" eval 'has_route rt_b 10.101.0.0/16 && has_route rt_b 10.201.0.0/16 && has_route rt_b 2001:db8:a0::/48'
	check "A keeps B's routes after soft in" eval 'has_route rt_a 10.102.0.0/16 && has_route rt_a 2001:db8:b0::/48'
	s1=$(snap a 10.97.0.2)
	check "soft out/in/refresh: no session reset on A ($s0 -> $s1)" test "$s1" = "$s0"
	check "soft out/in/refresh: B still Established" nv_est b 10.97.0.1

	# Restart of B: killed, started again.
	s0=$(nv_field a 10.97.0.2 connectionsEstablished)
	nvad_kill b KILL
	if wait_for 15 nv_not_est a 10.97.0.2; then ok "B killed: A's session went down"; else
		notok "B killed: A's session went down"; fi
	# B announced graceful restart and died without a NOTIFICATION: A keeps
	# its routes, stale, until B is back (the graceful-restart case checks
	# the flush); a clean stop withdraws them (checked there too).
	sleep 1
	check "A (B down): keeps B's routes as stale while B restarts" \
		eval '[ "$(nv_stale a 10.102.0.0/16)" = true ] && [ -n "$(rt_a 2001:db8:b0::/48)" ]'
	nvad_start b "$NSB" || notok "B started again"
	if wait_for 30 eval 'nv_est a 10.97.0.2 && nv_est a fd00:97::2'; then
		ok "B restarted: both sessions Established again"
	else
		notok "B restarted: both sessions Established again"
	fi
	check "A: connectionsEstablished went up ($s0 -> $(nv_field a 10.97.0.2 connectionsEstablished))" \
		gt "$(nv_field a 10.97.0.2 connectionsEstablished)" "$s0"
	expect_route "A (B restarted)" rt_a 10.102.0.0/16 65002 igp 0 10.97.0.2
	expect_route "A (B restarted)" rt_a 2001:db8:b1::/48 65002 incomplete 77 fd00:97::2
	expect_route "B (restarted)" rt_b 10.101.0.0/16 65001 igp 0 10.97.0.1
	expect_route "B (restarted)" rt_b 2001:db8:a1::/48 65001 incomplete 77 fd00:97::1

	# The other way round: A passive, B active.
	preset_a; C_EXTRA=0; C_PASSIVE=1; nvad_conf "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"
	check "A: reload with passive neighbors" nv_reload a
	check "B: reload without passive" nv_reload b
	for pa in 10.97.0.1 fd00:97::1; do
		if wait_for 30 nv_est b $pa; then ok "B (active now): session with A over $pa Established"; else
			notok "B (active now): session with A over $pa Established (state $(nv_field b $pa bgpState))"; fi
		expect_eq "B is the active side towards $pa (B's foreign port / A's local port)" \
			"$(nv_field b $pa portForeign)/$(nv_field a "$(other $pa)" portLocal)" 179/179
	done
	expect_route "A (passive)" rt_a 10.102.0.0/16 65002 igp 0 10.97.0.2
	expect_route "A (passive)" rt_a 2001:db8:b0::/48 65002 igp 0 fd00:97::2
	expect_route "B (active)" rt_b 10.201.0.0/16 65001 incomplete 77 10.97.0.1
	expect_route "B (active)" rt_b 2001:db8:a0::/48 65001 igp 0 fd00:97::1
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
# nvad against a reference daemon (frr, bird, gobgp, openbgpd, exabgp)
# ====================================================================================
# nvad A: AS 65001 in A (10.97.0.1, fd00:97::1), preset_a's prefixes. The
# daemon: AS 65002 in B (10.97.0.2, fd00:97::2), IPv4 and IPv6 sessions,
# originating 10.102.0.0/16 and 2001:db8:b0::/48, plus 10.112.0.0/16 and
# 2001:db8:b2::/48 that it withdraws later, all with origin IGP and MED 50.
# Per daemon: D_conf PASSIVE EXTRA (write its configuration), D_start,
# D_stop, D_est NVAD_ADDRESS (its side of the session is up), D_route PREFIX
# (what it holds, in lib.sh's shape; unset: not checked), D_withdraw (drop
# the extra prefixes, running). DD is the daemon's directory.
DD=

# --- FRR ---
frr_conf() {
	local passive=$1 extra=$2 p
	{
		echo "frr defaults traditional"
		echo "hostname nvt-frr"
		echo "log file $DD/bgpd.log informational"
		echo "!"
		echo "route-map MED50 permit 10"
		echo " set metric 50"
		echo "exit"
		echo "!"
		echo "router bgp 65002"
		echo " bgp router-id 10.97.0.2"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " no bgp default ipv4-unicast"
		for p in 10.97.0.1 fd00:97::1; do
			echo " neighbor $p remote-as 65001"
			echo " neighbor $p timers 3 9"
			echo " neighbor $p timers connect 2"
			[ "$passive" = 1 ] && echo " neighbor $p passive"
		done
		echo " address-family ipv4 unicast"
		echo "  network 10.102.0.0/16 route-map MED50"
		[ "$extra" = 1 ] && echo "  network 10.112.0.0/16 route-map MED50"
		echo "  neighbor 10.97.0.1 activate"
		echo " exit-address-family"
		echo " address-family ipv6 unicast"
		echo "  network 2001:db8:b0::/48 route-map MED50"
		[ "$extra" = 1 ] && echo "  network 2001:db8:b2::/48 route-map MED50"
		echo "  neighbor fd00:97::1 activate"
		echo " exit-address-family"
		echo "exit"
	} >"$DD/bgpd.conf"
}
frr_start_() { if lib_running "$DD" zebra; then frr_start_bgpd "$NSB" "$DD"; else frr_start "$NSB" "$DD"; fi; }
frr_stop_() { lib_stop "$DD" bgpd; }
frr_est_() { frr_established "$NSB" "$DD" "$1"; }
frr_route_() { frr_route "$NSB" "$DD" "$1"; }
frr_withdraw_() {
	frr_conf "$D_PASSIVE" 0
	frr_vtysh "$NSB" "$DD" -c "configure terminal" -c "router bgp 65002" \
		-c "address-family ipv4 unicast" -c "no network 10.112.0.0/16 route-map MED50" \
		-c "exit-address-family" -c "address-family ipv6 unicast" \
		-c "no network 2001:db8:b2::/48 route-map MED50" >/dev/null
}
frr_logs_() { echo "$DD/bgpd.log"; }

# --- BIRD ---
bird_conf() {
	local passive=$1 extra=$2 f l n pass=
	[ "$passive" = 1 ] && pass="passive on;"
	{
		echo "log \"$DD/bird.log\" all;"
		echo "router id 10.97.0.2;"
		echo "protocol device { }"
		echo "protocol static own4 { ipv4; route 10.102.0.0/16 blackhole;"
		[ "$extra" = 1 ] && echo "  route 10.112.0.0/16 blackhole;"
		echo "}"
		echo "protocol static own6 { ipv6; route 2001:db8:b0::/48 blackhole;"
		[ "$extra" = 1 ] && echo "  route 2001:db8:b2::/48 blackhole;"
		echo "}"
		echo "filter own { if source != RTS_STATIC then reject; bgp_origin = ORIGIN_IGP; bgp_med = 50; accept; }"
		for f in 4 6; do
			l=10.97.0.2 n=10.97.0.1
			[ $f = 6 ] && l=fd00:97::2 n=fd00:97::1
			echo "protocol bgp nvad$f {"
			echo "  local $l as 65002; neighbor $n as 65001; $pass"
			echo "  hold time 9; keepalive time 3; connect retry time 2; error wait time 1, 5;"
			echo "  ipv$f { import all; export filter own; };"
			echo "}"
		done
	} >"$DD/bird.conf"
}
bird_start_() { bird_start "$NSB" "$DD"; }
bird_stop_() { lib_stop "$DD" bird; }
bird_est_() { case $1 in *:*) bird_established "$NSB" "$DD" nvad6 ;; *) bird_established "$NSB" "$DD" nvad4 ;; esac; }
bird_route_() { bird_route "$NSB" "$DD" "$1"; }
bird_withdraw_() { bird_conf "$D_PASSIVE" 0 && birdc_ "$NSB" "$DD" configure >/dev/null; }
bird_logs_() { echo "$DD/bird.log"; }

# --- GoBGP ---
gobgp_conf() {
	local passive=$1 p l a
	GOBGP_EXTRA=$2
	{
		echo "[global.config]"
		echo "  as = 65002"
		echo "  router-id = \"10.97.0.2\""
		echo "  port = 179"
		echo "  local-address-list = [\"10.97.0.2\", \"fd00:97::2\"]"
		for p in 10.97.0.1 fd00:97::1; do
			l=10.97.0.2 a=ipv4-unicast
			case $p in *:*) l=fd00:97::2 a=ipv6-unicast ;; esac
			echo "[[neighbors]]"
			echo "  [neighbors.config]"
			echo "    neighbor-address = \"$p\""
			echo "    peer-as = 65001"
			echo "  [neighbors.transport.config]"
			echo "    local-address = \"$l\""
			[ "$passive" = 1 ] && echo "    passive-mode = true"
			echo "  [neighbors.timers.config]"
			echo "    hold-time = 9"
			echo "    keepalive-interval = 3"
			echo "    connect-retry = 2"
			echo "  [[neighbors.afi-safis]]"
			echo "    [neighbors.afi-safis.config]"
			echo "      afi-safi-name = \"$a\""
		done
	} >"$DD/gobgpd.toml"
}
gobgp_start_() {
	local p
	gobgp_start "$NSB" "$DD" || return 1
	# Routes added through the CLI live as long as gobgpd: added at each start.
	for p in 10.102.0.0/16 $([ "$GOBGP_EXTRA" = 1 ] && echo 10.112.0.0/16); do
		gobgp_ "$NSB" global rib add -a ipv4 "$p" origin igp med 50 nexthop 10.97.0.2 || return 1
	done
	for p in 2001:db8:b0::/48 $([ "$GOBGP_EXTRA" = 1 ] && echo 2001:db8:b2::/48); do
		gobgp_ "$NSB" global rib add -a ipv6 "$p" origin igp med 50 nexthop fd00:97::2 || return 1
	done
}
gobgp_stop_() { lib_stop "$DD" gobgpd; }
gobgp_est_() { gobgp_established "$NSB" "$1"; }
gobgp_route_() { gobgp_route "$NSB" "$1"; }
gobgp_withdraw_() {
	GOBGP_EXTRA=0
	gobgp_ "$NSB" global rib del -a ipv4 10.112.0.0/16 &&
		gobgp_ "$NSB" global rib del -a ipv6 2001:db8:b2::/48
}
gobgp_logs_() { echo "$DD/gobgpd.log"; }

# --- OpenBGPD ---
openbgpd_conf() {
	local passive=$1 extra=$2 p l
	{
		echo "AS 65002"
		echo "router-id 10.97.0.2"
		echo "socket \"$DD/bgpd.sock\""
		echo "listen on 10.97.0.2"
		echo "listen on fd00:97::2"
		echo "fib-update no"
		echo "network 10.102.0.0/16 set med 50"
		echo "network 2001:db8:b0::/48 set med 50"
		if [ "$extra" = 1 ]; then
			echo "network 10.112.0.0/16 set med 50"
			echo "network 2001:db8:b2::/48 set med 50"
		fi
		for p in 10.97.0.1 fd00:97::1; do
			l=10.97.0.2
			case $p in *:*) l=fd00:97::2 ;; esac
			echo "neighbor $p {"
			echo "  remote-as 65001"
			echo "  local-address $l"
			[ "$passive" = 1 ] && echo "  passive"
			echo "  holdtime 9"
			echo "}"
		done
		echo "allow from any"
		echo "allow to any"
	} >"$DD/bgpd.conf"
}
openbgpd_start_() { openbgpd_start "$NSB" "$DD"; }
openbgpd_stop_() { lib_stop "$DD" openbgpd; }
openbgpd_est_() { openbgpd_established "$NSB" "$DD" "$1"; }
openbgpd_route_() { openbgpd_route "$NSB" "$DD" "$1"; }
openbgpd_withdraw_() { openbgpd_conf "$D_PASSIVE" 0 && bgpctl_ "$NSB" "$DD" reload >/dev/null; }
openbgpd_logs_() { echo "$DD/openbgpd.log"; }

# --- ExaBGP ---
# Its static routes are the permanent ones; the extra ones are announced and
# withdrawn through an API process that follows a command file. What it
# receives is written as JSON lines by another API process.
exabgp_conf() {
	local passive=$1 p v f nh
	EXABGP_PASSIVE=$passive
	exabgp_receiver_script "$DD"
	cat >"$DD/exabgp-sender.sh" <<-EOF
	#!/bin/sh
	tail -n +1 -F "$DD/exabgp-cmds.txt" 2>/dev/null
	EOF
	chmod 755 "$DD/exabgp-sender.sh"
	if [ ! -f "$DD/exabgp-cmds.txt" ]; then
		{
			echo "neighbor 10.97.0.1 announce route 10.112.0.0/16 next-hop 10.97.0.2 origin igp med 50"
			echo "neighbor fd00:97::1 announce route 2001:db8:b2::/48 next-hop fd00:97::2 origin igp med 50"
		} >"$DD/exabgp-cmds.txt"
	fi
	{
		echo "process receiver { run $DD/exabgp-receiver.sh; encoder json; }"
		echo "process sender { run $DD/exabgp-sender.sh; encoder text; }"
		for p in 10.97.0.1 fd00:97::1; do
			v=10.97.0.2 f=ipv4 nh=10.102.0.0/16
			case $p in *:*) v=fd00:97::2 f=ipv6 nh=2001:db8:b0::/48 ;; esac
			echo "neighbor $p {"
			echo "  router-id 10.97.0.2; local-address $v; local-as 65002; peer-as 65001;"
			echo "  hold-time 9;"
			[ "$passive" = 1 ] && echo "  passive true; listen 179;"
			echo "  family { $f unicast; }"
			echo "  api { processes [ receiver sender ]; receive { parsed; update; notification; } }"
			echo "  static { route $nh next-hop $v origin igp med 50; }"
			echo "}"
		done
	} >"$DD/exabgp.conf"
}
exabgp_start_() {
	# What this run of ExaBGP receives (the last run's is kept aside).
	[ -s "$DD/exabgp-received.jsonl" ] &&
		mv "$DD/exabgp-received.jsonl" "$DD/exabgp-received.$(date +%s%N).jsonl"
	: >"$DD/exabgp-received.jsonl"
	if [ "$EXABGP_PASSIVE" = 1 ]; then
		exabgp_start "$NSB" "$DD" "exabgp_tcp_bind=10.97.0.2 fd00:97::2" exabgp_tcp_port=179
	else
		exabgp_start "$NSB" "$DD"
	fi
}
exabgp_stop_() { lib_stop "$DD" exabgp; }
exabgp_est_() { true; } # its own view is not queried; nvad's side is checked
exabgp_route_() { exabgp_route "$DD" "$1"; }
exabgp_withdraw_() {
	{
		echo "neighbor 10.97.0.1 withdraw route 10.112.0.0/16 next-hop 10.97.0.2"
		echo "neighbor fd00:97::1 withdraw route 2001:db8:b2::/48 next-hop fd00:97::2"
	} >>"$DD/exabgp-cmds.txt"
}
exabgp_logs_() { echo "$DD/exabgp.log"; }
# exabgp_withdrawn PREFIX: ExaBGP received a withdrawal of it.
exabgp_withdrawn() {
	jq -n -e --arg p "$1" '[inputs | select(.type == "update") | .neighbor.message.update.withdraw // {} |
		to_entries[] | .value[] | select(.nlri == $p)] | length > 0' "$DD/exabgp-received.jsonl" >/dev/null 2>&1
}

rt_d() { "${D}_route_" "$1"; }

case_daemon() {
	local pa name pfx s0 D_PASSIVE
	D=$1
	name=$D
	DD=$TMP/$D
	mkdir -p "$DD"
	chmod 755 "$DD"
	net_ab || { notok "namespaces set up"; return; }

	# --- nvad active, the daemon passive.
	D_PASSIVE=1
	"${D}_conf" 1 1
	if ! "${D}_start_"; then
		notok "$name started (passive)"
		dump_logs "$("${D}_logs_")" "$DD"/*.out
		return
	fi
	ok "$name started in B (AS 65002, passive)"
	preset_a; nvad_conf "$TMP/a.conf"
	nvad_start a "$NSA" || { notok "nvad started"; return; }
	ok "nvad started in A (AS 65001)"
	for pa in 10.97.0.2 fd00:97::2; do
		if wait_for 30 nv_est a $pa; then ok "nvad: session with $name over $pa Established"; else
			notok "nvad: session with $name over $pa Established (state $(nv_field a $pa bgpState))"; fi
		expect_eq "nvad is the active side towards $pa (nvad's foreign port)" "$(nv_field a $pa portForeign)" 179
		if wait_for 10 "${D}_est_" "$(other $pa)"; then ok "$name: session with nvad over $(other $pa) Established"; else
			notok "$name: session with nvad over $(other $pa) Established"; fi
	done

	# Routes both ways, with their attributes, on both sides.
	expect_route "nvad" rt_a 10.102.0.0/16 65002 igp 50 10.97.0.2
	expect_route "nvad" rt_a 10.112.0.0/16 65002 igp 50 10.97.0.2
	expect_route "nvad" rt_a 2001:db8:b0::/48 65002 igp 50 fd00:97::2
	expect_route "nvad" rt_a 2001:db8:b2::/48 65002 igp 50 fd00:97::2
	expect_route "$name" rt_d 10.101.0.0/16 65001 igp 0 10.97.0.1
	expect_route "$name" rt_d 10.201.0.0/16 65001 incomplete 77 10.97.0.1
	expect_route "$name" rt_d 10.111.0.0/16 65001 igp 0 10.97.0.1
	expect_route "$name" rt_d 2001:db8:a0::/48 65001 igp 0 fd00:97::1
	expect_route "$name" rt_d 2001:db8:a1::/48 65001 incomplete 77 fd00:97::1
	expect_route "$name" rt_d 2001:db8:a2::/48 65001 igp 0 fd00:97::1

	# Withdrawals both ways.
	s0=$(snap a 10.97.0.2)
	preset_a; C_EXTRA=0; nvad_conf "$TMP/a.conf"
	check "nvad: reload without 10.111.0.0/16 and 2001:db8:a2::/48" nv_reload a
	if [ "$D" = exabgp ]; then
		for pfx in 10.111.0.0/16 2001:db8:a2::/48; do
			if wait_for 30 exabgp_withdrawn $pfx; then ok "exabgp: received the withdrawal of $pfx"; else
				notok "exabgp: received the withdrawal of $pfx"; fi
		done
	else
		expect_gone "$name" rt_d 10.111.0.0/16
		expect_gone "$name" rt_d 2001:db8:a2::/48
		check "$name still has 10.101.0.0/16 and 2001:db8:a1::/48" eval 'has_route rt_d 10.101.0.0/16 && has_route rt_d 2001:db8:a1::/48'
	fi
	check "$name: withdrawing 10.112.0.0/16 and 2001:db8:b2::/48" "${D}_withdraw_"
	expect_gone "nvad" rt_a 10.112.0.0/16
	expect_gone "nvad" rt_a 2001:db8:b2::/48
	check "nvad still has 10.102.0.0/16 and 2001:db8:b0::/48" eval 'has_route rt_a 10.102.0.0/16 && has_route rt_a 2001:db8:b0::/48'
	expect_eq "no session reset during the withdrawals (connections established/dropped)" "$(snap a 10.97.0.2)" "$s0"

	# The daemon restarts.
	s0=$(nv_field a 10.97.0.2 connectionsEstablished)
	"${D}_stop_"
	if wait_for 15 eval 'nv_not_est a 10.97.0.2 && nv_not_est a fd00:97::2'; then
		ok "$name stopped: nvad's sessions went down"
	else
		notok "$name stopped: nvad's sessions went down"
	fi
	expect_gone "nvad ($name down)" rt_a 10.102.0.0/16
	expect_gone "nvad ($name down)" rt_a 2001:db8:b0::/48
	if "${D}_start_"; then ok "$name started again"; else notok "$name started again"; fi
	if wait_for 30 eval 'nv_est a 10.97.0.2 && nv_est a fd00:97::2'; then
		ok "$name restarted: both sessions Established again"
	else
		notok "$name restarted: both sessions Established again (states $(nv_field a 10.97.0.2 bgpState), $(nv_field a fd00:97::2 bgpState))"
	fi
	check "nvad: connectionsEstablished went up ($s0 -> $(nv_field a 10.97.0.2 connectionsEstablished))" \
		gt "$(nv_field a 10.97.0.2 connectionsEstablished)" "$s0"
	expect_route "nvad ($name restarted)" rt_a 10.102.0.0/16 65002 igp 50 10.97.0.2
	expect_route "nvad ($name restarted)" rt_a 2001:db8:b0::/48 65002 igp 50 fd00:97::2
	check "nvad ($name restarted): the withdrawn 10.112.0.0/16 and 2001:db8:b2::/48 stay away" \
		eval 'no_route rt_a 10.112.0.0/16 && no_route rt_a 2001:db8:b2::/48'
	expect_route "$name (restarted)" rt_d 10.101.0.0/16 65001 igp 0 10.97.0.1
	expect_route "$name (restarted)" rt_d 2001:db8:a1::/48 65001 incomplete 77 fd00:97::1

	# --- nvad passive, the daemon active.
	preset_a; C_EXTRA=0; C_PASSIVE=1; nvad_conf "$TMP/a.conf"
	check "nvad: reload with passive neighbors" nv_reload a
	"${D}_stop_"
	D_PASSIVE=0
	"${D}_conf" 0 0
	if "${D}_start_"; then ok "$name started again, active"; else notok "$name started again, active"; fi
	for pa in 10.97.0.2 fd00:97::2; do
		if wait_for 30 nv_est a $pa; then ok "nvad (passive): session with $name over $pa Established"; else
			notok "nvad (passive): session with $name over $pa Established (state $(nv_field a $pa bgpState))"; fi
		expect_eq "$name is the active side towards $(other $pa) (nvad's local port)" "$(nv_field a $pa portLocal)" 179
	done
	expect_route "nvad (passive)" rt_a 10.102.0.0/16 65002 igp 50 10.97.0.2
	expect_route "nvad (passive)" rt_a 2001:db8:b0::/48 65002 igp 50 fd00:97::2
	expect_route "$name (active)" rt_d 10.201.0.0/16 65001 incomplete 77 10.97.0.1
	expect_route "$name (active)" rt_d 2001:db8:a0::/48 65001 igp 0 fd00:97::1
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$("${D}_logs_")"
}

# ====================================================================================
# security: TCP MD5, GTSM, connections from strangers
# ====================================================================================
# A: nvad (10.97.0.1 towards B, 10.96.0.1 towards the router R). B: FRR
# (10.97.0.2, fd00:97::2), one hop away. C: FRR (10.95.0.2, AS 65003) behind R,
# two hops away. nvad: MD5 with B over IPv4, GTSM (ttl-security hops 1) with B
# over IPv6 and with C.
MD5_SECRET=nvt-md5-secret
sec_frr_conf() { # DIR ROUTER_ID AS PEER PEER_OPTIONS [PEER2 PEER2_OPTIONS]
	local dir=$1 rid=$2 as=$3 p o
	shift 3
	{
		echo "frr defaults traditional"
		echo "hostname nvt-frr-$as"
		echo "log file $dir/bgpd.log informational"
		echo "!"
		echo "router bgp $as"
		echo " bgp router-id $rid"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp default ipv4-unicast"
		while [ $# -ge 2 ]; do
			p=$1 o=$2
			shift 2
			echo " neighbor $p remote-as 65001"
			echo " neighbor $p timers 3 9"
			echo " neighbor $p timers connect 2"
			[ -n "$o" ] && echo " neighbor $p $o"
			case $p in
			*:*) echo " address-family ipv6 unicast"; echo "  neighbor $p activate"; echo " exit-address-family" ;;
			*) echo " address-family ipv4 unicast"; echo "  neighbor $p activate"; echo " exit-address-family" ;;
			esac
		done
		echo "exit"
	} >"$dir/bgpd.conf"
}
# stranger_connect FROM: connects from FROM (an address in B) to nvad's port
# 179; prints "closed" when nvad closes the connection within 5 s, "open"
# when it stays open, or the error.
stranger_connect() {
	ip netns exec "$NSB" python3 - "$1" <<-'EOF'
	import socket, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	s.settimeout(5)
	try:
	    s.bind((sys.argv[1], 0))
	    s.connect(("10.97.0.1", 179))
	except OSError as e:
	    print("connect failed: %s" % e)
	    sys.exit(0)
	try:
	    data = s.recv(4096)
	    print("closed" if not data else "data (%d octets)" % len(data))
	except ConnectionResetError:
	    print("closed")
	except socket.timeout:
	    print("open")
	EOF
}
case_security() {
	local fb=$TMP/frr-b fc=$TMP/frr-c s0 ever t end
	mkdir -p "$fb" "$fc"
	chmod 755 "$fb" "$fc"
	{
		net_ab && ns_add "$NSR" && ns_add "$NSC" &&
			veth "$NSA" vr "$NSR" ra && veth "$NSR" rc "$NSC" cr &&
			addr "$NSA" vr 10.96.0.1/24 && addr "$NSR" ra 10.96.0.254/24 &&
			addr "$NSR" rc 10.95.0.254/24 && addr "$NSC" cr 10.95.0.2/24 &&
			ip -n "$NSA" route add 10.95.0.0/24 via 10.96.0.254 &&
			ip -n "$NSC" route add default via 10.95.0.254 &&
			ip netns exec "$NSR" sysctl -qw net.ipv4.ip_forward=1
	} || { notok "namespaces set up"; return; }
	# A closed port answers with a reset: C reaches A through R and back.
	expect_eq "C (10.95.0.2) reaches A (10.96.0.1) through the router R" \
		"$(ip netns exec "$NSC" python3 -c 'import socket
s = socket.socket(); s.settimeout(3)
try: s.connect(("10.96.0.1", 9)); print("open")
except ConnectionRefusedError: print("refused")
except OSError as e: print(e)')" refused

	preset_a
	C_PEERS="10.97.0.2 fd00:97::2"
	C_NBR=
	nvad_conf "$TMP/a.conf"
	# Per-neighbor security lines, and C.
	sed -i "s|^ neighbor 10.97.0.2 timers connect 2$|&\n neighbor 10.97.0.2 password $MD5_SECRET|; s|^ neighbor fd00:97::2 timers connect 2$|&\n neighbor fd00:97::2 ttl-security hops 1|" "$TMP/a.conf"
	sed -i "s|^ no bgp default ipv4-unicast$|&\n neighbor 10.95.0.2 remote-as 65003\n neighbor 10.95.0.2 timers 3 9\n neighbor 10.95.0.2 timers connect 2\n neighbor 10.95.0.2 ttl-security hops 1|; s|^  neighbor 10.97.0.2 activate$|&\n  neighbor 10.95.0.2 activate|" "$TMP/a.conf"
	sec_frr_conf "$fb" 10.97.0.2 65002 10.97.0.1 "password $MD5_SECRET" fd00:97::1 "ttl-security hops 1"
	sec_frr_conf "$fc" 10.95.0.2 65003 10.96.0.1 "ttl-security hops 1"
	frr_start "$NSB" "$fb" && frr_start "$NSC" "$fc" || { notok "FRR started in B and C"; dump_logs "$fb/bgpd.out" "$fc/bgpd.out"; return; }
	nvad_start a "$NSA" || { notok "nvad started"; return; }
	ok "nvad (A), FRR B (one hop) and FRR C (two hops) started"

	# MD5 and GTSM with B: up.
	if wait_for 30 eval 'nv_est a 10.97.0.2 && frr_established "$NSB" "$fb" 10.97.0.1'; then
		ok "MD5: session with B (same password on both) Established"
	else
		notok "MD5: session with B (same password on both) Established (nvad: $(nv_field a 10.97.0.2 bgpState), FRR: $(frr_state "$NSB" "$fb" 10.97.0.1))"
	fi
	if wait_for 30 eval 'nv_est a fd00:97::2 && frr_established "$NSB" "$fb" fd00:97::1'; then
		ok "GTSM: session with B over fd00:97::2 (ttl-security hops 1 on both, one hop) Established"
	else
		notok "GTSM: session with B over fd00:97::2 Established (nvad: $(nv_field a fd00:97::2 bgpState), FRR: $(frr_state "$NSB" "$fb" fd00:97::1))"
	fi
	expect_eq "GTSM: nvad shows the neighbor's hop limit (externalBgpNbrMaxHopsAway)" \
		"$(nv_field a fd00:97::2 externalBgpNbrMaxHopsAway)" 1

	# A stranger: 10.97.0.3 in B is no neighbor of nvad.
	addr "$NSB" vb 10.97.0.3/24
	expect_eq "a connection from 10.97.0.3 (not a neighbor) is closed by nvad" "$(stranger_connect 10.97.0.3)" closed
	if wait_for 5 eval 'grep -q "10.97.0.3.*refused" "$TMP/a.log"'; then
		ok "nvad's log says why: $(grep -m1 '10.97.0.3.*refused' "$TMP/a.log" | cut -c1-160)"
	else
		notok "nvad's log says the connection from 10.97.0.3 was refused"
	fi
	check "sessions with B unaffected by the stranger" eval 'nv_est a 10.97.0.2 && nv_est a fd00:97::2'

	# MD5 with a wrong password on B: bgpd restarted with it.
	s0=$(nv_field a 10.97.0.2 connectionsEstablished)
	sec_frr_conf "$fb" 10.97.0.2 65002 10.97.0.1 "password wrong-$MD5_SECRET" fd00:97::1 "ttl-security hops 1"
	lib_stop "$fb" bgpd
	wait_for 15 nv_not_est a 10.97.0.2
	frr_start_bgpd "$NSB" "$fb" || notok "FRR B restarted with a wrong password"
	# 15 s: neither the MD5 session with the wrong key nor GTSM two hops away
	# (C, up since the start) may come up. The GTSM session with B must.
	ever=
	end=$(($(date +%s) + 15))
	while [ "$(date +%s)" -lt "$end" ]; do
		nv_est a 10.97.0.2 && ever="$ever md5-nvad"
		frr_established "$NSB" "$fb" 10.97.0.1 && ever="$ever md5-frr"
		nv_est a 10.95.0.2 && ever="$ever gtsm-nvad"
		frr_established "$NSC" "$fc" 10.96.0.1 && ever="$ever gtsm-frr"
		sleep 0.5
	done
	check "MD5: wrong password on FRR: never Established within 15 s (nvad and FRR)" \
		eval '! [[ "$ever" =~ md5 ]]'
	expect_eq "MD5: nvad's connectionsEstablished with B unchanged" "$(nv_field a 10.97.0.2 connectionsEstablished)" "$s0"
	check "GTSM: C two hops away (ttl-security hops 1 on both): never Established (nvad and FRR)" \
		eval '! [[ "$ever" =~ gtsm ]]'
	expect_eq "GTSM: nvad's connectionsEstablished with C" "$(nv_field a 10.95.0.2 connectionsEstablished)" 0
	if wait_for 20 eval 'nv_est a fd00:97::2'; then ok "GTSM: session with B over IPv6 up again after B's restart"; else
		notok "GTSM: session with B over IPv6 up again after B's restart"; fi
	# The control: with ttl-security hops 2 on both ends, C comes up.
	sed -i 's|^ neighbor 10.95.0.2 ttl-security hops 1$| neighbor 10.95.0.2 ttl-security hops 2|' "$TMP/a.conf"
	check "nvad: reload with ttl-security hops 2 for C" nv_reload a
	frr_vtysh "$NSC" "$fc" -c "configure terminal" -c "router bgp 65003" \
		-c "neighbor 10.96.0.1 ttl-security hops 2" >/dev/null
	if wait_for 30 nv_est a 10.95.0.2; then ok "GTSM control: with ttl-security hops 2 on both, C is Established"; else
		notok "GTSM control: with ttl-security hops 2 on both, C is Established (nvad: $(nv_field a 10.95.0.2 bgpState), FRR: $(frr_state "$NSC" "$fc" 10.96.0.1))"; fi
	say "states: nvad/B4 $(nv_field a 10.97.0.2 bgpState), nvad/C $(nv_field a 10.95.0.2 bgpState), FRR B $(frr_state "$NSB" "$fb" 10.97.0.1), FRR C $(frr_state "$NSC" "$fc" 10.96.0.1)"
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$fb/bgpd.log" "$fc/bgpd.log"
}

# ====================================================================================
# privileges: capabilities kept, --user, what still works as user nobody
# ====================================================================================
# CAP_NET_BIND_SERVICE (10) and CAP_NET_ADMIN (12); CAP_NET_ADMIN alone.
CAPS_BIND_ADMIN=0000000000001400
CAPS_ADMIN=0000000000001000
# proc_status NAME FIELD: a line of /proc/PID/status of that nvad, tabs as spaces.
proc_status() {
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$(lib_pid "$TMP" "$1")/status" 2>/dev/null
}
# expect_caps NAME LABEL CAPS: CapEff, CapPrm and CapBnd are CAPS, CapInh and
# CapAmb empty.
expect_caps() {
	expect_eq "$2: CapEff/CapPrm/CapBnd/CapInh/CapAmb" \
		"$(for f in CapEff CapPrm CapBnd CapInh CapAmb; do proc_status "$1" $f; done | tr '\n' ' ')" \
		"$3 $3 $3 0000000000000000 0000000000000000 "
}
# kroute NS PREFIX: nvad's kernel route (protocol 186) for PREFIX, or nothing.
kroute() {
	local f=-4
	case $2 in *:*) f=-6 ;; esac
	ip -n "$1" $f route show proto 186 "$2" 2>/dev/null
}
k_has() { [ -n "$(kroute "$NSA" "$1")" ]; }
k_not() { [ -z "$(kroute "$NSA" "$1")" ]; }
case_privileges() {
	local out rc nob nog e0
	nob=$(id -u nobody)
	nog=$(id -g nobody)
	net_ab || { notok "namespaces set up"; return; }
	preset_a; C_PASSIVE=1; nvad_conf "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"

	# Bad values: a clear message and exit 2, before anything starts.
	for bad in "nvt-no-such-user-$$|no user 'nvt-no-such-user-$$'" \
		"nobody:nvt-no-such-group-$$|no group 'nvt-no-such-group-$$'" \
		":nogroup|is not USER or USER:GROUP" "nobody:|is not USER or USER:GROUP"; do
		out=$(timeout 10 ip netns exec "$NSA" "$NVAD" -f "$TMP/a.conf" --socket "$TMP/bad.sock" \
			--user "${bad%%|*}" 2>&1)
		rc=$?
		if [ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF -- "${bad#*|}"; then
			ok "--user '${bad%%|*}': exit 2, '$out'"
		else
			notok "--user '${bad%%|*}': exit 2 and a message with '${bad#*|}' (exit $rc: $out)"
		fi
	done
	out=$(timeout 10 "$NVAD" -f "$TMP/a.conf" --socket "$TMP/bad.sock" --group nogroup 2>&1)
	expect_eq "--group without --user: exit 2 ($out)" "$?" 2
	out=$(timeout 10 setpriv --reuid="$nob" --regid="$nog" --clear-groups \
		"$NVAD" -f "$TMP/a.conf" --socket "$TMP/bad.sock" --port 0 --user nobody 2>&1)
	rc=$?
	check "--user when not started as root: exit 1 ($rc), '$out'" \
		eval '[ "$rc" = 1 ] && printf "%s\n" "$out" | grep -q "needs nvad started as root"'

	# As root on a high port: CAP_NET_ADMIN only, uid 0.
	nvad_spawn p "$NSA" "$TMP/a.conf" --no-kernel --port 1179 || { notok "nvad on port 1179 started"; return; }
	sleep 0.5
	expect_caps p "root, --port 1179" $CAPS_ADMIN
	expect_eq "root, --port 1179: Uid" "$(proc_status p Uid)" "0 0 0 0"
	nvad_kill p || notok "nvad on port 1179 stopped"

	# B (root, --no-kernel) and A as nobody, writing kernel routes.
	nvad_start b "$NSB" || { notok "nvad B started"; return; }
	nvad_spawn a "$NSA" "$TMP/a.conf" --user nobody || { notok "nvad A started with --user nobody"; return; }
	ok "nvad A (--user nobody, kernel routes) and B started"
	sleep 0.5
	expect_eq "A: Uid (real, effective, saved, fs)" "$(proc_status a Uid)" "$nob $nob $nob $nob"
	expect_eq "A: Gid" "$(proc_status a Gid)" "$nog $nog $nog $nog"
	expect_eq "A: supplementary groups" "$(proc_status a Groups)" "$nog"
	expect_caps a "A as nobody on port 179" $CAPS_BIND_ADMIN
	expect_eq "A: NoNewPrivs" "$(proc_status a NoNewPrivs)" 1
	check "A's log says how it runs: $(grep -m1 'running as' "$TMP/a.log" | cut -c1-160)" \
		grep -q "running as uid $nob, gid $nog, capabilities cap_net_bind_service,cap_net_admin=ep" "$TMP/a.log"

	# The control socket stays root's: created before the switch, mode 0600.
	expect_eq "control socket owner and mode" "$(stat -c '%U %a' "$TMP/a.sock")" "root 600"
	out=$(setpriv --reuid="$nob" --regid="$nog" --clear-groups \
		timeout 10 "$NVACTL" --socket "$TMP/a.sock" show ip bgp summary 2>&1)
	rc=$?
	check "nvactl as nobody (nvad's own user) is refused (exit $rc: $(printf '%s' "$out" | head -1))" test "$rc" != 0

	# A session, and B's routes in A's kernel (protocol 186).
	if wait_for 30 both_est; then ok "A (nobody): sessions with B Established (IPv4 and IPv6)"; else
		notok "A (nobody): sessions with B Established"; dump_logs "$TMP/a.log"; return; fi
	for p in 10.102.0.0/16 10.112.0.0/16 2001:db8:b0::/48; do
		if wait_for 20 k_has $p; then ok "A (nobody) installed $p in its kernel: $(kroute "$NSA" $p)"; else
			notok "A (nobody) installed $p in its kernel"; fi
	done

	# Reload: a withdrawal follows into the kernel.
	preset_b; C_EXTRA=0; nvad_conf "$TMP/b.conf"
	check "B: reload without 10.112.0.0/16" nv_reload b
	if wait_for 20 k_not 10.112.0.0/16; then ok "A (nobody) removed 10.112.0.0/16 from its kernel"; else
		notok "A (nobody) removed 10.112.0.0/16 from its kernel"; fi
	preset_a; C_PASSIVE=1; C_NBR=" neighbor %s description to-b\n"; nvad_conf "$TMP/a.conf"
	check "A (nobody): nvactl reload with a description" nv_reload a
	check "A: still Established after the reload" both_est
	# A new router id is a new speaker that binds port 179 again: what
	# CAP_NET_BIND_SERVICE is kept for.
	e0=$(nv_field b 10.97.0.1 connectionsEstablished)
	sed -i 's/^ bgp router-id 10.97.0.1$/ bgp router-id 10.97.0.11/' "$TMP/a.conf"
	check "A (nobody): reload with a new router id (a new speaker)" nv_reload a
	if wait_for 10 eval '[ -n "$(ip netns exec "$NSA" ss -Hltn "sport = :179")" ]'; then
		ok "A (nobody) listens on port 179 again: $(ip netns exec "$NSA" ss -Hltn 'sport = :179' | awk '{print $4}' | tr '\n' ' ')"
	else
		notok "A (nobody) listens on port 179 again"; grep -i listen "$TMP/a.log" | tail -3 | sed 's/^/#   /'
	fi
	check "A's log has no listening error" eval '! grep -q "cannot listen" "$TMP/a.log"'
	# A is passive: B connects to A's port 179.
	if wait_for 30 eval 'both_est && gt "$(nv_field b 10.97.0.1 connectionsEstablished)" "$e0"'; then
		ok "A (nobody, new speaker): B connected to port 179 again, Established"
	else
		notok "A (nobody, new speaker): B connected to port 179 again (B: $(nv_field b 10.97.0.1 bgpState))"
	fi
	if wait_for 20 k_has 10.102.0.0/16; then ok "A (nobody, new speaker): 10.102.0.0/16 in its kernel"; else
		notok "A (nobody, new speaker): 10.102.0.0/16 in its kernel"; fi
	expect_caps a "A after the reloads" $CAPS_BIND_ADMIN
	check "A: no permission error in its log" eval '! grep -qiE "operation not permitted|permission denied" "$TMP/a.log"'
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
# rfc7606: malformed UPDATEs from a raw peer; nvad's RIB and kernel follow RFC 7606
# ====================================================================================
# raw COMMAND...: one command to rawpeer.py (in B), its answer on stdout.
raw() {
	local line
	printf '%s\n' "$*" >&"${RAW[1]}" || return 1
	read -r -t 40 line <&"${RAW[0]}" || { echo "no answer"; return 1; }
	printf '%s\n' "$line"
}
# raw_start ADDR AS [--ibgp]: rawpeer.py in B from ADDR as AS, connected to
# nvad A with its stable routes (10.200.0.0/16, 2001:db8:200::/48) in A's RIB
# and kernel. RAW_ADDR is the peer nvad sees.
raw_start() {
	RAW_ADDR=$1
	coproc RAW { ip netns exec "$NSB" python3 "$HERE/rawpeer.py" --connect 10.97.0.1 \
		--source "$1" --local-as "$2" --router-id "$1" --next-hop "$1" --next-hop6 fd00:97::2 \
		"${@:3}" 2>>"$TMP/rawpeer.log"; }
	raw_connect
}
raw_connect() {
	local r
	for _ in $(seq 15); do
		r=$(raw connect)
		[ "$r" = established ] && break
		sleep 2
	done
	[ "$r" = established ] || { say "raw peer: $r"; return 1; }
	[ "$(raw announce 10.200.0.0/16)" = sent ] && [ "$(raw announce 2001:db8:200::/48)" = sent ] &&
		wait_for 20 eval 'k_has 10.200.0.0/16 && k_has 2001:db8:200::/48'
}
# raw_stop: the raw peer's standard input closed; it exits, the session drops.
raw_stop() {
	local pid=$RAW_PID
	eval "exec ${RAW[1]}>&-"
	wait "$pid" 2>/dev/null
	wait_for 20 eval 'k_not 10.200.0.0/16 && k_not 2001:db8:200::/48'
}
# The path nvad A holds for a prefix (show ip bgp PREFIX json), or nothing.
rib_path() {
	local cmd="show ip bgp"
	case $1 in *:*) cmd="show bgp ipv6 unicast" ;; esac
	nv a $cmd "$1" json 2>/dev/null | jq -c '.paths[0] // empty'
}
rib_has() { [ -n "$(rib_path "$1")" ]; }
rib_not() { [ -z "$(rib_path "$1")" ]; }
# stable_stays LABEL: the routes not in the malformed UPDATE are still in the
# RIB and the kernel, and the session is up.
stable_stays() {
	check "$1: session still Established, the other routes (10.200.0.0/16, 2001:db8:200::/48) stay in the RIB and the kernel" \
		eval '[ "$(raw wait 1)" = up ] && nv_est a "$RAW_ADDR" && rib_has 10.200.0.0/16 && rib_has 2001:db8:200::/48 && k_has 10.200.0.0/16 && k_has 2001:db8:200::/48'
}
# rfc7606_row N "CASE|EXPECT|RULE": sends the malformed UPDATE CASE about the
# N-th test prefix and checks EXPECT: withdraw, discard:JQ (the kept path
# satisfies JQ) or reset:CODE/SUBCODE; RULE is printed.
# rfc7606_rows ROW...: rfc7606_row for each, numbered on from $i, until one
# cannot be checked (the session is gone).
rfc7606_rows() {
	local row
	for row in "$@"; do
		i=$((i + 1))
		rfc7606_row $i "$row" || break
	done
}

rfc7606_row() {
	local i=$1 name expect cite p r lines0 code sub
	IFS='|' read -r name expect cite <<<"$2"
	case $name in mp-reach-* | duplicate-mp-reach) p=2001:db8:150:$i::/64 ;; *) p=10.150.$i.0/24 ;; esac
	say "$name ($p, from $RAW_ADDR): $cite"
	lines0=$(wc -l <"$TMP/a.log")
	case $expect in
	withdraw)
		# First the prefix well-formed, in the RIB and the kernel.
		raw announce "$p" >/dev/null
		wait_for 20 eval 'k_has "$p"' || notok "$name: $p announced well-formed first is in A's kernel"
		r=$(raw send "$name" "$p")
		if wait_for 20 eval 'rib_not "$p" && k_not "$p"'; then
			ok "$name: $p treat-as-withdraw: gone from A's RIB and kernel"
		else
			notok "$name: $p treat-as-withdraw: gone from A's RIB and kernel (RIB: $(rib_path "$p"); kernel: $(kroute "$NSA" "$p"); send: $r)"
		fi
		stable_stays "$name"
		;;
	discard:*)
		r=$(raw send "$name" "$p")
		if wait_for 20 eval 'rib_has "$p" && k_has "$p"'; then
			ok "$name: $p accepted, in A's RIB and kernel"
		else
			notok "$name: $p accepted, in A's RIB and kernel (send: $r)"
		fi
		check "$name: the path has ${expect#discard:} ($(rib_path "$p" | cut -c1-150))" \
			jq -e "${expect#discard:}" <<<"$(rib_path "$p")"
		stable_stays "$name"
		;;
	reset:*)
		code=${expect#reset:}
		sub=${code#*/}
		code=${code%/*}
		r=$(raw send "$name" "$p")
		expect_eq "$name: nvad sends NOTIFICATION $code/$sub and closes" "$(raw wait 10)" "notification $code $sub"
		if wait_for 20 eval '! nv_est a "$RAW_ADDR" && k_not 10.200.0.0/16 && k_not 2001:db8:200::/48 && k_not "$p"'; then
			ok "$name: the session is down and B's routes left A's kernel"
		else
			notok "$name: the session is down and B's routes left A's kernel (state $(nv_field a "$RAW_ADDR" bgpState))"
		fi
		if raw_connect; then ok "$name: B Established again, its routes back in A's kernel"; else
			notok "$name: B Established again"; return 1; fi
		;;
	esac
	# nvad's log names the attribute at fault and the action.
	r=$(tail -n +"$((lines0 + 1))" "$TMP/a.log" | grep -m1 'UPDATE: ')
	check "$name: nvad logs the fault: ${r#* nvad }" test -n "$r"
}
case_rfc7606() {
	local i=0 nbr af
	net_ab && addr "$NSB" vb 10.97.0.3/24 || { notok "namespaces set up"; return; }
	{
		printf '%s\n' "frr defaults traditional" "hostname nvad-a" "router bgp 65001" \
			" bgp router-id 10.97.0.1" " no bgp ebgp-requires-policy"
		for nbr in "10.97.0.2 65002" "10.97.0.3 65001"; do
			printf ' neighbor %s remote-as %s\n' $nbr
			printf ' neighbor %s %s\n' "${nbr% *}" passive "${nbr% *}" "timers 3 9"
		done
		for af in ipv4 ipv6; do
			echo " address-family $af unicast"
			printf '  neighbor %s activate\n' 10.97.0.2 10.97.0.3
			echo " exit-address-family"
		done
		echo "exit"
	} >"$TMP/a.conf"
	# nvad writes routes to the kernel of its namespace (protocol 186).
	nvad_spawn a "$NSA" "$TMP/a.conf" || { notok "nvad A started"; return; }

	# The external raw peer. Each row: CASE | withdraw, discard:JQ,
	# reset:CODE/SUBCODE | the rule (RFC 7606 sections; "3(c)" is item c of 3).
	if raw_start 10.97.0.2 65002; then ok "external raw peer B (AS 65002) Established with nvad A; its routes in A's kernel"; else
		notok "external raw peer B Established with nvad A; its routes in A's kernel"; dump_logs "$TMP/a.log" "$TMP/rawpeer.log"; return; fi
	rfc7606_rows \
		"origin-value|withdraw|RFC 7606 7.1: ORIGIN with an undefined value is treat-as-withdraw" \
		"origin-length|withdraw|RFC 7606 7.1: ORIGIN of length other than 1 is treat-as-withdraw" \
		"aspath-segment-type|withdraw|RFC 7606 7.2: AS_PATH with an undefined segment type is treat-as-withdraw" \
		"aspath-overrun|withdraw|RFC 7606 7.2: AS_PATH whose segment overruns the attribute is treat-as-withdraw" \
		"nexthop-length|withdraw|RFC 7606 7.3: NEXT_HOP of length other than 4 is treat-as-withdraw" \
		"med-length|withdraw|RFC 7606 7.4: MULTI_EXIT_DISC of length other than 4 is treat-as-withdraw" \
		"localpref-ebgp|discard:.locPrf == null|RFC 7606 7.5: LOCAL_PREF from an external peer is discarded (attribute discard)" \
		"duplicate-med|discard:.metric == 10|RFC 7606 3(g): an attribute twice: copies after the first are discarded (MED 10 kept, 20 dropped)" \
		"duplicate-mp-reach|reset:3/1|RFC 7606 3(g): MP_REACH_NLRI twice is a session reset, Malformed Attribute List" \
		"flags-origin|withdraw|RFC 7606 3(c): a well-known attribute (ORIGIN) flagged optional is treat-as-withdraw" \
		"flags-atomic-aggregate|discard:.atomicAggregate == null|RFC 7606 3(c) with 7.6: ATOMIC_AGGREGATE with wrong flags is attribute discard" \
		"communities-length|withdraw|RFC 7606 7.8: COMMUNITIES of a length not a multiple of 4 is treat-as-withdraw" \
		"missing-aspath|withdraw|RFC 7606 3(d): a missing mandatory attribute (AS_PATH) is treat-as-withdraw" \
		"missing-nexthop|withdraw|RFC 7606 3(d): a missing NEXT_HOP with an NLRI field is treat-as-withdraw" \
		"attr-overrun|withdraw|RFC 7606 4: an attribute overrunning the path attributes is treat-as-withdraw, the NLRI found by the Total Path Attribute Length" \
		"total-length-overrun|reset:3/1|RFC 4271 6.3 (RFC 7606 4 keeps it): Total Path Attribute Length past the UPDATE is a session reset, Malformed Attribute List" \
		"mp-reach-nexthop-length|reset:3/9|RFC 7606 7.11: MP_REACH_NLRI whose next hop length fits no address cannot be parsed further: session reset (Optional Attribute Error)" \
		"mp-reach-nexthop-unspecified|withdraw|RFC 7606 7.11 and RFC 4760: MP_REACH_NLRI with the unspecified next hop is treat-as-withdraw"
	check "external raw peer stopped: its routes left A's kernel" raw_stop

	# The internal raw peer: the attributes only an internal peer may send.
	if raw_start 10.97.0.3 65001 --ibgp; then ok "internal raw peer B (AS 65001, 10.97.0.3) Established with nvad A; its routes in A's kernel"; else
		notok "internal raw peer B Established with nvad A"; dump_logs "$TMP/a.log" "$TMP/rawpeer.log"; return; fi
	rfc7606_rows \
		"localpref-ibgp-length|withdraw|RFC 7606 7.5: LOCAL_PREF of length other than 4 from an internal peer is treat-as-withdraw" \
		"originator-id-length|withdraw|RFC 7606 7.9: ORIGINATOR_ID of length other than 4 is treat-as-withdraw" \
		"cluster-list-length|withdraw|RFC 7606 7.10: CLUSTER_LIST of a length not a multiple of 4 is treat-as-withdraw"
	check "internal raw peer stopped: its routes left A's kernel" raw_stop
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/rawpeer.log"
}

# ====================================================================================
# config: --check, errors, reload (failing, soft, resetting), SIGHUP
# ====================================================================================
# nv_desc NAME PEER: the description shown in show ip bgp summary json.
nv_desc() {
	local cmd="show ip bgp summary json" key=ipv4Unicast
	case $2 in *:*) cmd="show bgp ipv6 summary json" key=ipv6Unicast ;; esac
	nv "$1" $cmd 2>/dev/null | jq -r --arg n "$2" --arg k "$key" '.[$k].peers[$n].desc // empty'
}
case_config() {
	local seed=$SEED_DIR/p2-vm-hub00.frr.conf out rc line rc0 s0 s1 d0 e0 s60 t0
	# --check on the seed.
	if [ -f "$seed" ]; then
		out=$("$NVAD" -f "$seed" --check 2>&1)
		rc=$?
		expect_eq "nvad --check on the seed's p2-vm-hub00.frr.conf exits 0" "$rc" 0
		[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'
	else
		notok "the seed configuration $seed exists (set NVAD_SEED_DIR)"
	fi

	# A configuration with an error on a known line.
	preset_a; nvad_conf "$TMP/good.conf"
	line=$(grep -n '^ bgp router-id' "$TMP/good.conf" | cut -d: -f1)
	line=$((line + 1))
	sed "${line}i\\ bgp frobnicate 7" "$TMP/good.conf" >"$TMP/broken.conf"
	out=$("$NVAD" -f "$TMP/broken.conf" --check 2>&1)
	rc=$?
	expect_eq "nvad --check on a broken file exits 1" "$rc" 1
	if printf '%s\n' "$out" | grep -q "^$TMP/broken.conf:$line: "; then
		ok "--check reports FILE:LINE: message ($(printf '%s\n' "$out" | grep -m1 "broken.conf:$line:"))"
	else
		notok "--check reports $TMP/broken.conf:$line: message"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	net_ab || { notok "namespaces set up"; return; }
	out=$(timeout 10 ip netns exec "$NSA" "$NVAD" -f "$TMP/broken.conf" --socket "$TMP/broken.sock" \
		--no-kernel 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
		ok "nvad refuses to start on the broken file (exit $rc)"
	else
		notok "nvad refuses to start on the broken file (exit $rc; 124: still running after 10 s)"
	fi
	check "... and says where: $(printf '%s\n' "$out" | grep -m1 "broken.conf:$line:")" \
		eval 'printf "%s\n" "$out" | grep -q "broken.conf:$line: "'

	# Two nvad, up.
	preset_a; nvad_conf "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"
	nvad_start b "$NSB" && nvad_start a "$NSA" || { notok "nvad A and B started"; return; }
	if wait_for 30 both_est; then ok "A and B Established (IPv4 and IPv6)"; else
		notok "A and B Established (IPv4 and IPv6)"; return; fi

	# A failing reload changes nothing: configuration, sessions, routes.
	t0=$(settled_tables) || notok "the tables settle before the failed reload"
	rc0=$(nv a show running-config)
	s0=$(snap a 10.97.0.2)
	s60=$(snap a fd00:97::2)
	cp "$TMP/a.conf" "$TMP/a.conf.good"
	sed "${line}i\\ bgp frobnicate 7" "$TMP/a.conf.good" >"$TMP/a.conf"
	out=$(nv a reload 2>&1)
	rc=$?
	check "nvactl reload with a broken file fails (exit $rc)" test "$rc" != 0
	if printf '%s\n' "$out" | grep -q "a.conf:$line: "; then
		ok "... and says why: $(printf '%s\n' "$out" | tr '\n' ' ' | cut -c1-200)"
	else
		notok "... and says why (a.conf:$line: ...)"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	check "show running-config unchanged after the failed reload" test "$(nv a show running-config)" = "$rc0"
	sleep 1
	expect_eq "no session reset by the failed reload (established/dropped)" "$(snap a 10.97.0.2)" "$s0"
	expect_eq "no IPv6 session reset by the failed reload (established/dropped)" "$(snap a fd00:97::2)" "$s60"
	check "sessions still Established" both_est
	check "A's and B's BGP tables (IPv4 and IPv6, $(jq -s 'map(.routes // {} | length) | add' <<<"$t0") prefix entries) unchanged after the failed reload" \
		test "$(both_tables)" = "$t0"

	# Description, then soft-reconfiguration: no reset.
	preset_a; C_NBR=" neighbor %s description to-nvad-b\n"; nvad_conf "$TMP/a.conf"
	check "reload with a neighbor description" nv_reload a
	expect_eq "the description is shown (summary json desc)" "$(nv_desc a 10.97.0.2)" to-nvad-b
	check "show running-config has the description" eval 'nv a show running-config | grep -q "neighbor 10.97.0.2 description to-nvad-b"'
	preset_a; C_NBR=" neighbor %s description to-nvad-b\n"; C_AFNBR="  neighbor %s soft-reconfiguration inbound\n"
	nvad_conf "$TMP/a.conf"
	check "reload with soft-reconfiguration inbound" nv_reload a
	check "show running-config has soft-reconfiguration inbound" \
		eval 'nv a show running-config | grep -q "neighbor 10.97.0.2 soft-reconfiguration inbound"'
	sleep 1
	expect_eq "description and soft-reconfiguration: no session reset (established/dropped)" "$(snap a 10.97.0.2)" "$s0"
	check "sessions still Established" both_est

	# Timers: a reset, then up again with the new hold time.
	d0=$(nv_field a 10.97.0.2 connectionsDropped)
	e0=$(nv_field a 10.97.0.2 connectionsEstablished)
	C_TIMERS="4 12"; nvad_conf "$TMP/a.conf"
	check "reload with timers 4 12" nv_reload a
	if wait_for 10 eval 'gt "$(nv_field a 10.97.0.2 connectionsDropped)" "$d0"'; then
		ok "timers changed: the session was reset (connectionsDropped $d0 -> $(nv_field a 10.97.0.2 connectionsDropped))"
	else
		notok "timers changed: the session was reset (connectionsDropped stays $d0)"
	fi
	if wait_for 30 eval 'both_est && gt "$(nv_field a 10.97.0.2 connectionsEstablished)" "$e0"'; then
		ok "timers changed: Established again (connectionsEstablished $e0 -> $(nv_field a 10.97.0.2 connectionsEstablished))"
	else
		notok "timers changed: Established again"
	fi
	expect_eq "configured hold time now 12 s" "$(nv_field a 10.97.0.2 bgpTimerConfiguredHoldTimeMsecs)" 12000
	expect_eq "negotiated hold time the smaller, B's 9 s" "$(nv_field a 10.97.0.2 bgpTimerHoldTimeMsecs)" 9000

	# remote-as: a reset, and with a wrong AS the session stays down.
	d0=$(nv_field a 10.97.0.2 connectionsDropped)
	C_PEERAS=65009; nvad_conf "$TMP/a.conf"
	check "reload with remote-as 65009 (B is 65002)" nv_reload a
	if wait_for 10 eval 'gt "$(nv_field a 10.97.0.2 connectionsDropped)" "$d0"'; then
		ok "remote-as changed: the session was reset (connectionsDropped $d0 -> $(nv_field a 10.97.0.2 connectionsDropped))"
	else
		notok "remote-as changed: the session was reset (connectionsDropped stays $d0)"
	fi
	if wait_for 10 eval 'grep -q "10.97.0.2: sent NOTIFICATION 2/2" "$TMP/a.log"'; then
		ok "remote-as 65009: B's OPEN is refused ($(grep -m1 '10.97.0.2: sent NOTIFICATION 2/2' "$TMP/a.log" | cut -d' ' -f3-))"
	else
		notok "remote-as 65009: B's OPEN is refused with NOTIFICATION 2/2 (Bad Peer AS)"
	fi
	check "remote-as 65009: not Established" nv_not_est a 10.97.0.2
	C_PEERAS=65002; nvad_conf "$TMP/a.conf"
	check "reload with remote-as 65002 again" nv_reload a
	if wait_for 30 both_est; then ok "remote-as 65002: Established again"; else notok "remote-as 65002: Established again"; fi

	# SIGHUP reloads too.
	s0=$(snap a 10.97.0.2)
	C_NBR=" neighbor %s description via-sighup\n"; nvad_conf "$TMP/a.conf"
	kill -HUP "$(lib_pid "$TMP" a)"
	if wait_for 10 eval '[ "$(nv_desc a 10.97.0.2)" = via-sighup ]'; then
		ok "SIGHUP: the new description is in effect"
	else
		notok "SIGHUP: the new description is in effect (desc: $(nv_desc a 10.97.0.2))"
	fi
	check "SIGHUP: nvad still runs" lib_running "$TMP" a
	sleep 1
	expect_eq "SIGHUP with a new description: no session reset" "$(snap a 10.97.0.2)" "$s0"
	# A broken file on SIGHUP: kept running, logged, nothing changed.
	t0=$(settled_tables) || notok "the tables settle before the SIGHUP with a broken file"
	s0=$(snap a 10.97.0.2)
	s60=$(snap a fd00:97::2)
	sed "${line}i\\ bgp frobnicate 7" "$TMP/a.conf" >"$TMP/a.conf.new" && mv "$TMP/a.conf.new" "$TMP/a.conf"
	kill -HUP "$(lib_pid "$TMP" a)"
	if wait_for 10 eval 'grep -q "reload of .*failed" "$TMP/a.log"'; then
		ok "SIGHUP with a broken file: logged ($(grep -m1 'reload of .*failed' "$TMP/a.log" | cut -d' ' -f3- | cut -c1-150))"
	else
		notok "SIGHUP with a broken file: the failure is logged"
	fi
	check "SIGHUP with a broken file: nvad still runs, sessions Established" eval 'lib_running "$TMP" a && both_est'
	expect_eq "SIGHUP with a broken file: description kept" "$(nv_desc a 10.97.0.2)" via-sighup
	expect_eq "SIGHUP with a broken file: no session reset (IPv4, IPv6)" \
		"$(snap a 10.97.0.2) $(snap a fd00:97::2)" "$s0 $s60"
	check "SIGHUP with a broken file: A's and B's BGP tables unchanged" test "$(both_tables)" = "$t0"
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
# ebgp-policy: RFC 8212 as FRR 8.x does it by default
# ====================================================================================
case_ebgp_policy() {
	local s0 txt pa
	net_ab || { notok "namespaces set up"; return; }
	# A keeps FRR 8.4's default (bgp ebgp-requires-policy) and has no
	# route-map; B has `no bgp ebgp-requires-policy`.
	preset_a; C_POLICY=1; nvad_conf "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"
	check "A's configuration has no ebgp-requires-policy line and no route-map" \
		eval '! grep -q "ebgp-requires-policy\|route-map" "$TMP/a.conf"'
	nvad_start b "$NSB" && nvad_start a "$NSA" || { notok "nvad A and B started"; return; }
	if wait_for 30 both_est; then ok "sessions Established (IPv4 and IPv6)"; else
		notok "sessions Established (IPv4 and IPv6)"; return; fi
	# Both ends sent what they had (End-of-RIB both ways, both families).
	if wait_for 15 eval '[ "$(grep -c "End-of-RIB received" "$TMP/a.log")" -ge 2 ] &&
		[ "$(grep -c "End-of-RIB received" "$TMP/b.log")" -ge 2 ]'; then
		ok "End-of-RIB received on both sides for both families"
	else
		notok "End-of-RIB received on both sides for both families"
	fi
	sleep 1
	for pa in 10.97.0.2 fd00:97::2; do
		expect_eq "A accepts nothing from B over $pa (pfxRcd)" "$(nv_pfxrcd a $pa)" 0
		expect_eq "B received nothing from A over $(other $pa) (pfxRcd)" "$(nv_pfxrcd b "$(other $pa)")" 0
	done
	check "A has none of B's routes" eval 'no_route rt_a 10.102.0.0/16 && no_route rt_a 2001:db8:b0::/48'
	check "B has none of A's routes" eval 'no_route rt_b 10.101.0.0/16 && no_route rt_b 10.201.0.0/16 && no_route rt_b 2001:db8:a0::/48'
	check "A still has its own routes" eval 'has_route rt_a 10.101.0.0/16 && has_route rt_a 2001:db8:a0::/48'
	txt=$(nv a show ip bgp summary)
	if printf '%s\n' "$txt" | grep -q '^10\.97\.0\.2 .*(Policy)'; then
		ok "show ip bgp summary shows (Policy) for 10.97.0.2"
	else
		notok "show ip bgp summary shows (Policy) for 10.97.0.2"
		printf '%s\n' "$txt" | sed 's/^/#   /'
	fi
	txt=$(nv a show bgp ipv6 summary)
	if printf '%s\n' "$txt" | grep -q '^fd00:97::2 .*(Policy)'; then
		ok "show bgp ipv6 summary shows (Policy) for fd00:97::2"
	else
		notok "show bgp ipv6 summary shows (Policy) for fd00:97::2"
		printf '%s\n' "$txt" | sed 's/^/#   /'
	fi
	check "B's summary shows no (Policy)" eval '! nv b show ip bgp summary | grep -q "(Policy)"'

	# no bgp ebgp-requires-policy: routes flow, without a session reset.
	s0=$(snap a 10.97.0.2)
	preset_a; nvad_conf "$TMP/a.conf"
	check "A: reload with no bgp ebgp-requires-policy" nv_reload a
	expect_route "A" rt_a 10.102.0.0/16 65002 igp 0 10.97.0.2
	expect_route "A" rt_a 2001:db8:b1::/48 65002 incomplete 77 fd00:97::2
	expect_route "B" rt_b 10.201.0.0/16 65001 incomplete 77 10.97.0.1
	expect_route "B" rt_b 2001:db8:a0::/48 65001 igp 0 fd00:97::1
	check "A's summary shows no (Policy) any more" eval '! nv a show ip bgp summary | grep -q "(Policy)"'
	expect_eq "the change needed no session reset (established/dropped)" "$(snap a 10.97.0.2)" "$s0"
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
# keepalive-under-load: a large table through nvad to a peer with hold time 9 s
# ====================================================================================
# B: the feeder, BIRD (AS 65010, 10.97.0.2), with LOAD_PREFIXES static /24s from
# 100.64.0.0 (bgpprobe stops at 16384 IPv4 prefixes, so BIRD feeds). A: nvad.
# C: FRR (AS 65003, 10.96.0.2), timers 3 9 on both ends, receiving the table
# from nvad; its bgpd runs with -n (no kernel routes).
LOAD_PREFIXES=${LOAD_PREFIXES:-200000}
case_keepalive_under_load() {
	local fb=$TMP/bird fc=$TMP/frr-c t0 t_conv='' polls=0 bad=0 silent=0 d0 fd0 st dr fst n4 nr v
	mkdir -p "$fb" "$fc"
	chmod 755 "$fb" "$fc"
	{
		net_ab && ns_add "$NSC" && veth "$NSA" vc "$NSC" ca &&
			addr "$NSA" vc 10.96.0.1/24 && addr "$NSC" ca 10.96.0.2/24
	} || { notok "namespaces set up"; return; }
	cat >"$TMP/a.conf" <<-EOF
	frr defaults traditional
	hostname nvad-a
	router bgp 65001
	 bgp router-id 10.97.0.1
	 no bgp ebgp-requires-policy
	 no bgp default ipv4-unicast
	 neighbor 10.97.0.2 remote-as 65010
	 neighbor 10.97.0.2 passive
	 neighbor 10.97.0.2 timers 10 30
	 neighbor 10.96.0.2 remote-as 65003
	 neighbor 10.96.0.2 timers 3 9
	 neighbor 10.96.0.2 timers connect 2
	 address-family ipv4 unicast
	  neighbor 10.97.0.2 activate
	  neighbor 10.96.0.2 activate
	 exit-address-family
	exit
	EOF
	cat >"$fc/bgpd.conf" <<-EOF
	frr defaults traditional
	hostname nvt-frr-c
	log file $fc/bgpd.log informational
	router bgp 65003
	 bgp router-id 10.96.0.2
	 no bgp ebgp-requires-policy
	 no bgp default ipv4-unicast
	 neighbor 10.96.0.1 remote-as 65001
	 neighbor 10.96.0.1 timers 3 9
	 neighbor 10.96.0.1 timers connect 2
	 address-family ipv4 unicast
	  neighbor 10.96.0.1 activate
	 exit-address-family
	exit
	EOF
	{
		echo "log \"$fb/bird.log\" { info, remote, warning, error, auth, fatal, bug };"
		echo "router id 10.97.0.2;"
		echo "protocol device { }"
		echo "protocol static feed { ipv4;"
		awk -v n="$LOAD_PREFIXES" 'BEGIN { b = 100 * 65536 + 64 * 256;
			for (i = 0; i < n; i++) { x = b + i;
				printf "  route %d.%d.%d.0/24 blackhole;\n", int(x / 65536), int(x / 256) % 256, x % 256 } }'
		echo "}"
		echo "protocol bgp nvad { local 10.97.0.2 as 65010; neighbor 10.97.0.1 as 65001;"
		echo "  hold time 30; connect delay time 1;"
		echo "  ipv4 { import none; export all; }; }"
	} >"$fb/bird.conf"
	frr_start "$NSC" "$fc" -n || { notok "FRR started in C"; dump_logs "$fc/bgpd.out"; return; }
	nvad_start a "$NSA" || { notok "nvad started"; return; }
	if wait_for 30 eval 'nv_est a 10.96.0.2 && frr_established "$NSC" "$fc" 10.96.0.1'; then
		ok "nvad - FRR session (timers 3 9 on both ends) Established"
	else
		notok "nvad - FRR session Established"; return
	fi
	expect_eq "negotiated hold time with FRR" "$(nv_field a 10.96.0.2 bgpTimerHoldTimeMsecs)" 9000
	d0=$(nv_field a 10.96.0.2 connectionsDropped)
	fd0=$(frr_vtysh "$NSC" "$fc" -c "show bgp neighbors 10.96.0.1 json" | jq '.["10.96.0.1"].connectionsDropped')

	t0=$(date +%s.%N)
	bird_start "$NSB" "$fb" || { notok "BIRD (the feeder) started"; dump_logs "$fb/bird.out"; return; }
	ok "BIRD started in B with $LOAD_PREFIXES static routes to feed"
	# Every 0.5 s until FRR holds the whole table and at least 12 s have
	# passed (at most 150 s): nvad's session with FRR Established with no new
	# drop, and FRR's too.
	while :; do
		polls=$((polls + 1))
		v=$(nv_nbr a 10.96.0.2)
		if [ -z "$v" ]; then
			silent=$((silent + 1))
		else
			st=$(jq -r .bgpState <<<"$v")
			dr=$(jq -r .connectionsDropped <<<"$v")
			if [ "$st" != Established ] || [ "$dr" != "$d0" ]; then
				bad=$((bad + 1))
				say "poll $polls: nvad's session with FRR: $st, connectionsDropped $dr"
			fi
		fi
		fst=$(frr_state "$NSC" "$fc" 10.96.0.1)
		if [ "$fst" != Established ]; then
			bad=$((bad + 1))
			say "poll $polls: FRR's session with nvad: $fst"
		fi
		n4=$(frr_pfxrcd "$NSC" "$fc" 10.96.0.1 ipv4)
		if [ -z "$t_conv" ] && [ "$n4" = "$LOAD_PREFIXES" ]; then
			t_conv=$(elapsed "$t0")
		fi
		# Watched for at least 12 s, more than one hold time.
		[ -n "$t_conv" ] && [ "$(elapsed "$t0" | cut -d. -f1)" -ge 12 ] && break
		[ "$(elapsed "$t0" | cut -d. -f1)" -ge 150 ] && break
		sleep 0.5
	done
	nr=$(nv_pfxrcd a 10.97.0.2)
	say "converged: FRR holds ${n4:-0} prefixes, nvad accepted $nr from BIRD, after ${t_conv:-more than 150} s ($polls polls)"
	expect_eq "nvad accepted all of BIRD's prefixes (pfxRcd)" "$nr" "$LOAD_PREFIXES"
	expect_eq "FRR received all of them from nvad (pfxRcd)" "${n4:-0}" "$LOAD_PREFIXES"
	expect_eq "nvad advertised all of them to FRR (pfxSnt)" \
		"$(nv "a" show ip bgp summary json | jq '.ipv4Unicast.peers["10.96.0.2"].pfxSnt')" "$LOAD_PREFIXES"
	expect_eq "polls during the flood where a session with FRR was not Established or had dropped" "$bad" 0
	[ "$silent" = 0 ] || say "nvactl got no answer within 10 s in $silent of $polls polls"
	expect_eq "nvad: connectionsDropped with FRR unchanged" "$(nv_field a 10.96.0.2 connectionsDropped)" "$d0"
	expect_eq "FRR: connectionsDropped with nvad unchanged" \
		"$(frr_vtysh "$NSC" "$fc" -c "show bgp neighbors 10.96.0.1 json" | jq '.["10.96.0.1"].connectionsDropped')" "$fd0"
	check "nvad's log: no hold timer expiry, no NOTIFICATION" \
		eval '! grep -Ei "hold timer|NOTIFICATION" "$TMP/a.log"'
	check "FRR's log: no hold timer expiry, no NOTIFICATION" \
		eval '! grep -Ei "hold timer expired|notification" "$fc/bgpd.log"'
	check "BIRD's log: no error on its session" eval '! grep -Ei "error|hold timer" "$fb/bird.log"'
	expect_eq "a route from the middle of the table at FRR (AS path, next hop)" \
		"$(frr_route "$NSC" "$fc" 101.199.0.0/24 | jq -r '"\(.asPath), \(.nextHop)"')" "65001 65010, 10.96.0.1"
	say "keepalives nvad sent to FRR: $(nv_field a 10.96.0.2 messageStats.keepalivesSent), received from it: $(nv_field a 10.96.0.2 messageStats.keepalivesRecv)"
	[ -n "$t_conv" ] && say "INFO: $LOAD_PREFIXES prefixes from BIRD through nvad to FRR in $t_conv s"
	if [ "$FAILED" -gt 0 ]; then
		grep -Ei "hold timer|NOTIFICATION" "$TMP/a.log" | head -10 | sed 's/^/#   nvad: /'
		grep -Ei "hold timer|notification" "$fc/bgpd.log" | head -10 | sed 's/^/#   FRR: /'
		dump_logs "$TMP/a.log" "$fc/bgpd.log" "$fb/bird.log"
	fi
}

# ====================================================================================
# redistribute: connected and kernel routes, read from the kernel through
# netlink and followed as they change (an address added, a route removed).
# ====================================================================================
case_redistribute() {
	net_ab || { notok "namespaces set up"; return; }
	preset_a
	C_AFNBR='  redistribute connected\n  redistribute kernel\n'
	nvad_conf "$TMP/a.conf"
	# One redistribute line per family is enough: drop the duplicates the
	# per-neighbor template wrote.
	awk '/address-family/ { delete seen } !(/redistribute (connected|kernel)/ && seen[$0]++)' \
		"$TMP/a.conf" >"$TMP/a.tmp" &&
		mv "$TMP/a.tmp" "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"
	ip -n "$NSA" addr add 10.55.0.1/32 dev lo
	ip -n "$NSA" route add 10.66.0.0/16 via 10.97.0.2 metric 42
	ip -n "$NSA" -6 route add 2001:db8:66::/48 via fd00:97::2 metric 43
	nvad_start a "$NSA" && nvad_start b "$NSB" || { notok "nvad A and B started"; return; }
	wait_for 30 both_est && ok "sessions up" || notok "sessions up"
	expect_route "B (connected /32 on lo)" rt_b 10.55.0.1/32 "65001" incomplete 0 10.97.0.1
	expect_route "B (connected subnet of the link)" rt_b 10.97.0.0/24 "65001" incomplete 0 10.97.0.1
	expect_route "B (kernel route, MED = its metric)" rt_b 10.66.0.0/16 "65001" incomplete 42 10.97.0.1
	expect_route "B (IPv6 kernel route)" rt_b 2001:db8:66::/48 "65001" incomplete 43 fd00:97::1
	check "B: 127.0.0.0/8 (loopback) not redistributed" eval '[ -z "$(rt_b 127.0.0.0/8)" ]'
	# Changes followed through netlink events.
	ip -n "$NSA" addr add 10.56.0.1/24 dev lo
	expect_route "B (an address added while running)" rt_b 10.56.0.0/24 "65001" incomplete 0 10.97.0.1
	ip -n "$NSA" route del 10.66.0.0/16
	expect_gone "B (the kernel route removed)" rt_b 10.66.0.0/16
	ip -n "$NSA" addr del 10.55.0.1/32 dev lo
	expect_gone "B (the address removed)" rt_b 10.55.0.1/32
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
# graceful-restart: nvad as helper (RFC 4724). B's process dies (SIGKILL, no
# NOTIFICATION): A keeps B's routes, marked stale; B comes back with one
# network fewer: after B's End-of-RIB, A has the routes B sent again and not
# the one B no longer has. A clean stop (SIGTERM sends a Cease) withdraws at once.
# ====================================================================================
case_graceful_restart() {
	net_ab || { notok "namespaces set up"; return; }
	preset_a; nvad_conf "$TMP/a.conf"
	preset_b; nvad_conf "$TMP/b.conf"
	nvad_start a "$NSA" && nvad_start b "$NSB" || { notok "nvad A and B started"; return; }
	wait_for 30 both_est && ok "sessions up" || notok "sessions up"
	expect_route "A" rt_a 10.102.0.0/16 "65002" igp 0 10.97.0.2
	expect_route "A" rt_a 10.112.0.0/16 "65002" igp 0 10.97.0.2
	nvad_kill b KILL
	wait_for 15 nv_not_est a 10.97.0.2 && ok "A sees the session down" || notok "A sees the session down"
	sleep 1
	if [ -n "$(rt_a 10.102.0.0/16)" ] && [ "$(nv_stale a 10.102.0.0/16)" = true ]; then
		ok "A keeps B's route 10.102.0.0/16, marked stale, while B restarts"
	else
		notok "A keeps B's route 10.102.0.0/16, marked stale, while B restarts"
	fi
	check "A's log: graceful restart keeps the routes" \
		eval 'grep -q "graceful restart: keeping its routes" "$TMP/a.log"'
	preset_b; C_EXTRA=0; nvad_conf "$TMP/b.conf"
	nvad_start b "$NSB" || notok "nvad B started again"
	wait_for 30 both_est && ok "sessions up again" || notok "sessions up again"
	expect_gone "A (B did not send it again: flushed at its End-of-RIB)" rt_a 10.112.0.0/16
	expect_route "A (sent again, no longer stale)" rt_a 10.102.0.0/16 "65002" igp 0 10.97.0.2
	expect_eq "A: 10.102.0.0/16 stale" "$(nv_stale a 10.102.0.0/16)" false
	# A clean stop sends a Cease: no graceful restart.
	nvad_kill b TERM
	expect_gone "A (B stopped cleanly)" rt_a 10.102.0.0/16
	nvad_start b "$NSB" && wait_for 30 both_est && ok "B back for the final checks" ||
		notok "B back for the final checks"
	[ "$FAILED" -gt 0 ] && dump_logs "$TMP/a.log" "$TMP/b.log"
}

# ====================================================================================
case $CASE in
graceful-restart) case_graceful_restart ;;
redistribute) case_redistribute ;;
nvad-nvad) case_nvad_nvad ;;
frr | bird | gobgp | openbgpd | exabgp) case_daemon "$CASE" ;;
security) case_security ;;
privileges) case_privileges ;;
rfc7606) case_rfc7606 ;;
config) case_config ;;
ebgp-policy) case_ebgp_policy ;;
keepalive-under-load) case_keepalive_under_load ;;
esac
# Every nvad of the case: still running, stops cleanly on SIGTERM (its log
# ends with "stopped"), and no sanitizer report in its log (ASan builds).
for f in "$TMP"/*.lpid; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .lpid)
	[ -f "$TMP/$n.conf" ] || continue # not an nvad
	pid=$(cat "$f")
	if ! kill -0 "$pid" 2>/dev/null; then
		notok "nvad $n still running at the end"
		dump_logs "$TMP/$n.log"
		continue
	fi
	kill -TERM "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if ! kill -0 "$pid" 2>/dev/null && tail -5 "$TMP/$n.log" | grep -q 'nvad notice: stopped'; then
		ok "nvad $n stopped cleanly on SIGTERM"
	else
		notok "nvad $n stopped cleanly on SIGTERM"
		tail -20 "$TMP/$n.log" | sed 's/^/#   /'
	fi
	if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$TMP/$n.log"; then
		notok "no sanitizer report in nvad $n's log"
		grep -A20 -m1 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$TMP/$n.log" | sed 's/^/#   /'
	fi
done
say "$CASE: $(elapsed "$T0") s"
finish
