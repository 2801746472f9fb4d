#!/bin/sh
# Issue 13 points 6 and 9, at the daemon: conv.handover under both
# [assign] handover policies, conv.handover_answer, conv.takeover (role and
# confirmation), opening from a mention (via_mention: the mention is the
# logged purpose, checked against the caller's mentions) and contact.show's
# context with previews behind the read gate. Refusals are audited, inputs
# bounded.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-hand
si_user si_t_hoa si-hand
si_user si_t_hob si-hand
si_user si_t_hos si-hand
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_hoa >/dev/null
si agent add si_t_hob >/dev/null
si agent add si_t_hos --role supervisor >/dev/null
db="$T/data/support-inbox.db"
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
call() {	# USER METHOD JSON: the raw answer (result or error)
	si_as "$1" call "$2" "$3" 2>&1
}
audits() {	# ACTION RESULT [AGENT]: how many records
	sqlite3 "$db" "SELECT count(*) FROM audit a LEFT JOIN agents g ON
	    g.id = a.agent_id WHERE a.action = '$1' AND a.result = '$2'
	    ${3:+AND g.name = '$3'}"
}
assignee() {
	sqlite3 "$db" "SELECT coalesce(a.name, 'none') FROM conversations c
	    LEFT JOIN agents a ON a.id = c.assignee_id WHERE c.id = $1"
}
events() {	# USER FILE: that user's events, in the background
	setpriv --reuid="$1" --regid=si-hand --init-groups "$SIC" \
	    -c "$T/si.conf" events --timeout 60s >"$2" 2>/dev/null &
	si_pids="$si_pids $!"
	si_until si_file_has "$2" subscribed
}

check_eq "customer writes" 200 \
    "$(msg 4915112340040 "Hanna Hand" wamid.HO1 "where is my parcel")"
c1=$(si list all --json | jq -r '.rows[] | select(.name == "Hanna Hand") | .id')

# --- direct (the default) ---
out=$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":\"si_t_hob\"}")
check_contains "handing over what is not yours is refused" "not assigned to you" "$out"
check_eq "and audited" 1 "$(audits conversation.handover denied si_t_hoa)"
si_as si_t_hoa assign "$c1" me >/dev/null
check_contains "to nobody known: not found" "no active agent" \
    "$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":\"si_t_nobody\"}")"
check_contains "to yourself: refused" "yourself" \
    "$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":\"si_t_hoa\"}")"
long=$(head -c 1001 /dev/zero | tr '\0' x)
check_contains "a note over 1000 bytes is refused" "longer than 1000" \
    "$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":\"si_t_hob\",\"note\":\"$long\"}")"
check_contains "a name that is not a string is refused" "must be a string" \
    "$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":17}")"
check_eq "nothing changed" si_t_hoa "$(assignee "$c1")"
events si_t_hob "$T/ev-b.out"
out=$(call si_t_hoa conv.handover "{\"id\":$c1,\"to\":\"si_t_hob\",\"note\":\"customer waits for the refund\"}")
check_eq "direct: handed over at once" false "$(echo "$out" | jq .request)"
check_eq "the colleague holds it" si_t_hob "$(assignee "$c1")"
check "the colleague is told" si_until si_file_has "$T/ev-b.out" '"handover"'
check_contains "with who handed it" '"from":"si_t_hoa"' "$(grep '"handover"' "$T/ev-b.out")"
check_eq "audited with whom" 1 "$(sqlite3 "$db" "SELECT count(*) FROM audit
    WHERE action = 'conversation.handover' AND result = 'ok'")"
check_contains "the note is kept as a note" "customer waits for the refund" \
    "$(si note list "$c1" --purpose "test check")"
check_contains "answering when nobody asked is refused" "nobody asked" \
    "$(call si_t_hoa conv.handover_answer "{\"id\":$c1,\"accept\":true}")"
