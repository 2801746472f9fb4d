#!/bin/sh
# Issue 18, point 1: event hooks. A local HTTPS receiver (self-signed,
# trusted through cacert =) gets each event signed (HMAC-SHA256 over
# "timestamp.body", checked here with python's hmac), with a stable
# idempotency key; a failing receiver gets retries, then the dead-letter
# list (hook list --failed), and hook retry delivers exactly once; a
# program hook gets the same JSON on stdin; include = decides what
# personal data goes out; a restart still delivers what was pending; bad
# [hook] sections are refused; every outcome is audited.
. "$(dirname "$0")/../lib.sh"

GRP=si-hooks
si_tmp
si_config "$GRP"
si_user si_t_hka "$GRP"
mkdir -p "$T/recv" "$T/out"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
printf 'hook-secret-1\n' >"$T/hook_secret"
chmod 600 "$T/hook_secret"
python3 "$SI_TOP/tests/hook-receiver.py" "$T/recv" "$T/cert.pem" \
    "$T/key.pem" >"$T/recv.port" 2>"$T/recv.err" &
si_pids="$si_pids $!"
si_until test -s "$T/recv.port"
RPORT=$(head -n 1 "$T/recv.port")
cat >"$T/prog.sh" <<EOP
#!/bin/sh
n=\$(ls "$T/out" | grep -c "^in-")
cat >"$T/out/in-\$n.json"
echo "\$SI_HOOK_EVENT \$SI_HOOK_DELIVERY" >"$T/out/env-\$n"
EOP
chmod 755 "$T/prog.sh"
cat >>"$T/si.conf" <<EOC

[hook crm]
events = conversation.new conversation.resolved conversation.assigned
url = https://127.0.0.1:$RPORT/in
secret_file = hook_secret
cacert = cert.pem
include = ids
max_attempts = 3
backoff = 1
backoff_max = 2

[hook script]
events = conversation.resolved
program = $T/prog.sh
include = names

[hook failures]
events = message.failed
program = $T/failed.sh
EOC
cat >"$T/failed.sh" <<EOP
#!/bin/sh
cat >"$T/failed.json"
EOP
chmod 755 "$T/failed.sh"
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
nreq() { ls "$T/recv" | grep -c '^req-'; }
nreq_ge() { [ "$(nreq)" -ge "$1" ]; }
ndead_is() { [ "$(si hook list --failed --json | jq '.deliveries | length')" \
    -eq "$1" ]; }
resolved_seen() { cat "$T"/recv/req-* | grep -q 'conversation.resolved'; }
newdelivered_is() { [ "$(db "SELECT count(*) FROM hook_deliveries WHERE
    event = 'conversation.new' AND state = 'delivered'")" -eq "$1" ]; }
req() { cat "$T/recv/req-$1.json"; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Zyxwv Hookname\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
conv_of() {
	si list all --json | jq -r '[.rows[] | .id] | max'
}

# --- bad [hook] sections are refused, naming the fix ---
bad() {	# WANT LINES
	cp "$T/si.conf" "$T/bad.conf"
	printf '%b' "$2" >>"$T/bad.conf"
	out=$("$SID" -c "$T/bad.conf" 2>&1)
	rc=$?
	check "bad config refused: $1" test $rc -ne 0
	check_contains "and explained: $1" "$1" "$out"
}
bad "unknown event 'conversation.nope'" \
    '\n[hook x]\nevents = conversation.nope\nprogram = /bin/true\n'
bad "needs exactly one of url = and program =" \
    '\n[hook y]\nevents = conversation.new\n'
bad "http:// only to 127.0.0.1" \
    '\n[hook z]\nevents = conversation.new\nurl = http://example.com/x\n'
bad "needs secret_file" \
    '\n[hook w]\nevents = conversation.new\nurl = https://example.com/x\n'
bad "needs waiting_minutes" \
    '\n[hook v]\nevents = conversation.waiting\nprogram = /bin/true\n'
bad "expects ids, masked, names or text" \
    '\n[hook u]\nevents = conversation.new\nprogram = /bin/true\ninclude = all\n'

si_sim --statuses none --no-whatsapp +491510000083
check "init" si_init
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_hka >/dev/null

# --- a new conversation: signed, timestamped, keyed, ids only ---
inbound 491510000081 "PLANTED-HOOK-TEXT please help"
C=$(conv_of)
check "the receiver gets conversation.new" si_until nreq_ge 1
R1=$(req 1)
check_eq "X-SI-Event" conversation.new \
    "$(echo "$R1" | jq -r '.headers["X-SI-Event"]')"
check "X-SI-Timestamp is a unix time" test \
    "$(echo "$R1" | jq -r '.headers["X-SI-Timestamp"]')" -gt 1600000000
check_eq "the signature verifies (HMAC-SHA256 over timestamp.body)" ok \
    "$(echo "$R1" | python3 -c '
import hmac, hashlib, json, sys
r = json.load(sys.stdin); h = r["headers"]
m = hmac.new(b"hook-secret-1", (h["X-SI-Timestamp"] + "." + r["body"]).encode(),
    hashlib.sha256).hexdigest()
print("ok" if h["X-SI-Signature"] == "sha256=" + m else "bad")')"
check_eq "the body names the conversation" "$C" \
    "$(echo "$R1" | jq -r '.body | fromjson | .conversation.id')"
check_eq "the key in the body is X-SI-Delivery" \
    "$(echo "$R1" | jq -r '.headers["X-SI-Delivery"]')" \
    "$(echo "$R1" | jq -r '.body | fromjson | .delivery')"
# the masked number's last digits count only standing alone: a signature,
# key or timestamp can hold 0081 by chance (CI saw it once)
if echo "$R1" | grep -qE 'Hookname|PLANTED|491510000081|(^|[^0-9a-fA-F])0081([^0-9a-fA-F]|$)'; then
	not_ok "include = ids sends no name, number or text"
else
	ok "include = ids sends no name, number or text"
fi
check_eq "the delivery is recorded as delivered" delivered \
    "$(si hook list --json | jq -r '.deliveries[] | select(.event ==
    "conversation.new") | .state')"
