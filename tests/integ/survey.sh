#!/bin/sh
# Issue 16, point 7: the satisfaction survey. A resolve queues it; the
# inbox's clock (SI_TEST_CLOCK here) sends it once the undo window has
# passed, as a list (1-5) or buttons (thumbs), through the outbox; the
# customer's press is stored per conversation and the agent who resolved
# it, audited and thanked; results for reports. Never to a team without a
# survey, a restricted or opted-out contact, outside the window, twice, or
# after an undone resolve; foreign and made-up ids are ignored; a bad
# [survey] section is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-tui.sh"

GRP=si-survey
si_tmp
si_config "$GRP"
si_user si_t_surva "$GRP"
cat >>"$T/si.conf" <<'EOC'

[retention]
resolved_days = 1

[survey]
scale = 5
language = en
text.en = How did we do?
text.de = Wie war unser Service?
thanks.en = Thank you for your rating!
thanks.de = Danke!
button.de = Bewerten
delay = 0m

[survey billing]
enabled = no

[survey sales]
scale = thumbs
text.en = Happy with us?

[survey.triage]
scale = 3
text.en = Rate us
EOC
# Issue 18's survey.answered hook: a program that keeps each body.
mkdir -p "$T/hk"
cat >>"$T/si.conf" <<EOC

[hook crm]
events = survey.answered
program = $T/hook.sh
EOC
cat >"$T/hook.sh" <<EOP
#!/bin/sh
cat >"$T/hk/\$SI_HOOK_DELIVERY.json"
EOP
chmod 755 "$T/hook.sh"
OFF=0
printf '+0\n' >"$T/clock"
SI_TEST_CLOCK=$T/clock
export SI_TEST_CLOCK
# advance SECONDS: the inbox's clock (daemon and simulator) moves on.
advance() {
	OFF=$((OFF + $1))
	printf '+%d\n' "$OFF" >"$T/clock"
}
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
simreq() { curl -s "$SIMURL/_sim/requests"; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
press() {	# FROM ID TITLE [list]
	_kind=button; [ -n "${4:-}" ] && _kind=list
	curl -s -XPOST "$SIMURL/_sim/reply" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"kind\":\"$_kind\",\"id\":\"$2\",\
\"title\":\"$3\"}" >/dev/null
}
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" \
	    '[.rows[] | select(.name == $n) | .id] | max'
}
state_of() { db "SELECT state FROM conversations WHERE id = $1"; }
survey_of() { db "SELECT state || ' ' || coalesce(skipped, '') FROM surveys
    WHERE conversation_id = $1" | sed 's/ $//'; }
interactive_to() { simreq | jq --arg to "+$1" '[.bodies[] |
    select(.type == "interactive" and .to == $to)] | length'; }
texts_to() { simreq | jq -r --arg to "+$1" '[.bodies[] |
    select(.type == "text" and .to == $to) | .text.body] | join("|")'; }
is_state() { [ "$(survey_of "$1")" = "$2" ]; }

si_sim --statuses none
check "init" si_init

# A bad [survey] section refuses to load, naming file, line and the fix.
bad() {	# WANT SECTION-LINES
	cp "$T/si.conf" "$T/bad.conf"
	printf '%b' "$2" >>"$T/bad.conf"
	out=$("$SID" -c "$T/bad.conf" 2>&1)
	rc=$?
	check "bad config refused: $1" test $rc -ne 0
	check_contains "and explained: $1" "$1" "$out"
}
bad "scale expects 5" '\n[survey x]\nscale = 7\ntext.en = Hi\n'
bad "needs its question" '\n[survey y]\nscale = 3\n'
bad "delay expects a duration" '\n[survey z]\ntext.en = Hi\ndelay = soon\n'
bad "language after the dot" '\n[survey w]\ntext.e = Hi\n'
bad "language is fr but there is no text.fr" \
    '\n[survey v]\ntext.en = Hi\nlanguage = fr\n'
out=$("$SID" -c "$T/bad.conf" 2>&1)
check_contains "the message names file and line" "bad.conf:" "$out"

si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_surva >/dev/null
AID=$(db "SELECT id FROM agents WHERE name = 'si_t_surva'")

# --- the flow: resolve, the survey once, a press, stored, thanked ---
inbound 491510000041 "where is my parcel?"
c1=$(conv_of 491510000041)
si contact edit "conv:$c1" --language en_GB >/dev/null
si_as si_t_surva assign "$c1" me >/dev/null
si_as si_t_surva resolve "$c1" >/dev/null
check_eq "a resolve queues the survey" pending "$(survey_of "$c1")"
check_eq "due after the undo window (60 s)" 60 "$(db "SELECT due_at -
    resolved_at FROM surveys WHERE conversation_id = $c1")"
check_eq "nothing sent yet" 0 "$(interactive_to 491510000041)"
advance 61
check "sent once the undo window has passed" si_until is_state "$c1" sent
check "the simulator received it" si_until sh -c \
    "[ \"\$(curl -s '$SIMURL/_sim/requests' | jq '[.bodies[] | select(.type == \"interactive\")] | length')\" -ge 1 ]"
body=$(simreq | jq -c '[.bodies[] | select(.type == "interactive" and
    .to == "+491510000041")][0].interactive')
