#!/bin/sh
# Issue 5: inbox operations with real Unix users as agents against one
# daemon: views and counts, racing claims, role rules, states and snooze
# wake-up, reopen on inbound, notes and mentions, labels (bulk), canned
# replies, search with filters, collision guard, presence, auto-assignment,
# and the audit record of each.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_inbox
si_user si_t_ann "$GRP"
si_user si_t_bob "$GRP"
si_user si_t_sue "$GRP"
si_config "$GRP"
# Agents here work on each other's conversations; the default policy
# (own and unassigned only) is tested in act-policy.sh.
sed -i 's/^\[inbox\]$/[inbox]\nagents_act_on = all/' "$T/si.conf"
grep -q '^agents_act_on' "$T/si.conf" ||
    printf '[inbox]\nagents_act_on = all\n' >>"$T/si.conf"
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
for u in si_t_ann si_t_bob; do si agent add "$u" >/dev/null; done
si agent add si_t_sue --role supervisor >/dev/null

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
audits() { db "SELECT count(*) FROM audit WHERE action = '$1'${2:+ AND $2}"; }

# msg N NAME TEXT [AGE_SECONDS]: customer N writes; NAME "" = no profile name.
# (called in $(...) too: the wamid must be unique without a counter)
msg() {
	msgn=$(date +%s%N)
	ts=$(($(date +%s) - ${4:-0}))
	if [ -n "$2" ]; then
		sed -e "s/12025550147/491510000000$1/g" -e "s/Edda Marlowe/$2/" \
		    -e "s/Is the smoky oolong back in stock?/$3/" \
		    -e "s/wamid\.HBg/wamid.T${msgn}x/" \
		    -e "s/1748867412/$ts/" \
		    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	else
		sed -e "s/12025550147/491510000000$1/g" \
		    -e '/"profile"/,/}/d' \
		    -e "s/Is the smoky oolong back in stock?/$3/" \
		    -e "s/wamid\.HBg/wamid.T${msgn}x/" \
		    -e "s/1748867412/$ts/" \
		    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	fi
	si_post "$T/m.json"
}

# bg USER ARGS...: the CLI as USER in the background (exec, no fork).
bg() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@" &
	si_pids="$si_pids $!"
}

# --- views and counts ---
check_eq "customer 1 writes" 200 "$(msg 1 'Anna Schmidt' 'Does the blue sweater come in XL?' 7200)"
check_eq "customer 2 writes" 200 "$(msg 2 'Bernd Meier' 'My parcel never arrived' 3600)"
check_eq "customer 3 writes" 200 "$(msg 3 'Carla Rossi' 'Invoice question about order 77' 600)"
check_eq "all view lists three conversations" 3 \
    "$(si_as si_t_ann list all --json | jq '.rows | length')"
row=$(si_as si_t_ann list all --json | jq -c '.rows[0]')
check_eq "rows carry name, preview, labels, window time left" \
    'true' "$(echo "$row" | jq '.name == "Carla Rossi" and
    (.preview | test("Invoice")) and .labels == [] and .window_left > 0 and
    .unread == 1 and .priority == "normal" and .assignee == null')"
c1=$(si list all --json | jq '.rows[] | select(.name=="Anna Schmidt") | .id')
c2=$(si list all --json | jq '.rows[] | select(.name=="Bernd Meier") | .id')
c3=$(si list all --json | jq '.rows[] | select(.name=="Carla Rossi") | .id')
cnt=$(si_as si_t_ann counts --json)
check_eq "counts for every view in one call" "3 3 3 0 0" \
    "$(echo "$cnt" | jq -r '"\(.all) \(.unassigned) \(.open) \(.mine) \(.resolved)"')"
check_eq "the window view lists windows closing soonest first" \
    "$c1 $c2 $c3" "$(si list window:24 --json | jq -r '[.rows[].id | tostring] | join(" ")')"
check_eq "a tighter window leaves the fresher conversations out" \
    "0" "$(si list window:1 --json | jq '.rows | length')"
si_as si_t_ann read "$c1" >/dev/null
check_eq "unread is per agent: 0 for the reader" 0 \
    "$(si_as si_t_ann list all --json | jq ".rows[] | select(.id==$c1) | .unread")"
check_eq "and still 1 for another agent" 1 \
    "$(si_as si_t_bob list all --json | jq ".rows[] | select(.id==$c1) | .unread")"
