#!/bin/sh
# Issue 15: starting a conversation (conv.start, "support-inbox new")
# against the simulator. A number typed as people type it becomes a sealed
# contact and a conversation assigned to the caller, and the simulator
# receives the template from the configured number; the same customer
# typed another way is the same conversation; a marketing template needs
# recorded consent; a restricted contact is refused; a number without
# WhatsApp comes back as Meta's 131026, explained; bad numbers are refused
# with a reason that does not repeat them; audit rows; no number in clear
# in the log or the store. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

NOWA=4915199999999	# the simulator's number without WhatsApp

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
timeout = 2
retry_base_ms = 100
max_attempts = 2
template_sync_minutes = 0

[contacts]
default_country = DE
EOF
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --status-delay 20 --no-whatsapp "+49 151 99999999"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
db="$T/data/support-inbox.db"

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
# The outbox row of message $1 as "state code".
row() {
	si outbox --json | jq -r --argjson m "$1" '.rows[] |
	    select(.message == $m) | "\(.state) \(.error_code // 0)"'
}
row_is() { [ "$(row "$1" | cut -d' ' -f1)" = "$2" ]; }
# audit SEQ: conversation.start and message.send records after SEQ, as
# "action:result:detail:contact|" (details are sealed: audit export opens
# them for an admin with a purpose).
audit() { si audit export --detail --purpose "test of conv.start" |
    jq -r --argjson s "$1" 'select(.seq > $s and (.action ==
    "conversation.start" or .action == "message.send")) |
    "\(.action):\(.result):\(.detail // ""):\(.contact_id // 0)"' |
    tr '\n' '|'; }
maxseq() { sqlite3 "$db" "SELECT coalesce(max(seq), 0) FROM audit"; }
ME=$(si status --json | jq -r .me.name)

si templates sync >/dev/null
check_eq "templates synced" 9 "$(si templates list --json |
    jq '.templates | length')"

# --- a new number, typed the German way ---
simreset
S=$(maxseq)
si new "0151 2345678" --template sample_shipping_confirmation --lang en_US \
    --param 3 --json >"$T/new1.json" 2>"$T/new1.err"
check_eq "new: exit 0" 0 $?
C=$(jq -r .conversation "$T/new1.json")
M=$(jq -r .message "$T/new1.json")
CID=$(jq -r .contact_id "$T/new1.json")
check_eq "new: a new contact" true "$(jq -r .new_contact "$T/new1.json")"
check_eq "new: assigned to the caller" "$ME" "$(jq -r .assignee "$T/new1.json")"
check_eq "the conversation is the caller's (show)" "$ME" \
    "$(si show "$C" --json | jq -r .conversation.assignee)"
check_eq "it is in the caller's view" "$C" \
    "$(si list mine --json | jq -r --argjson c "$C" '.rows[] |
    select(.id == $c) | .id')"
si_until row_is "$M" sent
check_eq "the template is sent" "sent 0" "$(row "$M")"
check_eq "the simulator received it for the E.164 number, from the configured number" \
    "/106540352242922/messages +491512345678 sample_shipping_confirmation en_US 3" \
    "$(simreq | jq -r '.log[0].path + " " + (.bodies[0] | "\(.to) \(.template.name) \(.template.language.code) \(.template.components[0].parameters[0].text)")')"
check_eq "the thread shows the text the customer received" \
    "Your package has been shipped. It will be delivered in 3 business days.
This message is from an unverified business." \
    "$(si show "$C" --json | jq -r '.messages[-1].body.text')"
check_eq "the contact is found by its number (blind index)" "$CID" \
    "$(si contact show "+491512345678" --json | jq -r .contact_id)"
check_eq "and by its last digits (phone endings)" "$C" \
    "$(si call conv.find '{"q":"2345678"}' | jq -r '.rows[0].id')"
check_eq "audited: conversation.start then message.send, with the contact" \
    "conversation.start:ok:new contact, new conversation, template sample_shipping_confirmation:$CID|message.send:ok:sample_shipping_confirmation:$CID|" \
    "$(audit "$S")"

# --- the same customer typed another way: the same conversation ---
out=$(si new "+49 (151) 234-5678" --template order_update --lang de \
    --param Lena --param 4711 --json)
check_eq "another spelling: the same conversation" "$C" \
    "$(echo "$out" | jq -r .conversation)"
check_eq "another spelling: the same contact" "false $CID" \
    "$(echo "$out" | jq -r '"\(.new_contact) \(.contact_id)"')"
out=$(si new "contact:$CID" --template order_update --lang de \
    --param Lena --param 4712)
check_contains "by contact id, plain output names the conversation" \
    "conversation $C started" "$out"

# --- marketing needs recorded consent ---
simreset
S=$(maxseq)
out=$(si new "0049 151 2345678" --template hello_world --lang en_US 2>&1)
check_eq "marketing without consent: exit 1" 1 $?
check_contains "marketing without consent: refused, explained" \
    "no recorded marketing opt-in" "$out"
