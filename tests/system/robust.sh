#!/bin/bash
# robust.sh: nvad under load and faults, with bgpblast (bench/bgpblast.c) as
# the peers: memory over rounds of a large table announced and withdrawn,
# session churn, and the maximum-prefix restart timer.
#
#   robust.sh CASE NVAD NVACTL BGPBLAST
#
# CASE: rounds | churn | maxpfx-restart (README.md describes each).
# Prints `ok - ...` / `not ok - ...` lines, the figures as `# ...` lines, and
# `N passed, M failed`; exit 1 when something failed, 77 (skipped) when not
# root or something needed is missing. Every namespace is made here (names
# nvr-PID-*) and removed in the EXIT trap; configurations, sockets, logs and
# the peers' event files are in a temporary directory (kept on failure or
# with KEEP_TMP=1). Waits are polls, bounded; no check depends on how fast
# the machine is, except that the hold timers of the sessions must hold.
#
# Environment: ROUNDS_PREFIXES (default 200000) and ROUNDS (default 10) for
# `rounds`; CHURN_FLAPS (default 1000) and CHURN_PREFIXES (default 1000) for
# `churn`; DFZ_STATS (default ../shared/data/dfz-stats.json beside the source
# tree, NVAD_SRC_ROOT), the shape of
# the feeder's table.
set -u

CASE=${1:?usage: robust.sh CASE NVAD NVACTL BGPBLAST}
NVAD=$(readlink -f "${2:?nvad path}")
NVACTL=$(readlink -f "${3:?nvactl path}")
BLAST=$(readlink -f "${4:?bgpblast path}")
HERE=$(dirname "$(readlink -f "$0")")

. "$HERE/lib.sh"

P=nvr-$$
T0=$(date +%s.%N)
SRC=${NVAD_SRC_ROOT:-$HERE/../..}
STATS=${DFZ_STATS:-$SRC/../shared/data/dfz-stats.json}

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v jq >/dev/null || skip "jq not installed"
[ -x "$NVAD" ] || skip "nvad not built: $NVAD"
[ -x "$NVACTL" ] || skip "nvactl not built: $NVACTL"
[ -x "$BLAST" ] || skip "bgpblast not built (needs zlib1g-dev): $BLAST"
[ -r "$STATS" ] || skip "no table shape at $STATS (DFZ_STATS)"
case $CASE in
rounds | churn | maxpfx-restart) ;;
*) echo "robust.sh: unknown case '$CASE'" >&2; exit 2 ;;
esac

lib_init "r-$CASE"

# A sanitized nvad (ASan/LSan): its leak report at exit is checked.
SANITIZED=0
if ldd "$NVAD" 2>/dev/null | grep -q 'libasan'; then SANITIZED=1; fi

elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }
nv_nbr() { nv "$1" show ip bgp neighbors "$2" json 2>/dev/null | jq -c --arg n "$2" '.[$n] // empty'; }
nv_field() { nv_nbr "$1" "$2" | jq -r ".$3 // empty"; }
nv_est() { [ "$(nv_field "$1" "$2" bgpState)" = Established ]; }
# nv_sum NAME FILTER: a value of `show ip bgp summary json`'s ipv4Unicast.
nv_sum() { nv "$1" show ip bgp summary json 2>/dev/null | jq -r ".ipv4Unicast | $2"; }
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else notok "$1: got '$2', want '$3'"; fi
}
# rss_kib PID: the resident set size, from /proc/PID/status.
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# last_ev FILE EVENT: the last event line of that name from a bgpblast.
last_ev() { grep -F "\"ev\":\"$2\"" "$1" 2>/dev/null | tail -1; }
count_ev() { grep -cF "\"ev\":\"$2\"" "$1" 2>/dev/null; }


# conf_head: the start of nvad's configuration, AS 65001, no policy needed.
conf_head() {
	cat <<-EOF
	frr defaults traditional
	hostname nvr-n
	router bgp 65001
	 bgp router-id 10.98.1.1
	 no bgp ebgp-requires-policy
	 no bgp default ipv4-unicast
	EOF
}

