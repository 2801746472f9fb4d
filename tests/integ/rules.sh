#!/bin/sh
# Issue 16, rules: the rule file ([automation] rules), every trigger
# (message, created, label, no-reply, window-closing), condition (words,
# lang, number, team, label, attribute, hours) and action (team, assign,
# label, priority, snooze, reply, notify) against the simulator; loop
# prevention (a rule never fires twice in one cascade, depth 8); rule
# enable/disable kept across a restart; a bad file refused at start and
# on reload (the old rules stay); rule.fire audit records with the rule's
# name; "rule test" on a table of messages. Timers run on SI_TEST_CLOCK.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-rul
si_user si_t_rulsa si-rul
si_user si_t_rulb si-rul
SI_TEST_CLOCK="$T/clock"
export SI_TEST_CLOCK
echo "+0" >"$T/clock"
cat >>"$T/si.conf" <<EOF

[automation]
rules = rules.conf

[hours billing]
timezone = UTC
mon = 09:00-17:00
EOF
cat >"$T/rules.conf" <<'EOF'
# Routing: refunds to billing (German too).
rule refund-to-billing
  when message
  if words refund "Rückerstattung"
  if number main
  then team billing
  then label refund

rule welcome
  when created
  then reply hello
  then priority high

rule german
  when message
  if lang de
  then label german

rule vip
  when message
  if attribute tier = gold
  unless label handled
  then assign si_t_rulb
  then notify agent si_t_rulb

rule hours-open
  when message
  if words opening
  if hours open
  then label open-now

rule hours-closed
  when message
  if words opening
  if hours closed
  then label closed-now

rule billing-invoice
  when message
  if team billing
  if words invoice
  then priority urgent

rule later
  when message
  if words later
  then snooze 2h

rule escalate
  when label refund
  then label escalated

rule loop-a
  when label ping
  then label pong
rule loop-b
  when label pong
  then label ping

rule broken
  when message
  if words kaputt
  then label no-such-label

rule slow
  when no-reply 30
  then label slow
  then notify team billing

rule closing
  when window-closing 60
  then label closing
EOF
i=1
while [ $i -le 9 ]; do
	printf 'rule chain%d\n  when label c%d\n  then label c%d\n' $i $i \
	    $((i + 1)) >>"$T/rules.conf"
	i=$((i + 1))
done
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
db="$T/data/support-inbox.db"
si agent add si_t_rulsa --role supervisor >/dev/null
si agent add si_t_rulb >/dev/null
si agent team si_t_rulb billing >/dev/null
for l in refund escalated german open-now closed-now handled slow closing \
    ping pong c1 c2 c3 c4 c5 c6 c7 c8 c9 c10; do
	si label create $l >/dev/null
done
si canned add hello --title Hello --body 'Hallo {{contact.first_name}}, wir melden uns.' >/dev/null
si attribute define tier enum gold,silver >/dev/null

# inbound FROM NAME TEXT: a customer writes, through the simulator
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
conv_of() { si contact show "+$1" --json | jq -r '.conversations[0].id'; }
show() { si show "$1" --json --purpose "rules test"; }
labels() { show "$1" | jq -r '.conversation.labels | join(",")'; }
field() { show "$1" | jq -r ".conversation.$2"; }
# has_label CONV LABEL
has_label() { show "$1" | jq -e --arg l "$2" '.conversation.labels | index($l)' >/dev/null; }
not_label() { ! has_label "$1" "$2"; }
# The audit log with details, one record a line.
aud() { si audit export --detail --purpose "rules test" >"$T/audit.jsonl"; }
# detail_of ACTION CONV: the details of ACTION's records on CONV
detail_of() {
	aud
	jq -r --arg a "$1" --argjson c "$2" 'select(.action == $a and
	    .object_id == $c) | .detail' "$T/audit.jsonl"
}
# who_of ACTION CONV: "agent|detail" of those records
who_of() {
	aud
	jq -r --arg a "$1" --argjson c "$2" 'select(.action == $a and
	    .object_id == $c) | .agent + "|" + .detail' "$T/audit.jsonl"
}
# fires CONV RULE [RESULT]: how many rule.fire records of RULE on CONV
fires() {
	aud
	jq -r --argjson c "$1" --arg r "rule=$2 " --arg res "${3:-ok}" \
	    'select(.action == "rule.fire" and .object_id == $c and
	    (.detail | startswith($r)) and .result == $res) | .seq' \
	    "$T/audit.jsonl" | wc -l | tr -d ' '
}

