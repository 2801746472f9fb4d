#!/bin/sh
# Sending: replies through the outbox against the simulator, every fault the
# simulator can inject, the 24-hour window, templates, reactions,
# attachments, read receipts, the token alarm and a restart mid-burst.
# Loopback only. Prints TAP lines.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
# Short timeouts and backoff so the faults play out in seconds.
cat >>"$T/si.conf" <<EOF
timeout = 1
retry_base_ms = 100
max_attempts = 3
template_sync_minutes = 0
EOF

# The simulator, with status webhooks back to the daemon.
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20

si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }

simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
fault() { curl -s -XPOST "$SIMURL/_sim/faults" -d "$1" >/dev/null; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
# The outbox row of message $1 as "state attempts code".
row() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) |
	    "\(.state) \(.attempts) \(.error_code // 0)"'
}
explain() {
	si outbox --json | jq -r --argjson m "$1" \
	    '.rows[] | select(.message == $m) | .explain // ""'
}
# wait_state MSG STATE...: up to ~15 s for the row to reach one of them.
wait_state() {
	_m=$1
	shift
	_j=0
	while [ $_j -lt 150 ]; do
		_s=$(row "$_m" | cut -d' ' -f1)
		for _w in "$@"; do
			[ "$_s" = "$_w" ] && return 0
		done
		sleep 0.1
		_j=$((_j + 1))
	done
	return 0
}
reply() {
	si reply "$@" --json | jq -r .message
}

inbound 491510000001 "hallo"
CONV=$(si list all --json | jq -r '.rows[0].id')
if [ "$CONV" = null ] || [ -z "$CONV" ]; then
	not_ok "the first customer message arrived through the simulator"
	sed 's/^/# sim: /' "$T/sim.err" | tail -5
	tail -5 "$T/daemon.log" | sed 's/^/# daemon: /'
	si_done
	exit 1
fi

# --- a text reply, in the shape of send-text-request ---
simreset
M=$(reply "$CONV" "Hello, how can we help?")
wait_state "$M" sent
check_eq "text reply is sent" "sent 1 0" "$(row "$M")"
B=$(simreq | jq -c '.bodies[0]')
check_eq "text body has Meta's keys" \
    '["biz_opaque_callback_data","messaging_product","recipient_type","text","to","type"]' \
    "$(echo "$B" | jq -c 'keys')"
check_eq "text body: type, to, body" \
    'text +491510000001 Hello, how can we help?' \
    "$(echo "$B" | jq -r '"\(.type) \(.to) \(.text.body)"')"
check_eq "the fixture's text request has the same key set" \
    "$(jq -c 'keys - ["recipient_type"]' \
    "$SI_FIXTURES/send-text-request.json" 2>/dev/null)" \
    "$(echo "$B" | jq -c 'del(.biz_opaque_callback_data) | keys - ["recipient_type"]')"
_j=0
while [ $_j -lt 150 ]; do
	_st=$(si show "$CONV" --json | jq -r --argjson m "$M" \
	    '.messages[] | select(.id == $m) | .status')
	[ "$_st" = read ] && break
	sleep 0.1
	_j=$((_j + 1))
done
check_eq "status webhooks move the reply to read" read "$_st"

# --- faults: final state, explanation, one accepted send each ---
# fault_case NAME SPEC WANT_STATE WANT_CODE WANT_ACCEPTED WANT_REQUESTS
fault_case() {
	simreset
	fault "$2"
	_m=$(reply "$CONV" "fault $1")
	wait_state "$_m" "$3"
	sleep 0.3
	_r=$(row "$_m")
	check_eq "$1: final state and code" "$3 $4" \
	    "$(echo "$_r" | cut -d' ' -f1,3)"
	_x=$(explain "$_m")
	if [ -n "$_x" ] || [ "$4" = 0 ]; then
		ok "$1: explained to agents${_x:+ ($_x)}"
	else
		not_ok "$1: explained to agents"
	fi
	check_eq "$1: accepted sends at the simulator" "$5" \
	    "$(simreq | jq -r .accepted)"
	check_eq "$1: requests at the simulator" "$6" \
	    "$(simreq | jq -r .total)"
}
fault_case 130429 '{"mode":"130429","count":1}' sent 0 1 2
fault_case 131056 '{"mode":"131056","count":1}' sent 0 1 2
fault_case 131047 '{"mode":"131047","count":1}' failed 131047 0 1
fault_case 131026-async '{"mode":"131026","count":1}' failed 131026 1 1
fault_case 131026-sync '{"mode":"131026-sync","count":1}' failed 131026 0 1
fault_case 500-bounded '{"mode":"500","count":-1}' failed 131000 0 3
fault_case 503 '{"mode":"503","count":1}' sent 0 1 2
fault_case slow '{"mode":"slow","count":1,"ms":300}' sent 0 1 1
fault_case drop '{"mode":"drop","count":1}' unknown -2 0 1
# The answer never comes in time; the status webhook (with our callback
# data) tells us it went: sent, and never a second request.
fault_case timeout '{"mode":"timeout","count":1,"ms":1500}' sent 0 1 1

