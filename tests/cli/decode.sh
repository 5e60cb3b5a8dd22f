#!/usr/bin/env bash
# decode.sh NVACTL: tests of `nvactl decode`.
#
#   nvactl decode [--json] [--update-body] [--as2] [--ibgp] [--ext-msg] [HEX...]
#
# Hex comes from the arguments (joined) or from standard input; every message
# in it is decoded. Exit 0: nothing calls for a session reset; 1: a message
# calls for one (the NOTIFICATION is printed); 2: usage error or bad hex.
#
# Stops at the first failed assertion, printing what nvactl said.
set -uo pipefail

NVACTL=${1:?usage: decode.sh PATH-TO-NVACTL}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXAMPLES=$HERE/../../examples/messages
command -v jq >/dev/null || { echo "decode.sh: jq is needed (./run deps)" >&2; exit 1; }
[[ -x $NVACTL ]] || { echo "decode.sh: $NVACTL is not an executable" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
case_name=
cmd_desc=
rc=0

# --- hex builders ----------------------------------------------------------

# msg TYPE BODYHEX: a whole message with marker and length.
msg() {
	local body=$2
	printf 'ffffffffffffffffffffffffffffffff%04x%02x%s' $((19 + ${#body} / 2)) "$1" "$body"
}
# body WITHDRAWN ATTRS NLRI: an UPDATE body with its two length fields.
body() {
	printf '%04x%s%04x%s%s' $((${#1} / 2)) "$1" $((${#2} / 2)) "$2" "$3"
}
# update WITHDRAWN ATTRS NLRI: a whole UPDATE.
update() { msg 2 "$(body "$@")"; }
# example NAME: the hex of examples/messages/NAME.hex on one line.
example() { tr -d ' \n' <"$EXAMPLES/$1.hex"; }

ORIGIN_INC=40010102
ORIGIN_IGP=40010100
ASPATH4_65001=40020602010000fde9 # AS_SEQUENCE 65001, 4-octet
NH_10004=4003040a000004
MED0=80040400000000
NLRI_10_10=100a0a
KEEPALIVE=$(msg 4 "")

# --- running and asserting -------------------------------------------------

begin() {
	case_name=$1
}

# decode ARGS...: runs nvactl decode ARGS with no standard input.
decode() {
	cmd_desc="nvactl decode $*"
	rc=0
	"$NVACTL" decode "$@" </dev/null >"$TMP/out" 2>"$TMP/err" || rc=$?
	check_sanitizers
}

# decode_stdin INPUT ARGS...: runs nvactl decode ARGS with INPUT on stdin.
decode_stdin() {
	local input=$1
	shift
	cmd_desc="printf %s '$input' | nvactl decode $*"
	rc=0
	printf '%s' "$input" | "$NVACTL" decode "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	check_sanitizers
}

# Under ASan/UBSan a report may exit 1, like a session reset: look for one.
check_sanitizers() {
	if grep -Eq 'runtime error:|ERROR: [A-Za-z]+Sanitizer|SUMMARY: [A-Za-z]+Sanitizer' "$TMP/err"; then
		fail "sanitizer report on stderr"
	fi
}

fail() {
	{
		echo "FAIL: $case_name: $*"
		echo "  command: $cmd_desc"
		echo "  exit:    $rc"
		echo "  stdout:"
		sed 's/^/    /' "$TMP/out"
		echo "  stderr:"
		sed 's/^/    /' "$TMP/err"
		echo "$passed passed, 1 failed"
	} >&2
	exit 1
}

ok() {
	passed=$((passed + 1))
	echo "ok $passed - $case_name"
}

expect_rc() {
	[[ $rc -eq $1 ]] || fail "expected exit $1, got $rc"
}

# expect_json FILTER...: each jq FILTER must be true on the JSON output.
expect_json() {
	jq -se 'length == 1 and (.[0] | type) == "array"' "$TMP/out" >/dev/null 2>&1 \
		|| fail "output is not one JSON array"
	local f
	for f in "$@"; do
		jq -e "$f" "$TMP/out" >/dev/null 2>&1 || fail "JSON assertion false: $f"
	done
}

# expect_out REGEX...: each extended REGEX must match stdout (case-insensitive).
expect_out() {
	local re
	for re in "$@"; do
		grep -Eqi -- "$re" "$TMP/out" || fail "stdout does not match /$re/"
	done
}

expect_err() {
	local re
	for re in "$@"; do
		grep -Eqi -- "$re" "$TMP/err" || fail "stderr does not match /$re/"
	done
}

# --- samples of examples/messages ------------------------------------------

UPDATE_NVA=$(example 02-update-nva)
[[ $UPDATE_NVA == "$(update "" "$ORIGIN_INC$ASPATH4_65001$NH_10004$MED0" "$NLRI_10_10")" ]] \
	|| { echo "FAIL: examples/messages/02-update-nva.hex is not the expected UPDATE" >&2; exit 1; }

begin "sample UPDATE, JSON"
decode --json "$UPDATE_NVA"
expect_rc 0
expect_json 'length == 1' \
	'.[0].type == "UPDATE"' \
	'.[0].action == "none"' \
	'.[0].nlri == ["10.10.0.0/16"]' \
	'(.[0].withdrawn // []) == []' \
	'(.[0].attributes.origin | ascii_downcase) == "incomplete"' \
	'.[0].attributes.asPath == "65001"' \
	'.[0].attributes.nextHop == "10.0.0.4"' \
	'.[0].attributes.med == 0' \
	'(.[0].faults // []) == []'
ok

begin "sample UPDATE, text"
decode "$UPDATE_NVA"
expect_rc 0
expect_out 'UPDATE' '10\.10\.0\.0/16' 'incomplete' '65001' '10\.0\.0\.4'
ok

begin "sample UPDATE from stdin, as the file is (spaces, newlines)"
decode_stdin "$(cat "$EXAMPLES/02-update-nva.hex")" --json
expect_rc 0
expect_json 'length == 1' '.[0].type == "UPDATE"' '.[0].nlri == ["10.10.0.0/16"]'
ok

begin "hex split over several arguments is joined"
decode --json "${UPDATE_NVA:0:32}" "${UPDATE_NVA:32:6}" "${UPDATE_NVA:38}"
expect_rc 0
expect_json 'length == 1' '.[0].nlri == ["10.10.0.0/16"]'
ok

begin "sample OPEN of FRR 8.4"
decode --json "$(example 01-open-frr-8.4)"
expect_rc 0
expect_json 'length == 1' \
	'.[0].type == "OPEN"' \
	'.[0].action == "none"' \
	'.[0].version == 4' \
	'.[0].asn == 65001' \
	'.[0].holdTime == 180' \
	'.[0].bgpId == "10.0.0.4"' \
	'[.[0].capabilities[].code] | sort == [1, 2, 6, 64, 65, 70, 73]' \
	'all(.[0].capabilities[]; (.name | type) == "string" and (.name | length) > 0)'
ok

begin "sample OPEN, text names the hostname"
decode "$(example 01-open-frr-8.4)"
expect_rc 0
expect_out 'OPEN' '65001' '180' '10\.0\.0\.4' 'vm-hub00'
ok

# --- options ----------------------------------------------------------------

begin "--update-body decodes a bare UPDATE body"
decode --json --update-body "${UPDATE_NVA:38}"
expect_rc 0
expect_json 'length == 1' '.[0].type == "UPDATE"' '.[0].action == "none"' \
	'.[0].nlri == ["10.10.0.0/16"]' '.[0].attributes.nextHop == "10.0.0.4"'
ok

ASPATH2=4002060202fde9fdea # AS_SEQUENCE 65001 65002, 2-octet
UPDATE_AS2=$(update "" "$ORIGIN_IGP$ASPATH2$NH_10004" "$NLRI_10_10")

begin "--as2 reads a 2-octet AS_PATH"
decode --json --as2 "$UPDATE_AS2"
expect_rc 0
expect_json '.[0].action == "none"' '.[0].attributes.asPath == "65001 65002"' \
	'.[0].nlri == ["10.10.0.0/16"]'
ok

begin "the same AS_PATH read as 4-octet overruns: treat-as-withdraw"
decode --json "$UPDATE_AS2"
expect_rc 0
expect_json '.[0].action == "treat-as-withdraw"'
ok

LOCAL_PREF_200=400504000000c8
UPDATE_LP=$(update "" "$ORIGIN_IGP$ASPATH4_65001$NH_10004$LOCAL_PREF_200" "$NLRI_10_10")

begin "--ibgp keeps LOCAL_PREF"
decode --json --ibgp "$UPDATE_LP"
expect_rc 0
expect_json '.[0].action == "none"' '.[0].attributes.localPref == 200'
ok

begin "LOCAL_PREF from an external peer: attribute discard"
decode --json "$UPDATE_LP"
expect_rc 0
expect_json '.[0].action == "attribute-discard"' \
	'.[0].attributes.localPref == null' \
	'.[0].nlri == ["10.10.0.0/16"]' \
	'any(.[0].faults[]; .action == "attribute-discard" and ((.attribute | tostring | test("LOCAL.?PREF"; "i")) or .attribute == 5))'
ok

begin "--ext-msg accepts a message longer than 4096 octets"
big_nlri=
for ((i = 0; i < 1100; i++)); do
	big_nlri+=$(printf '180a%02x%02x' $((i / 256)) $((i % 256)))
done
UPDATE_BIG=$(update "" "$ORIGIN_IGP$ASPATH4_65001$NH_10004" "$big_nlri")
decode --json --ext-msg "$UPDATE_BIG"
expect_rc 0
expect_json '.[0].action == "none"' '.[0].nlri | length == 1100' '.[0].nlri[1099] == "10.4.75.0/24"'
ok

begin "without --ext-msg the same message is a bad length: reset 1/2"
decode --json "$UPDATE_BIG"
expect_rc 1
expect_json '.[0].action == "session-reset"' '.[0].notification.code == 1' \
	'.[0].notification.subcode == 2'
ok

# --- RFC 7606 outcomes --------------------------------------------------------

begin "zero-length AS_PATH segment: treat-as-withdraw naming AS_PATH (sample 03)"
decode --json "$(example 03-update-aspath-zero-segment)"
expect_rc 0
expect_json '.[0].type == "UPDATE"' \
	'.[0].action == "treat-as-withdraw"' \
	'any(.[0].faults[]; .action == "treat-as-withdraw" and ((.attribute | tostring | test("AS.?PATH"; "i")) or .attribute == 2))'
ok

begin "treat-as-withdraw, text"
decode "$(example 03-update-aspath-zero-segment)"
expect_rc 0
expect_out 'treat-as-withdraw' 'AS.?PATH' '10\.10\.0\.0/16'
ok

UPDATE_LEN33=$(update "" "$ORIGIN_IGP$ASPATH4_65001$NH_10004" "210a0a000000")

begin "NLRI prefix length 33: session reset 3/10, exit 1"
decode --json "$UPDATE_LEN33"
expect_rc 1
expect_json '.[0].action == "session-reset"' \
	'.[0].notification.code == 3' \
	'.[0].notification.subcode == 10'
ok

begin "session reset, text names the NOTIFICATION"
decode "$UPDATE_LEN33"
expect_rc 1
expect_out 'session-reset' 'NOTIFICATION' '(^|[^0-9])3 ?/ ?10([^0-9]|$)|code 3\b.*subcode 10\b'
ok

begin "bad marker: session reset 1/1"
decode --json "00${KEEPALIVE:2}"
expect_rc 1
expect_json '.[0].action == "session-reset"' '.[0].notification.code == 1' \
	'.[0].notification.subcode == 1'
ok

COMMUNITY=c00804fde90064 # 65001:100
# IPv6 unicast, next hop 2001:db8::4, 2001:db8:10::/48
MP_REACH_V6=800e1c0002011020010db8000000000000000000000004003020010db80010
MP_UNREACH_V6=800f0a0002013020010db80010
begin "COMMUNITIES, MP_REACH_NLRI and MP_UNREACH_NLRI for IPv6"
decode --json "$(update "" "$ORIGIN_IGP$ASPATH4_65001$COMMUNITY$MP_REACH_V6$MP_UNREACH_V6" "")"
expect_rc 0
expect_json '.[0].action == "none"' \
	'.[0].attributes.communities | tostring | test("65001:100")' \
	'.[0].mpReach.nextHops == ["2001:db8::4"]' \
	'.[0].mpReach.prefixes == ["2001:db8:10::/48"]' \
	'.[0].mpUnreach.prefixes == ["2001:db8:10::/48"]' \
	'.[0].mpReach.afi == 2 or (.[0].mpReach.afi | tostring | test("ipv6"; "i"))'
ok

begin "withdrawn routes and End-of-RIB"
decode --json "$(update "100a0a" "" "")$(update "" "" "")"
expect_rc 0
expect_json 'length == 2' \
	'.[0].withdrawn == ["10.10.0.0/16"]' \
	'(.[0].endOfRib // false) == false' \
	'.[1].endOfRib != null and .[1].endOfRib != false'
ok

# --- message types and streams -------------------------------------------------

begin "two messages in one hex string"
decode --json "$KEEPALIVE$UPDATE_NVA"
expect_rc 0
expect_json 'length == 2' '[.[].type] == ["KEEPALIVE", "UPDATE"]' '.[1].nlri == ["10.10.0.0/16"]'
ok

begin "NOTIFICATION and ROUTE-REFRESH"
decode --json "$(msg 3 0604)$(msg 5 00010001)"
expect_rc 0
expect_json 'length == 2' '[.[].type] == ["NOTIFICATION", "ROUTE-REFRESH"]' \
	'all(.[]; .action == "none")'
ok

begin "a reset anywhere in the stream gives exit 1"
decode --json "$(example 03-update-aspath-zero-segment)$UPDATE_LEN33$KEEPALIVE"
expect_rc 1
expect_json '.[0].action == "treat-as-withdraw"' '.[1].action == "session-reset"'
ok

# --- usage errors ------------------------------------------------------------

begin "bad hex: exit 2, names the offset"
decode "ffff gg"
expect_rc 2
expect_err '(^|[^0-9])5([^0-9]|$)'
ok

begin "odd number of hex digits: exit 2"
decode "${KEEPALIVE}f"
expect_rc 2
[[ -s $TMP/err ]] || fail "nothing on stderr"
ok

begin "no arguments and empty stdin: exit 2"
decode_stdin ""
expect_rc 2
ok

begin "no arguments, stdin closed: exit 2"
decode
expect_rc 2
ok

begin "unknown option: exit 2"
decode --no-such-option "$KEEPALIVE"
expect_rc 2
ok

echo "$passed passed, 0 failed"