# --- message + words (umlauts, case) + number; team and label actions;
# --- created + reply (through autosend: the simulator got it) + priority
inbound 4915100000001 "Rosa Klein" "Ich möchte eine RÜCKERSTATTUNG bitte"
C1=$(conv_of 4915100000001)
check "words: an umlaut word in capitals fires the rule" \
    has_label "$C1" refund
check_eq "team action: the conversation went to billing" billing \
    "$(si list all --json | jq -r --argjson c "$C1" '.rows[] |
    select(.id == $c) | .team')"
check "label rule: 'refund' put on fired 'escalate' (when label refund)" \
    has_label "$C1" escalated
check_eq "created: priority action" high "$(field "$C1" priority)"
check "created: the canned reply went out, rendered, through the outbox" \
    si_until sh -c "curl -s $SIMURL/_sim/requests | grep -q 'Hallo Rosa, wir melden uns.'"
check_eq "rule.fire records name the rule and its actions" \
    "rule=refund-to-billing actions=team,label" \
    "$(detail_of rule.fire "$C1" | grep refund-to-billing)"
check_eq "a rule's action record is the daemon's and names the rule" \
    "support-inboxd|rule refund-to-billing: billing" \
    "$(who_of conversation.team "$C1")"
check_eq "the reply's record names the rule and the canned reply" \
    "rule welcome: canned hello" \
    "$(aud; jq -r 'select(.action == "message.send") | .detail' \
    "$T/audit.jsonl" | grep welcome)"
check_eq "each firing once" "1 1 1 1" "$(fires $C1 refund-to-billing) \
$(fires $C1 welcome) $(fires $C1 escalate) $(fires $C1 refund-to-billing)"

# --- team condition (billing now) + a second message: no new "created"
inbound 4915100000001 "Rosa Klein" "And the invoice?"
check_eq "team condition: billing + invoice -> urgent" urgent \
    "$(field "$C1" priority)"
check_eq "created fires for a new conversation only" 1 "$(fires $C1 welcome)"

# --- lang condition
inbound 4915100000002 "Max" "hallo"
C2=$(conv_of 4915100000002)
check_eq "lang: not known yet, no label" "" "$(labels "$C2")"
si contact edit "+4915100000002" --language de_DE >/dev/null
inbound 4915100000002 "Max" "noch da?"
check_eq "lang: de matches de_DE" german "$(labels "$C2")"

# --- attribute condition, unless label; assign and notify actions
si contact edit "+4915100000002" tier=gold >/dev/null
si label add handled "$C2" >/dev/null
inbound 4915100000002 "Max" "gold?"
check_eq "unless label: handled, vip does not fire" 0 "$(fires $C2 vip)"
si label remove handled "$C2" >/dev/null
inbound 4915100000002 "Max" "gold!"
check_eq "attribute tier = gold: assigned by the rule" si_t_rulb \
    "$(field "$C2" assignee)"
check_eq "vip fired assign and notify" "rule=vip actions=assign,notify" \
    "$(detail_of rule.fire "$C2" | grep vip)"
check_eq "the assignment record is the daemon's, naming the rule" \
    "support-inboxd|rule vip: to 'si_t_rulb'" \
    "$(who_of conversation.assign "$C2")"

# --- hours: no hours configured (-1) counts as open
inbound 4915100000003 "Ina" "what are your opening hours"
C3=$(conv_of 4915100000003)
check_eq "hours open: no business hours configured counts as open" \
    open-now "$(labels "$C3")"

