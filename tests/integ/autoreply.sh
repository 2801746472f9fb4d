#!/bin/sh
# Issue 16 point 3: auto-replies, against the simulator with the fake
# clock (SI_TEST_CLOCK). The away text goes outside business hours, once
# per conversation per away_every (a second message in the period gets
# none; after it, again), never during hours, never to a restricted
# contact, never outside the 24-hour window, never for a STOP; in the
# contact's language when one is set; "all agents are busy" with the
# team's median first-response time when the queue is long, once per
# period; each audited (auto.away / auto.busy, team and language) and
# recorded in auto_replies.
. "$(dirname "$0")/../lib.sh"

si_tmp
export SI_TEST_CLOCK="$T/clock"
setclock() { echo "@$(date -u -d "$1" +%s)" >"$SI_TEST_CLOCK"; }
# Monday 2026-12-07, 20:00 UTC: closed.
setclock 2026-12-07T20:00:00Z
si_config
cat >>"$T/si.conf" <<'EOF2'
team = support

[business]
name = Acme

[outbox]

[hours support]
timezone = UTC
mon = 09:00-17:00
tue = 09:00-17:00
wed = 09:00-17:00
thu = 09:00-17:00
fri = 09:00-17:00
lang = en
away = Hi {{contact.first_name}}, {{business.name}} is closed; we answer from 9:00.
away.de = Hallo {{contact.first_name}}, {{business.name}} hat geschlossen.
away_every = 12h
busy = All agents are busy, {{contact.first_name}}; expected wait {{ wait }}.
busy_when_waiting = 9
busy_every = 1d
EOF2
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
db="$T/data/support-inbox.db"

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
conv_of() { si contact show "+$1" --json | jq -r '.conversations[0].id'; }
# outs CONV: the texts the daemon queued in it, one per line
outs() {
	si show "$1" --json | jq -r '.messages[] | select(.direction == "out")
	    | .body.text // ""'
}
nouts() { sqlite3 "$db" "SELECT count(*) FROM messages WHERE conversation_id = $1 AND direction = 'out'"; }
audits() {
	si audit export --action "$1" --detail --purpose "hours test" |
	    jq -r 'select(.contact_id == '"$2"') | .detail'
}
naudit() {
	sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = '$1'"
}

# --- outside hours: the away text, once per period ---
inbound 491510000101 "Anna Berg" "Hallo, ist jemand da?"
A=$(conv_of 491510000101)
check "the customer's message arrived" test -n "$A" -a "$A" != null
check_eq "outside hours the away text is queued, with the variables" \
    "Hi Anna, Acme is closed; we answer from 9:00." "$(outs "$A")"
check_eq "it is audited as the daemon: auto.away" "1|support-inboxd" \
    "$(sqlite3 "$db" "SELECT count(*), agent FROM audit WHERE action = 'auto.away'")"
CA=$(si contact show "+491510000101" --json | jq -r .contact_id)
check_eq "with the team and language as detail" "team support, lang en" \
    "$(audits auto.away "$CA")"
check_eq "and recorded for the conversation" "away" \
    "$(sqlite3 "$db" "SELECT kind FROM auto_replies WHERE conversation_id = $A")"
check "it is sent to the simulator" si_until sh -c \
    "curl -s $SIMURL/_sim/requests | jq -e '[.bodies[] | select(.text.body // \"\" | test(\"Acme is closed\"))] | length == 1'"

setclock 2026-12-07T23:00:00Z
inbound 491510000101 "Anna Berg" "Hallo??"
check_eq "a second message within away_every gets none" 1 "$(nouts "$A")"
check_eq "no second audit record" 1 "$(naudit auto.away)"

setclock 2026-12-08T08:30:00Z
inbound 491510000101 "Anna Berg" "Guten Morgen"
check_eq "after the period (12.5 h later, still closed) it goes again" 2 \
    "$(nouts "$A")"
check_eq "audited again" 2 "$(naudit auto.away)"

# --- during hours: none ---
setclock 2026-12-08T10:00:00Z
inbound 491510000102 "Bert Kohl" "Frage zur Rechnung"
B=$(conv_of 491510000102)
check_eq "during business hours no away text" 0 "$(nouts "$B")"
check_eq "and no record" 0 \
    "$(sqlite3 "$db" "SELECT count(*) FROM auto_replies WHERE conversation_id = $B")"

