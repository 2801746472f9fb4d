#!/bin/sh
# The outbox checks again when a message is about to leave (issue 11.4): a
# reply waiting for an automatic retry when the contact is restricted or
# erased, a failed reply re-sent by `retry` after a restriction, and a
# failed marketing template re-sent after the customer wrote STOP never
# reach the Graph API; each is failed with the reason in plain words.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
timeout = 1
retry_base_ms = 3000
max_attempts = 20
template_sync_minutes = 0
EOF
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" \
	    '.rows[] | select(.name == $n) | .id'
}
row() {	# state attempts code of message $1's outbox row
	si outbox --json | jq -r --argjson m "$1" '.rows[] |
	    select(.message == $m) | "\(.state) \(.attempts) \(.error_code // 0)"'
}
explain() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .explain // ""'
}
is_row() {	# is_row MSG "STATE ATTEMPTS CODE"
	[ "$(row "$1")" = "$2" ]
}
waiting() {	# a failed attempt, and a retry to come
	_r=$(row "$1")
	[ "${_r%% *}" = queued ] && [ "$(echo "$_r" | cut -d' ' -f2)" -ge 1 ]
}
is_held() {	# is_held MSG CODE: failed with that code
	_r=$(row "$1")
	[ "${_r%% *}" = failed ] && [ "${_r##* }" = "$2" ]
}
reply() {
	si reply "$@" --json | jq -r .message
}

# --- 1: restricted while waiting for an automatic retry ---
inbound 491510000021 "hallo"
c1=$(conv_of 491510000021)
cid1=$(si list all --json | jq -r --argjson c "$c1" \
    '.rows[] | select(.id == $c) | .contact_id')
simreset
fault '{"mode":"503","count":-1}'
m1=$(reply "$c1" "we will call you back")
check "the first attempt fails and waits for a retry" si_until waiting "$m1"
si privacy restrict "contact:$cid1" on --reason "Art. 18 dispute" --yes \
    >/dev/null
simreset
check "the retry is held back: failed, restricted" \
    si_until is_held "$m1" -7
check_contains "the reason is said" "restricted" "$(explain "$m1")"
check_eq "the Graph API got nothing more" 0 "$(simreq | jq -r .total)"
check_contains "the message carries the reason" "restricted" \
    "$(si show "$c1" --purpose test --json 2>&1)"

# --- 2: restricted after failing, then `retry` ---
inbound 491510000022 "hallo"
c2=$(conv_of 491510000022)
cid2=$(si list all --json | jq -r --argjson c "$c2" \
    '.rows[] | select(.id == $c) | .contact_id')
fault '{"mode":"131026-sync","count":1}'
m2=$(reply "$c2" "your parcel is on its way")
check "the reply fails at Meta" si_until is_row "$m2" "failed 1 131026"
si privacy restrict "contact:$cid2" on --reason "Art. 18 dispute" --yes \
    >/dev/null
simreset
si retry "$m2" >/dev/null 2>&1
check "retry after a restriction is held back" si_until is_held "$m2" -7
check_eq "nothing reached the Graph API" 0 "$(simreq | jq -r .total)"

# --- 3: a failed marketing template, the customer writes STOP, retry ---
inbound 491510000023 "hallo"
c3=$(conv_of 491510000023)
si consent set "conv:$c3" marketing on --reason "signed up in the shop" \
    >/dev/null
fault '{"mode":"131026-sync","count":1}'
m3=$(reply "$c3" --template hello_world --lang en_US)
check "the marketing template fails at Meta" \
    si_until is_row "$m3" "failed 1 131026"
inbound 491510000023 "STOP"
check "STOP is recorded" si_until sh -c "'$SIC' -c '$T/si.conf' consent show \
    conv:$c3 | grep -qi 'marketing.*off\|opted out\|no'"
simreset
si retry "$m3" >/dev/null 2>&1
check "retry after STOP is held back" si_until is_held "$m3" -9
check_contains "the reason names the opt-in" "opt-in" "$(explain "$m3")"
check_eq "no template reached the Graph API" 0 \
    "$(simreq | jq -r '[.bodies[] | select(.type == "template")] | length')"

# --- 4: erased while waiting for an automatic retry (the erasure removes
# the row; a row left unreadable is held back as erased, code -8) ---
inbound 491510000024 "hallo"
c4=$(conv_of 491510000024)
cid4=$(si list all --json | jq -r --argjson c "$c4" \
    '.rows[] | select(.id == $c) | .contact_id')
simreset
fault '{"mode":"503","count":-1}'
m4=$(reply "$c4" "see you")
check "the first attempt fails and waits" si_until waiting "$m4"
si privacy erase "contact:$cid4" --reason "Art. 17 request" --yes >/dev/null
simreset
gone() { [ -z "$(row "$1")" ]; }
check "an erased contact's waiting reply is gone with the erasure" \
    si_until gone "$m4"
sleep 3.5	# past the retry it was waiting for
check_eq "nothing reached the Graph API" 0 "$(simreq | jq -r .total)"

# And an ordinary reply still goes.
inbound 491510000025 "hallo"
c5=$(conv_of 491510000025)
m5=$(reply "$c5" "hello")
check "an ordinary reply is sent" si_until is_row "$m5" "sent 1 0"
si_stop
si_done
