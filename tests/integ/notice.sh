#!/bin/sh
# Issue 16 point 2: the first-contact privacy notice, against the
# simulator serving two numbers. A contact's first message gets the
# notice of its number in its language exactly once (also with two
# messages in one webhook, a redelivered webhook and a restart); a
# version bump (config edited, daemon.reload) sends the new one once;
# none outside the window or to a restricted contact, and neither is
# recorded as informed; the consent ledger's "informed" rows, the audit
# records, "notice status"; bad configurations refused with file:line;
# nothing personal in the daemon's log. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

DE_ID=106540352242922
DE_WABA=102290129340398
SALES_ID=106540352240001
SALES_WABA=102290129340002

si_tmp
# One clock for the daemon and the simulator (clock.h).
export SI_TEST_CLOCK="$T/clock"
echo "+0" >"$T/clock"
si_config
printf 'sales-access-token\n' >"$T/sales_token"
chmod 600 "$T/sales_token"
cp "$SI_TOP/contrib/notice/notice.de.txt" "$SI_TOP/contrib/notice/notice.en.txt" "$T/"
printf 'Sales privacy notice v1: ACME Sales Ltd is responsible. Details: https://sales.example.com/privacy - send STOP to object.\n' >"$T/sales.en.txt"
printf 'Datenschutz Vertrieb v1: verantwortlich ist ACME Vertrieb GmbH. https://sales.example.com/datenschutz - STOP zum Widerspruch.\n' >"$T/sales.de.txt"
cat >>"$T/si.conf" <<EOF
label = DE
timeout = 2
retry_base_ms = 100
template_sync_minutes = 0

[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token

[notice]
version = 1
default_lang = de
text.de = notice.de.txt
text.en = notice.en.txt

[notice sales]
version = 1
default_lang = en
text.en = sales.en.txt
text.de = sales.de.txt
EOF

si_sim --phone-number-id $DE_ID --waba-id $DE_WABA --status-delay 20 \
    --number "$SALES_ID,$SALES_WABA,$T/sales_token"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
db="$T/data/support-inbox.db"

simreq() { curl -s "$SIMURL/_sim/requests"; }
# inbound FROM TO TEXT: a customer writes to business number TO.
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"to\":\"$2\",\"text\":\"$3\",\"wait\":true}" \
	    >/dev/null
}
# sent_to NUMBER MARKER: text messages the simulator accepted for NUMBER
# whose body holds MARKER.
sent_to() {
	simreq | jq --arg to "+$1" --arg m "$2" '[.bodies[] |
	    select(.type == "text" and .to == $to and
	    (.text.body | contains($m)))] | length'
}
has_sent() { [ "$(sent_to "$1" "$2")" -ge 1 ]; }
# conv_of NUMBER [TO_LABEL]: the latest conversation of "Customer NUMBER".
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" --arg l "${2:-}" \
	    '[.rows[] | select(.name == $n and ($l == "" or .number == $l)) |
	    .id] | max'
}
# outbound CONV: how many messages the inbox sent into CONV.
outbound() {
	si show "$1" --purpose "notice test" --json | jq '[.messages[] | select(.direction == "out")] |
	    length'
}
informed() {
	si consent show "+$1" --purpose "notice test" --json |
	    jq -c '[.informed[] | {v: .text_version, n: .notice, s: .source}]'
}
# The notice.send records, details opened (JSON lines).
notice_audit() {
	si audit export --detail --purpose "notice test" |
	    jq -c 'select(.action == "notice.send")'
}
audits() {
	notice_audit | jq -r --arg d "$1" 'select(.detail == $d) | .seq' |
	    wc -l | tr -d ' '
}
# webhook FILE TO TS FROM WAMID...: a webhook to number TO with one text
# message of FROM per WAMID, at time TS.
webhook() {
	_f=$1 _to=$2 _ts=$3 _from=$4
	shift 4
	_msgs=$(for _w in "$@"; do
		printf '{"from":"%s","id":"%s","timestamp":"%s","type":"text",
		    "text":{"body":"message %s"}}\n' "$_from" "$_w" "$_ts" "$_w"
	done | jq -s -c .)
	jq --arg to "$_to" --arg from "$_from" --argjson msgs "$_msgs" '
	    .entry[0].changes[0].value.metadata.phone_number_id = $to |
	    .entry[0].changes[0].value.contacts[0].wa_id = $from |
	    .entry[0].changes[0].value.contacts[0].profile.name =
	        "Customer " + $from |
	    .entry[0].changes[0].value.messages = $msgs' \
	    "$SI_FIXTURES/webhook-text.json" >"$_f"
}

