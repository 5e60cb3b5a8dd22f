#!/bin/sh
# refuse.sh AZLAB FILE TEXT: `azlab validate FILE` must exit 1 (refused,
# not a usage or parse error) and its message must hold TEXT.
azlab=$1 file=$2 text=$3
out=$("$azlab" validate "$file" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 1 ] || { echo "refuse.sh: exit $rc, wanted 1"; exit 1; }
printf '%s\n' "$out" | grep -F -q -- "$text" || { echo "refuse.sh: no \"$text\" in the output"; exit 1; }
