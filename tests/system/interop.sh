#!/bin/bash
# interop.sh: nvad's BGP codec against a real BGP daemon.
#
#   interop.sh DAEMON BGPPROBE NVACTL     DAEMON: frr | bird | gobgp | exabgp | openbgpd
#
# Two network namespaces joined by a veth pair: bgpprobe (built on nvad's
# codec) in namespace a, the daemon in namespace b. The daemon originates a
# known set of routes with known attributes; bgpprobe announces 2000 IPv4 and
# 500 IPv6 prefixes and records every message it receives.
#   DECODE: `nvactl decode --json` reads the recorded stream without a fault
#           and finds exactly the daemon's routes and attributes.
#   ENCODE: the daemon holds all of the probe's prefixes with the attributes
#           the probe sent.
# Needs root (namespaces). Exit 77 (skipped) when the daemon is not installed.
# KEEP_TMP=1 keeps the temporary directory with configs, logs and recordings.
# SOAK=SECONDS keeps the session up that long with a 9 s hold time before it
# is closed, to exercise keepalives both ways (default 0: no soak).
set -u

DAEMON=${1:?usage: interop.sh DAEMON BGPPROBE NVACTL}
PROBE=$(readlink -f "${2:?bgpprobe path}")
NVACTL=$(readlink -f "${3:?nvactl path}")

# --- the routes and attributes of the test --------------------------------
PROBE_AS=65010
PROBE_ID=10.99.0.1
PROBE_V4=2000                 # 100.64.0.0/24 upward
PROBE_V6=500                  # 2001:db8:0::/48 upward
PROBE_ASPATH="65010 4200000001"
PROBE_COMM="65010:1 65010:2"
PROBE_LARGE="65010:1:2"
PROBE_MED=10
PROBE_NH4=10.99.0.1
PROBE_NH6=fd00:99::1

DAEMON_AS=65020
DAEMON_ID=10.99.0.2
DAEMON_V4="192.0.2.0/25 198.51.100.0/24 203.0.113.0/24"
DAEMON_V6="2001:db8:f100::/48 2001:db8:f200::/56"
DAEMON_MED=50
DAEMON_COMM="65020:100 65020:200"
DAEMON_LARGE="65020:1:2"
DAEMON_NH4=10.99.0.2
DAEMON_NH6=fd00:99::2
DAEMON_NH6_NOTE=
# Per daemon below: the AS path the probe should see, and whether the daemon
# sends End-of-RIB markers.
DAEMON_ASPATH="65020 4200000002"
DAEMON_SENDS_EOR=1
# connect: the probe connects to the daemon; listen: the daemon connects.
PROBE_MODE=connect

NSA=nvt-$$-a
NSB=nvt-$$-b
PROBE_PID=

# Result lines, waits, namespaces, cleanup and the daemons' start and query
# functions are shared with speaker.sh.
. "$(dirname "$(readlink -f "$0")")/lib.sh"
lib_cleanup_hook() { stop_pid "$PROBE_PID"; }

inb() { ip netns exec "$NSB" "$@"; }

# --- preconditions ---------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
command -v xxd >/dev/null || command -v od >/dev/null || skip "neither xxd nor od installed"
case $DAEMON in
frr) [ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] || skip "frr not installed" ;;
bird) command -v bird >/dev/null && command -v birdc >/dev/null || skip "bird2 not installed" ;;
gobgp) command -v gobgpd >/dev/null && command -v gobgp >/dev/null || skip "gobgpd not installed" ;;
exabgp) command -v exabgp >/dev/null || skip "exabgp not installed" ;;
openbgpd)
	[ -x "$(openbgpd_bin)" ] && command -v bgpctl >/dev/null || skip "openbgpd not installed"
	;;
*) echo "interop.sh: unknown daemon '$DAEMON'" >&2; exit 2 ;;
esac

lib_init "$DAEMON"