A=491510001601
B=491510001602
C=491510001603
D=491510001604
E=491510001605

# --- first contact: the notice, once ---
inbound $A $DE_ID "Hallo, ich habe eine Frage"
CA=$(conv_of $A)
check "first contact: the simulator got the notice" si_until has_sent $A \
    "Datenschutzhinweis"
check_eq "first contact: exactly one notice, in German (default_lang)" 1 \
    "$(sent_to $A "https://www.example.com/datenschutz")"
check_eq "first contact: one message out, by no agent (the daemon's)" \
    "1 none" "$(si show "$CA" --json | jq -r '[.messages[] |
    select(.direction == "out")] | "\(length) \(.[0].agent // "none")"')"
inbound $A $DE_ID "Noch eine Frage"
check_eq "second message: nothing more goes out" 1 "$(outbound "$CA")"
check_eq "second message: the simulator still has one notice" 1 \
    "$(sent_to $A "Datenschutzhinweis")"
check_eq "ledger: informed, version 1, [notice], source notice" \
    '[{"v":"1","n":"","s":"notice"}]' "$(informed $A)"
NM=$(si show "$CA" --json | jq '[.messages[] | select(.direction ==
    "out")][0].id')
check_eq "ledger: the evidence is the notice's message" "$NM" \
    "$(si consent show "+$A" --purpose "notice test" --json |
    jq '.informed[0].evidence_message')"
ts=$(si consent show "+$A" --purpose "notice test" --json |
    jq '.informed[0].ts')
check "ledger: the time is the clock's" test "$ts" -gt $(($(date +%s) - 60))
check_contains "consent show prints it" "informed: notice version 1" \
    "$(si consent show "+$A" --purpose "notice test")"
check_eq "contact panel data: informed v1" "1 notice" \
    "$(si contact show "+$A" --purpose "notice test" --json |
    jq -r '.consent.informed | "\(.text_version) \(.source)"')"
check_eq "audit: notice.send by the daemon, on the message, version and lang" \
    "support-inboxd message $NM ok version 1 lang de" \
    "$(notice_audit | jq -r --argjson m "$NM" 'select(.object_id == $m) |
    "\(.agent) \(.object_type) \(.object_id) \(.result) \(.detail)"')"

# --- two messages of a new contact in one webhook; the webhook again ---
webhook "$T/two.json" $DE_ID "$(date +%s)" $B wamid.NOTICEB1 wamid.NOTICEB2
check_eq "one webhook with two messages is taken" 200 "$(si_post "$T/two.json")"
CB=$(conv_of $B)
check_eq "two messages in one webhook: one notice" 1 "$(outbound "$CB")"
check_eq "the webhook delivered again is taken" 200 "$(si_post "$T/two.json")"
check_eq "redelivered: still one notice" 1 "$(outbound "$CB")"
check "the simulator got it" si_until has_sent $B "Datenschutzhinweis"
check_eq "and exactly once" 1 "$(sent_to $B "Datenschutzhinweis")"

# --- outside the window: no notice, not informed ---
webhook "$T/old.json" $DE_ID "$(($(date +%s) - 90000))" $C wamid.NOTICEC1
check_eq "a message from 25 hours ago is taken" 200 "$(si_post "$T/old.json")"
CC=$(conv_of $C)
check_eq "outside the window: no notice" 0 "$(outbound "$CC")"
check_eq "outside the window: not informed" '[]' "$(informed $C)"
check_contains "outside the window: logged as not sent" \
    "notice: conversation $CC: version 1 not sent: window closed" \
    "$(cat "$T/daemon.log")"
# The fake clock moved a day on: the message of "now" is an old one.
echo "+90000" >"$T/clock"
webhook "$T/late.json" $DE_ID "$(date +%s)" $C wamid.NOTICEC2
si_post "$T/late.json" >/dev/null
check_eq "clock moved past the window: no notice" 0 "$(outbound "$CC")"
echo "+0" >"$T/clock"

# --- a contact whose language is English gets the English notice ---
quiet si contact edit "+$C" --language en
inbound $C $DE_ID "Hello again"
check "language en: the English notice" si_until has_sent $C \
    "Privacy notice"
check_eq "language en: once, and no German one" "1 0" \
    "$(sent_to $C "https://www.example.com/privacy") $(sent_to $C \
    "Datenschutzhinweis")"
check_eq "language en: the audit says lang en" 1 "$(audits 'version 1 lang en')"

