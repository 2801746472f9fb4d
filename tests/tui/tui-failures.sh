#!/bin/sh
# A reply that WhatsApp accepted and then failed (a status webhook after the
# send, as 131026 and 131047 come in real life) shows at once, with no key
# pressed: on the sender's status line with the reason in plain words (also
# when that thread is not open), in the open thread, in the top bar's
# Failed count of both agents and in the other agent's "failed" view. A
# re-send (:retry) that goes replaces the failed mark everywhere. Two agents:
# root (session a) and a second Unix user (session b). Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_failg
si_user si_t_faila "$GRP"
si_config "$GRP"
# No read receipts or typing indicators: each fault below is for the next
# send to the simulator, which must be the reply.
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[inbox]
mark_read = no
typing_indicator = no
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_faila >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# The outbox row of message $1: "state code".
orow() {
	si outbox --json | jq -r --argjson m "$1" '.rows[] |
	    select(.message == $m) | "\(.state) \(.error_code // 0)"'
}
orow_is() { [ "$(orow "$1")" = "$2" ]; }
# mstatus CONV MSG: the message's status as conv.show gives it
mstatus() {
	si show "$1" --json | jq -r --argjson m "$2" \
	    '.messages[] | select(.id == $m) | .status'
}
# mstatus_in CONV MSG "S1 S2...": the status is one of them
mstatus_in() { case " $3 " in *" $(mstatus "$1" "$2") "*) return 0 ;; esac; return 1; }
# rowfailed CONV: the conv.list row's failed count
rowfailed() {
	si list all --json | jq -r --argjson c "$1" \
	    '.rows[] | select(.id == $c) | .failed'
}
rowfailed_is() { [ "$(rowfailed "$1")" = "$2" ]; }

inbound 491510000301 "Anna Schmidt" "Wo bleibt meine Bestellung?"
inbound 491510000302 "Bernd Meier" "Rechnung fehlt"
A=$(conv "Anna Schmidt"); B=$(conv "Bernd Meier")
si assign "$A" me >/dev/null
si assign "$B" me >/dev/null

start a 120 40
start_as si_t_faila "$GRP" b 120 40
check "both clients start" wait_for a "Failed 0"
check "the second agent's client starts" wait_for b "Failed 0"
check "both are subscribed" si_until si_subscribers 2
# b watches the "failed" view: rows come and go there without a key.
key b :
typeit b "view failed"
key b Enter
see b "failed" "b shows the failed view"
check "which is empty" wait_gone b "Anna Schmidt"

# --- a failure while the thread is not open (CLI send, 131026) ---
fault '{"mode":"131026","count":1}'
MA=$(si reply "$A" "Ihre Bestellung ist unterwegs" --json | jq -r .message)
check "WhatsApp accepted it and then failed it (131026)" si_until orow_is "$MA" "failed 131026"
see a "not delivered to Anna Schmidt (131026): Undeliverable" \
    "the assignee's status line says so at once, in plain words"
see a "Failed 1" "a's top bar counts it without a key"
see b "Failed 1" "b's top bar counts it without a key"
see b "Anna Schmidt" "b's failed view lists the conversation without a key"
see a "1 not sent" "a's list row says a reply did not go"
check_eq "b is not told on the status line (not b's reply)" 0 \
    "$(screen b | grep -c 'not delivered to')"
check_eq "the list row says how many replies failed" 1 "$(rowfailed "$A")"
check_eq "the message shows failed" failed "$(mstatus "$A" "$MA")"

# --- a failure in the open thread (131047 after the send), then :retry ---
goto a "Bernd Meier"
key a Enter
see a "Rechnung fehlt" "a opens Bernd's thread"
fault '{"mode":"131047-async","count":1}'
key a r
typeit a "Die Rechnung kommt heute"
key a Enter
check "the reply was accepted by WhatsApp" si_until sh -c \
    "curl -s $SIMURL/_sim/requests | jq -e '.bodies[] | select(.text.body == \"Die Rechnung kommt heute\")'"
MB=$(si show "$B" --json | jq -r '[.messages[] | select(.direction == "out")] | last | .id')
check "and failed it later (131047)" si_until orow_is "$MB" "failed 131047"
key a Escape
see a "not delivered to Bernd Meier (131047): The customer's 24-hour window is closed" \
    "the status line gives the reason in plain words"
see a "> root  ✗ failed" "the thread marks the reply failed without a key"
see a "not delivered: The customer's 24-hour window is closed" \
    "the thread shows the reason under the reply"
see a "Failed 2" "a's Failed count follows"
see b "Failed 2" "and b's"
see b "Bernd Meier" "b's failed view lists Bernd's conversation too"
check_eq "queued is not shown for it any more" 0 \
    "$(screen a | grep -c 'queued')"

# the failed reply is selected (the thread follows the bottom): re-send it
key a :
typeit a retry
key a Enter
check "the re-send goes (outbox row sent)" si_until orow_is "$MB" "sent 0"
check "the message shows sent or later (its new wamid got the statuses)" \
    si_until mstatus_in "$B" "$MB" "sent delivered read"
see a "Failed 1" "a's Failed count drops after the re-send"
see b "Failed 1" "and b's"
check "the failed mark leaves the thread" wait_gone a "not delivered: The customer"
# the reply's line: "HH:MM > root  ✓ sent" (or delivered, read)
reply_ok() { screen a | grep '> root' | tail -n 1 | grep -q '✓'; }
check "the thread shows the reply gone (a tick, no cross)" si_until reply_ok
check_eq "and no failed mark" 0 "$(screen a | grep -c '✗ failed')"
check "b's failed view drops Bernd's conversation" wait_gone b "Bernd Meier"
check "the list row's failed count drops to 0" si_until rowfailed_is "$B" 0
check_eq "the re-send is audited" 1 \
    "$(sqlite3 "$T/data/support-inbox.db" "SELECT count(*) FROM audit WHERE action = 'message.resend' AND object_id = $MB")"
check_eq "two sends of that text reached WhatsApp" 2 \
    "$(curl -s "$SIMURL/_sim/requests" | jq '[.bodies[] | select(.text.body == "Die Rechnung kommt heute")] | length')"

# --- no customer data in the logs ---
check_eq "no name or number in the daemon's log" 0 \
    "$(grep -c 'Anna\|Bernd\|491510000301\|491510000302' "$T/daemon.log")"
check_eq "none in the clients' stderr" 0 \
    "$(cat "$T"/a.err "$T"/b.err | grep -c 'Anna\|Bernd\|4915100003')"

check "the audit chain verifies" quiet si audit verify
key a Q
key b Q
check "the clients end" wait_for a "client exit 0"
check "b ends" wait_for b "client exit 0"
no_sanitizer_report
si_done
