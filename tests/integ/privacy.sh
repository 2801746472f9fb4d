#!/bin/sh
# Issue 7: data-subject rights. One customer gets every message type (every
# webhook sample rewritten to their number) plus planted strings; export
# round-trips; purpose binding and masking; restriction and legal hold;
# erasure leaves nothing readable anywhere (database, WALs, key store,
# blobs, a backup taken before) while other customers are untouched; a
# restored old database is erased again at start.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-priv
si_user si_t_pat si-priv
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
db="$T/data/support-inbox.db"
ks="$T/data/keystore.db"
NUM=4915199887766
OTHER=4917612345678
PLANT=PLANTEDxQz7731secret
PNAME=PlantinaZebraquist
KEEP=KEEPMEotherQ42

# webhook-text.json as a template for our own customer messages.
msg() { # FROM NAME WAMID TEXT
	jq --arg f "$1" --arg n "$2" --arg w "$3" --arg t "$4" '
	    .entry[0].changes[0].value.contacts = [{profile: {name: $n},
	    wa_id: $f}] |
	    .entry[0].changes[0].value.messages = [{from: $f, id: $w,
	    timestamp: "1750000000", type: "text", text: {body: $t}}]' \
	    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	si_post "$T/m.json"
}

# Every sample, with every customer number made ours (the number change is
# left alone: it would move our customer to another number).
n=0; acked=0
for f in "$SI_FIXTURES"/webhook-*.json; do
	n=$((n + 1))
	case "$f" in *user-changed-number*) cp "$f" "$T/fx-$n.json" ;;
	*) sed -e "s/wamid\./wamid.P${n}x/g" -e \
	    "s/\"\(wa_id\|from\|recipient_id\|to\)\": \"[0-9]\{8,15\}\"/\"\1\": \"$NUM\"/g" \
	    "$f" >"$T/fx-$n.json" ;;
	esac
	[ "$(si_post "$T/fx-$n.json")" = 200 ] && acked=$((acked + 1))
done
check_eq "every sample acknowledged" "$n" "$acked"
check_eq "planted message stored" 200 "$(msg $NUM $PNAME wamid.PLANT1 \
    "order $PLANT please")"
check_eq "another customer's message stored" 200 \
    "$(msg $OTHER Otto wamid.OTHER1 "hello $KEEP")"

cid=$(si contact show "+49 151 99887766" --json | jq -r .contact_id)
check "the customer is found by number" test -n "$cid" -a "$cid" != null
other=$(si contact show "+$OTHER" --json | jq -r .contact_id)
conv=$(si contact show "contact:$cid" --json | jq -r '.conversations[0].id')
oconv=$(si contact show "contact:$other" --json | jq -r '.conversations[0].id')

# --- masking and reveal ---
row=$(si list all --json | jq -c ".rows[] | select(.contact_id == $cid)")
check_contains "the list masks the number" "+49 151" "$row"
check "the list does not show the full number" \
    sh -c "! printf '%s' '$row' | grep -q $NUM"
check_contains "contact show masks too" "••" \
    "$(si contact show conv:$conv --json | jq -r .phone_masked)"
