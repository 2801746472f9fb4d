#!/bin/sh
# Issue 13 point 3: nothing takes over the composer. Two agents in tmux, a
# and b (two Unix users). b writes a reply; a claims the conversation -
# asked first, since b is visibly typing. b is told who took it, the draft
# stays, no purpose prompt opens, and b's next keys go into the draft (no
# audit record's purpose holds b's words). b's reply into a's conversation
# asks first (n: nothing sent; y: sent, the override audited). A claim
# race: b's client is stopped while a claims, b claims on its stale screen
# and is told who claimed it first, never asked for a purpose. Closing the
# thread ends the audited access. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_gdg
si_user si_t_gda "$GRP"
si_user si_t_gdb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_gda >/dev/null
si agent add si_t_gdb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
holder() { si show "$1" --purpose "guard test" --json | jq -r .conversation.assignee; }
# never NAME TEXT DESCRIPTION: TEXT is not on the screen now
never() {
	if screen "$1" | grep -qF -- "$2"; then
		not_ok "$3"
		screen "$1" | sed 's/^/# /'
	else
		ok "$3"
	fi
}
# the client's process in session NAME (the pane's shell runs it)
client_pid() {
	ps -o pid= --ppid "$(tm list-panes -t "$1" -F '#{pane_pid}')" |
	    head -n 1 | tr -d ' '
}

inbound 491510000401 "Greta Ott" "Mein Paket ist beschaedigt"
inbound 491510000402 "Hanno Lutz" "Rechnung doppelt"
inbound 491510000403 "Ines Vogt" "Adresse aendern bitte"
G=$(conv "Greta Ott"); H=$(conv "Hanno Lutz")

start_as si_t_gda "$GRP" a 120 40
start_as si_t_gdb "$GRP" b 120 40
check "a's client starts" wait_for a "1:Open 3"
check "b's client starts" wait_for b "1:Open 3"
check "both are subscribed" si_until si_subscribers 2

# --- b writes; a claims while b is visibly typing ---
goto b "Greta Ott"
key b Enter
see b "Mein Paket ist beschaedigt" "b opens Greta's conversation"
key b r
see b "COMPOSE" "r puts b in the composer"
typeit b "Hallo Greta, ich schaue"
see b "Hallo Greta, ich schaue" "b's draft shows"
goto a "Greta Ott"
see a "si_t_gdb typing" "a sees b typing in it"
key a a
see a "si_t_gdb is typing in conversation $G; claim it anyway? (y/n)" \
    "claiming while someone is typing asks first"
check_eq "nothing is claimed while asking" null "$(holder "$G")"
key a Escape
see a "1:Open" "Esc leaves the question"
check_eq "Esc claims nothing" null "$(holder "$G")"
key a a
wait_for a "claim it anyway?" >/dev/null
typeit a y
key a Enter
check "y claims it" si_until sh -c "[ \"\$($SIC -c $T/si.conf show $G \
    --purpose t --json | jq -r .conversation.assignee)\" = si_t_gda ]"

see b "si_t_gda took this conversation; your draft is kept" \
    "b is told who took it, and that the draft stays"
never b "purpose for looking" "no purpose prompt opens in b's composer"
see b "Hallo Greta, ich schaue" "b's draft is still there"
see b "COMPOSE" "b is still in the composer"
typeit b " morgen nach"
see b "Hallo Greta, ich schaue morgen nach" \
    "b's next keys go into the draft"
never b "purpose for looking" "still no purpose prompt"
check_eq "no audit record's purpose holds b's words" 0 \
    "$(si audit export --detail --purpose "guard test" |
    jq -r '.purpose // empty' | grep -c 'morgen\|schaue\|Greta')"
check_eq "b's refused refresh ended b's access" 1 "$(db "SELECT count(*)
    FROM audit WHERE agent = 'si_t_gdb' AND action = 'conversation.close'
    AND object_id = $G")"
check "and is recorded as a refusal, without a purpose" test \
    "$(db "SELECT count(*) FROM audit WHERE agent = 'si_t_gdb' AND action =
    'conversation.open' AND object_id = $G AND result = 'denied'")" -ge 1

# --- b's reply into a's conversation asks first ---
key b Enter
see b "conversation $G is assigned to si_t_gda; send your reply anyway? (y/n)" \
    "sending into someone else's conversation asks first"
typeit b n
key b Enter
see b "Hallo Greta, ich schaue morgen nach" "n keeps the draft"
check_eq "n sends nothing" 0 "$(db "SELECT count(*) FROM messages WHERE
    conversation_id = $G AND direction = 'out'")"
key b Enter
wait_for b "send your reply anyway?" >/dev/null
typeit b y
key b Enter
check "y sends it" si_until sh -c "[ \"\$(sqlite3 $T/data/support-inbox.db \
    \"SELECT count(*) FROM messages WHERE conversation_id = $G AND \
    direction = 'out'\")\" = 1 ]"
see b "sending in" "b is told it goes (after the undo window)"
check_eq "the override is audited" 1 "$(db "SELECT count(*) FROM audit WHERE
    agent = 'si_t_gdb' AND action = 'conversation.override' AND object_id = $G")"
# b's draft went: b no longer types (said at once; a's client would also
# let the mark go 12 s after b's last report), but still has it open
check "a no longer sees b typing" wait_gone a "si_t_gdb typing"
see a "si_t_gdb viewing" "a sees b viewing it"
key b Escape
key b q
see b "1:Open" "b leaves the thread"

# --- a claim race: b's screen is stale when b claims ---
goto b "Hanno Lutz"
key b Enter
see b "Rechnung doppelt" "b opens Hanno's conversation"
goto a "Hanno Lutz"
bpid=$(client_pid b)
check "b's client is found" test -n "$bpid"
kill -STOP "$bpid"
key a a
check "a claims it while b's client is stopped" si_until sh -c "[ \"\$($SIC \
    -c $T/si.conf show $H --purpose t --json | jq -r .conversation.assignee)\" \
    = si_t_gda ]"
key b a
kill -CONT "$bpid"
see b "si_t_gda claimed it first" "b, who lost, is told who won"
never b "purpose for looking" "and is never asked for a purpose"
check_eq "it stays a's" si_t_gda "$(holder "$H")"
check_eq "b's lost claim is audited as a conflict" 1 "$(db "SELECT count(*)
    FROM audit WHERE agent = 'si_t_gdb' AND action = 'conversation.claim' AND
    object_id = $H AND result = 'conflict'")"
key b q
check "closing the thread ends b's access (conv.close)" si_until sh -c \
    "[ \"\$(sqlite3 $T/data/support-inbox.db \"SELECT count(*) FROM audit \
    WHERE agent = 'si_t_gdb' AND action = 'conversation.close' AND \
    object_id = $H\")\" = 1 ]"

# --- a purpose is offered again only for its own conversation ---
goto b "Greta Ott"
key b Enter
see b "purpose for looking (it is logged):" \
    "opening a's conversation on purpose asks for one"
typeit b "Rueckfrage Paket"
key b Enter
see b "Mein Paket ist beschaedigt" "with a purpose it opens"
key b q
goto b "Hanno Lutz"
key b Enter
see b "purpose for looking (it is logged):" "another of a's asks again"
never b "Rueckfrage Paket" "without the purpose given for another customer"
key b Escape

tm kill-session -t a
tm kill-session -t b
no_sanitizer_report
si_done
