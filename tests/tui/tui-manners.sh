#!/bin/sh
# The client's terminal manners (issue 6), driven inside tmux against a real
# daemon and the simulator: a lost daemon shows in the top bar and comes back
# by itself; the bell and OSC 777 ring only while the terminal is unfocused
# (focus reports); Ctrl-z and fg from a job-control shell; $EDITOR on the
# draft; SIGTERM and crash signals hand back a working terminal. Loopback
# only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }
command -v python3 >/dev/null || { not_ok "python3 is installed"; si_done; exit 1; }
command -v bash >/dev/null || { not_ok "bash is installed"; si_done; exit 1; }

si_tmp
si_config
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }

# $EDITOR is the test's own; VISUAL would win over it
unset VISUAL
. "$(dirname "$0")/../lib-tui.sh"

inbound 491510000301 "Alma Anfang" "Guten Morgen"
inbound 491510000302 "Bert Beispiel" "Wo bleibt mein Paket?"

# keys NAME KEY...: tmux send-keys to session NAME
keys() {
	_k=$1
	shift
	tm send-keys -t "=$_k:" "$@"
}
# fmt NAME FORMAT: a tmux format of the pane, e.g. #{alternate_on}
fmt() { tm display-message -p -t "=$1:" "$2"; }
fmt_is() { [ "$(fmt "$1" "$2")" = "$3" ]; }
# start_raw NAME COLS ROWS [ENV...]: the client in a new session; its pid goes
# to $T/NAME.pid, its stderr to $T/NAME.err, everything it writes to the
# terminal to $T/NAME.raw; when it ends the pane says "client exit STATUS".
start_raw() {
	_n=$1 _c=$2 _r=$3
	shift 3
	tm new-session -d -s "$_n" -x "$_c" -y "$_r" \
	    "until [ -e $T/$_n.piped ]; do sleep 0.05; done; \
	    sh -c 'echo \$\$ >$T/$_n.pid; exec env LANG=C.UTF-8 \
	    TERM=screen-256color $* $SIC -c $T/si.conf 2>$T/$_n.err'; \
	    echo \"client exit \$?\"; sleep 600"
	tm pipe-pane -t "=$_n:" -o "cat >>$T/$_n.raw"
	touch "$T/$_n.piped"	# the client starts once its output is piped
}
# cmdline NAME TEXT: runs :TEXT in the client and waits for the prompt to
# close, so that the command has run before whatever the test does next
cmdline() {
	keys "$1" :
	keys "$1" -l "$2"
	wait_for "$1" "$2" >/dev/null
	keys "$1" Enter
	wait_gone "$1" "$2"
}
# keys_done NAME: returns once the client has handled every key sent so
# far (help opens and closes again: keys are read in order)
keys_done() {
	keys "$1" '?'
	wait_for "$1" "next-waiting" >/dev/null
	keys "$1" q
	wait_gone "$1" "next-waiting"
}
# What the client wrote to its terminal: bare bells (BEL outside an OSC
# string) and OSC 777 notifications ("TEXT;TEXT..." of each).
bells() {
	python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
d = re.sub(rb"\x1b\][^\x07\x1b]*(\x07|\x1b\\)", b"", d)
print(d.count(b"\x07"))' "$T/$1.raw" 2>/dev/null || echo 0
}
osc777() {
	python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
print("|".join(m.decode() for m in
    re.findall(rb"\x1b\]777;notify;support-inbox;([^\x07\x1b]*)\x07", d)))' \
	    "$T/$1.raw" 2>/dev/null
}
bells_at_least() { [ "$(bells "$1")" -ge "$2" ]; }
osc_has() { case "$(osc777 "$1")" in *"$2"*) return 0 ;; esac; return 1; }
raw_has() {
	python3 -c '
import sys
sys.exit(0 if sys.argv[2].encode().decode("unicode_escape").encode("latin-1")
    in open(sys.argv[1], "rb").read() else 1)' "$T/$1.raw" "$2"
}
FOCUS_OUT="1b 5b 4f"	# ESC [ O, as a terminal reports losing focus
FOCUS_IN="1b 5b 49"	# ESC [ I

