#!/bin/sh
# Interactive messages (issue 16): reply buttons and list messages sent
# with the CLI, the Graph payload the simulator received, Meta's limits
# refused before anything is queued, the 24-hour window, and a customer's
# button, list and quick-reply answers stored with the option and the
# message they answer. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOF2
template_sync_minutes = 0
EOF2
export SI_TEST_CLOCK="$T/clock"
echo "+0" >"$SI_TEST_CLOCK"
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
# answer FROM KIND CONTEXT-WAMID ID TITLE [DESCRIPTION]: the customer taps.
answer() {
	_d=""
	[ -n "${6:-}" ] && _d=",\"description\":\"$6\""
	curl -s -XPOST "$SIMURL/_sim/reply" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"kind\":\"$2\",\"context\":\"$3\",\"id\":\"$4\",\
\"title\":\"$5\"$_d,\"wait\":true}"
}
outbox_state() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .state'
}
sent() { [ "$(outbox_state "$1")" = sent ]; }
queued_count() { si outbox --json | jq '.rows | length'; }
msg() {
	si show "$CONV" --json | jq -c --argjson m "$1" \
	    '.messages[] | select(.id == $m)'
}

inbound 491510000001 "hallo"
CONV=$(si list all --json | jq -r '.rows[0].id')
if [ "$CONV" = null ] || [ -z "$CONV" ]; then
	not_ok "the first customer message arrived"
	si_done
	exit 1
fi

# --- reply buttons ---
simreset
M=$(si reply "$CONV" --text "Did that help?" --buttons "Yes|No|Maybe" \
    --header "Your parcel" --footer "Larkspur Tea Co." --json | jq -r .message)
check "buttons: queued" test -n "$M" -a "$M" != null
si_until sent "$M"
check_eq "buttons: sent" sent "$(outbox_state "$M")"
B=$(simreq | jq -c '.bodies[0]')
check_eq "buttons: Graph type interactive/button" "interactive button" \
    "$(echo "$B" | jq -r '"\(.type) \(.interactive.type)"')"
check_eq "buttons: exact interactive object (Meta's order)" \
    '{"type":"button","header":{"type":"text","text":"Your parcel"},"body":{"text":"Did that help?"},"footer":{"text":"Larkspur Tea Co."},"action":{"buttons":[{"type":"reply","reply":{"id":"Yes","title":"Yes"}},{"type":"reply","reply":{"id":"No","title":"No"}},{"type":"reply","reply":{"id":"Maybe","title":"Maybe"}}]}}' \
    "$(echo "$B" | jq -c '.interactive | {type,header,body,footer,action}')"
WB=$(simreq | jq -r '.log[0].wamid // empty')
check_eq "buttons: stored body keeps text and buttons" \
    'Did that help? Yes,No,Maybe' \
    "$(msg "$M" | jq -r '"\(.body.text) \([.body.interactive.buttons[].title] | join(","))"')"
check_eq "buttons: the list preview shows them" \
    'Did that help? [Yes] [No] [Maybe]' \
    "$(si list all --json | jq -r --argjson c "$CONV" '.rows[] | select(.id == $c) | .preview')"

# --- a list with sections ---
simreset
L=$(si reply "$CONV" --text "How fast should we ship?" --list "Choose shipping" \
    --section Standard --row "standard:Standard:3 to 5 working days" \
    --section Fast --row "express:Express (next day):Delivered by noon" \
    --row "same_day:Same day" --json | jq -r .message)
si_until sent "$L"
check_eq "list: sent" sent "$(outbox_state "$L")"
WL=$(simreq | jq -r '.log[0].wamid // empty')
check_eq "list: exact action" \
    '{"button":"Choose shipping","sections":[{"rows":[{"description":"3 to 5 working days","id":"standard","title":"Standard"}],"title":"Standard"},{"rows":[{"description":"Delivered by noon","id":"express","title":"Express (next day)"},{"id":"same_day","title":"Same day"}],"title":"Fast"}]}' \
    "$(simreq | jq -cS '.bodies[0].interactive.action')"
