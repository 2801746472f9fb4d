#!/bin/sh
# Integration tests of support-inbox-sim: "post" against "sink", and the
# Graph endpoints of "serve". Loopback only. Prints TAP lines.
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${SI_BUILD:-$top/build}
sim=$build/support-inbox-sim
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-sim.XXXXXX")
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {
	echo "ok - $1"
}

notok() {
	echo "not ok - $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
}

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		notok "$1" "got '$2'" "want '$3'"
	fi
}

# jv PATH < json: one value, via the simulator's own JSON helper
jv() {
	"$sim" json "$1"
}

# start NAME COMMAND...: run in the background, wait for the port line.
# Sets $port and ${NAME}_pid.
start() {
	name=$1
	shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	eval "${name}_pid=$!"
	pids="$pids $!"
	i=0
	while [ ! -s "$tmp/$name.out" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			notok "$name starts" "$(cat "$tmp/$name.err")"
			exit 1
		fi
		sleep 0.05
	done
	port=$(head -n 1 "$tmp/$name.out")
}

# stop NAME: SIGTERM, and the exit status must be 0 (sanitizers report
# leaks through it)
stop() {
	eval "p=\$${1}_pid"
	kill "$p"
	wait "$p"
	rc=$?
	is "$1 exits cleanly on SIGTERM" "$rc" 0
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/$1.err" | tail -30
}

# a port with nobody listening on it (yet)
free_port() {
	start probe "$sim" sink --listen 127.0.0.1:0 --secret-file "$secret"
	kill "$probe_pid"
	wait "$probe_pid" 2>/dev/null
	echo "$port"
}

secret=$tmp/app-secret
(umask 077 && printf 'sim-test-app-secret-4f1c\n' >"$secret")

if [ ! -x "$sim" ]; then
	notok "simulator is built" "no $sim"
	exit 1
fi

# --- post against sink -------------------------------------------------

start sink "$sim" sink --listen 127.0.0.1:0 --secret-file "$secret" \
    --out "$tmp/bodies.jsonl"
sinkport=$port
hook=http://127.0.0.1:$sinkport/webhook
case $sinkport in
[1-9]*) ok "sink prints its port first" ;;
*) notok "sink prints its port first" "got '$sinkport'" ;;
esac

"$sim" post --url "$hook" --secret-file "$secret" --count 300 \
    --concurrency 6 --acked "$tmp/acked" --seed 42 >"$tmp/post.json"
is "post_exits_0" "$?" 0
is "post_all_events_acknowledged" "$(jv .acked <"$tmp/post.json")" 300
is "post_sent_counts_events" "$(jv .sent <"$tmp/post.json")" 300
is "post_status_counts_200s" "$(jv .status.200 <"$tmp/post.json")" 300
is "post_no_transport_errors" "$(jv .errors <"$tmp/post.json")" 0
for k in seconds rate latency_ms.p50 latency_ms.p90 latency_ms.p99 \
    latency_ms.max; do
	jv ".$k" <"$tmp/post.json" >/dev/null ||
	    notok "post_summary_has_$k" "$(cat "$tmp/post.json")"
done
ok "post_summary_has_all_fields"
is "post_summary_is_one_line" "$(wc -l <"$tmp/post.json" | tr -d ' ')" 1

is "acked_file_has_a_line_per_ack" "$(wc -l <"$tmp/acked" | tr -d ' ')" 300
is "acked_wamids_are_unique" "$(sort -u "$tmp/acked" | wc -l | tr -d ' ')" 300
is "acked_wamids_look_real" \
    "$(grep -c '^wamid\.HBg[A-Za-z0-9+/]*=*$' "$tmp/acked")" 300

curl -s "http://127.0.0.1:$sinkport/_sim/requests" >"$tmp/sink.json"
is "sink_counted_every_message" "$(jv .messages <"$tmp/sink.json")" 300
is "sink_saw_unique_wamids" "$(jv .unique_wamids <"$tmp/sink.json")" 300
is "sink_saw_no_bad_signature" "$(jv .bad_signature <"$tmp/sink.json")" 0
sort "$tmp/acked" >"$tmp/acked.sorted"
grep -o '"id":"wamid[^"]*"' "$tmp/bodies.jsonl" | cut -d'"' -f4 | sort \
    >"$tmp/received.sorted"
if cmp -s "$tmp/acked.sorted" "$tmp/received.sorted"; then
	ok "acked_file_matches_what_the_receiver_kept"
else
	notok "acked_file_matches_what_the_receiver_kept"
fi

# The body shape of tests/fixtures/whatsapp/webhook-text.json.
jv .bodies.0 <"$tmp/sink.json" >"$tmp/one.json"
is "webhook_object" "$(jv .object <"$tmp/one.json")" whatsapp_business_account
is "webhook_field_is_messages" "$(jv .entry.0.changes.0.field <"$tmp/one.json")" \
    messages
