#!/bin/sh
# Issue 18: conversation.waiting with more customers waiting than one tick
# takes (1000): each is told once, the rest on the next ticks, none left
# out (the scan skips those a hook was told of, so the first thousand
# never starve the others).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
mkdir -p "$T/hk"
cat >>"$T/si.conf" <<EOC

[hook crm]
events = conversation.waiting
program = /bin/true
waiting_minutes = 1
EOC
OFF=0
printf '+0\n' >"$T/clock"
SI_TEST_CLOCK=$T/clock
export SI_TEST_CLOCK
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }

si_sim --statuses none
check "init" si_init
si_start || { not_ok "daemon starts"; si_done; exit 1; }

# 1,200 customers write in one webhook.
N=1200
jq --arg ts "$(date +%s)" --argjson n $N '
    [range(0; $n) | tostring | "49151" + ("00000" + . | .[-6:])] as $w |
    .entry[0].changes[0].value.contacts =
    [$w[] | {profile: {name: "Kunde"}, wa_id: .}] |
    .entry[0].changes[0].value.messages = [$w[] | {from: ., id:
    ("wamid.WAIT" + .), timestamp: $ts, type: "text",
    text: {body: "Hallo"}}]' "$SI_FIXTURES/webhook-text.json" >"$T/in.json"
check_eq "the webhook is taken" 200 "$(si_post "$T/in.json")"
check_eq "1,200 conversations waiting, nobody's" $N \
    "$(db "SELECT count(*) FROM conversations WHERE state = 'open' AND
    assignee_id IS NULL AND waiting_since > 0")"
printf '+120\n' >"$T/clock"
told() {
	[ "$(db "SELECT count(DISTINCT conversation_id) FROM hook_deliveries
	    WHERE event = 'conversation.waiting'")" -ge "$1" ]
}
# The scan runs every 10 s and takes 1,000 at a time: two scans.
i=0
while ! told $N && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
check "every one of the 1,200 is told of" told $N
sleep 12
check_eq "each once" "$N $N" "$(db "SELECT count(*) || ' ' ||
    count(DISTINCT conversation_id) FROM hook_deliveries WHERE
    event = 'conversation.waiting'")"
si_stop
si_done
