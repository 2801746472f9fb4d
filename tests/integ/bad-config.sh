#!/bin/sh
# Issue 10 point 4: a config file with several bad values is refused with
# the first one's file:line, by the daemon and the client alike, and
# nothing crashes on the way (found by fuzzing: the second bad value freed
# the first error's message, which was then printed and freed again).
. "$(dirname "$0")/../lib.sh"

si_tmp

# refused NAME FILE WANT CMD...: CMD exits 1 (not a crash), says WANT on
# stderr, and no sanitizer report comes out.
refused() {
	_n=$1 _want=$3
	shift 3
	"$@" >"$T/out" 2>"$T/err"
	check_eq "$_n: exits 1" 1 "$?"
	check_contains "$_n: names file, line and key" "$_want" "$(cat "$T/err")"
	check "$_n: no sanitizer report" sh -c \
	    "! grep -q 'Sanitizer\|runtime error\|double free' '$T/err'"
}

cat >"$T/two.conf" <<EOC
[daemon]
log_level = bogus
log_level = louder
EOC
want="$T/two.conf:2: [daemon] log_level expects error, warn, info or debug, not 'bogus'"
refused "daemon, two bad values" "$T/two.conf" "$want" \
    "$SID" -c "$T/two.conf"
refused "daemon init, two bad values" "$T/two.conf" "$want" \
    "$SID" init -c "$T/two.conf"
refused "client, two bad values" "$T/two.conf" "$want" \
    "$SIC" -c "$T/two.conf" status

cat >"$T/many.conf" <<EOC
# a comment first
[daemon]
data_dir = $T/data
log_level = bogus
[webhook]
max_body = 12
listen = nowhere
[inbox]
mark_read = perhaps
this line is no key
EOC
want="$T/many.conf:4: [daemon] log_level expects error, warn, info or debug, not 'bogus'"
refused "daemon, bad values and a syntax error" "$T/many.conf" "$want" \
    "$SID" -c "$T/many.conf"
refused "client, bad values and a syntax error" "$T/many.conf" "$want" \
    "$SIC" -c "$T/many.conf" status
check "and no data directory was made" test ! -e "$T/data"

si_done
