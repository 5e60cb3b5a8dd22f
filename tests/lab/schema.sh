#!/bin/sh
# schema.sh AZLAB SCHEMA: the committed JSON Schema is what `azlab schema`
# prints from the reader's own tables (regenerate with
# `azlab schema > docs/azlab-topology.schema.json`).
"$1" schema | diff -u "$2" - || { echo "schema.sh: $2 is stale"; exit 1; }
