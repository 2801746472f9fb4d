#!/bin/sh
# Issue 14, agents are people: an agent is the Unix user name and uid it was
# added with (a reused uid given to someone else is refused, enable of a
# deleted or renumbered user is refused); agent remove keeps the row for the
# audit trail but hides it; disable and remove hand the agent's open,
# pending and snoozed conversations to the queue or to a named agent, each
# handback audited and evented; every refusal names the command to run.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_pplg
A=si_t_ppla	# leaves: removed, conversations to C
C=si_t_pplc	# the colleague who takes them
D=si_t_ppld	# disabled, then removed to the queue
U=si_t_pplu	# deleted; their uid goes to V
V=si_t_pplv
W=si_t_pplw	# renumbered
for u in $A $C $D $U $W; do
	si_user "$u" "$GRP"
done
si_config "$GRP"
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start

# Four customers, four conversations.
n=1
for who in 4915100000101 4915100000102 4915100000103 4915100000104; do
	jq --arg ts "$(date +%s)" --arg w "$who" --arg id "wamid.PPL$n" \
	    '.entry[0].changes[0].value.contacts =
	    [{profile: {name: "Kunde"}, wa_id: $w}] |
	    .entry[0].changes[0].value.messages = [{from: $w, id: $id,
	    timestamp: $ts, type: "text", text: {body: "Hallo"}}]' \
	    "$SI_FIXTURES/webhook-text.json" >"$T/in$n.json"
	si_post "$T/in$n.json" >/dev/null
	n=$((n + 1))
done
conv() {
	si contact show "+$1" --json | jq -r '.conversations[0].id'
}
C1=$(conv 4915100000101)
C2=$(conv 4915100000102)
C3=$(conv 4915100000103)
C4=$(conv 4915100000104)
assignee() {
	si list all --limit 500 --json |
	    jq -r --argjson c "$1" '.rows[] | select(.id == $c) | .assignee // "none"'
}
for u in $A $C $D $U $W; do
	si agent add "$u" >/dev/null || not_ok "agent add $u"
done

# --- disable hands back to the queue ---
si assign "$C1" "$D" >/dev/null
si assign "$C2" "$D" >/dev/null
si snooze "$C2" --for 2h >/dev/null
si assign "$C3" "$D" >/dev/null
si resolve "$C3" >/dev/null
check_eq "D holds an open and a snoozed conversation" "$D $D" \
    "$(assignee "$C1") $(assignee "$C2")"
si events --timeout 120s >"$T/events" 2>&1 &
EVPID=$!
si_pids="$si_pids $EVPID"
si_until si_subscribers 1
out=$(si agent disable "$D" 2>&1)
check_contains "disable says what it handed back" \
    "2 conversations handed back to the queue" "$out"
check_eq "the open and the snoozed one are unassigned" "none none" \
    "$(assignee "$C1") $(assignee "$C2")"
check_eq "the resolved one stays with D" "$D" "$(assignee "$C3")"
check_eq "the snoozed one is still snoozed" snoozed \
    "$(si list all --json | jq -r --argjson c "$C2" '.rows[] | select(.id == $c) | .state')"
has_events() {
	[ "$(grep -c '"assignment"' "$T/events")" -ge 2 ]
}
check "each handback is an assignment event" si_until has_events
check_contains "the event says nobody holds it now" '"assignee":null' \
    "$(grep "\"conversation\":$C1" "$T/events" | grep assignment)"
kill "$EVPID" 2>/dev/null
audit_of() {
	si audit export --action "$1" --detail --purpose "issue 14 test" |
	    jq -c "select(.object_id == $2)"
}
check_contains "the handback is audited per conversation" \
    "to the queue: '$D' disabled" "$(audit_of conversation.unassign "$C1")"
check_contains "and for the snoozed one" \
    "to the queue: '$D' disabled" "$(audit_of conversation.unassign "$C2")"
check_contains "agent.disable's record counts them" \
    "2 conversations to the queue" \
    "$(si audit export --action agent.disable --detail --purpose t)"
check_eq "a disabled agent is listed inactive (the assign picker skips it)" \
    false "$(si agent list --json | jq --arg n "$D" '.[] | select(.name == $n) | .active')"
out=$(si_as "$D" status 2>&1)
check_contains "a disabled agent is told who can let them in" \
    "support-inbox agent enable $D" "$out"

