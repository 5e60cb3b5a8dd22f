#!/bin/bash
# crash.sh: `azlab up` killed halfway, then `azlab down` removes everything.
#
#   crash.sh AZLAB NVAD FILE
#
# Starts `azlab up` under a name of its own, kills it (SIGKILL) as soon as
# the first namespaces exist, so the supervisor is mid-build; then kills the
# supervisor too (a crash), and checks that `azlab down` leaves no namespace,
# run directory, process, host interface or nftables table of the lab, and that a second
# down says nothing is left. Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip

NAME=azlc$$
BEFORE=$(host_state)
trap '"$AZLAB" --name "$NAME" down >/dev/null 2>&1' EXIT

"$AZLAB" --name "$NAME" --nvad "$NVAD" up "$FILE" >/dev/null 2>&1 &
UP=$!
for _ in $(seq 100); do
	[ "$(ip netns list | grep -c "^azl-$NAME-")" -ge 3 ] && break
	sleep 0.05
done
kill -KILL $UP 2>/dev/null
wait $UP 2>/dev/null
n=$(ip netns list | grep -c "^azl-$NAME-")
[ "$n" -ge 1 ] && ok "killed azlab up with $n namespaces made" || notok "azlab up was killed before making namespaces"
SUP=$(cat "/run/azlab/$NAME/supervisor.pid" 2>/dev/null)
sleep 0.3
[ -n "$SUP" ] && kill -KILL "$SUP" 2>/dev/null
PIDS="$SUP $(awk '{print $1}' "/run/azlab/$NAME/pids" 2>/dev/null)"

"$AZLAB" --name "$NAME" down >/tmp/azlab-crash-$$.out 2>&1 && ok "azlab down after the crash" || notok "azlab down after the crash"
sed 's/^/# /' /tmp/azlab-crash-$$.out
rm -f /tmp/azlab-crash-$$.out
nothing_left "$BEFORE" $PIDS
out=$("$AZLAB" --name "$NAME" down 2>&1)
case $out in *"0 namespaces deleted, 0 processes"*) ok "a second down finds nothing" ;;
*) notok "a second down finds nothing ($out)" ;; esac
finish