# --- a restricted contact: no notice, not informed, due when lifted ---
webhook "$T/d.json" $DE_ID "$(($(date +%s) - 90000))" $D wamid.NOTICED1
si_post "$T/d.json" >/dev/null
CD=$(conv_of $D)
quiet si privacy restrict "+$D" on --reason "Art. 18 test" --yes
inbound $D $DE_ID "hallo"
check_eq "restricted: no notice" 0 "$(outbound "$CD")"
check_eq "restricted: not informed" '[]' "$(informed $D)"
check_contains "restricted: logged as not sent" \
    "notice: conversation $CD: version 1 not sent: contact restricted" \
    "$(cat "$T/daemon.log")"
quiet si privacy restrict "+$D" off --reason "Art. 18 lifted" --yes
inbound $D $DE_ID "hallo nochmal"
check_eq "restriction lifted: the next message gets it" 1 "$(outbound "$CD")"
check_eq "restriction lifted: informed" '[{"v":"1","n":"","s":"notice"}]' \
    "$(informed $D)"

# --- the second number: its own notice, its own default language ---
inbound $E $SALES_ID "hello sales"
CE=$(conv_of $E sales)
check "second number: its own notice" si_until has_sent $E \
    "Sales privacy notice v1"
check_eq "second number: once, in English, not [notice]'s" "1 0" \
    "$(sent_to $E "Sales privacy notice") $(sent_to $E "Datenschutzhinweis")"
check_eq "second number: ledger names [notice sales]" \
    '[{"v":"1","n":"sales","s":"notice"}]' "$(informed $E)"
# The same contact on the first number: that notice is another one.
inbound $E $DE_ID "und hallo DE"
check "first number: the contact gets [notice] too" si_until has_sent $E \
    "Datenschutzhinweis"

# --- notice status ---
st=$(si notice status --json)
check_eq "status: [notice] for DE, informed 5 at version 1" "DE 1 5" \
    "$(echo "$st" | jq -r '.notices[] | select(.notice == "*") |
    "\(.numbers | join(",")) \(.version) \(.informed)"')"
check_eq "status: [notice sales], languages en,de, default en" \
    "sales en,de en 1" "$(echo "$st" | jq -r '.notices[] |
    select(.notice == "sales") | "\(.numbers | join(",")) \([.languages[] |
    .lang] | join(",")) \(.default_lang) \(.informed)"')"
check_contains "status: printed" "informed: 5 contact(s) at this version" \
    "$(si notice status)"

# --- a notice whose send failed informs nobody: the next message again ---
F=491510001606
curl -s -XPOST "$SIMURL/_sim/faults" -d '{"mode":"131026-sync","count":1}' \
    >/dev/null
inbound $F $DE_ID "hallo"
CF=$(conv_of $F)
FM=$(si show "$CF" --json | jq '[.messages[] | select(.direction ==
    "out")][0].id')
# state_is MSG STATE: the message's outbox row is in STATE.
state_is() {
	[ "$(si outbox --json | jq -r --argjson m "$1" '.rows[] |
	    select(.message == $m) | .state')" = "$2" ]
}
check "failed send: the notice fails at the outbox" si_until state_is "$FM" \
    failed
check_eq "failed send: not counted in notice status" 5 \
    "$(si notice status --json | jq '.notices[] | select(.notice == "*") |
    .informed')"
inbound $F $DE_ID "hallo?"
check "failed send: the next message gets the notice again" si_until \
    has_sent $F "Datenschutzhinweis"
FM2=$(si show "$CF" --json | jq '[.messages[] | select(.direction ==
    "out")][1].id')
check "failed send: the second notice is sent" si_until state_is "$FM2" sent
check_eq "failed send: two notices out" 2 "$(outbound "$CF")"
check_eq "failed send: now counted" 6 \
    "$(si notice status --json | jq '.notices[] | select(.notice == "*") |
    .informed')"
inbound $F $DE_ID "danke"
check_eq "failed send: and then no more" 2 "$(outbound "$CF")"

# --- a restart: still informed ---
si_stop
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
inbound $A $DE_ID "nach dem Neustart"
check_eq "after a restart: no second notice" 1 "$(outbound "$CA")"

# --- a version bump, by reload: the next message gets it once ---
printf 'Datenschutzhinweis Version 2. Verantwortlich: ACME GmbH. https://www.example.com/datenschutz-v2 - STOP zum Widerspruch.\n' >"$T/notice2.de.txt"
sed -i -e '/^\[notice\]$/,/^\[/{s/^version = 1$/version = 2/;s/^text.de = notice.de.txt$/text.de = notice2.de.txt/}' "$T/si.conf"
check_contains "reload names the new version" "version 2" \
    "$(si reload --json)"