# --- 1. the daemon goes away and comes back ---
start_raw d 100 30
check "the client starts connected" wait_for d "[daemon: ok]"
check "with its list" wait_for d "Alma Anfang"
si_stop
see d "[daemon: down]" "a stopped daemon shows in the top bar"
check_contains "and the status line says it reconnects" \
    "lost the connection to the daemon; reconnecting" "$(screen d)"
keys d '?'
see d "next-waiting" "without the daemon, keys still work (? opens help)"
keys d q
if wait_gone d "next-waiting"; then ok "and q closes it again"; else
	not_ok "and q closes it again"; screen d | sed 's/^/# /'; fi
check "the client is still running" kill -0 "$(cat "$T/d.pid")"
si_start || not_ok "the daemon starts again"
see d "[daemon: ok]" "the client reconnects by itself when the daemon is back"
check "the list is there after reconnecting" wait_for d "Bert Beispiel"
inbound 491510000303 "Carla Comeback" "Bin wieder da"
see d "Carla Comeback" "after reconnecting, live updates arrive again"

# --- 2. the bell and OSC 777, only while the terminal is unfocused ---
# Each step waits for what must be seen; a notification that must not come
# is caught by counting once the next one that must come has arrived (they
# reach the terminal in order).
start_raw b 100 30
wait_for b "[daemon: ok]" >/dev/null
check "the client asks for focus reports" si_until raw_has b '\x1b[?1004h'
inbound 491510000311 "Dora Fokus" "Neu, aber fokussiert"
see b "Dora Fokus" "focused: a new conversation shows"
keys b -H $FOCUS_OUT
keys_done b
inbound 491510000312 "Emil Unfokus" "Neu und unbemerkt"
see b "Emil Unfokus" "unfocused: a new conversation shows"
check "unfocused: a new conversation rings the bell" si_until bells_at_least b 1
# another message in a conversation that is not new and not mine: quiet
inbound 491510000312 "Emil Unfokus" "Noch eine Frage"
see b "Noch eine Frage" "unfocused: a second message in it shows"
cmdline b "set bell osc777"
si assign "$(si list all --json | jq -r '.rows[] |
    select(.name == "Emil Unfokus") | .id')" me >/dev/null
see b "[root]" "the conversation is assigned to me"
inbound 491510000312 "Emil Unfokus" "Und jetzt an dich"
check "unfocused, osc777: a message in my conversation is an OSC 777 notification" \
    si_until osc_has b "new message"
check_eq "no bell while focused, none for an unassigned conversation's second message, none with osc777" \
    1 "$(bells b)"
cmdline b "set bell off"
inbound 491510000313 "Fritz Stumm" "Glocke aus"
see b "Fritz Stumm" "bell off: the new conversation shows"
cmdline b "set bell osc777"
keys b -H $FOCUS_IN
keys_done b
inbound 491510000314 "Gina Zurueck" "Wieder fokussiert"
see b "Gina Zurueck" "focused again: the new conversation shows"
keys b -H $FOCUS_OUT
keys_done b
inbound 491510000315 "Hans Hinweis" "Neu, unfokussiert"
check "unfocused, osc777: a new conversation is an OSC 777 notification" \
    si_until osc_has b "new conversation"
check_eq "nothing with bell off, nothing once focused again" \
    "new message|new conversation" "$(osc777 b)"
check_eq "and still no bare bell" 1 "$(bells b)"

# --- 3. Ctrl-z and fg from a shell with job control ---
tm new-session -d -s z -x 100 -y 30 "env -u VISUAL -u EDITOR \
    PS1='manners\$ ' HOME=$T bash --norc --noprofile -i"
tm pipe-pane -t "=z:" -o "cat >>$T/z.raw"
wait_for z 'manners$' >/dev/null
keys z -l "sh -c 'echo \$\$ >$T/z.pid; exec env LANG=C.UTF-8 \
TERM=screen-256color $SIC -c $T/si.conf 2>$T/z.err'"
keys z Enter
see z "[daemon: ok]" "a client started from the shell"
check "it uses the alternate screen" fmt_is z '#{alternate_on}' 1
keys z C-z
check "Ctrl-z: the terminal leaves the alternate screen" \
    si_until fmt_is z '#{alternate_on}' 0
