#!/bin/sh
# Issue 13, point 2, in the client with two agents: the quick switch
# (Ctrl-k) finds every conversation the agent may open, not only the tab on
# screen (agent B's, from agent A's empty "Mine" tab), and opening another
# agent's conversation from it still asks for a purpose; "rosa" picks Rosa
# Klein first although Aleksandra Dąbrowska wrote last (r..o..s..a); the
# last digits of a number find the customer, and the audit log has the
# lookup without the digits; the canned picker ranks /tracking above
# /damaged (whose text says "track") for "track". Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_swg
si_user si_t_swa "$GRP"
si_user si_t_swb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_swa >/dev/null
si agent add si_t_swb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
as_b() {
	setpriv --reuid=si_t_swb --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# the picker's selected row (the line with "> " after the box's border)
picked() { screen "$1" | grep -o '> [^ ].*#[0-9]*' | head -n 1; }

inbound 4915100004711 "Rosa Klein" "Wo ist mein Paket?"
inbound 4915100005555 "Bernd Meier" "Die Rechnung ist falsch"
inbound 4917600009876 "Rosalind Meyer" "Hello"
inbound 4915100001234 "Aleksandra Dąbrowska" "Dzień dobry, gdzie paczka?"
ROSA=$(conv "Rosa Klein"); BERND=$(conv "Bernd Meier")
as_b assign "$BERND" me >/dev/null
check_eq "agent B has Bernd's conversation" si_t_swb \
    "$(si show "$BERND" --purpose test --json | jq -r .conversation.assignee)"
si canned add damaged --title "Damaged on arrival" \
    --body "Please send a photo; we track every claim." >/dev/null
si canned add tracking --title "Where is my parcel" \
    --body "Here is your tracking link." >/dev/null

start_as si_t_swb "$GRP" b 100 30
start_as si_t_swa "$GRP" a 120 40
check "agent A's client starts" wait_for a "1:Open"
check "agent B's client starts" wait_for b "1:Open"

# --- beyond the tab on screen: B's conversation from A's empty Mine tab ---
key a 2
see a "[2:Mine 0]" "A looks at her own conversations (none)"
check "Bernd's conversation is not in A's tab" wait_gone a "Bernd Meier"
key a C-k
see a "go to conversation" "Ctrl-k opens the quick switch"
typeit a bernd
see a "Bernd Meier  #$BERND  open  si_t_swb" \
    "it finds B's conversation, which A's tab does not show"
key a Enter
see a "purpose for looking (it is logged):" \
    "opening another agent's conversation from it asks for a purpose"
typeit a "Kunde ruft an"
key a Enter
see a "Die Rechnung ist falsch" "with a purpose it opens"
check_eq "the opening is audited with the purpose" "Kunde ruft an" \
    "$(si audit export --action conversation.open --detail --purpose \
    "tui test" | jq -r --argjson b "$BERND" 'select(.object_id == $b and
    .result == "ok" and .agent == "si_t_swa") | .purpose' | head -n 1)"
key a q
wait_gone a "Die Rechnung ist falsch" >/dev/null

# --- rosa: Rosa Klein first, not Aleksandra (newest, r..o..s..a) ---
key a 4
see a "Aleksandra D" "the All tab lists everyone"
key a C-k
see a "go to conversation" "the quick switch again"
typeit a rosa
see a "Aleksandra Dąbrowska  #" "Aleksandra still matches (r..o..s..a)"
check_contains "but Rosa Klein is first" "> Rosa Klein  #$ROSA" "$(picked a)"
check "and Aleksandra last, after Rosalind" sh -c \
    "tmux -L $TS capture-pane -p -t =a: | grep -n 'Rosalind Meyer  #\|Aleksandra Dąbrowska  #' | head -n 1 | grep -q Rosalind"
key a Enter
see a "Wo ist mein Paket?" "Enter opens Rosa Klein's conversation"
key a q
wait_gone a "Wo ist mein Paket?" >/dev/null

# --- the last digits of the number ---
key a C-k
see a "go to conversation" "the quick switch once more"
typeit a 4711
see a "Rosa Klein  #$ROSA  open  (number)" "the last digits find Rosa Klein"
check_eq "and only her" 1 "$(screen a | grep -c '#[0-9]')"
key a BSpace
wait_gone a "(number)" >/dev/null
typeit a 1
see a "(number)" "typing again asks again"
key a Enter
see a "Wo ist mein Paket?" "Enter opens her conversation"
check "the lookups are audited as A's" test \
    "$(db "SELECT count(*) FROM audit a JOIN agents g ON g.id = a.agent_id WHERE a.action = 'conv.find' AND g.name = 'si_t_swa'")" -ge 3
si audit show --action conv.find --detail --purpose "tui test" --json \
    >"$T/audit.json" 2>&1
check_contains "the number lookup says how many digits" \
    "number ending (4 digits)" "$(cat "$T/audit.json")"
check "never which" sh -c "! jq -r '.records[].detail' $T/audit.json | grep -q 4711"
check_eq "1-3 digits are not looked up (nor audited)" 0 \
    "$(jq '[.records[] | select((.detail // "") | test("[(][123] digits"))] | length' "$T/audit.json")"

# --- the canned picker: shortcut before title before text ---
key a r
see a "reply" "r starts a reply" 2>/dev/null
key a /
see a "canned reply" "/ on an empty draft opens the canned picker"
typeit a track
check_contains "/tracking is first for 'track'" "> /tracking" \
    "$(screen a | grep '> /' | head -n 1)"
see a "/damaged" "/damaged (its text says track) still shows, below"
key a Escape
key a C-c

tm kill-session -t a
tm kill-session -t b
no_sanitizer_report
si_stop
si_done
