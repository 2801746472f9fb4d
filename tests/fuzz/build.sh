#!/bin/sh
# Builds every tests/fuzz/fuzz_X.c into build/fuzz/fuzz_X with clang and
# libFuzzer (ASan + UBSan). The project's sources are compiled once into
# archives (common, daemon without main, tui without main); each target
# links what it uses from them. tests/fuzz/run.sh runs the targets.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
CC=${FUZZCC:-clang}
out=build/fuzz
mkdir -p "$out/obj"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-g -O1 -std=gnu11 -D_GNU_SOURCE $san -fno-omit-frame-pointer"
# As the Makefile has it: each part sees the shared headers and its own.
common="-Iinclude -Isrc/common"
pkgs="libevent jansson sqlite3 libsodium libcurl inih ncursesw"
cflags=$(pkg-config --cflags $pkgs)
libs="$(pkg-config --libs $pkgs) -lm"
export CC flags cflags out common

# Objects, two at a time; only what changed since the last build.
ls src/common/*.c src/daemon/*.c src/tui/*.c tests/fuzz/fuzz-lib.c |
    grep -v '/main\.c$' | xargs -P2 -n1 sh -c '
	o="$out/obj/$(echo "$1" | tr / _ | sed "s/\.c$/.o/")"
	case $1 in
	src/common/*) inc="$common" ;;
	src/daemon/*) inc="$common -Isrc/daemon" ;;
	src/tui/*) inc="$common -Isrc/tui" ;;
	*) inc="$common -Isrc/daemon -Isrc/tui" ;;
	esac
	if [ ! -f "$o" ] || [ "$1" -nt "$o" ] ||
	    [ -n "$(find src include tests/fuzz -name "*.h" -newer "$o")" ]; then
		echo "CC $1"
		# shellcheck disable=SC2086
		$CC $flags $inc -fsanitize=fuzzer-no-link $cflags -c "$1" -o "$o"
	fi' sh
# Archived: the objects of the sources there are now (an object left from
# a file since moved or removed would shadow its successor).
for part in common daemon tui; do
	rm -f "$out/lib$part.a"
	# shellcheck disable=SC2046
	ar rcs "$out/lib$part.a" $(ls src/$part/*.c | grep -v '/main\.c$' |
	    tr / _ | sed "s|^|$out/obj/|; s|\.c\$|.o|")
done

n=0
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	echo "LD $out/$name"
	# shellcheck disable=SC2086
	$CC $flags $common -Isrc/daemon -Isrc/tui -fsanitize=fuzzer $cflags \
	    "$f" "$out/obj/tests_fuzz_fuzz-lib.o" \
	    "$out/libtui.a" "$out/libdaemon.a" "$out/libcommon.a" $libs \
	    -o "$out/$name"
	n=$((n + 1))
done
echo "built $n fuzz target(s) in $out"
