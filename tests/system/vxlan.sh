#!/bin/bash
# vxlan.sh: the article's fifth pattern (P5) with nvad making the tunnel
# itself: two NVAs, vm-hub00 (10.0.0.4) and vm-hub100 (10.100.0.4), each
# running nvad with its reference configuration (the seed's
# p5-vm-hub*.frr.conf: static routes over the tunnel) plus one `nvad vxlan`
# line; VNI 77, UDP 4789, MTU 1450, 169.254.0.1/24 and .2/24 over eth0.
#
#   vxlan.sh NVAD
#
# Namespaces (all made here, removed at exit):
#
#   spoke10 (10.10.0.4) --- hub00 eth1 10.10.0.1
#                           hub00 eth0 10.0.0.4 ---- azr 10.0.0.1 (the Azure fabric:
#                                                    a router, ip_forward on)
#   hub101 (10.100.0.5) --+
#   hub100 eth0 10.100.0.4 +-- br100 in azr, 10.100.0.1
#
# Routes the Azure platform would give: hub00 and hub100 default via the
# fabric; vm-spoke10's and vm-hub101's user routes towards the NVAs
# (10.100.0.0/16 via hub00, 10.10.0.0/16 via 10.100.0.4).
#
# Checks: nvad made vxlan0 on both NVAs with the right VNI, remote, port,
# dev, MTU, address and nvad's alias; the tunnel carries a ping 169.254.0.1
# <-> 169.254.0.2 and the underlay shows it as UDP port 4789 with VNI 77;
# a reload (SIGHUP) that changes the MTU changes it in place, a restart keeps
# the interface, a reload without the line removes it. When nvad installs the
# static routes (ip route 10.100.0.0/16 169.254.0.2 ...), vm-spoke10 and
# vm-hub101 also reach each other through the tunnel; when it does not, that
# part is skipped and said so.
# Prints `ok - ...` / `not ok - ...`, exit 1 on failure, 77 (skipped) when not
# root or a program is missing.
set -u

NVAD=$(readlink -f "${1:?usage: vxlan.sh NVAD}")
HERE=$(dirname "$(readlink -f "$0")")

. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
[ -x "$NVAD" ] || skip "nvad not built: $NVAD"
HAVE_TCPDUMP=1
command -v tcpdump >/dev/null || HAVE_TCPDUMP=0

lib_init vxlan

H00=nvx-$$-hub00
H100=nvx-$$-hub100
AZR=nvx-$$-azr
S10=nvx-$$-spoke10
H101=nvx-$$-hub101

# --- the network ---------------------------------------------------------------------
fwd() { ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0; }
build() {
	local ns
	for ns in "$H00" "$H100" "$AZR" "$S10" "$H101"; do ns_add "$ns" || return 1; done
	fwd "$H00" && fwd "$H100" && fwd "$AZR" || return 1
	# Underlay: hub00 to the fabric; hub100 and hub101 on one subnet behind it.
	veth "$H00" eth0 "$AZR" r-hub00 && addr "$H00" eth0 10.0.0.4/24 &&
		addr "$AZR" r-hub00 10.0.0.1/24 || return 1
	ip -n "$AZR" link add br100 type bridge && ip -n "$AZR" link set br100 up &&
		addr "$AZR" br100 10.100.0.1/24 || return 1
	veth "$H100" eth0 "$AZR" r-hub100 && ip -n "$AZR" link set r-hub100 master br100 &&
		addr "$H100" eth0 10.100.0.4/24 || return 1
	veth "$H101" eth0 "$AZR" r-hub101 && ip -n "$AZR" link set r-hub101 master br100 &&
		addr "$H101" eth0 10.100.0.5/24 || return 1
	# vm-spoke10 behind hub00.
	veth "$S10" eth0 "$H00" eth1 && addr "$S10" eth0 10.10.0.4/24 && addr "$H00" eth1 10.10.0.1/24 ||
		return 1
	# What Azure's DHCP and the route tables would give.
	ip -n "$H00" route add default via 10.0.0.1 &&
		ip -n "$H100" route add default via 10.100.0.1 &&
		ip -n "$S10" route add default via 10.10.0.1 &&
		ip -n "$H101" route add default via 10.100.0.1 &&
		ip -n "$H101" route add 10.10.0.0/16 via 10.100.0.4
}
build || { notok "the namespaces and links are made"; finish; }

