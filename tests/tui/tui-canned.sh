#!/bin/sh
# Issue 13 points 7 and 11 in the full-screen client, two agents side by
# side: a canned reply signed with the agent's display name (not her Unix
# login) reaches the customer; {{ask:...}} fields are asked for at send
# time; the unfilled warning names only what really stayed empty; the
# template picker shows each template's text, each parameter prompt shows
# where the value goes, a preview of the exact text comes before sending,
# and the thread and list then show the text the customer received; the
# composer wraps at word boundaries at 80 columns. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_cang
si_user si_t_cana "$GRP"
si_user si_t_canb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[business]
name = Shop Rosa

# the previews of colleagues\' rows are what is checked here
[privacy]
list_previews = all
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_cana >/dev/null
si agent add si_t_canb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

as() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# open NAME CONV: opens conversation CONV with ":open" and waits for it.
open_conv() {
	key "$1" :
	wait_for "$1" ":" >/dev/null
	typeit "$1" "open $2"
	key "$1" Enter
	wait_for "$1" "$3"
}
lastsent() { simreq | jq -r '[.bodies[] | select(.type == "text")][-1].text.body // ""'; }

as si_t_cana agent name si_t_cana "Maya K." >/dev/null
inbound 491510000401 "Rosa Klein" "Wo ist mein Paket?"
sed 's/Edda Marlowe/Olga Altkundin/' "$SI_FIXTURES/webhook-text.json" \
    >"$T/old.json"
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
    --body-file "$T/old.json" >/dev/null 2>&1
R=$(conv "Rosa Klein"); O=$(conv "Olga Altkundin")
as si_t_cana assign "$R" me >/dev/null
as si_t_cana assign "$O" me >/dev/null
si canned add track --title Sendungsnummer --body 'Hallo {{contact.first_name}}, Ihre Sendungsnummer ist {{ask:tracking number}}. Viele Grüße, {{agent.name}} von {{business.name}}' >/dev/null
si canned add thanks --title Danke --body 'Danke, {{contact.first_name | "liebe Kundin"}}! {{agent.name}}' >/dev/null
si templates sync >/dev/null
si_until sh -c "[ \"\$(\"$SIC\" -c \"$T/si.conf\" templates list --json | jq '.templates | length')\" -ge 5 ]"

start_as si_t_cana "$GRP" a 120 40
start_as si_t_canb "$GRP" b 100 30
check "agent a's client is up" wait_for a "1:Open"
check "agent b's client is up" wait_for b "1:Open"

# --- canned reply: display name, a field asked for ---
check "a opens Rosa's conversation" open_conv a "$R" "Wo ist mein Paket?"
key a r
key a /
see a "/track" "/ opens the canned picker"
check_contains "the picker previews the display name, not the login" \
    "Maya K." "$(screen a)"
check_contains "the row says what it will ask for" "asks: tracking number" \
    "$(screen a)"
check_contains "nothing the daemon fills is flagged unfilled" "" \
    "$(screen a | grep -c unfilled | grep -x 0)"
typeit a "track"
wait_for a "/track" >/dev/null
key a Enter
see a "tracking number (1 of 1):" "picking it asks for the tracking number by its words"
typeit a "4711"
key a Enter
see a "Sendungsnummer ist 4711" "the answer is in the draft"
check_contains "the draft is signed with the display name" "Maya K." "$(screen a)"
check "no unfilled warning when everything is filled" sh -c \
    "! tmux -L $TS capture-pane -p -t =a: | grep -q 'fill in before sending'"
key a Enter
sent_maya() { lastsent | grep -q "Ihre Sendungsnummer ist 4711. Viele Grüße, Maya K. von Shop Rosa"; }
check "the customer receives the display name" si_until sent_maya
check "and not the Unix login" sh -c "! curl -s '$SIMURL/_sim/requests' | grep -q 'Grüße, si_t_cana'"

# the second agent sees what went out, in the list
check_contains "agent b's list has it as the row's preview" \
    "Viele Grüße, Maya K." "$(as si_t_canb list all --json | jq -r --argjson c "$R" '.rows[] | select(.id == $c) | .preview')"

# a field left empty is the one thing flagged
wait_gone a "> Hallo Rosa" >/dev/null
key a Escape
key a r
key a /
see a "/track" "the picker again"
typeit a "track"
key a Enter
see a "tracking number (1 of 1):" "asked again"
key a Enter
see a "fill in before sending: {{ask:tracking number}}" \
    "an empty field is flagged, by its name"
check "and only it" sh -c \
    "tmux -L $TS capture-pane -p -t =a: | grep 'fill in before sending' | grep -vq 'agent.name\|first_name\|business'"
key a C-c
key a /
see a "/thanks" "the picker once more"
typeit a "thanks"
key a Enter
see a "> Danke, Rosa! Maya K." "a variable with a fallback fills in"
check "no warning for it" sh -c \
    "! tmux -L $TS capture-pane -p -t =a: | grep -q 'fill in before sending'"
key a C-c
key a Escape

