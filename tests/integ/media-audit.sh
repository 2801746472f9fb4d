#!/bin/sh
# Every read of a customer's file is audited, one record per fetch whatever
# the offset (issue 11.3): a request that starts past offset 0, or skips
# ahead, or comes on another connection, is a fetch of its own; the chunks
# of one fetch on one connection are one record.
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

# 1.5 MB: three chunks of 512 KiB.
{ printf 'MEDIA-AUDIT-MARK '; head -c 1500000 /dev/urandom; } >"$T/photo.jpg"
up=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/photo.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media")
mid=$(echo "$up" | jq -r .id)
ts=$(date +%s)
jq -n --arg ts "$ts" --arg mid "$mid" '{object: "whatsapp_business_account",
    entry: [{id: "102290129340398", changes: [{field: "messages", value:
    {messaging_product: "whatsapp", metadata: {display_phone_number:
    "15550001111", phone_number_id: "106540352242922"}, contacts:
    [{profile: {name: "Mia Bild"}, wa_id: "4915112340001"}], messages:
    [{from: "4915112340001", id: "wamid.MAUD1", timestamp: $ts, type:
    "image", image: {id: $mid, mime_type: "image/jpeg", sha256:
    "x"}}]}}]}]}' >"$T/img.json"
check_eq "the photo webhook is accepted" 200 "$(si_post "$T/img.json")"
conv=$(si list all --json | jq -r '.rows[0].id')
msg=$(si show "$conv" --json | jq -r '.messages[-1].id')
got() {
	si call media.get "{\"message\":$msg,\"offset\":$1}" 2>/dev/null
}
si_until got 0
db="$T/data/support-inbox.db"
reads() {
	sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='media.read'"
}
n0=$(reads)
check "a fetch at offset 0 succeeds" quiet got 0
check_eq "and is audited" $((n0 + 1)) "$(reads)"
check "a fetch starting at offset 524288 succeeds" quiet got 524288
check_eq "and is audited too (it used to be free)" $((n0 + 2)) "$(reads)"
got 1000000 >"$T/tail.json"
check_eq "a fetch of the end of the file gets its bytes" true \
    "$(jq .done "$T/tail.json")"
check_eq "and is audited" $((n0 + 3)) "$(reads)"
check_eq "with the contact" 0 "$(sqlite3 "$db" "SELECT count(*) FROM audit
    WHERE action='media.read' AND contact_id IS NULL")"
n1=$(reads)
check "the CLI fetches the whole file in three chunks" \
    quiet si media get "$msg" --output "$T/got.jpg"
check "byte for byte" cmp -s "$T/photo.jpg" "$T/got.jpg"
check_eq "one record for the three chunks of one fetch" $((n1 + 1)) "$(reads)"
si_stop
si_done
