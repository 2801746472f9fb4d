# Helpers for the TUI tests (tests/tui/*.sh): the real client in tmux.
# Source after tests/lib.sh and after setting up the daemon; it defines tm
# (tmux on a server of the test's own) and cleans it up on exit.

TS="si-tui-$$"
# tmux on the test's own server. A target "-t NAME" becomes "-t =NAME:", the
# session of exactly that name: a bare NAME is tried as a window name first,
# prefix included, and windows are named after their command ("sleep",
# "support-inbox"), so "-t s" could send keys to another session.
tm() {
	_tm_n=$#
	_tm_t=0
	for _tm_x in "$@"; do
		if [ $_tm_t = 1 ]; then
			case $_tm_x in *[:=.]*) ;; *) _tm_x="=$_tm_x:" ;; esac
			_tm_t=0
		fi
		[ "$_tm_x" = "-t" ] && _tm_t=1
		set -- "$@" "$_tm_x"
	done
	shift "$_tm_n"
	tmux -L "$TS" -f /dev/null "$@"
}
trap 'tm kill-server 2>/dev/null; si_cleanup' EXIT
# One tmux server for the whole test, kept when its last session is killed:
# otherwise a session started right after killing the last one can reach a
# server that is shutting down, and fails (seen in a clean-clone CI run).
tm start-server \; set -s exit-empty off
simreq() { curl -s "$SIMURL/_sim/requests"; }
# inbound FROM NAME TEXT: a customer writes (through the simulator's webhook)
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}

# screen NAME: the visible text of session NAME
screen() { tm capture-pane -p -t "$1"; }
# wait_for NAME TEXT: up to ~15 s for TEXT to appear
wait_for() {
	_j=0
	while [ $_j -lt 150 ]; do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
		_j=$((_j + 1))
	done
	return 1
}
wait_gone() {
	_j=0
	while [ $_j -lt 150 ]; do
		screen "$1" | grep -qF -- "$2" || return 0
		sleep 0.1
		_j=$((_j + 1))
	done
	return 1
}
# key NAME KEYS...: keys, then a moment for the client to take them
# (after Esc a pause: Esc and the next key at once would read as Alt-key)
key() {
	_s=$1; shift
	tm send-keys -t "$_s" "$@"
	case " $* " in *" Escape "*) sleep 0.2 ;; esac
}
# typeit NAME TEXT: TEXT typed literally
typeit() { tm send-keys -t "$1" -l "$2"; }
# cursor_at NAME: "LINE:TEXT" of the list's cursor row
cursor_at() { screen "$1" | grep -n '^>' | head -n 1; }
# goto NAME TEXT: moves the list cursor (from the top) to the row with TEXT.
# Each key's effect is waited for before looking: a screen read before the
# client took "g g" could show the cursor still on TEXT, and a j sent while
# the one before is pending overshoots (both seen under load in CI).
goto() {
	wait_for "$1" "$2" >/dev/null	# the list has its rows
	key "$1" g g
	_g=0	# the first list row is the screen's third line
	while ! cursor_at "$1" | grep -q '^3:' && [ $_g -lt 100 ]; do
		sleep 0.05
		_g=$((_g + 1))
	done
	_g=0
	while ! cursor_at "$1" | grep -qF -- "$2" && [ $_g -lt 40 ]; do
		_was=$(cursor_at "$1")
		key "$1" j
		_w=0
		while [ "$(cursor_at "$1")" = "$_was" ] && [ $_w -lt 60 ]; do
			sleep 0.05
			_w=$((_w + 1))
		done
		[ $_w -lt 60 ] || break	# the cursor did not move: the last row
		_g=$((_g + 1))
	done
	cursor_at "$1" | grep -qF -- "$2"
}
# start NAME COLS ROWS [ENV...]: the client in a new session; its stderr
# goes to $T/NAME.err; when it ends the pane says "client exit STATUS"
start() {
	_n=$1 _c=$2 _r=$3
	shift 3
	tm new-session -d -s "$_n" -x "$_c" -y "$_r" \
	    "env LANG=C.UTF-8 TERM=screen-256color $* $SIC -c $T/si.conf \
	    2>$T/$_n.err; echo \"client exit \$?\"; sleep 600"
}
# start_as USER GROUP NAME COLS ROWS [ENV...]: like start, but the client
# runs as the Unix user USER (an agent added with "si agent add"), with a
# home of its own under $T, as a second agent on the same server would.
start_as() {
	_u=$1 _g=$2 _n=$3 _c=$4 _r=$5
	shift 5
	mkdir -p "$T/home-$_u" && chown "$_u" "$T/home-$_u"
	tm new-session -d -s "$_n" -x "$_c" -y "$_r" \
	    "setpriv --reuid=$_u --regid=$_g --init-groups env HOME=$T/home-$_u \
	    LANG=C.UTF-8 TERM=screen-256color $* $SIC -c $T/si.conf \
	    2>$T/$_n.err; echo \"client exit \$?\"; sleep 600"
}
# no_sanitizer_report: after the clients ended, none of them wrote one
no_sanitizer_report() {
	if grep -l 'Sanitizer\|runtime error' "$T"/*.err >/dev/null 2>&1; then
		not_ok "no sanitizer report from any client"
		grep -h -A30 'Sanitizer\|runtime error' "$T"/*.err |
		    head -60 | sed 's/^/# /'
	else
		ok "no sanitizer report from any client"
	fi
}
# The column (in cells, by Python's own East Asian Width table) of the
# first pane border on every line that has one; prints the distinct ones.
border_cols() {
	screen "$1" | python3 -c '
import sys, unicodedata
cols = set()
for line in sys.stdin.read().split("\n"):
    if "\u2502" not in line:
        continue
    c = 0
    for ch in line:
        if ch == "\u2502":
            break
        if unicodedata.combining(ch):
            continue
        c += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    cols.add(c)
print(" ".join(str(c) for c in sorted(cols)))'
}
# see NAME TEXT DESCRIPTION: ok when TEXT shows up; else the screen
see() {
	if wait_for "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3"
		screen "$1" | sed 's/^/# /'
	fi
}
# widest line in cells
max_width() {
	screen "$1" | python3 -c '
import sys, unicodedata
m = 0
for line in sys.stdin.read().split("\n"):
    c = sum(0 if unicodedata.combining(ch) else
        2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    m = max(m, c)
print(m)'
}
# the name on the cursor row (line starting with ">")
cursor_row() { screen "$1" | grep '^>' | head -n 1 | cut -c4-24; }