# The records one command leaves: "action:result:contact" lines.
maxseq() { sqlite3 "$db" "SELECT coalesce(max(seq), 0) FROM audit"; }
since() { sqlite3 "$db" "SELECT action||':'||result||':'||
    coalesce(contact_id, '-') FROM audit WHERE seq > $1 ORDER BY seq"; }
s0=$(maxseq)
check_eq "reveal gives the full number" "+$NUM" \
    "$(si contact reveal conv:$conv)"
check_eq "reveal is audited as contact.reveal" "contact.reveal:ok:$cid" \
    "$(since $s0)"
s0=$(maxseq)
si contact show "contact:$cid" >/dev/null
check_eq "show is audited as contact.view" "contact.view:ok:$cid" \
    "$(since $s0)"
out=$(si contact show 42 2>&1)
check_contains "a bare small number is refused as ambiguous" "conv:42" "$out"
out=$(si contact show "+49 170 0000000" 2>&1)
check_contains "an unknown number is not found" "no contact" "$out"
check "the error does not repeat the number" \
    sh -c "! printf '%s' '$out' | grep -q 1700000000"

# --- purpose binding: agent pat, conversation assigned to the admin ---
si agent add si_t_pat >/dev/null
si assign "$conv" me >/dev/null
out=$(si_as si_t_pat show "$conv" 2>&1)
check_contains "someone else's conversation needs a purpose" \
    "purpose" "$out"
check_eq "the refusal is audited" denied "$(sqlite3 "$db" "SELECT result
    FROM audit WHERE agent='si_t_pat' AND action='conversation.open' ORDER BY
    seq DESC LIMIT 1")"
check "with a purpose it opens" quiet si_as si_t_pat show "$conv" \
    --purpose "customer called, ticket 77"
check_eq "the purpose is logged (sealed: admins read it with a purpose)" \
    "customer called, ticket 77" "$(si audit export --agent si_t_pat \
    --action conversation.open --detail --purpose "privacy test" |
    jq -r 'select(.result == "ok") | .purpose')"
check_eq "the purpose is not in clear in the database" 0 \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE purpose LIKE
    '%ticket 77%'")"
check "an unassigned conversation opens without a purpose" \
    quiet si_as si_t_pat show "$oconv"
rep=$(si privacy access-report "contact:$cid" --json)
check_eq "access report lists pat's look with its purpose" \
    "customer called, ticket 77" "$(printf '%s' "$rep" | jq -r \
    '[.accesses[] | select(.agent=="si_t_pat" and .result=="ok")][0].purpose')"
check_eq "access report lists the reveal" 1 "$(printf '%s' "$rep" | jq \
    '[.accesses[] | select(.action=="contact.reveal")] | length')"

# --- export round-trips every message the store holds ---
si_all_messages >"$T/all.jsonl"
si privacy export "contact:$cid" --reason "Art. 15 request 2025-1" --yes \
    --output "$T/export.json"
check "export is one JSON document" quiet jq -e .contact "$T/export.json"
check_eq "export names the full number" "+$NUM" \
    "$(jq -r .contact.phone "$T/export.json")"
want=$(jq -s "[.[] | select(.conv == $conv or (.conv as \$c |
    $(si contact show contact:$cid --json | jq -c '[.conversations[].id]') |
    index(\$c)))] | length" "$T/all.jsonl")
check_eq "export holds every message of the customer" "$want" \
    "$(jq '.messages | length' "$T/export.json")"
check "export has many message types" test "$(jq '[.messages[].type] |
    unique | length' "$T/export.json")" -ge 12
miss=$(jq -s --slurpfile e "$T/export.json" --argjson cs \
    "$(si contact show contact:$cid --json | jq -c '[.conversations[].id]')" '
    [.[] | select(.conv as $c | $cs | index($c)) |
     . as $m | ($e[0].messages | map(select(.id == $m.id))[0]) as $x |
     select($x == null or $x.body.text != $m.body.text or
     $x.body.media.id != $m.body.media.id)] | length' "$T/all.jsonl")
check_eq "every text and media reference matches the store" 0 "$miss"
check "export has the planted text" grep -q "$PLANT" "$T/export.json"
check "export has the consent history" quiet jq -e '.consent | length >= 1' \
    "$T/export.json"
check "export has the media rows" quiet jq -e '.media | length >= 1' \
    "$T/export.json"
check "export has no other customer" sh -c "! grep -q $KEEP '$T/export.json'"
check_eq "export is audited with its reason" "Art. 15 request 2025-1" \
    "$(si audit export --action privacy.export --detail --purpose \
    "privacy test" | head -n 1 | jq -r .purpose)"
check "export needs a reason" sh -c "! '$SIC' -c '$T/si.conf' privacy \
    export contact:$cid --yes >/dev/null 2>&1"
check "export without --yes off a terminal is refused" sh -c "! '$SIC' -c \
    '$T/si.conf' privacy export contact:$cid --reason x </dev/null \
    >/dev/null 2>&1 && true"

# --- restriction (Art. 18) ---
si privacy restrict "contact:$other" on --reason "Art. 18 dispute" --yes \
    >/dev/null
out=$(si_as si_t_pat show "$oconv" --purpose x 2>&1)
check_contains "a restricted contact is closed to agents" restricted "$out"
out=$(si reply "$oconv" "hello" 2>&1)
check_contains "nothing is sent to a restricted contact" restricted "$out"
check "a supervisor/admin opens it with a purpose" quiet si show "$oconv" \
    --purpose "DPO review"
check_eq "lists show the conversation but not the person" \
    "true (restricted) " "$(si_as si_t_pat list all --json | jq -r \
    ".rows[] | select(.id == $oconv) | \"\(.restricted) \(.name) \(.preview)\"")"