# --- nvad on each NVA ----------------------------------------------------------------
# The seed's P5 configurations, with the tunnel as one nvad line.
conf_hub00() { # MTU [without-vxlan]
	cat <<-EOF
	!
	frr version 8.3.1
	frr defaults traditional
	hostname vm-hub00
	log syslog informational
	no ipv6 forwarding
	service integrated-vtysh-config
	!
	ip route 10.100.0.0/16 169.254.0.2
	ip route 10.100.0.4/32 10.0.0.1
	!
	EOF
	[ "${2:-}" = without-vxlan ] ||
		echo "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dstport 4789 dev eth0 mtu $1 address 169.254.0.1/24"
	echo end
}
conf_hub100() {
	local src=${1:-}
	cat <<-EOF
	!
	frr version 8.3.1
	frr defaults traditional
	hostname vm-hub100
	log syslog informational
	no ipv6 forwarding
	service integrated-vtysh-config
	!
	ip route 10.10.0.0/16 169.254.0.1
	!
	nvad vxlan vxlan0 vni 77 remote 10.0.0.4 dstport 4789 dev eth0 mtu 1450 address 169.254.0.2/24
	EOF
	if [ -n "$src" ]; then
		cat <<-EOF
		ip protocol static route-map SRC
		route-map SRC permit 10
		 set src $src
		exit
		EOF
	fi
	echo end
}
conf_hub00 1450 >"$TMP/hub00.conf"
conf_hub100 >"$TMP/hub100.conf"

for n in hub00 hub100; do
	if "$NVAD" --check -f "$TMP/$n.conf" >"$TMP/$n.check" 2>&1; then
		ok "nvad --check accepts $n's configuration"
	else
		notok "nvad --check accepts $n's configuration"
		sed 's/^/#   /' "$TMP/$n.check"
	fi
done

# nvad_start NAME NS: nvad with $TMP/NAME.conf (no BGP here: --port 0).
nvad_start() { nvad_spawn "$1" "$2" "$TMP/$1.conf" --port 0; }
nvad_start hub00 "$H00" || notok "nvad starts on hub00"
nvad_start hub100 "$H100" || notok "nvad starts on hub100"

# --- the interfaces nvad made ------------------------------------------------------
has_link() { ip -n "$1" link show dev "$2" >/dev/null 2>&1; }
link_json() { ip -n "$1" -d -j link show dev "$2" 2>/dev/null | jq -c '.[0]'; }
addrs() { ip -n "$1" -j addr show dev "$2" 2>/dev/null |
	jq -r '[.[0].addr_info[] | select(.scope != "link") | "\(.local)/\(.prefixlen)"] | join(" ")'; }

# check_vxlan NS NAME REMOTE ADDRESS MTU
check_vxlan() {
	local ns=$1 name=$2 remote=$3 address=$4 mtu=$5 j
	if ! wait_for 10 has_link "$ns" vxlan0; then
		notok "$name: nvad created vxlan0"
		nv_log_tail "$name"
		return
	fi
	ok "$name: nvad created vxlan0"
	link_json "$ns" vxlan0 >"$TMP/$name.link.json"
	jqcheck "$name: vxlan0 is VXLAN VNI 77, remote $remote, UDP 4789, over eth0" \
		"$TMP/$name.link.json" '.linkinfo.info_kind == "vxlan" and
		.linkinfo.info_data.id == 77 and .linkinfo.info_data.remote == $r and
		.linkinfo.info_data.port == 4789 and .linkinfo.info_data.link == "eth0"' --arg r "$remote"
	jqcheck "$name: vxlan0 has MTU $mtu, is up and carries nvad's alias" "$TMP/$name.link.json" \
		'.mtu == $m and (.flags | index("UP") != null) and .ifalias == "managed by nvad"' \
		--argjson m "$mtu"
	j=$(addrs "$ns" vxlan0)
	check "$name: vxlan0 has the address $address (got: $j)" test "$j" = "$address"
}
nv_log_tail() { tail -20 "$TMP/$1.log" 2>/dev/null | sed 's/^/#   log: /'; }