v=.entry.0.changes.0.value
is "webhook_messaging_product" "$(jv $v.messaging_product <"$tmp/one.json")" \
    whatsapp
jv $v.metadata.phone_number_id <"$tmp/one.json" >/dev/null &&
    ok "webhook_has_phone_number_id" ||
    notok "webhook_has_phone_number_id"
is "webhook_contact_wa_id_is_sender" "$(jv $v.contacts.0.wa_id <"$tmp/one.json")" \
    "$(jv $v.messages.0.from <"$tmp/one.json")"
jv $v.contacts.0.profile.name <"$tmp/one.json" >/dev/null &&
    ok "webhook_contact_has_profile_name" ||
    notok "webhook_contact_has_profile_name"
is "webhook_message_type_text" "$(jv $v.messages.0.type <"$tmp/one.json")" text
case $(jv $v.messages.0.timestamp <"$tmp/one.json") in
*[!0-9]* | "") notok "webhook_timestamp_is_a_digit_string" ;;
*) grep -q '"timestamp":"[0-9]*"' "$tmp/one.json" &&
    ok "webhook_timestamp_is_a_digit_string" ||
    notok "webhook_timestamp_is_a_digit_string" ;;
esac
jv $v.messages.0.text.body <"$tmp/one.json" >/dev/null &&
    ok "webhook_has_text_body" || notok "webhook_has_text_body"
is "webhook_one_message_per_post" "$(jv $v.messages# <"$tmp/one.json")" 1

# Meta's wire form: \u escapes in lowercase hex, surrogate pairs, "\/".
grep -q '\\u00[e-f][0-9a-f]' "$tmp/bodies.jsonl" &&
    ok "bodies_escape_umlauts_lowercase" ||
    notok "bodies_escape_umlauts_lowercase"
grep -q '\\ud83[c-f]\\ud[c-f][0-9a-f][0-9a-f]' "$tmp/bodies.jsonl" &&
    ok "bodies_escape_emoji_as_surrogate_pairs" ||
    notok "bodies_escape_emoji_as_surrogate_pairs"
if grep -q '\\u[0-9a-fA-F]\{0,3\}[A-F]' "$tmp/bodies.jsonl"; then
	notok "bodies_have_no_uppercase_hex_escapes"
else
	ok "bodies_have_no_uppercase_hex_escapes"
fi
grep -q '\\/' "$tmp/bodies.jsonl" && ok "bodies_escape_slashes" ||
    notok "bodies_escape_slashes"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/bodies.jsonl"; then
	notok "bodies_are_pure_ascii"
else
	ok "bodies_are_pure_ascii"
fi
n=$(grep -o '"wa_id":"[0-9]*"' "$tmp/bodies.jsonl" | sort -u | wc -l)
[ "$n" -ge 20 ] && [ "$n" -le 50 ] && ok "about_fifty_customers" ||
    notok "about_fifty_customers" "$n distinct senders"

# Determinism: the same seed gives the same wamids; a prefix changes them.
"$sim" post --url "$hook" --secret-file "$secret" --count 300 \
    --concurrency 3 --acked "$tmp/acked2" --seed 42 >/dev/null
sort "$tmp/acked2" >"$tmp/acked2.sorted"
cmp -s "$tmp/acked.sorted" "$tmp/acked2.sorted" &&
    ok "same_seed_gives_same_wamids" || notok "same_seed_gives_same_wamids"
"$sim" post --url "$hook" --secret-file "$secret" --count 300 \
    --acked "$tmp/acked3" --seed 42 --prefix run2 >/dev/null
is "prefix_makes_wamids_new" \
    "$(sort "$tmp/acked" "$tmp/acked3" | uniq -d | wc -l | tr -d ' ')" 0

# Signatures the receiver must refuse.
curl -s -X POST "http://127.0.0.1:$sinkport/_sim/reset" >/dev/null
"$sim" post --url "$hook" --secret-file "$secret" --count 7 --sig bad \
    --acked "$tmp/acked-bad" >"$tmp/post.json"
is "bad_signature_gets_401" "$(jv .status.401 <"$tmp/post.json")" 7
is "bad_signature_is_not_acked" "$(jv .acked <"$tmp/post.json")" 0
is "bad_signature_is_not_retried" "$(jv .requests <"$tmp/post.json")" 7
[ ! -s "$tmp/acked-bad" ] && ok "bad_signature_leaves_acked_file_empty" ||
    notok "bad_signature_leaves_acked_file_empty"
"$sim" post --url "$hook" --secret-file "$secret" --count 3 --sig none \
    >"$tmp/post.json"
