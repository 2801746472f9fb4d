#!/bin/sh
# Backup and restore without traps (issue 14.4): a backup taken while
# webhooks arrive holds the database, the key store, the media files, the
# checkpoint file, the erasure journal and the master key, with a MANIFEST;
# restore goes into an empty directory only (a leftover database or -wal is
# refused with the fix), checks every hash, re-applies an erasure made after
# the backup, and the restored daemon starts with sending paused ("restored")
# until an admin resumes: a restore drill never talks to Meta.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
mkdir -m 700 "$T/ship"
cat >>"$T/si.conf" <<EOF
timeout = 2
retry_base_ms = 100
max_attempts = 3

[audit]
checkpoint_every = 5
checkpoint_file = $T/ship/audit-checkpoints.log
EOF
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" \
	    '.rows[] | select(.name == $n) | .id'
}
has_text() {	# has_text TEXT: some stored message says TEXT
	si_all_messages | grep -qF -- "$1"
}
# conf_for DIR: the config with another data directory
conf_for() {
	sed "s|^data_dir = .*|data_dir = $1|" "$T/si.conf"
}

# --- before the backup: two customers and a photo ---
inbound 491510000041 "vor dem Backup"
inbound 491510000042 "Bitte loeschen"
CA=$(conv_of 491510000041)
CB=$(conv_of 491510000042)
CIDB=$(si list all --json | jq -r --argjson c "$CB" \
    '.rows[] | select(.id == $c) | .contact_id')
{ printf 'PHOTO-77 '; head -c 300000 /dev/urandom; } >"$T/photo.jpg"
MID=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/photo.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media" |
    jq -r .id)
jq --arg id "$MID" '.entry[0].changes[0].value.messages[0].image.id = $id |
    .entry[0].changes[0].value.messages[0].id = "wamid.BKIMG1"' \
    "$SI_FIXTURES/webhook-image.json" >"$T/img.json"
check_eq "the photo's webhook is accepted" 200 "$(si_post "$T/img.json")"
IMG=$(si_all_messages | jq -r 'select(.body.wamid=="wamid.BKIMG1") | .id')
got_photo() {
	rm -f "$T/got.jpg"
	si media get "$IMG" --output "$T/got.jpg" >/dev/null
}
check "the photo is downloaded before the backup" si_until got_photo

# --- the backup, while a customer keeps writing ---
( i=0; while [ $i -lt 15 ]; do inbound 491510000043 "waehrend $i";
    i=$((i + 1)); done ) &
writer=$!
check "a customer is writing" si_until has_text "waehrend 0"
out=$("$SID" backup -c "$T/si.conf" "$T/bk" 2>&1)
rc=$?
wait $writer
check_eq "backup while webhooks arrive" 0 "$rc"
check_contains "it says what it took" "1 media file" "$out"
check_contains "the master key too" "master key" "$out"
M="$T/bk/MANIFEST"
for f in db/support-inbox.db keys/keystore.db audit/checkpoints \
    master-key/master.key; do
	check "the MANIFEST lists $f" grep -q " $f\$" "$M"
	check "and $f is there" test -s "$T/bk/$f"
done
check "the MANIFEST lists the media file" grep -q ' blobs/[0-9]*$' "$M"
check_eq "with the schema version" "schema $(sqlite3 "$T/data/support-inbox.db" \
    'PRAGMA user_version')" "$(grep '^schema' "$M")"
h=$(grep ' keys/keystore.db$' "$M" | cut -d' ' -f2)
check_eq "its hash is BLAKE2b-256 of the file" "$h" "$(python3 -c '
import hashlib, sys
print(hashlib.blake2b(open(sys.argv[1], "rb").read(), digest_size=32).hexdigest())
' "$T/bk/keys/keystore.db")"
check_eq "the backup is closed to others" 700 "$(stat -c %a "$T/bk")"
check "the README says how to restore" grep -q 'support-inboxd restore' \
    "$T/bk/README"

