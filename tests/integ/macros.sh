#!/bin/sh
# Issue 16, macros: a named list of actions from the rule file, run on a
# conversation by an agent (macro run NAME CONV, RPC macro.run): every
# action as the agent (the agent's role and the assignment policy), each
# audited as the agent's own record naming the macro, and all or nothing
# (a refused action undoes those before it).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-mac
si_user si_t_maca si-mac
si_user si_t_macb si-mac
cat >>"$T/si.conf" <<EOF

[automation]
rules = rules.conf
EOF
cat >"$T/rules.conf" <<'EOF'
macro close-refund
  then reply thanks
  then label refund
  then priority low
  then resolve

macro take
  then assign me
  then snooze 2h

# conv.team needs a supervisor
macro to-billing
  then label refund
  then team billing

macro bad-label
  then label refund
  then label missing
EOF
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_maca >/dev/null
si agent add si_t_macb --role supervisor >/dev/null
si label create refund >/dev/null
si canned add thanks --title Thanks --body 'Danke {{contact.first_name}}, erledigt. {{agent.name}}' >/dev/null

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
conv_of() { si contact show "+$1" --json | jq -r '.conversations[0].id'; }
show() { si show "$1" --json --purpose "macros test"; }
field() { show "$1" | jq -r ".conversation.$2"; }
labels() { show "$1" | jq -r '.conversation.labels | join(",")'; }
aud() { si audit export --detail --purpose "macros test" >"$T/audit.jsonl"; }
# records CONV: "agent|action|detail" of the records on CONV and its
# messages, after seq
records() {
	aud
	jq -r --argjson c "$1" 'select((.object_type == "conversation" and
	    .object_id == $c) or .object_type == "message") |
	    select(.action != "conversation.open" and
	    .action != "conversation.close" and .action != "canned.render") |
	    .agent + "|" + .action + "|" + .detail' "$T/audit.jsonl"
}

inbound 4915100000011 "Rosa Klein" "Geld zurück?"
inbound 4915100000012 "Max Meier" "hallo"
inbound 4915100000013 "Eva" "hi"
inbound 4915100000014 "Ute" "hey"
C1=$(conv_of 4915100000011)
C2=$(conv_of 4915100000012)
C3=$(conv_of 4915100000013)
C4=$(conv_of 4915100000014)

check_eq "macro list (an agent)" "bad-label close-refund take to-billing" \
    "$(si_as si_t_maca macro list --json | jq -r '[.macros[].macro] | sort |
    join(" ")')"
check_contains "macro list shows the actions" "then reply thanks" \
    "$(si_as si_t_maca macro list)"

# --- a macro run by an agent: every action, each the agent's record
si_as si_t_maca call draft.set "{\"conversation\":$C1,\"text\":\"half a thought\"}" >/dev/null
out=$(si_as si_t_maca macro run close-refund "$C1" 2>&1)
check_contains "macro run says what was done" \
    "macro close-refund done on conversation $C1: 4 action(s)" "$out"
check_eq "label and priority" "refund low" \
    "$(labels "$C1") $(field "$C1" priority)"
check_eq "resolved" resolved "$(field "$C1" state)"
check "the canned reply went out, rendered for the agent" \
    si_until sh -c "curl -s $SIMURL/_sim/requests | grep -q 'Danke Rosa, erledigt. si_t_maca'"
check_eq "the agent's draft of the conversation is kept (not what was sent)" \
    "half a thought" "$(si_as si_t_maca call draft.get \
    "{\"conversation\":$C1}" | jq -r .draft.text)"
records "$C1" >"$T/rec1"
check_contains "the reply is the agent's record, naming the macro" \
    "si_t_maca|message.send|macro close-refund:" "$(cat "$T/rec1")"
check_contains "the label is the agent's record, naming the macro" \
    "si_t_maca|conversation.label|macro close-refund: refund" "$(cat "$T/rec1")"
check_contains "the priority is the agent's" \
    "si_t_maca|conversation.priority|macro close-refund: low" "$(cat "$T/rec1")"
check_contains "the resolve is the agent's" \
    "si_t_maca|conversation.resolve|macro close-refund: resolved" "$(cat "$T/rec1")"
check_contains "and macro.run sums it up" \
    "si_t_maca|macro.run|macro=close-refund actions=reply,label,priority,resolve" \
    "$(cat "$T/rec1")"

# --- all or nothing: a refused action undoes those before it
out=$(si_as si_t_maca macro run to-billing "$C2" 2>&1)
rc=$?
check_eq "an action the agent's role refuses fails the macro" 1 "$rc"
check_contains "... naming the action, its line and why" \
    "macro to-billing: 'then team billing' (line 14): 'conv.team' needs the supervisor role; you are agent; nothing was done" \
    "$out"
check_eq "... and the label before it was undone" "" "$(labels "$C2")"
check_eq "... no record of the undone label" "" \
    "$(records "$C2" | grep conversation.label)"
out=$(si_as si_t_maca macro run bad-label "$C2" 2>&1)
check_contains "a missing label fails the macro" "no label 'missing'" "$out"
check_eq "... and undoes the first label" "" "$(labels "$C2")"
check "a supervisor may run to-billing" quiet si_as si_t_macb macro run \
    to-billing "$C2"
check_eq "... label and team" "refund billing" "$(labels "$C2") $(si list all \
    --json | jq -r --argjson c "$C2" '.rows[] | select(.id == $c) | .team')"

# --- the assignment policy applies: not on a colleague's conversation
si_as si_t_macb assign "$C3" me >/dev/null 2>&1 || si assign "$C3" si_t_macb >/dev/null
check_eq "C3 is the supervisor's" si_t_macb "$(field "$C3" assignee)"
out=$(si_as si_t_maca macro run close-refund "$C3" 2>&1)
check_eq "an agent's macro on a colleague's conversation is refused" 1 $?
check_eq "... nothing changed" "open  normal" \
    "$(field "$C3" state) $(labels "$C3") $(field "$C3" priority)"

# --- assign me + snooze
check "take: assign me and snooze" quiet si_as si_t_maca macro run take "$C4"
check_eq "... assigned to the agent, snoozed" "si_t_maca snoozed" \
    "$(field "$C4" assignee) $(field "$C4" state)"
check_contains "... the claim is the agent's, naming the macro" \
    "si_t_maca|conversation.claim|macro take:" "$(records "$C4")"

check "an unknown macro" sh -c "! runuser -u si_t_maca -- $SIC -c $T/si.conf macro run nope $C4 2>/dev/null"
si_done