# nvad's namespace N with one veth per peer: F (the feeder, 10.98.1.2), S (a
# sink that gets the whole table, 10.98.2.2) and Q (a quiet peer with a 3 s
# hold time that gets nothing, 10.98.3.2); nvad is .1 on each.
NSN=$P-n
net_peers() {
	local i ns
	ns_add "$NSN" || return 1
	for i in "$@"; do
		ns=$P-$i
		case $i in f) n=1 ;; s) n=2 ;; q) n=3 ;; esac
		ns_add "$ns" && veth "$NSN" "e$i" "$ns" eth0 &&
			addr "$NSN" "e$i" "10.98.$n.1/24" && addr "$ns" eth0 "10.98.$n.2/24" || return 1
	done
}

# blast NAME NS ARGS...: bgpblast with its events in $TMP/NAME.ev, its
# diagnostics in $TMP/NAME.err.
blast() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$BLAST" "$@" >"$TMP/$name.ev" 2>"$TMP/$name.err" &
	LIB_LAST_PID=$!
	disown "$LIB_LAST_PID" 2>/dev/null
	LIB_PIDS+=("$LIB_LAST_PID")
	lib_pid_save "$TMP" "$name"
}

# The end of every case: nvad stops on SIGTERM, and no sanitizer report (a
# sanitized nvad's LeakSanitizer runs at that exit).
final_checks() {
	local pid
	pid=$(lib_pid "$TMP" n)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		if ! kill -0 "$pid" 2>/dev/null && grep -q 'nvad notice: stopped' "$TMP/n.log"; then
			ok "nvad stopped cleanly on SIGTERM"
		else
			notok "nvad stopped cleanly on SIGTERM"
		fi
	elif [ -n "$pid" ]; then
		notok "nvad still running at the end of the case (it died before)"
	fi
	if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$TMP/n.log" 2>/dev/null; then
		notok "no sanitizer report in nvad's log"
		grep -A30 -m1 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$TMP/n.log" | sed 's/^/#   /'
	elif [ "$SANITIZED" = 1 ]; then
		ok "no sanitizer report in nvad's log (LeakSanitizer at exit: no leak)"
	fi
}

# ====================================================================================
# rounds: a table of ROUNDS_PREFIXES announced and withdrawn ROUNDS times;
# nvad's memory must not grow after the first round. Read from
# /proc/PID/status after each withdrawal: VmRSS, and VmHWM (the peak RSS so
# far). Two checks: (1) no round after the first needs more memory than
# the first did at its peak (VmHWM at the end and every VmRSS within
# round 1's VmHWM + slack); (2) from round 2 on, the RSS of the empty RIB
# does not creep (every VmRSS within round 2's + slack). Round 1's own
# empty RSS is no baseline: glibc may give the top of the heap back after
# the first withdrawal (at 1M prefixes it gave back 8 MB, then took them
# again in round 2 and kept them).
ROUNDS_PREFIXES=${ROUNDS_PREFIXES:-200000}
ROUNDS=${ROUNDS:-10}
# The slack, 1 MiB: the allocator keeps freed memory for reuse, so the RSS
# of an empty RIB is flat; what moves it a little is the control socket's
# replies and the allocator's page-granular trimming (under 700 KiB in the
# runs of docs/robustness.md). A leak of a single byte per prefix and round
# would add 200 KB a round here, 1.6 MB over rounds 2 to 10, and fail (2).
RSS_SLACK_KIB=1024
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# quiet_ok: the quiet peer's session (hold time 3 s) never dropped, on
# either side.
quiet_ok() {
	local v
	v=$(nv_nbr n 10.98.3.2)
	[ "$(jq -r .bgpState <<<"$v")" = Established ] &&
		[ "$(jq -r .connectionsDropped <<<"$v")" = "$Q_DROPPED" ] &&
		[ "$(count_ev "$TMP/q.ev" established)" = 1 ] &&
		! grep -q 'hold_expired\|"closed"\|notification' "$TMP/q.ev"
}
# kroutes: nvad's routes in N's kernel (protocol bgp).
kroutes() { ip -n "$NSN" -4 route show table main proto 186 2>/dev/null | wc -l; }
rib_is() { # WANT: the feeder's prefixes in nvad, in the kernel, at the sink
	[ "$(nv_sum n '.peers["10.98.1.2"].pfxRcd')" = "$1" ] &&
		[ "$(kroutes)" = "$1" ] &&
		[ "$(nv_sum n '.peers["10.98.2.2"].pfxSnt')" = "$1" ] &&
		[ "$(last_ev "$TMP/s.ev" quiet | jq -r .held)" = "$1" ]
}

