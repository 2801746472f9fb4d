#!/bin/sh
# Hooks with digest = (a Teams channel flooded with cards): the first event
# after a quiet time goes at once; those that come within the digest wait
# until the last request's start + digest (the inbox's clock, moved with
# SI_TEST_CLOCK) and go together as ONE request: for format = teams one
# Adaptive Card 1.5 holding each card's body, for json {"digest": true,
# "hook", "deliveries": [...]}. Signed as usual, X-SI-Event digest, the
# first delivery's key; a failed digest is retried as a whole with the
# same key; more than 25 due go in requests of at most 25; each delivery
# keeps its own row. Bad digest = values are refused with FILE:LINE.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
mkdir -p "$T/rt" "$T/rj" "$T/rb"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
printf 'digest-secret\n' >"$T/secret"
chmod 600 "$T/secret"
python3 "$SI_TOP/tests/hook-receiver.py" "$T/rt" "$T/cert.pem" \
    "$T/key.pem" >"$T/rt.port" 2>"$T/rt.err" &
si_pids="$si_pids $!"
python3 "$SI_TOP/tests/hook-receiver.py" "$T/rj" - - >"$T/rj.port" \
    2>"$T/rj.err" &
si_pids="$si_pids $!"
python3 "$SI_TOP/tests/hook-receiver.py" "$T/rb" "$T/cert.pem" \
    "$T/key.pem" >"$T/rb.port" 2>"$T/rb.err" &
si_pids="$si_pids $!"
si_until test -s "$T/rt.port"
si_until test -s "$T/rb.port"
# a card of about 3.5 KB: seven fit in Teams' 28 KB
jq '.body += [{"type": "TextBlock", "text": ("x" * 3000), "wrap": true}]' \
    "$SI_TOP/contrib/teams/card.json" >"$T/card-big.json"
si_until test -s "$T/rj.port"
cat >>"$T/si.conf" <<EOC

[hook teams]
events = conversation.waiting
url = https://127.0.0.1:$(head -n 1 "$T/rt.port")/teams
secret_file = secret
cacert = cert.pem
format = teams
card = $SI_TOP/contrib/teams/card.json
waiting_minutes = 1
digest = 5m
backoff = 3
backoff_max = 3

[hook big]
events = conversation.waiting
url = https://127.0.0.1:$(head -n 1 "$T/rb.port")/big
secret_file = secret
cacert = cert.pem
format = teams
card = card-big.json
waiting_minutes = 1
digest = 5m

[hook crm]
events = conversation.new
url = http://127.0.0.1:$(head -n 1 "$T/rj.port")/crm
secret_file = secret
digest = 5m
EOC

# --- bad digest = values are refused, with the file and line ---
bad() {	# WANT LINE-IN-ERROR KEYS
	cp "$T/si.conf" "$T/bad.conf"
	printf '%b' "$3" >>"$T/bad.conf"
	at=$(($(wc -l <"$T/si.conf") + $2))
	out=$("$SID" -c "$T/bad.conf" 2>&1)
	rc=$?
	check "bad config refused: $1" test $rc -ne 0
	check_contains "and explained: $1" "$1" "$out"
	check_contains "at its line: $1" "$T/bad.conf:$at:" "$out"
}
bad "digest expects a duration from 1m to 24h" 4 \
    '\n[hook a]\nevents = conversation.new\ndigest = 30s\nprogram = /bin/true\n'
bad "digest expects a duration from 1m to 24h" 4 \
    '\n[hook b]\nevents = conversation.new\ndigest = soon\nprogram = /bin/true\n'
bad "digest expects a duration from 1m to 24h" 4 \
    '\n[hook b2]\nevents = conversation.new\ndigest = 25h\nprogram = /bin/true\n'
bad "digest = needs url =" 3 \
    '\n[hook c]\nevents = conversation.new\nprogram = /bin/true\ndigest = 5m\n'

