#!/bin/sh
# Outside data stays in its lane (issue 11.7): a media id from a webhook that
# is not an id ("../../x?a=") never shapes a Graph request, and a media
# lookup answer naming any other host is not fetched, so the access token
# goes only to the API and [graph] media_hosts (https).
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
timeout = 2
retry_base_ms = 100
max_attempts = 2
template_sync_minutes = 0
EOF
# A stranger's web server on loopback that writes down what it is sent.
cat >"$T/catch.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("Authorization")))
        self.send_response(200); self.end_headers(); self.wfile.write(b"stolen")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
EOF
python3 "$T/catch.py" "$T/catch.port" "$T/catch.log" &
si_pids="$si_pids $!"
si_until test -s "$T/catch.port"
CATCH="http://127.0.0.1:$(cat "$T/catch.port")"
si_sim --statuses none --media-url-base "$CATCH"
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }

image() {	# image WAMID MEDIA_ID
	jq -n --arg ts "$(date +%s)" --arg w "$1" --arg mid "$2" '{object:
	    "whatsapp_business_account", entry: [{id: "102290129340398",
	    changes: [{field: "messages", value: {messaging_product:
	    "whatsapp", metadata: {display_phone_number: "15550001111",
	    phone_number_id: "106540352242922"}, contacts: [{profile: {name:
	    "Lane Tester"}, wa_id: "4915112340002"}], messages: [{from:
	    "4915112340002", id: $w, timestamp: $ts, type: "image", image:
	    {id: $mid, mime_type: "image/jpeg", sha256: "x"}}]}}]}]}' \
	    >"$T/img.json"
	si_post "$T/img.json"
}
failed() {	# failed MSG: true once the file is reported as failed
	si media get "$1" --output "$T/x.$$" 2>&1 | grep -q 'could not be'
}
msg_of() {
	si_all_messages | jq -r --arg w "$1" 'select(.body.wamid == $w) | .id'
}

# 1: a path in place of an id
check_eq "a webhook with a path as media id is accepted" 200 \
    "$(image wamid.LANE1 '../../x?a=')"
m1=$(msg_of wamid.LANE1)
check "the file is marked failed" si_until failed "$m1"
check "the daemon says why, without the id" \
    si_file_has "$T/daemon.log" "media id is not an id"

# 2: a lookup answer pointing at another host
{ printf 'LANE-MARK '; head -c 2000 /dev/urandom; } >"$T/p.jpg"
up=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/p.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media")
mid=$(echo "$up" | jq -r .id)
check_eq "a real photo's webhook is accepted" 200 "$(image wamid.LANE2 "$mid")"
m2=$(msg_of wamid.LANE2)
check "the file on a foreign host is marked failed" si_until failed "$m2"
check "the daemon says it did not fetch it" \
    si_file_has "$T/daemon.log" "outside the API and [graph] media_hosts"
check_eq "the foreign host got no request, and so no token" "" \
    "$(cat "$T/catch.log" 2>/dev/null)"

# 3: bad ids in the configuration are refused at start
sed 's/^phone_number_id = .*/phone_number_id = 1065..\/x/' "$T/si.conf" \
    >"$T/bad.conf"
out=$("$SID" -c "$T/bad.conf" 2>&1)
check "a phone_number_id with a path in it stops the daemon" test $? -ne 0
check_contains "and says what an id is" "numeric ids" "$out"
si_stop
si_done