out=$(si list nonsense 2>&1)
check_contains "an unknown view is named" "unknown view 'nonsense'" "$out"

# --- racing claims: exactly one winner each round ---
rounds=20; good=0; named=0
i=0
while [ $i -lt $rounds ]; do
	i=$((i + 1))
	si_as si_t_sue unassign "$c1" >/dev/null 2>&1
	bg si_t_ann assign "$c1" me >"$T/ra.out" 2>"$T/ra.err"; pa=$!
	bg si_t_bob assign "$c1" me >"$T/rb.out" 2>"$T/rb.err"; pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	holder=$(db "SELECT a.name FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.id = $c1")
	if [ $((ra + rb)) -eq 1 ]; then
		if [ $ra -eq 0 ] && [ "$holder" = si_t_ann ]; then good=$((good + 1)); fi
		if [ $rb -eq 0 ] && [ "$holder" = si_t_bob ]; then good=$((good + 1)); fi
		cat "$T/ra.err" "$T/rb.err" | grep -q "already assigned to '$holder'" &&
		    named=$((named + 1))
	fi
done
check_eq "racing claims: exactly one winner in each of $rounds rounds" "$rounds" "$good"
check_eq "the loser is told who has it" "$rounds" "$named"
check_eq "every claim is audited, won or lost" "$((rounds * 2))" \
    "$(audits conversation.claim "object_id = $c1")"
check_eq "lost claims are audited as conflicts" "$rounds" \
    "$(audits conversation.claim "object_id = $c1 AND result = 'conflict'")"

# --- role rules ---
holder=$(db "SELECT a.name FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.id = $c1")
other=si_t_bob; [ "$holder" = si_t_bob ] && other=si_t_ann
out=$(si_as "$other" unassign "$c1" 2>&1)
check_contains "an agent cannot release someone else's conversation" \
    "only they or a supervisor" "$out"
out=$(si_as si_t_ann assign "$c2" si_t_bob 2>&1)
check_contains "an agent cannot assign to another agent" "needs a supervisor" "$out"
check "a supervisor assigns to anyone" quiet si_as si_t_sue assign "$c2" si_t_bob
check_eq "and it is so" si_t_bob \
    "$(si list mine --json >/dev/null; si_as si_t_bob list mine --json | jq -r ".rows[] | select(.id==$c2) | .assignee")"
check "the holder releases their own" quiet si_as si_t_bob unassign "$c2"
check "a supervisor takes over with force" quiet si_as si_t_sue assign "$c1" si_t_sue --force
check_eq "refusals are audited as denied" 2 \
    "$(db "SELECT count(*) FROM audit WHERE result = 'denied' AND action IN ('conversation.unassign','conversation.assign')")"
check_eq "assignments by a supervisor are audited" 2 \
    "$(audits conversation.assign "result = 'ok' AND agent = 'si_t_sue'")"
out=$(si_as si_t_ann team "$c2" billing 2>&1)
check_contains "setting a team needs a supervisor" "needs the supervisor role" "$out"
check "a supervisor sets a team" quiet si_as si_t_sue team "$c2" billing
check_eq "the team view shows it" "$c2" "$(si list team:billing --json | jq '.rows[0].id')"

# --- states, priority, snooze wake-up, reopen on inbound ---
check "priority urgent" quiet si_as si_t_ann priority "$c2" urgent
out=$(si_as si_t_ann priority "$c2" URGENT 2>&1)
check_contains "a priority by another name is refused, with the names" \
    "a priority is one of urgent, high, normal, low" "$out"
out=$(si_as si_t_ann state closed "$c2" 2>&1)
check_contains "so is a state" "a state is one of open, pending, snoozed, resolved" "$out"
out=$(si agent role si_t_ann boss 2>&1)
check_contains "and a role" "a role is one of agent, supervisor, admin" "$out"
check_eq "and nothing changed" "urgent agent" \
    "$(si list all --json | jq -r ".rows[] | select(.id==$c2) | .priority") $(si agent list --json | jq -r '.[] | select(.name=="si_t_ann") | .role')"
check "state snoozed CONV WHEN" quiet si_as si_t_ann state snoozed "$c2" 1h
check "state open CONV" quiet si_as si_t_ann state open "$c2"
check_eq "shows in the views" urgent \
    "$(si list all --json | jq -r ".rows[] | select(.id==$c2) | .priority")"