# A send in doubt is re-sent only by hand.
simreset
fault '{"mode":"drop","count":1}'
M=$(reply "$CONV" "dropped once")
wait_state "$M" unknown
sleep 1.5
check_eq "unknown is not re-sent by itself" 1 "$(simreq | jq -r .total)"
si retry "$M" >/dev/null
wait_state "$M" sent
check_eq "retry by hand sends it" "sent 1" \
    "$(simreq | jq -r '"\(.log[-1].status == 200 | if . then "sent" else "no" end) \(.accepted)"')"
check_contains "retry is audited" "message.resend" \
    "$(sqlite3 "$T/data/support-inbox.db" 'SELECT action FROM audit')"

# --- expired token: pause, alarm, resume ---
simreset
fault '{"mode":"190","count":1}'
M=$(reply "$CONV" "after token")
token_alarm() {
	[ "$(si status --json | jq -r '.alarms[0].code')" = 190 ]
}
si_until token_alarm
check_eq "190: message waits queued" queued "$(row "$M" | cut -d' ' -f1)"
check_eq "190: alarm in status --json" "token 190" \
    "$(si status --json | jq -r '.alarms[0] | "\(.kind) \(.code)"')"
M2=$(reply "$CONV" "while paused")
sleep 0.3
check_eq "190: nothing else is sent while paused" 1 "$(simreq | jq -r .total)"
si outbox resume >/dev/null
wait_state "$M2" sent
check_eq "190: after resume both go, in order" "sent sent" \
    "$(row "$M" | cut -d' ' -f1) $(row "$M2" | cut -d' ' -f1)"
check_eq "190: alarm cleared" 0 "$(si status --json | jq '.alarms | length')"
check_eq "190: order kept" "after token|while paused" \
    "$(simreq | jq -r '. as $r | [range(0; .bodies | length) |
    select($r.log[.].status == 200) | $r.bodies[.].text.body] | join("|")')"

# --- a new token file ends the pause by itself ---
simreset
fault '{"mode":"190","count":1}'
M=$(reply "$CONV" "before the new token")
si_until token_alarm
check_eq "190 again: paused with the alarm" "queued token 190" \
    "$(row "$M" | cut -d' ' -f1) $(si status --json |
    jq -r '.alarms[0] | "\(.kind) \(.code)"')"
# The operator issues a new token (the simulator accepts it from now on).
printf 'rotated-access-token\n' >"$T/access_token"
wait_state "$M" sent
check_eq "a new token file resumes sending by itself" sent \
    "$(row "$M" | cut -d' ' -f1)"
check_eq "and clears the alarm" 0 "$(si status --json | jq '.alarms | length')"
check_eq "sent once, with the new token" 1 "$(simreq | jq -r .accepted)"

# --- refusals: nothing sent ---
simreset
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
    --body-file "$SI_FIXTURES/webhook-text.json" >/dev/null 2>&1
OLD=$(si list all --json | jq -r --argjson c "$CONV" \
    '[.rows[] | select(.id != $c)][0].id')
out=$(si reply "$OLD" "too late" 2>&1)
check_contains "window closed: free-form refused" "24 hours" "$out"
check_eq "window closed: window_left is 0" 0 \
    "$(si list all --json | jq -r --argjson c "$OLD" \
    '.rows[] | select(.id == $c) | .window_left')"
check_eq "window closed: nothing sent" 0 "$(simreq | jq -r .total)"