check_eq "exactly one interactive message" 1 "$(interactive_to 491510000041)"
check_eq "a list (1-5 is more than three buttons)" list \
    "$(echo "$body" | jq -r .type)"
check_eq "the question in the contact's language (en_GB: en)" \
    "How did we do?" "$(echo "$body" | jq -r .body.text)"
check_eq "five rows, 5 to 1" "5 4 3 2 1" "$(echo "$body" | jq -r \
    '[.action.sections[0].rows[].title] | join(" ")')"
TOK=$(db "SELECT token FROM surveys WHERE conversation_id = $c1")
check "the token is 24 random hex digits" test "${#TOK}" -eq 24
check_eq "the rows' ids carry the survey's token" \
    "survey:$TOK:5 survey:$TOK:1" "$(echo "$body" | jq -r \
    '.action.sections[0].rows | [.[0].id, .[4].id] | join(" ")')"
check_contains "the thread shows it readably" "Survey: How did we do? [1..5]" \
    "$(si_as si_t_surva show "$c1" --json | jq -r '.messages[-1] | tostring')"
check_eq "sent as the daemon, audited survey.send" "1 support-inboxd" \
    "$(db "SELECT count(*) || ' ' || max(agent) FROM audit WHERE action =
    'survey.send'")"
check_eq "the conversation is still resolved" resolved "$(state_of "$c1")"

press 491510000041 "survey:$TOK:4" 4 list
check "the press is stored" si_until is_state "$c1" answered
check_eq "rating 4 for the agent who resolved" "4 $AID" \
    "$(db "SELECT rating || ' ' || agent_id FROM surveys
    WHERE conversation_id = $c1")"
check "with the time" test "$(db "SELECT answered_at FROM surveys WHERE
    conversation_id = $c1")" -gt 0
hook_heard() { ls "$T/hk" | grep -q json; }
check "survey.answered reaches the hook" si_until hook_heard
check_eq "with the conversation, rating and scale" \
    "survey.answered $c1 4 5 false" \
    "$(cat "$T"/hk/*.json | jq -r '"\(.event) \(.conversation.id) \(.data.rating) \(.data.scale) \(.data.again)"')"
check_eq "and (include = ids) no name, number or text" "null null null" \
    "$(cat "$T"/hk/*.json | jq -r '"\(.contact.name) \(.contact.phone_masked) \(.text)"')"
check "thanked" si_until sh -c "curl -s '$SIMURL/_sim/requests' |
    jq -e '[.bodies[] | select(.type == \"text\" and .to == \"+491510000041\")] | length == 1'"