check_eq "list: body text" "How fast should we ship?" \
    "$(simreq | jq -r '.bodies[0].interactive.body.text')"
check_eq "list: the list preview shows its button and rows" \
    'How fast should we ship? [Choose shipping: Standard, Express (next day), Same day]' \
    "$(si list all --json | jq -r --argjson c "$CONV" '.rows[] | select(.id == $c) | .preview')"

# --- from a file ---
cat >"$T/spec.json" <<EOF2
{"type":"list","body":"Pick a topic","button":"Topics",
 "sections":[{"rows":[{"id":"t1","title":"Billing"},{"id":"t2","title":"Delivery","description":"Where is my parcel"}]}]}
EOF2
simreset
F=$(si reply "$CONV" --interactive-file "$T/spec.json" --json | jq -r .message)
si_until sent "$F"
check_eq "file: the spec is sent" "Topics t1,t2" \
    "$(simreq | jq -r '.bodies[0].interactive.action | "\(.button) \([.sections[0].rows[].id] | join(","))"')"

# --- limits: refused with a clear error, nothing queued ---
N=$(queued_count)
refused() {
	_what=$1
	_want=$2
	shift 2
	_out=$(si reply "$CONV" "$@" 2>&1)
	_rc=$?
	check "limits: $_what refused (exit code)" test "$_rc" -ne 0
	check_contains "limits: $_what says why" "$_want" "$_out"
}
refused "four buttons" "1 to 3 buttons" --text "Q?" --buttons "A|B|C|D"
refused "a long button title" "button 2's title has 21 characters; WhatsApp allows 1 to 20" \
    --text "Q?" --buttons "A|abcdefghijklmnopqrstu"
refused "a repeated button" "must be unique" --text "Q?" --buttons "A|A"
refused "an empty button" "empty button title" --text "Q?" --buttons "A||B"
refused "a long body" "the body text has 1025 characters" \
    --text "$(head -c 1025 /dev/zero | tr '\0' x)" --buttons "A"
refused "a long header" "the header has 61 characters" --text "Q?" \
    --header "$(head -c 61 /dev/zero | tr '\0' h)" --buttons "A"
refused "a long footer" "the footer has 61 characters" --text "Q?" \
    --footer "$(head -c 61 /dev/zero | tr '\0' f)" --buttons "A"
refused "a long list button" "the list's button text has 21 characters" \
    --text "Q?" --list "abcdefghijklmnopqrstu" --row "a:A"
refused "a long row title" "section 1 row 1's title has 25 characters" \
    --text "Q?" --list "Go" --row "a:abcdefghijklmnopqrstuvwxy"
refused "a long row description" "section 1 row 2's description has 73 characters" \
    --text "Q?" --list "Go" --row "a:A" --row "b:B:$(head -c 73 /dev/zero | tr '\0' d)"
refused "eleven rows" "at most 10 rows" --text "Q?" --list "Go" \
    --row 1:A --row 2:B --row 3:C --row 4:D --row 5:E --row 6:F \
    --row 7:G --row 8:H --row 9:I --row 10:J --row 11:K
refused "a repeated row id" "repeats the id" --text "Q?" --list "Go" \
    --row a:A --row a:B
refused "a list without its button" "needs --list" --text "Q?" --row a:A
refused "buttons and a list" "not both" --text "Q?" --buttons A --list Go
refused "no text" "needs its text" --buttons "A|B"
echo '{"type":"button","body":"x","buttons":["A"],"colour":"red"}' >"$T/bad.json"
refused "an unknown key" "unknown key 'colour'" --interactive-file "$T/bad.json"
check_eq "limits: nothing was queued" "$N" "$(queued_count)"

