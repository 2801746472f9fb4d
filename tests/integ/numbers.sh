#!/bin/sh
# Several business numbers (issue 15 point 6), against the simulator
# serving two numbers in two WABAs, each with its own token and templates:
# webhooks routed by metadata.phone_number_id, replies and templates from
# the conversation's number with its token, templates per WABA, a webhook
# for an unknown number quarantined with an alarm and released by replay,
# the number filter, and the configuration's errors. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

DE_ID=106540352242922
DE_WABA=102290129340398
SALES_ID=106540352240001
SALES_WABA=102290129340002
OTHER_ID=106540352249999

si_tmp
si_config
printf 'sales-access-token\n' >"$T/sales_token"
chmod 600 "$T/sales_token"
cat >>"$T/si.conf" <<EOF
label = DE
timeout = 2
retry_base_ms = 100
max_attempts = 3
template_sync_minutes = 0

[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token
team = sales
EOF

si_sim --phone-number-id $DE_ID --waba-id $DE_WABA --status-delay 20 \
    --number "$SALES_ID,$SALES_WABA,$T/sales_token"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
# inbound FROM TO TEXT: a customer writes to business number TO.
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"to\":\"$2\",\"text\":\"$3\",\"wait\":true}" \
	    >/dev/null
}
state() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .state'
}
sent() { [ "$(state "$1")" = sent ]; }

# --- hello and status name the numbers ---
check_eq "status lists the numbers in configuration order" '["DE","sales"]' \
    "$(si status --json | jq -c .numbers)"

# --- routing: one customer writes to both numbers ---
inbound 491510000061 $DE_ID "hallo DE"
inbound 491510000061 $SALES_ID "hello sales"
check_eq "two conversations, one per number" 2 \
    "$(si list all --json | jq '.rows | length')"
DE_CONV=$(si list all --json | jq -r '.rows[] | select(.number == "DE") | .id')
SALES_CONV=$(si list all --json | jq -r '.rows[] | select(.number == "sales") | .id')
check "the DE conversation carries its number" test -n "$DE_CONV"
check "the sales conversation carries its number" test -n "$SALES_CONV"
check_eq "conv.show names the number" sales \
    "$(si show "$SALES_CONV" --json | jq -r .conversation.number)"
check_eq "a new conversation goes to its number's default team" \
    "sales null" "$(si list all --json | jq -r --argjson s "$SALES_CONV" \
    '[.rows[] | select(.id == $s) | .team][0], [.rows[] |
    select(.number == "DE") | .team][0]' | tr '\n' ' ' | sed 's/ $//')"
inbound 491510000061 $DE_ID "noch was"
check_eq "a second message to DE joins the DE conversation" 2 \
    "$(si list all --json | jq '.rows | length')"

# --- the number filter ---
check_eq "list number:DE shows only DE's" "$DE_CONV" \
    "$(si list number:DE --json | jq -r '.rows[].id')"
check_eq "list --number sales shows only sales'" "$SALES_CONV" \
    "$(si list all --number sales --json | jq -r '.rows[].id')"
check_eq "a view and number:LABEL combine" "$SALES_CONV" \
    "$(si list number:sales open --json | jq -r '.rows[].id')"
check_eq "counts for one number" "1 sales" \
    "$(si counts --number sales --json | jq -r '"\(.all) \(.number)"')"
out=$(si list number:nope 2>&1)
check_eq "an unknown number label is refused" 1 "$?"
check_contains "and the error names the fix" "no business number 'nope'" "$out"

# --- replies leave from the conversation's number with its token ---
simreset
M1=$(si reply "$DE_CONV" "Antwort von DE" --json | jq -r .message)
M2=$(si reply "$SALES_CONV" "Answer from sales" --json | jq -r .message)
si_until sent "$M1"
si_until sent "$M2"
check_eq "the DE reply is sent" sent "$(state "$M1")"
check_eq "the sales reply is sent" sent "$(state "$M2")"
R=$(simreq)
check_eq "the DE reply left from DE's number with DE's token" \
    "/$DE_ID/messages $DE_ID" \
    "$(echo "$R" | jq -r '.log[] | select(.path | endswith("messages")) |
    "\(.path) \(.token_of)"' | grep "$DE_ID/" | head -n 1)"