check_eq "in the contact's language" "Thank you for your rating!" \
    "$(texts_to 491510000041)"
check_eq "pressing a button does not reopen the conversation" resolved \
    "$(state_of "$c1")"
check_eq "the answer is in the same conversation" "$c1" \
    "$(conv_of 491510000041)"
check_eq "audited survey.answer as the daemon" "1 support-inboxd" \
    "$(db "SELECT count(*) || ' ' || max(agent) FROM audit WHERE action =
    'survey.answer'")"
audit_detail() {
	si audit export --action "$1" --detail --purpose "survey test" |
	    jq -r .detail | sort | tr '\n' '|' | sed 's/|$//'
}
check_eq "the record has the rating, nothing personal" \
    "rating 4 of 5" "$(audit_detail survey.answer)"
check_eq "the thanks is audited" "1 support-inboxd" \
    "$(db "SELECT count(*) || ' ' || max(agent) FROM audit WHERE action =
    'survey.thanks'")"

# The thread shows the survey and the thanks, on the agent's screen.
start_as si_t_surva "$GRP" tv 120 40
wait_for tv "Customer 4915" >/dev/null
key tv :
typeit tv "open $c1"
key tv Enter
check "the screen shows the survey in the thread" \
    wait_for tv "Survey: How did we do? [1..5]"
check "and the thanks" wait_for tv "Thank you for your rating!"
key tv :
typeit tv "quit-now"
key tv Enter
wait_for tv "client exit" >/dev/null

# A second press: the customer changed their mind; the last one counts.
press 491510000041 "survey:$TOK:5" 5 list
check "a second press replaces the first" si_until sh -c \
    "[ \"\$(sqlite3 '$T/data/support-inbox.db' 'SELECT rating FROM surveys WHERE conversation_id = $c1')\" = 5 ]"
check_eq "and is audited too" 2 "$(db "SELECT count(*) FROM audit WHERE
    action = 'survey.answer'")"

# Someone else pressing this survey's id, or a made-up one: ignored.
inbound 491510000042 "hi there"
press 491510000042 "survey:$TOK:1" 1 list
check "a foreign answer is ignored" si_until sh -c \
    "[ \"\$(grep -c 'foreign or old survey ignored' '$T/daemon.log')\" -ge 1 ]"
press 491510000041 "survey:000000000000000000000000:2" 2 list
check "so is a made-up token" si_until sh -c \
    "[ \"\$(grep -c 'foreign or old survey ignored' '$T/daemon.log')\" -ge 2 ]"
press 491510000041 "survey:$TOK:9" 9 list
check "and a rating outside the scale" si_until sh -c \
    "[ \"\$(grep -c 'foreign or old survey ignored' '$T/daemon.log')\" -ge 3 ]"
check_eq "the rating stands" "5 2" "$(db "SELECT rating FROM surveys WHERE
    conversation_id = $c1") $(db "SELECT count(*) FROM audit WHERE action =
    'survey.answer'")"
check_eq "only one thanks" 1 "$(simreq | jq '[.bodies[] | select(.type ==
    "text" and .to == "+491510000041")] | length')"

# Never twice: reopened and resolved again, nothing new is queued.
si call conv.state "{\"ids\":[$c1],\"state\":\"open\"}" >/dev/null
si_as si_t_surva resolve "$c1" >/dev/null
check_eq "reopen and resolve: no second survey" "answered 1" \
    "$(db "SELECT state, count(*) FROM surveys WHERE conversation_id = $c1" |
    tr '|' ' ')"

# --- never sent ---
# A team without a survey ([survey billing] enabled = no).
inbound 491510000043 "billing question"
c3=$(conv_of 491510000043)
si team "$c3" billing >/dev/null
si resolve "$c3" >/dev/null
check_eq "a team without a survey: nothing queued" 0 \
    "$(db "SELECT count(*) FROM surveys WHERE conversation_id = $c3")"