is "missing_signature_gets_401" "$(jv .status.401 <"$tmp/post.json")" 3
curl -s "http://127.0.0.1:$sinkport/_sim/requests" >"$tmp/sink.json"
is "sink_counts_bad_signatures" "$(jv .bad_signature <"$tmp/sink.json")" 10
is "sink_keeps_no_unsigned_message" "$(jv .messages <"$tmp/sink.json")" 0

# Like Meta: a 5xx is delivered again until acknowledged.
curl -s -X POST -d '{"count":4,"status":503}' \
    "http://127.0.0.1:$sinkport/_sim/fail" >/dev/null
"$sim" post --url "$hook" --secret-file "$secret" --count 20 \
    --concurrency 2 --acked "$tmp/acked-503" >"$tmp/post.json"
is "retry_after_503_acks_all" "$(jv .acked <"$tmp/post.json")" 20
is "retry_after_503_counts_503s" "$(jv .status.503 <"$tmp/post.json")" 4
is "retry_after_503_acked_file_exact" \
    "$(sort -u "$tmp/acked-503" | wc -l | tr -d ' ')" 20
curl -s -X POST -d '{"count":4,"status":500}' \
    "http://127.0.0.1:$sinkport/_sim/fail" >/dev/null
"$sim" post --url "$hook" --secret-file "$secret" --count 20 \
    --concurrency 2 --no-retry >"$tmp/post.json"
is "no_retry_gives_up_on_500" "$(jv .acked <"$tmp/post.json")" 16
is "no_retry_reports_unacked" "$(jv .unacked <"$tmp/post.json")" 4

# --body-file: one signed POST of exact bytes, answer on stdout.
printf '{"object":"whatsapp_business_account","entry":[]}' >"$tmp/body"
"$sim" post --url "$hook" --secret-file "$secret" --body-file "$tmp/body" \
    >"$tmp/bf.out"
is "body_file_exits_0_on_response" "$?" 0
is "body_file_prints_status" "$(head -n 1 "$tmp/bf.out")" 200
is "body_file_prints_body" "$(sed -n 2p "$tmp/bf.out")" '{"success":true}'
"$sim" post --url "$hook" --secret-file "$secret" --body-file "$tmp/body" \
    --sig bad >"$tmp/bf.out"
is "body_file_bad_sig_prints_401" "$(head -n 1 "$tmp/bf.out")" 401

# Paced posting still delivers everything (no timing asserted).
"$sim" post --url "$hook" --secret-file "$secret" --count 30 --rate 300 \
    --acked "$tmp/acked-rate" >"$tmp/post.json"
is "paced_post_acks_all" "$(jv .acked <"$tmp/post.json")" 30

stop sink

# A receiver that is down: connection refused, retried every 50 ms until
# it comes up (within --duration).
dead=$(free_port)
"$sim" post --url "http://127.0.0.1:$dead/webhook" --secret-file "$secret" \
    --count 10 --concurrency 2 --acked "$tmp/acked-late" --duration 20 \
    >"$tmp/post-late.json" &
postpid=$!
pids="$pids $postpid"
sleep 0.4
start late "$sim" sink --listen "127.0.0.1:$dead" --secret-file "$secret"
wait "$postpid"
is "refused_then_up_acks_all" "$(jv .acked <"$tmp/post-late.json")" 10
e=$(jv .errors <"$tmp/post-late.json")
[ "$e" -gt 0 ] && ok "refused_connections_counted_as_errors" ||
    notok "refused_connections_counted_as_errors" "$e"
is "refused_then_up_acked_file_exact" \
    "$(sort -u "$tmp/acked-late" | wc -l | tr -d ' ')" 10
stop late

"$sim" post --url "http://127.0.0.1:$dead/webhook" --secret-file "$secret" \
    --count 5 --duration 0.3 >"$tmp/post.json"
is "duration_bounds_retries" "$(jv .acked <"$tmp/post.json")" 0
"$sim" post --url "http://127.0.0.1:$dead/webhook" --secret-file "$secret" \
    --body-file "$tmp/body" >/dev/null 2>&1
[ $? -ne 0 ] && ok "body_file_fails_without_response" ||
    notok "body_file_fails_without_response"
"$sim" post --url "http://192.0.2.1/webhook" --secret-file "$secret" \
    --count 1 >/dev/null 2>"$tmp/err"
[ $? -ne 0 ] && grep -q loopback "$tmp/err" &&
    ok "refuses_non_loopback_urls" || notok "refuses_non_loopback_urls"

# --- serve: the Graph endpoints ------------------------------------------

