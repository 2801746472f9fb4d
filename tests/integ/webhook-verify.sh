#!/bin/sh
# Meta's verification handshake compares the whole token it is given: a
# NUL, anything after one, a prefix, a longer token or a second token are
# refused (issue 11.11).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
get() {
	curl -s -o "$T/body" -w '%{http_code}' \
	    "$SI_URL?hub.mode=subscribe&hub.verify_token=$1&hub.challenge=c42"
}
check_eq "the right token answers the challenge" 200 "$(get test-verify-token)"
check_eq "with the challenge" c42 "$(cat "$T/body")"
check_eq "token%00junk is refused" 403 "$(get 'test-verify-token%00junk')"
check_eq "token%00 is refused" 403 "$(get 'test-verify-token%00')"
check_eq "a prefix is refused" 403 "$(get test-verify)"
check_eq "a longer token is refused" 403 "$(get test-verify-tokenX)"
check_eq "an empty token is refused" 403 "$(get '')"
check_eq "a second token is refused" 403 \
    "$(get 'test-verify-token&hub.verify_token=test-verify-token')"
check_eq "percent-encoding is decoded" 200 "$(get 'test-verify-%74oken')"
si_stop
si_done