si privacy restrict "contact:$other" off --reason "resolved" --yes >/dev/null
check_eq "lifted, the name is back in the list" false \
    "$(si_as si_t_pat list all --json | jq ".rows[] | select(.id == $oconv) |
    .name == \"(restricted)\"")"
check "lifted, the agent opens it again" quiet si_as si_t_pat show "$oconv"

# --- legal hold blocks erasure ---
si privacy hold "contact:$cid" on --reason "tax audit 2025" --yes >/dev/null
out=$(si privacy erase "contact:$cid" --reason "Art. 17" --yes 2>&1)
check_contains "erase refuses under legal hold" "legal hold" "$out"
check_eq "the refusal is audited" denied "$(sqlite3 "$db" "SELECT result
    FROM audit WHERE action='privacy.erase' ORDER BY seq DESC LIMIT 1")"
check "the data is still there" quiet si contact show "contact:$cid"
si privacy hold "contact:$cid" off --reason "audit closed" --yes >/dev/null

# --- erase ---
# Bodies that name the customer but that ingest could not link to them: a
# status webhook for one of our messages, and a quarantined body.
jq --arg n "$NUM" '.entry[0].changes[0].value.statuses[0].recipient_id = $n |
    .entry[0].changes[0].value.statuses[0].id = "wamid.PRIVST1"' \
    "$SI_FIXTURES/webhook-status-delivered.json" >"$T/st.json"
si_post "$T/st.json" >/dev/null
printf '{"object":"whatsapp_business_account","entry":[{"from":"%s"' "$NUM" \
    >"$T/q.json"