# --- network ---------------------------------------------------------------
setup_net() {
	ns_add "$NSA" && ns_add "$NSB" && veth "$NSA" va "$NSB" vb &&
		addr "$NSA" va 10.99.0.1/24 fd00:99::1/64 && addr "$NSB" vb 10.99.0.2/24 fd00:99::2/64
}
setup_net || { notok "network namespaces set up"; finish; }

# --- FRR -------------------------------------------------------------------
frr_vtysh_() { frr_vtysh "$NSB" "$TMP" "$@"; }

start_frr() {
	{
		echo "frr defaults traditional"
		echo "hostname nvt-frr"
		echo "log file $TMP/bgpd.log informational"
		echo "!"
		for p in $DAEMON_V4; do echo "ip prefix-list OWN4 permit $p"; done
		for p in $DAEMON_V6; do echo "ipv6 prefix-list OWN6 permit $p"; done
		for f in 4 6; do
			if [ $f = 4 ]; then echo "route-map OUT4 permit 10"; echo " match ip address prefix-list OWN4"
			else echo "route-map OUT6 permit 10"; echo " match ipv6 address prefix-list OWN6"; fi
			echo " set origin igp"
			echo " set metric $DAEMON_MED"
			echo " set community $DAEMON_COMM"
			echo " set large-community $DAEMON_LARGE"
			echo " set as-path prepend 4200000002"
			echo "!"
		done
		echo "router bgp $DAEMON_AS"
		echo " bgp router-id $DAEMON_ID"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " no bgp default ipv4-unicast"
		echo " neighbor $PROBE_ID remote-as $PROBE_AS"
		echo " neighbor $PROBE_ID passive"
		echo " neighbor $PROBE_ID timers 10 30"
		echo " address-family ipv4 unicast"
		for p in $DAEMON_V4; do echo "  network $p"; done
		echo "  neighbor $PROBE_ID activate"
		echo "  neighbor $PROBE_ID route-map OUT4 out"
		echo " exit-address-family"
		echo " address-family ipv6 unicast"
		for p in $DAEMON_V6; do echo "  network $p"; done
		echo "  neighbor $PROBE_ID activate"
		echo "  neighbor $PROBE_ID route-map OUT6 out"
		echo " exit-address-family"
	} >"$TMP/bgpd.conf"
	frr_start "$NSB" "$TMP"
}
frr_established_() { frr_established "$NSB" "$TMP" "$PROBE_ID"; }
# counts_DAEMON: "V4 V6" prefixes received from the probe.
counts_frr() {
	echo "$(frr_pfxrcd "$NSB" "$TMP" "$PROBE_ID" ipv4) $(frr_pfxrcd "$NSB" "$TMP" "$PROBE_ID" ipv6)"
}
# route_DAEMON PREFIX: the route as {asPath, communities, large, med, nextHop}.
route_frr() { frr_route "$NSB" "$TMP" "$1"; }
daemon_log_frr() { cat "$TMP/bgpd.log" "$TMP/bgpd.out" 2>/dev/null; }

# --- BIRD 2 ----------------------------------------------------------------
birdc__() { birdc_ "$NSB" "$TMP" "$@"; }

