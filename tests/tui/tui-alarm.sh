#!/bin/sh
# Issue 14 point 5: the token alarm in every connected client. Two agents'
# TUIs show the banner after Meta refuses the access token (190); a new
# token file, a reload and a send that works again clear it in both (the
# alarm_cleared event). The banner is what the daemon has now: raised
# again, then the daemon restarted (no alarm any more), both clients
# reconnect without it. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_alrmg
si_user si_t_alrma "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_alrma >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
alarms() { si status --json | jq '.alarms | length'; }
token_alarm() { [ "$(si status --json | jq -r '.alarms[0].code')" = 190 ]; }
state() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .state'
}

inbound 491510000301 "Frieda Alarm" "Ist mein Paket unterwegs?"
C=$(si list all --json | jq -r '.rows[0].id')

start w 120 30
start_as si_t_alrma "$GRP" x 120 30
check "the first agent's client starts" wait_for w "1:Open 1"
check "the second agent's client starts" wait_for x "1:Open 1"
check "no banner at first (w)" sh -c "! tmux -L $TS capture-pane -p -t =w: |
    grep -qF 'token expired'"
check "both clients are subscribed" si_until si_subscribers 2

# --- Meta refuses the token: the banner in both clients ---
fault '{"mode":"190","count":1}'
M=$(si reply "$C" "Wir sehen nach" --json | jq -r .message)
check "the daemon raises the token alarm" si_until token_alarm
see w "token expired" "the first agent sees the token banner"
see x "token expired" "the second agent sees it too"
check_eq "the reply waits" queued "$(state "$M")"

# --- new token, reload, a send works: the banner goes in both ---
printf 'rotated-token-1\n' >"$T/access_token"
check_contains "the reload takes the new token" "access token changed" \
    "$(si reload)"
sent() { [ "$(state "$M")" = sent ]; }
check "the waiting reply is sent with the new token" si_until sent
check_eq "the daemon's alarm is cleared" 0 "$(alarms)"
check "the banner is gone for the first agent" wait_gone w "token expired"
check "and for the second" wait_gone x "token expired"
check "the client says the alarm cleared" wait_for x "token alarm cleared"

# --- raised again, then a restart with no alarm: no banner after it ---
fault '{"mode":"190","count":1}'
M=$(si reply "$C" "Noch eine Antwort" --json | jq -r .message)
check "the alarm is raised again" si_until token_alarm
see w "token expired" "the banner is back (first agent)"
see x "token expired" "the banner is back (second agent)"
si_stop
si_start || { not_ok "the daemon starts again"; si_done; exit 1; }
check "after the restart the waiting reply goes out" si_until sent
check_eq "after the restart the daemon has no alarm" 0 "$(alarms)"
check "both clients reconnect" si_until si_subscribers 2
check "the first agent's banner is gone after the reconnect" \
    wait_gone w "token expired"
check "and the second agent's" wait_gone x "token expired"
check "the first client still runs" wait_for w "1:Open 1"
check "the second client still runs" wait_for x "1:Open 1"

key w q
key x q
check "the first client exits" wait_for w "client exit 0"
check "the second client exits" wait_for x "client exit 0"
no_sanitizer_report
si_stop
si_done
