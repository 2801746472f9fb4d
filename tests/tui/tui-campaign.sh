#!/bin/sh
# Issue 17: the campaigns view (:campaigns). Two agents in tmux: agent A
# (role agent) watches a running campaign's progress bar and counts move by
# themselves as the daemon sends (its campaign events, no key pressed),
# sees it finish, and may not pause (the daemon refuses, the status line
# says so); supervisor B pauses (p), A's row says paused at once, resumes
# (R), opens the report (Enter) with the left-out reasons, and cancels a
# second campaign after a yes (X). Nothing personal is drawn.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_cmvg
si_user si_t_cmva "$GRP"
si_user si_t_cmvb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[campaign]
rate = 1
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_cmva >/dev/null
si agent add si_t_cmvb --role supervisor >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

si templates sync >/dev/null
# Eight customers who opted in, one who never did.
i=0
while [ $i -lt 8 ]; do
	inbound 49151000300$i "Kundin $i" "Hallo"
	si consent set "+49151000300$i" marketing on >/dev/null
	i=$((i + 1))
done
inbound 491510003099 "Nie Gefragt" "Hallo"
si campaign create spring --template hello_world --lang en_US \
    --segment "consent:marketing" >/dev/null
si campaign create autumn --template hello_world --lang en_US \
    --segment "consent:marketing" >/dev/null

start_as si_t_cmva "$GRP" a 140 30
start_as si_t_cmvb "$GRP" b 140 30
check "agent A's client starts" wait_for a "1:Open"
check "agent B's client starts" wait_for b "1:Open"
key a :
typeit a "campaigns"
key a Enter
see a "campaigns, live" ":campaigns opens the view"
see a "spring" "it lists spring"
see a "autumn" "and autumn"
state_is() { [ "$(si campaign status "$1" --json | jq -r .state)" = "$2" ]; }
state_not() { ! state_is "$@"; }
row() { screen "$1" | grep -F -- "$2" | head -n 1; }
check_contains "spring is a draft, nothing to show yet" "draft" \
    "$(row a spring)"

# Started from the CLI: A's row moves by itself (rate 1 a second).
si campaign start spring >/dev/null
check "A's row says running without a key" wait_for a "running"
moving() { row a spring | grep -Eq ' [1-8]/9 '; }
check "progress shows part of the nine done (one left out)" si_until moving
bar_drawn() { row a spring | grep -q '█'; }
check "the bar is drawn" bar_drawn

on_row() {	# SESSION NAME: the cursor on NAME's row (top first)
	key "$1" k
	key "$1" k
	for _k in 1 2 3; do
		sleep 0.2
		screen "$1" | grep '^>' | grep -q "$2" && return 0
		key "$1" j
	done
	return 1
}
# The supervisor pauses; A's view says so at once.
key b :
typeit b "campaigns"
key b Enter
see b "spring" "B's view lists spring"
check "B's cursor on spring" on_row b spring
key b p
check "B's p pauses spring" si_until state_is spring paused
see a "  paused by si_t_cmvb" "A's row says paused, and by whom, by itself"
done1=$(si campaign status spring --json | jq '.counts.total - .counts.queued')
sleep 2
check_eq "nothing more is sent while paused" "$done1" \
    "$(si campaign status spring --json | jq '.counts.total - .counts.queued')"

# An agent may not resume; the status line says why.
check "A's cursor on spring" on_row a spring
key a R
see a "campaign resume:" "A's resume is refused with the daemon's reason"
check_eq "spring still paused after A's R" paused \
    "$(si campaign status spring --json | jq -r .state)"
key b R
check "B's R resumes it" si_until state_not spring paused
check "A sees it finish by itself" wait_for a "finished"
check_contains "A's row: nine of nine done" " 9/9 " "$(row a spring)"
check_contains "A's row: eight sent, one left out" "out 1" "$(row a spring)"

# The report (a supervisor's).
key b Enter
see b "campaign report" "Enter shows the report"
see b "left out, and why" "with who was left out"
see b "no-consent" "the one who never opted in"
check_contains "nine recipients in the report" "9" \
    "$(screen b | grep -E '^ +total ')"
key b r
sleep 0.5
see b "left out, and why" "r asks for the report again (the name it keeps)"
key b q
see b "campaigns, live" "q goes back to the list"

# A's client stops reading, the daemon restarts and spring is paused
# while A is away: back, A's view asks anew and says paused.
si campaign create winter --template hello_world --lang en_US \
    --segment "consent:marketing" >/dev/null
si campaign start winter >/dev/null
see a "winter" "A's view lists a third campaign by itself"
apid=$(pgrep -u si_t_cmva -f "$SIC" | head -n 1)
kill -STOP "$apid"
si_stop
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
si campaign pause winter >/dev/null
kill -CONT "$apid"
check "after the restart A's row of winter says paused" \
    wait_for a "  paused by root"

# Meta lowers the number's quality: the running campaign pauses by itself
# and A's row says why.
si campaign resume winter >/dev/null
cat >"$T/quality.json" <<EOJ
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
"time":1748454394,"changes":[{"field":"phone_number_quality_update",
"value":{"display_phone_number":"15550783881","event":"DOWNGRADE",
"current_limit":"TIER_1K"}}]}]}
EOJ
check_eq "the quality webhook is taken" 200 "$(si_post "$T/quality.json")"
see a "paused: quality" "A's row of winter says paused for the quality drop"

# Cancel, after a yes.
check "B's cursor on autumn" on_row b autumn
key b X
see b "cancel campaign autumn for good? (y/n)" "X asks first"
key b n Enter
check_eq "n keeps it" draft "$(si campaign status autumn --json | jq -r .state)"
key b X
key b y Enter
check "y cancels it" si_until state_is autumn cancelled || screen b | sed 's/^/# /' 
see a "cancelled" "A's row says cancelled by itself"

# Nothing personal on either screen.
no_name() { ! screen "$1" | grep -q Kundin; }
for s in a b; do
	check "no customer name on $s's campaign screen" no_name $s
done
check_eq "the pause and the resume are audited as B's" 2 \
    "$(sqlite3 "$T/data/support-inbox.db" "SELECT count(*) FROM audit
    WHERE action IN ('campaign.pause','campaign.resume') AND
    agent = 'si_t_cmvb' AND result = 'ok'")"
key a q
check "q closes the view" wait_gone a "campaigns, live"
key a Q
key b Q
check "A's client quits cleanly" wait_for a "client exit 0"
check "B's client quits cleanly" wait_for b "client exit 0"
no_sanitizer_report
si_stop
si_done