start_bird() {
	local p c l f
	# Communities in BIRD's (a,b) and (a,b,c) notation.
	c=$(for x in $DAEMON_COMM; do printf ' bgp_community.add((%s));' "${x//:/,}"; done)
	l=$(for x in $DAEMON_LARGE; do printf ' bgp_large_community.add((%s));' "${x//:/,}"; done)
	f="bgp_origin = ORIGIN_IGP; bgp_med = $DAEMON_MED;$c$l bgp_path.prepend(4200000002); accept;"
	{
		echo "log \"$TMP/bird.log\" all;"
		echo "router id $DAEMON_ID;"
		echo "protocol device { }"
		echo "protocol static own4 { ipv4;"
		for p in $DAEMON_V4; do echo "  route $p blackhole;"; done
		echo "}"
		echo "protocol static own6 { ipv6;"
		for p in $DAEMON_V6; do echo "  route $p blackhole;"; done
		echo "}"
		echo "protocol bgp probe {"
		echo "  local 10.99.0.2 as $DAEMON_AS;"
		echo "  neighbor $PROBE_ID as $PROBE_AS;"
		echo "  passive on;"
		echo "  hold time 30;"
		echo "  ipv4 { import all; export filter { if source != RTS_STATIC then reject; $f }; };"
		echo "  ipv6 { next hop address $DAEMON_NH6; import all;"
		echo "         export filter { if source != RTS_STATIC then reject; $f }; };"
		echo "}"
	} >"$TMP/bird.conf"
	bird_start "$NSB" "$TMP"
}
bird_established_() { bird_established "$NSB" "$TMP" probe; }
counts_bird() {
	# "Routes: 2000 imported, 3 exported, ..." once per channel, ipv4 first.
	birdc__ show protocols all probe 2>/dev/null |
		awk '/Channel ipv4/ {c = 4} /Channel ipv6/ {c = 6}
		     /Routes:/ {n[c] = $2} END {printf "%d %d\n", n[4], n[6]}'
}
route_bird() { bird_route "$NSB" "$TMP" "$1"; }
daemon_log_bird() { cat "$TMP/bird.log" "$TMP/bird.out" 2>/dev/null; }

# --- GoBGP -----------------------------------------------------------------
gobgp__() { gobgp_ "$NSB" "$@"; }

start_gobgp() {
	local p comm
	cat >"$TMP/gobgpd.toml" <<-EOF
	[global.config]
	  as = $DAEMON_AS
	  router-id = "$DAEMON_ID"
	  port = 179
	  local-address-list = ["10.99.0.2", "fd00:99::2"]
	[[neighbors]]
	  [neighbors.config]
	    neighbor-address = "$PROBE_ID"
	    peer-as = $PROBE_AS
	  [neighbors.transport.config]
	    passive-mode = true
	  [neighbors.timers.config]
	    hold-time = 30
	    keepalive-interval = 10
	  [neighbors.graceful-restart.config]
	    enabled = true
	    helper-only = true
	  [[neighbors.afi-safis]]
	    [neighbors.afi-safis.config]
	      afi-safi-name = "ipv4-unicast"
	    [neighbors.afi-safis.mp-graceful-restart.config]
	      enabled = true
	  [[neighbors.afi-safis]]
	    [neighbors.afi-safis.config]
	      afi-safi-name = "ipv6-unicast"
	    [neighbors.afi-safis.mp-graceful-restart.config]
	      enabled = true
	EOF
	gobgp_start "$NSB" "$TMP" || return 1
	# The daemon's own routes, with their attributes, into its global RIB.
	comm=$(echo $DAEMON_COMM | tr ' ' ,)
	for p in $DAEMON_V4; do
		gobgp__ global rib add -a ipv4 "$p" origin igp med $DAEMON_MED aspath 4200000002 \
			community "$comm" large-community "$(echo $DAEMON_LARGE | tr ' ' ,)" \
			nexthop $DAEMON_NH4 || return 1
	done
	for p in $DAEMON_V6; do
		gobgp__ global rib add -a ipv6 "$p" origin igp med $DAEMON_MED aspath 4200000002 \
			community "$comm" large-community "$(echo $DAEMON_LARGE | tr ' ' ,)" \
			nexthop $DAEMON_NH6 || return 1
	done
}
gobgp_established_() { gobgp_established "$NSB" "$PROBE_ID"; }
counts_gobgp() {
	local v4 v6
	v4=$(gobgp__ neighbor "$PROBE_ID" adj-in -a ipv4 -j 2>/dev/null | jq 'length')
	v6=$(gobgp__ neighbor "$PROBE_ID" adj-in -a ipv6 -j 2>/dev/null | jq 'length')
	echo "${v4:-0} ${v6:-0}"
}
route_gobgp() { gobgp_route "$NSB" "$1"; }
daemon_log_gobgp() { cat "$TMP/gobgpd.log" 2>/dev/null; }

