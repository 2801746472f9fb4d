#!/bin/sh
# Issue 14 (11): the demo feels like a real Monday. mk/demo.sh (what make
# demo and "support-inbox demo" run) with the built binaries, in tmux: the
# client shows a few hundred conversations of the last two weeks, German
# and English, with photos, documents, a voice note, locations, reactions,
# the shop's answers, a failed send, notes, labels, closed windows, canned
# replies and templates; customers keep writing by themselves and answer
# replies; run as root, a colleague ("nobody") claims and answers now and
# then. Killing the tmux session (an SSH drop) ends every process of it.
# SUPPORT_INBOX_DEMO_SECONDS ends it by itself. The installed client runs
# the same with "support-inbox demo". Real daemon, simulator, SQLite, tmux.
. "$(dirname "$0")/../lib.sh"

for _c in tmux sqlite3 jq setpriv; do
	command -v "$_c" >/dev/null || { not_ok "$_c is installed"; si_done; exit 1; }
done
si_tmp
. "$(dirname "$0")/../lib-tui.sh"
mkdir "$T/demo"

pane_pid() { tm display-message -p -t "$1" '#{pane_pid}'; }
# demo NAME SECONDS [COMMAND]: the demo in session NAME (mk/demo.sh with
# the build's binaries, or COMMAND), ending by itself after SECONDS; its
# temporary directory goes under $T/demo
demo() {
	tm new-session -d -s "$1" -x 130 -y 40 \
	    "cd $T && env SUPPORT_INBOX_DEMO_SECONDS=$2 TMPDIR=$T/demo \
	    LANG=C.UTF-8 TERM=screen-256color \
	    ${3:-sh $SI_TOP/mk/demo.sh $SI_BUILD}; echo demo exit \$?; sleep 600"
}
# dd: the demo's directory; dsi ARGS: the CLI on the demo's daemon
dd() { ls -d "$T"/demo/support-inbox-demo.* 2>/dev/null | head -n 1; }
dsi() { "$SIC" -c "$(dd)/si.conf" "$@"; }
dsql() { sqlite3 "$(dd)/data/support-inbox.db" "$1"; }
# all_count NAME: the All tab's count on the screen
all_count() {
	screen "$1" | grep -o '4:All [0-9]*' | head -n 1 | awk '{ print $2 }'
}
many() { [ "$(all_count "$1")" -gt 100 ] 2>/dev/null; }
# until_long SECS CMD...: CMD every half second until it succeeds
until_long() {
	_n=$(($1 * 2))
	shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
		_n=$((_n - 1))
	done
	return 1
}
alive() {
	[ -r "/proc/$1/stat" ] &&
	    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# none_alive PID...: within 10 s no process of the list is left
none_alive() {
	_g=0
	while [ $_g -lt 100 ]; do
		_left=""
		for _p in "$@"; do alive "$_p" && _left="$_left $_p"; done
		[ -z "$_left" ] && return 0
		sleep 0.1
		_g=$((_g + 1))
	done
	for _p in $_left; do
		ps -o pid=,args= -p "$_p" | cut -c1-100 | sed 's/^/# left: /'
		kill -9 "$_p" 2>/dev/null
	done
	return 1
}
no_demo_dir() { [ -z "$(dd)" ]; }
no_demo_proc() { ! pgrep -f "$T/demo" >/dev/null; }

# --- a Monday ---
demo dm 300
check "the client shows more than 100 conversations (the All tab)" \
    until_long 60 many dm
screen dm | head -n 3 | sed 's/^/# /'
check "the demo's daemon answers" quiet dsi status
check "a few hundred conversations" \
    test "$(dsql "SELECT count(*) FROM conversations")" -ge 250
now=$(date +%s)
check "spread over two weeks" test "$(dsql "SELECT min(ts) FROM messages")" \
    -lt $((now - 10 * 86400))
check "many conversations' 24-hour window has closed" test "$(dsql "SELECT
    count(*) FROM conversations WHERE last_inbound_at < $now - 86400")" -ge 100
check "and some are still open" test "$(dsql "SELECT count(*) FROM
    conversations WHERE last_inbound_at >= $now - 86400")" -ge 20
for t in image document audio location reaction; do
	check "the customers sent a $t" test "$(dsql "SELECT count(*) FROM
	    messages WHERE type = '$t' AND direction = 'in'")" -ge 1
done
check "the shop's answers are there" test "$(dsql "SELECT count(*) FROM
    messages WHERE direction = 'out'")" -ge 100
check "German and English" sh -c "$SIC -c $(dd)/si.conf search Bestellung |
    grep -q . && $SIC -c $(dd)/si.conf search order | grep -q ."
out=$(dsi list all --limit 500 --json)
check "a quoted reply (the customer answers a message of the shop)" \
    sh -c "for c in \$($SIC -c $(dd)/si.conf list all --limit 60 --json |
    jq -r '.rows[].id'); do $SIC -c $(dd)/si.conf show \$c --json |
    jq -e '.messages[] | select(.body.context != null or .reply_to != null
    or .context != null)' >/dev/null && exit 0; done; exit 1"