check "pending" quiet si_as si_t_ann pending "$c2"
check_eq "pending view" "$c2" "$(si list pending --json | jq '.rows[0].id')"
check "snooze for 2 seconds" quiet si_as si_t_ann snooze "$c3" --for 2s
check_eq "snoozed view" "$c3" "$(si list snoozed --json | jq '.rows[0].id')"
i=0
while [ $i -lt 150 ] && [ "$(db "SELECT state FROM conversations WHERE id = $c3")" = snoozed ]; do
	sleep 0.1; i=$((i + 1))
done
check_eq "a snoozed conversation wakes by itself" open \
    "$(db "SELECT state FROM conversations WHERE id = $c3")"
check_eq "and the wake-up is audited as the daemon's" 1 \
    "$(audits conversation.wake "object_id = $c3 AND agent = 'support-inboxd'")"
si_as si_t_ann snooze "$c3" --for 1h >/dev/null
msg 3 'Carla Rossi' 'Hello again, any news?' >/dev/null
check_eq "a customer message wakes a snoozed conversation" open \
    "$(db "SELECT state FROM conversations WHERE id = $c3")"
bg si_t_bob events --timeout 10s >"$T/ev-bob.out" 2>/dev/null
si_until si_file_has "$T/ev-bob.out" subscribed
si_as si_t_ann resolve "$c3" >/dev/null
check_eq "resolved view" "$c3" "$(si list resolved --json | jq '.rows[0].id')"
msg 3 'Carla Rossi' 'Sorry, one more thing' >/dev/null
check_eq "a customer message reopens a resolved conversation" open \
    "$(db "SELECT state FROM conversations WHERE id = $c3")"
si_until si_file_has "$T/ev-bob.out" '"event":"state"'
si_until si_file_has "$T/ev-bob.out" '"conversation_state":"reopened"'
check_contains "the state change is pushed to subscribers" '"event":"state"' \
    "$(cat "$T/ev-bob.out")"
check_contains "and the new message event says it reopened" '"conversation_state":"reopened"' \
    "$(cat "$T/ev-bob.out")"
check "reopen by hand" quiet si_as si_t_ann reopen "$c3"
check "state changes are audited" test "$(audits conversation.resolve)" -ge 1 -a \
    "$(audits conversation.snooze)" -ge 2 -a "$(audits conversation.priority)" -ge 1

# --- snooze times: the one time syntax (include/when.h) in every CLI form ---
until_of() { db "SELECT snooze_until FROM conversations WHERE id = $1"; }
# at_local EXPR: the epoch seconds of what a Python expression gives in local time
at_local() { python3 -c "import datetime as d, time; n = d.datetime.now(); \
print(int(time.mktime(($1).timetuple())))"; }
tomorrow9=$(at_local "d.datetime.combine(n.date() + d.timedelta(days=1), d.time(9))")
monday9=$(at_local "d.datetime.combine(n.date() + d.timedelta(days=(7 - n.weekday()) % 7 or 7), d.time(9))")
check "snooze CONV CONV WHEN: the time after the ids" quiet \
    si_as si_t_ann snooze "$c2" "$c3" tomorrow
check_eq "both until tomorrow 9:00" "$tomorrow9 $tomorrow9" \
    "$(until_of "$c2") $(until_of "$c3")"
check "--until with words" quiet si_as si_t_ann snooze "$c3" --until 'Monday 9:00'
check_eq "until next Monday 9:00" "$monday9" "$(until_of "$c3")"
check "WHEN in two words after the id" quiet si_as si_t_ann snooze "$c3" 2030-12-24 08:00
check_eq "until that date and time" \
    "$(at_local 'd.datetime(2030, 12, 24, 8, 0)')" "$(until_of "$c3")"
e=$(($(date +%s) + 5000))
check "--until EPOCH as before" quiet si_as si_t_ann snooze "$c3" --until "$e"
check_eq "until that second" "$e" "$(until_of "$c3")"
check "--for DURATION as before" quiet si_as si_t_ann snooze "$c3" --for 2h
d=$(($(until_of "$c3") - $(date +%s)))
check "until two hours from now" test "$d" -gt 7190 -a "$d" -le 7200
check "2h after the id: the same" quiet si_as si_t_ann snooze "$c3" 2h
d=$(($(until_of "$c3") - $(date +%s)))
check "until two hours from now, too" test "$d" -gt 7190 -a "$d" -le 7200
before=$(until_of "$c3")
out=$(si_as si_t_ann snooze "$c3" --until someday 2>&1)
check_contains "a word that is no time is refused, saying what is" \
    "--until: not a time: say 2h" "$out"
