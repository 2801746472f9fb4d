#!/bin/sh
# Issue 3: every webhook sample stored and shown; signatures, sizes, methods,
# malformed bodies; statuses, consent, templates, alerts, identity; events
# pushed; 503 on a storage fault with nothing lost; bounded connections.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
sed -i 's/^path = \/webhook/path = \/webhook\ntimeout = 2\nmax_connections = 8/' "$T/si.conf"
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start

# Every sample, each made unique (wamids prefixed per file, references
# inside a file kept consistent), posted signed: all acknowledged.
n=0; acked=0
for f in "$SI_FIXTURES"/webhook-*.json; do
	n=$((n + 1))
	sed "s/wamid\./wamid.F${n}x/g" "$f" >"$T/fx-$n.json"
	code=$(si_post "$T/fx-$n.json")
	if [ "$code" = 200 ]; then acked=$((acked + 1)); else echo "# $f: $code"; fi
done
check_eq "every webhook sample is acknowledged with 200" "$n" "$acked"
si_all_messages >"$T/all.jsonl"
q() { jq -s "$1" "$T/all.jsonl"; }
has() { check_eq "$1" true "$(q "$2")"; }

has "text is stored and shown" \
    'any(.[]; .type=="text" and .body.text=="Is the smoky oolong back in stock?")'
has "image keeps media id, mime type, sha256 and caption" \
    'any(.[]; .type=="image" and .body.media.id=="2417790386154021" and
    .body.media.mime_type=="image/jpeg" and
    .body.media.sha256=="GJFd4dtQNEKPPssiZt5JJYbz9fbumvQzJAmL20LN7mw=" and
    .body.media.caption=="Dented lid on arrival")'
has "document keeps its filename" \
    'any(.[]; .type=="document" and .body.media.filename=="invoice-20250602.pdf")'
has "voice note is marked as voice" \
    'any(.[]; .type=="audio" and .body.media.voice==true)'
has "video keeps its caption" \
    'any(.[]; .type=="video" and .body.media.caption=="Unboxing the gift set")'
has "animated sticker is marked animated" \
    'any(.[]; .type=="sticker" and .body.media.animated==true)'
has "location keeps coordinates and name" \
    'any(.[]; .type=="location" and (.body.location.latitude|floor)==44 and
    (.body.text|test("Larkspur Tea Rooms")))'
has "shared contacts are named" \
    'any(.[]; .type=="contacts" and (.body.text|test("Wilhelmina")))'
has "interactive button reply keeps id and title" \
    'any(.[]; .type=="interactive" and .body.reply_id=="track-parcel" and
    .body.text=="Track my parcel")'
has "interactive list reply is stored" \
    'any(.[]; .type=="interactive" and .body.subtype=="list_reply")'
has "template quick-reply button keeps its payload" \
    'any(.[]; .type=="button" and .body.reply_id=="STOP_PROMOTIONS")'
has "order is summarised" 'any(.[]; .type=="order" and (.body.text|test("order")))'
has "reaction keeps emoji and target" \
    'any(.[]; .type=="reaction" and .body.reaction.emoji=="👍" and
    (.body.reaction.to|startswith("wamid.")))'
has "removed reaction is stored with an empty emoji" \
    'any(.[]; .type=="reaction" and .body.reaction.emoji=="")'
has "edit names the original and carries the new text" \
    'any(.[]; .type=="edit" and (.body.edits|startswith("wamid.")) and
    .body.text=="The right photo: the label on the tin")'
has "revoke names the original" \
    'any(.[]; .type=="revoke" and (.body.revokes|startswith("wamid.")))'
has "unsupported keeps its error" \
    'any(.[]; .supported==false and .body.errors[0].code==131051)'
has "click-to-WhatsApp referral is kept" \
    'any(.[]; .body.referral.source_type=="ad")'
has "reply context is kept" 'any(.[]; .body.context.id != null)'
has "referred product is kept" \
    'any(.[]; .body.context.referred_product != null)'
has "system number change is stored" \
    'any(.[]; .type=="system" and .body.system.type=="user_changed_number")'
has "business app echo is stored as outbound" \
    'any(.[]; .direction=="out" and (.body.text|test("your tracking link")))'

check_eq "a BSUID-only customer is stored and shown" true \
    "$(si list all --limit 500 --json | jq '[.rows[] | select(.has_bsuid and
    .phone_masked==null)] | length > 0')"
st=$(si status --json)
check "statuses for messages not known yet are kept" \
    test "$(echo "$st" | jq .counts.pending_statuses)" -gt 0
check_eq "value.errors are visible in status" true \
    "$(echo "$st" | jq 'any(.alerts[]; .code==130429)')"
check "account alerts are recorded" test "$(echo "$st" | jq .counts.alerts)" -ge 5
db="$T/data/support-inbox.db"
check_eq "user_preferences writes the consent ledger" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM consent WHERE purpose='marketing'
    AND opt_in=1 AND source='user_preferences'")"