check_eq "and audited" 1 "$(audits conversation.handover_answer denied si_t_hoa)"

# --- a bad policy is refused, then request ---
si_stop
cp "$T/si.conf" "$T/good.conf"
printf '\n[assign]\nhandover = sideways\n' >>"$T/si.conf"
out=$("$SID" -c "$T/si.conf" 2>&1)
check_contains "an unknown handover policy stops the daemon" \
    "[assign] handover expects direct or request, not 'sideways'" "$out"
cp "$T/good.conf" "$T/si.conf"
printf '\n[assign]\nhandover = request\n\n[inbox]\nreopen_policy = new\n' \
    >>"$T/si.conf"
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
events si_t_hoa "$T/ev-a.out"
events si_t_hob "$T/ev-b2.out"
out=$(call si_t_hob conv.handover "{\"id\":$c1,\"to\":\"si_t_hoa\"}")
check_eq "request: asked, not moved" true "$(echo "$out" | jq .request)"
check_eq "it stays with the requester" si_t_hob "$(assignee "$c1")"
check "the colleague is asked" si_until si_file_has "$T/ev-a.out" '"request":true'
check_eq "the request waits in conv.handovers" "$c1" \
    "$(call si_t_hoa conv.handovers '{}' | jq '.requests[0].conversation')"
check_contains "only the colleague asked may answer" "nobody asked" \
    "$(call si_t_hos conv.handover_answer "{\"id\":$c1,\"accept\":true}")"
check_contains "accept must be a boolean" "accept" \
    "$(call si_t_hoa conv.handover_answer "{\"id\":$c1,\"accept\":\"yes\"}")"
out=$(call si_t_hoa conv.handover_answer "{\"id\":$c1,\"accept\":false}")
check_eq "declined" false "$(echo "$out" | jq .accepted)"
check_eq "it stays" si_t_hob "$(assignee "$c1")"
check "the requester is told of the decline" si_until si_file_has "$T/ev-b2.out" '"accepted":false'
call si_t_hob conv.handover "{\"id\":$c1,\"to\":\"si_t_hoa\"}" >/dev/null
out=$(call si_t_hoa conv.handover_answer "{\"id\":$c1,\"accept\":true}")
check_eq "accepted" true "$(echo "$out" | jq .accepted)"
check_eq "now the colleague's" si_t_hoa "$(assignee "$c1")"
check "the requester is told of the accept" si_until si_file_has "$T/ev-b2.out" '"accepted":true'
check_eq "both answers audited" 2 "$(audits conversation.handover_answer ok si_t_hoa)"
check_eq "and nothing waits any more" 0 \
    "$(call si_t_hoa conv.handovers '{}' | jq '.requests | length')"

# --- takeover ---
check_contains "an agent cannot take over" "supervisor" \
    "$(call si_t_hob conv.takeover "{\"id\":$c1,\"takeover\":true}")"
check_contains "a supervisor must confirm" "takeover" \
    "$(call si_t_hos conv.takeover "{\"id\":$c1}")"
check_eq "the unconfirmed attempt is audited" 1 "$(audits conversation.takeover denied si_t_hos)"
check_eq "still the agent's" si_t_hoa "$(assignee "$c1")"
out=$(call si_t_hos conv.takeover "{\"id\":$c1,\"takeover\":true}")
check_eq "confirmed: taken over" si_t_hoa "$(echo "$out" | jq -r .from)"
check_eq "the supervisor holds it" si_t_hos "$(assignee "$c1")"
check "the previous assignee is told" si_until si_file_has "$T/ev-a.out" '"takeover"'
check_eq "audited" 1 "$(audits conversation.takeover ok si_t_hos)"

# --- opening from a mention ---
nid=$(si_as si_t_hos note add "$c1" "@si_t_hoa please look at the refund" --json | jq .id)
check_contains "someone else's conversation needs a purpose" "purpose" \
    "$(call si_t_hoa conv.show "{\"id\":$c1}")"