# --- after the backup: more writes, and an erasure ---
inbound 491510000044 "nach dem Backup"
res=$(si privacy erase "contact:$CIDB" --reason "Art. 17 after backup" \
    --yes --json)
check_eq "the erasure after the backup destroys the key" true \
    "$(printf '%s' "$res" | jq .key_destroyed)"
check_eq "the erasure journal (outside the database) has it" \
    "erased $CIDB" "$(cut -d' ' -f1,2 "$T/ship/erasure-journal")"
if grep -aq "491510000042\|Bitte loeschen" "$T/ship/erasure-journal"; then
	not_ok "the journal holds personal data"
else
	ok "the journal holds internal ids only"
fi
si_stop

# --- refusals: a non-empty directory, a leftover -wal, a wrong hash ---
mkdir -m 700 "$T/full" "$T/wal"
touch "$T/full/notes.txt" "$T/wal/support-inbox.db-wal"
conf_for "$T/full" >"$T/full.conf"
conf_for "$T/wal" >"$T/wal.conf"
out=$("$SID" restore "$T/bk" -c "$T/full.conf" 2>&1)
check_eq "restore into a non-empty directory is refused" 1 "$?"
check_contains "naming the fix" "move it aside" "$out"
out=$("$SID" restore "$T/bk" -c "$T/wal.conf" 2>&1)
check_eq "restore beside a leftover -wal file is refused" 1 "$?"
check_contains "saying why" "write-ahead log" "$out"
check_contains "and the fix" "mv '$T/wal' '$T/wal.old'" "$out"
check_eq "nothing was written there" "support-inbox.db-wal" \
    "$(ls "$T/wal")"
cp -a "$T/bk" "$T/bad"
sed -i "s/^file [0-9a-f]* \([0-9]* keys\/keystore.db\)$/file $(printf \
    '%064d' 0) \1/" "$T/bad/MANIFEST"
conf_for "$T/data3" >"$T/bad.conf"
out=$("$SID" restore "$T/bad" -c "$T/bad.conf" 2>&1)
check_eq "a MANIFEST with a wrong hash is refused" 1 "$?"
check_contains "naming the file" "keys/keystore.db" "$out"
check "and nothing is created" test ! -e "$T/data3"
cp -a "$T/bk" "$T/cut"
rm "$T/cut/keys/keystore.db"
out=$("$SID" restore "$T/cut" -c "$T/bad.conf" 2>&1)
check_contains "a missing file is named" "incomplete: 'keys/keystore.db'" \
    "$out"

# --- the restore drill: a new, empty data directory and a new config ---
cp "$T/si.conf" "$T/old.conf"
conf_for "$T/data2" >"$T/new.conf"
mv "$T/new.conf" "$T/si.conf"
mkdir -m 700 "$T/data2"
out=$("$SID" restore "$T/bk" -c "$T/si.conf" 2>&1)
check_eq "restore into an empty directory" 0 "$?"
check_contains "it applies the erasure made since" \
    "1 erasure made after the backup" "$out"
check_contains "and says sending is paused" "outbox resume" "$out"
check_eq "the data directory is closed" 700 "$(stat -c %a "$T/data2")"
check_eq "files are the daemon's alone" "600 600 600" \
    "$(stat -c %a "$T/data2/support-inbox.db" "$T/data2/keystore.db" \
    "$T/data2/master.key" | tr '\n' ' ' | sed 's/ $//')"
check_eq "the blob store too" 700 "$(stat -c %a "$T/data2/blobs")"

simreset
si_start || { not_ok "the restored daemon starts"; si_done; exit 1; }
check "the messages from before the backup are there" \
    has_text "vor dem Backup"
check "so is what was written during it, up to the snapshot" \
    has_text "waehrend 0"
check "the message written after the backup is not" \
    test -z "$(si list all --json | jq -r '.rows[].name' | grep 0044)"
