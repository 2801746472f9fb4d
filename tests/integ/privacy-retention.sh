#!/bin/sh
# Issue 7: the consent ledger (STOP/START keywords from customers, agents,
# marketing templates gated on it, against the simulator) and retention
# (dry run and run agree, legal holds exempt, idempotent, the audit log
# pruned by whole signed segments and still verifiable).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
template_sync_minutes = 0

[retention]
raw_events_days = 1
resolved_days = 1
media_days = 1
audit_days = 1

[audit]
checkpoint_every = 5

[consent]
stop_reply = Sie erhalten keine Angebote mehr. / No more offers for you.
EOF

si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
db="$T/data/support-inbox.db"

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
A=4915100000001
B=4915100000002
C=4915100000003

# --- consent ---
inbound $A "hello, what are your opening hours?"
convA=$(si list all --json | jq -r '.rows[0].id')
check_eq "no opt-in at first" false \
    "$(si consent show "+$A" --json | jq .marketing)"
out=$(si reply "$convA" --template hello_world --lang en_US 2>&1)
check_contains "a marketing template is refused without opt-in" "opt-in" \
    "$out"
inbound $A "  start "
h=$(si consent show "+$A" --json)
check_eq "START records an opt-in" true "$(printf '%s' "$h" | jq .marketing)"
check_eq "from the customer's message, with its id and text version" \
    "customer_message true 1" "$(printf '%s' "$h" | jq -r '.history[-1] |
    "\(.source) \(.evidence_message > 0) \(.text_version)"')"
out=$(si reply "$convA" --template hello_world --lang en_US 2>&1)
check_eq "after the opt-in the template is accepted" "0 0" \
    "$? $(printf '%s' "$out" | grep -c opt-in)"
inbound $A "Stopp!"
check_eq "STOPP! (German, any case) records an opt-out" false \
    "$(si consent show "+$A" --json | jq .marketing)"
out=$(si reply "$convA" --template hello_world --lang en_US 2>&1)
check_contains "and the template is refused again" "opt-in" "$out"
# The configured stop confirmation goes to the customer, as the daemon's.
stopped() {
	[ "$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] |
	    select(.text.body == "Sie erhalten keine Angebote mehr. / No more offers for you.")] | length')" -ge 1 ]
}
check "the stop confirmation reaches the customer" si_until stopped
check_eq "it is in the thread as the daemon's reply, audited as the daemon's" \
    "out stop_reply" \
    "$(si show "$convA" --json | jq -r '.messages[-1].direction') $(si audit export \
    --agent support-inboxd --detail --purpose "retention test" | jq -r 'select(.action == "message.send") | .detail')"
check_eq "no start confirmation is configured: none was sent" 0 \
    "$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] | select(.type == "text")] | length - 1')"
D=4915100000004
inbound $D "hello"
si privacy restrict "+$D" on --reason "Art. 18 dispute" --yes >/dev/null
nout=$(sqlite3 "$db" "SELECT count(*) FROM messages WHERE direction = 'out'")
inbound $D "STOP"
check_eq "a restricted contact's STOP is recorded" false \
    "$(si consent show "+$D" --json --purpose "STOP check" | jq .marketing)"
check_eq "but no confirmation is queued or sent to them (Art. 18)" "$nout 0" \
    "$(sqlite3 "$db" "SELECT count(*) FROM messages WHERE direction = 'out'") $(curl -s \
    "$SIMURL/_sim/requests" | jq --arg to "+$D" '[.bodies[] | select(.to == $to)] | length')"
inbound $A "stop the delivery please"
check_eq "a sentence containing stop is no keyword" 2 \
    "$(si consent show "+$A" --json | jq '.history | length')"
si consent set "conv:$convA" marketing on --reason "signed form" >/dev/null
h=$(si consent show "conv:$convA" --json)
check_eq "an agent can record an opt-in" "true agent" \
    "$(printf '%s' "$h" | jq -r '"\(.marketing) \(.history[-1].source)"')"
