#!/bin/sh
# Issue 18, point 2: the Microsoft Teams recipe. A [hook] with format =
# teams and contrib/teams/card.json posts, once per wait, a Teams message
# envelope with an Adaptive Card when a conversation has waited unassigned
# longer than waiting_minutes (on the inbox's clock, SI_TEST_CLOCK here),
# to a local stand-in for the incoming webhook; the card validates against
# the Adaptive Card 1.5 schema it declares (tests/fixtures/SOURCES.md).
# Values are JSON-escaped into the template.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
mkdir -p "$T/recv"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
printf 'teams-secret\n' >"$T/teams_secret"
chmod 600 "$T/teams_secret"
python3 "$SI_TOP/tests/hook-receiver.py" "$T/recv" "$T/cert.pem" \
    "$T/key.pem" >"$T/recv.port" 2>"$T/recv.err" &
si_pids="$si_pids $!"
si_until test -s "$T/recv.port"
RPORT=$(head -n 1 "$T/recv.port")
# The shipped card, and one that also shows the name (include = names).
sed 's|"text": "{{title}}",|"text": "{{title}}: {{contact_name}}",|' \
    "$SI_TOP/contrib/teams/card.json" >"$T/card-names.json"
cat >>"$T/si.conf" <<EOC

[hook teams]
events = conversation.waiting
url = https://127.0.0.1:$RPORT/teams
secret_file = teams_secret
cacert = cert.pem
format = teams
card = $SI_TOP/contrib/teams/card.json
waiting_minutes = 2

[hook teams-names]
events = conversation.waiting
url = https://127.0.0.1:$RPORT/teams-names
secret_file = teams_secret
cacert = cert.pem
format = teams
card = card-names.json
include = names
waiting_minutes = 2

[hook teams-sla]
events = sla.breached
url = https://127.0.0.1:$RPORT/teams-sla
secret_file = teams_secret
cacert = cert.pem
format = teams
card = $SI_TOP/contrib/teams/card.json

[sla]
first_response = 20m
EOC
OFF=0
printf '+0\n' >"$T/clock"
SI_TEST_CLOCK=$T/clock
export SI_TEST_CLOCK
advance() {
	OFF=$((OFF + $1))
	printf '+%d\n' "$OFF" >"$T/clock"
}
nreq() { ls "$T/recv" | grep -c '^req-'; }
nreq_ge() { [ "$(nreq)" -ge "$1" ]; }
validate() {	# FILE: the body's card against the schema it declares
	python3 "$SI_TOP/tests/card-check.py" "$1" \
	    "$SI_TOP/tests/fixtures/adaptive-card-1.5.json"
}

si_sim --statuses none
check "init" si_init
si_start || { not_ok "daemon starts"; si_done; exit 1; }

curl -s -XPOST "$SIMURL/_sim/inbound" -d '{"from":"491510000091",
"name":"Ada \"Quote\" Back\\slash","text":"hello?","wait":true}' >/dev/null
C=$(si list all --json | jq -r '[.rows[].id] | max')
advance 60
sleep 2
check_eq "one minute waiting: no card yet" 0 "$(nreq)"
advance 90
check "after two minutes unassigned: a card" si_until nreq_ge 2
# which request is which hook's: the shipped card has no ':' in its title
F=$(for f in "$T"/recv/req-*; do
	jq -e '.body | fromjson | .attachments[0].content.body[0].text |
	    test(":") | not' "$f" >/dev/null && echo "$f"; done | head -n 1)
check_eq "the card validates against Adaptive Card 1.5" valid \
    "$(validate "$F" | tail -n 1)"
CARD=$(jq -r '.body' "$F")
check_eq "its title" "A customer is waiting" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[0].text')"
check_eq "the conversation in the facts" "$C" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[1].facts[] |
    select(.title == "Conversation") | .value')"
check_eq "the minutes waited" "2 min" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[1].facts[] |
    select(.title == "Waited") | .value')"
check_eq "the queue" "unassigned" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[1].facts[] |
    select(.title == "Queue") | .value')"
check_contains "how to open it" "support-inbox show $C" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[2].text')"
check_eq "signed like any hook" 1 "$(jq -r '.headers["X-SI-Signature"] |
    startswith("sha256=") | if . then 1 else 0 end' "$F")"
case "$CARD" in
*Quote*) not_ok "include = ids: no name on the shipped card" ;;
*) ok "include = ids: no name on the shipped card" ;;
esac
G=$(for f in "$T"/recv/req-*; do [ "$f" = "$F" ] || echo "$f"; done |
    head -n 1)
check_eq "a name with quotes and a backslash is escaped, still valid" \
    valid "$(validate "$G" | tail -n 1)"
check_eq "and shown as it is" 'A customer is waiting: Ada "Quote" Back\slash' \
    "$(jq -r '.body | fromjson | .attachments[0].content.body[0].text' "$G")"

# Once per wait: more time, no second card.
advance 600
sleep 12
check_eq "one card per hook and wait" 2 "$(nreq)"

# The same card for a breached SLA (issue 19): nobody answered within
# 20 minutes of the customer's message.
sla_card() {
	for f in "$T"/recv/req-*; do
		jq -e '.headers["X-SI-Event"] == "sla.breached"' "$f" \
		    >/dev/null 2>&1 && echo "$f"
	done | head -n 1
}
has_sla_card() { [ -n "$(sla_card)" ]; }
si assign "$C" me >/dev/null	# taken, still unanswered
advance 600
check "after 20 minutes unanswered: an SLA card" si_until has_sla_card
S=$(sla_card)
check_eq "it validates against Adaptive Card 1.5" valid \
    "$(validate "$S" | tail -n 1)"
CARD=$(jq -r '.body' "$S")
check_eq "titled SLA breached" "SLA breached" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[0].text')"
check_eq "with the minutes waited" "22 min" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[1].facts[] |
    select(.title == "Waited") | .value')"
check_eq "and the conversation" "$C" \
    "$(echo "$CARD" | jq -r '.attachments[0].content.body[1].facts[] |
    select(.title == "Conversation") | .value')"
check_eq "taken: the queue is its state, with its assignee" "open root" \
    "$(echo "$CARD" | jq -r '[.attachments[0].content.body[1].facts[] |
    select(.title == "Queue" or .title == "Assignee") | .value] |
    join(" ")')"
sleep 3
check_eq "one SLA card, no more waiting cards" 3 "$(nreq)"
si_stop
si_done