fx=${SI_FIXTURES:-$top/tests/fixtures/whatsapp}
token=$tmp/token
(umask 077 && printf 'EAAsimtoken0123456789\n' >"$token")
auth="Authorization: Bearer EAAsimtoken0123456789"

# waitfor SECONDS COMMAND...: poll until the command succeeds
waitfor() {
	w=$(($1 * 20))
	shift
	while ! "$@"; do
		w=$((w - 1))
		[ $w -le 0 ] && return 1
		sleep 0.05
	done
	return 0
}

start hooks "$sim" sink --listen 127.0.0.1:0 --secret-file "$secret" \
    --out "$tmp/hooks.jsonl"
hookport=$port
start serve "$sim" serve --listen 127.0.0.1:0 --token-file "$token" \
    --secret-file "$secret" --webhook "http://127.0.0.1:$hookport/webhook" \
    --state "$tmp/state.jsonl" --status-delay 10
g=http://127.0.0.1:$port
msgs=$g/v24.0/106540352242922/messages

# gpost URL FILE|-: POST JSON with the token; body to $tmp/r, status to $code
gpost() {
	code=$(curl -s -o "$tmp/r" -w '%{http_code}' -X POST \
	    -H "$auth" -H 'Content-Type: application/json' \
	    --data-binary "@$2" "$1")
}

# gsend JSON: POST a send body given inline
gsend() {
	printf '%s' "$1" >"$tmp/req"
	gpost "$msgs" "$tmp/req"
}

code=$(curl -s -o "$tmp/r" -w '%{http_code}' -X POST \
    --data-binary "@$fx/send-text-request.json" "$msgs")
is "graph_without_token_is_401" "$code" 401
is "graph_without_token_code_190" "$(jv .error.code <"$tmp/r")" 190
is "graph_without_token_type" "$(jv .error.type <"$tmp/r")" OAuthException
jv .error.fbtrace_id <"$tmp/r" >/dev/null && ok "graph_error_has_fbtrace_id" ||
    notok "graph_error_has_fbtrace_id"
code=$(curl -s -o "$tmp/r" -w '%{http_code}' -X POST \
    -H 'Authorization: Bearer wrong' \
    --data-binary "@$fx/send-text-request.json" "$msgs")
is "graph_wrong_token_is_401" "$code" 401
is "graph_wrong_token_code_190" "$(jv .error.code <"$tmp/r")" 190
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' \
    "$g/v24.0/102290129340398/message_templates")
is "templates_need_the_token" "$code" 401

gpost "$msgs" "$fx/send-text-request.json"
is "send_text_is_200" "$code" 200
is "send_text_messaging_product" "$(jv .messaging_product <"$tmp/r")" whatsapp
is "send_text_contact_wa_id" "$(jv .contacts.0.wa_id <"$tmp/r")" 12025550147
is "send_text_contact_input" "$(jv .contacts.0.input <"$tmp/r")" 12025550147
wamid=$(jv .messages.0.id <"$tmp/r")
case $wamid in
wamid.HBg*) ok "send_text_returns_a_wamid" ;;
*) notok "send_text_returns_a_wamid" "$wamid" ;;
esac
is "send_response_has_one_message" "$(jv .messages# <"$tmp/r")" 1

gsend '{"messaging_product":"whatsapp","to":"+49 151 1234-5678","type":"text","text":{"body":"Hallo"}}'
is "send_plus_number_wa_id_is_digits" "$(jv .contacts.0.wa_id <"$tmp/r")" \
    4915112345678
is "send_plus_number_input_kept" "$(jv .contacts.0.input <"$tmp/r")" \
    "+49 151 1234-5678"

# Some client libraries send "to" as a JSON number; the API takes it.
gsend '{"messaging_product":"whatsapp","to":12025550147,"recipient_type":"individual","type":"text","text":{"body":"hi"}}'
is "send_numeric_to_is_200" "$code" 200
is "send_numeric_to_input" "$(jv .contacts.0.input <"$tmp/r")" 12025550147

n=0
bad=""
for f in "$fx"/send-*-request.json; do
	case $f in *unknown-phone*) continue ;; esac
	gpost "$msgs" "$f"
	if [ "$code" = 200 ] && jv .messages.0.id <"$tmp/r" >/dev/null; then
		n=$((n + 1))
	else
		bad="$bad $(basename "$f"):$code"
	fi
done
[ -z "$bad" ] && [ "$n" -ge 14 ] && ok "every_fixture_send_body_is_accepted" ||
    notok "every_fixture_send_body_is_accepted" "$bad"
jv .messages.0.message_status <"$tmp/r" >/dev/null
gpost "$msgs" "$fx/send-template-request.json"
is "template_send_is_accepted_status" \
    "$(jv .messages.0.message_status <"$tmp/r")" accepted