si_post "$T/q.json" >/dev/null
raw_before=$(sqlite3 "$db" "SELECT count(*) FROM raw_events")
raw_linked=$(sqlite3 "$db" "SELECT count(*) FROM raw_event_contacts WHERE
    contact_id=$cid")
check_eq "search finds the planted text before" 1 \
    "$(si search "$PLANT" --json | jq '.rows | length')"
wrapped=$(sqlite3 "$ks" "SELECT hex(wrapped) FROM contact_keys WHERE
    contact_id=$cid")
body=$(sqlite3 "$db" "SELECT hex(body_enc) FROM messages WHERE
    contact_id=$cid ORDER BY id DESC LIMIT 1")
check "the key exists before" test -n "$wrapped"
"$SID" backup -c "$T/si.conf" "$T/bk" >/dev/null
check "backup while the daemon runs" test -s "$T/bk/db/support-inbox.db" \
    -a -s "$T/bk/keys/keystore.db"
check_eq "backup keeps the key store apart" "" \
    "$(ls "$T/bk/db" | grep keystore)"
check_eq "the backup holds the customer's key" "$wrapped" \
    "$(sqlite3 "$T/bk/keys/keystore.db" "SELECT hex(wrapped) FROM
    contact_keys WHERE contact_id=$cid")"
before_other=$(si show "$oconv" --json | jq '.messages | length')
res=$(si privacy erase "contact:$cid" --reason "Art. 17 request 9" --yes \
    --json)
check_eq "erase destroys the key" true \
    "$(printf '%s' "$res" | jq .key_destroyed)"
check_eq "erase truncates both WALs" true \
    "$(printf '%s' "$res" | jq .wal_truncated)"
hexof() { od -An -v -tx1 "$1" 2>/dev/null | tr -d ' \n' | tr a-f A-F; }
leak=0
for f in "$db" "$db-wal" "$ks" "$ks-wal" "$T/data"/blobs/*; do
	[ -e "$f" ] || continue
	for s in "$PLANT" "$PNAME" "$NUM"; do
		grep -aq "$s" "$f" && { leak=1; echo "# $s in $f"; }
	done
	case "$(hexof "$f")" in *"$wrapped"*) leak=1; echo "# key in $f" ;; esac
	case "$(hexof "$f")" in *"$body"*) leak=1; echo "# body in $f" ;; esac
done
check_eq "no trace in database, WALs, key store or blobs" 0 "$leak"
# (every status webhook of our replies to them names them too)
check "raw bodies naming the customer go too, linked or not" \
    test $((raw_before - $(sqlite3 "$db" "SELECT count(*) FROM raw_events"))) \
    -ge $((raw_linked + 2))
check_eq "the quarantined one among them" 0 \
    "$(si status --json | jq .counts.quarantined)"
check_eq "the ledger keeps only the id" 1 "$(sqlite3 "$db" "SELECT
    count(*) FROM erasure_ledger WHERE contact_id=$cid AND audit_seq IS NOT
    NULL")"
check_eq "no row of the contact is left" 0 "$(sqlite3 "$db" "SELECT
    (SELECT count(*) FROM messages WHERE contact_id=$cid) + (SELECT count(*)
    FROM contacts WHERE id=$cid) + (SELECT count(*) FROM consent WHERE
    contact_id=$cid) + (SELECT count(*) FROM media WHERE contact_id=$cid) +
    (SELECT count(*) FROM raw_event_contacts WHERE contact_id=$cid)")"
out=$(si contact show "+$NUM" 2>&1)
check_contains "the number finds nobody" "no contact" "$out"
check_eq "search finds nothing of the contact" 0 \
    "$(si search "$PLANT" --json | jq '.rows | length')"
check_eq "the other customer is untouched" "$before_other" \
    "$(si show "$oconv" --json | jq '.messages | length')"
check_contains "the other customer's text still reads" "$KEEP" \
    "$(si show "$oconv" --json | jq -r '.messages[].body.text')"
check "audit still verifies" quiet si audit verify
check "access report still works for the erased contact" \
    quiet si privacy access-report "contact:$cid"

# --- a database restored from before the erasure ---
si_stop
rm -f "$db-wal" "$db-shm"
cp "$T/bk/db/support-inbox.db" "$db"
check_eq "the restored database holds the contact again" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM contacts WHERE id=$cid")"
check_eq "but the current key store has no key for it" 0 \
    "$(sqlite3 "$ks" "SELECT count(*) FROM contact_keys WHERE
    contact_id=$cid")"
check "daemon restarts on the restored database" si_start
check_contains "start replays the erasure" "erasure replay" \
    "$(cat "$T/daemon.log")"
check_eq "the contact's rows are gone again" 0 "$(sqlite3 "$db" "SELECT
    count(*) FROM messages WHERE contact_id=$cid")"
check_contains "the other customer survives the restore" "$KEEP" \
    "$(si show "$oconv" --json | jq -r '.messages[].body.text')"
res=$(si privacy replay-erasures --json)
check_eq "replaying again finds nothing to do" 0 \
    "$(printf '%s' "$res" | jq '.contacts_erased + .keys_destroyed')"

# An old key store with the current database: the ledger shreds the key.
si_stop
cp "$T/bk/keys/keystore.db" "$ks"
rm -f "$ks-wal" "$ks-shm"
check "daemon restarts on the old key store" si_start
check_eq "the ledger destroys the restored key" 0 "$(sqlite3 "$ks" \
    "SELECT count(*) FROM contact_keys WHERE contact_id=$cid")"
check "nothing leaked into the logs" sh -c "! grep -q -e $NUM -e $PLANT \
    -e $PNAME '$T/daemon.log'"

si_done
