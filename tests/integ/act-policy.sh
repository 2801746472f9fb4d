#!/bin/sh
# The assignment policy is the daemon's (issue 11.9): with the default
# [inbox] agents_act_on = own, an agent may reply to, note, label,
# re-prioritise and change the state of their own and unassigned
# conversations only; a colleague's needs --force and is audited as an
# override; a bulk change touching one is refused whole; supervisors act on
# any. With "team", a conversation of the agent's team is open to them.
. "$(dirname "$0")/../lib.sh"

GRP=si-actp
si_tmp
si_config "$GRP"
si_user si_t_acta "$GRP"
si_user si_t_actb "$GRP"
si_user si_t_acts "$GRP"
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
for u in si_t_acta si_t_actb; do si agent add "$u" >/dev/null; done
si agent add si_t_acts --role supervisor >/dev/null
si agent team si_t_acta sales >/dev/null
si agent team si_t_actb sales >/dev/null
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" \
	    '.rows[] | select(.name == $n) | .id'
}
inbound 491510000031 "hallo"
inbound 491510000032 "moin"
x=$(conv_of 491510000031)	# the colleague's
y=$(conv_of 491510000032)	# unassigned
si_as si_t_actb assign "$x" me >/dev/null
si label create vip >/dev/null
A() { si_as si_t_acta "$@" 2>&1; }
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
state_of() { si list all --json | jq -r --argjson c "$1" '.rows[] | select(.id == $c) | .state'; }

out=$(A reply "$x" "I can help too")
check_contains "reply to a colleague's conversation is refused" \
    "assigned to 'si_t_actb'" "$out"
check_contains "and names the way out" "--force" "$out"
out=$(A note add "$x" "looked at it")
check_contains "so is a note" "assigned to" "$out"
out=$(A priority "$x" urgent)
check_contains "and a priority change" "assigned to" "$out"
out=$(A label add vip "$x")
check_contains "and a label" "assigned to" "$out"
out=$(A resolve "$x")
check_contains "and resolving it" "assigned to" "$out"
out=$(A resolve "$y" "$x")
check_contains "a bulk resolve touching it is refused" "assigned to" "$out"
check_eq "whole: the unassigned one stays open" open "$(state_of "$y")"
check_eq "and the colleague's too" open "$(state_of "$x")"
# The reply's refusal is a refused send (assigned_other, issue 13): a reply
# into someone else's conversation is asked about whatever the policy.
check_eq "each refusal is audited" "5 1" "$(db "SELECT count(*) FROM audit
    WHERE action = 'conversation.act' AND result = 'denied'") $(db "SELECT
    count(*) FROM audit WHERE action = 'message.send' AND result = 'refused'")"

check "on an unassigned conversation the agent acts freely" \
    quiet A resolve "$y"
check "with --force the reply goes" quiet A reply "$x" "I can help too" --force
check "and a forced note" quiet A note add "$x" "looked at it" --force
check "and a forced resolve" quiet A resolve "$x" --force
check_eq "every override is audited" 3 "$(db "SELECT count(*) FROM audit
    WHERE action = 'conversation.override' AND result = 'ok'")"
check "a supervisor acts on any" quiet si_as si_t_acts reopen "$x"
check_eq "without an override record" 3 "$(db "SELECT count(*) FROM audit
    WHERE action = 'conversation.override'")"
check "the assignee acts on their own" quiet si_as si_t_actb priority "$x" high

# team: a conversation of the agent's team is open to them
si_stop
printf '[inbox]\nagents_act_on = team\n' >>"$T/si.conf"
si_start
out=$(A priority "$x" low)
check_contains "a conversation of no team is still the colleague's" \
    "assigned to" "$out"
si team "$x" sales >/dev/null
check "a conversation of the agent's team is open to them" \
    quiet A priority "$x" low
si_stop
si_done