# Mark as read and typing.
gpost "$msgs" "$fx/mark-read-invalid-id-request.json"
is "mark_read_bad_id_is_400" "$code" 400
is "mark_read_bad_id_code_100" "$(jv .error.code <"$tmp/r")" 100
is "mark_read_bad_id_details" "$(jv .error.error_data.details <"$tmp/r")" \
    "Please check the message ID you have provided."
gsend "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"$wamid\"}"
is "mark_read_outgoing_is_400" "$code" 400
case $(jv .error.error_data.details <"$tmp/r") in
*"is outgoing"*) ok "mark_read_outgoing_says_outgoing" ;;
*) notok "mark_read_outgoing_says_outgoing" ;;
esac
gpost "$msgs" "$fx/mark-read-typing-indicator-request.json"
is "typing_indicator_is_200" "$code" 200
is "typing_indicator_success" "$(jv .success <"$tmp/r")" true
gsend '{"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQzQUE5MkQ5MUIwRENBOTc2OTQwOAA="}'
is "mark_read_incoming_success" "$(jv .success <"$tmp/r")" true

# Request shapes the Cloud API refuses, with code 100 and friends.
gsend '{"to":"4915112345678","type":"text","text":{"body":"x"}}'
is "missing_messaging_product_is_400" "$code" 400
is "missing_messaging_product_code_100" "$(jv .error.code <"$tmp/r")" 100
gsend '{"messaging_product":"sms","to":"4915112345678","text":{"body":"x"}}'
is "wrong_messaging_product_code_100" "$(jv .error.code <"$tmp/r")" 100
gsend '{"messaging_product":"whatsapp","type":"text","text":{"body":"x"}}'
is "missing_to_code_100" "$(jv .error.code <"$tmp/r")" 100
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"image","text":{"body":"x"}}'
is "type_without_its_object_is_400" "$code" 400
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"hologram","hologram":{}}'
is "unknown_type_code_100" "$(jv .error.code <"$tmp/r")" 100
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{}}'
is "text_without_body_code_100" "$(jv .error.code <"$tmp/r")" 100
gsend '{"messaging_product":"whatsapp",'
is "broken_json_is_400" "$code" 400
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"image","image":{"id":"1","link":"https://example.com/a.png"}}'
is "media_with_id_and_link_is_400" "$code" 400
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"no_such","language":{"code":"en_US"}}}'
is "unknown_template_is_404" "$code" 404
is "unknown_template_code_132001" "$(jv .error.code <"$tmp/r")" 132001
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"feedback_survey","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Lena"}]}]}}'
is "paused_template_code_132015" "$(jv .error.code <"$tmp/r")" 132015
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"order_update","language":{"code":"de"},"components":[{"type":"body","parameters":[{"type":"text","text":"Lena"}]}]}}'
is "template_param_count_code_132000" "$(jv .error.code <"$tmp/r")" 132000
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"black_friday_blast","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"50%"}]}]}}'
is "rejected_template_code_132001" "$(jv .error.code <"$tmp/r")" 132001
gsend '{"messaging_product":"whatsapp","to":"4915112345678","type":"interactive","interactive":{"type":"button","body":{"text":"?"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}},{"type":"reply","reply":{"id":"b","title":"B"}},{"type":"reply","reply":{"id":"c","title":"C"}},{"type":"reply","reply":{"id":"d","title":"D"}}]}}}'
is "four_buttons_code_131009" "$(jv .error.code <"$tmp/r")" 131009

# Faults set through the control endpoint.
# fault MODE COUNT: set it; then each gsend consumes one
fault() {
	curl -s -o "$tmp/f" -X POST -d "{\"mode\":\"$1\",\"count\":$2}" \
	    "$g/_sim/faults"
}
text='{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{"body":"Hallo"}}'
fault 130429 2
gsend "$text"
is "fault_130429_is_http_400" "$code" 400
is "fault_130429_code" "$(jv .error.code <"$tmp/r")" 130429
is "fault_130429_subcode" "$(jv .error.error_subcode <"$tmp/r")" 2494055
is "fault_130429_message" "$(jv .error.message <"$tmp/r")" \
    "(#130429) Rate limit hit"
is "fault_130429_details" "$(jv .error.error_data.details <"$tmp/r")" \
    "Cloud API message throughput has been reached."
gsend "$text"
is "fault_count_2_fails_twice" "$code" 400
gsend "$text"
is "fault_count_then_ok" "$code" 200
fault 131056 1
gsend "$text"
is "fault_131056_code" "$(jv .error.code <"$tmp/r")/$code" 131056/400
fault 131047 1
gsend "$text"
is "fault_131047_code" "$(jv .error.code <"$tmp/r")/$code" 131047/400
is "fault_131047_message" "$(jv .error.message <"$tmp/r")" \
    "(#131047) Re-engagement message"
