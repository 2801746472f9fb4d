#!/bin/sh
# Issue 19 point 2: floor.get and `support-inbox floor [--json]` against
# known data. Five customers write; their conversations are put in known
# teams, states and hands; one reply fails at the simulator with Meta's
# 131047. Exact counts per team and queue, the longest wait moved by the
# test clock, windows closing, an SLA clock past its due as a breach, the
# agents' load against capacity (one over it), the outbox failure with
# its plain-words reason; an agent is refused; nothing personal appears.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_flg
si_user si_t_fla "$GRP"
si_user si_t_flb "$GRP"
si_config "$GRP"
# The daemon and the CLI read the same test clock (clock.c).
SI_TEST_CLOCK="$T/clock"
export SI_TEST_CLOCK
echo "+0" >"$SI_TEST_CLOCK"
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_fla >/dev/null
si agent add si_t_flb --role supervisor >/dev/null
si agent capacity si_t_fla 1 >/dev/null

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
conv_of() { si contact show "+$1" --json | jq -r '.conversations[0].id'; }
fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }

inbound 4915100007001 "Floor Eins" "Wo ist mein Paket?"
inbound 4915100007002 "Floor Zwei" "Rechnung bitte"
inbound 4915100007003 "Floor Drei" "Umtausch?"
inbound 4915100007004 "Floor Vier" "Hallo?"
inbound 4915100007005 "Floor Fuenf" "Danke"
C1=$(conv_of 4915100007001)
C2=$(conv_of 4915100007002)
C3=$(conv_of 4915100007003)
C4=$(conv_of 4915100007004)
C5=$(conv_of 4915100007005)

# A reply that Meta refuses (131047), in a conversation then resolved:
# the failure counts, the conversation does not.
fault '{"mode":"131047","count":1}'
M5=$(si reply "$C5" "Gern geschehen" --json | jq -r .message)
failed() { si outbox --json | jq -e --argjson m "$M5" \
    '.rows[] | select(.message == $m and .state == "failed")'; }
check "the reply to C5 fails at the simulator" si_until failed
si resolve "$C5" >/dev/null

# billing: C1 (open, si_t_fla's); no team: C2 pending, C3 snoozed, C4 open.
si_as si_t_flb team "$C1" billing >/dev/null
si assign "$C1" si_t_fla >/dev/null
si pending "$C2" >/dev/null
si snooze "$C3" 2h >/dev/null

F=$(si_as si_t_flb floor --json)
q() {	# TEAM QUEUE KEY ("(none)" for no team)
	echo "$F" | jq -r --arg t "$1" --arg q "$2" --arg k "$3" \
	    '.teams[] | select((.team // "(none)") == $t) | .queues[$q][$k]'
}
check_eq "two teams: billing and none" '["(none)","billing"]' \
    "$(echo "$F" | jq -c '[.teams[] | .team // "(none)"] | sort')"
check_eq "no team: open, pending, snoozed, unassigned, total" \
    "1 1 1 2 3" "$(q '(none)' open count) $(q '(none)' pending count) \
$(q '(none)' snoozed count) $(q '(none)' unassigned count) \
$(q '(none)' total count)"
check_eq "billing: one open, assigned; total one" "1 0 0 0 1" \
    "$(q billing open count) $(q billing pending count) \
$(q billing snoozed count) $(q billing unassigned count) \
$(q billing total count)"
check_eq "no window closes within 4 hours yet" 0 \
    "$(echo "$F" | jq '[.teams[].queues.total.window_closing] | add')"
check_eq "the window's horizon is the configured one" "24 4" \
    "$(echo "$F" | jq -r '"\(.window_hours) \(.window_closing_hours)"')"

# Ten minutes later by the daemon's clock: the waits grew by as much.
echo "+600" >"$SI_TEST_CLOCK"
F=$(si_as si_t_flb floor --json)
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
check "billing's longest wait is about ten minutes ($(q billing open \
longest_wait) s)" in_range "$(q billing open longest_wait)" 600 660
check "the unassigned queue's longest wait is C4's ($(q '(none)' \
unassigned longest_wait) s)" in_range "$(q '(none)' unassigned \
longest_wait)" 600 660
check_eq "a pending conversation has no wait on the floor" 0 \
    "$(q '(none)' pending longest_wait)"

# 21 hours on: every open window closes within the 4-hour horizon.
echo "+75600" >"$SI_TEST_CLOCK"
F=$(si_as si_t_flb floor --json)
check_eq "windows closing: C1, C2, C3, C4 (C5 resolved)" 4 \
    "$(echo "$F" | jq '[.teams[].queues.total.window_closing] | add')"
check_eq "no team's windows closing: three" 3 \
    "$(q '(none)' total window_closing)"