check_eq "template status updates the templates table" APPROVED \
    "$(sqlite3 "$db" "SELECT status FROM templates WHERE name='parcel_dispatched'")"
check_eq "template quality updates are recorded" 1 \
    "$(sqlite3 "$db" "SELECT count(*) > 0 FROM templates WHERE quality IS NOT NULL")"

# Opening a conversation is audited with the contact it concerns.
a0=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='conversation.open'
    AND contact_id IS NOT NULL AND result='ok'")
c1=$(si list all --json | jq '.rows[0].id')
si show "$c1" --purpose "ticket 123" >/dev/null
check_eq "opening a conversation writes one audit record" $((a0 + 1)) \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='conversation.open'
    AND contact_id IS NOT NULL AND result='ok'")"
check_eq "with its purpose (sealed; an admin reads it with a purpose)" \
    "ticket 123" "$(si audit export --action conversation.open --detail \
    --purpose "ingest test" | tail -n 1 | jq -r .purpose)"
check_eq "and an unread count of zero afterwards" 0 \
    "$(si list all --json | jq ".rows[] | select(.id==$c1) | .unread")"

# Statuses on our own (echoed) message: monotonic, failed terminal, deduped.
msgs() { si status --json | jq .counts.messages; }
status_of() {
	si_all_messages | jq -r "select(.body.wamid==\"$1\") | .status"
}
mkstatus() {	# WAMID STATUS TS
	jq --arg id "$1" --arg st "$2" --arg ts "$3" \
	    '.entry[0].changes[0].value.statuses[0] |= (.id=$id | .status=$st |
	    .timestamp=$ts)' "$SI_FIXTURES/webhook-status-delivered.json" \
	    >"$T/st.json"
	si_post "$T/st.json"
}
jq '.entry[0].changes[0].value.message_echoes[0].id = "wamid.OURS1"' \
    "$SI_FIXTURES/webhook-smb-message-echoes-text.json" >"$T/echo.json"
check_eq "an outbound echo is accepted" 200 "$(si_post "$T/echo.json")"
mkstatus wamid.OURS1 read 1739321100 >/dev/null
mkstatus wamid.OURS1 delivered 1739321090 >/dev/null
check_eq "a late delivered never lowers read" read "$(status_of wamid.OURS1)"
before=$(si status --json | jq .webhook.events)
mkstatus wamid.OURS1 read 1739321100 >/dev/null
check_eq "a repeated status changes nothing" read "$(status_of wamid.OURS1)"
jq '.entry[0].changes[0].value.statuses[0].id = "wamid.OURS1"' \
    "$SI_FIXTURES/webhook-status-failed-131049.json" >"$T/fail.json"
si_post "$T/fail.json" >/dev/null
check_eq "failed wins and keeps the code" "failed 131049" \
    "$(si_all_messages | jq -r 'select(.body.wamid=="wamid.OURS1") |
    "\(.status) \(.error_code)"')"
mkstatus wamid.OURS1 read 1739321200 >/dev/null
check_eq "failed is terminal" failed "$(status_of wamid.OURS1)"

# A repeated delivery changes nothing.
sed -e 's/wamid\./wamid.DUPx/g' "$SI_FIXTURES/webhook-text.json" >"$T/dup.json"
si_post "$T/dup.json" >/dev/null
m0=$(msgs)
check_eq "a repeated delivery is acknowledged" 200 "$(si_post "$T/dup.json")"
check_eq "and stores nothing new" "$m0" "$(msgs)"
check "and is counted as a duplicate" \
    test "$(si status --json | jq .webhook.duplicates)" -gt 0

# Identity: a number change keeps the conversation.
sed -e 's/12025550147/4915100000011/g' -e 's/12025550188/4915100000012/g' \
    -e 's/wamid\./wamid.ID1x/g' \
    "$SI_FIXTURES/webhook-system-user-changed-number.json" >"$T/id1.json"
sed -e 's/12025550147/4915100000011/g' -e 's/wamid\./wamid.ID0x/g' \
    "$SI_FIXTURES/webhook-text.json" >"$T/id0.json"
sed -e 's/12025550147/4915100000012/g' -e 's/wamid\./wamid.ID2x/g' \
    "$SI_FIXTURES/webhook-text.json" >"$T/id2.json"
si_post "$T/id0.json" >/dev/null
si_post "$T/id1.json" >/dev/null
si_post "$T/id2.json" >/dev/null
convs=$(si_all_messages | jq -r 'select(.body.wamid|startswith("wamid.ID")) |
    .conv' | sort -u | wc -l)
check_eq "a customer's new number stays in the same conversation" 1 "$convs"

# Refusals: nothing stored, counters raised.
raw0=$(si status --json | jq .counts.raw_events)
check_eq "a wrong signature gets 401" 401 "$(si_post "$T/fx-2.json" bad)"
check_eq "a missing signature gets 401" 401 "$(si_post "$T/fx-2.json" none)"
check_eq "bad signatures are counted" 2 \
    "$(si status --json | jq .webhook.bad_signature)"
head -c 3145729 /dev/zero | tr '\0' ' ' >"$T/big.json"
check_eq "a body over 3 MiB gets 413" 413 "$(si_post "$T/big.json")"
check_eq "PUT gets 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$SI_URL")"
check_eq "another path gets 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$SI_PORT/other")"
check_eq "refused requests store nothing" "$raw0" \
    "$(si status --json | jq .counts.raw_events)"

