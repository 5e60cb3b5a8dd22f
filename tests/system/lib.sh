# lib.sh: the shared part of the system tests, sourced by interop.sh and
# speaker.sh (bash). It provides:
#   - result lines (ok / not ok, "N passed, M failed"), the exit status and
#     the ends of logs for a failure (dump_logs);
#   - bounded polling (wait_for) and stopping processes;
#   - network namespaces and veth pairs, all removed by the EXIT trap;
#   - starting and querying the reference daemons (FRR, BIRD, GoBGP, ExaBGP,
#     OpenBGPD), each in a namespace with its configuration, pid file,
#     control socket and logs in one directory.
# Nothing here touches the host's interfaces: every link is made inside a
# namespace the test created.
#
# The caller sets its traps with lib_init NAME, which also makes $TMP: at exit,
# also after an error or a signal, every process started and every namespace
# made is removed; $TMP is kept when something failed, when interrupted, or
# with KEEP_TMP=1. A function lib_cleanup_hook, when the caller defines one,
# runs first.

PASSED=0
FAILED=0
TMP=
LIB_NS=()       # namespaces made by ns_add, deleted at exit
LIB_PIDS=()     # processes started by lib_spawn, stopped at exit
LIB_LAST_PID=   # the last one started
LIB_INTERRUPTED=0
OPENBGPD_MADE_RUNDIR=0

say() { printf '# %s\n' "$*"; }
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
# jqcheck DESCRIPTION FILE FILTER [jq args...]: ok when FILTER yields true.
jqcheck() {
	local what=$1 file=$2 filter=$3
	shift 3
	if [ "$(jq "$@" "$filter" "$file" 2>/dev/null)" = true ]; then
		ok "$what"
	else
		notok "$what"
		say "  filter: $filter"
	fi
}

skip() {
	echo "1..0 # SKIP $*"
	exit 77
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# dump_logs FILE...: the last lines of each, for a failure's report.
dump_logs() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		say "--- last lines of $(basename "$f")"
		tail -"${DUMP_LINES:-25}" "$f" | sed 's/^/#   /'
	done
}

stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	sleep 0.1
}

# wait_for SECONDS COMMAND...: polls every 0.5 s until the command succeeds.
wait_for() {
	local limit=$1
	shift
	for _ in $(seq $((limit * 2))); do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}

lib_cleanup() {
	local pid ns
	if declare -F lib_cleanup_hook >/dev/null; then lib_cleanup_hook; fi
	for pid in "${LIB_PIDS[@]}"; do stop_pid "$pid"; done
	# Anything else still running in our namespaces was started by us
	# (helpers the daemons forked).
	for ns in "${LIB_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$OPENBGPD_MADE_RUNDIR" = 1 ]; then
		rmdir /run/openbgpd 2>/dev/null
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "${KEEP_TMP:-0}" = 1 ] || [ "$FAILED" -gt 0 ] || [ "$LIB_INTERRUPTED" = 1 ]; then
			say "files kept in $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
}

# lib_init NAME: traps for the cleanup (also after a crash or a signal) and
# a fresh temporary directory in $TMP (world-readable: FRR runs as frr).
lib_init() {
	trap lib_cleanup EXIT
	trap 'LIB_INTERRUPTED=1; say "interrupted"; exit 1' INT TERM HUP
	TMP=$(mktemp -d "/tmp/nvt-$1.XXXXXX") || exit 1
	chmod 755 "$TMP"
}

# --- namespaces ----------------------------------------------------------------
# ns_add NAME: a namespace with its loopback up.
ns_add() {
	ip netns add "$1" || return 1
	LIB_NS+=("$1")
	ip -n "$1" link set lo up
}
# veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, both ends up.
# Created inside NS1 with its peer moved to NS2: nothing touches the host.
veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}
# addr NS IF ADDRESS/LEN...: IPv6 addresses without duplicate detection.
addr() {
	local ns=$1 ifn=$2 a
	shift 2
	for a in "$@"; do
		case $a in
		*:*) ip -n "$ns" addr add "$a" dev "$ifn" nodad || return 1 ;;
		*) ip -n "$ns" addr add "$a" dev "$ifn" || return 1 ;;
		esac
	done
}

