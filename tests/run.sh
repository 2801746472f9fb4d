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
			# every failure's line first, then what follows the
			# first (a tui test's screen dump comes after its "not
			# ok": the screen of the failure that set off the rest),
			# then the tail; CI keeps only a part of what is printed
			grep -n '^not ok' "$out" | sed 's/^/    /' | head -30
			echo "    ... after the first:"
			first=$(grep -n -m 1 '^not ok' "$out" | cut -d: -f1)
			[ -n "$first" ] && sed -n "$((first + 1)),$((first + 45))p" \
			    "$out" | sed 's/^/    /'
			echo "    ... last lines:"
			sed 's/^/    /' "$out" | tail -12
		else
			echo "PASS $name ($p)"
		fi
	done
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && rm -rf "$log"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
