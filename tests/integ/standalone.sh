#!/bin/sh
# Issue 10: the repository stands alone. A clone into an empty directory
# must build and pass its tests, so no file may point outside the checkout:
# not at a "shared" folder in its parent directory, not at a machine path
# in the /work tree.
# The WhatsApp fixtures are the project's own: each one is described in
# tests/fixtures/whatsapp/README.md, is valid JSON, and carries no suffix
# naming another origin. The patterns below are written as bracket
# expressions so that this file does not match them itself.
. "$(dirname "$0")/../lib.sh"

cd "$SI_TOP" || exit 1
self=tests/integ/standalone.sh
fx=tests/fixtures/whatsapp

si_tmp
# refs PATTERN: "file:line: text" for every tracked file mentioning it
# (grep over the tree when this is not a git checkout).
refs() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git grep -n -I -e "$1" -- . ":(exclude)$self"
	else
		grep -rnI -e "$1" --exclude-dir=.git --exclude-dir=build . |
		    sed 's|^\./||' | grep -v "^$self:"
	fi
}
# none NAME PATTERN: ok if nothing matches, else not ok with the first hits.
none() {
	refs "$2" >"$T/hits" 2>/dev/null
	if [ -s "$T/hits" ]; then
		not_ok "$1 ($(wc -l <"$T/hits") lines, first: $(head -n 3 "$T/hits" |
		    cut -c 1-120 | tr '\n' ' '))"
	else
		ok "$1"
	fi
}

check "the checkout is found" test -f "$SI_TOP/tests/lib.sh"
none "no file refers to a shared folder beside the checkout" '[.][.]/shared'
none "no file names a machine path in the /work tree" '[/]work/'

# Every fixture has its README line, and every README line its file.
missing=""; n=0
for f in "$fx"/*; do
	b=$(basename "$f")
	[ "$b" = README.md ] && continue
	n=$((n + 1))
	grep -q "^- \`$b\`: ." "$fx/README.md" || missing="$missing $b"
done
check "the fixture folder is not empty" test "$n" -ge 50
check_eq "every fixture has a line in its README" "" "$missing"
extra=""
for b in $(sed -n 's/^- `\([^`]*\)`.*/\1/p' "$fx/README.md"); do
	[ -e "$fx/$b" ] || extra="$extra $b"
done
check_eq "every README line names a fixture that exists" "" "$extra"

bad=""
for f in "$fx"/*.json; do
	jq empty "$f" >/dev/null 2>&1 || bad="$bad $(basename "$f")"
done
check_eq "every fixture is valid JSON" "" "$bad"
check_eq "no fixture name carries another origin's suffix" "" \
    "$(ls "$fx" | grep -E '\.[a-z]+\.json$')"
check_contains "the README says who composed them" \
    "composed by the support-inbox project" "$(tr '\n' ' ' <"$fx/README.md")"

si_done
