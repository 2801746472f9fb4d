#!/bin/sh
# Interactive messages in the full-screen client (issue 16): an agent
# sends reply buttons and a list from the composer (/buttons, /list and
# /row lines after the text); the thread shows them as buttons and rows;
# the customer's button reply shows as such, quoting the question, on the
# sender's screen and on a second agent's. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_interg
si_user si_t_intera "$GRP"
si_user si_t_interb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
export SI_TEST_CLOCK="$T/clock"
echo "+0" >"$SI_TEST_CLOCK"
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_intera >/dev/null
si agent add si_t_interb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

as_a() {
	setpriv --reuid=si_t_intera --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
answer() {
	curl -s -XPOST "$SIMURL/_sim/reply" -d "{\"from\":\"491510000301\",\
\"name\":\"Ida Kunde\",\"kind\":\"$1\",\"context\":\"$2\",\"id\":\"$3\",\
\"title\":\"$4\",\"wait\":true}" >/dev/null
}

inbound 491510000301 "Ida Kunde" "Mein Paket ist nicht da"
C=$(si list all --json | jq -r '.rows[0].id')
as_a assign "$C" si_t_intera >/dev/null 2>&1 || si assign "$C" si_t_intera >/dev/null

start_as si_t_intera "$GRP" a 120 40
start_as si_t_interb "$GRP" b 120 40
check "the first agent's client starts" wait_for a "Ida Kunde"
check "the second agent's client starts" wait_for b "Ida Kunde"
goto a "Ida Kunde"
key a Enter
see a "24h window" "the first agent opens the thread"
goto b "Ida Kunde"
key b Enter
see b "purpose for looking" "the second agent is asked why (not theirs)"
typeit b "helping a colleague"
key b Enter
see b "24h window" "the second agent opens the thread too"
see b "Mein Paket ist nicht da" "the second agent reads it"

# --- reply buttons from the composer ---
key a r
typeit a "Hat das geholfen?"
key a C-j
typeit a "/buttons Ja|Nein|Vielleicht"
key a Enter
see a "[Ja] [Nein] [Vielleicht]" "the thread shows the buttons"
sent_b() { simreq | jq -e '.bodies[] | select(.type == "interactive" and .interactive.type == "button")'; }
check "the simulator received reply buttons" si_until sent_b
check_eq "with the body and the three buttons" "Hat das geholfen? Ja,Nein,Vielleicht" \
    "$(simreq | jq -r '[.bodies[] | select(.type == "interactive")][0].interactive | "\(.body.text) \([.action.buttons[].reply.title] | join(","))"')"
check_eq "the composer line is not part of the text" 0 \
    "$(simreq | jq '[.bodies[] | select(.type == "interactive") | .interactive.body.text | select(contains("/buttons"))] | length')"
see b "[Ja] [Nein] [Vielleicht]" "the second agent sees the buttons"
M=$(si show "$C" --purpose t --json | jq -r '[.messages[] | select(.type == "interactive" and .direction == "out")][0].id')
check_eq "stored as an interactive message" "Ja,Nein,Vielleicht" \
    "$(si show "$C" --purpose t --json | jq -r --argjson m "$M" '.messages[] | select(.id == $m) | [.body.interactive.buttons[].id] | join(",")')"

# --- a list from the composer (it keeps the focus after a send) ---
typeit a "Wie sollen wir liefern?"
key a C-j
typeit a "/list Versand wählen"
key a C-j
typeit a "/row std:Standard:3 bis 5 Werktage"
key a C-j
typeit a "/row exp:Express"
key a Enter
see a "Versand wählen]" "the thread shows the list's button"
see a "- Standard: 3 bis 5 Werktage" "and its rows"
sent_l() { simreq | jq -e '.bodies[] | select(.type == "interactive" and .interactive.type == "list")'; }
check "the simulator received the list" si_until sent_l
check_eq "with its rows" "Versand wählen std,exp" \
    "$(simreq | jq -r '[.bodies[] | select(.interactive.type == "list")][0].interactive.action | "\(.button) \([.sections[0].rows[].id] | join(","))"')"

# --- a refused one keeps the draft ---
typeit a "Frage?"
key a C-j
typeit a "/buttons A|B|C|D"
key a Enter
see a "1 to 3 buttons" "four buttons are refused with Meta's limit"
see a "/buttons A|B|C|D" "the draft is kept to fix"
key a C-c
key a Escape

# --- the customer taps a button ---
WB=$(simreq | jq -r '[.log[] | select(.wamid)][0].wamid')
answer button "$WB" Ja Ja
want='Ja (button reply to "Hat das geholfen?")'
see a "$want" "the button reply shows as such, quoting the question"
see b "$want" "on the second agent's screen too"
check_eq "stored with its option and the message it answers" "button Ja Ja $M" \
    "$(si show "$C" --purpose t --json | jq -r '[.messages[] | select(.body.answer)][0].body.answer | "\(.kind) \(.id) \(.title) \(.to_msg)"')"
check_eq "the list's preview names the reply" "[button reply] Ja" \
    "$(as_a list all --json | jq -r --argjson c "$C" '.rows[] | select(.id == $c) | .preview')"

tm kill-session -t a
tm kill-session -t b
no_sanitizer_report
si_done
