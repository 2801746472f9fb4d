#!/bin/sh
# Issue 10 point 8: a damaged store is noticed. A store of 20 conversations,
# one page of the messages table overwritten while the daemon is stopped:
# at start the check raises the store alarm, writes are refused with the
# restore hint, webhooks get 503 (Meta retries), reads still answer, and
# "support-inboxd check" exits 1; on the intact store it exits 0 and the
# daemon raises no alarm. Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
db="$T/data/support-inbox.db"

"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count 120 \
    --customers 20 --seed 99 --prefix dmg --rate 1000 --concurrency 4 \
    --timeout 5 >"$T/post.json" 2>"$T/post.err"
n=$(si list all --json | jq '.rows | length')
check "about 20 conversations stored ($n)" test "$n" -ge 15
check_eq "intact: status has no alarm" 0 "$(si status --json |
    jq '.alarms | length')"
check_eq "intact: the start-up check said ok" ok "$(si status --json |
    jq -r .store_check)"
check "intact: support-inboxd check exits 0 (daemon running)" \
    quiet "$SID" check -c "$T/si.conf"
check_contains "and says ok" "ok" "$("$SID" check -c "$T/si.conf")"
si_stop

# One leaf page of the messages table, in the middle, overwritten with a
# fixed pattern (after the WAL is folded into the file).
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
psize=$(sqlite3 "$db" 'PRAGMA page_size')
page=$(sqlite3 "$db" "SELECT pageno FROM dbstat WHERE name = 'messages' AND
    pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2
    FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf')")
check "the messages table has a leaf page to damage" test -n "$page"
head -c "$psize" /dev/zero | tr '\000' '\377' |
    dd of="$db" bs="$psize" seek=$((page - 1)) conv=notrunc 2>/dev/null

out=$("$SID" check -c "$T/si.conf")
rc=$?
check_eq "damaged: support-inboxd check exits 1" 1 "$rc"
check_contains "and names the problem" "support-inbox.db: " "$out"
check_contains "and says to restore the backup" "restore the backup" "$out"

si_start || { not_ok "the damaged store starts"; cat "$T/daemon.log";
    si_done; exit 1; }
check "the daemon runs on the damaged store" kill -0 "$SI_DPID"
check_eq "status shows the store alarm" store "$(si status --json |
    jq -r '.alarms[0].kind')"
check_eq "the start-up check said damaged" damaged "$(si status --json |
    jq -r .store_check)"
check_contains "status text shows it" "ALARM store" "$(si status)"
check "the log says so" si_file_has "$T/daemon.log" "store damaged"
C=$(si list all --json | jq -r '.rows[0].id')
check "reads still answer (list)" test -n "$C"
out=$(si resolve "$C" 2>&1)
rc=$?
check "a write is refused" test "$rc" -ne 0
check_contains "with the restore hint" "restore the backup" "$out"
check_contains "saying the store is damaged" "store damaged" "$out"
cat >"$T/late.json" <<EOF
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550001111",
"phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"Late"},"wa_id":"4915400000001"}],
"messages":[{"from":"4915400000001","id":"wamid.LATE1",
"timestamp":"$(date +%s)","type":"text","text":{"body":"late"}}]}}]}]}
EOF
check_eq "a webhook POST gets 503 (Meta retries later)" 503 \
    "$(si_post "$T/late.json")"
check "the daemon still runs" kill -0 "$SI_DPID"
si_stop
si_done
