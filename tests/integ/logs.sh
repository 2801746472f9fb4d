#!/bin/sh
# Issue 14 point 7: logs an operator can use, at info level: one line per
# stored webhook batch (requests, messages, statuses, bytes, commit time),
# per send attempt and its outcome (our message and outbox ids, attempt,
# HTTP status, Meta's error code, the next retry), per reload (what
# changed, no secret), per alarm raised and cleared, per client connect
# and disconnect (the Unix login). Internal ids only: no phone number,
# customer name, wamid or message text of this test is in the log. Under
# systemd (JOURNAL_STREAM names stderr) lines carry the syslog priority
# instead of a time stamp. Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

GRP=si-logs
si_tmp
si_config "$GRP"
si_user si_t_logs_a "$GRP"
LOG=$T/inboxd.log
sed -i "s|^log_level = info|log_level = info\nlog_file = $LOG|" "$T/si.conf"
cat >>"$T/si.conf" <<EOF
timeout = 1
retry_base_ms = 100
max_attempts = 2
template_sync_minutes = 0
EOF
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
si agent add si_t_logs_a >/dev/null

fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
has() { grep -qE -- "$1" "$LOG"; }
# The personal data of this test: none of it may reach the log.
PHONE1=4915912345671
PHONE2=4915912345672
NAME1="Ottilie Logprobe"
NAME2="Xaver Zeilenfrei"
TEXT1="Meine Bestellung 4711 ist nicht angekommen"
TEXT2="Rechnung bitte an Hausnummer 12"
REPLY1="Wir schauen sofort nach Ihrer Sendung"
REPLY2="Diese Antwort scheitert bei Meta"
WAMID1=wamid.LOGSPROBE0001
WAMID2=wamid.LOGSPROBE0002
now=$(date +%s)
cat >"$T/in.json" <<EOF
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550001111",
"phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"$NAME1"},"wa_id":"$PHONE1"},
{"profile":{"name":"$NAME2"},"wa_id":"$PHONE2"}],
"messages":[{"from":"$PHONE1","id":"$WAMID1","timestamp":"$now",
"type":"text","text":{"body":"$TEXT1"}},
{"from":"$PHONE2","id":"$WAMID2","timestamp":"$now",
"type":"text","text":{"body":"$TEXT2"}}]}}]}]}
EOF

# --- a webhook batch ---
check_eq "the webhook is accepted" 200 "$(si_post "$T/in.json")"
si_until has "webhook batch: 1 request"
check "one line for the batch: requests, messages, statuses, bytes, commit" \
    has "info: webhook batch: 1 request \(0 failed, 0 quarantined\), 2 messages, 0 statuses, [0-9]+ other events?, [0-9]+ bytes, commit [0-9]+ ms"

# --- sends: one accepted, one refused by Meta ---
C1=$(si contact show "+$PHONE1" --json | jq -r '.conversations[0].id')
C2=$(si contact show "+$PHONE2" --json | jq -r '.conversations[0].id')
M1=$(si reply "$C1" "$REPLY1" --json | jq -r .message)
state() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .state'
}
is_state() { [ "$(state "$1")" = "$2" ]; }
check "the first reply is sent" si_until is_state "$M1" sent
check "a line for the accepted send: ids, attempt, HTTP status" \
    has "info: send: message $M1 \(outbox row [0-9]+\) attempt 1: HTTP 200, Meta error 0: sent$"
fault '{"mode":"131026-sync","count":1}'
M2=$(si reply "$C2" "$REPLY2" --json | jq -r .message)
check "the second reply fails" si_until is_state "$M2" failed
check "a line for the refused send with Meta's error code" \
    has "info: send: message $M2 \(outbox row [0-9]+\) attempt 1: HTTP 400, Meta error 131026: failed$"
fault '{"mode":"500","count":1}'
M3=$(si reply "$C1" "$REPLY1 (2)" --json | jq -r .message)
check "a reply that meets a 500 is sent on the retry" \
    si_until is_state "$M3" sent
check "a line for the failed attempt names the next retry" \
    has "info: send: message $M3 \(outbox row [0-9]+\) attempt 1: HTTP 500, Meta error 131000: will retry, next retry in [0-9]+ ms$"
check "and one for the second attempt" \
    has "info: send: message $M3 \(outbox row [0-9]+\) attempt 2: HTTP 200, Meta error 0: sent$"
check "status webhooks come back as batches with statuses" \
    si_until has "webhook batch: [0-9]+ requests?.* [1-9][0-9]* status(es)?,"

# --- an alarm raised and cleared ---
fault '{"mode":"190","count":1}'
M4=$(si reply "$C1" "$REPLY1 (3)" --json | jq -r .message)
check "a refused token raises the alarm (log)" \
    si_until has "warn: alarm raised: token \(Graph error 190\)"
check "the waiting send's line says it waits" \
    has "info: send: message $M4 \(outbox row [0-9]+\) attempt 1: HTTP 401, Meta error 190: waits: sending paused$"
si outbox resume >/dev/null
check "the alarm clears when a send works again (log)" \
    si_until has "info: alarm cleared: token \(a send succeeded\)"

# --- a reload: what changed, no secret ---
printf 'logs-new-verify-token\n' >"$T/verify_token"
si reload >/dev/null
check "a reload logs what changed" has "info: reload: verify token changed"
check "and not the value" sh -c "! grep -q logs-new-verify-token '$LOG'"

# --- an agent connects and disconnects ---
si_as si_t_logs_a status >/dev/null
check "an agent's connect is logged with the Unix login" \
    has "info: client connected: si_t_logs_a \(uid [0-9]+, pid [0-9]+\)"
check "and the disconnect" si_until \
    has "info: client disconnected: si_t_logs_a \(uid [0-9]+, pid [0-9]+\)"

# --- no personal data, no wamid, no secret ---
for pd in "$PHONE1" "$PHONE2" "+$PHONE1" "$NAME1" "$NAME2" Ottilie Xaver \
    "$TEXT1" "$TEXT2" "$REPLY1" "$REPLY2" Bestellung Rechnung Sendung \
    "$WAMID1" "$WAMID2" LOGSPROBE wamid 15550001111 test-app-secret \
    test-access-token; do
	check "not in the log: $pd" sh -c "! grep -qiF -- \"\$1\" '$LOG'" \
	    sh "$pd"
done
si_stop
check "the log ends with the stop" has "info: stopped$"

# --- under systemd: the journal's priorities, no time stamps ---
sed -i "/^log_file = /d" "$T/si.conf"
: >"$T/journal.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/journal.log") \
    "$SID" -c "$T/si.conf" >>"$T/journal.log" 2>>"$T/journal.log" &
SI_DPID=$!
si_pids="$si_pids $SI_DPID"
check "the daemon starts with its stderr in the journal" \
    si_until si_file_has "$T/journal.log" "support-inboxd ready"
check_eq "journal lines start with the syslog priority, no time stamp" \
    "<6>support-inboxd info: support-inboxd ready" \
    "$(grep -m1 'ready' "$T/journal.log" | sed 's/ (schema.*//')"
check "in a log file the lines keep their time stamps" \
    grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z support-inboxd info: ' \
    "$LOG"
si_stop
si_done
