#!/bin/bash
# failed-up.sh: a failed `azlab up` says why and leaves nothing behind.
#
#   failed-up.sh AZLAB NVAD FILE RS BIRDFILE
#
# Four labs of names of their own, each `up` made to fail:
#  - bad file: FILE with a YAML syntax error on a known line; the message
#    must give FILE:LINE:COLUMN;
#  - bad router config: BIRDFILE (an NVA running BIRD) with its config
#    broken on a known line; the message must give that file and line;
#  - missing program: FILE with --nvad pointing at a path that does not
#    exist; the message must give that path;
#  - port in use: FILE as it is, but as soon as the namespace of the Route
#    Server RS's first instance exists the supervisor is stopped (SIGSTOP), a
#    process binds TCP 0.0.0.0:179 in that namespace (IPv6 stays free), and
#    the supervisor goes on; its Route Server cannot listen on IPv4, and the
#    message must give the port and the namespace.
# Each: exit status not 0, and no namespace, run directory, process, host
# interface or nftables table of the lab left. Root only (77 otherwise).
set -u
AZLAB=$1 NVAD=$2 FILE=$3 RS=$4 BIRDFILE=$5
. "$(dirname "$0")/tap.sh"
needs_root_and nft iptables ip python3 pgrep
TMP=$(mktemp -d /tmp/azlab-failed-up.XXXXXX)
trap 'for n in ${NAMES:-}; do "$AZLAB" --name "$n" down >/dev/null 2>&1; done; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

# up_fails WHAT EXPECTED ARGS...: `azlab --name $NAME ARGS` exits non-zero
# and its output holds EXPECTED
up_fails() {
	local what=$1 want=$2 rc
	shift 2
	"$AZLAB" --name "$NAME" "$@" >"$TMP/out" 2>&1
	rc=$?
	[ "$rc" != 0 ] && ok "$what: up exits $rc" || notok "$what: up exits 0"
	if grep -qF -- "$want" "$TMP/out"; then
		ok "$what: says \"$want\""
	else
		notok "$what: no \"$want\" in its output:"
		sed 's/^/# /' "$TMP/out"
	fi
}

# 1. bad file: a second ':' on line 3 (column 9) of a copy of FILE
NAME=azlfa$$ NAMES=$NAME
host_snapshot
BAD=$TMP/bad.yaml
{ sed -n 1,2p "$FILE"; echo "badKey: : x"; sed -n '3,$p' "$FILE"; } >"$BAD"
up_fails "bad file" "$BAD:3:9: YAML syntax" --nvad "$NVAD" up "$BAD"
nothing_left

# 1b. bad router config: BIRDFILE's BIRD config with an unknown keyword on
# line 1, BIRDFILE copied beside it
NAME=azlfd$$ NAMES="$NAMES $NAME"
cfg=$(sed -n 's/^ *config: *//p' "$BIRDFILE" | head -1)
{ echo "no-such-keyword;"; cat "$(dirname "$BIRDFILE")/$cfg"; } >"$TMP/$cfg"
cp "$BIRDFILE" "$TMP/bird.yaml"
if [ -x /usr/sbin/bird ]; then
	up_fails "bad router config" "$TMP/$cfg:1:" --nvad "$NVAD" up "$TMP/bird.yaml"
	nothing_left
else
	echo "# bad router config: skipped, BIRD is not installed (./run deps)"
fi

# 2. missing program: nvad at a path that does not exist
NAME=azlfb$$ NAMES="$NAMES $NAME"
MISSING=$TMP/no-such-dir/nvad
up_fails "missing program" "$MISSING" --nvad "$MISSING" up "$FILE"
nothing_left

# 3. port in use: TCP 179 taken in the Route Server instance's namespace
NAME=azlfc$$ NAMES="$NAMES $NAME"
RSNS=azl-$NAME-rs-$RS-0
"$AZLAB" --name "$NAME" --nvad "$NVAD" up "$FILE" --timeout 40 >"$TMP/out" 2>&1 &
UP=$!
SUP= HOLDER=
for _ in $(seq 4000); do
	if [ -e "/run/netns/$RSNS" ] && SUP=$(cat "/run/azlab/$NAME/supervisor.pid" 2>/dev/null) &&
		[ -n "$SUP" ]; then
		kill -STOP "$SUP"
		break
	fi
	kill -0 $UP 2>/dev/null || break
	sleep 0.005
done
if [ -n "$SUP" ]; then
	# IPv4 only: the Route Server could still listen on IPv6, and must
	# not take that for success (the NVAs come over IPv4)
	for _ in $(seq 50); do
		ip netns exec "$RSNS" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("0.0.0.0", 179)); s.listen(1)
print("bound", flush=True)
time.sleep(120)' >"$TMP/holder" 2>&1 &
		HOLDER=$!
		for _ in $(seq 100); do
			grep -q bound "$TMP/holder" && break
			kill -0 $HOLDER 2>/dev/null || break
			sleep 0.02
		done
		grep -q bound "$TMP/holder" && break
		sleep 0.05 # the namespace is being mounted
	done
	grep -q bound "$TMP/holder" && ok "0.0.0.0:179 taken in $RSNS before the Route Server listens" ||
		notok "could not take port 179 in $RSNS: $(cat "$TMP/holder")"
	kill -CONT "$SUP"
else
	notok "the namespace $RSNS never appeared"
fi
wait $UP
rc=$?
[ "$rc" != 0 ] && ok "port in use: up exits $rc" || notok "port in use: up exits 0"
for want in "cannot listen on port 179 in $RSNS" "Address already in use"; do
	grep -qF -- "$want" "$TMP/out" && ok "port in use: says \"$want\"" ||
		notok "port in use: no \"$want\" in its output"
done
grep -q "^azlab up: removing what was made" "$TMP/out" && ok "port in use: up says it removes what it made" ||
	notok "port in use: up does not say it removes what it made"
[ "$FAILED" = 0 ] || sed 's/^/# /' "$TMP/out"
nothing_left $SUP $HOLDER
finish
