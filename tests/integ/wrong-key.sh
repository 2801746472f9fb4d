#!/bin/sh
# The wrong master key is refused (issue 11.6): a well-formed key from
# another installation stops the daemon at start with a clear error, and
# nothing is written under it; the right key starts it again with every
# message readable. A store from before the check value proves its key by
# unwrapping a contact key.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
jq -n --arg ts "$(date +%s)" '{object: "whatsapp_business_account",
    entry: [{id: "102290129340398", changes: [{field: "messages", value:
    {messaging_product: "whatsapp", metadata: {display_phone_number:
    "15550001111", phone_number_id: "106540352242922"}, contacts:
    [{profile: {name: "Kai Schluessel"}, wa_id: "4915112340003"}],
    messages: [{from: "4915112340003", id: "wamid.KEY1", timestamp: $ts,
    type: "text", text: {body: "only the right key reads me"}}]}}]}]}' \
    >"$T/m.json"
check_eq "a customer writes" 200 "$(si_post "$T/m.json")"
si_stop
db="$T/data/support-inbox.db"
check "the store keeps a key check value" test "$(sqlite3 "$db" \
    "SELECT length(value) FROM meta WHERE key='key_check'")" = 32

# Another installation's key: well-formed, just not ours.
mkdir "$T/other"
sed "s|^data_dir = .*|data_dir = $T/other/data|; s|^socket = .*|socket = $T/other/socket|" \
    "$T/si.conf" >"$T/other.conf"
"$SID" init --as-root -c "$T/other.conf" >/dev/null 2>&1
cp -p "$T/data/master.key" "$T/right.key"
before=$(sha256sum "$db" | cut -d' ' -f1)
cp -p "$T/other/data/master.key" "$T/data/master.key"
out=$(timeout 20 "$SID" -c "$T/si.conf" 2>&1)
check "the daemon refuses to start with the wrong key" test $? -ne 0 \
    -a $? -ne 124
check_contains "and says the key is not this store's" \
    "not this store's key" "$out"
check_eq "nothing was written to the store" "$before" \
    "$(sha256sum "$db" | cut -d' ' -f1)"

# A store from before the check: the check value is gone.
sqlite3 "$db" "DELETE FROM meta WHERE key='key_check'"
out=$(timeout 20 "$SID" -c "$T/si.conf" 2>&1)
check "an older store refuses the wrong key too (by its contact keys)" \
    test $? -ne 0
check_contains "with the same error" "not this store's key" "$out"
check_eq "and records no check value for it" "" "$(sqlite3 "$db" \
    "SELECT count(*) FROM meta WHERE key='key_check'" | grep -v '^0$')"

cp -p "$T/right.key" "$T/data/master.key"
si_start
check "the right key starts it" si status
check_contains "and reads the message" "only the right key reads me" \
    "$(si show "$(si list all --json | jq -r '.rows[0].id')")"
check "the check value is recorded again" test "$(sqlite3 "$db" \
    "SELECT length(value) FROM meta WHERE key='key_check'")" = 32
si_stop
si_done
