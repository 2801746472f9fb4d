#!/bin/sh
# Issue 16 in the full-screen client: M opens the macro picker and runs
# the macro chosen on the conversation under the cursor (the status line
# says what was done; the daemon has each action as this agent's record),
# :macro NAME runs one at once, a refused macro says why; a rule's
# "notify team" shows in the status line of an agent of that team, who
# runs as another Unix user, and not in the other agent's.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_tmacg
si_user si_t_tmaca "$GRP"
si_user si_t_tmacb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[automation]
rules = rules.conf
EOC
cat >"$T/rules.conf" <<'EOC'
rule urgent-notify
  when message
  if words dringend
  then notify team billing

macro wrap-up
  then label done
  then priority low

macro to-billing
  then team billing
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_tmaca >/dev/null
si agent add si_t_tmacb >/dev/null
si agent team si_t_tmacb billing >/dev/null
si label create done >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
field() { si show "$1" --purpose "test check" --json | jq -r ".conversation.$2"; }
aud() { si audit export --detail --purpose "tui test" >"$T/audit.jsonl"; }

inbound 491510000301 "Anna Schmidt" "Wo bleibt meine Bestellung?"
inbound 491510000302 "Bernd Meier" "Hallo"
A=$(conv "Anna Schmidt"); B=$(conv "Bernd Meier")

start_as si_t_tmaca "$GRP" w 120 40
start_as si_t_tmacb "$GRP" v 120 40
check "the first agent's client starts" wait_for w "Anna Schmidt"
check "the second agent's client starts" wait_for v "Anna Schmidt"

# --- M: the picker, then the macro on the conversation under the cursor
goto w "Anna Schmidt"
key w M
check "M opens the macro picker" wait_for w "run a macro"
check "... listing each macro with what it does" \
    wait_for w "wrap-up  label done, priority low"
typeit w "wrap"
key w Enter
check "the status line says what was done" \
    wait_for w "macro wrap-up: 2 action(s) done on conversation $A"
check_eq "the daemon: label and priority" "done low" \
    "$(field "$A" "labels | join(\",\")") $(field "$A" priority)"
aud
check_eq "each action is the agent's record, naming the macro" \
    "si_t_tmaca|macro wrap-up: done si_t_tmaca|macro wrap-up: low" \
    "$(jq -r --argjson c "$A" 'select(.object_id == $c and
    (.action == "conversation.label" or .action ==
    "conversation.priority")) | .agent + "|" + .detail' "$T/audit.jsonl" |
    tr '\n' ' ' | sed 's/ $//')"

# --- :macro NAME; a refused one says why
goto w "Bernd Meier"
key w :
typeit w "macro wrap-up"
key w Enter
check ":macro NAME runs it at once" \
    wait_for w "macro wrap-up: 2 action(s) done on conversation $B"
check_eq "... on the conversation under the cursor" done \
    "$(field "$B" "labels | join(\",\")")"
key w :
typeit w "macro to-billing"
key w Enter
check "a refused macro says why in the status line" \
    wait_for w "'conv.team' needs the supervisor role; you are agent"

# --- a rule's notify: in the team agent's status line only
inbound 491510000303 "Carla Rossi" "Das ist dringend!"
C=$(conv "Carla Rossi")
check "notify team billing: the billing agent's status line says so" \
    wait_for v "rule urgent-notify: conversation $C is for your team"
check "... not the other agent's" sh -c "! tmux -L $TS capture-pane -p -t =w: | grep -q urgent-notify"

key w Q
key v Q
check "Q quits" wait_for w "client exit 0"
check "Q quits (second agent)" wait_for v "client exit 0"
no_sanitizer_report
si_done
