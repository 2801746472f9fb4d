#!/bin/sh
# Issue 14 point 5: rotating the App Secret with zero downtime. The new
# secret goes into app_secret_file, the old one into
# app_secret_previous_file, SIGHUP: webhooks signed with either are
# accepted, and status (the CLI's, and support-inboxd status) shows how
# many each signed and when last, so the operator knows when to drop the
# previous one; once dropped (SIGHUP again) old-signed webhooks get 401.
# Nothing of the secrets reaches the log. Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
LOG=$T/daemon.log
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$LOG"; si_done; exit 1; }

# body N: a webhook with one text message from customer N.
body() {
	cat >"$T/body$1.json" <<EOF
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550001111",
"phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"Rotate $1"},"wa_id":"4915800000$1"}],
"messages":[{"from":"4915800000$1","id":"wamid.ROTATE$1",
"timestamp":"$(date +%s)","type":"text","text":{"body":"hello $1"}}]}}]}]}
EOF
	echo "$T/body$1.json"
}
# post FILE SECRETFILE: the HTTP status.
post() {
	"$SIM" post --url "$SI_URL" --secret-file "$2" --body-file "$1" \
	    2>/dev/null | head -n 1
}
secrets() { si status --json | jq -c "$1"; }

cp -p "$T/app_secret" "$T/old_secret"
check_eq "before: a webhook with the secret is accepted" 200 \
    "$(post "$(body 01)" "$T/app_secret")"
check_eq "status counts it for the current secret" "1 false" \
    "$(si status --json | jq -r '.webhook.secrets |
    "\(.current.accepted) \(.previous.configured)"')"
check_contains "status text: no previous secret" \
    "previous app secret: not configured" "$(si status)"

# --- rotation: new secret current, the old one previous ---
(umask 077 && printf 'rotated-new-secret\n' >"$T/app_secret")
sed -i 's|^app_secret_file = app_secret$|&\napp_secret_previous_file = old_secret|' \
    "$T/si.conf"
kill -HUP "$SI_DPID"
si_until si_file_has "$LOG" "reload: previous app secret set"
check "reload says the secret changed" si_file_has "$LOG" \
    "reload: app secret changed"
check_eq "after the reload the counts start again" "0 0 true" \
    "$(si status --json | jq -r '.webhook.secrets |
    "\(.current.accepted) \(.previous.accepted) \(.previous.configured)"')"
check_eq "overlap: signed with the new secret: accepted" 200 \
    "$(post "$(body 02)" "$T/app_secret")"
check_eq "overlap: signed with the old (previous) secret: accepted" 200 \
    "$(post "$(body 03)" "$T/old_secret")"
check_eq "overlap: the old secret again: accepted" 200 \
    "$(post "$(body 04)" "$T/old_secret")"
printf 'some-other-secret\n' >"$T/other_secret"
chmod 600 "$T/other_secret"
check_eq "overlap: any other secret: refused" 401 \
    "$(post "$(body 05)" "$T/other_secret")"
check_eq "status: one webhook with the current, two with the previous" \
    "1 2" "$(si status --json | jq -r '.webhook.secrets |
    "\(.current.accepted) \(.previous.accepted)"')"
check "status: when the previous one was used last" test \
    "$(si status --json | jq '.webhook.secrets.previous.last')" -gt 0
out=$(si status)
check_contains "status text: the current secret's count" \
    "current app secret: 1 webhook(s) accepted" "$out"
check_contains "status text: the previous secret's count" \
    "previous app secret: 2 webhook(s) accepted" "$out"
out=$("$SID" status -c "$T/si.conf")
check_contains "support-inboxd status: the previous secret's count" \
    "previous app secret: 2 webhooks accepted, last 20" "$out"
check_eq "all four accepted webhooks are stored" 4 \
    "$(si list all --json | jq '.rows | length')"

# --- the previous secret dropped ---
sed -i '/^app_secret_previous_file = /d' "$T/si.conf"
out=$(si reload)
check_contains "reload says the previous secret was removed" \
    "previous app secret removed" "$out"
check_eq "after dropping: signed with the old secret: refused" 401 \
    "$(post "$(body 06)" "$T/old_secret")"
check_eq "after dropping: signed with the new secret: accepted" 200 \
    "$(post "$(body 07)" "$T/app_secret")"
check_eq "status: the previous secret is no longer configured" false \
    "$(si status --json | jq '.webhook.secrets.previous.configured')"
check "no secret is in the log" sh -c "! grep -q -e rotated-new-secret \
    -e test-app-secret -e some-other-secret '$LOG'"
si_stop
si_done
