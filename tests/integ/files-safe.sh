#!/bin/sh
# Files the tools write are created safely (issue 11.8): a backup does not
# follow a link planted at DIR/README (or a link in place of DIR/db), and an
# export (--output) is created new, 0600, refusing an existing file (which
# keeps its mode and content) and a symbolic link.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
ts=$(date +%s)
jq -n --arg ts "$ts" '{object: "whatsapp_business_account", entry: [{id:
    "102290129340398", changes: [{field: "messages", value:
    {messaging_product: "whatsapp", metadata: {display_phone_number:
    "15550001111", phone_number_id: "106540352242922"}, contacts:
    [{profile: {name: "Ida Fileson"}, wa_id: "4915112340000"}], messages:
    [{from: "4915112340000", id: "wamid.FILES1", timestamp: $ts, type:
    "text", text: {body: "hello files"}}]}}]}]}' >"$T/m.json"
check_eq "a customer writes" 200 "$(si_post "$T/m.json")"
cid=$(si list all --json | jq -r '.rows[0].contact_id')

# --- backup ---
echo "precious" >"$T/victim"
chmod 644 "$T/victim"
mkdir -m 700 "$T/bk"
ln -s "$T/victim" "$T/bk/README"
check "backup into a directory with a planted README link" \
    quiet "$SID" backup -c "$T/si.conf" "$T/bk"
check_eq "the link's target is untouched" precious "$(cat "$T/victim")"
check "README is a file of its own now" test -f "$T/bk/README" \
    -a ! -L "$T/bk/README"
check_eq "README is 0600" 600 "$(stat -c %a "$T/bk/README")"
check "the backup holds the database" test -s "$T/bk/db/support-inbox.db"
mkdir -m 700 "$T/bk2" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/bk2/db"
out=$("$SID" backup -c "$T/si.conf" "$T/bk2" 2>&1)
check "a link in place of db/ is refused" test $? -ne 0
check_contains "and says why" "symbolic link" "$out"
check_eq "nothing was written through it" "" "$(ls "$T/elsewhere")"
mkdir -m 777 "$T/bk3"
out=$("$SID" backup -c "$T/si.conf" "$T/bk3" 2>&1)
check "a directory others can write to is refused" test $? -ne 0
check_contains "and the fix is named" "chmod go-w" "$out"

# --- exports ---
echo "old content" >"$T/exists.json"
chmod 644 "$T/exists.json"
out=$(si privacy export "contact:$cid" --reason "Art. 15 test" --yes \
    --output "$T/exists.json" 2>&1)
check "privacy export onto an existing file is refused" test $? -ne 0
check_contains "and says so" "exists" "$out"
check_eq "the file keeps its content" "old content" "$(cat "$T/exists.json")"
check_eq "and its mode" 644 "$(stat -c %a "$T/exists.json")"
ln -s "$T/victim" "$T/link.json"
out=$(si privacy export "contact:$cid" --reason "Art. 15 test" --yes \
    --output "$T/link.json" 2>&1)
check "privacy export through a link is refused" test $? -ne 0
check_eq "the link's target is untouched" precious "$(cat "$T/victim")"
n0=$(sqlite3 "$T/data/support-inbox.db" \
    "SELECT count(*) FROM audit WHERE action LIKE 'privacy.export%'")
check_eq "a refused file name leaves no audited export" 0 "$n0"
check "privacy export to a new file works" quiet si privacy export \
    "contact:$cid" --reason "Art. 15 test" --yes --output "$T/new.json"
check_eq "created 0600" 600 "$(stat -c %a "$T/new.json")"
check_contains "with the customer's data" "hello files" \
    "$(cat "$T/new.json")"
out=$(si audit export --output "$T/exists.json" 2>&1)
check "audit export onto an existing file is refused" test $? -ne 0
check_eq "the file keeps its content" "old content" "$(cat "$T/exists.json")"
out=$(si audit export --output "$T/link.json" 2>&1)
check "audit export through a link is refused" test $? -ne 0
check_eq "the link's target is untouched" precious "$(cat "$T/victim")"
check "audit export to a new file works" quiet si audit export \
    --output "$T/audit.jsonl"
check_eq "created 0600" 600 "$(stat -c %a "$T/audit.jsonl")"

# canned export replaces a planted link instead of writing through it
si canned add hi --title Hello --body "Hallo, wie kann ich helfen?" >/dev/null 2>&1
mkdir -m 700 "$T/canned"
ln -s "$T/victim" "$T/canned/hi.txt"
si canned export "$T/canned" >/dev/null 2>&1
check_eq "canned export leaves a link's target alone" precious \
    "$(cat "$T/victim")"
check "and writes the reply as a file" test -f "$T/canned/hi.txt" \
    -a ! -L "$T/canned/hi.txt"
si_stop
si_done
