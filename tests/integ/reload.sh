#!/bin/sh
# Issue 10 point 6: SIGHUP (and "support-inbox reload") reloads instead of
# killing: the app secret, the verify token, the access token, the log level
# and the log file (logrotate style); a bad new value keeps the old one; a
# non-admin may not reload. Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

GRP=si-reload
si_tmp
si_config "$GRP"
si_user si_t_rl_agent "$GRP"
LOG=$T/inboxd.log
cat >>"$T/si.conf" <<EOF
timeout = 1
retry_base_ms = 100
template_sync_minutes = 0
EOF

# The simulator accepts only "sim-good-token" (its own token file); the
# daemon starts with another one.
(umask 077 && printf 'sim-good-token\n' >"$T/sim_token")
"$SIM" serve --listen 127.0.0.1:0 --token-file "$T/sim_token" \
    --secret-file "$T/app_secret" --webhook "$SI_URL" \
    --phone-number-id 106540352242922 --waba-id 102290129340398 \
    >"$T/sim.out" 2>"$T/sim.err" &
si_pids="$si_pids $!"
si_until test -s "$T/sim.out"
SIMURL="http://127.0.0.1:$(head -n 1 "$T/sim.out")"
sed -i "s|^api_base_url = .*|api_base_url = $SIMURL|" "$T/si.conf"

si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
si agent add si_t_rl_agent >/dev/null

# body N: a signed-able webhook with one text message from customer N.
body() {
	cat >"$T/body$1.json" <<EOF
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550001111",
"phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"Reload $1"},"wa_id":"4915200000$1"}],
"messages":[{"from":"4915200000$1","id":"wamid.RELOAD$1",
"timestamp":"$(date +%s)","type":"text","text":{"body":"hello $1"}}]}}]}]}
EOF
	echo "$T/body$1.json"
}
# post FILE SECRETFILE: the HTTP status.
post() {
	"$SIM" post --url "$SI_URL" --secret-file "$2" --body-file "$1" \
	    2>/dev/null | head -n 1
}
handshake() {
	curl -s -o /dev/null -w '%{http_code}' \
	    "$SI_URL?hub.mode=subscribe&hub.verify_token=$1&hub.challenge=c42"
}
nlines() { grep -c -- "$1" "$LOG"; }

# --- SIGHUP keeps the daemon running ---
kill -HUP "$SI_DPID"
si_until si_file_has "$T/daemon.log" "reload: nothing changed"
check "SIGHUP: the daemon still runs" kill -0 "$SI_DPID"
# From stderr to a log file, by a reload.
sed -i "s|^log_level = info|log_level = info\nlog_file = $LOG|" "$T/si.conf"
kill -HUP "$SI_DPID"
si_until si_file_has "$LOG" "reload: log file changed"
check "SIGHUP: log_file set, the log goes there" si_file_has "$LOG" \
    "reload: log file changed"
check "SIGHUP: it still answers" quiet si status
check_eq "SIGHUP with nothing changed: a webhook is still accepted" 200 \
    "$(post "$(body 01)" "$T/app_secret")"

# --- app secret rotation ---
cp -p "$T/app_secret" "$T/old_secret"
printf 'rotated-app-secret\n' >"$T/app_secret"
kill -HUP "$SI_DPID"
si_until si_file_has "$LOG" "reload: app secret changed"
check_eq "new app secret: a webhook signed with it is accepted" 200 \
    "$(post "$(body 02)" "$T/app_secret")"
check_eq "new app secret: one signed with the old one is refused" 401 \
    "$(post "$(body 03)" "$T/old_secret")"
check "no secret in the log" sh -c "! grep -q -e rotated-app-secret \
    -e test-app-secret '$LOG'"

# --- verify token ---
check_eq "verify token before: the old one answers" 200 \
    "$(handshake test-verify-token)"
printf 'rotated-verify-token\n' >"$T/verify_token"
out=$(si reload)
check_contains "reload says what changed" "verify token changed" "$out"
check_eq "new verify token answers the GET handshake" 200 \
    "$(handshake rotated-verify-token)"
check_eq "the old verify token no longer does" 403 \
    "$(handshake test-verify-token)"