# --- hours: the conversation's team's business hours decide (hours.c):
# billing is open on Mondays 09:00-17:00 UTC only
inbound 4915100000013 "Ola" "hi"
C13=$(conv_of 4915100000013)
si team "$C13" billing >/dev/null
echo "@1796032800" >"$T/clock"		# Monday 2026-11-30 10:00 UTC
inbound 4915100000013 "Ola" "opening hours on a Monday?"
check "hours open: billing's Monday hours" has_label "$C13" open-now
check "... and not closed-now" not_label "$C13" closed-now
echo "@1795946400" >"$T/clock"		# Sunday 2026-11-29 10:00 UTC
inbound 4915100000013 "Ola" "opening hours on a Sunday?"
check "hours closed: billing is closed on Sundays" has_label "$C13" \
    closed-now
echo "+0" >"$T/clock"

# --- snooze action
inbound 4915100000004 "Eva" "call me later"
C4=$(conv_of 4915100000004)
check_eq "snooze action" snoozed "$(field "$C4" state)"

# --- a failing action undoes its rule only, recorded as an error
inbound 4915100000005 "Tom" "alles kaputt"
C5=$(conv_of 4915100000005)
check_eq "a failing rule is recorded as an error" 1 \
    "$(fires "$C5" broken error)"
check_contains "... naming the action, its line and why" \
    "failed at 'then label no-such-label' (line 63): no label" \
    "$(detail_of rule.fire "$C5")"
check_eq "... the message itself is stored and the other rules ran" 1 \
    "$(fires "$C5" welcome)"

# --- loops: A -> B -> A stops; a chain stops 8 deep
si label add ping "$C3" >/dev/null
check_eq "loop: ping -> pong -> (ping already on) fires each once" "1 1" \
    "$(fires "$C3" loop-a) $(fires "$C3" loop-b)"
si label remove ping "$C3" >/dev/null
si label remove pong "$C3" >/dev/null
si label add ping "$C3" >/dev/null
check_eq "loop: the same rule never twice in one cascade" "2 2" \
    "$(fires "$C3" loop-a) $(fires "$C3" loop-b)"
si label add c1 "$C4" >/dev/null
check_eq "depth: a chain of labels stops 8 rules deep" \
    "c1,c2,c3,c4,c5,c6,c7,c8,c9" \
    "$(show "$C4" | jq -r '.conversation.labels | sort_by(ltrimstr("c") | tonumber) | join(",")')"
check_eq "depth: the 9th is recorded as skipped" 1 \
    "$(fires "$C4" chain9 skipped)"

# --- timers: no reply for 30 minutes, window closing in 60 minutes
inbound 4915100000006 "Ute" "hi"
C6=$(conv_of 4915100000006)
si reply "$C6" "Hallo Ute" >/dev/null
echo "+1900" >"$T/clock"
check "no-reply 30: fires after 31 minutes without an agent's reply" \
    si_until has_label "$C3" slow
sleep 3
check_eq "no-reply fires once per conversation and message" 1 \
    "$(fires "$C3" slow)"
echo "+$((23 * 3600 + 5 * 60))" >"$T/clock"
check "window-closing 60: fires when 55 minutes are left" \
    si_until has_label "$C3" closing
sleep 3
check_eq "window-closing fires once" 1 "$(fires "$C3" closing)"
check_eq "an agent's reply stops no-reply" 0 "$(fires "$C6" slow)"
echo "+0" >"$T/clock"

# --- rule test: a table of messages, which rules fire and why
# text | options | the message rules that fire (sorted, comma-separated)
cat >"$T/table" <<'EOT'
I want a refund||refund-to-billing,welcome
Rückerstattung bitte||refund-to-billing,welcome
RÜCKERSTATTUNG!||refund-to-billing,welcome
refunds are great||welcome
I want a refund|--number DE|welcome
what are the opening hours||hours-open,welcome
send the invoice|--team billing|billing-invoice,welcome
send the invoice|--team sales|welcome
hallo|--lang de|german,welcome
hallo|--lang en|welcome
call me later||later,welcome
alles kaputt||broken,welcome
EOT
n=0
while IFS='|' read -r text opts want; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	got=$(si rule test --text "$text" $opts --json | jq -r '[.rules[] |
	    select(.fires) | .rule] | sort | join(",")')
	check_eq "rule test $n: '$text' $opts" "$want" "$got"
done <"$T/table"
# shellcheck disable=SC2016
check_eq "rule test says why a condition does not hold" \
    "false|if number main|number DE" \
    "$(si rule test --text refund --number DE --json | jq -r '.rules[] |
    select(.rule == "refund-to-billing") | .conditions[1] |
    "\(.holds)|\(.condition)|\(.why)"')"