curl -s -o "$tmp/f" -X POST -d '{"mode":"131026-sync","count":1}' "$g/_sim/faults"
gsend "$text"
is "fault_131026_sync_code" "$(jv .error.code <"$tmp/r")/$code" 131026/400
fault 190 1
gsend "$text"
is "fault_190_is_401" "$code" 401
is "fault_190_code_and_subcode" \
    "$(jv .error.code <"$tmp/r")/$(jv .error.error_subcode <"$tmp/r")" 190/463
fault 500 1
gsend "$text"
is "fault_500_is_http_500" "$code" 500
is "fault_500_code" "$(jv .error.code <"$tmp/r")" 131000
fault 503 1
gsend "$text"
is "fault_503_is_http_503" "$code" 503
is "fault_503_is_transient" "$(jv .error.is_transient <"$tmp/r")" true
curl -s -X POST -d '{"mode":"slow","count":1,"ms":200}' "$g/_sim/faults" \
    >/dev/null
gsend "$text"
is "fault_slow_still_answers" "$code" 200
fault drop 1
curl -s -o /dev/null -X POST -H "$auth" --data-binary "$text" "$msgs"
is "fault_drop_closes_without_answer" "$?" 52
fault timeout 1
curl -s -o /dev/null -m 1 -X POST -H "$auth" --data-binary "$text" "$msgs"
is "fault_timeout_holds_the_request" "$?" 28
gsend "$text"
is "after_faults_sends_succeed" "$code" 200
curl -s -X POST -d '{"mode":"nonsense"}' -o "$tmp/f" -w '%{http_code}' \
    "$g/_sim/faults" >"$tmp/c"
is "unknown_fault_mode_is_400" "$(cat "$tmp/c")" 400

# 131026 the way Meta reports it: 200, then a failed status webhook.
fault 131026 1
gsend "$text"
is "fault_131026_async_send_is_200" "$code" 200
failed=$(jv .messages.0.id <"$tmp/r")
has_failed() {
	grep "\"$failed\"" "$tmp/hooks.jsonl" 2>/dev/null | grep -q '"failed"'
}
waitfor 5 has_failed && ok "fault_131026_async_posts_failed_status" ||
    notok "fault_131026_async_posts_failed_status"
grep "\"$failed\"" "$tmp/hooks.jsonl" | head -n 1 >"$tmp/fs.json"
is "failed_status_error_code" \
    "$(jv .entry.0.changes.0.value.statuses.0.errors.0.code <"$tmp/fs.json")" \
    131026
is "failed_status_error_title" \
    "$(jv .entry.0.changes.0.value.statuses.0.errors.0.title <"$tmp/fs.json")" \
    "Message undeliverable"

# Status webhooks: sent, delivered, read, in that order, signed.
gsend "$text"
sw=$(jv .messages.0.id <"$tmp/r")
has_read() {
	grep "\"$sw\"" "$tmp/hooks.jsonl" 2>/dev/null | grep -q '"read"'
}
waitfor 5 has_read && ok "status_webhooks_arrive" ||
    notok "status_webhooks_arrive"
is "status_webhooks_in_order" "$(grep "\"$sw\"" "$tmp/hooks.jsonl" |
    grep -o '"status":"[a-z]*"' | tr '\n' ' ')" \
    '"status":"sent" "status":"delivered" "status":"read" '
grep "\"$sw\"" "$tmp/hooks.jsonl" | head -n 1 >"$tmp/st.json"
v=.entry.0.changes.0.value
is "status_webhook_field" "$(jv .entry.0.changes.0.field <"$tmp/st.json")" \
    messages
is "status_webhook_phone_number_id" \
    "$(jv $v.metadata.phone_number_id <"$tmp/st.json")" 106540352242922
is "status_webhook_recipient" "$(jv $v.statuses.0.recipient_id <"$tmp/st.json")" \
    4915112345678
is "status_webhook_pricing_model" \
    "$(jv $v.statuses.0.pricing.pricing_model <"$tmp/st.json")" PMP
jv $v.statuses.0.conversation.id <"$tmp/st.json" >/dev/null &&
    ok "status_webhook_has_conversation" ||
    notok "status_webhook_has_conversation"
curl -s "http://127.0.0.1:$hookport/_sim/requests" >"$tmp/h.json"
is "status_webhooks_are_signed" "$(jv .bad_signature <"$tmp/h.json")" 0

# Inbound customer messages on demand.
curl -s -o "$tmp/r" -X POST \
    -d '{"from":"4915112345678","name":"Lena Schäfer","text":"Grüße 😮 a/b","wait":true}' \
    "$g/_sim/inbound"