OFF=0
printf '+0\n' >"$T/clock"
SI_TEST_CLOCK=$T/clock
export SI_TEST_CLOCK
advance() {	# to offset N seconds
	OFF=$1
	printf '+%d\n' "$OFF" >"$T/clock"
}
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
nb() { ls "$T/rb" | grep -c '^req-'; }
nt() { ls "$T/rt" | grep -c '^req-'; }
nj() { ls "$T/rj" | grep -c '^req-'; }
nt_ge() { [ "$(nt)" -ge "$1" ]; }
nj_ge() { [ "$(nj)" -ge "$1" ]; }
inbound() {	# NUMBER: a new customer writes; prints the conversation
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Digest Kunde\",\"text\":\"hallo\",\"wait\":true}" >/dev/null
	si list all --json | jq -r '[.rows[].id] | max'
}
nwaiting_ge() {	# N: at least N of hook teams' deliveries recorded
	[ "$(si hook list --json | jq '[.deliveries[] | select(.hook ==
	    "teams")] | length')" -ge "$1" ]
}
hdr() { jq -r ".headers[\"$2\"]" "$1"; }
# the conversations a digest card lists, sorted, on one line
card_convs() {
	jq -r '.body | fromjson | .attachments[0].content.body[1:][] |
	    .items[] | select(.type == "FactSet") | .facts[] |
	    select(.title == "Conversation") | .value' "$1" | sort -n |
	    tr '\n' ' '
}
row() {	# CONV HOOK FIELD: the field of the conversation's delivery
	si hook list --json | jq -r ".deliveries[] | select(.conversation ==
	    $1 and .hook == \"$2\") | .$3"
}
validate() {	# FILE: the body's card against the schema it declares
	python3 "$SI_TOP/tests/card-check.py" "$1" \
	    "$SI_TOP/tests/fixtures/adaptive-card-1.5.json"
}
signed() {	# FILE: ok if the HMAC over timestamp.body verifies
	python3 -c '
import hmac, hashlib, json, sys
r = json.load(open(sys.argv[1])); h = r["headers"]
m = hmac.new(b"digest-secret", (h["X-SI-Timestamp"] + "." + r["body"]).encode(),
    hashlib.sha256).hexdigest()
print("ok" if h["X-SI-Signature"] == "sha256=" + m else "bad")' "$1"
}

si_sim --statuses none
check "init" si_init
si_start || { not_ok "daemon starts"; si_done; exit 1; }

# --- teams: the first card at once ---
A=$(inbound 491510000201)
check "crm: the first conversation.new at once" si_until nj_ge 1
check_eq "crm: as recorded, alone" conversation.new \
    "$(hdr "$T/rj/req-1.json" X-SI-Event)"
advance 70
check "teams: the first waiting card at once" si_until nt_ge 1
check_eq "alone, as without digest" conversation.waiting \
    "$(hdr "$T/rt/req-1.json" X-SI-Event)"
check_eq "for the first conversation" "$A " "$(jq -r '.body | fromjson |
    .attachments[0].content.body[1].facts[] |
    select(.title == "Conversation") | .value' "$T/rt/req-1.json" |
    tr '\n' ' ')"

# --- three more wait within the digest: nothing until last + 5m ---
B=$(inbound 491510000202)
C=$(inbound 491510000203)
D=$(inbound 491510000204)
advance 150
check "teams: three more waiting deliveries recorded" si_until nwaiting_ge 4
check_eq "pending" "pending pending pending" "$(for c in $B $C $D; do
    row "$c" teams state; done | tr '\n' ' ' | sed 's/ $//')"
advance 300
sleep 3
check_eq "teams: no request within the digest" 1 "$(nt)"
advance 380
check "teams: past last + 5m, a request" si_until nt_ge 2
sleep 3
check_eq "exactly one request for the three" 2 "$(nt)"
R=$T/rt/req-2.json
check_eq "X-SI-Event digest" digest "$(hdr "$R" X-SI-Event)"
check_eq "X-SI-Delivery is the first delivery's key" \
    "$(row "$B" teams key)" "$(hdr "$R" X-SI-Delivery)"