# --- a restricted contact: none ---
inbound 491510000103 "Cora Demir" "Hallo"
C=$(conv_of 491510000103)
CC=$(si contact show "+491510000103" --json | jq -r .contact_id)
check "the contact is restricted (Art. 18)" quiet \
    si privacy restrict "conv:$C" on --reason "customer asked" --yes
setclock 2026-12-08T19:00:00Z
inbound 491510000103 "Cora Demir" "noch da?"
check_eq "outside hours, a restricted contact gets no away text" 0 \
    "$(nouts "$C")"
check_eq "nothing audited for it" "" "$(audits auto.away "$CC")"

# --- a STOP keyword: none ---
inbound 491510000104 "Dirk Engel" "STOP"
D=$(conv_of 491510000104)
check_eq "a STOP message gets no away text" 0 "$(nouts "$D")"
check_eq "(it was recorded as an opt-out)" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM consent WHERE source = 'customer_message' AND opt_in = 0")"

# --- the contact's language ---
inbound 491510000105 "Eva Fuchs" "erste Nachricht"
E=$(conv_of 491510000105)
check "the first message got the default (English) text" \
    test "$(outs "$E")" = "Hi Eva, Acme is closed; we answer from 9:00."
check "an agent sets the contact's language" quiet \
    si contact edit "conv:$E" --language de --purpose "hours test"
setclock 2026-12-09T08:00:00Z
inbound 491510000105 "Eva Fuchs" "zweite Nachricht"
check_eq "the next period's away text is in German" \
    "Hallo Eva, Acme hat geschlossen." "$(outs "$E" | tail -n 1)"
CE=$(si contact show "+491510000105" --json | jq -r .contact_id)
check_contains "audited with lang de" "team support, lang de" \
    "$(audits auto.away "$CE")"

# --- outside the 24-hour window: none (a webhook of an old message) ---
n=$(naudit auto.away)
check_eq "an old message is accepted" 200 \
    "$(si_post "$SI_FIXTURES/webhook-text.json")"
F=$(si list all --json | jq -r '[.rows[].id] | max')
check_eq "its conversation has no auto-reply (window closed)" 0 "$(nouts "$F")"
check_eq "and no audit record" "$n" "$(naudit auto.away)"

# --- busy: the queue is long ---
# Bert's conversation: an agent answers 15 minutes after his message
# (10:00): the team's median first response.
setclock 2026-12-09T10:00:00Z
inbound 491510000102 "Bert Kohl" "Frage zur Rechnung"
setclock 2026-12-09T10:15:00Z
check "an agent answers Bert" quiet si reply "$B" "Wir schauen nach."
B2=$(sqlite3 "$db" "SELECT min(ts) FROM messages WHERE conversation_id = $B AND direction = 'in'")
check_eq "(Bert's first response took 24 h 15 min: his first message was on Tuesday)" \
    87300 "$(($(date -u -d 2026-12-09T10:15:00Z +%s) - B2))"
# The queue: unassigned open conversations of the team.
waiting() { sqlite3 "$db" "SELECT count(*) FROM conversations WHERE state = 'open' AND assignee_id IS NULL AND team = 'support'"; }
# Anna, Bert (answered, not taken), Cora, Dirk, Eva and the old
# message's conversation wait.
check_eq "six conversations of the team wait unassigned" 6 "$(waiting)"
inbound 491510000106 "Gabi Hahn" "eins"
inbound 491510000107 "Hans Iske" "zwei"
H=$(conv_of 491510000107)
check_eq "below busy_when_waiting (8 of 9) no busy text" "8 0" \
    "$(waiting) $(nouts "$H")"
inbound 491510000108 "Ida Jung" "drei"
I=$(conv_of 491510000108)
check_eq "nine wait now" 9 "$(waiting)"
check_eq "the busy text names the expected wait (median of the measured)" \
    "All agents are busy, Ida; expected wait 24 h." "$(outs "$I")"
CI=$(si contact show "+491510000108" --json | jq -r .contact_id)
check_eq "audited auto.busy with team and language" "team support, lang en" \
    "$(audits auto.busy "$CI")"
inbound 491510000108 "Ida Jung" "vier"
check_eq "a second message within busy_every gets none" 1 "$(nouts "$I")"
check_eq "one busy record" 1 "$(naudit auto.busy)"

# Nothing personal in the table: ids, kinds and times.
check_eq "auto_replies holds ids, kind and time only" \
    "conversation_id kind sent_at message_id" \
    "$(sqlite3 "$db" "SELECT group_concat(name, ' ') FROM pragma_table_info('auto_replies')")"
check "the audit chain verifies" quiet si audit verify

si_done
