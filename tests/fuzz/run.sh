#!/bin/sh
# Runs every fuzz target built by build.sh for FUZZ_SECONDS (default 60)
# each, one at a time, at nice 19, starting from the checked-in seeds in
# tests/fuzz/corpus/TARGET (copied: libFuzzer adds to its first corpus
# directory). A crashing input lands in tests/fuzz/regress/TARGET/, where
# make check replays it. Prints one line per target: executions, cov, ft.
# Usage: run.sh [TARGET...]
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-60}
out=build/fuzz
targets=$*
[ -n "$targets" ] || targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
mkdir -p "$out/logs"
fail=0
# CPU seconds of finished children so far (user + sys), from "times".
# ("times" must run in this shell, not in a $(...) subshell.)
cpu() {
	tail -1 "$out/logs/.times" | awk '{ n = 0; for (i = 1; i <= 2; i++) {
	    split($i, a, "m"); n += a[1] * 60 + a[2] } printf "%d\n", n }'
}
printf '%-8s %10s %8s %8s %6s %6s %s\n' target execs cov ft secs cpu result
for t in $targets; do
	bin=$out/fuzz_$t
	[ -x "$bin" ] || { echo "$t: $bin not built (run tests/fuzz/build.sh)"; fail=1; continue; }
	work=$out/corpus/$t
	mkdir -p "$work" "tests/fuzz/regress/$t"
	cp tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
	log=$out/logs/$t.log
	start=$(date +%s)
	times >"$out/logs/.times"
	cpu0=$(cpu)
	nice -n 19 "$bin" -max_total_time="$secs" -timeout=20 \
	    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
	    -artifact_prefix="tests/fuzz/regress/$t/" "$work" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	times >"$out/logs/.times"
	cpu1=$(cpu)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then res=clean; else
		res="FOUND (see $log, input in tests/fuzz/regress/$t/)"
		fail=1
	fi
	printf '%-8s %10s %8s %8s %6s %6s %s\n' "$t" "${execs:-?}" \
	    "${cov:-?}" "${ft:-?}" "$((end - start))" "$((cpu1 - cpu0))" "$res"
done
exit $fail