# --- remove hands over to a named agent ---
si assign "$C1" "$A" >/dev/null
si assign "$C4" "$A" >/dev/null
si state pending "$C4" >/dev/null
out=$(si agent remove "$A" --to "$D" 2>&1)
check "remove to a disabled agent is refused" test $? -ne 0
check_contains "and says to name an active one" "support-inbox agent list" \
    "$out"
out=$(si agent remove "$A" --to "$C" 2>&1)
check "agent remove --to succeeds" test $? -eq 0
check_contains "and says so" "2 conversations handed to $C" "$out"
check_eq "both of A's conversations are C's now" "$C $C" \
    "$(assignee "$C1") $(assignee "$C4")"
check_contains "each is audited as an assignment to C" \
    "to '$C': '$A' removed" "$(audit_of conversation.assign "$C4")"
check_contains "agent.remove is audited" "2 conversations to '$C'" \
    "$(si audit export --action agent.remove --detail --purpose t)"
check_eq "a removed agent is not listed" "" \
    "$(si agent list --json | jq -r --arg n "$A" '.[] | select(.name == $n) | .name')"
check_eq "--all lists it, marked removed" true \
    "$(si agent list --all --json | jq --arg n "$A" '.[] | select(.name == $n) | .removed')"
check_contains "the plain list says removed" "removed" \
    "$(si agent list --all | grep "^$A ")"
out=$(si_as "$A" status 2>&1)
check "a removed agent is refused" test $? -ne 0
out=$(si agent enable "$A" 2>&1)
check "a removed agent cannot be enabled" test $? -ne 0
check_contains "the hint is to add them again" "support-inbox agent add $A" \
    "$out"
out=$(si agent remove "$A" 2>&1)
check_contains "removing twice changes nothing" "already removed" "$out"

# --- remove to the queue ---
si agent enable "$D" >/dev/null
si assign "$C1" "$D" >/dev/null
out=$(si agent remove "$D" --queue 2>&1)
check_contains "remove --queue hands back to the queue" \
    "1 conversation handed back to the queue" "$out"
check_eq "the conversation is unassigned" none "$(assignee "$C1")"
check_eq "the resolved one stays D's for the record" "$D" "$(assignee "$C3")"

# --- a reused uid ---
uid=$(id -u "$U")
check "U is let in" quiet si_as "$U" status
userdel "$U"
useradd -M -N -g "$GRP" -u "$uid" -s /usr/sbin/nologin "$V" &&
    si_users="$si_users $V"
out=$(si_as "$V" status 2>&1)
check "a different user with U's old uid is refused" test $? -ne 0
check_contains "the refusal names the reused uid" \
    "uid $uid was agent '$U' but is now Unix user '$V'" "$out"
check_contains "and the fix" \
    "support-inbox agent remove $U, then support-inbox agent add $V" "$out"
check_contains "the refusal is audited" "is agent '$U' but now user '$V'" \
    "$(si audit export --action permission.denied --detail --purpose t)"
si agent disable "$U" >/dev/null
out=$(si agent enable "$U" 2>&1)
check "enable of a deleted user is refused" test $? -ne 0
check_contains "and names the fix" "support-inbox agent remove $U" "$out"
check "the old agent is removed" quiet si agent remove "$U"
check "the new user is added (the uid is free again)" quiet si agent add "$V"
check "and let in" quiet si_as "$V" status
check_eq "U stays in the trail with the uid it had" "$uid" \
    "$(si agent list --all --json | jq --arg n "$U" '.[] | select(.name == $n) | .uid')"

# --- a renumbered user ---
si agent disable "$W" >/dev/null
usermod -u $(( $(id -u "$W") + 1000 )) "$W"
out=$(si agent enable "$W" 2>&1)
check "enable of a user whose uid changed is refused" test $? -ne 0
check_contains "and names remove then add" \
    "support-inbox agent remove $W, then support-inbox agent add $W" "$out"
check "remove then add" quiet sh -c "\"$SIC\" -c \"$T/si.conf\" agent remove $W &&
    \"$SIC\" -c \"$T/si.conf\" agent add $W"
check "the renumbered user is let in as the new agent" quiet si_as "$W" status
check_eq "both rows are kept, one removed" "true null" \
    "$(si agent list --all --json | jq -r --arg n "$W" '[.[] | select(.name | startswith($n)) | .removed] | sort_by(. == null) | map(tostring) | join(" ")')"

si_stop
si_done
