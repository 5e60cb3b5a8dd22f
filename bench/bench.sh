#!/bin/bash
# bench.sh: the convergence benchmark of nvad beside BIRD 2, FRR, OpenBGPD and
# GoBGP (issue 6). Each run is a feeder speaker -> the daemon under test ->
# a sink speaker, eBGP, in three network namespaces made here (nvb-PID-feed,
# -dut, -sink) and removed at exit; the feeder straight into the sink is the
# floor. Results are JSON lines appended to OUT; bench/report.py turns them
# into docs/performance.md (`./run bench` does both).
#
# Usage: bench/bench.sh [-B BUILDDIR] [--out FILE] [--repeats R]
#          [--sizes "10000 100000"] [--daemons "nvad bird frr openbgpd gobgp"]
#          [--modes "nokernel kernel"] [--tables "dfz p1000"] [--no-churn]
#          [--no-idle] [--seed S] [--timeout SECONDS] [--nvad PATH]
#   tables: dfz = about 0.25 distinct paths per prefix (N/4 attribute sets),
#           p1000 = 1,000 distinct paths. The churn (the MRT replay) runs after
#           the dfz table is loaded.
# Needs root. Touches no host interface: every link is made inside the
# namespaces, addresses in 10.255.0.0/16.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=$ROOT/build-bench
OUT=
REPEATS=1
SIZES="10000 100000"
DAEMONS="nvad bird frr openbgpd gobgp"
MODES="nokernel kernel"
TABLES="dfz p1000"
CHURN=1
IDLE=1
SEED=1
TIMEOUT=900
DATA=${NVB_DATA:-$ROOT/../shared/data}
STATS=$DATA/dfz-stats.json
MRT=$DATA/mrt/ris-rrc00-updates.20190101.0000.gz

while [ $# -gt 0 ]; do
	case $1 in
	-B) BUILD=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--repeats) REPEATS=$2; shift 2 ;;
	--sizes) SIZES=$2; shift 2 ;;
	--daemons) DAEMONS=$2; shift 2 ;;
	--modes) MODES=$2; shift 2 ;;
	--tables) TABLES=$2; shift 2 ;;
	--no-churn) CHURN=0; shift ;;
	--no-idle) IDLE=0; shift ;;
	--seed) SEED=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--nvad) NVAD_BIN=$2; shift 2 ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

[ "$(id -u)" -eq 0 ] || { echo "bench.sh: needs root (network namespaces)" >&2; exit 1; }
BLAST=$BUILD/bench/bgpblast
NLMON=$BUILD/bench/nlmon
NVAD=${NVAD_BIN:-$BUILD/nvad}
for b in "$BLAST" "$NLMON" "$NVAD" "$BUILD/bench/nl_writer"; do
	[ -x "$b" ] || { echo "bench.sh: $b not built (ninja -C $BUILD)" >&2; exit 1; }
done
[ -f "$STATS" ] || { echo "bench.sh: no $STATS" >&2; exit 1; }
[ -n "$OUT" ] || OUT=$(mktemp /tmp/nvb-results.XXXXXX.jsonl)

# The addresses: feeder - DUT on 10.255.1.0/24, DUT - sink on 10.255.2.0/24,
# feeder - sink (the floor) on 10.255.3.0/24.
FEED=10.255.1.1 DUT_F=10.255.1.2 DUT_S=10.255.2.2 SINK=10.255.2.3
FLOOR_F=10.255.3.1 FLOOR_S=10.255.3.3
FEED_AS=65001 DUT_AS=65002 SINK_AS=65003
NS_F=nvb-$$-feed NS_D=nvb-$$-dut NS_S=nvb-$$-sink
TMP=$(mktemp -d /tmp/nvb.XXXXXX)
chmod 755 "$TMP"
PIDS=()
MADE_OPENBGPD_DIR=0

say() { printf 'bench: %s\n' "$*" >&2; }

stop_pid() {
	local pid=$1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}

