# tap.sh: sourced by the live lab scripts: TAP-style ok/notok lines, their
# count, skip (exit 77), and the checks that every live script makes first.
PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
skip() { echo "1..0 # SKIP $*"; exit 77; }
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
# host_state: the host's interfaces and nftables tables (a lab makes none)
host_state() {
	ip -o link show | awk -F': ' '{print $2}' | sort
	nft list tables | sort
}
# nothing_left BEFORE PID...: of the lab $NAME no namespace, no run
# directory, none of the PIDs and no process naming the lab alive, and the
# host's interfaces and nftables tables as BEFORE (host_state's output)
nothing_left() {
	local before=$1 alive= p
	shift
	no_namespace_left
	[ ! -e "/run/azlab/$NAME" ] && ok "run directory removed" || notok "/run/azlab/$NAME left"
	for p in "$@" $(pgrep -f -- "$NAME"); do
		kill -0 "$p" 2>/dev/null && alive="$alive $p"
	done
	[ -z "$alive" ] && ok "no process left" || notok "processes left:$alive"
	[ "$(host_state)" = "$before" ] && ok "the host's interfaces and nftables tables are as before" ||
		notok "the host's interfaces or nftables tables changed"
}
