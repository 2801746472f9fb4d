#!/bin/sh
# Issue 19 point 1: a list row carries its service-level clock. The row
# shows the time left on the first response ("⏱20m"), the thread header
# says which clock and until when; when the daemon's clock (SI_TEST_CLOCK)
# passes the deadline the row turns to "✗SLA" by itself, without a key
# (the sla.breached event refreshes the list); ":view breaching" lists it;
# at 80 columns the cell still shows; NO_COLOR keeps the text.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
export SI_TEST_CLOCK="$T/clock"
T0=1796032800				# Monday 2026-11-30 10:00 UTC
echo "@$T0" >"$SI_TEST_CLOCK"
GRP=si_t_slt
si_user si_t_slta "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<'EOC'

[sla]
first_response = 20m
resolution = 1d
soon = 10m
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_slta >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

start w 120 30
start_as si_t_slta "$GRP" n 80 24 NO_COLOR=1
check "the client starts" wait_for w "Unassigned"
check "the NO_COLOR client at 80 columns starts" wait_for n "Unassigned"
inbound 491510000401 "Olga Prinz" "Hallo, wo bleibt mein Paket?"
check "the row shows the first response's time left" wait_for w "⏱20m"
check "at 80 columns too (NO_COLOR: the text)" wait_for n "⏱20m"
# The time left runs down between the daemon's answers: five minutes
# on, a redraw (Ctrl-L: no request) shows 15 minutes left.
echo "@$(($T0 + 300))" >"$SI_TEST_CLOCK"
key w C-l
check "five minutes on, the row counts down by itself" wait_for w "⏱15m"

key w Enter
check "the thread header names the clock and its deadline" \
    wait_for w "SLA first response: 15m left (due"
key w Escape

echo "@$(($T0 + 900))" >"$SI_TEST_CLOCK"	# within "soon": still time left
check_eq "not breached yet: no sla.breached" 0 \
    "$(sqlite3 "$T/data/support-inbox.db" "SELECT count(*) FROM sla_clocks WHERE breached_at IS NOT NULL")"
# Under a minute the figure is in seconds and counts by itself (a redraw
# every second, not only at the minute).
echo "@$(($T0 + 1170))" >"$SI_TEST_CLOCK"
check "30 seconds left, without a key" wait_for w "⏱30s"
echo "@$(($T0 + 1180))" >"$SI_TEST_CLOCK"
check "... 20, without a key" wait_for w "⏱20s"
echo "@$(($T0 + 1500))" >"$SI_TEST_CLOCK"	# 5 minutes past due
check "past due, without a key: the row says breached" wait_for w "✗SLA 5m"
check "... in the other client too" wait_for n "✗SLA 5m"
check "the time left is gone" wait_gone w "⏱20m"

key w :
typeit w "view breaching"
key w Enter
check "':view breaching' lists it" wait_for w "Olga Prinz"
check_contains "under its name in the tab bar" "breaching" \
    "$(screen w | sed -n 2p)"

tm kill-session -t w
tm kill-session -t n
check "no sanitizer report" no_sanitizer_report
si_done
