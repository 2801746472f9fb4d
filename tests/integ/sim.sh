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

# The body shape of fixtures/webhook-text.metadoc.json.
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
