#!/bin/sh
# make bench: runs every tests/bench/*.sh against a build directory and
# prints their figures. Nothing here asserts on time.
top=$(cd "$(dirname "$0")/../.." && pwd)
export SI_BUILD="$top/${1:-build}"
for b in "$top"/tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || echo "bench $(basename "$b") failed"
done