check "the photo is readable" got_photo
check "byte for byte" cmp -s "$T/photo.jpg" "$T/got.jpg"
check_eq "the contact erased after the backup is erased again" "" \
    "$(si list all --json | jq -r '.rows[].name' | grep 0042)"
out=$(si contact show "contact:$CIDB" 2>&1)
check_contains "no contact by that id" "no contact" "$out"
check_eq "and its key is gone from the restored key store" 0 \
    "$(sqlite3 "$T/data2/keystore.db" "SELECT count(*) FROM contact_keys
    WHERE contact_id = $CIDB")"

st=$(si status --json)
check_eq "status: sending paused" true \
    "$(printf '%s' "$st" | jq .outbox.paused)"
check_eq "with the reason restored" restored \
    "$(printf '%s' "$st" | jq -r .outbox.paused_reason)"
check_eq "as an alarm" restored \
    "$(printf '%s' "$st" | jq -r '.alarms[0].kind')"
check_contains "the text status shows it with its fix" \
    "support-inbox outbox resume" "$(si status)"

MSG=$(si reply "$CA" "nach der Wiederherstellung" --json | jq -r .message)
check "a reply is accepted into the outbox" test -n "$MSG" -a "$MSG" != null
# Nothing to wait for when nothing must happen: give the outbox (1 s tick)
# time to act if it were going to.
sleep 2
check_eq "and held: it is still queued" queued "$(si outbox --json |
    jq -r --argjson m "$MSG" '.rows[] | select(.message == $m) | .state')"
check_eq "the simulator received nothing" 0 "$(simreq | jq -r .total)"
check_eq "not even a template list" 0 "$(simreq | jq -r .template_lists)"

check "an admin resumes" quiet si outbox resume
sent() {
	[ "$(si outbox --json | jq -r --argjson m "$MSG" \
	    '.rows[] | select(.message == $m) | .state')" = sent ]
}
check "then the reply goes out" si_until sent
check_eq "once" 1 "$(simreq | jq -r '[.bodies[] |
    select(.text.body == "nach der Wiederherstellung")] | length')"
check_eq "the alarm is gone" 0 "$(si status --json | jq '.alarms | length')"
check_eq "the resume is audited" 1 "$(sqlite3 "$T/data2/support-inbox.db" \
    "SELECT count(*) FROM audit WHERE action = 'outbox.resume'")"
si_stop
si_start || not_ok "the daemon starts again"
check_eq "after a restart sending stays resumed" false \
    "$(si status --json | jq .outbox.paused)"
si_stop

# --- a master key kept outside the data directory is not taken ---
mkdir -m 700 "$T/kdir" "$T/kdir2"
mv "$T/data2/master.key" "$T/kdir/"
sed -i "s|^data_dir = .*|&\nkey_file = $T/kdir/master.key|" "$T/si.conf"
out=$("$SID" backup -c "$T/si.conf" "$T/bk2" 2>&1)
check_contains "the backup says the key is not in it" \
    "NOT the master key" "$out"
check "the MANIFEST says where it is" grep -qx \
    "key elsewhere $T/kdir/master.key" "$T/bk2/MANIFEST"
check "so does the README" grep -q "NOT included: it is kept at '$T/kdir" \
    "$T/bk2/README"
check "and the key is not there" test ! -e "$T/bk2/master-key/master.key"
sed -e "s|^data_dir = .*|data_dir = $T/data4|" \
    -e "s|^key_file = .*|key_file = $T/kdir2/master.key|" "$T/si.conf" \
    >"$T/k.conf"
out=$("$SID" restore "$T/bk2" -c "$T/k.conf" 2>&1)
check_eq "restore without the key is refused" 1 "$?"
check_contains "saying where it was and where it goes" \
    "it was kept at '$T/kdir/master.key'); install that key at key_file \
'$T/kdir2/master.key'" "$out"
cp -p "$T/kdir/master.key" "$T/kdir2/"
check "with the key in place it restores" \
    quiet "$SID" restore "$T/bk2" -c "$T/k.conf"
si_done
