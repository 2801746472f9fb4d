#!/bin/sh
# Issue 19 point 2 (the floor's presence) and issue 13 (the agent's day):
# an agent says they are away (agent.away; CLI "away", "available"; the
# TUI's :away, :available). Away, auto-assignment passes them by, the
# floor says "away" with since when, and it lasts across a restart until
# they are available again, when the waiting work comes to them. Only a
# supervisor may say it for someone else; every change is audited, and
# the event reaches the agent's clients.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_away
si_user si_t_awa "$GRP"
si_user si_t_awb "$GRP"
si_user si_t_aws "$GRP"
si_config "$GRP"
printf '[inbox]\nauto_assign = yes\ncapacity = 5\n' >>"$T/si.conf"
si_init || { not_ok "init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
si agent add si_t_awa >/dev/null
si agent add si_t_awb >/dev/null
si agent add si_t_aws --role supervisor >/dev/null

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
# msg N TEXT: customer N writes
msg() {
	sed -e "s/12025550147/4915100007$1/g" -e "s/Edda Marlowe/Kunde $1/" \
	    -e "s/Is the smoky oolong back in stock?/$2/" \
	    -e "s/wamid\.HBg/wamid.A$(date +%s%N)x/" \
	    -e "s/1748867412/$(date +%s)/" \
	    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	si_post "$T/m.json" >/dev/null
}
# events USER: the CLI's event stream as USER, into $T/ev-USER
events() {
	setpriv --reuid="$1" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" events --timeout 60s >"$T/ev-$1" 2>&1 &
	si_pids="$si_pids $!"
}
# owner: who the newest conversation is assigned to ("" nobody)
owner() {
	db "SELECT coalesce(a.name, '') FROM conversations c LEFT JOIN
	    agents a ON a.id = c.assignee_id
	    WHERE c.id = (SELECT max(id) FROM conversations)"
}
nassigned() { db "SELECT count(*) FROM conversations WHERE assignee_id =
    (SELECT id FROM agents WHERE name = '$1')"; }
assigned_is() { [ "$(nassigned "$1")" -eq "$2" ]; }
floor_of() { si_as si_t_aws floor --json | jq -r --arg n "$1" \
    '.agents[] | select(.name == $n) | "\(.presence) \(.away > 0)"'; }
call() {	# USER METHOD PARAMS: one raw request as USER
	printf '{"id":1,"method":"hello","params":{"version":1}}\n{"id":2,"method":"%s","params":%s}\n' "$2" "$3" |
	    runuser -u "$1" -- socat -t 3 - "UNIX-CONNECT:$T/run/socket" |
	    tail -n 1
}

events si_t_awa
events si_t_awb
si_until si_subscribers 2

# --- away: the work goes to the others ---
out=$(si_as si_t_awa away)
check_contains "away says what it means" \
    "si_t_awa: away (no conversations are assigned automatically" "$out"
since=$(si_as si_t_awa status --json | jq .me.away)
check "status gives since when" test "$since" -gt 0
check_contains "... and says it in words" "you (si_t_awa) are away since" \
    "$(si_as si_t_awa status)"
check_contains "agent list says who is away" "active, away" \
    "$(si agent list | grep si_t_awa)"
msg 01 "Hallo, eins"
msg 02 "Hallo, zwei"
msg 03 "Hallo, drei"
check "three customers: all auto-assigned to the one not away" \
    si_until assigned_is si_t_awb 3
check_eq "the away agent got none" 0 "$(nassigned si_t_awa)"
check_eq "the floor: away, with since when" "away true" \
    "$(floor_of si_t_awa)"
check_eq "the floor: the other online" "online false" \
    "$(floor_of si_t_awb)"
check_eq "away again keeps since when" "$since" \
    "$(si_as si_t_awa away --json | jq .since)"

# --- someone else's: a supervisor's, not an agent's ---
out=$(si_as si_t_awb away si_t_awa 2>&1)
check_contains "an agent may not say it for another" \
    "another agent's needs the supervisor role" "$out"
check_eq "... the refusal is audited" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'agent.away' AND result = 'refused'")"
check_contains "a supervisor may" "si_t_awb: away" \
    "$(si_as si_t_aws away si_t_awb)"
check "the agent's own client hears who said it" \
    si_file_has "$T/ev-si_t_awb" '"by":"si_t_aws"'
check_eq "the record says who set it" "away (set by 'si_t_aws')" \
    "$(si audit export --action agent.away --detail --purpose "away test" | jq -r 'select(.result == "ok") | .detail' | tail -n 1)"

# --- everyone away: the work waits ---
msg 04 "Hallo, vier"
si_until sh -c "[ \"\$(sqlite3 '$T/data/support-inbox.db' 'SELECT count(*) FROM conversations')\" -eq 4 ]"
sleep 1.5	# auto-assignment runs after each message: give it its pass
check_eq "with everyone away the fourth waits, unassigned" "" "$(owner)"

# --- a restart keeps it ---
check "the daemon stops" si_stop
si_start || { not_ok "restart"; si_done; exit 1; }
events si_t_awa
events si_t_awb
si_until si_subscribers 2
check_eq "after a restart still away, since the same time" "$since" \
    "$(si_as si_t_awa status --json | jq .me.away)"
sleep 1.5
check_eq "... and still passed by" "" "$(owner)"

# --- available: the waiting work comes ---
check_contains "available says so" "si_t_awa: available" \
    "$(si_as si_t_awa available)"
check "the waiting conversation goes to the one available" \
    si_until assigned_is si_t_awa 1
check_eq "status: not away" 0 "$(si_as si_t_awa status --json | jq .me.away)"
check_eq "the floor: online again" "online false" "$(floor_of si_t_awa)"
check "her client heard it" si_file_has "$T/ev-si_t_awa" \
    '"event":"agent_away"'

# --- bad input ---
out=$(call si_t_awa agent.away '{"away":"yes"}')
check_contains "away must be true or false" \
    "parameter 'away' must be true or false" "$out"
out=$(call si_t_aws agent.away '{"away":true,"name":"nobody"}')
check_contains "an unknown agent is named" "no agent 'nobody'" "$out"
check_contains "the CLI takes one name at most" "usage: support-inbox away" \
    "$(si_as si_t_awa away a b 2>&1)"

# --- the audit ---
check_eq "every change is audited as agent.away" \
    "away away away available" \
    "$(si audit export --action agent.away --detail --purpose "away test" | jq -r 'select(.result == "ok") | .detail | split(" ")[0]' | tr '\n' ' ' | sed 's/ $//')"
check "the audit chain verifies" si audit verify
si_done