topo_down() {
	local pid ns
	for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
	PIDS=()
	for ns in "$NS_F" "$NS_D" "$NS_S"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

cleanup() {
	topo_down
	[ "$MADE_OPENBGPD_DIR" = 1 ] && rmdir /run/openbgpd 2>/dev/null
	if [ "${KEEP_TMP:-0}" = 1 ]; then say "files kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Leftovers of a crashed run: namespaces named nvb-* whose process is gone.
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^nvb-'); do
	owner=${ns#nvb-}
	owner=${owner%%-*}
	if ! kill -0 "$owner" 2>/dev/null; then
		for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$ns" 2>/dev/null && say "removed leftover namespace $ns"
	fi
done

topo_up() {
	topo_down
	local ns
	for ns in "$NS_F" "$NS_D" "$NS_S"; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
	ip -n "$NS_F" link add fd0 type veth peer name df0 netns "$NS_D" &&
		ip -n "$NS_D" link add ds0 type veth peer name sd0 netns "$NS_S" &&
		ip -n "$NS_F" link add fs0 type veth peer name sf0 netns "$NS_S" || return 1
	ip -n "$NS_F" addr add $FEED/24 dev fd0 && ip -n "$NS_F" addr add $FLOOR_F/24 dev fs0 &&
		ip -n "$NS_D" addr add $DUT_F/24 dev df0 && ip -n "$NS_D" addr add $DUT_S/24 dev ds0 &&
		ip -n "$NS_S" addr add $SINK/24 dev sd0 && ip -n "$NS_S" addr add $FLOOR_S/24 dev sf0 || return 1
	local l
	for l in "$NS_F fd0" "$NS_F fs0" "$NS_D df0" "$NS_D ds0" "$NS_S sd0" "$NS_S sf0"; do
		set -- $l
		ip -n "$1" link set "$2" up || return 1
	done
}

# spawn NS LOG CMD...: in the background; the pid in $LAST.
spawn() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	LAST=$!
	PIDS+=("$LAST")
}
# spawn_ev NS EVENTS ERRLOG CMD...: events (stdout) and diagnostics apart.
spawn_ev() {
	local ns=$1 ev=$2 err=$3
	shift 3
	ip netns exec "$ns" "$@" >"$ev" 2>"$err" &
	LAST=$!
	PIDS+=("$LAST")
}

# ev FILE NAME [N]: the N-th (default first) event NAME of a file, as JSON.
ev() { grep -F "\"ev\":\"$2\"" "$1" 2>/dev/null | sed -n "${3:-1}p"; }
evf() { ev "$1" "$2" "${4:-1}" | jq -r ".$3 // empty"; }
now() { awk '{print $1}' /proc/uptime; }

# wait_ev FILE NAME SECONDS [N] [PID]: until the event is there; false on
# timeout or when PID (the daemon) died.
wait_ev() {
	local f=$1 name=$2 secs=$3 n=${4:-1} pid=${5:-}
	local end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt "$end" ]; do
		local c
		c=$(grep -cF "\"ev\":\"$name\"" "$f" 2>/dev/null)
		[ "${c:-0}" -ge "$n" ] && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			say "  the daemon (pid $pid) is gone"
			return 1
		fi
		sleep 0.05
	done
	return 1
}

# wait_kernel FILE PID: until the monitor saw all routes; false when the daemon
# died or the count stood still for 20 seconds (it installs no more).
wait_kernel() {
	local f=$1 pid=$2 last=-1 c since
	since=$(date +%s)
	while :; do
		grep -qF '"ev":"target"' "$f" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		c=$(tail -1 "$f" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
		c=${c:-0}
		if [ "$c" != "$last" ]; then
			last=$c
			since=$(date +%s)
		elif [ $(($(date +%s) - since)) -ge 20 ]; then
			return 1
		fi
		sleep 0.2
	done
}

subst() {
	sed -e "s|@DIR@|$RUN|g" -e "s|@FEED@|$FEED|g" -e "s|@SINK@|$SINK|g" \
		-e "s|@DUT_F@|$DUT_F|g" -e "s|@DUT_S@|$DUT_S|g" -e "s|@FEED_AS@|$FEED_AS|g" \
		-e "s|@DUT_AS@|$DUT_AS|g" -e "s|@SINK_AS@|$SINK_AS|g" -e "s|@FIB@|${FIB:-no}|g" \
		-e "s|@KERNEL@|${KBLOCK:-}|g" "$HERE/conf/$1" >"$RUN/$2"
}

# The daemon's processes: everything in the DUT namespace but the monitor.
dut_pids() {
	local p
	for p in $(ip netns pids "$NS_D" 2>/dev/null); do
		[ "$p" = "${NLMON_PID:-x}" ] || echo "$p"
	done
}
# Sum of a /proc/PID/status field (kB) over the daemon's processes.
dut_mem() {
	local p s=0 v
	for p in $(dut_pids); do
		v=$(awk -v f="$1:" '$1 == f {print $2}' /proc/$p/status 2>/dev/null)
		s=$((s + ${v:-0}))
	done
	echo $s
}
# CPU seconds (user + system) of the daemon's processes.
dut_cpu() {
	local p t=0 v
	local hz
	hz=$(getconf CLK_TCK)
	for p in $(dut_pids); do
		v=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' /proc/$p/stat 2>/dev/null)
		t=$((t + ${v:-0}))
	done
	awk -v t=$t -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}'
}

# start_DAEMON MODE: starts it in the DUT namespace (config in $RUN); the
# pid to watch in $DPID. Each returns false when it does not come up.
listening() { ip netns exec "$NS_D" ss -Hltn "sport = :179" 2>/dev/null | grep -q .; }
wait_listen() {
	for _ in $(seq 100); do listening && return 0; sleep 0.1; done
	return 1
}

start_nvad() {
	subst nvad.conf nvad.conf
	local k=--no-kernel
	[ "$1" = kernel ] && k=
	spawn "$NS_D" "$RUN/nvad.log" "$NVAD" -f "$RUN/nvad.conf" --socket "$RUN/nvad.sock" \
		--log-level notice $k
	DPID=$LAST
	wait_listen
}
start_bird() {
	KBLOCK=
	[ "$1" = kernel ] && KBLOCK='protocol kernel { ipv4 { export all; }; }'
	subst bird.conf bird.conf
	spawn "$NS_D" "$RUN/bird.out" bird -f -c "$RUN/bird.conf" -s "$RUN/bird.ctl" -P "$RUN/bird.pid"
	DPID=$LAST
	wait_listen
}
start_frr() {
	subst frr-bgpd.conf bgpd.conf
	subst frr-zebra.conf zebra.conf
	chown -R frr:frr "$RUN"
	# zebra's netlink buffer as Debian's /etc/frr/daemons sets it.
	spawn "$NS_D" "$RUN/zebra.out" /usr/lib/frr/zebra -f "$RUN/zebra.conf" -i "$RUN/zebra.pid" \
		-z "$RUN/zserv.api" --vty_socket "$RUN" -u frr -g frr -s 90000000
	for _ in $(seq 100); do [ -S "$RUN/zserv.api" ] && break; sleep 0.1; done
	local n=-n
	[ "$1" = kernel ] && n=
	spawn "$NS_D" "$RUN/bgpd.out" /usr/lib/frr/bgpd -f "$RUN/bgpd.conf" -i "$RUN/bgpd.pid" \
		-z "$RUN/zserv.api" --vty_socket "$RUN" -u frr -g frr -p 179 $n
	DPID=$LAST
	wait_listen
}
start_openbgpd() {
	FIB=no
	[ "$1" = kernel ] && FIB=yes
	subst openbgpd.conf bgpd.conf
	if [ ! -d /run/openbgpd ]; then mkdir -p /run/openbgpd && MADE_OPENBGPD_DIR=1; fi
	spawn "$NS_D" "$RUN/openbgpd.log" "$(command -v bgpd || echo /usr/sbin/bgpd)" -d -f "$RUN/bgpd.conf"
	DPID=$LAST
	wait_listen
}
start_gobgp() {
	[ "$1" = kernel ] && return 1
	subst gobgpd.toml gobgpd.toml
	spawn "$NS_D" "$RUN/gobgpd.log" gobgpd -f "$RUN/gobgpd.toml" --api-hosts 127.0.0.1:50051 -p \
		--pprof-disable -l warn
	DPID=$LAST
	wait_listen
}

version_of() {
	case $1 in
	nvad) echo "nvad ${NVAD_VERSION:-$(git -C "$ROOT" describe --always --dirty 2>/dev/null)} ($NVAD, built $(date -u -r "$NVAD" +%H:%MZ))" ;;
	bird) bird --version 2>&1 | head -1 ;;
	frr) /usr/lib/frr/bgpd --version 2>/dev/null | head -1 | sed 's/^bgpd version/FRR/' ;;
	openbgpd) "$(command -v bgpd || echo /usr/sbin/bgpd)" -V 2>&1 | head -1 ;;
	gobgp) gobgpd --version 2>&1 | head -1 ;;
	esac
}

