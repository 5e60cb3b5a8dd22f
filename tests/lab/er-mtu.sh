#!/bin/bash
# er-mtu.sh: R-C7, packets over 1400 bytes crossing ExpressRoute are
# fragmented, live.
#
#   er-mtu.sh AZLAB NVAD FILE SRC DST
#
# Brings up FILE (a lab where SRC reaches DST over a circuit) under a name of
# its own, then: the ER links (fabric to MSEE) have MTU 1400; a 1400-byte
# ping with DF set passes, a 1500-byte one (1472 bytes of data) with DF set
# does not; without DF it passes, and the receiver sees fragments (an
# nftables counter in DST's namespace, before reassembly). Then down. Root
# only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3 SRC=$4 DST=$5
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip ping

lab_up azlm "$FILE"

# the ER links: g<gateway>c<connection> in the fabric and in the MSEEs
links=0 wrong=
for ns in $(ip netns list | awk '{print $1}' | grep -E "^azl-$NAME-(fabric|msee-)"); do
	while read -r ifn mtu; do
		links=$((links + 1))
		[ "$mtu" = 1400 ] || wrong="$wrong $ns/$ifn:$mtu"
	done < <(ip -n "$ns" -o link show | sed -n 's/^[0-9]*: \(g[0-9]*c[0-9]*\)@[^ ]* .* mtu \([0-9]*\) .*/\1 \2/p')
done
[ "$links" -gt 0 ] && [ -z "$wrong" ] && ok "$links ExpressRoute link ends have MTU 1400 (R-C7)" ||
	notok "ExpressRoute links with MTU 1400: $links found, wrong:$wrong"

# DST counts the fragments it receives (prerouting, before reassembly)
DNS=$(az status --json 2>/dev/null | python3 -c '
import json, sys
for v in json.load(sys.stdin).get("virtualMachines", []):
    if v.get("name") == sys.argv[1]: print(v.get("namespace", ""))' "$DST")
[ -n "$DNS" ] || DNS=azl-$NAME-$DST
DIP=$(ip -n "$DNS" -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
DNSEXEC() { ip netns exec "$DNS" "$@"; }
DNSEXEC nft -f - <<NFT
table ip azlmtu {
 chain pre { type filter hook prerouting priority -450; ip frag-off & 0x3fff != 0 counter; }
}
NFT
[ $? -eq 0 ] || notok "an nftables counter in $DNS"
frags() { DNSEXEC nft list chain ip azlmtu pre | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }

az exec "$SRC" -- ping -n -c 2 -W 2 -M do -s 1372 "$DIP" >/dev/null 2>&1 &&
	ok "$SRC -> $DIP: 1400 bytes with DF set pass" || notok "$SRC -> $DIP: 1400 bytes with DF set pass"
[ "$(frags)" = 0 ] && ok "they arrive whole" || notok "1400 bytes arrive whole ($(frags) fragments)"
az exec "$SRC" -- ping -n -c 2 -W 2 -M do -s 1472 "$DIP" >/dev/null 2>&1 &&
	notok "$SRC -> $DIP: 1500 bytes with DF set pass (R-C7: they must not)" ||
	ok "$SRC -> $DIP: 1500 bytes (1472 of data) with DF set do not pass (R-C7)"
az exec "$SRC" -- ping -n -c 2 -W 2 -M dont -s 1472 "$DIP" >/dev/null 2>&1 &&
	ok "$SRC -> $DIP: 1500 bytes without DF pass" || notok "$SRC -> $DIP: 1500 bytes without DF pass"
n=$(frags)
[ "${n:-0}" -ge 2 ] && ok "$DST received them in fragments ($n)" || notok "$DST received fragments (${n:-none})"

lab_down
finish
