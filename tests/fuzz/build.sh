#!/bin/sh
# Builds every tests/fuzz/fuzz_X.c into build/fuzz/fuzz_X with clang and
# libFuzzer; fuzz_X.c links src/daemon/X.c and src/common/*.c.
#
# Seed corpus: the webhook payloads in tests/fixtures/whatsapp, e.g.
#   mkdir -p /tmp/corpus && cp tests/fixtures/whatsapp/webhook-*.json /tmp/corpus/
#   build/fuzz/fuzz_wa -max_total_time=60 /tmp/corpus
# (fuzz into a copy: libFuzzer writes new inputs into the first directory).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
CC=${FUZZCC:-clang}
out=build/fuzz
mkdir -p "$out"
flags="-g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined"
flags="$flags -fno-omit-frame-pointer -Iinclude -Isrc/common -Isrc/daemon"
# inih too: src/common/conf.c needs it.
pkgs="jansson libsodium"
pkg-config --exists inih 2>/dev/null && pkgs="$pkgs inih"
cflags=$(pkg-config --cflags $pkgs)
libs="$(pkg-config --libs $pkgs) -lm"
n=0
for f in tests/fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .c)
	mod=src/daemon/${name#fuzz_}.c
	if [ ! -f "$mod" ]; then
		echo "build.sh: no module '$mod' for '$f'" >&2
		exit 1
	fi
	echo "CC $out/$name"
	# shellcheck disable=SC2086
	$CC $flags $cflags "$f" "$mod" src/common/*.c $libs -o "$out/$name"
	n=$((n + 1))
done
echo "built $n fuzz target(s) in $out"
