#!/bin/sh
# Purpose and restriction on every read path (issue 11.2): note.list,
# canned.render (with {{contact.name}}) and consent.show go through the same
# gate as conv.show (another agent's conversation needs a purpose, which is
# audited; a restricted contact is refused to agents), and search never
# returns a restricted contact's text, snippet or name.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-rgate
si_user si_t_rgate si-rgate
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_rgate >/dev/null
msg() {	# FROM NAME WAMID TEXT
	jq -n --arg f "$1" --arg n "$2" --arg w "$3" --arg t "$4" \
	    --arg ts "$(date +%s)" '{object: "whatsapp_business_account",
	    entry: [{id: "102290129340398", changes: [{field: "messages",
	    value: {messaging_product: "whatsapp", metadata:
	    {display_phone_number: "15550001111", phone_number_id:
	    "106540352242922"}, contacts: [{profile: {name: $n}, wa_id: $f}],
	    messages: [{from: $f, id: $w, timestamp: $ts, type: "text",
	    text: {body: $t}}]}}]}]}' >"$T/m.json"
	si_post "$T/m.json"
}
check_eq "customer A writes" 200 \
    "$(msg 4915112340010 "Agathe Gatekeeper" wamid.RG1 "alphaword order 1")"
check_eq "customer B writes" 200 \
    "$(msg 4915112340011 "Bruno Restrictus" wamid.RG2 "betaword secret")"
ca=$(si list all --json | jq -r '.rows[] | select(.name == "Agathe Gatekeeper") | .id')
cb=$(si list all --json | jq -r '.rows[] | select(.name == "Bruno Restrictus") | .id')
kb=$(si list all --json | jq -r --argjson c "$cb" '.rows[] | select(.id == $c) | .contact_id')
si assign "$ca" me >/dev/null		# A is the admin's, not the agent's
si note add "$ca" "customer prefers calls" >/dev/null
si canned add hi --title Hi --body "Hallo {{contact.name}}" >/dev/null
si privacy restrict "contact:$kb" on --reason "Art. 18 dispute" --yes \
    >/dev/null
si_search_ready
ag() { si_as si_t_rgate "$@" 2>&1; }
db="$T/data/support-inbox.db"
opens() {	# records of ACTION by the agent
	sqlite3 "$db" "SELECT count(*) FROM audit a JOIN agents g ON
	    g.id = a.agent_id WHERE a.action = '$1' AND g.name = 'si_t_rgate'
	    AND a.result = '$2'"
}

# note.list
out=$(ag note list "$ca")
check_contains "note list of another agent's conversation needs a purpose" \
    "purpose" "$out"
case "$out" in *"prefers calls"*) not_ok "and shows no note" ;;
*) ok "and shows no note" ;; esac
check_contains "with a purpose it lists the notes" "prefers calls" \
    "$(ag note list "$ca" --purpose "customer called back")"
check_eq "that read is audited" 1 "$(opens note.list ok)"
# conv.show with the notes (one round trip for the TUI): the same gate
out=$(ag call conv.show "{\"id\":$ca,\"notes\":true}")
check_contains "conv.show with notes of another agent's conversation needs a purpose" \
    "purpose" "$out"
case "$out" in *"prefers calls"*) not_ok "and gives no note" ;;
*) ok "and gives no note" ;; esac
out=$(ag call conv.show "{\"id\":$ca,\"notes\":true,\"purpose\":\"customer called\"}")
check_eq "with a purpose it gives the notes with the messages" \
    "customer prefers calls" "$(echo "$out" | jq -r '.notes[0].body')"
check_eq "one conversation.open record covers both" 1 \
    "$(opens conversation.open ok)"
check_eq "and no note.list record of its own" 1 "$(opens note.list ok)"

# canned.render with the customer's name
out=$(ag call canned.render "{\"shortcut\":\"hi\",\"conversation\":$ca}")
check_contains "canned render in another agent's conversation needs a purpose" \
    "purpose" "$out"
case "$out" in *Agathe*) not_ok "and gives no name" ;;
*) ok "and gives no name" ;; esac
check_contains "with a purpose it renders the name" "Hallo Agathe" \
    "$(ag call canned.render "{\"shortcut\":\"hi\",\"conversation\":$ca,\"purpose\":\"reply for a colleague\"}")"
out=$(ag call canned.render "{\"shortcut\":\"hi\",\"conversation\":$cb}")
check_contains "a restricted contact's name is refused to an agent" \
    "restricted" "$out"
case "$out" in *Bruno*) not_ok "and not shown" ;;
*) ok "and not shown" ;; esac
check_contains "the CLI's canned render takes --purpose" "Hallo Agathe" \
    "$(ag canned render hi "$ca" --purpose "reply for a colleague")"

# consent.show
out=$(ag consent show "conv:$ca")
check_contains "consent show of another agent's customer needs a purpose" \
    "purpose" "$out"
check_contains "with a purpose it answers" "marketing" \
    "$(ag consent show "conv:$ca" --purpose "customer asked")"

# search: nothing of a restricted contact
check_eq "an agent's search finds A's text" 1 \
    "$(si_as si_t_rgate search alphaword --json | jq '.rows | length')"
check_eq "but not B's text" 0 \
    "$(si_as si_t_rgate search betaword --json | jq '.rows | length')"
check_eq "nor B's name" 0 \
    "$(si_as si_t_rgate search Restrictus --json | jq '.rows | length')"
check_eq "nor does an admin's search" 0 \
    "$(si search betaword --json | jq '.rows | length')"
si privacy restrict "contact:$kb" off --reason "resolved" --yes >/dev/null
check_eq "lifted, B's text is found again" 1 \
    "$(si search betaword --json | jq '.rows | length')"
si_stop
si_done