# collision guard: the customer wrote after the draft began
LAST=$(si show "$CONV" --json | jq -r '[.messages[] | select(.direction == "in")][-1].id')
inbound 491510000001 "one more thing"
out=$(si reply "$CONV" "answer" --after "$LAST" 2>&1)
check_contains "collision refused" "wrote again" "$out"
M=$(reply "$CONV" "answer anyway" --after "$LAST" --force)
wait_state "$M" sent
check_eq "collision with --force goes" sent "$(row "$M" | cut -d' ' -f1)"

# --- templates ---
si templates sync >/dev/null
check_eq "templates synced from the WABA" 9 \
    "$(si templates list --json | jq '.templates | length')"
simreset
M=$(reply "$OLD" --template sample_shipping_confirmation --lang en_US \
    --param 3)
wait_state "$M" sent
check_eq "template goes outside the window" sent "$(row "$M" | cut -d' ' -f1)"
check_eq "template body shape" \
    'sample_shipping_confirmation en_US body text 3' \
    "$(simreq | jq -r '.bodies[0].template | "\(.name) \(.language.code) \(.components[0].type) \(.components[0].parameters[0].type) \(.components[0].parameters[0].text)"')"
out=$(si reply "$OLD" --template sample_shipping_confirmation --lang en_US 2>&1)
check_contains "template parameter count checked" "takes 1 parameter" "$out"
out=$(si reply "$OLD" --template feedback_survey --lang en_US --param x 2>&1)
check_contains "paused template refused" "PAUSED" "$out"
out=$(si reply "$OLD" --template hello_world --lang en_US 2>&1)
check_contains "marketing template needs consent" "opt-in" "$out"
check_eq "refused templates: nothing sent" 1 "$(simreq | jq -r .total)"

# A template with an image header takes the image's link.
out=$(si reply "$OLD" --template summer_sale --lang de --param Lena \
    --param 20% 2>&1)