is "inbound_is_delivered" "$(jv .delivered <"$tmp/r")" true
in=$(jv .id <"$tmp/r")
grep "\"$in\"" "$tmp/hooks.jsonl" | head -n 1 >"$tmp/in.json"
is "inbound_webhook_from" "$(jv $v.messages.0.from <"$tmp/in.json")" \
    4915112345678
is "inbound_webhook_name" "$(jv $v.contacts.0.profile.name <"$tmp/in.json")" \
    "Lena Schäfer"
is "inbound_webhook_text" "$(jv $v.messages.0.text.body <"$tmp/in.json")" \
    "Grüße 😮 a/b"
grep -q 'Gr\\u00fc\\u00dfe \\ud83d\\ude2e a\\/b' "$tmp/in.json" &&
    ok "inbound_webhook_is_meta_escaped" ||
    notok "inbound_webhook_is_meta_escaped"

# What the simulator saw.
curl -s "$g/_sim/requests" >"$tmp/q.json"
t=$(jv .total <"$tmp/q.json")
[ "$t" -ge 40 ] && ok "requests_counts_sends" || notok "requests_counts_sends" "$t"
n=$(jv .bodies# <"$tmp/q.json")
is "requests_keeps_every_body" "$n" "$t"
is "requests_last_body_is_the_last_send" \
    "$(jv .bodies.$((n - 1)).text.body <"$tmp/q.json")" Hallo
is "requests_counts_drops" "$(jv .dropped <"$tmp/q.json")" 1
jv .types.read <"$tmp/q.json" >/dev/null && ok "requests_counts_mark_read" ||
    notok "requests_counts_mark_read"
is "requests_counts_typing" "$(jv .types.typing <"$tmp/q.json")" 1
a=$(jv .accepted <"$tmp/q.json")
r=$(grep -c wamid "$tmp/state.jsonl")
# the typing indicator and the mark-as-read are accepted but send nothing
is "state_journal_has_every_accepted_send" "$r" $((a - 2))
curl -s -X POST "$g/_sim/reset" >/dev/null
curl -s "$g/_sim/requests" >"$tmp/q.json"
is "reset_clears_counters" "$(jv .total <"$tmp/q.json")/$(jv .bodies# <"$tmp/q.json")" 0/0
gsend "$text"
gsend "$text"
curl -s "$g/_sim/requests" >"$tmp/q.json"
is "requests_count_exactly_the_sends" "$(jv .total <"$tmp/q.json")" 2
is "requests_count_per_type" "$(jv .types.text <"$tmp/q.json")" 2

# Media: upload, look up, download with the token, delete.
head -c 5000 /dev/urandom >"$tmp/pic.png"
curl -s -o "$tmp/r" -X POST -H "$auth" -F messaging_product=whatsapp \
    -F type=image/png -F "file=@$tmp/pic.png;type=image/png" \
    "$g/v24.0/106540352242922/media"
mid=$(jv .id <"$tmp/r")
case $mid in
[1-9]*) ok "media_upload_returns_an_id" ;;
*) notok "media_upload_returns_an_id" "$(cat "$tmp/r")" ;;
esac
curl -s -o "$tmp/r" -H "$auth" "$g/v24.0/$mid"
is "media_lookup_id" "$(jv .id <"$tmp/r")" "$mid"
is "media_lookup_mime" "$(jv .mime_type <"$tmp/r")" image/png
is "media_lookup_size" "$(jv .file_size <"$tmp/r")" 5000
is "media_lookup_sha256_is_hex" "$(jv .sha256 <"$tmp/r")" \
    "$(sha256sum "$tmp/pic.png" | cut -d' ' -f1)"
is "media_lookup_product" "$(jv .messaging_product <"$tmp/r")" whatsapp
grep -q '"url":"http:\\/\\/127.0.0.1' "$tmp/r" &&
    ok "media_url_escapes_slashes" || notok "media_url_escapes_slashes"
url=$(jv .url <"$tmp/r")
code=$(curl -s -o "$tmp/dl" -w '%{http_code}' -H "$auth" "$url")
is "media_download_is_200" "$code" 200
cmp -s "$tmp/pic.png" "$tmp/dl" && ok "media_round_trip_is_exact" ||
    notok "media_round_trip_is_exact"
is "media_download_needs_token" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$url")" 401
curl -s -o "$tmp/r" -X DELETE -H "$auth" "$g/v24.0/$mid"
is "media_delete_success" "$(jv .success <"$tmp/r")" true
code=$(curl -s -o "$tmp/r" -w '%{http_code}' -H "$auth" "$g/v24.0/$mid")
is "media_gone_after_delete" "$code/$(jv .error.code <"$tmp/r")" 400/100
is "media_download_gone_after_delete" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$url")" 404
curl -s -o "$tmp/r" -X POST -H "$auth" -F messaging_product=whatsapp \
    -F type=image/png "$g/v24.0/106540352242922/media"