# A restricted contact (Art. 18).
inbound 491510000044 "restrict me"
c4=$(conv_of 491510000044)
si privacy restrict "conv:$c4" on --reason "Art. 18 test" --yes >/dev/null
si resolve "$c4" >/dev/null
# An opted-out one (STOP).
inbound 491510000045 "hello"
inbound 491510000045 "STOP"
c5=$(conv_of 491510000045)
si resolve "$c5" >/dev/null
# A resolve taken back in its undo window.
inbound 491510000046 "undo me"
c6=$(conv_of 491510000046)
si resolve "$c6" >/dev/null
si call conv.state "{\"ids\":[$c6],\"state\":\"open\",\"undo\":true}" \
    >/dev/null
check_eq "the undone resolve's survey waits" pending "$(survey_of "$c6")"
sent0=$(simreq | jq '[.bodies[] | select(.type == "interactive")] | length')
advance 61
check "restricted: skipped" si_until is_state "$c4" \
    "skipped contact restricted"
check "opted out: skipped" si_until is_state "$c5" \
    "skipped contact opted out"
check "undone: dropped, never sent" si_until sh -c \
    "[ \"\$(sqlite3 '$T/data/support-inbox.db' 'SELECT count(*) FROM surveys WHERE conversation_id = $c6')\" = 0 ]"
check_eq "the skips are audited with their reason" \
    "contact opted out|contact restricted" "$(audit_detail survey.skip)"
check_eq "no interactive message went" "$sent0" \
    "$(simreq | jq '[.bodies[] | select(.type == "interactive")] | length')"

# Outside the customer-service window.
inbound 491510000047 "late"
c7=$(conv_of 491510000047)
advance 90000
si resolve "$c7" >/dev/null
advance 61
check "outside the window: skipped" si_until is_state "$c7" \
    "skipped window closed"
check_eq "still no new interactive message" "$sent0" \
    "$(simreq | jq '[.bodies[] | select(.type == "interactive")] | length')"

# A reload takes new texts; a bad [survey] is refused, the old one kept.
cp "$T/si.conf" "$T/good.conf"
printf '\n[survey broken]\nscale = 9\ntext.en = x\n' >>"$T/si.conf"
out=$(si reload 2>&1)
check "a reload with a bad [survey] fails" test $? -ne 0
check_contains "naming the line" "[survey broken] scale expects" "$out"
cp "$T/good.conf" "$T/si.conf"
sed -i 's/^text.en = Happy with us?$/text.en = Happy with us today?/' \
    "$T/si.conf"
check_contains "a reload takes the new text" "survey changed" \
    "$(si reload 2>&1)"

# --- thumbs, in a team of its own ---
inbound 491510000048 "sales question"
c8=$(conv_of 491510000048)
si team "$c8" sales >/dev/null
si_as si_t_surva assign "$c8" me --force >/dev/null 2>&1 ||
    si assign "$c8" si_t_surva >/dev/null
si_as si_t_surva resolve "$c8" >/dev/null
advance 61
check "thumbs survey sent" si_until is_state "$c8" sent
b8=$(simreq | jq -c '[.bodies[] | select(.type == "interactive" and
    .to == "+491510000048")][0].interactive')
T8=$(db "SELECT token FROM surveys WHERE conversation_id = $c8")
check_eq "two reply buttons" "button survey:$T8:2 survey:$T8:1" \
    "$(echo "$b8" | jq -r '[.type, .action.buttons[].reply.id] | join(" ")')"
check_eq "with the reloaded text" "Happy with us today?" \
    "$(echo "$b8" | jq -r .body.text)"
check_eq "thumbs up and down" "👍 👎" \
    "$(echo "$b8" | jq -r '[.action.buttons[].reply.title] | join(" ")')"
press 491510000048 "survey:$T8:2" "👍"
check "thumbs up stored" si_until is_state "$c8" answered
check_eq "no thanks configured for the team: none sent" "" \
    "$(texts_to 491510000048)"

