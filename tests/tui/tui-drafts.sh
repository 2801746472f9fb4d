#!/bin/sh
# Drafts survive and sends can be taken back (issue 13, point 4), with two
# agents in tmux: a draft typed in the full-screen client is back after its
# terminal was killed and after a quit, and its row shows the draft marker
# for its author only; a reply is held for [client] undo_send_seconds, u
# brings it back into the composer and the simulator never sees it, while
# one not taken back leaves after the hold, also across a daemon restart;
# a bulk resolve is undone with u. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_drtg
si_user si_t_drta "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_drta >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

DRAFT="✎"
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# marker NAME CUSTOMER: true if the row of CUSTOMER shows the draft marker
# (after the cursor, unread and mark columns, before the name)
marker() {
	screen "$1" | grep -F -- "$2" | head -n 1 | cut -c1-8 |
	    grep -qF "$DRAFT"
}
no_marker() { ! marker "$@"; }
wait_marker() {
	_j=0
	while [ $_j -lt 150 ]; do
		marker "$1" "$2" && return 0
		sleep 0.1
		_j=$((_j + 1))
	done
	return 1
}
has_draft() {
	[ "$(db "SELECT count(*) FROM drafts WHERE conversation_id = $1 AND agent_id = (SELECT id FROM agents WHERE name = 'root')")" = 1 ]
}
sim_has() { simreq | jq -e --arg t "$1" '[.bodies[] | select(.text.body == $t)] | length > 0' >/dev/null; }
sim_count() { simreq | jq --arg t "$1" '[.bodies[] | select(.text.body == $t)] | length'; }

inbound 491510000401 "Rosa Klein" "Where is my parcel?"
inbound 491510000402 "Paul Weber" "Invoice please"
inbound 491510000403 "Olga Novak" "Can I return this?"
R=$(conv "Rosa Klein"); P=$(conv "Paul Weber"); O=$(conv "Olga Novak")

start a 120 40
check "the client starts" wait_for a "1:Open 3"

# --- a draft survives the terminal being killed ---
goto a "Rosa Klein"
key a Enter
see a "Where is my parcel?" "Enter opens Rosa's conversation"
key a r
see a "COMPOSE" "r opens the composer"
typeit a "Dear Rosa, your parcel zebrapark"
check "the daemon keeps the draft a second after the last key" si_until has_draft "$R"
check "sealed: the draft is not in clear in the database" sh -c \
    "! sqlite3 $T/data/support-inbox.db 'SELECT body_enc FROM drafts' | grep -qa zebrapark"
tm kill-session -t a
start a 120 40
check "the client starts again" wait_for a "1:Open 3"
check "Rosa's row shows the draft marker" wait_marker a "Rosa Klein"
check "Paul's row does not" no_marker a "Paul Weber"
goto a "Rosa Klein"
key a Enter
see a "Dear Rosa, your parcel zebrapark" "opening it brings the draft back into the composer"

# --- the other agent never sees it ---
start_as si_t_drta "$GRP" b 120 40
check "the second agent's client starts" wait_for b "Rosa Klein"
check "the second agent sees no draft marker" no_marker b "Rosa Klein"
check_eq "and conv.list says no draft for them" false \
    "$(si_as si_t_drta list all --json | jq --argjson c "$R" '.rows[] | select(.id == $c) | .draft')"
goto b "Rosa Klein"
key b Enter
see b "< Rosa Klein" "the second agent opens Rosa's conversation"
see b "THREAD" "in the thread"
key b r
see b "COMPOSE" "and opens its composer"
check "which is empty: the first agent's draft is not there" sh -c \
    "! tmux -L $TS capture-pane -p -t =b: | grep -q zebrapark"
key b Escape
key b q

# --- a draft survives a quit ---
key a Escape
key a q
goto a "Paul Weber"
key a Enter
see a "Invoice please" "Paul's conversation opens"
key a r
typeit a "Paul, the invoice zebraquit"
key a Escape
key a Q
see a "client exit 0" "Q quits at once: the daemon keeps the drafts"
check "Paul's draft was saved on the way out" has_draft "$P"
tm kill-session -t a
start a 120 40
check "the client starts a third time" wait_for a "1:Open 3"
check "Paul's row shows the draft marker" wait_marker a "Paul Weber"
goto a "Paul Weber"
key a Enter
see a "Paul, the invoice zebraquit" "and the draft is back"
key a q

# --- undo send: u within the window ---
goto a "Olga Novak"
key a Enter
see a "Can I return this?" "Olga's conversation opens"
key a r
typeit a "zebra take me back"
key a Enter
see a "sending in" "the thread shows the held reply counting down"
see a "(Alt-u: undo)" "with the key that takes it back (the composer keeps the focus)"
check_eq "the simulator has not received it" 0 "$(sim_count "zebra take me back")"
key a M-u
see a "not sent: the text is back in the composer" "Alt-u takes it back"
see a "COMPOSE" "into the composer"
check "with its text" wait_for a "zebra take me back"
check_eq "the message is gone from the store" 0 \
    "$(si show "$O" --json | jq '[.messages[] | select(.direction == "out")] | length')"
check_eq "the undo is audited" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'message.cancel' AND result = 'ok'")"

# --- without undo: sent after the hold ---
key a C-u
typeit a "zebra let me go"
key a Enter
see a "sending in" "the second reply is held too"
key a Escape
see a "(u: undo)" "out of the composer the key is u"
check_eq "not sent during the hold" 0 "$(sim_count "zebra let me go")"
check "sent once the hold is over" si_until sim_has "zebra let me go"
check "the thread no longer counts down" wait_gone a "sending in"
check_eq "the one taken back never reached the simulator" 0 \
    "$(sim_count "zebra take me back")"

# --- a held reply survives a daemon restart ---
key a r
see a "COMPOSE" "r opens the composer again"
typeit a "zebra across a restart"
key a Enter
see a "sending in" "a third reply is held"
si_stop
si_start || not_ok "the daemon restarts"
check "the held reply is sent after the restart" si_until sim_has "zebra across a restart"
check_eq "exactly once" 1 "$(sim_count "zebra across a restart")"
see a "1:Open 3" "the client is back with the daemon"
key a Escape
key a q

# --- undo of a bulk resolve ---
goto a "Rosa Klein" && key a Space
goto a "Paul Weber" && key a Space
see a "marked:2" "two conversations are marked"
key a x
see a "resolved 2 (u: undo)" "x resolves both and offers undo"
check "both are resolved" si_until sh -c \
    "[ \"\$($SIC -c $T/si.conf show $R --json | jq -r .conversation.state) \$($SIC -c $T/si.conf show $P --json | jq -r .conversation.state)\" = 'resolved resolved' ]"
key a u
see a "undone: 2 back to open" "u reopens both"
check "both are open again" si_until sh -c \
    "[ \"\$($SIC -c $T/si.conf show $R --json | jq -r .conversation.state) \$($SIC -c $T/si.conf show $P --json | jq -r .conversation.state)\" = 'open open' ]"
check_eq "each reopen is audited as an undo" 2 \
    "$(si audit export --action conversation.reopen --detail --purpose "tui test" |
    jq -r 'select(.detail == "undo: back to open") | .object_id' | sort -u | wc -l)"
see b "Rosa Klein" "the second agent's list still has Rosa"

key a Q
see a "client exit 0" "the first agent quits"
key b Q
see b "client exit" "the second agent quits"
no_sanitizer_report
si_stop
si_done
