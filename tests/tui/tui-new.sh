#!/bin/sh
# Issue 15: N, starting a conversation in the full-screen client. The
# agent types a number as the customer gave it ("0151 2345678"), sees it
# normalised and grouped, picks an approved template (a paused one is not
# offered), fills its parameter, sees exactly what the customer receives,
# confirms, and the new conversation opens; the simulator received the
# template. A second agent (another Unix user) sees the conversation appear
# assigned to the first. Then N with a name picks a known contact, and a
# refused start (marketing without consent) is explained on the status
# line. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_phng
si_user si_t_phna "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[contacts]
default_country = DE
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_phna >/dev/null
si templates sync >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

inbound 491510000301 "Olga Brandt" "Ist mein Paket da?"

start w 120 40
check "the client starts" wait_for w "Olga Brandt"
start_as si_t_phna "$GRP" v 120 40
check "the second agent's client starts" wait_for v "Olga Brandt"
check "both are subscribed" si_until si_subscribers 2

# --- N, a number typed the German way ---
key w N
see w "new conversation: type a number" "N opens the new-conversation picker"
typeit w "0151 2345678"
see w "write to +49 151 2345678" "the number is shown normalised and grouped"
key w Enter
see w "template for a new conversation" "then the template picker"
see w "sample_shipping_confirmation (en_US) UTILITY" \
    "it lists approved templates with their category"
see w "UTILITY  Your package has been sh" "and each template's text"
see w "this is a reminder of your appointment on {{2}}" \
    "the selected one's whole text in the preview"
if screen w | grep -q feedback_survey; then
	not_ok "a paused template is not offered"
else
	ok "a paused template is not offered"
fi
typeit w "shipping"
key w Enter
see w "of 1 (body)" "the parameter is asked for"
see w "the value goes at" "with the template's text above it"
typeit w "3"
key w Enter
see w "exactly what the customer receives" "the preview comes before sending"
see w "delivered in 3 business days" "the preview has the value filled in"
see w "send template sample_shipping_confirmation to +49 151 2345678?" \
    "and asks, naming the grouped number"
typeit w y
key w Enter
C=""
i=0
while [ -z "$C" ] && [ $i -lt 150 ]; do
	C=$(si list all --json | jq -r '.rows[] |
	    select(.phone_masked != null and (.phone_masked | endswith("78"))) |
	    .id' | head -n 1)
	[ -n "$C" ] || sleep 0.1
	i=$((i + 1))
done
check "the daemon has the new conversation" test -n "$C"
see w "started: the template is queued" "the status line says it started"
check_eq "it is assigned to the agent who started it" root \
    "$(si show "$C" --json | jq -r .conversation.assignee)"
check "the simulator received the template for +491512345678" si_until \
    sh -c "curl -s $SIMURL/_sim/requests | jq -e '.bodies[] |
    select(.to == \"+491512345678\" and .template.name ==
    \"sample_shipping_confirmation\")'"
check "the preview is gone" wait_gone w "exactly what the customer receives"
see w "Your package has been shipped. It will be delivered in 3" \
    "the new conversation opens with the message"
see v "[root]" "the other agent sees it appear, assigned to the first"
check_eq "the other agent's list has it (daemon)" root \
    "$(runuser -u si_t_phna -- "$SIC" -c "$T/si.conf" list all --json |
    jq -r --argjson c "$C" '.rows[] | select(.id == $c) | .assignee')"

# --- N, a known contact by name; a refusal is explained ---
key w Escape
key w N
see w "new conversation: type a number" "N again"
typeit w "Olga"
see w "Olga Brandt  #" "a known contact is offered by name"
key w Enter
see w "template for a new conversation" "then the template picker"
typeit w "hello_world"
key w Enter
see w "send template hello_world to Olga Brandt?" \
    "the confirmation names the contact"
typeit w y
key w Enter
see w "no recorded marketing opt-in" \
    "a marketing template without consent: refused, explained"

# --- a bad number is no row: nothing to pick ---
key w N
see w "new conversation: type a number" "N once more"
typeit w "0151 CALL"
see w "0151 CALL" "the filter shows what was typed"
if screen w | grep -q "write to"; then
	not_ok "letters give no number to write to"
else
	ok "letters give no number to write to"
fi
key w Escape

key w Q
see w "client exit 0" "the client quits cleanly"
tm send-keys -t v Q
see v "client exit 0" "the second client quits cleanly"
no_sanitizer_report
si_stop
si_done
