#!/bin/sh
# Issue 19 point 1, with business hours: a row's service-level figure runs
# down while the team is open, holds while it is closed, and is asked
# again at each opening and closing (hours_changed), without a key.
# Hours 09:00-12:00 and 13:00-17:00 (UTC), first response 4h: a customer
# writing Monday 16:30 has 30 minutes on Monday, three hours on Tuesday
# morning and the last 30 minutes after lunch (due Tuesday 13:30), so a
# closing lies before the deadline at every step. A client that only took
# the smaller of the daemon's figure and the wall time to the deadline
# kept "4h00" all Monday evening and "3h30" into Tuesday morning.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
export SI_TEST_CLOCK="$T/clock"
at() { echo "@$1" >"$SI_TEST_CLOCK"; }
at 1796056200				# Monday 2026-11-30 16:30 UTC
si_config
cat >>"$T/si.conf" <<'EOC'

[sla]
first_response = 4h
resolution = none

[hours]
timezone = UTC
mon = 09:00-12:00,13:00-17:00
tue = 09:00-12:00,13:00-17:00
wed = 09:00-12:00,13:00-17:00
thu = 09:00-12:00,13:00-17:00
fri = 09:00-12:00,13:00-17:00
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

start w 120 30
check "the client starts" wait_for w "Unassigned"
inbound 491510000451 "Jonas Feld" "Ist meine Rechnung angekommen?"
check "Monday 16:30: four business hours left" wait_for w "⏱4h00"
check_eq "the daemon says it runs until the 17:00 closing" \
    "14400 true 1796058000" "$(si list --json | jq -r '.rows[0].sla |
    "\(.left) \(.running) \(.until)"')"

at 1796057100				# 16:45, open: a redraw, no request
key w C-l
check "16:45: the row counts down by itself" wait_for w "⏱3h45"
key w Enter
check "the thread header counts down too" \
    wait_for w "SLA first response: 3h45 left (due Tue 13:30)"
key w Escape

at 1796058600				# 17:10: closed since 17:00
check "17:10: the figure stopped at the closing" wait_for w "⏱3h30"
top_closed() { screen w | head -n 1 | grep -q "closed"; }
top_open() { ! top_closed; }
check "... and the daemon said closed (the top bar's cue)" si_until top_closed

at 1796115000				# Tuesday 08:50: still closed
key w C-l
sleep 1
check "Tuesday 08:50: it held overnight" wait_for w "⏱3h30"
check_eq "... the daemon agrees: held until the 09:00 opening" \
    "12600 false 1796115600" "$(si list --json | jq -r '.rows[0].sla |
    "\(.left) \(.running) \(.until)"')"

at 1796116200				# 09:10: opened at 09:00
check "09:10, without a key: asked again at the opening, 3h20 left" \
    wait_for w "⏱3h20"
check "the top bar's closed cue is gone" si_until top_open

at 1796118000				# 09:40
key w C-l
check "09:40: it runs down again" wait_for w "⏱2h50"

at 1796128200				# 12:30: lunch since 12:00
check "12:30, lunch: 30 minutes left, held" wait_for w "⏱30m"
key w C-l
check_eq "... the daemon agrees: until 13:00" \
    "1800 false 1796130000" "$(si list --json | jq -r '.rows[0].sla |
    "\(.left) \(.running) \(.until)"')"

at 1796130600				# 13:10
check "13:10: the afternoon's run to the deadline" wait_for w "⏱20m"
check_eq "no closing before the deadline: no until" "1200 true 0" \
    "$(si list --json | jq -r '.rows[0].sla |
    "\(.left) \(.running) \(.until)"')"

tm kill-session -t w
check "no sanitizer report" no_sanitizer_report
si_done
