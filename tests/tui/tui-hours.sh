#!/bin/sh
# Issue 16 point 1: the top bar's "closed" cue, and "(TEAM, closed)" on a
# conversation's list row. Each agent sees whether
# their team is closed and when it opens, in the team's time (the default
# hours for an agent without a team; a team's own for its agents); the cue
# changes by itself when the daemon's clock (SI_TEST_CLOCK) crosses the
# opening and the closing time, and agrees with 'support-inbox hours'.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
export SI_TEST_CLOCK="$T/clock"
setclock() { echo "@$(date -u -d "$1" +%s)" >"$SI_TEST_CLOCK"; }
setclock 2026-12-07T08:59:50Z	# Monday, before nine
GRP=si_t_hrsg
si_user si_t_hrsa "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<'EOC'
team = support

[hours]
timezone = UTC
mon = 09:00-17:00
tue = 09:00-17:00
wed = 09:00-17:00
thu = 09:00-17:00
fri = 09:00-17:00

[hours support]
timezone = Europe/Berlin
mon = 11:00-19:00
tue = 11:00-19:00
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_hrsa >/dev/null
si agent team si_t_hrsa support >/dev/null
. "$(dirname "$0")/../lib-tui.sh"
inbound 491510000301 "Olga Prinz" "Hallo, wann öffnen Sie?"

top() { screen "$1" | head -n 1; }

start w 140 30
start_as si_t_hrsa "$GRP" v 140 30
check "the client starts" wait_for w "Unassigned"
check "the support agent's client starts" wait_for v "Unassigned"
check "before nine the top bar says closed and when it opens" \
    wait_for w "closed · opens Mon 09:00"
check_eq "as the daemon says for the default hours" "false Mon 09:00" \
    "$(si hours "" --json | jq -r '"\(.open) \(.changes)"')"
check "the support agent sees their team's hours (10:00 UTC is 11:00 Berlin)" \
    wait_for v "closed · opens Mon 11:00"
check "the list row of a support conversation says its team is closed" \
    wait_for w "(support, closed)"

setclock 2026-12-07T09:00:05Z
check "at nine the cue goes by itself" wait_gone w "closed ·"
check_eq "the daemon agrees: open until 17:00" "true Mon 17:00" \
    "$(si hours "" --json | jq -r '"\(.open) \(.changes)"')"
check_contains "the support team is still closed" "closed · opens Mon 11:00" \
    "$(top v)"

setclock 2026-12-07T10:00:02Z
check "at 11:00 Berlin the support agent's cue goes" wait_gone v "closed ·"
check "and the row's team is no longer closed" wait_gone w "(support, closed)"
check_contains "(the row still names the team)" "(support)" "$(screen w)"

setclock 2026-12-07T17:00:03Z
check "at five it comes back, with the next opening" \
    wait_for w "closed · opens Tue 09:00"
check_contains "the cue is in the top bar" "closed · opens Tue 09:00" \
    "$(top w)"

# Friday evening: the next opening is Monday.
setclock 2026-12-11T17:30:00Z
check "over the weekend it names Monday" wait_for w "closed · opens Mon 09:00"

tm kill-session -t w
tm kill-session -t v
no_sanitizer_report
si_done
