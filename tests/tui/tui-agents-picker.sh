#!/bin/sh
# Issue 14, agents are people: the client's "assign to" picker lists the
# active agents only; a disabled agent, a removed one and the account the
# daemon runs as are not offered. Checked on the screen and in agent.list,
# which the picker reads. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_pkrg
for u in si_t_pkra si_t_pkrd si_t_pkrr; do
	si_user "$u" "$GRP"
done
si_config "$GRP"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
for u in si_t_pkra si_t_pkrd si_t_pkrr; do
	si agent add "$u" >/dev/null
done
si agent disable si_t_pkrd >/dev/null
si agent remove si_t_pkrr >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

jq --arg ts "$(date +%s)" '.entry[0].changes[0].value.contacts =
    [{profile: {name: "Picker Kundin"}, wa_id: "4915100000301"}] |
    .entry[0].changes[0].value.messages = [{from: "4915100000301",
    id: "wamid.PKR1", timestamp: $ts, type: "text",
    text: {body: "Hallo"}}]' "$SI_FIXTURES/webhook-text.json" >"$T/in.json"
si_post "$T/in.json" >/dev/null

check_eq "agent.list offers the active ones as active" \
    "root:true si_t_pkra:true si_t_pkrd:false" \
    "$(si agent list --json | jq -r '[.[] | .name + ":" + (.active | tostring)] | join(" ")')"

start w 120 40
see w "Picker Kundin" "the client shows the conversation"
goto w "Picker Kundin"
key w A
see w "assign to" "A opens the assign picker"
see w "si_t_pkra" "the active agent is offered"
not_on() { ! screen w | grep -qF -- "$1"; }
check "the disabled agent is not" not_on si_t_pkrd
check "the removed agent is not" not_on si_t_pkrr
key w Escape
wait_gone w "assign to"
tm kill-session -t w
si_stop
no_sanitizer_report
si_done
