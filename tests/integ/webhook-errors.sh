#!/bin/sh
# The webhook's error answers reach the client (issue 10 follow-up): with
# the connection filter in front of evhttp, an answer evhttp closes the
# connection after (its own 400 for a bad request line or header, 417, 501,
# an HTTP/1.0 client) used to be lost: the socket was shut down while the
# answer still sat in a buffer. Each bad request gets its status line, and
# the daemon keeps serving. Loopback only.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

# raw: the request on stdin, sent as is; prints the answer's status line.
raw() {
	socat -t 5 - "TCP:127.0.0.1:$SI_PORT" 2>/dev/null | head -n 1 | tr -d '\r'
}
# serving: the daemon answers a good verification and a signed POST.
serving() {
	kill -0 "$SI_DPID" 2>/dev/null &&
	[ "$(curl -s "$SI_URL?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=77")" = 77 ] &&
	[ "$(si_post "$T/ok.json")" = 200 ]
}
cat >"$T/ok.json" <<'EOF'
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"106540352242922"},"statuses":[]}}]}]}
EOF
check "the daemon serves before" serving

# case_ NAME WANT: the request in $T/req must be answered WANT. (Not in a
# pipeline: the counts of ok/not_ok must stay in this shell.)
case_() {
	check_eq "$1: answered" "$2" "$(raw <"$T/req")"
	check "$1: the daemon keeps serving" serving
}

printf 'GARBAGE\r\n\r\n' >"$T/req"
case_ "a garbage request line" "HTTP/1.1 400 Bad Request"
printf '\r\n\r\n' >"$T/req"
case_ "an empty request line" "HTTP/1.1 400 Bad Request"
printf 'POST /webhook HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n' >"$T/req"
case_ "a header line without a colon" "HTTP/1.1 400 Bad Request"
{ printf 'POST /webhook HTTP/1.1\r\nHost: x\r\nX-Long: '
  head -c 20000 /dev/zero | tr '\0' a; printf '\r\n\r\n'; } >"$T/req"
case_ "an over-long header" "HTTP/1.1 400 Bad Request"
{ printf 'GET /webhook?'; head -c 20000 /dev/zero | tr '\0' a
  printf ' HTTP/1.1\r\nHost: x\r\n\r\n'; } >"$T/req"
case_ "an over-long request line" "HTTP/1.1 400 Bad Request"
printf 'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' >"$T/req"
case_ "a bad Content-Length" "HTTP/1.1 400 Bad Request"
printf 'POST /webhook HTTP/9.9\r\nHost: x\r\n\r\n' >"$T/req"
case_ "an unknown HTTP version" "HTTP/1.1 400 Bad Request"
printf 'POST /webhook HTTP/1.1\r\nHost: x\r\nExpect: 100-banana\r\nContent-Length: 5\r\n\r\n' >"$T/req"
case_ "an unknown Expect" "HTTP/1.1 417 Expectation Failed"
printf 'BREW /webhook HTTP/1.1\r\nHost: x\r\n\r\n' >"$T/req"
case_ "an unknown method" "HTTP/1.1 501 Not Implemented"
printf 'POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n\r\n' >"$T/req"
case_ "a broken chunked body" "HTTP/1.1 413 Request Entity Too Large"
# Our own answers, on connections evhttp closes after them.
printf 'GET /nope HTTP/1.0\r\n\r\n' >"$T/req"
case_ "HTTP/1.0: our 404" "HTTP/1.0 404 Not Found"
printf 'GET /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$T/req"
case_ "Connection: close: our 403" "HTTP/1.1 403 Forbidden"
out=$(curl -s --http1.0 "$SI_URL?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=4242")
check_eq "HTTP/1.0: the verification challenge arrives" 4242 "$out"

# Many at once: every one answered, nothing left open.
i=0
pids=""
while [ $i -lt 40 ]; do
	printf 'GARBAGE\r\n\r\n' | raw >"$T/many.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
check_eq "40 bad requests at once: 40 answers" 40 \
    "$(cat "$T"/many.* | grep -c '^HTTP/1.1 400 Bad Request$')"
check "the daemon keeps serving after them" serving
check "the daemon still runs" kill -0 "$SI_DPID"
si_stop
si_done