check_eq "signed like any hook" ok "$(signed "$R")"
check_eq "the card validates against Adaptive Card 1.5" valid \
    "$(validate "$R" | tail -n 1)"
check_eq "its card lists the three conversations" \
    "$(printf '%s\n' "$B" "$C" "$D" | sort -n | tr '\n' ' ')" \
    "$(card_convs "$R")"
check_contains "under a header that counts them" "3 events since" \
    "$(jq -r '.body | fromjson | .attachments[0].content.body[0].text' "$R")"
check_eq "each card's body in a container with a separator" "true true true" \
    "$(jq -r '.body | fromjson | .attachments[0].content.body[1:][] |
    select(.type == "Container") | .separator' "$R" | tr '\n' ' ' |
    sed 's/ $//')"
check_eq "all three delivered" "delivered delivered delivered" \
    "$(for c in $B $C $D; do row "$c" teams state; done |
    tr '\n' ' ' | sed 's/ $//')"
case "$(cat "$R")" in
*"Digest Kunde"*|*491510000*) not_ok "include = ids: no name or number" ;;
*) ok "include = ids: no name or number" ;;
esac

# --- json: the three conversation.new went as one digest at last + 5m ---
check "crm: a digest for the three" si_until nj_ge 2
J=$T/rj/req-2.json
check_eq "crm: X-SI-Event digest" digest "$(hdr "$J" X-SI-Event)"
check_eq "crm: signed" ok "$(signed "$J")"
check_eq "crm: the body's shape" "true crm 3" "$(jq -r '.body | fromjson |
    "\(.digest) \(.hook) \(.deliveries | length)"' "$J")"
check_eq "crm: each body as recorded" \
    "conversation.new:$B conversation.new:$C conversation.new:$D" \
    "$(jq -r '.body | fromjson | .deliveries[] |
    "\(.event):\(.conversation.id)"' "$J" | tr '\n' ' ' | sed 's/ $//')"
check_eq "crm: X-SI-Delivery is the first body's key" \
    "$(jq -r '.body | fromjson | .deliveries[0].delivery' "$J")" \
    "$(hdr "$J" X-SI-Delivery)"
check_eq "crm: the keys are the rows'" "$(for c in $B $C $D; do
    row "$c" crm key; done | tr '\n' ' ')" \
    "$(jq -r '.body | fromjson | .deliveries[].delivery' "$J" |
    tr '\n' ' ')"

# --- a failing receiver: the digest is retried as a whole ---
echo 1 >"$T/rt/fail"
E=$(inbound 491510000205)
F=$(inbound 491510000206)
advance 460
check "teams: two more waiting deliveries recorded" si_until nwaiting_ge 6
sleep 2
check_eq "teams: within the digest, no request" 2 "$(nt)"
advance 720
check "teams: the digest is sent" si_until nt_ge 3
attempted() {
	[ "$(row "$E" teams attempts)" = 1 ] &&
	    [ "$(row "$F" teams attempts)" = 1 ]
}
check "the failed attempt counts on both" si_until attempted
check_eq "both pending with the status" "HTTP 500 HTTP 500" \
    "$(row "$E" teams last_error) $(row "$F" \
    teams last_error)"
check_eq "to be sent again together" \
    "$(row "$E" teams next_attempt)" \
    "$(row "$F" teams next_attempt)"
check "the retry comes" si_until nt_ge 4
delivered2() {
	[ "$(row "$E" teams state)" = delivered ] &&
	    [ "$(row "$F" teams state)" = delivered ]
}
check "both delivered" si_until delivered2
check_eq "after two attempts each" "2 2" \
    "$(row "$E" teams attempts) $(row "$F" \
    teams attempts)"
check_eq "the retry is the same digest: same key" \
    "$(hdr "$T/rt/req-3.json" X-SI-Delivery)" \
    "$(hdr "$T/rt/req-4.json" X-SI-Delivery)"