check_eq "the sales reply left from sales' number with sales' token" \
    "/$SALES_ID/messages $SALES_ID" \
    "$(echo "$R" | jq -r '.log[] | select(.path | endswith("messages")) |
    "\(.path) \(.token_of)"' | grep "$SALES_ID/" | head -n 1)"
check_eq "and nothing was refused for a wrong token" 0 \
    "$(echo "$R" | jq -r .unauthorized)"

# --- templates per WABA ---
si templates sync >/dev/null
check_eq "templates synced from both WABAs" 11 \
    "$(si templates list --json | jq '.templates | length')"
check_eq "sales_welcome is in the sales WABA only" "$SALES_WABA" \
    "$(si templates list --json | jq -r '.templates[] |
    select(.name == "sales_welcome") | .waba_id')"
simreset
out=$(si reply "$DE_CONV" --template sales_welcome --lang en_US \
    --param Ana 2>&1)
check_eq "a template of the sales WABA is refused for a DE conversation" \
    1 "$?"
check_contains "and the refusal names the number" "WABA of number DE" "$out"
check_eq "nothing was sent for it" 0 "$(simreq | jq -r .total)"
M3=$(si reply "$SALES_CONV" --template sales_welcome --lang en_US \
    --param Ana --json | jq -r .message)
si_until sent "$M3"
check_eq "the sales template goes from the sales conversation" sent \
    "$(state "$M3")"
check_eq "from sales' number with its token" "/$SALES_ID/messages $SALES_ID" \
    "$(simreq | jq -r '.log[-1] | "\(.path) \(.token_of)"')"
M4=$(si reply "$DE_CONV" --template sample_shipping_confirmation \
    --lang en_US --param 3 --json | jq -r .message)
si_until sent "$M4"
check_eq "DE's own template goes from DE" "/$DE_ID/messages $DE_ID" \
    "$(simreq | jq -r '.log[-1] | "\(.path) \(.token_of)"')"

# --- a webhook for a number not configured: kept, alarmed, answered 200 ---
simreset
inbound 491510000062 $OTHER_ID "to a number we do not serve"
check_eq "delivered (answered 200: Meta does not retry)" true \
    "$(simreq | jq -r '.webhooks.acked >= 1')"
check_eq "no conversation for it" 2 \
    "$(si list all --json | jq '.rows | length')"
check_eq "the body is quarantined" 1 \
    "$(si status --json | jq .counts.quarantined)"
check_eq "an alarm names the unknown number" "number $OTHER_ID" \
    "$(si status --json | jq -r '.alarms[] | select(.kind == "number") |
    "\(.kind) \(.phone_number_ids[0])"')"
check_contains "the operator's status shows the alarm" "$OTHER_ID" \
    "$("$SID" status -c "$T/si.conf" 2>&1)"
check_contains "the daemon log says what to do" "support-inboxd replay" \
    "$(cat "$T/daemon.log")"
check "the log does not name the customer" sh -c \
    "! grep -q 491510000062 '$T/daemon.log'"

# Still unknown: replay leaves it where it is.
si_stop
"$SID" replay -c "$T/si.conf" >"$T/replay.out" 2>&1
check_contains "replay with the number still unknown" "replayed 0" \
    "$(cat "$T/replay.out")"
# Configured now: replay takes it in, nothing lost.
printf 'other-access-token\n' >"$T/other_token"
chmod 600 "$T/other_token"
cat >>"$T/si.conf" <<EOF

[number AT]
phone_number_id = $OTHER_ID
waba_id = $SALES_WABA
token_file = other_token
EOF
"$SID" replay -c "$T/si.conf" >"$T/replay.out" 2>&1
check_contains "replay once the number is configured" "replayed 1" \
    "$(cat "$T/replay.out")"
check "daemon restarts" si_start
check_eq "the quarantined body became a conversation of its number" \
    "AT hallo" "$(si list number:AT --json | jq -r '.rows[0] |
    "\(.number) \(if .preview | test("do not serve") then "hallo" else .preview end)"')"