# Three buttons, in the [survey.triage] spelling of a team's section.
inbound 491510000049 "triage"
c9=$(conv_of 491510000049)
si team "$c9" triage >/dev/null
si resolve "$c9" >/dev/null
advance 61
check "a 1-3 survey sent" si_until is_state "$c9" sent
T9=$(db "SELECT token FROM surveys WHERE conversation_id = $c9")
check_eq "three reply buttons, 3 to 1" "button 3 2 1 survey:$T9:3" \
    "$(simreq | jq -r '[.bodies[] | select(.type == "interactive" and
    .to == "+491510000049")][0].interactive | [.type,
    .action.buttons[].reply.title, .action.buttons[0].reply.id] |
    join(" ")')"

# An answer more than seven days after the survey is an old one: ignored.
advance $((8 * 86400))
n0=$(grep -c 'foreign or old survey ignored' "$T/daemon.log")
press 491510000048 "survey:$T8:1" "👎"
check "an answer to an old survey is ignored" si_until sh -c \
    "[ \"\$(grep -c 'foreign or old survey ignored' '$T/daemon.log')\" -gt $n0 ]"
check_eq "the rating stands" 2 "$(db "SELECT rating FROM surveys WHERE
    conversation_id = $c8")"
check_eq "and the press is an ordinary message: it reopens" open \
    "$(state_of "$c8")"

# --- results for reports ---
r=$(si survey results --json)
check_eq "results: three sent, two answered" "3 2" \
    "$(echo "$r" | jq -r '"\(.sent) \(.answered)"')"
check_eq "per team, agent and scale" "- si_t_surva 5 5 {\"5\":1}" \
    "$(echo "$r" | jq -r -c '.groups[] | select(.scale == "5") |
    "\(.team // "-") \(.agent) \(.scale) \(.average) \(.distribution)"')"
r=$(si survey results --team sales --json)
check_eq "--team sales: the thumbs" "sales thumbs 1 2" \
    "$(echo "$r" | jq -r '.groups[] | "\(.team) \(.scale) \(.answered)
    \(.average)"' | tr '\n' ' ' | sed 's/  */ /g; s/ $//')"
check_eq "--agent root: the 1-3 one, sent, not answered" "1 0 null" \
    "$(si survey results --agent root --json | jq -r '"\(.sent) \(.answered)
    \(.groups[0].average)"' | tr '\n' ' ' | sed 's/  */ /g; s/ $//')"
out=$(si survey results --agent nobody_x 2>&1)
check "an unknown agent is an error" test $? -ne 0
check_contains "named" "no agent 'nobody_x'" "$out"
out=$(si survey results)
check_contains "a table for people" "si_t_surva" "$out"
check_contains "with the totals" "3 sent, 2 answered" "$out"
check_eq "--since after them: none" 0 \
    "$(si survey results --since 2099-01-01 --json | jq '.sent')"
out=$(si_as si_t_surva survey results 2>&1)
check "an agent may not read the results (supervisor)" test $? -ne 0
r=$(si survey results --json)
check "nothing personal in the results" sh -c "! echo '$r' |
    grep -qE '4915100000|Customer|survey:'"

# Retention deletes resolved conversations; their ratings stay for reports.
si privacy retention run --as-of "$(( $(date +%s) + 3 * 86400 ))" \
    >/dev/null
check_eq "retention deleted the resolved conversation" 0 \
    "$(db "SELECT count(*) FROM conversations WHERE id = $c1")"
check_eq "its survey row stays, without it" "answered 5" \
    "$(db "SELECT state || ' ' || rating FROM surveys WHERE token = '$TOK'")"
check_eq "the ratings stay, without a conversation" "3 2" \
    "$(si survey results --json | jq -r '"\(.sent) \(.answered)"')"

check "the audit chain verifies" quiet si audit verify
si_stop
no_sanitizer_report
si_done
