#!/bin/sh
# Campaigns at scale (issue 17): a generated store of 100,000 contacts and
# conversations (1,000,000 messages), every contact opted in to marketing;
# one campaign to all of them through the simulator, which answers with
# status webhooks (sent, delivered, read) as Meta does. Prints how long the
# start took (the consent gate over every contact, the recipients
# written), the sending rate against [campaign] rate, and the daemon's
# answers to an agent (views, counts, opening a conversation) before and
# while the campaign runs. Nothing is asserted.
. "$(dirname "$0")/../lib.sh"

NC=${SI_BENCH_CONVS:-100000}
NM=${SI_BENCH_MSGS:-1000000}
RATE=${SI_BENCH_RATE:-300}
# One status per message by default: on a 2-core machine a simulator that
# also posts delivered and read for 100,000 sends stops answering sends.
STATUSES=${SI_BENCH_STATUSES:-sent}
si_tmp
si_config
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[campaign]
tier = unlimited
rate = $RATE
EOC
"$SI_BUILD/tools/gen-store" "$T/data" "$NC" "$NM" >/dev/null || exit 1
# Every contact opted in (the ledger holds contact ids, nothing personal).
sqlite3 "$T/data/support-inbox.db" "INSERT INTO consent (contact_id,
    purpose, opt_in, ts, source) SELECT id, 'marketing', 1,
    strftime('%s', 'now') - 86400, 'import' FROM contacts" || exit 1
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --statuses "$STATUSES"
si_start_store || { cat "$T/daemon.log"; echo "daemon did not start"; exit 1; }
si_search_ready || { echo "the search index was not built"; exit 1; }
si templates sync >/dev/null
ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "an agent's calls, idle daemon:"
"$SI_BUILD/tools/inbox-bench" "$T/run/socket" 20 | grep -v search

si campaign create bench --template hello_world --lang en_US \
    --segment "consent:marketing" >/dev/null || exit 1
t0=$(ms)
si campaign preview bench --json >"$T/prev.json" || exit 1
t1=$(ms)
echo "preview: $(jq .recipients "$T/prev.json") recipients through the consent gate in $((t1 - t0)) ms"
t0=$(ms)
si campaign start bench --json >"$T/start.json" || exit 1
t1=$(ms)
echo "start: $(jq .recipients "$T/start.json") recipients written in $((t1 - t0)) ms"

cpu() { awk '{ print $14 + $15 }' /proc/$SI_DPID/stat; }
c0=$(cpu)
# Halfway through sending: what an agent sees.
total=$(jq .recipients "$T/start.json")
done_n() { si campaign status bench --json | jq \
    '.counts.total - .counts.queued - .counts.sending'; }
while [ "$(done_n)" -lt $((total / 10)) ]; do sleep 0.5; done
echo "an agent's calls while the campaign sends ($(done_n) of $total done):"
"$SI_BUILD/tools/inbox-bench" "$T/run/socket" 20 | grep -v search
# Finished (every recipient handed over), then until Meta took them all
# (no recipient left sending; at most 10 minutes).
w=0
while [ $w -lt 1800 ]; do	# at most 30 minutes
	st=$(si campaign status bench --json | jq -r .state)
	[ "$st" != running ] && break
	sleep 1
	w=$((w + 1))
done
w=0
while [ "$(si campaign status bench --json | jq .counts.sending)" -gt 0 ] &&
    [ $w -lt 600 ]; do
	sleep 1
	w=$((w + 1))
done
t2=$(ms)
c1=$(cpu)
hz=$(getconf CLK_TCK)
si campaign report bench --json >"$T/rep.json"
acc=$(curl -s "$SIMURL/_sim/requests" | jq .accepted)
awk -v n="$(jq '.sent + .delivered + .read' "$T/rep.json")" \
    -v f="$(jq .failed "$T/rep.json")" -v a="$acc" -v t="$((t2 - t1))" \
    -v rate="$RATE" -v st="$st" -v c0="$c0" -v c1="$c1" -v hz="$hz" 'BEGIN {
	printf "campaign %s: %d sent, %d failed, %d accepted by the simulator in %.1f s: %.0f messages/s (configured rate %d/s)\n", st, n, f, a, t / 1000, n / (t / 1000), rate
	printf "daemon CPU while sending: %.0f%% of one core, %.0f us per message (statuses included)\n", (c1 - c0) / hz * 100 / (t / 1000), (c1 - c0) / hz * 1e6 / (n > 0 ? n : 1)
}'
jq -r '"statuses in: \(.read) read, \(.delivered) delivered and not yet read, \(.sent) sent and not yet delivered"' "$T/rep.json"
dup=$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] |
    select(.template.name == "hello_world") | .to] | length - (unique | length)')
echo "recipients who got the template twice: $dup"
si_stop
