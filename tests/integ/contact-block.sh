#!/bin/sh
# Issue 15, blocking: "contact block" goes through the Cloud API's
# block-users endpoint (the simulator then has the user blocked and refuses
# messages to them), the contact is marked (contact show, conv.list and
# conv.show rows), "contact unblock" undoes it; request and outcome are
# audited; a failure is explained with Meta's code; a username-only
# customer cannot be blocked (WhatsApp blocks by number).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-blk
si_user si_t_blka si-blk
cat >>"$T/si.conf" <<EOF
timeout = 3
retry_base_ms = 100
max_attempts = 2
template_sync_minutes = 0
EOF
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_blka >/dev/null
db="$T/data/support-inbox.db"
NUM=4915144556677
NOW=$(date +%s)
jq --arg f $NUM --arg ts "$NOW" '
    .entry[0].changes[0].value.contacts = [{profile: {name: "Troll"},
    wa_id: $f}] |
    .entry[0].changes[0].value.messages = [{from: $f, id: "wamid.BLK1",
    timestamp: $ts, type: "text", text: {body: "spam spam"}}]' \
    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
check_eq "a customer writes" 200 "$(si_post "$T/m.json")"
si_post "$SI_FIXTURES/webhook-text-bsuid-no-phone.json" >/dev/null
C=$(si contact show "+$NUM" --json | jq -r .contact_id)
CONV=$(si contact show "contact:$C" --json | jq -r '.conversations[0].id')
simblocked() { curl -s "$SIMURL/_sim/blocked" | jq -c .blocked; }
fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
audit() { sqlite3 "$db" "SELECT action||':'||result FROM audit WHERE
    action LIKE 'contact.%block' ORDER BY seq" | tr '\n' ' '; }

check_eq "not blocked at first" false \
    "$(si contact show "contact:$C" --json | jq .blocked)"
out=$(si_as si_t_blka contact block "+$NUM" --reason "abusive messages")
check_eq "an agent blocks the customer" "contact $C blocked" "$out"
check_eq "the simulator has the number blocked" "[\"$NUM\"]" "$(simblocked)"
j=$(si contact show "contact:$C" --json)
check_eq "the contact is marked, with when and by whom" "true si_t_blka" \
    "$(printf '%s' "$j" | jq -r '"\(.blocked) \(.blocked_by)"')"
check "... and when" test "$(printf '%s' "$j" | jq .blocked_at)" -ge "$NOW"
check_eq "conv.list rows carry blocked" true "$(si list all --json |
    jq ".rows[] | select(.id == $CONV) | .blocked")"
check_eq "conv.show carries it" true \
    "$(si call conv.show "{\"id\":$CONV}" | jq .conversation.blocked)"
check_eq "request and outcome are audited" \
    "contact.block:requested contact.block:ok " "$(audit)"
check_eq "the record names the agent and the contact" "si_t_blka:$C" \
    "$(sqlite3 "$db" "SELECT agent||':'||contact_id FROM audit WHERE
    action = 'contact.block' AND result = 'ok'")"
check "no number in the audit log" sh -c "! sqlite3 '$db' \
    'SELECT * FROM audit' | grep -q $NUM"

# A reply to a blocked customer is refused here, before Meta would fail
# it: nothing is queued, the refusal is audited and says how to go on.
nout=$(si outbox --json | jq '.rows | length')
out=$(si reply "$CONV" "are you there?" 2>&1)
check_eq "a reply to the blocked customer is refused" 1 "$?"
check_contains "saying why and what to do" "contact unblock conv:$CONV" "$out"
check_eq "nothing was queued" "$nout" "$(si outbox --json | jq '.rows | length')"
out=$(si new "contact:$C" --template sample_shipping_confirmation \
    --lang en_US --param 3 2>&1)
check_contains "so is starting a conversation with them" "blocked on WhatsApp" \
    "$out"
check_eq "the refusal is audited" "message.send:refused" \
    "$(sqlite3 "$db" "SELECT action || ':' || result FROM audit
    WHERE object_id = $CONV AND action = 'message.send'
    ORDER BY seq DESC LIMIT 1")"

out=$(si contact unblock "contact:$C" --json)
check_eq "unblock" false "$(printf '%s' "$out" | jq .blocked)"
check_eq "the simulator's list is empty" "[]" "$(simblocked)"
check_eq "the mark is gone" "false null" "$(si contact show "contact:$C" \
    --json | jq -r '"\(.blocked) \(.blocked_by)"')"
check_eq "the list row has no mark" null "$(si list all --json |
    jq ".rows[] | select(.id == $CONV) | .blocked")"

# Meta refuses (the 24-hour rule): explained, nothing marked, audited.
fault '{"mode":"139100","count":1}'
out=$(si contact block "contact:$C" 2>&1)
rc=$?
check_eq "a refused block exits 1" 1 "$rc"
check_contains "it is explained" "within 24 hours" "$out"
check_contains "with Meta's code" "139100" "$out"
check_eq "nothing is marked" false \
    "$(si contact show "contact:$C" --json | jq .blocked)"
check_eq "the simulator blocked nobody" "[]" "$(simblocked)"
check_eq "the failure is audited" "failed:code 139100" "$(si audit export \
    --contact "contact:$C" --detail --purpose test | jq -r 'select(.action ==
    "contact.block") | "\(.result):\(.detail)"' | tail -n 1)"

# Bad input.
out=$(si contact block "US.70231954488120375516" 2>&1)
check_contains "a username-only customer cannot be blocked" \
    "no phone number" "$out"
out=$(si contact block "contact:99999" 2>&1)
check_contains "an unknown contact" "no contact" "$out"
out=$(si contact block 2>&1)
check_contains "usage" "usage:" "$out"
check_eq "the refusal is audited" "refused" "$(sqlite3 "$db" "SELECT result
    FROM audit WHERE action = 'contact.block' ORDER BY seq DESC LIMIT 1")"
check "the daemon still runs" quiet si status

si_stop
si_done
