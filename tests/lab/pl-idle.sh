#!/bin/bash
# pl-idle.sh: R-E5, idle flows through Private Link expire after 300 s, live.
#
#   pl-idle.sh AZLAB NVAD FILE SRC PE BACKEND OTHER
#
# Brings up FILE (SRC reaches Private Endpoint PE, whose service's backend is
# the VM BACKEND; OTHER is an address SRC sends to without Private Link)
# under a name of its own and, without waiting five minutes, reads the
# fabric's conntrack table (/proc/net/nf_conntrack in its namespace): a UDP
# flow and an established TCP flow through the PE carry at most 300 s and
# more than the kernel's defaults would give (UDP 30 s; TCP 5 days is more,
# so at most 300), both NATed to BACKEND; a UDP flow to OTHER keeps the
# kernel's 30 s. Then down. Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3 SRC=$4 PE=$5 BACKEND=$6 OTHER=$7
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip python3

lab_up azlp "$FILE"
FAB=azl-$NAME-fabric
BIP=$(az exec "$BACKEND" -- ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)

rules=$(ip netns exec "$FAB" nft list table ip azlabnat 2>&1)
case $rules in *"established : 300"*'ct timeout set "pl-idle-tcp"'*'ct timeout set "pl-idle-udp"'*) ok "the fabric's ct timeout policies (300 s) are set on Private Link flows" ;;
*) notok "ct timeout pl-idle-tcp/udp in the fabric"; printf '%s\n' "$rules" | sed 's/^/# /' ;; esac

# flow PROTO DPORT [NAT]: "timeout reply-src" of the fabric's entry for that
# flow; with NAT the NATed one (reply source not the original destination:
# the flow has another entry from where it entered the fabric)
flow() { ip netns exec "$FAB" awk -v p="$1" -v d="dport=$2" -v nat="${3:-}" '$3 == p && index($0, d " ") { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^(src|dst)=/) s[++n] = substr($i, 5); if (nat != "" && s[3] == s[2]) next; print $5, "src=" s[3]; exit }' /proc/net/nf_conntrack; }
# at most 300 s and more than LOW
within() { [ -n "$1" ] && [ "$1" -le 300 ] && [ "$1" -gt "$2" ]; }

az exec "$SRC" -- bash -c "echo idle > /dev/udp/$PE/5005"
read -r tmo rsrc < <(flow udp 5005 nat)
within "${tmo:-}" 30 && [ "${rsrc:-}" = "src=$BIP" ] &&
	ok "UDP $SRC -> $PE:5005 to $BACKEND: $tmo s left (R-E5; the kernel's default is 30)" ||
	notok "UDP $SRC -> $PE:5005: timeout ${tmo:-none} (want 31..300), reply ${rsrc:-none} (want src=$BIP)"

az exec "$BACKEND" -- python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(1); s.settimeout(10)
c, _ = s.accept(); time.sleep(4)' &
sleep 0.5
az exec "$SRC" -- bash -c "exec 3<>/dev/tcp/$PE/8080 && sleep 3" &
for _ in $(seq 20); do
	read -r tmo rsrc < <(flow tcp 8080 nat)
	ip netns exec "$FAB" grep -q 'ESTABLISHED.*dport=8080 .*src='"$BIP"' ' /proc/net/nf_conntrack && break
	sleep 0.1
done
read -r tmo rsrc < <(flow tcp 8080 nat)
est=$(ip netns exec "$FAB" grep -c 'ESTABLISHED.*dport=8080 .*src='"$BIP"' ' /proc/net/nf_conntrack)
[ "$est" -ge 1 ] && within "${tmo:-}" 120 && [ "${rsrc:-}" = "src=$BIP" ] &&
	ok "TCP $SRC -> $PE:8080 established to $BACKEND: $tmo s left (R-E5; the kernel's default is 5 days)" ||
	notok "TCP $SRC -> $PE:8080: established $est, timeout ${tmo:-none} (want 121..300), reply ${rsrc:-none}"
wait

az exec "$SRC" -- bash -c "echo idle > /dev/udp/$OTHER/5006"
read -r tmo rsrc < <(flow udp 5006)
[ -n "${tmo:-}" ] && [ "$tmo" -le 30 ] && ok "UDP $SRC -> $OTHER:5006 (no Private Link): the kernel's $tmo s" ||
	notok "UDP $SRC -> $OTHER:5006: timeout ${tmo:-none} (want at most 30)"

lab_down
finish