# --- a bad new value keeps the old one ---
printf 'never-used-secret\n' >"$T/app_secret"
chmod 644 "$T/app_secret"
out=$(si reload 2>&1)
rc=$?
check "an unreadable secret file: reload fails" test "$rc" -ne 0
check_contains "and says which file and why" "app_secret" "$out"
check_contains "and that the running configuration is kept" \
    "running configuration is kept" "$out"
kill -HUP "$SI_DPID"
si_until si_file_has "$LOG" "reload failed"
check "after a failed reload the daemon still runs" kill -0 "$SI_DPID"
printf 'rotated-app-secret\n' >"$T/old_secret2"
chmod 600 "$T/old_secret2"
check_eq "the running app secret is kept" 200 \
    "$(post "$(body 04)" "$T/old_secret2")"
printf 'rotated-app-secret\n' >"$T/app_secret"
chmod 600 "$T/app_secret"
sed -i 's|^log_level = info|log_level = loud|' "$T/si.conf"
out=$(si reload 2>&1)
rc=$?
check "a bad log level: reload fails" test "$rc" -ne 0
check_contains "and names the key" "log_level" "$out"

# --- log level ---
sed -i 's|^log_level = loud|log_level = debug|' "$T/si.conf"
out=$(si reload)
check_contains "log level change is reported" "log level info -> debug" "$out"
post "$(body 05)" "$T/app_secret" >/dev/null
check "at debug a debug line appears" si_file_has "$LOG" \
    "debug: webhook: 1 request in one commit"
sed -i 's|^log_level = debug|log_level = info|' "$T/si.conf"
check_contains "and back" "log level debug -> info" "$(si reload)"
n=$(nlines "debug:")
check_eq "at info: a webhook is stored" 200 "$(post "$(body 06)" "$T/app_secret")"
check_eq "at info no debug line is written" "$n" "$(nlines "debug:")"

# --- logrotate: the file moved away, SIGHUP, a new file ---
mv "$LOG" "$LOG.1"
kill -HUP "$SI_DPID"
si_until test -f "$LOG"
check "after SIGHUP a new log file is created" test -f "$LOG"
si_until si_file_has "$LOG" "reload: nothing changed"
check "and written to" si_file_has "$LOG" "reload: nothing changed"
check_eq "the new log file is private" 600 "$(stat -c %a "$LOG")"
check "the SIGHUP itself is in the old file" si_file_has "$LOG.1" \
    "SIGHUP: reloading"

# --- access token: alarm with a wrong one, cleared after a good send ---
C=$(si list all --json | jq -r '.rows[0].id')
M=$(si reply "$C" "with the wrong token" --json | jq -r .message)
token_alarm() {
	[ "$(si status --json | jq -r '.alarms[0].code')" = 190 ]
}
check "a wrong access token raises the token alarm" si_until token_alarm
check_contains "status shows the alarm" "ALARM token" "$(si status)"
printf 'sim-good-token\n' >"$T/access_token"
out=$(si reload)
sent() {
	[ "$(si outbox --json | jq -r --argjson m "$M" \
	    '.rows[] | select(.message == $m) | .state')" = sent ]
}
check "with the new token (reload) the waiting message is sent" \
    si_until sent
check_eq "and the alarm is cleared" 0 "$(si status --json |
    jq '.alarms | length')"
check "the log says the alarm cleared after a send" si_file_has "$LOG" \
    "a send succeeded; token alarm cleared"
check "no token in the log" sh -c "! grep -q -e sim-good-token \
    -e test-access-token '$LOG'"

# --- only an admin reloads; reloads are audited ---
out=$(si_as si_t_rl_agent reload 2>&1)
rc=$?
check "an agent may not reload" test "$rc" -ne 0
check_contains "and is told the admin role is needed" "admin" "$out"
db="$T/data/support-inbox.db"
check_eq "reloads are audited (ok and failed)" "daemon.reload:failed
daemon.reload:ok" "$(sqlite3 "$db" "SELECT DISTINCT action||':'||result FROM
    audit WHERE action = 'daemon.reload' ORDER BY 1")"
check_eq "the refusal is audited" 1 "$(sqlite3 "$db" "SELECT count(*)
    FROM audit WHERE action = 'permission.denied'")"

si_stop
check "the daemon stopped cleanly" test -z "$(grep -m1 Sanitizer "$LOG")"
si_done