check_eq "its body is dropped once delivered" 0 \
    "$(db "SELECT count(*) FROM hook_deliveries WHERE state = 'delivered'
    AND body_enc IS NOT NULL")"

# --- a failing receiver: retries with the same key, then dead ---
echo 9 >"$T/recv/fail"
si_as si_t_hka assign "$C" me >/dev/null
check "assigned: three attempts" si_until nreq_ge 4
check "then dead in hook list --failed" si_until ndead_is 1
DEAD=$(si hook list --failed --json | jq -r '.deliveries[0].id')
check_eq "the dead one is conversation.assigned" conversation.assigned \
    "$(si hook list --failed --json | jq -r '.deliveries[0].event')"
check_eq "after 3 attempts" 3 \
    "$(si hook list --failed --json | jq -r '.deliveries[0].attempts')"
check_eq "the last error is the status" "HTTP 500" \
    "$(si hook list --failed --json | jq -r '.deliveries[0].last_error')"
check_eq "one idempotency key across the retries" 1 \
    "$(for i in 2 3 4; do req $i | jq -r '.headers["X-SI-Delivery"]'; done |
    sort -u | wc -l)"
echo 0 >"$T/recv/fail"
sleep 3
N=$(nreq)
out=$(si hook retry "$DEAD")
check_contains "hook retry" "1 dead deliveries sent again" "$out"
check "retry delivers" si_until nreq_ge $((N + 1))
sleep 3
check_eq "exactly once" $((N + 1)) "$(nreq)"
check_eq "with the same key" \
    "$(req 2 | jq -r '.headers["X-SI-Delivery"]')" \
    "$(req $((N + 1)) | jq -r '.headers["X-SI-Delivery"]')"
check_eq "and the list has no dead one left" 0 \
    "$(si hook list --failed --json | jq '.deliveries | length')"
out=$(si hook retry "$DEAD" 2>&1)
check_contains "a delivered one is not retried" "only dead ones" "$out"

# --- a program hook: the same JSON on stdin; include = names ---
si_as si_t_hka resolve "$C" >/dev/null
check "the program ran" si_until test -s "$T/out/in-0.json"
check_eq "it got conversation.resolved" conversation.resolved \
    "$(jq -r .event "$T/out/in-0.json")"
check_eq "include = names adds the name" "Zyxwv Hookname" \
    "$(jq -r .contact.name "$T/out/in-0.json")"
check "and the masked number" test -n \
    "$(jq -r '.contact.phone_masked // empty' "$T/out/in-0.json")"
check_eq "but not the text" null "$(jq -r .text "$T/out/in-0.json")"
check_contains "with the event in its environment" conversation.resolved \
    "$(cat "$T/out/env-0")"
check "the url hook got the resolve too" si_until resolved_seen

# --- hook test; agents may not; audit ---
out=$(si hook test crm --json)
check "hook test records a delivery" test "$(echo "$out" | jq .id)" -gt 0
check "and it arrives" si_until sh -c "cat '$T'/recv/req-* | grep -q hook.test"
out=$(si_as si_t_hka hook list 2>&1)
check_contains "an agent may not list hooks" "needs the supervisor role" "$out"
out=$(si hook test nosuch 2>&1)
check_contains "an unknown hook is named" "no hook 'nosuch'" "$out"
AUD=$(si audit show --json --limit 500)
check_contains "hook.deliver is audited" hook.deliver "$AUD"
check_contains "hook.retry is audited" hook.retry "$AUD"
if echo "$AUD" | grep -qE 'Hookname|PLANTED'; then
	not_ok "the audit records hold no personal data"
else
	ok "the audit records hold no personal data"
fi
check "the body is sealed on disk" sh -c "! grep -aq Hookname \
    '$T/data/support-inbox.db'"

# --- a send that fails: message.failed ---
inbound 491510000083 "no whatsapp here"
CF=$(conv_of)
MF=$(si reply "$CF" "this one fails" --json | jq -r .message)
check "a failed send reaches its hook" si_until test -s "$T/failed.json"
check_eq "as message.failed" message.failed \
    "$(jq -r .event "$T/failed.json")"
check_eq "naming the message" "$MF" "$(jq -r .data.message "$T/failed.json")"
check_eq "and Meta's code" 131026 "$(jq -r .data.error_code "$T/failed.json")"

# --- a reload adds a hook ---
cat >>"$T/si.conf" <<EOC

[hook late]
events = campaign.finished
program = $T/prog.sh
EOC
si reload >/dev/null
check "the reload says so" si_until si_file_has "$T/daemon.log" \
    "reload: hooks changed"
si hook test late >/dev/null
check "a hook added by a reload delivers" si_until test -s \
    "$T/out/in-1.json"
check_eq "its test event" hook.test "$(jq -r .event "$T/out/in-1.json")"

# --- at least once: a restart with a delivery pending ---
si_stop
: >"$T/recv/fail"
echo 1 >"$T/recv/fail"
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
N=$(nreq)
inbound 491510000082 "again"
check "a failed first attempt" si_until nreq_ge $((N + 1))
si_stop
si_start || { not_ok "daemon restarts again"; si_done; exit 1; }
check "after the restart the pending one is delivered" si_until \
    newdelivered_is 2
no_null() { ! si hook list | grep -qF '(null)'; }
check "hook list: a delivery that never failed shows no error text" no_null

si_stop
si_done