check_eq "... and what a words condition found" "found 'Rückerstattung'" \
    "$(si rule test --text 'eine rückerstattung' --json | jq -r '.rules[] |
    select(.rule == "refund-to-billing") | .conditions[0].why')"
check_contains "rule test's text output: FIRES and each condition" \
    "true  if words refund Rückerstattung: found 'refund'" \
    "$(si rule test --text 'a refund')"
check_eq "rule test on a conversation: its team counts (billing)" \
    "billing-invoice" "$(si rule test --text invoice --conv "$C1" --json |
    jq -r '[.rules[] | select(.fires) | .rule] | join(",")')"

# --- enable / disable: supervisors, audited, kept across a restart
check "an agent cannot disable a rule" \
    sh -c "! runuser -u si_t_rulb -- $SIC -c $T/si.conf rule disable refund-to-billing 2>/dev/null"
check "a supervisor can" quiet si_as si_t_rulsa rule disable refund-to-billing
check "an unknown rule is refused" sh -c "! $SIC -c $T/si.conf rule disable nope 2>/dev/null"
aud
check_eq "rule.disable is audited with the rule's name" \
    "si_t_rulsa|refund-to-billing" \
    "$(jq -r 'select(.action == "rule.disable") | .agent + "|" + .detail' \
    "$T/audit.jsonl")"
si_stop
si_start || not_ok "daemon restarts"
check_eq "disabled across a restart" false \
    "$(si rule list --json | jq -r '.rules[] | select(.rule ==
    "refund-to-billing") | .enabled')"
inbound 4915100000007 "Kai" "refund please"
C7=$(conv_of 4915100000007)
check_eq "a disabled rule does not fire" "0 " \
    "$(fires "$C7" refund-to-billing) $(labels "$C7")"
check_eq "rule test says so" "disabled" \
    "$(si rule test --text refund --json | jq -r '.rules[] |
    select(.rule == "refund-to-billing") | .why')"
si_as si_t_rulsa rule enable refund-to-billing >/dev/null
inbound 4915100000007 "Kai" "refund please"
check_eq "enabled again, it fires" "1" "$(fires "$C7" refund-to-billing)"

# --- a bad file: refused on reload (old rules kept), and at start
cp "$T/rules.conf" "$T/rules.good"
cat >>"$T/rules.conf" <<'EOT'
rule bad
  when sometimes
  if colour blue
  then label
EOT
check "rule check FILE: a bad file exits 1" \
    sh -c "! $SIC rule check $T/rules.conf >/dev/null 2>&1"
check_contains "rule check names file:line and what to write" \
    "rules.conf:$(($(wc -l <"$T/rules.good") + 2)): unknown trigger; write 'when message'" \
    "$($SIC rule check "$T/rules.conf" 2>&1)"
check_contains "... every error of the file" "unknown condition 'colour'" \
    "$($SIC rule check "$T/rules.conf" 2>&1)"
check "rule check with the configuration's file" \
    sh -c "! $SIC -c $T/si.conf rule check >/dev/null 2>&1"
check "rule check FILE: a good file exits 0" quiet "$SIC" rule check "$T/rules.good"
ln -s rules.good "$T/rules.link"
check "rule check FILE: a link to a file (a git checkout) is read" \
    quiet "$SIC" rule check "$T/rules.link"
check "reload refuses the bad file" sh -c "! $SIC -c $T/si.conf reload >/dev/null 2>&1"
check_eq "the old rules stay in use" 23 "$(si rule list --json | jq '.rules | length')"
inbound 4915100000008 "Lea" "refund?"
check "... and still fire" has_label "$(conv_of 4915100000008)" refund
si_stop
check "a bad file stops the start" sh -c "! $SID -c $T/si.conf 2>$T/start.err"
check_contains "... saying where and what" "unknown trigger" "$(cat "$T/start.err")"
cp "$T/rules.good" "$T/rules.conf"
si_start || not_ok "daemon starts with the good file again"
check_eq "rules listed after the fix" 23 \
    "$(si rule list --json | jq '.rules | length')"

si_done