check_eq "marketing without consent: nothing sent" 0 "$(simreq | jq .total)"
check_eq "the refusal is audited with the contact" \
    "conversation.start:refused:no_consent:$CID|" "$(audit "$S")"
si consent set "contact:$CID" marketing on --reason "opt-in form, 2026-11-02" \
    >/dev/null
out=$(si new "0049 151 2345678" --template hello_world --lang en_US --json)
check_eq "marketing after consent set: queued" queued \
    "$(echo "$out" | jq -r .state)"
M2=$(echo "$out" | jq -r .message)
si_until row_is "$M2" sent
check_eq "marketing after consent set: sent" "sent 0" "$(row "$M2")"
out=$(si new "0152 7654321" --template hello_world --lang en_US 2>&1)
check_contains "marketing to a number never seen: refused" \
    "no recorded marketing opt-in" "$out"
check_eq "... and no contact was created for it" "" \
    "$(si contact show "+491527654321" --json 2>/dev/null | jq -r .contact_id)"

# --- a restricted contact ---
out=$(si new "0151 3333333" --template sample_shipping_confirmation \
    --lang en_US --param 2 --json)
RC=$(echo "$out" | jq -r .contact_id)
si privacy restrict "contact:$RC" on --reason "Art. 18 dispute" --yes \
    >/dev/null
simreset
S=$(maxseq)
out=$(si new "+491513333333" --template sample_shipping_confirmation \
    --lang en_US --param 2 2>&1)
check_eq "restricted: exit 1" 1 $?
check_contains "restricted: refused, explained" "restricted" "$out"
check_eq "restricted: nothing sent" 0 "$(simreq | jq .total)"
check_eq "restricted: audited" \
    "conversation.start:refused:restricted:$RC|" "$(audit "$S")"

# --- a number without WhatsApp ---
out=$(si new "0151 99999999" --template sample_shipping_confirmation \
    --lang en_US --param 1 --json)
M3=$(echo "$out" | jq -r .message)
C3=$(echo "$out" | jq -r .conversation)
si_until row_is "$M3" failed
check_eq "no WhatsApp: the send fails with Meta's 131026" "failed 131026" \
    "$(row "$M3")"
check_contains "no WhatsApp: explained in plain words" "not on WhatsApp" \
    "$(si outbox --json | jq -r --argjson m "$M3" '.rows[] |
    select(.message == $m) | .explain')"
check_contains "no WhatsApp: the conversation shows it failed" "failed" \
    "$(si show "$C3" --json | jq -r '.messages[-1].status')"

# --- bad numbers ---
bad() {
	out=$(si new "$1" --template sample_shipping_confirmation \
	    --lang en_US --param 1 2>&1)
	_rc=$?
	check_eq "'$1': exit 1" 1 "$_rc"
	check_contains "'$1': $2" "$2" "$out"
	case "$out" in
	*"$3"*) not_ok "'$1': the error repeats the digits" ;;
	*) ok "'$1': the error does not repeat the digits" ;;
	esac
}
bad "0151 CALL ME" "letters in a phone number" 0151
bad "+28 1234 5678" "unknown country calling code" 12345678
bad "030 12" "too short for Germany (+49)" 3012
bad "0151 234567" "too short for a mobile number in Germany (+49)" 151234567
bad "+1 112 555 0123" "not a North American number" 5550123
bad "" "no phone number" "zz"
out=$(si new "0151 2345678" --template feedback_survey --lang en_US \
    --param x 2>&1)
check_contains "a paused template is refused" "PAUSED" "$out"
out=$(si call conv.start '{"number":"0151 2345678","contact":1,"template":"hello_world","lang":"en_US"}' 2>&1)
check_contains "number and contact together are refused" "one of them" "$out"
out=$(si call conv.start '{"number":"0151 2345678","text":"hi"}' 2>&1)
check_contains "a free-form text cannot start a conversation" \
    "approved template" "$out"

# --- a team instead of the caller ---
out=$(si new "0151 4444444" --template sample_shipping_confirmation \
    --lang en_US --param 1 --team sales --json)
check_eq "--team: the team, nobody assigned" "sales null" \
    "$(echo "$out" | jq -r '"\(.team) \(.assignee)"')"

# --- nothing in clear ---
check "the log has no number in clear" sh -c \
    "! grep -E '2345678|3333333|99999999|4444444' '$T/daemon.log'"
check "the audit log has no number in clear" sh -c "! sqlite3 '$db' \
    \"SELECT * FROM audit\" | grep -E '2345678|3333333|99999999|4444444'"
check "the store has no number in clear" sh -c \
    "! grep -rlaE '1512345678|1513333333' '$T/data'"

# --- an unknown default country is a configuration error ---
sed 's/^default_country = DE$/default_country = XX/' "$T/si.conf" \
    >"$T/bad.conf"
timeout 10 "$SID" -c "$T/bad.conf" >"$T/bad.out" 2>"$T/bad.err"
check_eq "default_country = XX: the daemon refuses to start" 1 $?
check_contains "... naming the key and what it expects" \
    "[contacts] default_country expects a two-letter country code" \
    "$(cat "$T/bad.err")"

si_stop
si_done
