#!/bin/sh
# Issue 15, merging: a BSUID-only contact and a phone-number contact of the
# same person become one with "contact merge". Nothing is lost (both
# conversations, their messages, notes, consent history, a media file),
# the other's number finds the kept contact (lookup, search, quick switch),
# one audit record without personal data; erasing the kept contact then
# leaves nothing of the other either (rows, keys, files). A webhook that
# names a number and a BSUID together links them by itself. Bad input:
# merging into itself, unknown contacts, two numbers, a role too low.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-mrg
si_user si_t_mrga si-mrg
cat >>"$T/si.conf" <<EOF
timeout = 2
retry_base_ms = 100
template_sync_minutes = 0
EOF
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_mrga >/dev/null
db="$T/data/support-inbox.db"
ks="$T/data/keystore.db"
NUM=4915122334455
BSUID=US.70231954488120375516
NOW=$(date +%s)

# msg FROM_WA FROM_BSUID NAME WAMID TEXT: a text webhook (either id may be
# empty).
msg() {
	jq --arg f "$1" --arg u "$2" --arg n "$3" --arg w "$4" --arg t "$5" \
	    --arg ts "$NOW" '
	    .entry[0].changes[0].value.contacts = [{profile: {name: $n}} +
	    (if $f != "" then {wa_id: $f} else {} end) +
	    (if $u != "" then {user_id: $u} else {} end)] |
	    .entry[0].changes[0].value.messages = [{id: $w, timestamp: $ts,
	    type: "text", text: {body: $t}} +
	    (if $f != "" then {from: $f} else {} end) +
	    (if $u != "" then {from_user_id: $u} else {} end)]' \
	    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	si_post "$T/m.json"
}
maxseq() { sqlite3 "$db" "SELECT coalesce(max(seq), 0) FROM audit"; }

# --- two contacts of one person ---
check_eq "a BSUID-only customer writes" 200 \
    "$(msg "" $BSUID "Edda M" wamid.MRG1 "first via username QQBSUIDTEXT")"
check_eq "the same person writes from their number" 200 \
    "$(msg $NUM "" "Edda Marlowe" wamid.MRG2 "second from phone QQPHONETEXT")"
A=$(si contact show "$BSUID" --json | jq -r .contact_id)
B=$(si contact show "+$NUM" --json | jq -r .contact_id)
check "two contacts" test -n "$A" -a -n "$B" -a "$A" != "$B"
CA=$(si contact show "contact:$A" --json | jq -r '.conversations[0].id')
CB=$(si contact show "contact:$B" --json | jq -r '.conversations[0].id')
# a photo from the number, downloaded into the blob store (B's key)
head -c 20000 /dev/urandom >"$T/photo.jpg"
MID=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/photo.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media" |
    jq -r .id)
jq --arg id "$MID" --arg f $NUM '.entry[0].changes[0].value.messages[0].image.id = $id |
    .entry[0].changes[0].value.messages[0].id = "wamid.MRGIMG" |
    .entry[0].changes[0].value.messages[0].from = $f |
    .entry[0].changes[0].value.contacts[0].wa_id = $f' \
    "$SI_FIXTURES/webhook-image.json" >"$T/img.json"
check_eq "and sends a photo" 200 "$(si_post "$T/img.json")"
IMG=$(si show "$CB" --json | jq -r '.messages[] | select(.type == "image") | .id')
check "the photo is downloaded" si_until si media get "$IMG" \
    --output "$T/before.jpg"
si note add "$CA" "note on the username conversation" >/dev/null
si note add "$CB" "note on the phone conversation" >/dev/null
si consent set "contact:$B" marketing on --reason "form" >/dev/null
check_eq "search finds the phone text under B" "$B" \
    "$(si search QQPHONETEXT --json | jq -r '.rows[0].contact_id')"
si privacy restrict "contact:$B" on --reason "Art. 18 test" --yes >/dev/null
check_eq "B is restricted, A not" "1 0" "$(sqlite3 "$db" "SELECT
    restricted FROM contacts WHERE id = $B") $(sqlite3 "$db" "SELECT
    restricted FROM contacts WHERE id = $A")"
si privacy hold "contact:$B" on --reason "tax audit" --yes >/dev/null

# --- bad input ---
out=$(si contact merge "contact:$A" "contact:$A" 2>&1)
check_contains "merging into itself is refused" "itself" "$out"
check "... with a non-zero exit" sh -c "! '$SIC' -c '$T/si.conf' contact \
    merge contact:$A contact:$A 2>/dev/null"
