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

echo "lint: statement slot ranges"
# Each store file prepares its statements in a range of 128 slots of its
# own (src/daemon/store-int.h): two files on one range run each other's SQL.
dup=$(grep -h '^#define STORE_SLOT_BASE' src/daemon/*.c | awk '{print $3}' |
    sort | uniq -d)
if [ -n "$dup" ]; then
	echo "lint: STORE_SLOT_BASE $dup is used by more than one file:" >&2
	grep -l "^#define STORE_SLOT_BASE[[:space:]]*$dup\$" src/daemon/*.c >&2
	fail=1
fi

echo "lint: cppcheck"
# jansson.h is included for its foreach macros; other system headers are
# left out (cppcheck knows libc through its std.cfg).
# shellcheck disable=SC2086
cppcheck -q -j"$jobs" --std=c11 --enable=warning,portability,performance \
    --inline-suppr --error-exitcode=1 --suppressions-list=mk/cppcheck.supp \
    -D_GNU_SOURCE -D__GNUC__ --include=/usr/include/jansson.h $incs \
    --template='{file}:{line}: {severity}: {message} [{id}]' \
    $files || fail=1

# A file passed before is checked again only when it, a header or the
# configuration changed since (stamps in build/lint/); a clean clone checks
# everything.
stamps=build/lint
mkdir -p "$stamps"
newest=$(ls -t .clang-tidy mk/lint.sh $(find src include tests -name '*.h') |
    head -1)
todo=""
for f in $files; do
	st=$stamps/$(echo "$f" | tr / _).ok
	if [ -f "$st" ] && [ ! "$f" -nt "$st" ] && [ ! "$newest" -nt "$st" ]; then
		continue
	fi
	todo="$todo $f"
done
n=$(echo $todo | wc -w)
echo "lint: clang-tidy ($n of $(echo "$files" | wc -l) files changed, $jobs at a time)"
LINT_FLAGS="-std=gnu11 -D_GNU_SOURCE $(pkg-config --cflags \
    libevent jansson sqlite3 libsodium libcurl inih ncursesw cmocka)"
export LINT_FLAGS stamps
# Each file with the include path the Makefile gives it (the layering).
# shellcheck disable=SC2016,SC2086
[ "$n" -eq 0 ] || echo $todo | tr ' ' '\n' | xargs -P"$jobs" -n1 sh -c '
	inc="-Iinclude -Isrc/common"
	case $1 in
	src/common/*) ;;
	src/daemon/*|tests/unit/*|tests/tools/*) inc="$inc -Isrc/daemon" ;;
	src/tui/*) inc="$inc -Isrc/tui" ;;
	src/sim/*) inc="$inc -Isrc/sim" ;;
	*) inc="$inc -Isrc/daemon -Isrc/tui" ;;
	esac
	clang-tidy --quiet "$1" -- $LINT_FLAGS $inc 2>/dev/null &&
	    touch "$stamps/$(echo "$1" | tr / _).ok"' sh || fail=1

if [ "$fail" -ne 0 ]; then
	echo "lint: FAILED" >&2
	exit 1
fi
echo "lint: clean"