# --- the customer answers the buttons, the list and a quick reply ---
check "the simulator gave our messages their wamids" test -n "$WB" -a -n "$WL"
answer 491510000001 button "$WB" Yes Yes >/dev/null
answer 491510000001 list "$WL" express "Express (next day)" "Delivered by noon" >/dev/null
answer 491510000001 quick_reply "$WB" STOP_PROMOS "Stop promotions" >/dev/null
si_until sh -c "$SIC -c $T/si.conf show $CONV --json | jq -e '[.messages[] | select(.body.answer)] | length == 3'"
A=$(si show "$CONV" --json | jq -c '[.messages[] | select(.body.answer) | .body.answer]')
check_eq "button reply: option and the message it answers" \
    "{\"kind\":\"button\",\"id\":\"Yes\",\"title\":\"Yes\",\"to_msg\":$M}" \
    "$(echo "$A" | jq -c '.[0] | {kind,id,title,to_msg}')"
check_eq "list reply: row id, title, description and the message" \
    "{\"kind\":\"list\",\"id\":\"express\",\"title\":\"Express (next day)\",\"description\":\"Delivered by noon\",\"to_msg\":$L}" \
    "$(echo "$A" | jq -c '.[1] | {kind,id,title,description,to_msg}')"
check_eq "quick reply: the template button's payload" \
    "quick_reply STOP_PROMOS Stop promotions" \
    "$(echo "$A" | jq -r '.[2] | "\(.kind) \(.id) \(.title)"')"
check_eq "button reply keeps reply_id and text" "Yes Yes" \
    "$(si show "$CONV" --json | jq -r '[.messages[] | select(.body.answer.kind == "button")][0].body | "\(.reply_id) \(.text)"')"
check_eq "the list preview names a reply as such" "[quick reply] Stop promotions" \
    "$(si list all --json | jq -r --argjson c "$CONV" '.rows[] | select(.id == $c) | .preview')"
si_until sh -c "$SIC -c $T/si.conf list all --json | jq -e '.rows[0].preview' >/dev/null"

# --- audit ---
AU=$(si audit export --action message.send --detail --purpose "interactive test")
check_contains "audit: buttons sent" '"interactive button"' "$AU"
check_contains "audit: list sent" '"interactive list"' "$AU"

# --- outside the window: refused, nothing queued ---
echo "+90000" >"$SI_TEST_CLOCK"
N=$(queued_count)
out=$(si reply "$CONV" --text "Still there?" --buttons "Yes|No" 2>&1)
rc=$?
check "window closed: buttons refused" test "$rc" -ne 0
check_contains "window closed: says why" "only an approved template" "$out"
check_eq "window closed: nothing queued" "$N" "$(queued_count)"
check_contains "window closed: refusal audited" "window_closed" \
    "$(si audit export --action message.send --detail --purpose t)"

# --- the simulator refuses a bad payload like Meta ---
gsend() {
	curl -s -o "$T/r" -w '%{http_code}' -XPOST \
	    -H "Authorization: Bearer $(cat "$T/access_token")" \
	    -H 'Content-Type: application/json' \
	    "$SIMURL/v21.0/106540352242922/messages" -d "$1"
}
code=$(gsend '{"messaging_product":"whatsapp","to":"491510000001","type":"interactive","interactive":{"type":"list","body":{"text":"?"},"action":{"button":"Go","sections":[{"rows":[{"id":"a","title":"abcdefghijklmnopqrstuvwxyz"}]}]}}}')
check_eq "sim: a long row title is 400 / 131009" "400 131009" \
    "$code $(jq -r .error.code <"$T/r")"
code=$(gsend '{"messaging_product":"whatsapp","to":"491510000001","type":"interactive","interactive":{"type":"button","body":{"text":"?"},"footer":{"text":"'"$(head -c 61 /dev/zero | tr '\0' f)"'"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}}}')
check_eq "sim: a long footer is 400 / 131009" "400 131009" \
    "$code $(jq -r .error.code <"$T/r")"

si_done
