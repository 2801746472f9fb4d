#!/bin/sh
# The actions an agent takes in the full-screen client, each through its
# key and checked both on the screen and in the daemon: claim, assign (the
# picker), priority, label, note with a mention, snooze, bulk resolve of
# marked conversations, reopen, search (Enter opens at the match), a
# purpose asked for another agent's conversation, presence, the contact
# panel and revealing the number, the collision guard, a quoted reply, a
# customer's reaction, a mention by the other agent, and the command line
# (:open N, completion, history). A second Unix user is the other agent.
# Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_tuig
si_user si_t_tuia "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_tuia >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
audits() { db "SELECT count(*) FROM audit WHERE action = '$1'${2:+ AND $2}"; }
as_tuia() {
	setpriv --reuid=si_t_tuia --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
# conv NAME: the id of the customer's conversation
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
field() { si show "$1" --purpose "test check" --json | jq -r ".conversation.$2"; }

inbound 491510000201 "Anna Schmidt" "Wo bleibt meine Bestellung 4711?"
inbound 491510000202 "Bernd Meier" "Die Rechnung ist falsch"
inbound 491510000203 "Carla Rossi" "Hello, do you ship to Italy?"
inbound 491510000204 "Dora Weiss" "Kann ich umtauschen?"
inbound 491510000205 "Emil Berg" "Danke!"
si label create vip >/dev/null
A=$(conv "Anna Schmidt"); B=$(conv "Bernd Meier"); C=$(conv "Carla Rossi")
D=$(conv "Dora Weiss"); E=$(conv "Emil Berg")

start w 120 40
check "the client starts" wait_for w "1:Open 5"

# --- claim, assign, priority, label, note: from the list ---
goto w "Anna Schmidt"
key w a
check "a claims the conversation under the cursor" si_until \
    sh -c "[ \"\$($SIC -c $T/si.conf show $A --json | jq -r .conversation.assignee)\" = root ]"
see w "[root]" "the list shows the new assignee"
goto w "Bernd Meier"
key w A
see w "assign to" "A opens the assign picker"
see w "si_t_tuia" "which lists the agents"
typeit w "tuia"
key w Enter
check "picking an agent assigns to them" si_until \
    sh -c "[ \"\$($SIC -c $T/si.conf show $B --purpose t --json | jq -r .conversation.assignee)\" = si_t_tuia ]"
see w "[si_t_tuia]" "the list shows it"
goto w "Anna Schmidt"
key w p
see w "+ priority +" "p opens the priority picker"
key w Enter
check "urgent is set" si_until sh -c "[ \"\$($SIC -c $T/si.conf show $A --json | jq -r .conversation.priority)\" = urgent ]"
see w "!!" "an urgent conversation is marked in the list (a non-colour cue)"
key w L
see w "+ label" "L opens the label picker"
typeit w vip
key w Enter
check "the label is added" si_until sh -c "$SIC -c $T/si.conf list label:vip --json | jq -e '.rows[] | select(.id == $A)'"
key w "!"
see w "internal note (not sent to the customer):" "! asks for an internal note"
typeit w "Ruft morgen an, @si_t_tuia bitte übernehmen"
key w Enter
check "the note is stored, with its mention" si_until sh -c \
    "[ \"\$(sqlite3 $T/data/support-inbox.db \"SELECT count(*) FROM audit WHERE action = 'note.mention'\")\" = 1 ]"
key w Enter
see w "NOTE by root (internal, not sent)" "the thread shows the note as internal"
see w "#vip" "the thread's header shows the label"
check_eq "a note is never sent to the customer" 0 \
    "$(simreq | jq '[.bodies[] | select(.type == "text")] | length')"
key w q

# --- snooze, bulk resolve of marked rows, reopen ---
goto w "Carla Rossi"
key w s
see w "snooze until" "s asks until when"
typeit w 2h
key w Enter
check "the conversation is snoozed for two hours" si_until sh -c \
    "[ \"\$($SIC -c $T/si.conf show $C --json | jq -r .conversation.state)\" = snoozed ]"
until=$(si show "$C" --json | jq -r .conversation.snooze_until)
now=$(date +%s)
check "until about two hours from now" test $((until - now)) -gt 7000 -a $((until - now)) -lt 7300
key w 5
see w "[5:Snoozed 1]" "the snoozed tab counts it"
key w 1
see w "[1:Open 4]" "back in the open view"
goto w "Dora Weiss" && key w Space
goto w "Emil Berg" && key w Space
see w "marked:2" "Space marks conversations"
key w x
check "x resolves every marked conversation" si_until sh -c \
    "[ \"\$($SIC -c $T/si.conf show $D --json | jq -r .conversation.state) \$($SIC -c $T/si.conf show $E --json | jq -r .conversation.state)\" = 'resolved resolved' ]"
check_eq "each is audited by itself" 2 \
    "$(audits conversation.resolve)"
key w 6
see w "[6:Resolved 2]" "the resolved view lists them"
goto w "Emil Berg"
key w o
check "o reopens" si_until sh -c "[ \"\$($SIC -c $T/si.conf show $E --json | jq -r .conversation.state)\" = open ]"
key w 1

# --- search; a purpose for another agent's conversation ---
key w /
see w "search:" "/ asks for a search"
typeit w Rechnung
key w Enter
see w "[search: Rechnung]" "the results replace the list"
see w "[Rechnung]" "with the matching words marked"
key w Enter
see w "purpose for looking (it is logged):" \
    "opening another agent's conversation asks for a purpose"
key w Escape
see w "not opened: no purpose was given" "Esc leaves it closed, and says so"
key w Enter
see w "purpose for looking" "asked again"
typeit w "Kundin ruft wegen Rechnung an"
key w Enter
see w "Die Rechnung ist falsch" "with a purpose it opens at the match"
check_eq "the purpose is in the audit record" "Kundin ruft wegen Rechnung an" \
    "$(si audit export --action conversation.open --detail --purpose \
    "tui test" | jq -r --argjson b "$B" 'select(.object_id == $b and
    .result == "ok" and .agent == "root") | .purpose' |
    grep '^Kundin' | head -n 1)"
