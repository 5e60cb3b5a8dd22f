# tap.sh: sourced by the live lab scripts: TAP-style ok/notok lines, their
# count, skip (exit 77), the checks that every live script makes first, and
# those that a lab taken down left nothing in the host.
PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
skip() { echo "1..0 # SKIP $*"; exit 77; }
say() { printf '# %s\n' "$*"; }
# needs_root_and TOOL...: root, the tools, and an nvad at $NVAD
needs_root_and() {
	[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
	for tool in "$@"; do
		command -v "$tool" >/dev/null || skip "$tool not installed (./run deps)"
	done
	[ -x "$NVAD" ] || skip "no nvad at $NVAD"
}
# the summary line and the exit status
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
# az ARGS: azlab on the lab $NAME
az() { "$AZLAB" --name "$NAME" "$@"; }
# lab_up PREFIX FILE: `azlab up FILE` as the lab PREFIX<pid> ($NAME), taken
# down (and the script's jobs stopped) on exit
lab_up() {
	NAME=$1$$
	trap 'az down >/dev/null 2>&1; kill $(jobs -p) 2>/dev/null' EXIT
	trap 'exit 1' INT TERM HUP
	local out
	if out=$(az --nvad "$NVAD" up "$2" --timeout 40 2>&1); then
		ok "azlab up $2"
	else
		notok "azlab up $2"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}
# lab_down: `azlab down`, and no namespace of the lab left
lab_down() {
	az down >/dev/null 2>&1 && ok "azlab down" || notok "azlab down"
	no_namespace_left
}
# no_namespace_left: no namespace azl-$NAME-*
no_namespace_left() {
	local left
	left=$(ip netns list | awk '{print $1}' | grep "^azl-$NAME-" | tr '\n' ' ')
	[ -z "$left" ] && ok "no namespace left" || notok "namespaces left: $left"
}
# host_snapshot, then host_unchanged: the host's interfaces, nftables tables
# and iptables mangle rules (where the fabric's TTL rule would go if it ever
# left its namespace) are as they were.
host_snapshot() {
	HOST_LINKS=$(ip -o link show | awk -F': ' '{print $2}' | sort)
	HOST_TABLES=$(nft list tables 2>/dev/null | sort)
	HOST_MANGLE=$(iptables -w -t mangle -S 2>/dev/null)
}
host_unchanged() {
	local new
	[ "$(ip -o link show | awk -F': ' '{print $2}' | sort)" = "$HOST_LINKS" ] &&
		ok "the host's interfaces are as before" || notok "the host's interfaces changed"
	new=$(comm -13 <(echo "$HOST_TABLES") <(nft list tables 2>/dev/null | sort))
	[ -z "$new" ] && ok "no new nftables table in the host" || notok "new nftables tables in the host: $new"
	[ "$(iptables -w -t mangle -S 2>/dev/null)" = "$HOST_MANGLE" ] &&
		ok "the host's iptables mangle rules as before" || notok "the host's iptables mangle rules changed"
}
# lab_ns NAME: the lab's namespaces; lab_pids NAME: its supervisor and every
# program it recorded.
lab_ns() { ip netns list | awk '{print $1}' | grep "^azl-$1-" | sort; }
lab_pids() { cat "/run/azlab/$1/supervisor.pid" 2>/dev/null; awk '{print $1}' "/run/azlab/$1/pids" 2>/dev/null; }
# lab_gone NAME PIDS: no namespace, run directory or process of the lab
# (those in PIDS, and any whose command line names its run directory or
# namespaces) is left.
lab_gone() {
	local name=$1 pids=$2 p alive= left
	left=$(lab_ns "$name" | tr '\n' ' ')
	[ -z "$left" ] && ok "$name: no namespace left" || notok "$name: namespaces left: $left"
	[ ! -e "/run/azlab/$name" ] && ok "$name: run directory removed" || notok "$name: /run/azlab/$name left"
	for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
	[ -z "$alive" ] && ok "$name: no recorded process left" || notok "$name: processes left:$alive"
	left=$(pgrep -f "azlab/$name/|azl-$name-" | tr '\n' ' ')
	[ -z "$left" ] && ok "$name: no process naming the lab" || notok "$name: processes naming the lab: $left"
}
# nothing_left PID...: after a failed or killed lab $NAME, lab_gone (the
# PIDs too) and host_unchanged (host_snapshot taken before)
nothing_left() {
	lab_gone "$NAME" "$*"
	host_unchanged
}