out=$(si contact merge "contact:$A" "contact:99999" 2>&1)
check_contains "an unknown contact is named" "from:" "$out"
out=$(si contact merge "contact:$A" 2>&1)
check_contains "a missing argument gives the usage" "usage:" "$out"
out=$(si_as si_t_mrga contact merge "contact:$A" "contact:$B" 2>&1)
check_contains "an agent may not merge" "supervisor" "$out"
check_eq "two other numbers" "200 200" "$(msg 4917000000001 "" Cee \
    wamid.MRGC "c") $(msg 4917000000002 "" Dee wamid.MRGD "d")"
C=$(si contact show "+4917000000001" --json | jq -r .contact_id)
D=$(si contact show "+4917000000002" --json | jq -r .contact_id)
out=$(si contact merge "contact:$C" "contact:$D" 2>&1)
check_contains "two numbers cannot be one contact" "different phone numbers" \
    "$out"
check "both are still there" quiet si contact show "contact:$D"

# Attributes: B's values that A lacks come over (sealed again with A's key
# and indexed for A); A's own value wins where both have one.
si attribute define plan enum free,gold >/dev/null
si attribute define customer_no text >/dev/null
si contact edit "contact:$A" plan=free --purpose test >/dev/null
si contact edit "contact:$B" plan=gold customer_no=K-4711 --purpose test \
    >/dev/null

# --- the merge ---
s0=$(maxseq)
out=$(si contact merge "contact:$A" "contact:$B")
check_eq "merge says what it did" \
    "contact $B merged into contact $A (2 conversations)" "$out"
check_eq "one audit record on A" "contact.merge:ok:$A:contact:$A" \
    "$(sqlite3 "$db" "SELECT action||':'||result||':'||contact_id||':'||
    object_type||':'||object_id FROM audit WHERE seq > $s0")"
det=$(si audit export --contact "contact:$A" --detail --purpose "test" |
    jq -r 'select(.action == "contact.merge" and .result == "ok") |
    .detail')
check_eq "its detail names B by id only" "contact $B merged into $A" "$det"
check_eq "the stricter flag wins (restricted)" 1 "$(sqlite3 "$db" "SELECT
    restricted FROM contacts WHERE id = $A")"
si privacy restrict "contact:$A" off --reason "done" --yes >/dev/null
out=$(si contact show "contact:$B" 2>&1)
check_contains "B is gone, and says where to" "merged into contact:$A" "$out"
check_eq "B's number finds A" "$A" \
    "$(si contact show "+$NUM" --json | jq -r .contact_id)"
check_eq "so does the BSUID" "$A" \
    "$(si contact show "$BSUID" --json | jq -r .contact_id)"
j=$(si contact show "contact:$A" --json)
check_eq "A has both conversations" "$(printf '%s\n%s' "$CA" "$CB" | sort -n |
    tr '\n' ' ')" "$(printf '%s' "$j" | jq -r '.conversations[].id' |
    sort -n | tr '\n' ' ')"
check_eq "both notes" 2 "$(printf '%s' "$j" | jq .notes)"
check_eq "B's marketing consent" true "$(printf '%s' "$j" |
    jq .marketing_consent)"
check_eq "the stricter flag wins (legal hold)" true \
    "$(printf '%s' "$j" | jq .legal_hold)"
check_eq "A shows the number now" true \
    "$(printf '%s' "$j" | jq '.phone_masked != null and .has_bsuid')"
check_eq "A's name stays" "Edda M" "$(printf '%s' "$j" | jq -r .name)"
check_eq "B's attribute comes over, A's own value stays" "free K-4711" \
    "$(printf '%s' "$j" | jq -r '"\(.attributes.plan) \(.attributes.customer_no)"')"
check_eq "and is found for A" "$A" "$(si contact search customer_no:k-4711 \
    --json --purpose test | jq -r '.contacts[0].contact_id')"
check_eq "the number is A's in full" "+$NUM" \
    "$(si contact reveal "contact:$A" --purpose test)"
check_contains "B's message reads under A" QQPHONETEXT \
    "$(si show "$CB" --json | jq -r '.messages[].body.text // empty')"
check_contains "A's own too" QQBSUIDTEXT \
    "$(si show "$CA" --json | jq -r '.messages[].body.text // empty')"
check_contains "the notes read" "note on the phone conversation" \
    "$(si call note.list "{\"id\":$CB}")"
check_eq "the consent history came along" 1 \
    "$(si consent show "contact:$A" --json | jq '[.history[] |
    select(.purpose == "marketing")] | length')"
check "the photo still opens, byte for byte" sh -c "'$SIC' -c '$T/si.conf' \
    media get $IMG --output '$T/after.jpg' >/dev/null &&
    cmp -s '$T/photo.jpg' '$T/after.jpg'"
check_eq "search finds B's text under A" "$A" \
    "$(si search QQPHONETEXT --json | jq -r '.rows[0].contact_id')"
