#!/bin/sh
# Issue 14 point 9: Debian's nginx, with contrib/nginx/support-inbox.conf
# (paths and ports put in by sed, nothing else changed) and a self-signed
# certificate, in front of the real daemon. The simulator posts signed
# webhooks through it over https, verifying the certificate with --cacert
# (and fails without); the messages are stored; Meta's handshake is
# answered through it and its verify token is in no log of nginx's; a
# 2.5 MiB body reaches the daemon (nginx's default limit, 1 MiB, would
# answer 413 itself), and one over the daemon's max_body gets the daemon's
# answer, not nginx's.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../lib-nginx.sh"
[ -x "$NGINX" ] || { not_ok "nginx is installed (sh mk/deps.sh)"; si_done; exit 1; }
command -v openssl >/dev/null || { not_ok "openssl is installed"; si_done; exit 1; }

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

si_nginx

# Meta's handshake, through the proxy.
get() {
	curl -s --cacert "$N/tls.crt" -o "$T/body" -w '%{http_code}' \
	    "$URL?hub.mode=subscribe&hub.verify_token=$1&hub.challenge=c4711"
}
check_eq "the handshake with the right token answers 200" 200 \
    "$(get test-verify-token)"
check_eq "with the challenge" c4711 "$(cat "$T/body")"
check_eq "a wrong token is refused by the daemon (403)" 403 \
    "$(get test-verify-tokenX)"

# Signed webhooks over https, the certificate verified.
"$SIM" post --url "$URL" --secret-file "$T/app_secret" --cacert "$N/tls.crt" \
    --count 20 --customers 4 --seed 14 --prefix nginx --no-retry \
    --acked "$T/acked" >"$T/post.json" 2>"$T/post.err"
check_eq "the simulator posts 20 webhooks through nginx, all acknowledged" \
    "20 20" "$(jq -r '"\(.sent) \(.status."200")"' "$T/post.json")"
si_all_messages | jq -r .body.wamid | sort >"$T/stored"
check_eq "the daemon stored the 20 messages" 20 "$(wc -l <"$T/stored")"
check_eq "the ones acknowledged" "$(cat "$T/stored")" "$(sort "$T/acked")"
check_eq "in the customers' conversations" 4 \
    "$(si list all --json | jq '.rows | length')"
printf '{}' >"$T/small.json"
"$SIM" post --url "$URL" --secret-file "$T/app_secret" \
    --body-file "$T/small.json" >"$T/nocert.out" 2>"$T/nocert.err"
check "without --cacert the self-signed certificate is refused" \
    test -s "$T/nocert.err" -a ! -s "$T/nocert.out"
check_contains "saying so" "certificate" "$(cat "$T/nocert.err")"
printf 'not a certificate\n' >"$T/junk.pem"
"$SIM" post --url "$URL" --secret-file "$T/app_secret" --cacert "$T/junk.pem" \
    --body-file "$T/small.json" >/dev/null 2>"$T/junk.err"
check_contains "--cacert with no certificate in the file is an error" \
    "holds no PEM certificate" "$(cat "$T/junk.err")"

# serve's webhooks (a customer writing through the simulator) go through
# the proxy too, with --cacert.
"$SIM" serve --listen 127.0.0.1:0 --token-file "$T/access_token" \
    --secret-file "$T/app_secret" --webhook "$URL" --cacert "$N/tls.crt" \
    >"$T/sim.out" 2>"$T/sim.err" &
si_pids="$si_pids $!"
si_until test -s "$T/sim.out"
SIMURL="http://127.0.0.1:$(head -n 1 "$T/sim.out")"
curl -s -XPOST "$SIMURL/_sim/inbound" -d '{"from":"491700001414",
"name":"Proxy Kundin","text":"durch den Proxy","wait":true}' >"$T/inbound"
check_eq "serve's inbound webhook is delivered through nginx" "true 200" \
    "$(jq -r '"\(.delivered) \(.status)"' "$T/inbound")"
check_eq "and stored" 1 "$(si_all_messages |
    jq -r --arg w "$(jq -r .id "$T/inbound")" 'select(.body.wamid == $w) |
    .body.text' | grep -c 'durch den Proxy')"

# Big bodies: 2.5 MiB passes nginx (the daemon answers; signed, valid JSON
# of no messages); 3 MiB and more is the daemon's to refuse, not nginx's.
# Each answer is compared with the daemon's own to the same body.
big() {
	python3 -c 'import sys
n = int(sys.argv[1])
head = "{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\""
sys.stdout.write(head + "x" * (n - len(head) - 2) + "\"}")' "$1" >"$2"
}
big 2621440 "$T/big.json"
big 3146752 "$T/huge.json"
for f in big huge; do
	"$SIM" post --url "$URL" --secret-file "$T/app_secret" \
	    --cacert "$N/tls.crt" --body-file "$T/$f.json" >"$T/$f.proxy" 2>&1
	"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
	    --body-file "$T/$f.json" >"$T/$f.direct" 2>&1
done
check_eq "a 2.5 MiB webhook through nginx gets the daemon's answer" \
    "$(cat "$T/big.direct")" "$(cat "$T/big.proxy")"
check "which is not 413" sh -c "! head -n 1 '$T/big.proxy' | grep -qx 413"
check_eq "one over the daemon's max_body gets the daemon's answer too" \
    "$(cat "$T/huge.direct")" "$(cat "$T/huge.proxy")"
check_contains "nginx logged the 2.5 MiB request it passed on" \
    "POST /webhook HTTP/1.1\" $(head -n 1 "$T/big.proxy")" \
    "$(awk '/"POST \/webhook / && $(NF-2) > 2621440' \
    "$N/support-inbox.access.log")"

# No verify token in any log of nginx's, though the handshakes are logged.
check "the access log has the handshakes" \
    grep -q '"GET /webhook HTTP/1.1" 200 ' "$N/support-inbox.access.log"
check_eq "and no verify token, in no log of nginx's" "" \
    "$(grep -rl -e 'test-verify-token' -e 'verify_token' "$N"/*.log)"
check_eq "nor the query string" "" \
    "$(grep -rl -e 'hub\.' -e 'c4711' "$N"/*.log)"

kill "$NGPID" 2>/dev/null
wait "$NGPID" 2>/dev/null
check "nginx stops" sh -c "! kill -0 $NGPID 2>/dev/null"
si_stop
si_done
