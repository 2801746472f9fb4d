#!/bin/sh
# Runs every test against each build directory given (e.g. build build/san)
# and ends with one line "N passed, M failed". Unit tests are cmocka programs
# (TAP output); integration and TUI tests are shell scripts printing TAP lines.
# Set TESTS="pattern" to run only matching test files.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export SI_FIXTURES="${SI_FIXTURES:-$top/tests/fixtures/whatsapp}"
log=$(mktemp -d "${TMPDIR:-/tmp}/si-tests.XXXXXX")
pass=0; fail=0; failed=""
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:abort_on_error=0:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"
for b in "$@"; do
	export SI_BUILD="$top/$b"
	for t in "$top/$b"/tests/test_* "$top"/tests/integ/*.sh "$top"/tests/tui/*.sh; do
		[ -e "$t" ] || continue
		name="$b/$(basename "$t")"
		case "$name" in *${TESTS:-}*) ;; *) continue ;; esac
		out="$log/$(echo "$name" | tr / _).log"
		case "$t" in
		*.sh) sh "$t" >"$out" 2>&1 ;;
		*) "$t" >"$out" 2>&1 ;;
		esac
		rc=$?
		p=$(grep -c '^ok ' "$out")
		f=$(grep -c '^not ok ' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "not ok - $name exited $rc" >>"$out"
		fi
		pass=$((pass + p)); fail=$((fail + f))
		if [ "$f" -ne 0 ]; then
			failed="$failed $name"
			echo "FAIL $name ($p passed, $f failed); log:"
			# the failures first, with the lines before each (CI
			# shows only the end of what is printed), then the tail
			grep -n -B6 '^not ok' "$out" | sed 's/^/    /' | head -120
			echo "    ... last lines:"
			sed 's/^/    /' "$out" | tail -25
		else
			echo "PASS $name ($p)"
		fi
	done
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && rm -rf "$log"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