check_vxlan "$H00" hub00 10.100.0.4 169.254.0.1/24 1450
check_vxlan "$H100" hub100 10.0.0.4 169.254.0.2/24 1450

# --- the tunnel carries traffic, as UDP 4789 on the underlay ----------------------------
# reach NS ADDRESS: one ICMP echo when ping is installed; else a TCP connection
# to port 7 through bash's /dev/tcp, where "refused" (a RST came back) proves
# the round trip as well as an answer does.
if command -v ping >/dev/null; then
	PROBE=ping
	reach() { ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1; }
else
	PROBE="TCP (ping is not installed)"
	reach() {
		local out
		out=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/7" 2>&1) && return 0
		case $out in *"Connection refused"*) return 0 ;; esac
		return 1
	}
fi
say "reachability probe: $PROBE"
CAP=$TMP/underlay.pcap
if [ "$HAVE_TCPDUMP" = 1 ]; then
	ip netns exec "$AZR" tcpdump -i r-hub00 -n -U -w "$CAP" udp port 4789 >"$TMP/tcpdump.out" 2>&1 &
	TCPDUMP_PID=$!
	LIB_PIDS+=("$TCPDUMP_PID")
	wait_for 5 grep -q listening "$TMP/tcpdump.out"
fi
check "hub00 -> hub100 over the tunnel (169.254.0.1 -> 169.254.0.2), by $PROBE" \
	wait_for 10 reach "$H00" 169.254.0.2
check "hub100 -> hub00 over the tunnel (169.254.0.2 -> 169.254.0.1), by $PROBE" \
	wait_for 10 reach "$H100" 169.254.0.1
if [ "$PROBE" = ping ]; then
	ip netns exec "$H00" ping -c 3 -i 0.2 -s 1422 -M do 169.254.0.2 >"$TMP/ping-mtu.out" 2>&1
	check "a 1450-byte packet (the MTU) crosses the tunnel unfragmented" \
		grep -q ' 0% packet loss' "$TMP/ping-mtu.out"
fi
if [ "$HAVE_TCPDUMP" = 1 ]; then
	sleep 0.5
	stop_pid "$TCPDUMP_PID"
	# Each VXLAN packet on one line with the packet it carries.
	tcpdump -n -r "$CAP" 2>/dev/null | awk '/: VXLAN/ { getline inner; print $0 " | " inner }' \
		>"$TMP/underlay.txt"
	grep -m 4 '169\.254' "$TMP/underlay.txt" | sed 's/^/#   underlay: /'
	check "the underlay carries 10.0.0.4 -> 10.100.0.4 UDP 4789, VNI 77" \
		grep -q '10\.0\.0\.4\.[0-9]* > 10\.100\.0\.4\.4789: VXLAN.* vni 77 ' "$TMP/underlay.txt"
	check "and 10.100.0.4 -> 10.0.0.4 UDP 4789, VNI 77" \
		grep -q '10\.100\.0\.4\.[0-9]* > 10\.0\.0\.4\.4789: VXLAN.* vni 77 ' "$TMP/underlay.txt"
	check "with the probe 169.254.0.1 -> 169.254.0.2 inside" \
		grep -q 'vni 77 | .*169\.254\.0\.1[.0-9]* > 169\.254\.0\.2[.0-9]*: ' "$TMP/underlay.txt"
else
	say "tcpdump not installed: the underlay capture is skipped"
fi