check_eq "the refusals are audited too" 2 \
    "$(audits conversation.open "object_id = $B AND result = 'denied'")"
inbound 491510000202 "Bernd Meier" "Hallo? Noch da?"
see w "Hallo? Noch da?" "a new message in it shows without asking again"
key w q
key w 1

# --- presence, contact panel, reveal ---
goto w "Anna Schmidt"
key w Enter
see w "24h window" "Enter opens the thread"
as_tuia presence set "$A" typing --hold 4s >/dev/null 2>&1 &
si_pids="$si_pids $!"
see w "si_t_tuia is typing" "the thread shows who is typing"
see w "si_t_tuia typing" "and so does the list"
key w i
see w "(masked)" "i shows the contact panel with the number masked"
see w "first seen 20" "and when the customer was first seen"
key w P
see w "+491510000201 (revealed)" "P reveals the number"
check_eq "revealing is audited" 1 "$(audits contact.reveal)"
key w i

# --- collision guard, then sending anyway ---
key w r
typeit w "Ihre Bestellung ist unterwegs"
inbound 491510000201 "Anna Schmidt" "Hat sich erledigt, danke"
key w Enter
see w "the customer wrote again" "a reply begun before a new message is held back"
see w "Hat sich erledigt, danke" "and the new message is shown"
see w "> Ihre Bestellung ist unterwegs" "the draft is kept"
check_eq "nothing was sent" 0 "$(simreq | jq '[.bodies[] | select(.type == "text")] | length')"
key w Enter
sent() { simreq | jq -e '.bodies[] | select(.text.body == "Ihre Bestellung ist unterwegs")'; }
check "Enter again sends it anyway" si_until sent
# (the client has taken the answer once its reply shows: after a send the
# thread follows the bottom, so moving before that would be undone)
wait_for w "> root" >/dev/null
# and the simulator's statuses for it (sent, delivered, read: a refresh
# each) have come, so no refresh is still on its way when the keys below are
wait_for w "✓✓ read" >/dev/null

