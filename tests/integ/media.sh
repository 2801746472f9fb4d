#!/bin/sh
# Inbound media end to end: a customer's photo is looked up and downloaded
# from the (simulated) Graph API into the sealed blob store, then fetched by
# an agent in chunks (media get), byte for byte, audited; nothing in clear on
# disk; a file Meta no longer has is reported in plain words.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
timeout = 2
retry_base_ms = 100
max_attempts = 3
template_sync_minutes = 0
EOF
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

# A "photo" with a marker inside, 1.5 MB so it takes several chunks.
{ printf 'PLANTED-PHOTO-BYTES-77 '; head -c 1500000 /dev/urandom; } >"$T/photo.jpg"
up=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/photo.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media")
MID=$(echo "$up" | jq -r .id)
check "the simulator took the upload" test -n "$MID" -a "$MID" != null

jq --arg id "$MID" '.entry[0].changes[0].value.messages[0].image.id = $id |
    .entry[0].changes[0].value.messages[0].id = "wamid.MEDIA1"' \
    "$SI_FIXTURES/webhook-image.json" >"$T/img.json"
check_eq "the image webhook is accepted" 200 "$(si_post "$T/img.json")"
MSG=$(si_all_messages | jq -r 'select(.body.wamid=="wamid.MEDIA1") | .id')

# The download runs in the background: wait for media get to succeed.
i=0
until si media get "$MSG" --output "$T/got.jpg" >/dev/null 2>"$T/get.err"; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	rm -f "$T/got.jpg"
	sleep 0.1
done
check "the agent fetches the file" test -s "$T/got.jpg"
check "byte for byte" cmp -s "$T/photo.jpg" "$T/got.jpg"
check_eq "saved readable by the agent alone" 600 "$(stat -c %a "$T/got.jpg")"
out=$(si media get "$MSG" --output "$T/got.jpg" 2>&1)
check_contains "an existing file is never overwritten" "cannot create" "$out"
check "the blob store holds the file" test -n "$(ls "$T/data/blobs" 2>/dev/null)"
if grep -rqa PLANTED-PHOTO-BYTES-77 "$T/data"; then
	not_ok "the file is in clear on disk"
else
	ok "the file is sealed on disk"
fi
db="$T/data/support-inbox.db"
check_eq "the fetch is audited once, with the contact" 1 "$(sqlite3 "$db" \
    "SELECT count(*) FROM audit WHERE action='media.read' AND
    contact_id IS NOT NULL")"

# Default name and place: the downloads directory, a fresh name each time.
mkdir "$T/dl"
a=$(SUPPORT_INBOX_DOWNLOADS="$T/dl" si media get "$MSG")
b=$(SUPPORT_INBOX_DOWNLOADS="$T/dl" si media get "$MSG")
check_contains "saved under the downloads directory" "$T/dl/media-$MSG.jpg" "$a"
check_contains "a second fetch gets a new name" "$T/dl/media-$MSG-1.jpg" "$b"

sed -e 's/wamid\./wamid.T1x/g' "$SI_FIXTURES/webhook-text.json" >"$T/t.json"
si_post "$T/t.json" >/dev/null
TXT=$(si_all_messages | jq -r 'select(.type=="text") | .id' | head -n 1)
out=$(si media get "$TXT" 2>&1)
check_contains "a message without a file says so" "has no stored file" "$out"

# A file Meta no longer has: the lookup fails, the agent is told plainly.
jq '.entry[0].changes[0].value.messages[0].image.id = "999999999" |
    .entry[0].changes[0].value.messages[0].id = "wamid.MEDIA2"' \
    "$SI_FIXTURES/webhook-image.json" >"$T/img2.json"
si_post "$T/img2.json" >/dev/null
MSG2=$(si_all_messages | jq -r 'select(.body.wamid=="wamid.MEDIA2") | .id')
i=0
while :; do
	out=$(si media get "$MSG2" --output "$T/x.jpg" 2>&1)
	case "$out" in *"could not be downloaded"*) break ;; esac
	i=$((i + 1)); [ $i -gt 100 ] && break
	sleep 0.1
done
check_contains "a file Meta no longer has is explained" "could not be downloaded" "$out"
check "and no partial file is left" test ! -e "$T/x.jpg"

si_stop
si_done