# Verification handshake: the challenge echoed byte for byte.
body=$(curl -s "$SI_URL?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=a%2Fb%20c%3D%26%C3%BC")
check_eq "GET verification echoes the decoded challenge" "a/b c=&ü" "$body"
check_eq "a wrong verify token gets 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' \
    "$SI_URL?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")"

# Malformed but signed: 200, quarantined, visible, replayable.
printf '{"object":"whatsapp_business_account","entry":[{"changes":' >"$T/broken.json"
check_eq "a signed body that does not parse is answered 200" 200 \
    "$(si_post "$T/broken.json")"
check_eq "and quarantined, visible in status" 1 \
    "$(si status --json | jq .counts.quarantined)"
si_stop
out=$("$SID" replay -c "$T/si.conf" 2>&1)
check_contains "replay runs and reports" "replayed 0 quarantined events" "$out"
check "daemon restarts" si_start
check_eq "what still does not parse stays quarantined" 1 \
    "$(si status --json | jq .counts.quarantined)"

# Pushed events reach a subscribed client.
si events --count 1 >"$T/watch.out" 2>&1 &
wpid=$!
si_pids="$si_pids $wpid"
si_until si_file_has "$T/watch.out" subscribed
sed -e 's/wamid\./wamid.EV1x/g' "$SI_FIXTURES/webhook-text.json" >"$T/ev.json"
si_post "$T/ev.json" >/dev/null
i=0; while kill -0 $wpid 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
check_contains "a new message is pushed to connected clients" '"event":"message"' \
    "$(cat "$T/watch.out")"

# Slow clients are timed out and connections are bounded: 16 connections
# that never send a byte and never close (held by one process).
fds0=$(ls /proc/$SI_DPID/fd | wc -l)
python3 -c 'import socket, sys, time
s = [socket.create_connection(("127.0.0.1", int(sys.argv[1])))
     for _ in range(16)]
time.sleep(60)' "$SI_PORT" &
holder=$!
si_pids="$si_pids $holder"
held() { [ $(($(ls /proc/$SI_DPID/fd | wc -l) - fds0)) -ge "$1" ]; }
si_until held 1
sleep 1
fds1=$(ls /proc/$SI_DPID/fd | wc -l)
check "16 idle connections hold at most max_connections (8) descriptors" \
    test $((fds1 - fds0)) -le 8
# Each is timed out after 2 s (timeout = 2), not closed by the client.
released() { [ "$(ls /proc/$SI_DPID/fd | wc -l)" -le "$fds0" ]; }
check "stalled clients are timed out while they still hold on" \
    si_until released
check "(the client still holds them)" kill -0 "$holder"
sed -e 's/wamid\./wamid.AFTERx/g' "$SI_FIXTURES/webhook-text.json" >"$T/after.json"
check_eq "the endpoint answers again once they are gone" 200 \
    "$(si_post "$T/after.json")"
si_stop

# A storage fault answers 503 and loses nothing: data dir on a small tmpfs.
mkdir "$T/small"
if mount -t tmpfs -o size=3m tmpfs "$T/small"; then
	si_mounts="$T/small"
	sed -i "s|^data_dir = .*|data_dir = $T/small/data|" "$T/si.conf"
	si_init && si_start
	dd if=/dev/zero of="$T/small/filler" bs=64k 2>/dev/null
	# a body bigger than anything the WAL can reuse: 1 MB of text
	head -c 700000 /dev/zero | tr '\0' 'x' >"$T/bigtext"
	jq --rawfile t "$T/bigtext" '.entry[0].changes[0].value.messages[0].text.body = $t |
	    .entry[0].changes[0].value.messages[0].id = "wamid.FULL1"' \
	    "$SI_FIXTURES/webhook-text.json" >"$T/full.json"
	check_eq "a full disk answers 503 so Meta retries" 503 "$(si_post "$T/full.json")"
	check "and the daemon keeps running" quiet si status
	check "503s are counted" test "$(si status --json | jq .webhook.db_errors)" -ge 1
	rm -f "$T/small/filler"
	check_eq "the retried delivery is then stored" 200 "$(si_post "$T/full.json")"
	check_eq "exactly once" 1 "$(si_all_messages | jq -r 'select(.body.wamid==
	    "wamid.FULL1") | .id' | wc -l)"
	si_stop
else
	not_ok "cannot mount a tmpfs for the storage-fault test (run as root)"
fi

si_done