check "resolved history" test "$(printf '%s' "$out" |
    jq '[.rows[] | select(.state == "resolved")] | length')" -ge 100
check "labels on conversations" test "$(dsi list label:Retoure --json |
    jq '.rows | length')" -ge 10
check "notes" test "$(dsql "SELECT count(*) FROM notes")" -ge 2
check "a failed send" until_long 20 sh -c \
    "[ \$($SIC -c $(dd)/si.conf list failed --json | jq '.rows | length') -ge 1 ]"
check "canned replies in German and English" sh -c "$SIC -c $(dd)/si.conf \
    canned list all | grep -q danke && $SIC -c $(dd)/si.conf canned list all |
    grep -q thanks"
check "approved templates" sh -c "$SIC -c $(dd)/si.conf templates list |
    grep -qi approved"

# A customer writes by itself: a message newer than everything so far.
last=$(dsql "SELECT max(id) FROM messages WHERE direction = 'in'")
newer() {
	[ "$(dsql "SELECT count(*) FROM messages WHERE direction = 'in' AND
	    id > $last")" -ge 1 ]
}
check "a new customer message arrives by itself" until_long 40 newer
# and the client shows it: its conversation's name at the top of the list
top=$(dsi list all --limit 1 --json | jq -r '.rows[0].name')
see dm "$top" "the client shows the conversation that just got it"

# The colleague claims a conversation, answers it, and the customer answers.
colleague() {
	c=$(dsi list all --limit 500 --json | jq -r '[.rows[] |
	    select(.assignee == "nobody")][0].id // empty')
	[ -n "$c" ] && dsi show "$c" --json | jq -e '[.messages[] |
	    .direction] | index("out") as $o | $o != null and
	    (.[$o + 1:] | index("in")) != null' >/dev/null
}
check "a colleague claims and answers a conversation, the customer answers" \
    until_long 120 colleague

# --- an SSH drop: the terminal goes, and everything with it ---
procs=$(ps -o pid= -s "$(pane_pid dm)" | tr -d ' ')
ps -o comm= -s "$(pane_pid dm)" >"$T/comms"
check "the demo runs daemon, simulator and client in the terminal's session" \
    sh -c "grep -qx support-inboxd '$T/comms' &&
    grep -qx support-inbox-s '$T/comms' && grep -qx support-inbox '$T/comms'"
tm kill-session -t dm
check "every process of the demo ends" none_alive $procs
check "none is left with the demo's directory" until_long 10 no_demo_proc
check "its temporary directory is gone" until_long 10 no_demo_dir

# --- SUPPORT_INBOX_DEMO_SECONDS, and the installed "support-inbox demo" ---
# make install puts the script beside the programs (not run here: it would
# build); the test lays out the same tree from the build.
check "make install installs the demo script and the simulator" sh -c \
    "make -n -s -C '$SI_TOP' install PREFIX=/usr DESTDIR=/x 2>/dev/null |
    grep -q 'mk/demo.sh /x/usr/share/support-inbox/demo.sh' &&
    make -n -s -C '$SI_TOP' install PREFIX=/usr DESTDIR=/x 2>/dev/null |
    grep -q 'support-inbox-sim'"
mkdir -p "$T/inst/usr/bin" "$T/inst/usr/sbin" "$T/inst/usr/share/support-inbox"
cp "$SIC" "$SIM" "$T/inst/usr/bin/"
cp "$SID" "$T/inst/usr/sbin/"
cp "$SI_TOP/mk/demo.sh" "$T/inst/usr/share/support-inbox/demo.sh"
demo di 25 "env PATH=/usr/bin:/bin $T/inst/usr/bin/support-inbox demo"
check "support-inbox demo: the installed client shows the demo" \
    until_long 60 many di
ended() { screen di | grep -q "demo exit 0"; }
check "SUPPORT_INBOX_DEMO_SECONDS: it ends by itself" until_long 60 ended
check "and leaves nothing behind" until_long 10 no_demo_proc
check "nor its directory" until_long 10 no_demo_dir
tm kill-session -t di
mv "$T/inst/usr/sbin/support-inboxd" "$T/sid.away"
out=$(env PATH=/nonexistent "$T/inst/usr/bin/support-inbox" demo 2>&1 </dev/null)
check "without the daemon it fails" test $? -ne 0
check_contains "and says what is missing, and where it looked" \
    "the demo needs support-inboxd" "$out"

si_done