# result JSON: one line into OUT.
emit() { echo "$1" >>"$OUT"; }

paths_of() { [ "$1" = p1000 ] && echo 1000 || echo 0; }

# run_floor SIZE TABLE REP: the feeder straight into the sink.
run_floor() {
	local n=$1 table=$2 rep=$3
	RUN=$TMP/floor-$n-$table-$rep
	DPID=
	mkdir -p "$RUN"
	topo_up || { say "topology failed"; return 1; }
	spawn_ev "$NS_S" "$RUN/sink.ev" "$RUN/sink.err" "$BLAST" sink --local-as $SINK_AS \
		--router-id $FLOOR_S --listen $FLOOR_S --target "$n" --quiet-ms 2000
	local spid=$LAST
	wait_ev "$RUN/sink.ev" ready 10
	local churn=()
	[ "$CHURN" = 1 ] && [ "$table" = dfz ] && churn=(--mrt "$MRT")
	spawn_ev "$NS_F" "$RUN/feed.ev" "$RUN/feed.err" "$BLAST" feed --local-as $FEED_AS \
		--router-id $FLOOR_F --connect $FLOOR_S --prefixes "$n" --paths "$(paths_of "$table")" \
		--seed "$SEED" --stats "$STATS" --next-hop $FLOOR_F "${churn[@]}"
	local fpid=$LAST
	if ! wait_ev "$RUN/sink.ev" target "$TIMEOUT" 1 "$spid"; then
		say "floor $n $table: no target"
		emit "{\"kind\":\"run\",\"daemon\":\"floor\",\"mode\":\"-\",\"size\":$n,\"table\":\"$table\",\"rep\":$rep,\"ok\":false}"
		return 1
	fi
	wait_ev "$RUN/sink.ev" quiet 60
	local t0 t1 conv
	t0=$(evf "$RUN/feed.ev" established t)
	t1=$(evf "$RUN/sink.ev" target t)
	conv=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')
	local churnj=null
	if [ ${#churn[@]} -gt 0 ]; then
		churnj=$(do_churn "$fpid" "$spid")
	fi
	say "floor $n $table: ${conv}s"
	emit "{\"kind\":\"run\",\"daemon\":\"floor\",\"mode\":\"-\",\"size\":$n,\"table\":\"$table\",\"rep\":$rep,\"ok\":true,\"conv\":$conv,\"churn\":$churnj}"
	topo_down
}

# do_churn FEEDPID SINKPID: replays the MRT file; prints the churn JSON.
do_churn() {
	local fpid=$1 spid=$2 q0
	q0=$(grep -cF '"ev":"quiet"' "$RUN/sink.ev")
	kill -USR1 "$fpid"
	if ! wait_ev "$RUN/feed.ev" churn_sent 120 1 "$fpid"; then
		echo '{"ok":false}'
		return
	fi
	if ! wait_ev "$RUN/sink.ev" quiet "$TIMEOUT" $((q0 + 1)) "${DPID:-$spid}"; then
		echo '{"ok":false}'
		return
	fi
	local start sent q
	start=$(evf "$RUN/feed.ev" churn_start t)
	sent=$(ev "$RUN/feed.ev" churn_sent)
	q=$(ev "$RUN/sink.ev" quiet $((q0 + 1)))
	jq -nc --argjson s "$start" --argjson sent "$sent" --argjson q "$q" '{ok: true,
		events: ($sent.announced + $sent.withdrawn), updates: $sent.updates,
		rx_events: ($q.announced + $q.withdrawn), rx_updates: $q.updates,
		secs: ($q.last - $s), rate: (($sent.announced + $sent.withdrawn) / ($q.last - $s)),
		quiet_after: ([$q.last - $sent.t, 0] | max), feed_secs: ($sent.t - $s)}'
}

# run_dut DAEMON MODE SIZE TABLE REP
run_dut() {
	local d=$1 mode=$2 n=$3 table=$4 rep=$5
	local base="\"kind\":\"run\",\"daemon\":\"$d\",\"mode\":\"$mode\",\"size\":$n,\"table\":\"$table\",\"rep\":$rep"
	if [ "$d" = gobgp ] && [ "$mode" = kernel ]; then
		emit "{$base,\"ok\":false,\"na\":\"GoBGP installs only through FRR's zebra; Debian's GoBGP 3.10 with Debian's FRR 8.4 zebra panics decoding zebra's interface messages (zapi.go:1953, slice bounds out of range) with software-name frr8.2, frr8.1, frr8 and frr7.5 (checked here); not run\"}"
		return 0
	fi
	if [ "$d" = openbgpd ] && [ "$mode" = kernel ]; then
		emit "{$base,\"ok\":false,\"na\":\"Debian 12's OpenBGPD 7.7 is built without Linux FIB (netlink) support: with fib-update yes it installs nothing (checked here: 0 routes; openbgpd-portable issue 62); not run\"}"
		return 0
	fi
	RUN=$TMP/$d-$mode-$n-$table-$rep
	mkdir -p "$RUN"
	topo_up || { say "topology failed"; return 1; }
	NLMON_PID=
	if [ "$mode" = kernel ]; then
		spawn_ev "$NS_D" "$RUN/nlmon.ev" "$RUN/nlmon.err" "$NLMON" --target "$n" --quiet-ms 3000
		NLMON_PID=$LAST
		wait_ev "$RUN/nlmon.ev" ready 10
	fi
	if ! "start_$d" "$mode"; then
		say "$d $mode: did not start"
		emit "{$base,\"ok\":false,\"error\":\"did not start\"}"
		topo_down
		return 1
	fi
	local dpid=$DPID
	spawn_ev "$NS_S" "$RUN/sink.ev" "$RUN/sink.err" "$BLAST" sink --local-as $SINK_AS \
		--router-id $SINK --connect $DUT_S --target "$n" --quiet-ms 3000
	local spid=$LAST
	if ! wait_ev "$RUN/sink.ev" established 60 1 "$dpid"; then
		say "$d $mode $n $table: the sink's session did not come up"
		emit "{$base,\"ok\":false,\"error\":\"sink session\"}"
		topo_down
		return 1
	fi
	local churn=()
	[ "$CHURN" = 1 ] && [ "$table" = dfz ] && churn=(--mrt "$MRT")
	spawn_ev "$NS_F" "$RUN/feed.ev" "$RUN/feed.err" "$BLAST" feed --local-as $FEED_AS \
		--router-id $FEED --connect $DUT_F --prefixes "$n" --paths "$(paths_of "$table")" \
		--seed "$SEED" --stats "$STATS" --next-hop $FEED "${churn[@]}"
	local fpid=$LAST
	if ! wait_ev "$RUN/sink.ev" target "$TIMEOUT" 1 "$dpid"; then
		say "$d $mode $n $table: the sink did not get all routes (held: $(tail -1 "$RUN/sink.ev"))"
		emit "{$base,\"ok\":false,\"error\":\"timeout or crash\",\"rss_kib\":$(dut_mem VmHWM)}"
		topo_down
		return 1
	fi
	local kern=null
	if [ "$mode" = kernel ]; then
		if wait_kernel "$RUN/nlmon.ev" "$dpid"; then
			local kf kt
			kf=$(evf "$RUN/nlmon.ev" first t)
			kt=$(evf "$RUN/nlmon.ev" target t)
			kern=$(jq -nc --argjson f "$kf" --argjson t "$kt" --argjson e "$(evf "$RUN/feed.ev" established t)" \
				--argjson n "$n" --argjson o "$(grep -cF '"ev":"overflow"' "$RUN/nlmon.ev")" \
				'{ok: true, first: ($f - $e), full: ($t - $e), rate: ($n / ([$t - $f, 0.000001] | max)), overflows: $o}')
		else
			kern="{\"ok\":false,\"count\":$(tail -1 "$RUN/nlmon.ev" | jq '.count // 0')}"
		fi
	fi
	wait_ev "$RUN/sink.ev" quiet 120 1 "$dpid"
	local t0 t1 conv hwm cpu
	t0=$(evf "$RUN/feed.ev" established t)
	t1=$(evf "$RUN/sink.ev" target t)
	conv=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')
	hwm=$(dut_mem VmHWM)
	cpu=$(dut_cpu)
	# NVB_AT_PEAK=CMD: CMD PID runs here (e.g. to read /proc/PID/smaps);
	# its output goes to the run's at-peak.txt (KEEP_TMP=1 keeps it).
	[ -n "${NVB_AT_PEAK:-}" ] && $NVB_AT_PEAK "$dpid" >"$RUN/at-peak.txt" 2>&1
	local churnj=null
	if [ ${#churn[@]} -gt 0 ]; then
		DPID=$dpid
		churnj=$(do_churn "$fpid" "$spid")
	fi
	local hwm2 cpu2
	hwm2=$(dut_mem VmHWM)
	cpu2=$(dut_cpu)
	say "$d $mode $n $table: ${conv}s, ${hwm} KiB, ${cpu} s CPU; kernel $kern; churn $churnj"
	emit "{$base,\"ok\":true,\"conv\":$conv,\"rss_kib\":$hwm,\"cpu\":$cpu,\"kernel\":$kern,\"churn\":$churnj,\"rss_kib_after_churn\":$hwm2,\"cpu_after_churn\":$cpu2}"
	topo_down
}

# run_idle DAEMON REP: two peers established, no routes; resident memory.
run_idle() {
	local d=$1 rep=$2
	RUN=$TMP/$d-idle-$rep
	mkdir -p "$RUN"
	topo_up || return 1
	NLMON_PID=
	"start_$d" nokernel || { emit "{\"kind\":\"idle\",\"daemon\":\"$d\",\"rep\":$rep,\"ok\":false}"; return 1; }
	local dpid=$DPID
	spawn_ev "$NS_S" "$RUN/sink.ev" "$RUN/sink.err" "$BLAST" sink --local-as $SINK_AS \
		--router-id $SINK --connect $DUT_S
	spawn_ev "$NS_F" "$RUN/feed.ev" "$RUN/feed.err" "$BLAST" feed --local-as $FEED_AS \
		--router-id $FEED --connect $DUT_F --prefixes 0 --stats "$STATS" --next-hop $FEED
	if wait_ev "$RUN/sink.ev" established 60 1 "$dpid" && wait_ev "$RUN/feed.ev" established 60 1 "$dpid"; then
		sleep 3
		local rss hwm
		rss=$(dut_mem VmRSS)
		hwm=$(dut_mem VmHWM)
		say "$d idle: $rss KiB"
		emit "{\"kind\":\"idle\",\"daemon\":\"$d\",\"rep\":$rep,\"ok\":true,\"rss_kib\":$rss,\"hwm_kib\":$hwm,\"procs\":$(dut_pids | wc -l)}"
	else
		emit "{\"kind\":\"idle\",\"daemon\":\"$d\",\"rep\":$rep,\"ok\":false}"
	fi
	topo_down
}

# run_writer SIZE REP: the minimal batched netlink writer, in its own namespace.
run_writer() {
	local n=$1 rep=$2 out rate
	out=$("$HERE/nl_writer.sh" -B "$BUILD" "$n" 2>&1)
	rate=$(echo "$out" | sed -n 's/^install [0-9]* routes: \([0-9]*\) routes\/s.*/\1/p')
	say "nl_writer $n: ${rate:-?} routes/s"
	emit "{\"kind\":\"writer\",\"size\":$n,\"rep\":$rep,\"ok\":$([ -n "$rate" ] && echo true || echo false),\"rate\":${rate:-0}}"
}

# --- the matrix ---------------------------------------------------------------
{
	echo "{\"kind\":\"meta\",\"date\":\"$(date -u +%Y-%m-%dT%H:%MZ)\",\"kernel\":\"$(uname -r)\",\"cpus\":$(nproc),\"cpu\":$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' | jq -R .),\"mem_kib\":$(awk '/MemTotal/ {print $2}' /proc/meminfo),\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"sizes\":\"$SIZES\",\"repeats\":$REPEATS,\"seed\":$SEED}"
	for d in $DAEMONS; do
		echo "{\"kind\":\"version\",\"daemon\":\"$d\",\"version\":$(version_of "$d" | jq -R .)}"
	done
} >>"$OUT"

say "results in $OUT"
for rep in $(seq "$REPEATS"); do
	if [ "$IDLE" = 1 ]; then
		for d in $DAEMONS; do run_idle "$d" "$rep"; done
	fi
	for n in $SIZES; do
		case " $MODES " in *" kernel "*) run_writer "$n" "$rep" ;; esac
		for table in $TABLES; do
			run_floor "$n" "$table" "$rep"
			for mode in $MODES; do
				for d in $DAEMONS; do
					run_dut "$d" "$mode" "$n" "$table" "$rep"
				done
			done
		done
	done
	echo "{\"kind\":\"load\",\"rep\":$rep,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$OUT"
done
say "done: $OUT"