# --- the hosts behind the NVAs, through the static routes ------------------------------
# vx_counts NVA NS ADDRESS: a probe from NS to ADDRESS adds to NVA's vxlan0 TX packets.
tx_packets() { ip -n "$1" -s -j link show dev vxlan0 | jq '.[0].stats64.tx.packets'; }
vx_counts() {
	local before
	before=$(tx_packets "$1")
	reach "$2" "$3" && [ "$(tx_packets "$1")" -gt "$before" ]
}
static_route() { ip -n "$H00" route show 10.100.0.0/16 | grep -q 'via 169.254.0.2 dev vxlan0'; }
if wait_for 5 static_route; then
	ok "hub00: nvad installed ip route 10.100.0.0/16 via 169.254.0.2 (dev vxlan0)"
	check "hub100: nvad installed ip route 10.10.0.0/16 via 169.254.0.1" \
		wait_for 5 sh -c "ip -n '$H100' route show 10.10.0.0/16 | grep -q 'via 169.254.0.1 dev vxlan0'"
	check "vm-spoke10 (10.10.0.4) -> vm-hub101 (10.100.0.5) through the tunnel" \
		wait_for 10 reach "$S10" 10.100.0.5
	check "vm-hub101 (10.100.0.5) -> vm-spoke10 (10.10.0.4) through the tunnel" \
		wait_for 10 reach "$H101" 10.10.0.4
	check "and that goes through vxlan0 (hub00's vxlan0 counters grow)" vx_counts "$H00" "$S10" 10.100.0.5
	# The article's failing case: the NVA itself (vm-hub100) reaching
	# 10.10.0.4 leaves with the tunnel's address, 169.254.0.2, which the
	# spoke cannot answer (Azure routes no 169.254/16; here the spoke has only
	# its route to on-premises). A preferred source on the kernel route
	# (`ip protocol static route-map` with `set src`) fixes it.
	ip -n "$S10" route del default &&
		ip -n "$S10" route add 10.100.0.0/16 via 10.10.0.1
	check "the NVA itself -> 10.10.0.4 fails without a preferred source (source 169.254.0.2)" \
		eval '! reach "$H100" 10.10.0.4'
	conf_hub100 10.100.0.4 >"$TMP/hub100.conf"
	kill -HUP "$(lib_pid "$TMP" hub100)"
	src_route() { ip -n "$H100" route show 10.10.0.0/16 | grep -q 'src 10.100.0.4'; }
	check "reload with set src: ip route 10.10.0.0/16 via 169.254.0.1 ... src 10.100.0.4" \
		wait_for 10 src_route
	check "the NVA itself -> 10.10.0.4 works with the preferred source 10.100.0.4" \
		wait_for 5 reach "$H100" 10.10.0.4
	ip -n "$S10" route add default via 10.10.0.1
	if command -v traceroute >/dev/null; then
		hops=$(ip netns exec "$H101" traceroute -n -w 1 -q 1 10.10.0.4 2>/dev/null |
			awk 'NR > 1 { printf "%s ", $2 }')
		say "vm-hub101 -> 10.10.0.4: $hops(the seed: 10.100.0.4, ???, 10.10.0.4)"
	fi
else
	say "SKIP host-to-host: this nvad did not install the static routes into the kernel"
	say "  (hub00: $(ip -n "$H00" route show 10.100.0.0/16 | head -1))"
fi

# --- reload, restart, removal ------------------------------------------------------
IDX=$(ip -n "$H00" -j link show dev vxlan0 | jq '.[0].ifindex')
mtu_is() { [ "$(ip -n "$1" -j link show dev vxlan0 2>/dev/null | jq '.[0].mtu')" = "$2" ]; }
conf_hub00 1400 >"$TMP/hub00.conf"
kill -HUP "$(lib_pid "$TMP" hub00)"
check "reload with mtu 1400: vxlan0's MTU changed in place" wait_for 10 mtu_is "$H00" 1400
check "reload: the same interface (ifindex $IDX)" \
	test "$(ip -n "$H00" -j link show dev vxlan0 | jq '.[0].ifindex')" = "$IDX"

lib_stop "$TMP" hub00
check "nvad stopped: vxlan0 stays" has_link "$H00" vxlan0
nvad_start hub00 "$H00" || notok "nvad starts again on hub00"
sleep 1
check "nvad started again: vxlan0 kept, not made again (ifindex $IDX)" \
	test "$(ip -n "$H00" -j link show dev vxlan0 | jq '.[0].ifindex')" = "$IDX"
check "and still carries the tunnel" wait_for 10 reach "$H00" 169.254.0.2

conf_hub00 1400 without-vxlan >"$TMP/hub00.conf"
kill -HUP "$(lib_pid "$TMP" hub00)"
no_link() { ! has_link "$@"; }
check "reload without the nvad vxlan line: vxlan0 removed" wait_for 10 no_link "$H00" vxlan0
check "eth0, not nvad's, is still there" has_link "$H00" eth0
check "nvad still runs on hub00" lib_running "$TMP" hub00
check "nvad still runs on hub100" lib_running "$TMP" hub100

finish
