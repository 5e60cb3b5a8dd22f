#!/bin/bash
# nl_writer.sh: runs bench/nl_writer in a network namespace of its own (made
# here, with a veth pair holding the gateways' subnets, and removed at exit),
# and optionally times `ip -batch` on the same routes as a sanity reference.
# Never touches the host's routes or interfaces. Needs root.
#
# Usage: bench/nl_writer.sh [-B BUILDDIR] [--ip-batch] N [nl_writer options]
#   nl_writer options: --ipv6 --batch BYTES --ecmp K --table T --no-verify
#   --ip-batch: after nl_writer, install and delete the same routes with
#               `ip -batch` (replace / del lines) in a fresh namespace, timed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$here/../build
ipbatch=0
while [ $# -gt 0 ]; do
	case $1 in
	-B) build=$2; shift 2 ;;
	--ip-batch) ipbatch=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
bin=$build/bench/nl_writer
[ -x "$bin" ] || { echo "nl_writer.sh: $bin not built (ninja -C $build)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "nl_writer.sh: needs root (namespaces)" >&2; exit 1; }

ns=nlw-$$-$RANDOM
tmp=
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# make_ns: the namespace, lo up, veth nlw0 <-> nlw1 with 10.0.0.1/24 and
# fd00:ffff::1/64 on nlw0 (the gateways 10.0.0.2.. and fd00:ffff::2.. are
# on that subnet).
make_ns() {
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add nlw0 type veth peer name nlw1
	ip -n "$ns" link set nlw0 up
	ip -n "$ns" link set nlw1 up
	ip -n "$ns" addr add 10.0.0.1/24 dev nlw0
	ip -n "$ns" -6 addr add fd00:ffff::1/64 dev nlw0 nodad
}

make_ns
ip netns exec "$ns" "$bin" "$@"

[ "$ipbatch" -eq 1 ] || exit 0

# The same routes for `ip -batch`: same prefixes, gateways, protocol, metric.
n=$1
shift
v6=0 ecmp=1 table=254
while [ $# -gt 0 ]; do
	case $1 in
	--ipv6) v6=1 ;;
	--ecmp) ecmp=$2; shift ;;
	--table) table=$2; shift ;;
	--batch) shift ;;
	esac
	shift
done
tmp=$(mktemp -d)
awk -v n="$n" -v v6="$v6" -v k="$ecmp" -v t="$table" -v add="$tmp/add" -v del="$tmp/del" 'BEGIN {
	for (j = 0; j < k; j++)
		gw[j] = v6 ? sprintf("fd00:ffff::%x", j + 2) : sprintf("10.0.0.%d", j + 2)
	nh = ""
	if (k == 1)
		nh = "via " gw[0] " dev nlw0"
	else
		for (j = 0; j < k; j++)
			nh = nh " nexthop via " gw[j] " dev nlw0"
	for (i = 0; i < n; i++) {
		if (v6)
			p = sprintf("fd01:%x:%x::/48", int(i / 65536), i % 65536)
		else {
			a = 16 * 65536 + i
			p = sprintf("%d.%d.%d.0/24", int(a / 65536), int(a / 256) % 256, a % 256)
		}
		printf "route replace %s proto 186 metric 20 table %d %s\n", p, t, nh > add
		printf "route del %s proto 186 metric 20 table %d\n", p, t > del
	}
}'
ip netns del "$ns"
make_ns
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
t0=$(date +%s.%N)
ip -n "$ns" -batch "$tmp/add"
t1=$(date +%s.%N)
got=$(ip -n "$ns" $([ "$v6" -eq 1 ] && echo -6) route show table "$table" proto 186 | grep -vc '^[[:space:]]')
t2=$(date +%s.%N)
ip -n "$ns" -batch "$tmp/del"
t3=$(date +%s.%N)
ta=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
td=$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')
echo "ip -batch: install $n routes in ${ta} s ($got in the kernel); delete in ${td} s"
echo "ip -batch install $n routes: $(rate "$n" "$ta") routes/s; delete: $(rate "$n" "$td") routes/s"
