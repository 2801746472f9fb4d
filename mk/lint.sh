#!/bin/sh
# make lint: the banned-function check, cppcheck and clang-tidy over every C
# file in src/ and tests/, with the checked-in configuration (mk/banned.sh,
# mk/cppcheck.supp, .clang-tidy). Fails on any finding. clang-tidy runs two
# files at a time (LINT_JOBS). Suppress only false positives, inline, with
# the reason beside them: /* NOLINTNEXTLINE(check): why */ or
# /* cppcheck-suppress id */ with a comment saying why.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=${LINT_JOBS:-2}
fail=0

for tool in cppcheck clang-tidy python3 pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "lint: $tool is missing (make deps installs it)" >&2
		exit 1
	}
done

files=$(find src tests -name '*.c' | sort)
incs="-Iinclude -Isrc/common -Isrc/daemon -Isrc/tui -Isrc/sim -Itests/fuzz -Itests/unit"

echo "lint: banned functions"
# shellcheck disable=SC2086
sh mk/banned.sh $files $(find src tests include -name '*.h' | sort) || fail=1

echo "lint: cppcheck"
# jansson.h is included for its foreach macros; other system headers are
# left out (cppcheck knows libc through its std.cfg).
# shellcheck disable=SC2086
cppcheck -q -j"$jobs" --std=c11 --enable=warning,portability,performance \
    --inline-suppr --error-exitcode=1 --suppressions-list=mk/cppcheck.supp \
    -D_GNU_SOURCE -D__GNUC__ --include=/usr/include/jansson.h $incs \
    --template='{file}:{line}: {severity}: {message} [{id}]' \
    $files || fail=1

echo "lint: clang-tidy ($(echo "$files" | wc -l) files, $jobs at a time)"
LINT_FLAGS="-std=gnu11 -D_GNU_SOURCE $incs $(pkg-config --cflags \
    libevent jansson sqlite3 libsodium libcurl inih ncursesw cmocka)"
export LINT_FLAGS
# shellcheck disable=SC2016
echo "$files" | xargs -P"$jobs" -n4 sh -c \
    'clang-tidy --quiet "$@" -- $LINT_FLAGS 2>/dev/null' sh || fail=1

if [ "$fail" -ne 0 ]; then
	echo "lint: FAILED" >&2
	exit 1
fi
echo "lint: clean"