# --- ExaBGP ----------------------------------------------------------------
# ExaBGP connects out to the probe (bgpprobe --listen); what it receives is
# written by an API process as JSON, one message a line.
start_exabgp() {
	local p comm large attrs
	PROBE_MODE=listen
	comm=$(echo $DAEMON_COMM)
	large=$(echo $DAEMON_LARGE)
	attrs="origin igp med $DAEMON_MED as-path [ $DAEMON_ASPATH ] community [ $comm ] large-community [ $large ]"
	exabgp_receiver_script "$TMP"
	{
		echo "process receiver {"
		echo "  run $TMP/exabgp-receiver.sh;"
		echo "  encoder json;"
		echo "}"
		echo "neighbor $PROBE_ID {"
		echo "  router-id $DAEMON_ID;"
		echo "  local-address 10.99.0.2;"
		echo "  local-as $DAEMON_AS;"
		echo "  peer-as $PROBE_AS;"
		echo "  hold-time 30;"
		echo "  family { ipv4 unicast; ipv6 unicast; }"
		echo "  capability { route-refresh; graceful-restart 120; }"
		echo "  api { processes [ receiver ]; receive { parsed; update; } }"
		echo "  static {"
		for p in $DAEMON_V4; do echo "    route $p next-hop $DAEMON_NH4 $attrs;"; done
		for p in $DAEMON_V6; do echo "    route $p next-hop $DAEMON_NH6 $attrs;"; done
		echo "  }"
		echo "}"
	} >"$TMP/exabgp.conf"
	exabgp_start "$NSB" "$TMP"
}
exabgp_established_() {
	grep -q '"state": *"up"' "$TMP/exabgp-received.jsonl" 2>/dev/null ||
		grep -q '"type": *"update"' "$TMP/exabgp-received.jsonl" 2>/dev/null
}
counts_exabgp() {
	exabgp_routes "$TMP" | jq -rs '[
		([.[] | select(.family == "ipv4 unicast") | .prefix] | unique | length),
		([.[] | select(.family == "ipv6 unicast") | .prefix] | unique | length)] | "\(.[0]) \(.[1])"'
}
route_exabgp() { exabgp_route "$TMP" "$1"; }
daemon_log_exabgp() { cat "$TMP/exabgp.log" "$TMP/exabgp.out" 2>/dev/null; }

# --- OpenBGPD --------------------------------------------------------------
bgpctl__() { bgpctl_ "$NSB" "$TMP" "$@"; }