# lib_spawn NS LOG CMD...: runs CMD in namespace NS in the background, output
# appended to LOG (one log across restarts). `ip netns exec` does not fork, so
# the pid is the command's own. Call it directly, never in $(...), or the pid
# is lost.
lib_spawn() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >>"$log" 2>&1 &
	LIB_LAST_PID=$!
	disown "$LIB_LAST_PID" 2>/dev/null
	LIB_PIDS+=("$LIB_LAST_PID")
}
# lib_pid_save DIR NAME / lib_pid DIR NAME: the pid of a started daemon.
lib_pid_save() { echo "$LIB_LAST_PID" >"$1/$2.lpid"; }
lib_pid() { cat "$1/$2.lpid" 2>/dev/null; }
lib_stop() { stop_pid "$(lib_pid "$1" "$2")"; }
lib_running() { kill -0 "$(lib_pid "$1" "$2")" 2>/dev/null; }

# Lists as jq arrays.
jarr() { printf '%s\n' $1 | jq -R . | jq -sc .; }

# The daemons' routes are read into one shape for the checks:
#   {asPath, communities, large, med, origin, nextHop}
# (strings, med a number or null); nothing at all when the prefix is absent.

# --- FRR -------------------------------------------------------------------------
# frr_start NS DIR [BGPD OPTIONS...]: zebra and bgpd with DIR/bgpd.conf, the
# zebra socket and the vty sockets in DIR.
frr_start() {
	local ns=$1 dir=$2
	shift 2
	chown frr:frr "$dir" 2>/dev/null
	[ -f "$dir/zebra.conf" ] || cat >"$dir/zebra.conf" <<-EOF
	hostname nvt-zebra
	log file $dir/zebra.log informational
	EOF
	rm -f "$dir/zserv.api" "$dir/zebra.vty"
	lib_spawn "$ns" "$dir/zebra.out" /usr/lib/frr/zebra -f "$dir/zebra.conf" -i "$dir/zebra.pid" \
		-z "$dir/zserv.api" --vty_socket "$dir" -u frr -g frr
	lib_pid_save "$dir" zebra
	wait_for 10 test -S "$dir/zserv.api" || return 1
	frr_start_bgpd "$ns" "$dir" "$@"
}
# frr_start_bgpd NS DIR [OPTIONS...]: bgpd alone (zebra runs), e.g. to restart it.
frr_start_bgpd() {
	local ns=$1 dir=$2
	shift 2
	rm -f "$dir/bgpd.vty"
	lib_spawn "$ns" "$dir/bgpd.out" /usr/lib/frr/bgpd -f "$dir/bgpd.conf" -i "$dir/bgpd.pid" \
		-z "$dir/zserv.api" --vty_socket "$dir" -u frr -g frr -p 179 "$@"
	lib_pid_save "$dir" bgpd
	wait_for 10 test -S "$dir/bgpd.vty"
}
frr_vtysh() {
	local ns=$1 dir=$2
	shift 2
	ip netns exec "$ns" vtysh --vty_socket "$dir" "$@"
}
# frr_state NS DIR PEER: the session's state (Established, Active, ...).
frr_state() {
	frr_vtysh "$1" "$2" -c "show bgp neighbors $3 json" 2>/dev/null |
		jq -r --arg n "$3" '.[$n].bgpState // "none"'
}
frr_established() { [ "$(frr_state "$@")" = Established ]; }
# frr_pfxrcd NS DIR PEER ipv4|ipv6
frr_pfxrcd() {
	local v
	v=$(frr_vtysh "$1" "$2" -c "show bgp $4 unicast summary json" 2>/dev/null |
		jq --arg n "$3" '.peers[$n].pfxRcd // 0')
	echo "${v:-0}"
}
# frr_route NS DIR PREFIX
frr_route() {
	local afi=ipv4
	case $3 in *:*) afi=ipv6 ;; esac
	frr_vtysh "$1" "$2" -c "show bgp $afi unicast $3 json" 2>/dev/null | jq -c '.paths[0] // empty | {
		asPath: .aspath.string, communities: .community.string,
		large: .largeCommunity.string, med: .metric, origin: .origin,
		nextHop: .nexthops[0].ip}'
}