see z "Stopped" "Ctrl-z: the shell reports the job stopped"
prompt_last() {
	screen z | sed '/^$/d' | tail -n 1 | grep -q '^manners\$ *$'
}
check "Ctrl-z: the shell prompt is back" si_until prompt_last
check_eq "Ctrl-z: the cursor is visible" 1 "$(fmt z '#{cursor_flag}')"
check "Ctrl-z: focus reports are switched off" raw_has z '\x1b[?1004l'
keys z -l fg
keys z Enter
check "fg: back on the alternate screen" \
    si_until fmt_is z '#{alternate_on}' 1
see z "1:Open" "fg: the screen is drawn again"
check_contains "fg: the top bar too" "[daemon: ok]" "$(screen z)"
keys z '?'
see z "next-waiting" "fg: keys work again"
keys z q
wait_gone z "next-waiting" >/dev/null
# SIGTSTP from outside (kill -TSTP, a window manager) stops it the same way
kill -TSTP "$(cat "$T/z.pid")"
check "SIGTSTP: the terminal leaves the alternate screen" \
    si_until fmt_is z '#{alternate_on}' 0
check "SIGTSTP: the shell prompt is back" si_until prompt_last
keys z -l fg
keys z Enter
check "fg after SIGTSTP: back on the alternate screen" \
    si_until fmt_is z '#{alternate_on}' 1
see z "1:Open" "fg after SIGTSTP: the screen is drawn again"
keys z Q
check "Q from a resumed client returns to the shell" \
    si_until fmt_is z '#{alternate_on}' 0
check "and the prompt" si_until prompt_last

# --- 4. $EDITOR on the draft ---
# The editor appends a line (the text of ed.text), says on the terminal
# that it ran, notes what it was given, and waits for the test before it
# returns.
cat >"$T/ed.sh" <<EOS
#!/bin/sh
[ -e "$T/ed.fail" ] && exit 1
stat -c %a "\$1" >"$T/ed.mode"
[ -s "\$1" ] && echo >>"\$1"
cat "$T/ed.text" >>"\$1"
cp "\$1" "$T/ed.seen"
echo EDITOR-WAS-HERE
touch "$T/ed.running"
i=0
while [ ! -e "$T/ed.go" ] && [ \$i -lt 300 ]; do
	sleep 0.1
	i=\$((i + 1))
done
EOS
chmod 755 "$T/ed.sh"
echo "Zweite Zeile aus dem Editor" >"$T/ed.text"
mkdir -m 700 "$T/xdg"
start_raw e 120 40 EDITOR=$T/ed.sh XDG_RUNTIME_DIR=$T/xdg
wait_for e "Alma Anfang" >/dev/null
keys e C-k
wait_for e "go to conversation" >/dev/null
keys e -l "Alma Anfang"
keys e Enter
see e "Guten Morgen" "the thread is open"
keys e r
see e "COMPOSE" "r opens the composer"
keys e -l "Erste Zeile"
wait_for e "Erste Zeile" >/dev/null
keys e M-e
check "M-e runs \$EDITOR" si_until test -e "$T/ed.running"
check_eq "on the draft's text" "Erste Zeile
Zweite Zeile aus dem Editor" "$(cat "$T/ed.seen")"
check_eq "in a file only the agent can read" 600 "$(cat "$T/ed.mode")"
check_eq "while the editor runs, the terminal is the editor's" 0 \
    "$(fmt e '#{alternate_on}')"
check_eq "with the cursor visible" 1 "$(fmt e '#{cursor_flag}')"
check_contains "and what it writes shows" "EDITOR-WAS-HERE" "$(screen e)"
touch "$T/ed.go"
check "after the editor, back on the alternate screen" \
    si_until fmt_is e '#{alternate_on}' 1
see e "Zweite Zeile aus dem Editor" "the draft holds the editor's text"
check_contains "and the text that was there" "Erste Zeile" "$(screen e)"
scr=$(screen e)
check_contains "the screen is redrawn: top bar" "[daemon: ok]" "$scr"
check_contains "the screen is redrawn: the thread" "Guten Morgen" "$scr"
check_contains "the screen is redrawn: still composing" "COMPOSE" "$scr"
case "$scr" in
*EDITOR-WAS-HERE*) not_ok "nothing of the editor's screen is left"
	echo "$scr" | sed 's/^/# /' ;;