check_eq "the quick switch finds A by B's number ending" "$A" \
    "$(si call conv.find '{"q":"2334455"}' | jq -r '.rows[0].contact_id')"
check_eq "no row names B any more" 0 "$(sqlite3 "$db" "SELECT
    (SELECT count(*) FROM conversations WHERE contact_id = $B) +
    (SELECT count(*) FROM messages WHERE contact_id = $B) +
    (SELECT count(*) FROM notes WHERE contact_id = $B) +
    (SELECT count(*) FROM media WHERE contact_id = $B) +
    (SELECT count(*) FROM consent WHERE contact_id = $B) +
    (SELECT count(*) FROM contact_phone_endings WHERE contact_id = $B) +
    (SELECT count(*) FROM raw_event_contacts WHERE contact_id = $B)")"
check "no number in clear in the audit log" sh -c "! sqlite3 '$db' \
    'SELECT * FROM audit' | grep -q $NUM"
check "the daemon still runs" quiet si status

# --- a webhook with both identifiers links them by itself ---
X=4916011112222
Y=US.11112222333344445555
msg "" $Y "Zed" wamid.MRGL1 "zed by username" >/dev/null
msg $X "" "Zed" wamid.MRGL2 "zed by phone" >/dev/null
E=$(si contact show "$Y" --json | jq -r .contact_id)
F=$(si contact show "+$X" --json | jq -r .contact_id)
check "two contacts before" test "$E" != "$F"
s0=$(maxseq)
check_eq "a message naming both" 200 \
    "$(msg $X $Y "Zed" wamid.MRGL3 "zed with both")"
check_eq "now one contact" "$E $E" "$(si contact show "+$X" --json |
    jq -r .contact_id) $(si contact show "$Y" --json | jq -r .contact_id)"
check_eq "with all three messages" 3 "$(sqlite3 "$db" "SELECT count(*)
    FROM messages WHERE contact_id = $E")"
check_eq "audited as the daemon's act" "support-inboxd:contact.merge:ok:$E" \
    "$(sqlite3 "$db" "SELECT agent||':'||action||':'||result||':'||
    contact_id FROM audit WHERE seq > $s0 AND action = 'contact.merge'")"
W=4916033334444
msg $W "" "Wanda" wamid.MRGW1 "w by phone" >/dev/null
msg $W US.99990000111122223333 "Wanda" wamid.MRGW2 "w with both" >/dev/null
check_eq "a contact that lacked the BSUID gets it" true \
    "$(si contact show "+$W" --json | jq .has_bsuid)"
check_eq "and is found by it" "$(si contact show "+$W" --json |
    jq .contact_id)" "$(si contact show US.99990000111122223333 --json |
    jq .contact_id)"

# --- erasing A takes what was B's too ---
si privacy hold "contact:$A" off --reason "audit closed" --yes >/dev/null
check "B's key is still in the key store (its file)" test \
    "$(sqlite3 "$ks" "SELECT count(*) FROM contact_keys WHERE
    contact_id = $B")" = 1
nblobs=$(ls "$T/data/blobs" | wc -l)
res=$(si privacy erase "contact:$A" --reason "Art. 17" --yes --json)
check_eq "erase destroys the key" true "$(printf '%s' "$res" |
    jq .key_destroyed)"
check_eq "both keys are gone" 0 "$(sqlite3 "$ks" "SELECT count(*) FROM
    contact_keys WHERE contact_id IN ($A, $B)")"
check_eq "no row of A or B is left" 0 "$(sqlite3 "$db" "SELECT
    (SELECT count(*) FROM contacts WHERE id IN ($A, $B)) +
    (SELECT count(*) FROM conversations WHERE contact_id IN ($A, $B)) +
    (SELECT count(*) FROM messages WHERE contact_id IN ($A, $B)) +
    (SELECT count(*) FROM notes WHERE contact_id IN ($A, $B)) +
    (SELECT count(*) FROM media WHERE contact_id IN ($A, $B)) +
    (SELECT count(*) FROM consent WHERE contact_id IN ($A, $B)) +
    (SELECT count(*) FROM contact_merges WHERE into_id IN ($A, $B))")"
check_eq "the photo's file went" $((nblobs - 1)) \
    "$(ls "$T/data/blobs" | wc -l)"
check_eq "search finds nothing of B" 0 \
    "$(si search QQPHONETEXT --json | jq '.rows | length')"
leak=0
for f in "$db" "$db-wal" "$ks" "$ks-wal"; do
	[ -e "$f" ] || continue
	grep -aq -e QQPHONETEXT -e $NUM "$f" && leak=1
done
check_eq "nothing in clear anywhere" 0 "$leak"
check "the other contacts are untouched" quiet si contact show "contact:$D"

si_stop
si_done