# --- BIRD 2 ----------------------------------------------------------------------
# bird_start NS DIR: bird with DIR/bird.conf, control socket DIR/bird.ctl.
bird_start() {
	local ns=$1 dir=$2
	rm -f "$dir/bird.ctl"
	lib_spawn "$ns" "$dir/bird.out" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid"
	lib_pid_save "$dir" bird
	wait_for 10 test -S "$dir/bird.ctl"
}
birdc_() {
	local ns=$1 dir=$2
	shift 2
	ip netns exec "$ns" birdc -s "$dir/bird.ctl" "$@"
}
# bird_established NS DIR PROTOCOL
bird_established() { birdc_ "$1" "$2" show protocols "$3" 2>/dev/null | grep -q 'Established'; }
# bird_route NS DIR PREFIX: the best route.
bird_route() {
	birdc_ "$1" "$2" show route "$3" all 2>/dev/null | awk '
		function q(s) { return "\"" s "\"" }
		/BGP.origin:/ { if (o == "") o = $2 }
		/BGP.as_path:/ { if (a == "") { sub(/^.*BGP.as_path: */, ""); a = $0; if (a == "") a = " " } }
		/BGP.next_hop:/ { if (n == "") n = $2 }
		/BGP.med:/ { if (m == "") m = $2 }
		/BGP.community:/ { if (c == "") { sub(/^.*BGP.community: */, ""); gsub(/[()]/, ""); gsub(/,/, ":"); c = $0 } }
		/BGP.large_community:/ { if (l == "") { sub(/^.*BGP.large_community: */, ""); gsub(/, /, ":");
			gsub(/[()]/, ""); l = $0 } }
		END { if (o != "") { sub(/^ $/, "", a);
			printf "{\"asPath\":%s,\"communities\":%s,\"large\":%s,\"med\":%s,\"origin\":%s,\"nextHop\":%s}\n",
			q(a), q(c), q(l), m == "" ? "null" : m, q(o), q(n) } }'
}

# --- GoBGP -------------------------------------------------------------------------
# gobgp_start NS DIR: gobgpd with DIR/gobgpd.toml; its API on the namespace's
# own loopback (127.0.0.1:50051), log in DIR/gobgpd.log.
gobgp_start() {
	local ns=$1 dir=$2
	lib_spawn "$ns" "$dir/gobgpd.log" gobgpd -f "$dir/gobgpd.toml" --api-hosts 127.0.0.1:50051 -p \
		--pprof-disable
	lib_pid_save "$dir" gobgpd
	wait_for 10 gobgp_ "$ns" global >/dev/null 2>&1
}
gobgp_() {
	local ns=$1
	shift
	ip netns exec "$ns" gobgp -u 127.0.0.1 -p 50051 "$@"
}
# gobgp_established NS PEER
gobgp_established() {
	gobgp_ "$1" neighbor "$2" -j 2>/dev/null | jq -e '.state.session_state == 6' >/dev/null
}
# gobgp_route NS PREFIX: the best path of the global RIB.
gobgp_route() {
	local afi=ipv4
	case $2 in *:*) afi=ipv6 ;; esac
	gobgp_ "$1" global rib -a $afi "$2" -j 2>/dev/null | jq -c --arg p "$2" '.[$p][0].attrs // empty |
		{asPath: ([.[] | select(.type == 2) | .as_paths[]?.asns[]] | map(tostring) | join(" ")),
		 communities: ([.[] | select(.type == 8) | .communities[] |
			"\(. / 65536 | floor):\(. % 65536)"] | join(" ")),
		 large: ([.[] | select(.type == 32) | .value[] |
			"\(.ASN):\(.LocalData1):\(.LocalData2)"] | join(" ")),
		 med: ([.[] | select(.type == 4) | .metric][0]),
		 origin: ([.[] | select(.type == 1) | ["IGP", "EGP", "incomplete"][.value]][0]),
		 nextHop: ([.[] | select(.type == 3 or .type == 14) | .nexthop][0])}'
}