check_contains "a note that does not mention the caller is refused" "does not mention you" \
    "$(call si_t_hob conv.show "{\"id\":$c1,\"via_mention\":$nid}")"
check_eq "and audited" 1 "$(audits conversation.open denied si_t_hob)"
check_contains "a mention with a purpose as well is refused" "not both" \
    "$(call si_t_hoa conv.show "{\"id\":$c1,\"via_mention\":$nid,\"purpose\":\"x\"}")"
check_contains "a mention id that is no number is refused" "must be an integer" \
    "$(call si_t_hoa conv.show "{\"id\":$c1,\"via_mention\":\"$nid\"}")"
check_eq "the mention is unseen" 1 \
    "$(call si_t_hoa mention.list '{"unseen":true}' | jq length)"
out=$(call si_t_hoa conv.show "{\"id\":$c1,\"via_mention\":$nid}")
check_eq "the mention opens it without a purpose" "$c1" "$(echo "$out" | jq .conversation.id)"
check_contains "its notes too" "refund" \
    "$(call si_t_hoa note.list "{\"id\":$c1,\"via_mention\":$nid}")"
check_eq "and it is seen" 0 \
    "$(call si_t_hoa mention.list '{"unseen":true}' | jq length)"
check_contains "the purpose logged is the mention" "purpose=mention by si_t_hos in note $nid" \
    "$(si audit show --action conversation.open --agent si_t_hoa --detail --purpose "test check")"
check_contains "another conversation's mention opens nothing" "does not mention you" \
    "$(call si_t_hoa conv.show "{\"id\":$((c1 + 1000)),\"via_mention\":$nid}" ; call si_t_hoa conv.show "{\"id\":$c1,\"via_mention\":$((nid + 1000))}")"

# --- contact.show: the customer's context ---
si_as si_t_hos resolve "$c1" >/dev/null
sqlite3 "$db" "UPDATE conversations SET resolved_at = 1 WHERE id = $c1"
check_eq "the customer writes again" 200 \
    "$(msg 4915112340040 "Hanna Hand" wamid.HO2 "another question")"
si_until sh -c "[ \$($SIC -c $T/si.conf list all --json | jq '[.rows[] | select(.name == \"Hanna Hand\")] | length') -ge 2 ]"
c2=$(si list all --json | jq -r '[.rows[] | select(.name == "Hanna Hand") | .id] | max')
si label create vip >/dev/null
si label add vip "$c1" >/dev/null
si_as si_t_hob assign "$c2" me >/dev/null
out=$(call si_t_hob contact.show "{\"conversation\":$c2}")
check_eq "the panel lists both conversations" 2 "$(echo "$out" | jq '.conversations | length')"
check_eq "the labels of all of them" '["vip"]' "$(echo "$out" | jq -c .labels)"
check_eq "the notes in all" 2 "$(echo "$out" | jq .notes)"
check_eq "consent state is there" true "$(echo "$out" | jq 'has("consent") and has("marketing_consent")')"
check_eq "first contact" true "$(echo "$out" | jq '.first_contact > 0')"
check_eq "no language known: unknown" unknown "$(echo "$out" | jq -r .language_source)"
check_eq "attributes: empty until contacts have them" '{}' "$(echo "$out" | jq -c .attributes)"
check_eq "someone else's earlier conversation: preview withheld" true \
    "$(echo "$out" | jq --argjson c "$c1" '.conversations[] | select(.id == $c) | .preview_withheld')"
case "$out" in *"where is my parcel"*) not_ok "and its text not shown" ;;
*) ok "and its text not shown" ;; esac
out=$(call si_t_hob contact.show "{\"conversation\":$c2,\"purpose\":\"customer history\"}")
check_contains "with a purpose the preview shows" "where is my parcel" "$out"
check_eq "each read audited" 2 "$(audits contact.view ok si_t_hob)"

si_stop
si_done