*) ok "nothing of the editor's screen is left" ;;
esac
check_eq "the draft file is removed" "" "$(ls "$T/xdg")"
keys e Enter
edited_sent() {
	simreq | jq -e '.bodies[] | select(.text.body ==
	    "Erste Zeile\nZweite Zeile aus dem Editor")'
}
check "the edited draft reaches the simulator" si_until edited_sent
# an editor that fails leaves the draft as it was
touch "$T/ed.fail"
keys e -l "Bleibt stehen"
wait_for e "Bleibt stehen" >/dev/null
keys e M-e
see e "the editor failed; the draft is unchanged" \
    "a failing editor is reported"
check_contains "and the draft is kept" "Bleibt stehen" "$(screen e)"
check_eq "back on the alternate screen" 1 "$(fmt e '#{alternate_on}')"
# e in the list writes a reply in the editor directly
rm -f "$T/ed.fail" "$T/ed.running" "$T/ed.go"
echo "Antwort ganz aus dem Editor" >"$T/ed.text"
keys e C-u
wait_gone e "Bleibt stehen" >/dev/null
keys e Escape
wait_for e "THREAD" >/dev/null	# (Esc and a key at once would be Alt)
keys e q
see e "LIST" "back in the list"
keys e e
check "e in the list opens \$EDITOR for a reply" \
    si_until test -e "$T/ed.running"
touch "$T/ed.go"
see e "Antwort ganz aus dem Editor" "and its text lands in the composer"
check_eq "on the alternate screen" 1 "$(fmt e '#{alternate_on}')"
keys e Enter
editor_reply_sent() {
	simreq | jq -e '.bodies[] | select(.text.body ==
	    "Antwort ganz aus dem Editor")'
}
check "and goes out as the reply" si_until editor_reply_sent
keys e -l "Entwurf"
wait_for e "Entwurf" >/dev/null

# --- 5. signals hand back the terminal ---
# pass_on SIG NAME: the client in session NAME gets SIG
pass_on() {
	start_raw "$2" 100 30
	wait_for "$2" "[daemon: ok]" >/dev/null
	si_until raw_has "$2" '\x1b[?1004h'
	kill -"$1" "$(cat "$T/$2.pid")"
	see "$2" "client exit" "SIG$1: the client ends"
	check_eq "SIG$1: the terminal leaves the alternate screen" 0 \
	    "$(fmt "$2" '#{alternate_on}')"
	check_eq "SIG$1: the cursor is visible" 1 "$(fmt "$2" '#{cursor_flag}')"
	check "SIG$1: focus reports are switched off" \
	    si_until raw_has "$2" '\x1b[?1004l'
	if grep -q 'Sanitizer\|runtime error' "$T/$2.err" 2>/dev/null; then
		not_ok "SIG$1: no sanitizer report"
		head -n 30 "$T/$2.err" | sed 's/^/# /'
	else
		ok "SIG$1: no sanitizer report"
	fi
}
pass_on TERM kt
check_contains "SIGTERM: a clean exit" "client exit 0" "$(screen kt)"
pass_on HUP kh
check_contains "SIGHUP: a clean exit" "client exit 0" "$(screen kh)"
pass_on SEGV ks
check_contains "SIGSEGV: it still dies of the signal" "client exit 139" \
    "$(screen ks)"
pass_on ABRT ka
check_contains "SIGABRT: it still dies of the signal" "client exit 134" \
    "$(screen ka)"

keys e Escape
wait_gone e "COMPOSE" >/dev/null
for _s in d b e; do
	keys "$_s" Q
done
# The daemon keeps drafts (issue 13): Q with one quits without asking.
check "Q with a draft quits; the daemon has kept the draft" si_until sh -c \
    "sqlite3 $T/data/support-inbox.db 'SELECT count(*) FROM drafts' | grep -qx '[1-9][0-9]*'"
for _s in d b e; do
	see "$_s" "client exit 0" "Q quits ($_s)"
done
no_sanitizer_report

si_done