out=$(si_as si_t_ann snooze "$c3" 2020-01-01 2>&1)
check_contains "a time past is refused" "has passed" "$out"
out=$(si_as si_t_ann snooze "$c3" 9:75 2>&1)
check_contains "no such time of day" "no such time of day" "$out"
out=$(si_as si_t_ann snooze "$c3" --for tomorrow 2>&1)
check_contains "--for takes a duration" "--for: not a duration" "$out"
out=$(si_as si_t_ann snooze "$c3" 2h --for 2h 2>&1)
check_contains "one end only" "usage: support-inbox snooze CONV..." "$out"
out=$(si_as si_t_ann snooze "$c3" 2>&1)
check_contains "and one is needed" "usage: support-inbox snooze CONV..." "$out"
out=$(si_as si_t_ann resolve "$c3" --until tomorrow 2>&1)
check_contains "--until goes with a snooze only" "resolve does not take --until" \
    "$out"
check_eq "nothing refused changed the snooze" "$before" "$(until_of "$c3")"
out=$(si list --state open 2>&1)
check_eq "a flag the command does not take is refused" "1" "$?"
check_contains "by name, with the usage" \
    "list does not take --state; usage: list [VIEW" "$out"
check_eq "audit --from takes the same syntax" 0 \
    "$(si audit show --from tomorrow --json | jq '.records | length')"
check "audit --from '1h ago' finds the snoozes" test \
    "$(si audit show --from '1h ago' --action conversation.snooze --json | jq '.records | length')" -ge 6
out=$(si audit show --from 2025-02-30 2>&1)
check_contains "and refuses a date that does not exist" "--from: no such date" "$out"
si_as si_t_ann pending "$c2" >/dev/null
si_as si_t_ann reopen "$c3" >/dev/null

# --- collision guard ---
last=$(db "SELECT max(id) FROM messages WHERE conversation_id = $c3")
newer() {
	printf '{"id":1,"method":"hello","params":{"version":1}}\n{"id":2,"method":"conv.newer","params":{"id":%s,"after":%s}}\n' "$c3" "$1" |
	    socat -t 2 - "UNIX-CONNECT:$T/run/socket" | tail -n 1 | jq .result.newer
}
check_eq "no newer customer message since the last one seen" false "$(newer "$last")"
msg 3 'Carla Rossi' 'Are you there?' >/dev/null
check_eq "a newer customer message is detected" true "$(newer "$last")"

# --- notes and mentions ---
bg si_t_bob events --timeout 10s >"$T/ev-bob2.out" 2>/dev/null
si_until si_file_has "$T/ev-bob2.out" subscribed
out=$(si_as si_t_ann note add "$c1" 'Customer is a VIP, please ask @si_t_bob. Mail x@si_t_sue.com')
check_contains "a note mentioning an agent says whom it notified" "notified si_t_bob" "$out"
si_until si_file_has "$T/ev-bob2.out" '"event":"mention"'
check_contains "the mentioned agent gets a pushed mention" '"event":"mention"' \
    "$(cat "$T/ev-bob2.out")"
check_eq "an e-mail address is not a mention" 1 "$(audits note.mention)"
check_eq "the mention is listed for them" "$c1" \
    "$(si_as si_t_bob mentions --json | jq '.[0].conversation')"
check_eq "and not for others" 0 "$(si_as si_t_ann mentions --json | jq length)"
check_contains "notes are listed with their text" "VIP" "$(si_as si_t_sue note list "$c1")"
check_eq "note add and note list are audited" "1 1" \
    "$(audits note.add) $(audits note.list)"
check_eq "the note knows the message it was written after (its place in the thread)" \
    "$(db "SELECT max(id) FROM messages WHERE conversation_id = $c1")" \
    "$(si_as si_t_sue note list "$c1" --json | jq '.[0].after_msg')"
check "the note is not in the message thread" test "$(si show "$c1" --purpose "test check" --json | jq '[.messages[] | select(.body.text | tostring | test("VIP"))] | length')" -eq 0