inbound $A $DE_ID "schon wieder ich"
check "version 2: the next message gets it" si_until has_sent $A \
    "Datenschutzhinweis Version 2"
inbound $A $DE_ID "und noch einmal"
check_eq "version 2: exactly once" "2 1" \
    "$(outbound "$CA") $(sent_to $A "Datenschutzhinweis Version 2")"
check_eq "version 2: the ledger has both" \
    '[{"v":"1","n":"","s":"notice"},{"v":"2","n":"","s":"notice"}]' \
    "$(informed $A)"
check_eq "version 2: audited" 1 "$(audits 'version 2 lang de')"
check_eq "the second number's notice did not change" 1 \
    "$(sent_to $E "Sales privacy notice")"
check_eq "status: 1 at version 2, 6 at any" "1 6" \
    "$(si notice status --json | jq -r '.notices[] | select(.notice ==
    "*") | "\(.informed) \(.informed_any)"')"

# --- bad configurations: refused at start and on reload ---
cp "$T/si.conf" "$T/good.conf"
# bad NAME SED WANT: the config edited by SED is refused by a reload
# (the running one kept) and by a daemon start, both saying WANT.
bad() {
	sed -e "$2" "$T/good.conf" >"$T/si.conf"
	_out=$(si reload 2>&1)
	check_contains "$1: reload refused" "$3" "$_out"
	"$SID" -c "$T/si.conf" >"$T/bad.out" 2>&1
	check_contains "$1: start refused" "$3" "$(cat "$T/bad.out")"
}
line=$(grep -n '^text.de = notice2.de.txt' "$T/good.conf" | cut -d: -f1)
bad "missing file" 's/^text.de = notice2.de.txt/text.de = nosuch.txt/' \
    "si.conf:$line: [notice] text.de: cannot open '$T/nosuch.txt'"
printf 'Datenschutz: bitte fragen Sie uns. STOP zum Widerspruch.\n' \
    >"$T/nolink.txt"
bad "no link" 's/^text.de = notice2.de.txt/text.de = nolink.txt/' \
    "has no http:// or https:// link; a notice links to the full privacy policy"
vline=$(grep -n '^version = 2' "$T/good.conf" | cut -d: -f1)
bad "bad version" 's/^version = 2/version = zwei/' \
    "si.conf:$vline: [notice] version expects a positive whole number"
bad "version 0" 's/^version = 2/version = 0/' \
    "[notice] version expects a positive whole number"
bad "unknown number" 's/^\[notice sales\]/[notice nosuch]/' \
    "[notice nosuch]: no number has the label 'nosuch'"
bad "default_lang without a text" 's/^default_lang = de/default_lang = fr/' \
    "[notice] default_lang is 'fr' but there is no text.fr"
head -c 5000 /dev/zero | tr '\0' 'x' >"$T/long.txt"
printf ' https://example.com STOP\n' >>"$T/long.txt"
bad "longer than 4096 characters" \
    's/^text.de = notice2.de.txt/text.de = long.txt/' \
    "characters; WhatsApp sends at most 4096 in one message"
printf 'Hinweis \377\376 https://example.com STOP\n' >"$T/latin.txt"
bad "not UTF-8" 's/^text.de = notice2.de.txt/text.de = latin.txt/' \
    "is not valid UTF-8"
printf 'Datenschutz: https://www.example.com/datenschutz\n' >"$T/nostop.txt"
sed -e 's/^text.de = notice2.de.txt/text.de = nostop.txt/' "$T/good.conf" \
    >"$T/si.conf"
check_contains "no STOP keyword: a warning, not a refusal" \
    "names none of [consent] stop_keywords" "$(si reload 2>&1;
    cat "$T/daemon.log")"
cp "$T/good.conf" "$T/si.conf"
quiet si reload
inbound $B $DE_ID "nach den Fehlern"
check "after the refusals the running notice (version 2) still goes" \
    si_until has_sent $B "Datenschutzhinweis Version 2"

# --- nothing personal in the daemon's log ---
for n in $A $B $C $D $E; do
	check "the log does not name $n" sh -c "! grep -q '$n' '$T/daemon.log'"
done
check "the log holds no customer text" sh -c \
    "! grep -q 'Noch eine Frage\|hello sales\|message wamid' '$T/daemon.log'"

si_stop
si_done