start_openbgpd() {
	local p c l
	# OpenBGPD prepends only its own AS.
	DAEMON_ASPATH="$DAEMON_AS $DAEMON_AS"
	# OpenBGPD 7.7 on Linux sends its loopback ::1 as the IPv6 next hop of
	# an IPv4 session, whatever local-address or "set nexthop" say (over an
	# IPv6 session it sends 127.0.0.1 as the IPv4 NEXT_HOP instead). The
	# bytes on the wire are 0x10 then ::1; the check below then proves the
	# decoder reads them as they are.
	DAEMON_NH6=::1
	DAEMON_NH6_NOTE=" (OpenBGPD 7.7 on Linux: its own ::1)"
	c=$(for x in $DAEMON_COMM; do printf ' community %s' "$x"; done)
	l=$(for x in $DAEMON_LARGE; do printf ' large-community %s' "$x"; done)
	{
		echo "AS $DAEMON_AS"
		echo "router-id $DAEMON_ID"
		echo "socket \"$TMP/bgpd.sock\""
		echo "listen on 10.99.0.2"
		echo "fib-update no"
		for p in $DAEMON_V4 $DAEMON_V6; do echo "network $p"; done
		echo "neighbor $PROBE_ID {"
		echo "  remote-as $PROBE_AS"
		echo "  local-address 10.99.0.2"
		echo "  local-address $DAEMON_NH6"
		echo "  passive"
		echo "  holdtime 30"
		echo "  announce IPv4 unicast"
		echo "  announce IPv6 unicast"
		echo "}"
		echo "allow from any"
		echo "allow to any"
		echo "match to $PROBE_ID set { origin igp med $DAEMON_MED$c$l prepend-self 1 }"
	} >"$TMP/bgpd.conf"
	openbgpd_start "$NSB" "$TMP"
}
openbgpd_established_() { openbgpd_established "$NSB" "$TMP" "$PROBE_ID"; }
counts_openbgpd() {
	bgpctl__ -j show rib neighbor "$PROBE_ID" in 2>/dev/null | jq -r '[
		([.rib[]? | select(.prefix | contains(":") | not)] | length),
		([.rib[]? | select(.prefix | contains(":"))] | length)] | "\(.[0]) \(.[1])"'
}
route_openbgpd() { openbgpd_route "$NSB" "$TMP" "$1"; }
daemon_log_openbgpd() { cat "$TMP/openbgpd.log" 2>/dev/null; }

# --- the test ----------------------------------------------------------------
say "daemon $DAEMON in $NSB, bgpprobe in $NSA, files in $TMP"
if ! "start_$DAEMON"; then
	notok "$DAEMON started"
	daemon_log_$DAEMON | tail -20 | sed 's/^/# /'
	finish
fi
ok "$DAEMON started"

if [ "$PROBE_MODE" = listen ]; then ENDPOINT="--listen 10.99.0.1"; else ENDPOINT="--connect 10.99.0.2"; fi
SOAK=${SOAK:-0}
HOLD=30
[ "$SOAK" -gt 0 ] && HOLD=9
ip netns exec "$NSA" "$PROBE" --local-as $PROBE_AS --router-id $PROBE_ID $ENDPOINT --hold $HOLD \
	--announce-v4 $PROBE_V4 --announce-v6 $PROBE_V6 --as-path "$PROBE_ASPATH" \
	--communities "$PROBE_COMM" --large "$PROBE_LARGE" --med $PROBE_MED \
	--next-hop $PROBE_NH4 --next-hop6 $PROBE_NH6 --graceful-restart \
	--record "$TMP/received.bin" --record-sent "$TMP/sent.bin" --duration $((150 + SOAK)) \
	>"$TMP/probe.log" 2>&1 &
PROBE_PID=$!

probe_established() { grep -q 'session established' "$TMP/probe.log"; }
if wait_for 30 probe_established && wait_for 10 "${DAEMON}_established_"; then
	ok "session established with $DAEMON"
else
	notok "session established with $DAEMON"
	sed 's/^/# probe: /' "$TMP/probe.log" | tail -20
	daemon_log_$DAEMON | tail -20 | sed 's/^/# daemon: /'
	finish
fi

# ENCODE: the daemon holds what the probe sent.
counts_ok() { [ "$(counts_$DAEMON)" = "$PROBE_V4 $PROBE_V6" ]; }
if wait_for 30 counts_ok; then
	ok "ENCODE: $DAEMON received $PROBE_V4 IPv4 and $PROBE_V6 IPv6 prefixes"
else
	notok "ENCODE: $DAEMON received $PROBE_V4 IPv4 and $PROBE_V6 IPv6 prefixes (has: $(counts_$DAEMON))"