# --- labels, bulk ---
out=$(si_as si_t_ann label create vip 2>&1)
check_contains "agents cannot create labels" "needs the supervisor role" "$out"
check "a supervisor creates a label" quiet si_as si_t_sue label create vip --color red
out=$(si_as si_t_ann label add vip "$c1" "$c2" "$c3")
check_contains "bulk label add on three conversations" "3 of 3" "$out"
check_eq "each conversation audited one by one" 3 "$(audits conversation.label)"
check_eq "label view" 3 "$(si list label:vip --json | jq '.rows | length')"
check_eq "rows show the label" '["vip"]' \
    "$(si list all --json | jq -c ".rows[] | select(.id==$c2) | .labels")"
check "rename" quiet si_as si_t_sue label rename vip gold
check_eq "counts follow the rename" 3 "$(si counts --json | jq '.labels.gold')"
si_as si_t_ann label remove gold "$c3" >/dev/null
check_eq "remove" 2 "$(si list label:gold --json | jq '.rows | length')"
check "delete" quiet si_as si_t_sue label delete gold
check_eq "deleting a label clears it from conversations" '[]' \
    "$(si list all --json | jq -c ".rows[] | select(.id==$c2) | .labels")"

# --- canned replies ---
check "a supervisor adds a canned reply" quiet si_as si_t_sue canned add greet \
    --title Greeting --body 'Hi {{contact.first_name | "there"}}, {{agent.name}} here about case #{{conversation.id}}. {{contact.name}}' \
    --language en
out=$(si_as si_t_ann canned render greet "$c1" --json --purpose "reply")
check_eq "render fills every variable" \
    "Hi Anna, si_t_ann here about case #$c1. Anna Schmidt" "$(echo "$out" | jq -r .text)"
check_eq "and reports nothing missing" '[]' "$(echo "$out" | jq -c .missing)"
msg 4 '' 'no name here' >/dev/null
c4=$(db "SELECT max(id) FROM conversations")
out=$(si_as si_t_ann canned render greet "$c4" --json)
check_eq "a missing name uses the fallback or stays empty" \
    "Hi there, si_t_ann here about case #$c4. " "$(echo "$out" | jq -r .text)"
check_eq "and names the variable it could not fill" '["contact.name"]' \
    "$(echo "$out" | jq -c .missing)"
out=$(si_as si_t_sue canned add bad --title x --body 'Hi {{customer.name}}' 2>&1)
check_contains "an unknown variable is refused when saving" "unknown variable 'customer.name'" "$out"
out=$(si_as si_t_ann canned add x --title x --body y 2>&1)
check_contains "agents cannot edit canned replies" "needs the supervisor role" "$out"
check "edit" quiet si_as si_t_sue canned edit greet --title 'Hello there'
check_eq "edit changes the title and keeps the body" "Hello there|Hi {{" \
    "$(si canned list all --json | jq -r '.[0] | "\(.title)|\(.body[0:5])"')"
si_as si_t_sue canned add sales-only --title S --body 'Sales {{agent.name}}' --team sales >/dev/null
check_eq "team-scoped replies are hidden from other teams" 1 \
    "$(si_as si_t_ann canned list --json | jq length)"
si_as si_t_sue agent team si_t_ann sales >/dev/null
check_eq "and shown to their team" 2 "$(si_as si_t_ann canned list --json | jq length)"
mkdir -p "$T/canned" && chmod 777 "$T/canned"
si_as si_t_sue canned export "$T/canned/out" >/dev/null
check "export writes one file per reply" test -f "$T/canned/out/greet.txt" -a \
    -f "$T/canned/out/sales-only.txt"
check_eq "the file is plain text with headers and the body" \
    "title: Hello there" "$(head -n 1 "$T/canned/out/greet.txt")"
si_as si_t_sue canned remove greet >/dev/null
si_as si_t_sue canned remove sales-only >/dev/null
check_eq "removed" 0 "$(si canned list all --json | jq length)"
check "import a directory" quiet si_as si_t_sue canned import "$T/canned/out"
check_eq "import restores every reply exactly" \
    "$(si canned list all --json | jq -c '[.[] | {shortcut, title, body, language, team}]')" \
    "$(printf '%s' '[{"shortcut":"greet","title":"Hello there","body":"Hi {{contact.first_name | \"there\"}}, {{agent.name}} here about case #{{conversation.id}}. {{contact.name}}","language":"en","team":null},{"shortcut":"sales-only","title":"S","body":"Sales {{agent.name}}","language":null,"team":"sales"}]')"