is "media_upload_without_file_code_100" "$(jv .error.code <"$tmp/r")" 100
curl -s -o "$tmp/r" -X POST -H "$auth" -F messaging_product=whatsapp \
    -F type=text/html -F "file=@$tmp/pic.png" "$g/v24.0/106540352242922/media"
is "media_upload_bad_type_code_131053" "$(jv .error.code <"$tmp/r")" 131053

# Templates.
curl -s -o "$tmp/r" -H "$auth" "$g/v24.0/102290129340398/message_templates"
n=$(jv .data# <"$tmp/r")
[ "$n" -ge 6 ] && ok "templates_list_has_templates" ||
    notok "templates_list_has_templates" "$n"
for want in APPROVED:MARKETING APPROVED:UTILITY PAUSED: REJECTED:; do
	st=${want%%:*}
	cat=${want#*:}
	found=0
	i=0
	while [ $i -lt "$n" ]; do
		s1=$(jv .data.$i.status <"$tmp/r")
		c1=$(jv .data.$i.category <"$tmp/r")
		if [ "$s1" = "$st" ] && { [ -z "$cat" ] || [ "$c1" = "$cat" ]; }; then
			found=1
		fi
		i=$((i + 1))
	done
	is "templates_include_${st}_${cat:-any}" "$found" 1
done
grep -q '{{1}}' "$tmp/r" && ok "templates_have_body_params" ||
    notok "templates_have_body_params"
is "template_has_components" "$(jv .data.1.components.0.type <"$tmp/r")" BODY
is "template_parameter_format" "$(jv .data.0.parameter_format <"$tmp/r")" \
    POSITIONAL
curl -s -o "$tmp/r" -H "$auth" \
    "$g/v24.0/102290129340398/message_templates?fields=name,status&limit=2"
is "templates_limit" "$(jv .data# <"$tmp/r")" 2
is "templates_fields_only" "$(jv .data.0# <"$tmp/r")" 3
next=$(jv .paging.next <"$tmp/r")
curl -s -o "$tmp/r2" -H "$auth" "$next"
is "templates_next_page" "$(jv .data.0.name <"$tmp/r2")" \
    sample_shipping_confirmation
curl -s -o "$tmp/r" -H "$auth" \
    "$g/v24.0/102290129340398/message_templates?status=APPROVED"
[ "$(jv .data# <"$tmp/r")" -lt "$n" ] && ok "templates_status_filter" ||
    notok "templates_status_filter"

# Retired versions are upgraded, as Meta does.
curl -s -D "$tmp/h" -o /dev/null -X POST -H "$auth" --data-binary "$text" \
    "$g/v19.0/106540352242922/messages"
grep -qi '^X-Ad-Api-Version-Warning: The call has been auto-upgraded to v24.0' \
    "$tmp/h" && ok "old_version_is_auto_upgraded" ||
    notok "old_version_is_auto_upgraded"
code=$(curl -s -o "$tmp/r" -w '%{http_code}' -H "$auth" "$g/v24.0/1/2/3/4")
is "unknown_path_is_400" "$code" 400

# A held (timeout) request must not keep serve from exiting cleanly.
fault timeout 1
curl -s -o /dev/null -m 5 -X POST -H "$auth" --data-binary "$text" "$msgs" &
pids="$pids $!"
sleep 0.3
stop serve
stop hooks

# --faults at start, a fixed phone-number-id, no webhook.
start serve2 "$sim" serve --listen 127.0.0.1:0 --token-file "$token" \
    --faults 503:1,130429:1 --phone-number-id 106540352242922
g=http://127.0.0.1:$port
msgs=$g/v24.0/106540352242922/messages
gsend "$text"
is "start_faults_first" "$code" 503
gsend "$text"
is "start_faults_in_order" "$(jv .error.code <"$tmp/r")" 130429
gsend "$text"
is "start_faults_then_ok" "$code" 200
gpost "$g/v24.0/123123/messages" "$fx/send-text-unknown-phone-number-id-request.json"
is "unknown_phone_number_id_is_400" "$code" 400
is "unknown_phone_number_id_shape" \
    "$(jv .error.type <"$tmp/r")/$(jv .error.code <"$tmp/r")/$(jv .error.error_subcode <"$tmp/r")" \
    GraphMethodException/100/33
code=$(curl -s -o "$tmp/r" -w '%{http_code}' -X POST \
    -d '{"from":"4915112345678","text":"x"}' "$g/_sim/inbound")
is "inbound_without_webhook_is_409" "$code" 409
stop serve2