check_eq "and the alarm is gone" 0 \
    "$(si status --json | jq '[.alarms[] | select(.kind == "number")] | length')"

# --- a number's token is reloaded like [graph]'s ---
printf 'wrong-sales-token\n' >"$T/sales_token"
out=$(si reload 2>&1)
check_contains "reload names the number whose token changed" \
    "access token of number sales changed" "$out"
simreset
si reply "$SALES_CONV" "with the wrong token" >/dev/null
check "the new token goes with sales' requests (the simulator refuses it)" \
    si_until sh -c "[ \"\$(curl -s $SIMURL/_sim/requests | jq .unauthorized)\" -ge 1 ]"
printf 'sales-access-token\n' >"$T/sales_token"
out=$(si reload 2>&1)
check_contains "the right token back" "access token of number sales changed" \
    "$out"
M5=$(si reply "$SALES_CONV" "with the right token" --json | jq -r .message)
si_until sent "$M5"
check_eq "sales sends again with its token" sent "$(state "$M5")"

# --- configuration errors ---
# refused NAME WANT: the daemon exits 1 on $T/bad.conf and says WANT.
refused() {
	"$SID" -c "$T/bad.conf" >"$T/out" 2>"$T/err"
	check_eq "$1: exits 1" 1 "$?"
	check_contains "$1: says so" "$2" "$(cat "$T/err")"
}
base() {
	sed -n '1,/^\[number sales\]/p' "$T/si.conf" | sed '$d'
}
{ base; cat <<EOF
[number sales]
phone_number_id = $DE_ID
waba_id = $SALES_WABA
token_file = sales_token
EOF
} >"$T/bad.conf"
refused "a phone number id configured twice" \
    "[number sales] has the phone_number_id of [graph]"
{ base; cat <<EOF
[number DE]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token
EOF
} >"$T/bad.conf"
refused "a label given twice" "[graph] label is 'DE' already"
{ base; cat <<EOF
[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = no_such_token
EOF
} >"$T/bad.conf"
refused "a missing token file" "[number sales] token_file: cannot open"
{ base; cat <<EOF
[number sales]
phone_number_id = $SALES_ID
token_file = sales_token
EOF
} >"$T/bad.conf"
refused "a number without its WABA" \
    "[number sales] needs phone_number_id, waba_id and token_file"
{ base; cat <<EOF
[number sales!]
phone_number_id = $SALES_ID
EOF
} >"$T/bad.conf"
refused "a label with a bad character" "a number's label is 1 to 16"
{ base; cat <<EOF
[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token
[number sales]
team = x
EOF
} >"$T/bad.conf"
refused "the same section twice" "[number sales] is given twice"
{ base; cat <<EOF
[number sales]
phone_number_id = ../x
EOF
} >"$T/bad.conf"
refused "an id that is not an id" "expects Meta's numeric id"
check "the running daemon still answers" quiet si status

# --- starting a conversation from a number (conv.start's from) ---
simreset
out=$(si new "+49 151 00000077" --template sales_welcome --lang en_US \
    --param Ana --from sales --json 2>&1)
check_eq "new --from sales starts it" 0 "$?"
NEWC=$(printf '%s' "$out" | jq -r .conversation)
check_eq "new --from sales: the conversation belongs to sales" sales \
    "$(si show "$NEWC" --json | jq -r .conversation.number)"
si_until sent "$(printf '%s' "$out" | jq -r .message)"
check_eq "and its template went from sales' number with sales' token" \
    "/$SALES_ID/messages $SALES_ID" \
    "$(simreq | jq -r '.log[-1] | "\(.path) \(.token_of)"')"
out=$(si new "+49 151 00000078" --template sales_welcome --lang en_US \
    --param Ana 2>&1)
check_eq "without --from it is the first number's, whose WABA lacks it" 1 "$?"
check_contains "refused, naming the number" "WABA of number DE" "$out"
out=$(si new "+49 151 00000078" --template sales_welcome --lang en_US \
    --param Ana --from nope 2>&1)
check_contains "an unknown label is refused" "no business number is \
labelled 'nope'" "$out"

si_stop
si_done