# agent b has no display name: his login signs
key b :
wait_for b ":" >/dev/null
typeit b "open $R"
key b Enter
see b "purpose for looking" "agent b is asked for a purpose (Maya's conversation)"
typeit b "Kollegin vertreten"
key b Enter
see b "24h window" "agent b opens the conversation"
see b "Maya K. von Shop Rosa" "agent b's thread shows the reply as the customer got it"
key b r
key b /
see b "/thanks" "b's picker"
check_contains "b's preview is signed with his login" "Danke, Rosa! si_t_canb" "$(screen b)"
key b Escape
key b Escape

# --- templates: not sent blind ---
key a q
check "a opens Olga's conversation (window closed)" open_conv a "$O" "window closed"
key a t
see a "order_update (de)" "the template picker opens"
check_contains "it shows each template's text" \
    "Hallo {{1}}, deine Bestellung" "$(screen a)"
check_contains "the selected one's whole text below" \
    "Hi {{1}}, this is a reminder of your appointment on {{2}} at" "$(screen a)"
typeit a "order_update (de)"
wait_gone a "appointment_reminder" >/dev/null
key a Enter
see a "{{1}} of 2 (body):" "the first parameter's prompt says which and how many"
see a "Hallo [{{1}}], deine Bestellung {{2}}" "the text shows where the value goes"
typeit a "Olga"
key a Enter
see a "{{2}} of 2 (body):" "the second parameter"
see a "Hallo Olga, deine Bestellung [{{2}}]" "with the first filled and the second marked"
typeit a "A-17"
key a Enter
see a "exactly what the customer receives" "a preview comes before sending"
see a "send template order_update to Olga Altkundin? (y/n)" "and asks"
check_contains "the preview has the exact text" \
    "Hallo Olga, deine Bestellung A-17 ist unterwegs." "$(screen a)"
check_eq "nothing was sent yet" 0 \
    "$(simreq | jq '[.bodies[] | select(.type == "template")] | length')"
typeit a "y"
key a Enter
tsent() { simreq | jq -e '[.bodies[] | select(.type == "template")] | length == 1'; }
check "y sends it" si_until tsent
see a "Hallo Olga, deine Bestellung A-17 ist unterwegs." \
    "the thread shows the text the customer received"
check_eq "so does the daemon" "Hallo Olga, deine Bestellung A-17 ist unterwegs. 🚚" \
    "$(si show "$O" --purpose check --json | jq -r '[.messages[] | select(.body.template != null)][-1].body.text')"
check "a's list row shows it" sh -c \
    "tmux -L $TS capture-pane -p -t =a: | grep -q 'Hallo Olga, deine.*│'"
check_contains "so does agent b's list" "Hallo Olga, deine Bestellung A-17" \
    "$(as si_t_canb list all --json | jq -r --argjson c "$O" '.rows[] | select(.id == $c) | .preview')"

# n at the preview sends nothing
key a t
see a "order_update (de)" "the picker again"
typeit a "order_update (de)"
wait_gone a "appointment_reminder" >/dev/null
key a Enter
see a "{{1}} of 2" "first parameter"
typeit a "X"; key a Enter
see a "{{2}} of 2" "second parameter"
typeit a "Y"; key a Enter
see a "(y/n)" "the question"
typeit a "n"; key a Enter
wait_gone a "(y/n)" >/dev/null
check_eq "n sends nothing" 1 \
    "$(simreq | jq '[.bodies[] | select(.type == "template")] | length')"
check "and the preview is gone" wait_gone a "exactly what the customer receives"
key a q

# --- the composer wraps at word boundaries, at 80 columns ---
tm kill-session -t a
start_as si_t_cana "$GRP" a 80 24
check "agent a at 80 columns" wait_for a "1:Open"
open_conv a "$R" "Wo ist mein Paket?" >/dev/null
key a r
words="wort01 wort02 wort03 wort04 wort05 wort06 wort07 wort08 wort09 wort10 wort11 wort12 wort13 wort14 wort15 wort16 wort17 wort18 wort19 wort20 wort21 wort22 wort23 wort24"
typeit a "$words"
see a "wort24" "the long line is in the composer"
check_eq "every word stays whole on screen (no word cut at the edge)" 24 \
    "$(screen a | grep -o 'wort[0-9][0-9]' | sort -u | wc -l | tr -d ' ')"
check "it takes more than one line" sh -c \
    "[ \$(tmux -L $TS capture-pane -p -t =a: | grep -c 'wort[0-9][0-9]') -ge 2 ]"
key a C-c
wait_gone a "wort24" >/dev/null
typeit a "kurz $(printf 'x%.0s' $(seq 1 100))"
see a "kurz" "a word longer than the line is typed"
check "it is cut (the only hard break): on two lines" sh -c \
    "[ \$(tmux -L $TS capture-pane -p -t =a: | grep -c 'xxxxxxxxxx') -ge 2 ]"
check "and the short word before it keeps its line" sh -c \
    "tmux -L $TS capture-pane -p -t =a: | grep -q '> kurz *\$'"
key a C-c
key a Escape
key a q

tm kill-session -t a
tm kill-session -t b
no_sanitizer_report
si_done
