#!/bin/sh
# What a customer writes reaches an agent's terminal through the CLI without
# control sequences: a name or message carrying OSC 52 (set the clipboard),
# OSC 0 (set the window title), CSI as a C1 byte, a bare carriage return or a
# bidi override is shown cleaned by list, show, note list, search and contact
# show, and stays exact in --json (every such character escaped).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

# Hostile bytes: ESC ] 52 (clipboard), ESC ] 0 (title), a C1 CSI (U+009B,
# bytes C2 9B), a carriage return, RLO (U+202E) and LRI (U+2066).
osc52=$(printf '\033]52;c;cm0gLXJmIH4K\007')
title=$(printf '\033]0;owned\007')
csi=$(printf '\302\2332J')
rlo=$(printf '\342\200\256')
lri=$(printf '\342\201\246')
cr=$(printf 'fake\rline')
name="Eve${title}Mallory${rlo}gpj.exe"
body="hello ${osc52}clip ${csi}wipe ${cr} ${lri}zebracode"
ts=$(date +%s)
jq -n --arg n "$name" --arg b "$body" --arg ts "$ts" '{object:
    "whatsapp_business_account", entry: [{id: "102290129340398", changes:
    [{field: "messages", value: {messaging_product: "whatsapp", metadata:
    {display_phone_number: "15550001111", phone_number_id:
    "106540352242922"}, contacts: [{profile: {name: $n}, wa_id:
    "4915112345678"}], messages: [{from: "4915112345678", id:
    "wamid.CLEAN1", timestamp: $ts, type: "text", text: {body: $b}}]}}]}]}' \
    >"$T/evil.json"
check_eq "the webhook is accepted" 200 "$(si_post "$T/evil.json")"
conv=$(si list all --json | jq -r '.rows[0].id')
check "the conversation is listed" test -n "$conv" -a "$conv" != null
si note add "$conv" "see ${osc52}note ${rlo}x" >/dev/null
contact=$(si show "$conv" --json | jq -r '.conversation.contact_id')

# clean FILE: true when FILE has no ESC, no C1 (C2 80-9F), no bare CR, no
# bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9).
clean() {
	! LC_ALL=C grep -qP '\x1b|\r|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$1"
}

si list all >"$T/list.out" 2>&1
check "list: no control sequences" clean "$T/list.out"
check_contains "list: the name is shown, cleaned" "Eve?]0;owned?Mall" \
    "$(cat "$T/list.out")"
si show "$conv" >"$T/show.out" 2>&1
check "show: no control sequences" clean "$T/show.out"
check_contains "show: the text around them is kept" "zebracode" \
    "$(cat "$T/show.out")"
check_contains "show: the escape is shown as ?" "hello ?]52;c;" \
    "$(cat "$T/show.out")"
si note list "$conv" >"$T/note.out" 2>&1
check "note list: no control sequences" clean "$T/note.out"
check_contains "note list: the note is shown" "note" "$(cat "$T/note.out")"
si_search_ready
si search hello >"$T/search.out" 2>&1
check "search: no control sequences" clean "$T/search.out"
check_contains "search: found, the name cleaned" "Eve?]0;owned?" \
    "$(cat "$T/search.out")"
if [ "$contact" != null ]; then
	si contact show "contact:$contact" >"$T/contact.out" 2>&1
	check "contact show: no control sequences" clean "$T/contact.out"
	check_contains "contact show: the name is shown" "Mallory" \
	    "$(cat "$T/contact.out")"
else
	not_ok "show --json names the contact"
fi
si events --count 1 --timeout 1s >/dev/null 2>&1
# An error message quoting what the agent typed is cleaned too.
si show "x${osc52}" >"$T/err.out" 2>&1
check "errors: no control sequences" clean "$T/err.out"

# --json stays exact: the characters come back escaped, and decode to the
# very bytes the customer sent.
si show "$conv" --json >"$T/show.json"
check "json: ASCII only" clean "$T/show.json"
check_contains "json: the escape is kept, escaped" '\u001B]52;c;' \
    "$(cat "$T/show.json")"
check_contains "json: the C1 byte is kept, escaped" '\u009B2J' \
    "$(cat "$T/show.json")"
check_contains "json: the bidi override is kept, escaped" '\u202E' \
    "$(si list all --json)"
got=$(jq -r '.messages[] | select(.body.text != null) | .body.text' \
    "$T/show.json" | head -n 1)
check_eq "json: decodes to exactly what was sent" "$body" "$got"
si_stop
si_done
