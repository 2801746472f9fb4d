#!/bin/sh
# Issue 17: a campaign never piles messages in front of the outbox. With
# the Graph API unusable (a 190 pauses sending), the campaign hands over
# one second's worth of its rate and then waits, still running; an
# agent's reply queued meanwhile goes out before the rest of the campaign
# once sending resumes; every recipient gets exactly one message.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[campaign]
rate = 3
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --statuses sent
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
handed() { si campaign status bp --json | jq \
    '.counts.total - .counts.queued - .counts.skipped'; }

si templates sync >/dev/null
i=10
while [ $i -lt 22 ]; do
	inbound 491510004$i "Kunde $i" "Hallo"
	si consent set "+491510004$i" marketing on >/dev/null
	i=$((i + 1))
done
conv=$(si list all --json | jq '.rows[0].id')
si campaign create bp --template hello_world --lang en_US \
    --segment "consent:marketing" >/dev/null
# The next send gets a 190: the outbox stops sending until resumed.
curl -s -XPOST "$SIMURL/_sim/faults" -d '{"mode":"190","count":1}' >/dev/null
si campaign start bp >/dev/null
si_until sh -c "[ \$('$SIC' -c '$T/si.conf' outbox --json |
    jq -r '.paused // .stats.paused // false') != false ]" ||
    si_until sh -c "grep -q 190 '$T/daemon.log'"
sleep 4	# four ticks: a campaign without backpressure hands 12 over
backlog=$(si outbox --json | jq '.stats.queued + .stats.sending')
check "with sending stopped, the outbox holds at most one second's worth (rate 3), not the campaign ($backlog)" \
    [ "$backlog" -le 3 ]
check "most recipients are still the campaign's to hand over ($(handed) handed)" \
    [ "$(handed)" -le 6 ]
check_eq "and the campaign waits, running" running \
    "$(si campaign status bp --json | jq -r .state)"
check "an agent replies meanwhile" si reply "$conv" "Ihr Paket kommt morgen."
si outbox resume >/dev/null
si_until sh -c "[ \$('$SIC' -c '$T/si.conf' campaign status bp --json |
    jq .counts.sending) = 0 ] && [ \$('$SIC' -c '$T/si.conf' campaign \
    status bp --json | jq -r .state) = finished ]"
check_eq "every recipient got its message once (the 190 was refused)" 12 "$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] |
    select(.template.name == "hello_world") | .to] | unique | length')"
pos=$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] |
    (.text.body // "") == "Ihr Paket kommt morgen."] | index(true)')
check "the agent's reply left before the last campaign message" \
    [ "$pos" -lt 12 ]
si_stop
si_done
