#!/bin/bash
# lb-ha-ports.sh: R-E4, an internal Standard load balancer's HA ports and
# health probes, live.
#
#   lb-ha-ports.sh AZLAB NVAD FILE CLIENT FRONTEND WEB1 WEB2
#
# FILE has a load balancer with frontend FRONTEND, backends WEB1 and WEB2, an
# HA-ports rule and a TCP probe on port 8081 with numberOfProbes 1. Brings it
# up under a name of its own; each backend runs a service on port 8080 that
# answers its own name and a health listener on 8081 that notes who probes
# it. Then: the probes come from 168.63.129.16; 16 TCP flows from CLIENT to
# FRONTEND:8080 (16 source ports) all get an answer, from both backends; WEB2's
# health listener stops, the supervisor marks WEB2 down, and 16 new flows are
# all answered by WEB1 (WEB2's service still runs: only the probe failed); the
# listener comes back, WEB2 is up again and new flows spread again. Then
# down. Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3 CLIENT=$4 FE=$5 WEB1=$6 WEB2=$7
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip python3

OUT=$(mktemp -d /tmp/azlab-lb.XXXXXX)
lab_up azlb "$FILE"
trap 'az down >/dev/null 2>&1; kill $(jobs -p) 2>/dev/null; rm -rf "$OUT"' EXIT
LOG=/run/azlab/$NAME/supervisor.log

# serve NAME PORT MODE: MODE name answers NAME; MODE health notes the peer.
# Run in the background, $! is the listener itself (exec all the way down).
serve() {
	exec "$AZLAB" --name "$NAME" exec "$1" -- python3 -c '
import socket, sys
name, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port)); s.listen(64)
while True:
    c, peer = s.accept()
    if mode == "name":
        c.sendall(name.encode())
    else:
        print(peer[0], flush=True)
    c.close()' "$1" "$2" "$3"
}
serve "$WEB1" 8080 name &
serve "$WEB2" 8080 name &
serve "$WEB1" 8081 health >"$OUT/probes1" &
serve "$WEB2" 8081 health >"$OUT/probes2" &
HEALTH2=$!

# flows FIRST: 16 TCP flows from source ports FIRST.., the backends' answers
flows() {
	az exec "$CLIENT" -- python3 -c '
import socket, sys
fe, first = sys.argv[1], int(sys.argv[2])
for sport in range(first, first + 16):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(3)
    try:
        s.bind(("0.0.0.0", sport)); s.connect((fe, 8080)); print(s.recv(64).decode() or "nothing")
    except OSError as e:
        print("failed:", e)
    s.close()' "$FE" "$1" | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep = " " }'
}
# state VM: what the supervisor last said of backend VM: up, down or nothing
state() { sed -n "s/.*: backend $1 is \(up\|down\)[ :].*/\1/p" "$LOG" 2>/dev/null | tail -n 1; }
# wait_state VM WANT: up to 20 s for state VM to become WANT ("not-down":
# up, or never said down)
wait_state() {
	for _ in $(seq 100); do
		case "$2:$(state "$1")" in up:up | down:down | not-down:up | not-down:) return 0 ;; esac
		sleep 0.2
	done
	return 1
}
# both backends up before the first flows (a probe may have come before
# the listeners did)
wait_state "$WEB1" not-down && wait_state "$WEB2" not-down ||
	notok "both backends up at the start ($WEB1: $(state "$WEB1"), $WEB2: $(state "$WEB2"))"

# the probes, from 168.63.129.16
for _ in $(seq 60); do [ -s "$OUT/probes1" ] && [ -s "$OUT/probes2" ] && break; sleep 0.2; done
src=$(cat "$OUT/probes1" "$OUT/probes2" | sort -u | tr '\n' ' ')
[ "$src" = "168.63.129.16 " ] && ok "both backends are probed from 168.63.129.16 (R-E4)" ||
	notok "probes from 168.63.129.16 only (seen: ${src:-none})"

got=$(flows 41000)
case $got in "$WEB1="*" $WEB2="*) ok "16 flows to $FE:8080 spread over both backends: $got (5-tuple hash)" ;;
*) notok "16 flows to $FE:8080 spread over $WEB1 and $WEB2: $got" ;; esac

kill "$HEALTH2"
wait "$HEALTH2" 2>/dev/null
wait_state "$WEB2" down && ok "$WEB2's probe fails: the supervisor takes it out (R-E4)" ||
	notok "the supervisor marks $WEB2 down ($(grep -c 'R-E4' "$LOG" 2>/dev/null) R-E4 lines in its log)"
got=$(flows 42000)
[ "$got" = "$WEB1=16" ] && ok "16 new flows all go to $WEB1: $got" ||
	notok "16 new flows all go to $WEB1: $got"

serve "$WEB2" 8081 health >>"$OUT/probes2" &
wait_state "$WEB2" up && ok "$WEB2's probe answers again: it is back" ||
	notok "the supervisor marks $WEB2 up again"
got=$(flows 43000)
case $got in "$WEB1="*" $WEB2="*) ok "new flows spread over both again: $got" ;;
*) notok "new flows spread over both again: $got" ;; esac

lab_down
finish
