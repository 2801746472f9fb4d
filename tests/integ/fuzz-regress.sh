#!/bin/sh
# Issue 10: every input a fuzzer ever crashed on (tests/fuzz/regress/TARGET/)
# and every seed (tests/fuzz/corpus/TARGET/) goes through the same entry
# point as in fuzzing (LLVMFuzzerTestOneInput), built without libFuzzer
# into $SI_BUILD/fuzz/replay_TARGET; under build/san a sanitizer report
# fails it too. One ok line per file.
. "$(dirname "$0")/../lib.sh"

si_tmp
n=0
for dir in "$SI_TOP"/tests/fuzz/regress/* "$SI_TOP"/tests/fuzz/corpus/*; do
	[ -d "$dir" ] || continue
	t=$(basename "$dir")
	bin=$SI_BUILD/fuzz/replay_$t
	kind=$(basename "$(dirname "$dir")")
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		name="$t: $kind/$(basename "$f")"
		if [ ! -x "$bin" ]; then
			not_ok "$name (no $bin)"
			continue
		fi
		if "$bin" "$f" >"$T/out" 2>&1 && ! grep -q -e 'runtime error' \
		    -e 'Sanitizer' "$T/out"; then
			ok "$name"
		else
			not_ok "$name"
			sed 's/^/#   /' "$T/out" | head -20
		fi
	done
done
check "found inputs to replay" [ "$n" -gt 0 ]
si_done