check_eq "which is audited" "consent.set:signed form" "$(si audit export \
    --action consent.set --detail --purpose "retention test" |
    jq -r '"\(.action):\(.purpose)"')"
check_eq "the ledger is append-only history" 3 \
    "$(printf '%s' "$h" | jq '.history | length')"

# --- retention ---
inbound $B "please delete my old order"
inbound $C "invoice question"
convB=$(si contact show "+$B" --json | jq -r '.conversations[0].id')
convC=$(si contact show "+$C" --json | jq -r '.conversations[0].id')
si resolve "$convB" >/dev/null || echo "# resolve B failed"
si resolve "$convC" >/dev/null || echo "# resolve C failed"
si privacy hold "+$C" on --reason "tax audit" --yes >/dev/null
# A restart writes a checkpoint: the end of a prunable audit segment.
si_stop
check "daemon restarts" si_start
first=$(sqlite3 "$db" "SELECT min(seq) FROM audit")
later=$(( $(date +%s) + 3 * 86400 ))
dry=$(si privacy retention run --dry-run --as-of "$later" --json)
check_eq "a dry run removes nothing" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM conversations WHERE id=$convB")"
run=$(si privacy retention run --as-of "$later" --json)
check_eq "dry run and run agree" \
    "$(printf '%s' "$dry" | jq -c 'del(.dry_run)')" \
    "$(printf '%s' "$run" | jq -c 'del(.dry_run)')"
check_eq "the resolved conversation and its contact went" "1 1" \
    "$(printf '%s' "$run" | jq -r '"\(.conversations) \(.contacts)"')"
check "raw webhook bodies went" test "$(printf '%s' "$run" | \
    jq .raw_events)" -gt 0
check "old audit records went" test "$(printf '%s' "$run" | \
    jq .audit_records)" -gt 0
check_eq "the contact is gone" 0 \
    "$(sqlite3 "$db" "SELECT count(*) FROM conversations WHERE id=$convB")"
gone=$(sqlite3 "$db" "SELECT contact_id FROM erasure_ledger")
check_eq "and its key" "1 0" "$(echo $gone | wc -w) $(sqlite3 \
    "$T/data/keystore.db" "SELECT count(*) FROM contact_keys WHERE
    contact_id=$gone")"
check_eq "the held contact stays" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM conversations WHERE id=$convC")"
check_eq "open conversations stay" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM conversations WHERE id=$convA")"
check_eq "the held contact's raw body stays" 1 "$(sqlite3 "$db" "SELECT
    count(*) > 0 FROM raw_event_contacts r JOIN conversations c ON
    c.contact_id = r.contact_id WHERE c.id=$convC")"
check "the audit log starts later now" test \
    "$(sqlite3 "$db" "SELECT min(seq) FROM audit")" -gt "$first"
check_eq "with a pruning record naming its checkpoint" 1 "$(sqlite3 "$db" \
    "SELECT count(*) FROM audit WHERE action='audit.prune' AND object_id =
    (SELECT min(seq) - 1 FROM audit) AND object_id IN (SELECT seq FROM
    audit_checkpoints)")"
check "the pruned log verifies from its oldest checkpoint" \
    quiet si audit verify
again=$(si privacy retention run --as-of "$later" --json)
# (Audit records: checkpoints now come every 5 records, so the second run,
# 3 days "later", may prune the first run's records up to the newest one.)
check_eq "a second run removes no data" 0 "$(printf '%s' "$again" | jq \
    '.conversations + .contacts + .raw_events + .media')"
check "the run is audited with its counts" test "$(sqlite3 "$db" "SELECT
    count(*) FROM audit WHERE action='privacy.retention'")" -ge 1
check "the twice-pruned log verifies" quiet si audit verify

# Tampering with the pruned log: cutting more off the front is caught.
si_stop
start=$(sqlite3 "$db" "SELECT min(seq) FROM audit")
sqlite3 "$db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE
    seq = $start"
check "daemon restarts" si_start
out=$(si audit verify 2>&1)
check_contains "removing the oldest kept record is caught" \
    "sequence $start" "$out"

si_done