check_contains "an image header asks for its link" "--header-link" "$out"
out=$(si reply "$OLD" --template summer_sale --lang de --param Lena \
    --param 20% --header-link http://example.com/sale.jpg 2>&1)
check_contains "the link must be https" "https://" "$out"
out=$(si reply "$OLD" --template sample_shipping_confirmation --lang en_US \
    --param 3 --header-link https://example.com/x.jpg 2>&1)
check_contains "a link for a template without a media header is refused" \
    "no image, video or document header" "$out"
si consent set "conv:$OLD" marketing on --reason "signed up in the shop" \
    >/dev/null
simreset
M=$(reply "$OLD" --template summer_sale --lang de --param Lena --param 20% \
    --header-link https://example.com/sale.jpg)
wait_state "$M" sent
check_eq "an image-header template is sent with its link" \
    'header image https://example.com/sale.jpg body Lena' \
    "$(simreq | jq -r '.bodies[0].template.components |
    "\(.[0].type) \(.[0].parameters[0].type) \(.[0].parameters[0].image.link) \(.[1].type) \(.[1].parameters[0].text)"')"

# ... or the file itself: uploaded first, then sent by its media id.
printf '\211PNG\r\n\032\n sale banner' >"$T/sale.png"
printf 'not really a video' >"$T/sale.mp4"
out=$(si reply "$OLD" --template summer_sale --lang de --param Lena \
    --param 20% --header-file "$T/sale.mp4" 2>&1)
check_contains "a header file of the wrong type is refused" \
    "header of type image, and the file is of type video" "$out"
simreset
M=$(reply "$OLD" --template summer_sale --lang de --param Lena --param 20% \
    --header-file "$T/sale.png")
wait_state "$M" sent
check_eq "an image-header template goes with the uploaded file's media id" \
    'true null body Lena' \
    "$(simreq | jq -r '[.bodies[] | select(.type == "template")][0].template.components |
    "\(.[0].parameters[0].image.id != null) \(.[0].parameters[0].image.link) \(.[1].type) \(.[1].parameters[0].text)"')"
check_eq "one upload and one send" "1 1" \
    "$(simreq | jq -r '"\(.media.uploads) \(.total)"')"
check_contains "the thread shows the header file" '"mime_type":"image/png"' \
    "$(si show "$OLD" --json | jq -c --argjson m "$M" '.messages[] | select(.id == $m) | .body.media')"
check_eq "templates list says what each asks for" \
    '["body {{1}}","body {{2}}"] image' \
    "$(si templates list --json | jq -r '.templates[] | select(.name == "summer_sale") | "\(.params | tojson) \(.header)"')"

# --- reaction, in the shape of send-reaction-request ---
simreset
IN=$(si show "$CONV" --json | jq -r '[.messages[] | select(.direction == "in")][-1].id')
M=$(si react "$CONV" "$IN" "👍" --json | jq -r .message)
wait_state "$M" sent
check_eq "reaction body" "reaction 👍 true" \
    "$(simreq | jq -r '[.bodies[] | select(.type == "reaction")][0] |
    "\(.type) \(.reaction.emoji) \(.reaction.message_id | startswith("wamid."))"')"

# --- attachment: uploaded, then sent by media id ---
simreset
printf '\211PNG\r\n\032\n%s' "$(head -c 3000 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$T/pic.png"
M=$(reply "$CONV" --attach "$T/pic.png" --caption "the photo")
wait_state "$M" sent failed
check_eq "attachment sent" sent "$(row "$M" | cut -d' ' -f1)"
check_eq "attachment uploaded once" 1 "$(simreq | jq -r .media.uploads)"
check_eq "attachment sent by id with caption" "image true the photo" \
    "$(simreq | jq -r '.bodies[0] | "\(.type) \(.image.id != null) \(.image.caption)"')"
check_eq "no local fields leak to Meta" "" \
    "$(simreq | jq -r '.bodies[0] | keys[] | select(startswith("_"))')"
head -c 6000000 /dev/zero >"$T/big.png"
out=$(si reply "$CONV" --attach "$T/big.png" 2>&1)
check_contains "oversized image refused" "at most" "$out"
out=$(si reply "$CONV" --attach "$T/pic.png" --mime text/html 2>&1)
check_contains "unsupported type refused" "does not take" "$out"

# --- read receipt and typing indicator ---
simreset
inbound 491510000001 "are you there?"
si show "$CONV" >/dev/null
sim_sent_read() {
	[ "$(simreq | jq -r '[.bodies[] | select(.status == "read")][0].status')" = read ]
}
si_until sim_sent_read
check_eq "opening marks read" read \
    "$(simreq | jq -r '[.bodies[] | select(.status == "read")][0].status')"
simreset
si typing "$CONV" >/dev/null
sim_got_any() { [ "$(simreq | jq -r .total)" -ge 1 ]; }
si_until sim_got_any
check_eq "typing indicator sent" "read text" \
    "$(simreq | jq -r '.bodies[0] | "\(.status) \(.typing_indicator.type)"')"

# --- a restart in the middle of a burst sends each exactly once ---
simreset
for n in 2 3 4 5 6 7 8 9; do
	inbound "49151000001$n" "burst $n"
done
N=0
for c in $(si list all --limit 500 --json | jq -r --argjson o "$OLD" \
    '.rows[] | select(.id != $o and .window_left > 0) | .id'); do
	for k in 1 2 3 4 5; do
		si reply "$c" "burst $c.$k" >/dev/null && N=$((N + 1))
	done
done
si_stop
si_start
_j=0
while [ $_j -lt 100 ]; do
	q=$(si outbox --json | jq '.stats.queued + .stats.sending')
	[ "$q" = 0 ] && break
	sleep 0.1
	_j=$((_j + 1))
done
B=$(simreq)
check_eq "burst: every message accepted once across the restart" "$N" \
    "$(echo "$B" | jq -r '[.bodies[] | select(.text.body | startswith("burst"))] | length')"
check_eq "burst: no duplicate sends" "$N" \
    "$(echo "$B" | jq -r '[.bodies[] | select(.text.body | startswith("burst")) | .biz_opaque_callback_data] | unique | length')"
# The one unknown is the "drop" fault case above, nothing from the burst.
check_eq "burst: none left in doubt" 1 \
    "$(si outbox --json | jq '.stats.unknown')"

# --- nothing personal in the log ---
if grep -E '4915100000|wamid\.|Hello, how' "$T/daemon.log" >/dev/null; then
	not_ok "daemon log holds no phone, wamid or text"
else
	ok "daemon log holds no phone, wamid or text"
fi

si_done