# --- a quoted reply ---
key w Escape
check "Esc leaves the composer for the thread" wait_for w " THREAD "
key w G
key w k
key w R
see w "reply quoting: Hat sich erledigt" "R quotes the selected message"
typeit w "Gern geschehen"
key w Enter
quoted() { simreq | jq -e '.bodies[] | select(.text.body == "Gern geschehen") | .context.message_id | startswith("wamid.")'; }
check "the reply goes with the quoted message's id" si_until quoted
key w Escape

# --- a reaction from the customer ---
wamid=$(si show "$A" --json | jq -r '[.messages[] | select(.direction == "in")][0].body.wamid // empty')
jq --arg w "$wamid" '.entry[0].changes[0].value.messages[0].reaction.message_id = $w |
    .entry[0].changes[0].value.messages[0].from = "491510000201" |
    .entry[0].changes[0].value.contacts[0].wa_id = "491510000201" |
    .entry[0].changes[0].value.messages[0].id = "wamid.TUIREACT1"' \
    "$SI_FIXTURES/webhook-reaction.json" >"$T/react.json"
check_eq "the reaction webhook is accepted" 200 "$(si_post "$T/react.json")"
emoji=$(jq -r '.entry[0].changes[0].value.messages[0].reaction.emoji' "$T/react.json")
see w "reaction" "the thread shows the customer's reaction"
see w "$emoji" "with its emoji"

# --- a mention from the other agent; :open N ---
key w q
as_tuia note add "$C" "@root bitte Rückruf übernehmen" >/dev/null
see w "si_t_tuia mentioned you in a note on conversation $C (:open $C)" \
    "a mention of me shows at once, with how to get there"
key w :
typeit w "open $C"
key w Enter
see w "bitte Rückruf übernehmen" ":open N opens that conversation, with the note"
key w q

# --- the command line: completion and history ---
key w :
typeit w "vie"
key w Tab
see w ":view" ": completes command names"
typeit w "pending"
key w Enter
see w "[7:Pending" "and runs them"
key w :
key w Up
see w ":view pending" "Up recalls the last command"
key w Escape
key w 1

# --- one time syntax: a snooze typed in the client and given to the CLI ---
snoozed() { [ "$(field "$1" state)" = snoozed ]; }
key w 4
see w "[4:All" "the all view lists every conversation"
check "the cursor goes to Dora" goto w "Dora Weiss"
key w s
typeit w "monday 9:00"
key w Enter
check "s with 'monday 9:00' snoozes" si_until snoozed "$D"
check "the CLI with the same words" quiet si snooze "$A" monday 9:00
check_eq "gives the same time" "$(field "$D" snooze_until)" \
    "$(field "$A" snooze_until)"
check "the cursor goes to Emil" goto w "Emil Berg"
key w :
typeit w "snooze 2030-12-24 08:00"
key w Enter
check ":snooze with a date and time snoozes" si_until snoozed "$E"
check "the CLI's --until with the same words" quiet \
    si snooze "$A" --until "2030-12-24 08:00"
check_eq "gives the same time" "$(field "$E" snooze_until)" \
    "$(field "$A" snooze_until)"
key w :
typeit w "snooze someday"
key w Enter
see w "snooze: not a time: say 2h" "a word that is no time is refused, saying what is"
key w s
typeit w "2020-01-01"
key w Enter
see w "snooze: that time has passed" "and so is a time past"

check "the audit chain verifies" quiet si audit verify
key w Q
check "Q quits" wait_for w "client exit 0"
no_sanitizer_report
si_done