# wait_rib WANT: rib_is, polled every 0.5 s for at most 300 s; false at
# once when the feeder died.
wait_rib() {
	for _ in $(seq 600); do
		rib_is "$1" && return 0
		lib_running "$TMP" f || { say "the feeder died: $(tail -2 "$TMP/f.err")"; return 1; }
		sleep 0.5
	done
	return 1
}
case_rounds() {
	local r pid rss hwm1='' rss2='' max=0 t_r t_w bad_quiet=0 figures='' hwms='' ribc hwm
	# ASan holds freed memory in a quarantine (256 MB by default) before
	# reusing it, which the RSS would show as growth; without it the
	# sanitized nvad reuses memory as the plain one does.
	[ "$SANITIZED" = 1 ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
	# glibc's mmap threshold is dynamic: once a large mmapped buffer is
	# freed, buffers of that size come from the heap, which then keeps
	# them. Depending on timing that moved about 2 MB into the heap once,
	# in round 2, and never again (smaps: the [heap] end); fixed at its
	# default start value the allocator does the same work every round.
	export MALLOC_MMAP_THRESHOLD_=131072
	net_peers f s q || { notok "namespaces set up"; return; }
	{ conf_head; cat <<-EOF
	 neighbor 10.98.1.2 remote-as 65010
	 neighbor 10.98.1.2 passive
	 neighbor 10.98.2.2 remote-as 65020
	 neighbor 10.98.2.2 passive
	 neighbor 10.98.3.2 remote-as 65030
	 neighbor 10.98.3.2 passive
	 neighbor 10.98.3.2 timers 1 3
	 address-family ipv4 unicast
	  neighbor 10.98.1.2 activate
	  neighbor 10.98.2.2 activate
	  neighbor 10.98.3.2 activate
	  neighbor 10.98.3.2 prefix-list nothing out
	 exit-address-family
	exit
	ip prefix-list nothing seq 5 deny any
	EOF
	} >"$TMP/n.conf"
	nvad_spawn n "$NSN" "$TMP/n.conf" || { notok "nvad started"; dump_logs "$TMP/n.log"; return; }
	pid=$(lib_pid "$TMP" n)
	blast q "$P-q" sink --local-as 65030 --router-id 10.98.3.2 --connect 10.98.3.1 --hold 3
	blast s "$P-s" sink --local-as 65020 --router-id 10.98.2.2 --connect 10.98.2.1 --quiet-ms 500
	if wait_for 30 eval 'nv_est n 10.98.3.2 && nv_est n 10.98.2.2'; then
		ok "the sink and the quiet peer Established"
	else
		notok "the sink and the quiet peer Established"; dump_logs "$TMP/n.log" "$TMP/q.err"; return
	fi
	expect_eq "hold time with the quiet peer" "$(nv_field n 10.98.3.2 bgpTimerHoldTimeMsecs)" 3000
	Q_DROPPED=$(nv_field n 10.98.3.2 connectionsDropped)
	say "RSS of nvad before the feeder: $(rss_kib "$pid") KiB"
	blast f "$P-f" feed --local-as 65010 --router-id 10.98.1.2 --connect 10.98.1.1 \
		--prefixes "$ROUNDS_PREFIXES" --paths $((ROUNDS_PREFIXES / 100)) --seed 8 \
		--stats "$STATS" --next-hop 10.98.1.2 --rounds 1
	for r in $(seq "$ROUNDS"); do
		t_r=$(date +%s.%N)
		[ "$r" -gt 1 ] && kill -USR2 "$(lib_pid "$TMP" f)"
		if ! wait_rib "$ROUNDS_PREFIXES"; then
			notok "round $r: nvad and the sink hold the $ROUNDS_PREFIXES prefixes"
			dump_logs "$TMP/n.log" "$TMP/f.err"; return
		fi
		t_w=$(date +%s.%N)
		say "round $r: announced in $(elapsed "$t_r") s, RSS $(rss_kib "$pid") KiB with the table"
		kill -USR2 "$(lib_pid "$TMP" f)"
		# The sink's quiet event with 0 held comes after the withdrawals.
		if ! wait_rib 0; then
			notok "round $r: every prefix withdrawn"; dump_logs "$TMP/n.log"; return
		fi
		ribc=$(nv_sum n .ribCount)
		[ "$ribc" = 0 ] || notok "round $r: ribCount $ribc after the withdrawal"
		rss=$(rss_kib "$pid")
		say "round $r: withdrawn in $(elapsed "$t_w") s, RSS $rss KiB with the RIB empty (ribCount $ribc)"
		figures="$figures $rss"
		hwm=$(hwm_kib "$pid")
		hwms="$hwms $hwm"
		# Which mapping holds what, for a failure's diagnosis.
		cp "/proc/$pid/smaps" "$TMP/smaps.$r" 2>/dev/null
		[ "$r" = 1 ] && hwm1=$hwm
		[ "$r" = 2 ] && rss2=$rss
		[ "$r" -gt 1 ] && [ "$rss" -gt "$max" ] && max=$rss
		quiet_ok || bad_quiet=$((bad_quiet + 1))
	done
	ok "$ROUNDS rounds of $ROUNDS_PREFIXES prefixes announced and withdrawn: each time in nvad, its kernel table and the sink, then gone from all three"
	say "VmRSS (KiB) after each withdrawal:$figures"
	say "VmHWM (KiB) after each withdrawal:$hwms"
	hwm=$(hwm_kib "$pid")
	if [ "$hwm" -le $((hwm1 + RSS_SLACK_KIB)) ] && [ "$max" -le $((hwm1 + RSS_SLACK_KIB)) ]; then
		ok "no round after the first needed more memory: peak $hwm KiB, round 1's peak $hwm1 KiB (+ $RSS_SLACK_KIB)"
	else
		notok "later rounds needed more memory: peak $hwm KiB, max RSS $max KiB; round 1's peak $hwm1 KiB (+ $RSS_SLACK_KIB)"
	fi
	if [ "$ROUNDS" -lt 3 ]; then
		:
	elif [ "$max" -le $((rss2 + RSS_SLACK_KIB)) ]; then
		ok "the RSS of the empty RIB flat over rounds 2..$ROUNDS (round 2 $rss2 KiB, max $max KiB, + $RSS_SLACK_KIB)"
	else
		notok "the RSS of the empty RIB grew over rounds 2..$ROUNDS: round 2 $rss2 KiB, max $max KiB (+ $RSS_SLACK_KIB)"
	fi
	expect_eq "ribCount at the end" "$(nv_sum n .ribCount)" 0
	expect_eq "rounds in which the quiet peer (hold 3 s) had dropped" "$bad_quiet" 0
	check "the quiet peer's session held through every round (one session, no hold timer expiry)" quiet_ok
	check "nvad's log: no hold timer expiry" eval '! grep -qi "hold timer" "$TMP/n.log"'
	say "keepalives nvad sent to the quiet peer: $(nv_field n 10.98.3.2 messageStats.keepalivesSent)"
	say "rounds: $(elapsed "$T0") s in all"
}

# ====================================================================================
# churn: CHURN_FLAPS flaps of a peer holding CHURN_PREFIXES prefixes, half
# made by nvad (`clear ip bgp`), half by the peer (a Cease); then the RIB is
# the one before, and a sanitized nvad reports no leak at exit.
CHURN_FLAPS=${CHURN_FLAPS:-1000}
CHURN_PREFIXES=${CHURN_PREFIXES:-1000}
# rib_json: `show ip bgp json` without what changes with time.
rib_json() {
	nv n show ip bgp json 2>/dev/null |
		jq -S 'del(.. | .lastUpdate?, .lastUpdateEpoch?, .uptime?, .tableVersion?, .version?)'
}
# feeder_state: "CONNECTIONS_ESTABLISHED PFXRCD" of the feeder, in one call.
feeder_state() {
	nv n show ip bgp summary json 2>/dev/null |
		jq -r '.ipv4Unicast.peers["10.98.1.2"] | "\(.connectionsEstablished) \(.pfxRcd)"'
}
flap_done() { # E0: one more session, with the whole table
	local e n
	read -r e n <<<"$(feeder_state)"
	[ "${e:-0}" -gt "$1" ] 2>/dev/null && [ "$n" = "$CHURN_PREFIXES" ]
}
# A poll every 10 ms (a flap takes a few), at most 30 s or so.
wait_fast() {
	for _ in $(seq 3000); do
		sleep 0.01
		"$@" && return 0
	done
	return 1
}
case_churn() {
	local i e0 pid rss10='' rss_end before after by_us=0 by_nvad=0 t
	net_peers f s || { notok "namespaces set up"; return; }
	{ conf_head; cat <<-EOF
	 neighbor 10.98.1.2 remote-as 65010
	 neighbor 10.98.1.2 passive
	 neighbor 10.98.2.2 remote-as 65020
	 neighbor 10.98.2.2 passive
	 address-family ipv4 unicast
	  network 10.250.0.0/16
	  neighbor 10.98.1.2 activate
	  neighbor 10.98.2.2 activate
	 exit-address-family
	exit
	EOF
	} >"$TMP/n.conf"
	nvad_spawn n "$NSN" "$TMP/n.conf" || { notok "nvad started"; dump_logs "$TMP/n.log"; return; }
	pid=$(lib_pid "$TMP" n)
	blast s "$P-s" sink --local-as 65020 --router-id 10.98.2.2 --connect 10.98.2.1 --quiet-ms 300
	blast f "$P-f" feed --local-as 65010 --router-id 10.98.1.2 --connect 10.98.1.1 \
		--prefixes "$CHURN_PREFIXES" --paths $((CHURN_PREFIXES / 20 + 1)) --seed 9 \
		--stats "$STATS" --next-hop 10.98.1.2 --reconnect 1
	if wait_for 30 flap_done 0 && wait_for 30 eval '[ "$(last_ev "$TMP/s.ev" quiet | jq -r .held)" = $((CHURN_PREFIXES + 1)) ]'; then
		ok "the feeder's $CHURN_PREFIXES prefixes in nvad and at the sink (with nvad's own)"
	else
		notok "the feeder's table in nvad and at the sink"; dump_logs "$TMP/n.log" "$TMP/f.err"; return
	fi
	before=$(rib_json)
	t=$(date +%s.%N)
	for i in $(seq "$CHURN_FLAPS"); do
		e0=$i # sessions so far: the first, then one a flap
		if [ $((i % 2)) = 1 ]; then
			nv n clear ip bgp 10.98.1.2 >/dev/null 2>&1
			by_nvad=$((by_nvad + 1))
		else
			kill -HUP "$(lib_pid "$TMP" f)"
			by_us=$((by_us + 1))
		fi
		if ! wait_fast flap_done "$e0"; then
			notok "flap $i: the session back with the whole table"
			dump_logs "$TMP/n.log" "$TMP/f.err"; return
		fi
		[ "$i" = 10 ] && rss10=$(rss_kib "$pid")
		[ $((i % 100)) = 0 ] && say "flap $i: $(elapsed "$t") s, RSS $(rss_kib "$pid") KiB"
	done
	rss_end=$(rss_kib "$pid")
	ok "$CHURN_FLAPS flaps ($by_nvad by clear ip bgp, $by_us by the peer's Cease), the table back after each"
	say "churn: $CHURN_FLAPS flaps in $(elapsed "$t") s"
	expect_eq "sessions the feeder established" "$(count_ev "$TMP/f.ev" established)" $((CHURN_FLAPS + 1))
	expect_eq "nvad's connectionsEstablished with the feeder" \
		"$(nv_field n 10.98.1.2 connectionsEstablished)" $((CHURN_FLAPS + 1))
	after=$(rib_json)
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		ok "show ip bgp json after the flaps equals the one before ($(jq '.routes | length' <<<"$after") prefixes)"
	else
		notok "show ip bgp json after the flaps equals the one before"
		diff <(echo "$before") <(echo "$after") | head -30 | sed 's/^/#   /'
	fi
	wait_for 30 eval '[ "$(last_ev "$TMP/s.ev" quiet | jq -r .held)" = $((CHURN_PREFIXES + 1)) ]'
	expect_eq "the sink holds the table again" "$(last_ev "$TMP/s.ev" quiet | jq -r .held)" $((CHURN_PREFIXES + 1))
	check "the sink's session stayed up (one session)" test "$(count_ev "$TMP/s.ev" established)" = 1
	say "RSS after flap 10: $rss10 KiB, after flap $CHURN_FLAPS: $rss_end KiB"
	if [ "$SANITIZED" = 0 ] && [ -n "$rss10" ]; then
		# Plain build: the RSS must not creep with the flaps (same slack as
		# rounds). The sanitized build's allocator quarantines freed memory,
		# so there the leak check at exit stands in for this.
		check "RSS after flap $CHURN_FLAPS at most that after flap 10 + 1024 KiB" \
			test "$rss_end" -le $((rss10 + 1024))
	fi
}

# ====================================================================================
# maxpfx-restart: `maximum-prefix 10 restart 1` against a peer that sends
# 12: NOTIFICATION Cease/1 (Maximum Number of Prefixes Reached), the session
# held down, and nvad itself brings it back after the minute (then tears it
# down again: the peer still sends 12).
nbr_is() { [ "$(nv_field n 10.98.1.2 bgpState)" = "$1" ]; }
case_maxpfx_restart() {
	local t_n1 t_e2 held_for n_idle=0 polls=0 st
	net_peers f || { notok "namespaces set up"; return; }
	{ conf_head; cat <<-EOF
	 neighbor 10.98.1.2 remote-as 65010
	 neighbor 10.98.1.2 timers connect 2
	 address-family ipv4 unicast
	  neighbor 10.98.1.2 activate
	  neighbor 10.98.1.2 maximum-prefix 10 restart 1
	 exit-address-family
	exit
	EOF
	} >"$TMP/n.conf"
	# The peer listens and nvad connects: after the hold-down, it is nvad
	# that must come back.
	blast f "$P-f" feed --local-as 65010 --router-id 10.98.1.2 --listen 10.98.1.2 \
		--prefixes 12 --paths 3 --seed 10 --stats "$STATS" --next-hop 10.98.1.2 --reconnect 1
	nvad_spawn n "$NSN" "$TMP/n.conf" || { notok "nvad started"; dump_logs "$TMP/n.log"; return; }
	if wait_for 30 grep -q '"ev":"notification"' "$TMP/f.ev"; then
		t_n1=$(date +%s.%N)
		ok "12 prefixes over maximum-prefix 10: the session torn down"
	else
		notok "12 prefixes over maximum-prefix 10: the session torn down"; dump_logs "$TMP/n.log" "$TMP/f.err"; return
	fi
	check "the peer got NOTIFICATION Cease/Maximum Number of Prefixes Reached (6/1)" \
		grep -q 'NOTIFICATION received: 6/1' "$TMP/f.err"
	check "nvad's log: held down for 60 s" grep -q '10.98.1.2.*held down for 60 s' "$TMP/n.log"
	# While held down (polled every 0.5 s): Idle, no new session.
	while [ "$(count_ev "$TMP/f.ev" established)" = 1 ]; do
		polls=$((polls + 1))
		st=$(nv_field n 10.98.1.2 bgpState)
		[ "$st" = Idle ] && n_idle=$((n_idle + 1))
		[ "$(elapsed "$t_n1" | cut -d. -f1)" -ge 120 ] && break
		sleep 0.5
	done
	t_e2=$(last_ev "$TMP/f.ev" established | jq -r .t)
	if [ "$(count_ev "$TMP/f.ev" established)" -ge 2 ]; then
		ok "nvad opened the session again by itself after the hold-down"
		held_for=$(awk -v a="$(jq -r .t <<<"$(grep -F '"ev":"notification"' "$TMP/f.ev" | head -1)")" \
			-v b="$t_e2" 'BEGIN {printf "%.1f", b - a}')
		say "NOTIFICATION to the next session: $held_for s"
		check "not before the minute of restart 1 ($held_for s)" awk -v h="$held_for" 'BEGIN {exit !(h >= 59.5)}'
	else
		notok "nvad opened the session again by itself after the hold-down (none within 120 s)"
	fi
	expect_eq "polls during the hold-down where nvad did not show the peer Idle" $((polls - n_idle)) 0
	# Still 12 prefixes: torn down and held down again.
	if wait_for 30 eval '[ "$(count_ev "$TMP/f.ev" notification)" -ge 2 ]'; then
		ok "the second session over the limit torn down too"
	else
		notok "the second session over the limit torn down too"
	fi
	expect_eq "nvad's log: held down twice" "$(grep -c '10.98.1.2.*held down for 60 s' "$TMP/n.log")" 2
}

case $CASE in
rounds) case_rounds ;;
churn) case_churn ;;
maxpfx-restart) case_maxpfx_restart ;;
esac
final_checks
[ "$FAILED" -gt 0 ] && dump_logs "$TMP/n.log"
say "$CASE: $(elapsed "$T0") s"
finish