fi
for pfx in 100.64.0.0/24 100.71.207.0/24 2001:db8::/48 2001:db8:1f3::/48; do
	failed_before=$FAILED
	r=$(route_$DAEMON $pfx)
	[ -n "$r" ] || r=null
	echo "$r" >"$TMP/route.json"
	nh=$PROBE_NH4
	case $pfx in *:*) nh=$PROBE_NH6 ;; esac
	jqcheck "ENCODE: $pfx has AS path '$PROBE_ASPATH' (4-octet AS kept)" "$TMP/route.json" \
		'.asPath == $p' --arg p "$PROBE_ASPATH"
	jqcheck "ENCODE: $pfx has communities '$PROBE_COMM'" "$TMP/route.json" \
		'.communities == $c' --arg c "$PROBE_COMM"
	jqcheck "ENCODE: $pfx has large community '$PROBE_LARGE'" "$TMP/route.json" \
		'.large == $c' --arg c "$PROBE_LARGE"
	jqcheck "ENCODE: $pfx has MED $PROBE_MED" "$TMP/route.json" '.med == '$PROBE_MED
	jqcheck "ENCODE: $pfx has next hop $nh" "$TMP/route.json" '.nextHop == $n' --arg n "$nh"
	jqcheck "ENCODE: $pfx has origin IGP" "$TMP/route.json" '.origin | ascii_downcase | test("^(igp|i)$")'
	[ "$FAILED" -gt "$failed_before" ] && say "  route: ${r:0:400}"
done
if grep -q 'NOTIFICATION received' "$TMP/probe.log"; then
	notok "ENCODE: $DAEMON sent no NOTIFICATION"
	grep -A3 'NOTIFICATION received' "$TMP/probe.log" | sed 's/^/# /'
else
	ok "ENCODE: $DAEMON sent no NOTIFICATION"
fi