check_eq "canned changes are audited" "2 1 2 2" \
    "$(audits canned.add) $(audits canned.edit) $(audits canned.remove) $(audits canned.put)"

# --- search ---
s() { si_as si_t_ann search "$@" --json; }
check_eq "a word finds its conversation" "$c1" "$(s sweater | jq '.rows[0].id')"
check_contains "with the matching snippet" "[sweater]" "$(s sweater | jq -r '.rows[0].match.snippet')"
check_eq "diacritics and case are folded; prefixes work" "$c2" "$(s PARC* | jq '.rows[0].id')"
check_eq "contact names are searchable" "$c3" "$(s rossi in:names | jq '.rows[0].id')"
check_eq "notes are searchable" "note" "$(s vip in:notes | jq -r '.rows[0].match.kind')"
check_eq "in:notes excludes messages" 0 "$(s sweater in:notes | jq '.rows | length')"
check_eq "status filter" 0 "$(s sweater status:resolved | jq '.rows | length')"
check_eq "status filter (match)" 1 "$(s parcel status:pending | jq '.rows | length')"
check_eq "assignee filter" "$c1" "$(s sweater assignee:si_t_sue | jq '.rows[0].id')"
check_eq "assignee filter (none)" 0 "$(s sweater assignee:none | jq '.rows | length')"
# (from yesterday, so a run across midnight still counts the message)
since=$(date -u -d yesterday +%Y-%m-%d)
check_eq "date filter includes a recent message" 1 "$(s sweater from:$since | jq '.rows | length')"
check_eq "date filter excludes before" 0 "$(s sweater to:2001-01-01 | jq '.rows | length')"
check_eq "out: finds nothing among customer messages" 0 "$(s sweater out: | jq '.rows | length')"
check_eq "in: finds customer messages" 1 "$(s sweater in: | jq '.rows | length')"
check_eq "a rolled-in new message is searchable at once" "$c3" "$(s there | jq '.rows[0].id')"
out=$(si_as si_t_ann search 'sweater' 'bogus:1' 2>&1)
check_contains "an unknown filter is explained" "unknown filter 'bogus:'" "$out"
out=$(si_as si_t_ann search '"unbalanced' OR 'NEAR(' 2>&1)
check "FTS syntax in a query cannot break it" test $? -eq 0
n=$(audits search)
check "every search is audited" test "$n" -ge 14
check_eq "with its query sealed, not in clear" 0 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'search' AND CAST(detail_enc AS TEXT) LIKE '%sweater%'")"
hits=0
for f in "$T"/data/*; do
	grep -aq sweater "$f" && hits=$((hits + 1))
done
check_eq "no search text in clear anywhere in the data directory" 0 "$hits"

# --- presence ---
bg si_t_bob presence set "$c1" typing --hold 3s >/dev/null 2>&1
bob_types() {
	[ "$(si_as si_t_ann presence show "$c1" --json | jq -c .typing)" = \
	    '["si_t_bob"]' ]
}
si_until bob_types
out=$(si_as si_t_ann presence show "$c1" --json)
check_eq "who views and who types a conversation" '["si_t_bob"] ["si_t_bob"]' \
    "$(echo "$out" | jq -c '.viewing, .typing' | tr '\n' ' ' | sed 's/ $//')"

# An agent who disconnects stops "viewing" and "typing" for the others.
# (Bob's hold ends first, so that only Sue's events are counted below.)
nobody_types() {
	[ "$(si_as si_t_ann presence show "$c1" --json | jq -c .typing)" = '[]' ]
}
si_until nobody_types
bg si_t_ann events --count 2 >"$T/pres.out" 2>&1
si_until si_file_has "$T/pres.out" subscribed
bg si_t_sue presence set "$c1" typing --hold 1s >/dev/null 2>&1
i=0
while [ "$(grep -c presence "$T/pres.out")" -lt 2 ] && [ $i -lt 150 ]; do
	sleep 0.1; i=$((i + 1))
done
check_eq "a departed agent's presence is withdrawn by a pushed event" \
    "true false" "$(grep '"by":"si_t_sue"' "$T/pres.out" |
    jq -r '.data.typing' | tr '\n' ' ' | sed 's/ $//')"

# --- auto-assignment: round-robin over online agents, capacity ---
for c in $(db "SELECT id FROM conversations WHERE state != 'resolved'"); do
	si resolve "$c" >/dev/null
done
si_stop
printf '[inbox]\nauto_assign = yes\ncapacity = 2\n' >>"$T/si.conf"
check "daemon restarts with auto-assignment" si_start
bg si_t_ann events --timeout 30s >/dev/null 2>&1
bg si_t_bob events --timeout 30s >/dev/null 2>&1
si_until si_subscribers 2
for n in 5 6 7 8 9; do msg "$n" "Auto $n" "hello number $n" $((100 - n)) >/dev/null; done
i=0
while [ $i -lt 150 ] && [ "$(db "SELECT count(*) FROM conversations WHERE assignee_id IS NOT NULL AND state = 'open'")" -lt 4 ]; do
	sleep 0.1; i=$((i + 1))
done
per=$(db "SELECT a.name || '=' || count(*) FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.state = 'open' GROUP BY a.name ORDER BY a.name" | tr '\n' ' ')
check_eq "online agents share the work evenly up to capacity" "si_t_ann=2 si_t_bob=2 " "$per"
check_eq "the fifth conversation waits (everyone is full)" 1 \
    "$(db "SELECT count(*) FROM conversations WHERE assignee_id IS NULL AND state = 'open'")"
check_eq "the offline supervisor got nothing" 0 \
    "$(db "SELECT count(*) FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE a.name = 'si_t_sue' AND c.state = 'open'")"
oldest=$(db "SELECT c.id FROM conversations c WHERE c.assignee_id IS NULL AND c.state = 'open'")
check_eq "oldest waiting first: the newest is the one left" \
    "$(db "SELECT max(id) FROM conversations")" "$oldest"
first=$(db "SELECT id FROM conversations WHERE assignee_id = (SELECT id FROM agents WHERE name = 'si_t_ann') AND state = 'open' LIMIT 1")
si_as si_t_ann resolve "$first" >/dev/null
i=0
while [ $i -lt 150 ] && [ -z "$(db "SELECT assignee_id FROM conversations WHERE id = $oldest")" ]; do
	sleep 0.1; i=$((i + 1))
done
check_eq "freed capacity is refilled" si_t_ann \
    "$(db "SELECT a.name FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.id = $oldest")"
check_eq "every automatic decision is audited as the daemon's" 5 \
    "$(audits conversation.assign "agent = 'support-inboxd'")"
check "the audit chain verifies" quiet si audit verify

# A waiting conversation for a team with nobody online does not hold up
# the ones behind it.
msg 10 "Auto 10" "for billing" 300 >/dev/null
c10=$(db "SELECT max(id) FROM conversations")
si team "$c10" billing >/dev/null
msg 11 "Auto 11" "anyone" 200 >/dev/null
c11=$(db "SELECT max(id) FROM conversations")
bobs=$(db "SELECT c.id FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE a.name = 'si_t_bob' AND c.state = 'open' LIMIT 1")
si_as si_t_bob resolve "$bobs" >/dev/null
i=0
while [ $i -lt 150 ] && [ -z "$(db "SELECT assignee_id FROM conversations WHERE id = $c11")" ]; do
	sleep 0.1; i=$((i + 1))
done
check_eq "a team nobody online serves is skipped, not a blocker" \
    "si_t_bob -" "$(db "SELECT a.name FROM conversations c JOIN agents a ON
    a.id = c.assignee_id WHERE c.id = $c11") $(db "SELECT coalesce(assignee_id,
    '-') FROM conversations WHERE id = $c10")"

# A customer who changes their profile name is found by the new name at
# once, and no longer by the old one.
msg 12 "Olga Oldname" "first" 100 >/dev/null
c12=$(db "SELECT max(id) FROM conversations")
check_eq "a name is searchable" "$c12" "$(s oldname in:names | jq '.rows[0].id')"
msg 12 "Olga Newname" "second" 50 >/dev/null
check_eq "a changed name is searchable at once" "$c12" \
    "$(s newname in:names | jq '.rows[0].id')"
check_eq "the old name is gone from the index" 0 \
    "$(s oldname in:names | jq '.rows | length')"

# --- issue 13: rows say what to do next, the list sorts ---
# Customer 13 asked two hours ago and again a minute ago, 14 an hour ago,
# 15 half an hour ago (urgent).
msg 13 "Wait Long" "first question" 7200 >/dev/null
msg 13 "Wait Long" "still there?" 60 >/dev/null
msg 14 "Wait Mid" "a question" 3600 >/dev/null
msg 15 "Wait Short" "another question" 1800 >/dev/null
w13=$(si list all --json | jq '.rows[] | select(.name == "Wait Long") | .id')
w14=$(si list all --json | jq '.rows[] | select(.name == "Wait Mid") | .id')
w15=$(si list all --json | jq '.rows[] | select(.name == "Wait Short") | .id')
si priority "$w15" urgent >/dev/null
now=$(date +%s)
r13=$(si list all --json | jq -c ".rows[] | select(.id == $w13)")
ws=$(echo "$r13" | jq .waiting_since)
check "waiting_since is the oldest unanswered message" \
    test "$ws" -le $((now - 7190)) -a "$ws" -ge $((now - 7230))
check_eq "the customer wrote last, no agent" "in null" \
    "$(echo "$r13" | jq -r '"\(.last_direction) \(.last_agent)"')"
check_eq "the store keeps them on the conversation" "$ws in" \
    "$(db "SELECT waiting_since, last_direction FROM conversations WHERE id = $w13" | tr '|' ' ')"
# sorted NAME: the three in the order of that sort, in the all view
sorted() {
	si list all --sort "$1" --json | jq -r "[.rows[].id | select(. == $w13
	    or . == $w14 or . == $w15) | tostring] | join(\" \")"
}
check_eq "sort waiting: the longest waiting first" "$w13 $w14 $w15" "$(sorted waiting)"
check_eq "sort window: the window closing soonest first" "$w14 $w15 $w13" "$(sorted window)"
check_eq "sort priority: urgent first, then newest" "$w15 $w13 $w14" "$(sorted priority)"
check_eq "sort newest: last activity first" "$w13 $w15 $w14" "$(sorted newest)"
check_eq "no sort is newest" "$(sorted newest)" \
    "$(si list all --json | jq -r "[.rows[].id | select(. == $w13 or . == $w14 or . == $w15) | tostring] | join(\" \")")"
check_eq "the answer names the sort" waiting "$(si list all --sort waiting --json | jq -r .sort)"
# A split sort (the waiting, then the others) pages without a gap or a
# repeat across the split, one row at a time.
n=$(si list all --json --limit 500 | jq '.rows | length')
for o in waiting window; do
	whole=$(si list all --sort "$o" --limit 500 --json | jq -r '[.rows[].id] | map(tostring) | join(" ")')
	paged=""
	i=0
	while [ $i -lt "$n" ]; do
		paged="$paged $(si list all --sort "$o" --offset $i --limit 1 --json | jq -r '.rows[0].id')"
		i=$((i + 1))
	done
	check_eq "sort $o pages one row at a time as a whole ($n rows)" "$whole" "${paged# }"
	check_eq "sort $o: a page past the end is empty" 0 \
	    "$(si list all --sort "$o" --offset "$n" --json | jq '.rows | length')"
done
waiting_n=$(db "SELECT count(*) FROM conversations WHERE waiting_since > 0")
check_eq "sort waiting: a page that starts past the waiting ones" \
    "$(si list all --sort waiting --limit 500 --json | jq -c "[.rows[$waiting_n:][].id]")" \
    "$(si list all --sort waiting --offset "$waiting_n" --limit 500 --json | jq -c '[.rows[].id]')"
out=$(si list all --sort oldest 2>&1)
check_contains "an unknown sort is refused, naming the sorts" \
    "unknown sort 'oldest'; sorts are newest, waiting, window, priority" "$out"
out=$(si list all --sort waitingwaitingwaiting 2>&1)
check_contains "a sort name is bounded" "sort" "$out"
check "and the daemon answers after" quiet si list all --sort window
check_eq "the window view keeps its own order (closing soonest)" \
    "$w14 $w15 $w13" "$(si list window:24 --json | jq -r "[.rows[].id | select(. == $w13 or . == $w14 or . == $w15) | tostring] | join(\" \")")"

si_done
