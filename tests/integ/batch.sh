#!/bin/sh
# Issue 10 point 7: one bad body cannot fail its batch-mates. Concurrent
# webhooks share one commit; a body that fails to store (made to fail by the
# test-only SI_TEST_FAIL_STORE fault, after all its rows were written) gets
# 503 alone, the others 200 and are stored exactly once; the same body
# failing on 3 deliveries is quarantined (sealed), with an alert, and
# answered 200. Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

MARK=FAILSTORE7f3a
N=20
si_tmp
si_config
sed -i 's|^log_level = info|log_level = debug|' "$T/si.conf"
si_init || { not_ok "daemon init"; si_done; exit 1; }
export SI_TEST_FAIL_STORE=$MARK
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
unset SI_TEST_FAIL_STORE
db="$T/data/support-inbox.db"

# body I TEXT: a webhook with one text message from customer I.
body() {
	cat >"$T/b$1.json" <<EOF
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550001111",
"phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"Batch $1"},"wa_id":"49153000$1"}],
"messages":[{"from":"49153000$1","id":"wamid.BATCH$1",
"timestamp":"$(date +%s)","type":"text","text":{"body":"$2"}}]}}]}]}
EOF
}
post() {
	"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
	    --body-file "$T/b$1.json" 2>/dev/null | head -n 1
}
BAD=10
for i in $(seq 10 $((10 + N - 1))); do
	if [ "$i" = "$BAD" ]; then body "$i" "order $MARK"; else
		body "$i" "order $i"; fi
done

# All N requests wait in the kernel while the daemon is stopped, so that it
# reads them in one loop pass: one group commit.
kill -STOP "$SI_DPID"
for i in $(seq 10 $((10 + N - 1))); do
	post "$i" >"$T/code$i" &
done
waiting() {
	[ "$(ss -tnH state established "( sport = :$SI_PORT )" |
	    awk '$1 > 0' | wc -l)" -ge "$N" ]
}
check "$N requests wait for the stopped daemon" si_until waiting
kill -CONT "$SI_DPID"
wait_codes() {
	for i in $(seq 10 $((10 + N - 1))); do
		[ -s "$T/code$i" ] || return 1
	done
}
si_until wait_codes
check_eq "the failing body alone gets 503" 503 "$(cat "$T/code$BAD")"
good=0
for i in $(seq 10 $((10 + N - 1))); do
	[ "$i" != "$BAD" ] && [ "$(cat "$T/code$i")" = 200 ] &&
	    good=$((good + 1))
done
check_eq "its batch-mates get 200" $((N - 1)) "$good"
check_contains "the failure shared a commit with others" \
    "requests in one commit (stored)" \
    "$(grep -A1 'could not be stored (failure 1 of 3' "$T/daemon.log")"
check_eq "the batch-mates are stored, the failing one not" $((N - 1)) \
    "$(si list all --json | jq '.rows | length')"
check_eq "each message exactly once" $((N - 1)) \
    "$(sqlite3 "$db" 'SELECT count(*) FROM messages')"
check_eq "nothing of the failing body is left (raw events)" $((N - 1)) \
    "$(sqlite3 "$db" 'SELECT count(*) FROM raw_events')"
check_eq "and no contact" $((N - 1)) \
    "$(sqlite3 "$db" 'SELECT count(*) FROM contacts')"
check_eq "search finds no trace of it" 0 \
    "$(si search "$MARK" --json | jq '.rows | length')"

# Meta delivers it again: the second failure is another 503, the third
# quarantines it (sealed) and answers 200.
check_eq "2nd delivery: 503" 503 "$(post "$BAD")"
check_eq "nothing quarantined yet" 0 "$(si status --json |
    jq .counts.quarantined)"
check_eq "3rd delivery: quarantined, 200" 200 "$(post "$BAD")"
check_eq "status counts it quarantined" 1 "$(si status --json |
    jq .counts.quarantined)"
check_eq "an alert says so" quarantine "$(si status --json |
    jq -r '.alerts[] | select(.kind == "quarantine") | .kind')"
check "the body is sealed (not in clear in the database)" sh -c \
    "! sqlite3 '$db' .dump | grep -q $MARK"
check_eq "the others are unchanged" $((N - 1)) \
    "$(sqlite3 "$db" 'SELECT count(*) FROM messages')"
check_eq "a good body delivered again: 200" 200 \
    "$(post 11)"
check_eq "a re-delivered good body is not stored twice" $((N - 1)) \
    "$(sqlite3 "$db" 'SELECT count(*) FROM messages')"

si_stop
si_done