# DECODE: the recorded stream. Whole messages only are recorded, so it can be
# decoded while the session runs; wait until the daemon's routes are in.
tohex() { if command -v xxd >/dev/null; then xxd -p "$1"; else od -An -v -tx1 "$1"; fi; }
decode_recorded() {
	tohex "$TMP/received.bin" | "$NVACTL" decode --json >"$TMP/received.json" 2>"$TMP/decode.err"
}
EXP4=$(jarr "$DAEMON_V4")
EXP6=$(jarr "$DAEMON_V6")
all_routes_in() {
	decode_recorded || return 1
	jq -e --argjson v4 "$EXP4" --argjson v6 "$EXP6" --argjson eor "$DAEMON_SENDS_EOR" '
		([.[] | select(.type == "UPDATE") | .nlri[]] | unique) == ($v4 | sort) and
		([.[] | select(.type == "UPDATE") | .mpReach.prefixes // [] | .[]] | unique) == ($v6 | sort) and
		($eor == 0 or ([.[] | .endOfRib // empty] | index("ipv4-unicast") != null))
	' "$TMP/received.json" >/dev/null
}
wait_for 30 all_routes_in

if [ "$SOAK" -gt 0 ]; then
	say "soaking for $SOAK s with a hold time of $HOLD s"
	sleep "$SOAK"
	check "SOAK: session with $DAEMON still up after $SOAK s (keepalives)" "${DAEMON}_established_"
	check "SOAK: bgpprobe still running" kill -0 "$PROBE_PID"
fi

# End the session: the probe sends a Cease and exits 0.
kill -TERM "$PROBE_PID" 2>/dev/null
wait "$PROBE_PID"
rc=$?
PROBE_PID=
check "bgpprobe ended the session cleanly (exit $rc)" test "$rc" = 0

J=$TMP/received.json
if decode_recorded; then
	ok "DECODE: nvactl decode read the recorded stream ($(stat -c %s "$TMP/received.bin") octets)"
else
	notok "DECODE: nvactl decode read the recorded stream"
	sed 's/^/# /' "$TMP/decode.err"
fi
jqcheck "DECODE: first message is an OPEN from AS $DAEMON_AS" "$J" \
	'.[0].type == "OPEN" and .[0].asn == '$DAEMON_AS' and .[0].bgpId == "'$DAEMON_ID'"'
jqcheck "DECODE: the OPEN offers 4-octet AS $DAEMON_AS" "$J" \
	'[.[0].capabilities[] | select(.code == 65) | .asn] == ['$DAEMON_AS']'
jqcheck "DECODE: the OPEN offers IPv4 and IPv6 unicast" "$J" \
	'[.[0].capabilities[] | select(.code == 1) | .family] | contains(["ipv4-unicast", "ipv6-unicast"])'
jqcheck "DECODE: no message has a fault or calls for an action" "$J" \
	'all(.[]; .action == "none" and ((.faults // []) | length) == 0)'
jqcheck "DECODE: no message is a NOTIFICATION" "$J" 'all(.[]; .type != "NOTIFICATION")'
jqcheck "DECODE: IPv4 NLRI are exactly $DAEMON_V4" "$J" \
	'([.[] | select(.type == "UPDATE") | .nlri[]] | unique) == ($v4 | sort)' --argjson v4 "$EXP4"
jqcheck "DECODE: IPv6 MP_REACH prefixes are exactly $DAEMON_V6" "$J" \
	'([.[] | select(.type == "UPDATE") | .mpReach.prefixes // [] | .[]] | unique) == ($v6 | sort)' \
	--argjson v6 "$EXP6"
jqcheck "DECODE: nothing withdrawn" "$J" \
	'all(.[] | select(.type == "UPDATE"); (.withdrawn | length) == 0 and .mpUnreach == null)'
# The attributes of every UPDATE that announces something.
ATTRS='[.[] | select(.type == "UPDATE" and ((.nlri | length) > 0 or .mpReach != null)) | .attributes]'
jqcheck "DECODE: origin IGP on every route" "$J" "$ATTRS"' | length > 0 and all(.origin == "IGP")'
jqcheck "DECODE: AS path '$DAEMON_ASPATH' on every route" "$J" \
	"$ATTRS"' | all(.asPath == $p)' --arg p "$DAEMON_ASPATH"
jqcheck "DECODE: MED $DAEMON_MED on every route" "$J" "$ATTRS"' | all(.med == '$DAEMON_MED')'
jqcheck "DECODE: communities $DAEMON_COMM on every route" "$J" \
	"$ATTRS"' | all(.communities == $c)' --argjson c "$(jarr "$DAEMON_COMM")"
if [ -n "$DAEMON_LARGE" ]; then
	jqcheck "DECODE: large community $DAEMON_LARGE on every route" "$J" \
		"$ATTRS"' | all(.largeCommunities == $c)' --argjson c "$(jarr "$DAEMON_LARGE")"
fi
jqcheck "DECODE: IPv4 next hop $DAEMON_NH4" "$J" \
	'[.[] | select(.type == "UPDATE" and (.nlri | length) > 0) | .attributes.nextHop] | length > 0 and all(. == $n)' \
	--arg n "$DAEMON_NH4"
jqcheck "DECODE: IPv6 next hop $DAEMON_NH6 (global first)$DAEMON_NH6_NOTE" "$J" \
	'[.[] | select(.type == "UPDATE" and .mpReach != null) | .mpReach.nextHops[0]] | length > 0 and all(. == $n)' \
	--arg n "$DAEMON_NH6"
if [ "$DAEMON_SENDS_EOR" = 1 ]; then
	jqcheck "DECODE: End-of-RIB for IPv4 unicast" "$J" '[.[] | .endOfRib // empty] | index("ipv4-unicast") != null'
	jqcheck "DECODE: End-of-RIB for IPv6 unicast" "$J" '[.[] | .endOfRib // empty] | index("ipv6-unicast") != null'
fi

check "$DAEMON still running after the session" kill -0 "$LIB_LAST_PID"
if [ "$FAILED" -gt 0 ]; then
	sed 's/^/# probe: /' "$TMP/probe.log" | tail -30
fi
finish
