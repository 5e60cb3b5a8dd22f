#!/bin/bash
# crash.sh: `azlab up` killed halfway, then `azlab down` removes everything.
#
#   crash.sh AZLAB NVAD FILE [early|late]
#
# Starts `azlab up` under a name of its own and kills it (SIGKILL): early,
# as soon as the first namespaces exist, so the supervisor is mid-build;
# late, once the lab's first program (an NVA's nvad) runs, so the build is
# done and the programs are starting. Then it kills the supervisor too (a
# crash), and checks that `azlab down` leaves no namespace, run directory,
# process (recorded or naming the lab), host interface, host nftables
# table or host iptables rule, and that a second down says nothing is
# left. Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3 STAGE=${4:-early}
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip

NAME=azlc$$
host_snapshot
trap '"$AZLAB" --name "$NAME" down >/dev/null 2>&1' EXIT

"$AZLAB" --name "$NAME" --nvad "$NVAD" up "$FILE" >/dev/null 2>&1 &
UP=$!
# started: the lab's pids file names a program that runs.
started() {
	local p
	for p in $(awk '{print $1}' "/run/azlab/$NAME/pids" 2>/dev/null); do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}
if [ "$STAGE" = late ]; then
	for _ in $(seq 600); do started && break; sleep 0.05; done
else
	for _ in $(seq 100); do
		[ "$(ip netns list | grep -c "^azl-$NAME-")" -ge 3 ] && break
		sleep 0.05
	done
fi
kill -KILL $UP 2>/dev/null
wait $UP 2>/dev/null
n=$(ip netns list | grep -c "^azl-$NAME-")
[ "$n" -ge 1 ] && ok "killed azlab up ($STAGE) with $n namespaces made" || notok "azlab up was killed before making namespaces"
if [ "$STAGE" = late ]; then
	started && ok "killed with the lab's programs started ($(wc -l <"/run/azlab/$NAME/pids") recorded)" ||
		notok "the lab's programs had started when azlab up was killed"
fi
SUP=$(cat "/run/azlab/$NAME/supervisor.pid" 2>/dev/null)
sleep 0.3
[ -n "$SUP" ] && kill -KILL "$SUP" 2>/dev/null
PIDS=$(lab_pids "$NAME")

"$AZLAB" --name "$NAME" down >/tmp/azlab-crash-$$.out 2>&1 && ok "azlab down after the crash" || notok "azlab down after the crash"
sed 's/^/# /' /tmp/azlab-crash-$$.out
rm -f /tmp/azlab-crash-$$.out
lab_gone "$NAME" "$PIDS"
host_unchanged
out=$("$AZLAB" --name "$NAME" down 2>&1)
case $out in *"0 namespaces deleted, 0 processes"*) ok "a second down finds nothing" ;;
*) notok "a second down finds nothing ($out)" ;; esac
finish