echo "+0" >"$SI_TEST_CLOCK"

# A running SLA clock past its due is a breach. The SLA engine that
# computes the due from [sla] targets is another change (not on this
# branch), so the due of the clocks the triggers started for C4's message
# is written with sqlite3.
db="$T/data/support-inbox.db"
sqlite3 "$db" "UPDATE sla_clocks SET due = 1 WHERE conversation_id = $C4
    AND stopped IS NULL"
check_eq "C4 has running clocks (first response, resolution)" 2 \
    "$(sqlite3 "$db" "SELECT count(*) FROM sla_clocks WHERE
    conversation_id = $C4 AND stopped IS NULL")"
F=$(si_as si_t_flb floor --json)
check_eq "C4's two clocks past due: breaches of its queues" "2 2 2" \
    "$(q '(none)' open breaches) $(q '(none)' unassigned breaches) \
$(q '(none)' total breaches)"
check_eq "none in billing" 0 "$(q billing total breaches)"
pb() { si_as si_t_flb floor --json | jq '[.teams[] |
    select(.team == null) | .queues.pending.breaches][0]'; }
sqlite3 "$db" "UPDATE sla_clocks SET due = 1 WHERE conversation_id = $C2
    AND stopped IS NULL"
check_eq "C2's clocks past due: pending's breaches" 2 "$(pb)"
sqlite3 "$db" "UPDATE sla_clocks SET due = 0 WHERE conversation_id = $C2"
check_eq "a clock without a target (due 0) is no breach" 0 "$(pb)"
sqlite3 "$db" "UPDATE sla_clocks SET due = 4102444800
    WHERE conversation_id = $C2"
check_eq "nor one due later" 0 "$(pb)"

# Agents: load against capacity.
F=$(si_as si_t_flb floor --json)
a() { echo "$F" | jq -r --arg n "$1" --arg k "$2" \
    '.agents[] | select(.name == $n) | .[$k]'; }
check_eq "si_t_fla: load 1 of capacity 1, not over" "1 1 false" \
    "$(a si_t_fla load) $(a si_t_fla capacity) $(a si_t_fla over_capacity)"
si assign "$C4" si_t_fla >/dev/null
F=$(si_as si_t_flb floor --json)
check_eq "a second assignment: 2 of 1, over capacity" "2 1 true" \
    "$(a si_t_fla load) $(a si_t_fla capacity) $(a si_t_fla over_capacity)"
check_eq "the supervisor's capacity is the configured default" 5 \
    "$(a si_t_flb capacity)"
check_eq "nobody's client is connected: offline" "false offline" \
    "$(a si_t_fla online) $(a si_t_fla presence)"
check_eq "C4 left the unassigned queue" 1 "$(q '(none)' unassigned count)"

# A connected, subscribed client shows the agent online.
si_as si_t_fla events --timeout 5s >/dev/null 2>&1 &
EVP=$!
online() { si_as si_t_flb floor --json | jq -e '.agents[] |
    select(.name == "si_t_fla") | .online == true' | grep -qx true; }
check "an agent with a subscribed client is online" si_until online
kill "$EVP" 2>/dev/null
wait "$EVP" 2>/dev/null

# The outbox: the failure by Meta's code, in plain words; nothing waits.
check_eq "one failure, Meta's 131047" '[{"code":131047,"count":1}]' \
    "$(echo "$F" | jq -c '[.outbox.failures[] | {code, count}]')"
check "its reason is in plain words" test -n \
    "$(echo "$F" | jq -r '.outbox.failures[0].reason')"
check_eq "backlog, held, oldest: nothing waits" "0 0 0" \
    "$(echo "$F" | jq -r '.outbox | "\(.backlog) \(.held) \(.oldest_age)"')"

# The table.
TBL=$(si_as si_t_flb floor)
check_contains "the table has billing's row" "billing" "$TBL"
check_contains "and the over-capacity mark" "over capacity" "$TBL"
check_contains "and the failure's code" "131047" "$TBL"

# Nothing personal: no number, name or text of a customer.
case "$(si_as si_t_flb floor --json)$TBL" in
*Floor*|*4915100007*|*Paket*|*Rechnung*)
	not_ok "the floor shows nothing personal" ;;
*)	ok "the floor shows nothing personal" ;;
esac

# An agent is refused, and the refusal is audited.
out=$(si_as si_t_fla floor 2>&1)
check "an agent may not read the floor" test $? -ne 0
check_contains "with the daemon's reason" "needs the supervisor role" "$out"
check "the refusal is audited as permission.denied" test \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE
    action = 'permission.denied'")" -ge 1
check_eq "floor.get writes no audit record of its own" 0 \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action LIKE
    'floor%'")"

si_stop
si_done