check_eq "the first delivery's" "$(row "$E" teams key)" \
    "$(hdr "$T/rt/req-4.json" X-SI-Delivery)"
check_eq "with both conversations" \
    "$(printf '%s\n' "$E" "$F" | sort -n | tr '\n' ' ')" \
    "$(card_convs "$T/rt/req-4.json")"
check_eq "and X-SI-Event digest" digest "$(hdr "$T/rt/req-4.json" X-SI-Event)"
det() {	# CONV: the details of its waiting delivery's hook.deliver records
	si audit export --action hook.deliver --detail --purpose "digest test" |
	    jq -r --argjson d "$(row "$1" teams id)" \
	    'select(.object_id == $d) | .detail'
}
for c in "$E" "$F"; do
	check_contains "conversation $c's attempts are audited on its own" \
	    "attempt 1 (in a digest of 2): HTTP 500; now pending
hook teams event conversation.waiting attempt 2 (in a digest of 2): delivered" \
	    "$(det "$c")"
done

# --- more than 25 due: requests of at most 25 ---
sleep 2
NJ=$(nj)
NB=$(nb)
advance 2000
N=30
jq --arg ts "$(date +%s)" --argjson n $N '
    [range(0; $n) | tostring | "49152" + ("00000" + . | .[-6:])] as $w |
    .entry[0].changes[0].value.contacts =
    [$w[] | {profile: {name: "Kunde"}, wa_id: .}] |
    .entry[0].changes[0].value.messages = [$w[] | {from: ., id:
    ("wamid.DIGEST" + .), timestamp: $ts, type: "text",
    text: {body: "Hallo"}}]' "$SI_FIXTURES/webhook-text.json" >"$T/in.json"
check_eq "30 new customers in one webhook" 200 "$(si_post "$T/in.json")"
check "crm: two requests" si_until nj_ge $((NJ + 2))
sleep 3
check_eq "crm: no more" $((NJ + 2)) "$(nj)"
check_eq "of 25 and 5 deliveries" "25 5" "$(for i in 1 2; do
    jq -r '.body | fromjson | .deliveries | length' \
    "$T/rj/req-$((NJ + i)).json"; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "each a digest" "digest digest" \
    "$(hdr "$T/rj/req-$((NJ + 1)).json" X-SI-Event) $(hdr \
    "$T/rj/req-$((NJ + 2)).json" X-SI-Event)"
check_eq "every one of the 30 delivered, each on its row" 30 \
    "$(db "SELECT count(*) FROM hook_deliveries WHERE hook = 'crm' AND
    event = 'conversation.new' AND conversation_id > $F AND
    state = 'delivered'")"

# --- Teams' 28 KB: what does not fit goes in the next request ---
# (hook big: the 30 wait too, on either clock's reading, by 2100)
advance 2100
big30() { [ "$(db "SELECT count(*) FROM hook_deliveries WHERE hook = 'big'
    AND conversation_id > $F AND state = 'delivered'")" -eq 30 ]; }
check "big cards: the 30 waiting all delivered" si_until big30
sleep 2
i=$NB; convs=0; most=0; valid=0; reqs=0
while [ $i -lt "$(nb)" ]; do
	i=$((i + 1))
	f=$T/rb/req-$i.json
	k=$(card_convs "$f" | wc -w)
	convs=$((convs + k)); reqs=$((reqs + 1))
	[ "$k" -gt "$most" ] && most=$k
	[ "$(validate "$f" | tail -n 1)" = valid ] && valid=$((valid + 1))
done
check_eq "big cards: the 30 in digests, each conversation once" 30 "$convs"
check "big cards: fewer than 25 a request, so more than two requests" \
    test "$most" -lt 25 -a "$reqs" -gt 2
check_eq "big cards: every request a valid card" "$reqs" "$valid"
big=0
for f in "$T"/rt/req-* "$T"/rb/req-*; do
	[ "$(jq -r '.body | length' "$f")" -le 28000 ] || big=$((big + 1))
done
check_eq "no Teams request over 28 KB" 0 "$big"
si_stop
si_done