# --- ExaBGP ------------------------------------------------------------------------
# exabgp_start NS DIR [VAR=VALUE...]: exabgp with DIR/exabgp.conf, configured
# through exabgp_* environment variables (no CLI pipes, no privilege drop, no
# listening unless exabgp_tcp_bind is given, pid file and log in DIR).
exabgp_start() {
	local ns=$1 dir=$2
	shift 2
	lib_spawn "$ns" "$dir/exabgp.out" env exabgp_api_cli=false exabgp_daemon_user=root \
		exabgp_daemon_drop=false exabgp_daemon_daemonize=false \
		exabgp_daemon_pid="$dir/exabgp.pid" exabgp_log_destination="$dir/exabgp.log" \
		exabgp_tcp_bind= "$@" exabgp "$dir/exabgp.conf"
	lib_pid_save "$dir" exabgp
	wait_for 10 test -s "$dir/exabgp.log"
}
# exabgp_receiver_script DIR: an API process that appends what it is given
# (the JSON messages) to DIR/exabgp-received.jsonl.
exabgp_receiver_script() {
	cat >"$1/exabgp-receiver.sh" <<-EOF
	#!/bin/sh
	# Not "exec cat": with that, ExaBGP 4.2.21 counted the helper as dead,
	# respawned it five times and stopped.
	cat >>"$1/exabgp-received.jsonl"
	EOF
	chmod 755 "$1/exabgp-receiver.sh"
	touch "$1/exabgp-received.jsonl"
}
# exabgp_routes DIR: every announced prefix with its attributes and next hop,
# one JSON a line. ExaBGP lists a prefix under each of its next hops (an IPv6
# global and link-local pair gives two keys): nextHop is the first (global).
exabgp_routes() {
	jq -c 'select(.type == "update") | .neighbor.message.update as $u |
		($u.announce // {}) | to_entries[] | .key as $fam |
		[.value | to_entries[] | .key as $nh | .value[] | {nlri, nh: $nh}] |
		group_by(.nlri)[] | {family: $fam, prefix: .[0].nlri, nextHop: .[0].nh,
		nextHops: map(.nh), attrs: $u.attribute}' "$1/exabgp-received.jsonl" 2>/dev/null
}
# exabgp_route DIR PREFIX: its last announcement.
exabgp_route() {
	exabgp_routes "$1" | jq -c --arg p "$2" 'select(.prefix == $p) | .attrs as $a | {
		asPath: ($a."as-path" // [] | map(tostring) | join(" ")),
		communities: ($a.community // [] | map("\(.[0]):\(.[1])") | join(" ")),
		large: ($a."large-community" // [] | map("\(.[0]):\(.[1]):\(.[2])") | join(" ")),
		med: $a.med, origin: $a.origin, nextHop: .nextHop}' | tail -1
}

# --- OpenBGPD ---------------------------------------------------------------------
# openbgpd_start NS DIR: bgpd -d with DIR/bgpd.conf, which must say
# socket "DIR/bgpd.sock". It chroots into /run/openbgpd (normally made by
# systemd), made here when missing and removed at exit.
openbgpd_bin() { command -v bgpd || echo /usr/sbin/bgpd; }
openbgpd_start() {
	local ns=$1 dir=$2
	if [ ! -d /run/openbgpd ]; then
		mkdir -p /run/openbgpd && OPENBGPD_MADE_RUNDIR=1
	fi
	rm -f "$dir/bgpd.sock"
	lib_spawn "$ns" "$dir/openbgpd.log" "$(openbgpd_bin)" -d -f "$dir/bgpd.conf"
	lib_pid_save "$dir" openbgpd
	wait_for 10 test -S "$dir/bgpd.sock"
}
bgpctl_() {
	local ns=$1 dir=$2
	shift 2
	ip netns exec "$ns" bgpctl -s "$dir/bgpd.sock" "$@"
}
# openbgpd_established NS DIR PEER
openbgpd_established() {
	bgpctl_ "$1" "$2" -j show neighbor "$3" 2>/dev/null |
		jq -e '.neighbors[0].state == "Established"' >/dev/null
}
# openbgpd_route NS DIR PREFIX
openbgpd_route() {
	bgpctl_ "$1" "$2" -j show rib detail "$3" 2>/dev/null | jq -c '.rib[0] // empty | {
		asPath: .aspath, origin: .origin, med: .metric, nextHop: .exit_nexthop,
		communities: ([.communities[]? ] | join(" ")),
		large: ([."large_communities"[]?] | join(" "))}'
}

# --- nvad (the binaries in $NVAD and $NVACTL) ----------------------------------------
# nvad_spawn NAME NS CONF [OPTIONS...]: nvad in NS with CONF, control socket
# $TMP/NAME.sock, debug log $TMP/NAME.log (appended across restarts); waits
# up to 10 s for the socket.
nvad_spawn() {
	local name=$1 ns=$2 conf=$3
	shift 3
	rm -f "$TMP/$name.sock"
	lib_spawn "$ns" "$TMP/$name.log" "$NVAD" -f "$conf" --socket "$TMP/$name.sock" \
		--log-level debug "$@"
	lib_pid_save "$TMP" "$name"
	wait_for 10 test -S "$TMP/$name.sock"
}
# nvad_kill NAME [SIGNAL]: sends it (TERM by default) and waits until the
# process is gone; false when it is still there.
nvad_kill() {
	local pid
	pid=$(lib_pid "$TMP" "$1")
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	echo "----- nvad killed with SIG${2:-TERM} by the test -----" >>"$TMP/$1.log"
	! kill -0 "$pid" 2>/dev/null
}
# nv NAME COMMAND...: nvactl against that nvad.
nv() {
	local name=$1
	shift
	timeout 10 "$NVACTL" --socket "$TMP/$name.sock" "$@"
}
