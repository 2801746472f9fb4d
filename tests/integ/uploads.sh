#!/bin/sh
# Attachment uploads (issue 10.5c): per-agent quotas ([media]
# uploads_per_agent, upload_bytes_per_agent) that leave other agents
# unaffected, uploads streamed to sealed files in data_dir/uploads (no
# plaintext on disk, files gone after send, abort, expiry and restart), a
# finished upload sent byte for byte, and the daemon's resident memory
# while one agent uploads 8 files of 8 MiB (printed, not asserted).
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_upl
si_user si_t_upa "$GRP"
si_user si_t_upb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOF
timeout = 5
retry_base_ms = 100
max_attempts = 3
template_sync_minutes = 0

[media]
uploads_per_agent = 2
upload_bytes_per_agent = 300000
EOF
si_sim --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_upa >/dev/null
si agent add si_t_upb >/dev/null
UPD="$T/data/uploads"

# upl USER SIZE [ID]: uploads SIZE bytes (starting with $MARK) in chunks of
# 64 KiB on one connection, as USER, to a new upload (or to upload ID);
# prints the upload id, or "error CODE: MESSAGE". Leaves the upload open.
cat >"$T/upl.py" <<'EOF'
import json, os, socket, sys
sock, size = sys.argv[1], int(sys.argv[2])
uid = int(sys.argv[3]) if len(sys.argv) > 3 else 0
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
f = s.makefile("rwb")
n = 0
def call(method, params):
    global n
    n += 1
    f.write((json.dumps({"id": n, "method": method, "params": params}) +
        "\n").encode())
    f.flush()
    while True:
        r = json.loads(f.readline())
        if r.get("id") == n:
            return r
call("hello", {"version": 1})
data = os.environ.get("MARK", "").encode() + os.urandom(size)
data = data[:size]
off = 0
import base64
while off < size:
    c = data[off:off + 65536]
    r = call("upload.chunk", {"upload": uid,
        "data": base64.b64encode(c).decode()})
    if "error" in r:
        print("error %s: %s" % (r["error"]["code"], r["error"]["message"]))
        sys.exit(1)
    uid = r["result"]["upload"]
    off += len(c)
print(uid)
EOF
chmod 644 "$T/upl.py"
upl() {
	_u=$1
	shift
	runuser -u "$_u" -- /usr/bin/python3 "$T/upl.py" "$T/run/socket" "$@"
}
nfiles() { find "$UPD" -type f | wc -l; }

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
inbound 491510000077 "please send the invoice"
CONV=$(si list all --json | jq -r '.rows[0].id')
check "a conversation to answer" test -n "$CONV" -a "$CONV" != null

check_eq "the uploads directory is private" 700 "$(stat -c %a "$UPD")"

# --- the count quota: A is refused its third, B is unaffected ---
A1=$(MARK=PLANTED-UPLOAD-MARKER-A1 upl si_t_upa 100000)
A2=$(upl si_t_upa 1000)
check "agent A opens 2 uploads" test "$A1" -gt 0 -a "$A2" -gt 0
out=$(upl si_t_upa 1000)
check_contains "A's third upload is refused" "error quota:" "$out"
check_contains "the refusal names the limit" "uploads_per_agent = 2" "$out"
check_eq "one file per upload in progress" 2 "$(nfiles)"
check_eq "upload files are 0600" 600 "$(find "$UPD" -type f -exec stat -c %a {} + | sort -u)"
if find "$UPD" -type f | grep -Eq '/[0-9a-f]{32}$'; then
	ok "upload files have random names"
else
	not_ok "upload files have random names ($(ls "$UPD"))"
fi
if grep -rqa PLANTED-UPLOAD-MARKER "$T/data"; then
	not_ok "an upload in progress is in clear on disk"
else
	ok "an upload in progress is sealed on disk"
fi

# B sends an attachment meanwhile: it arrives at Meta byte for byte.
{ printf '%%PDF-1.4 PLANTED-UPLOAD-MARKER-B '; head -c 200000 /dev/urandom; } >"$T/invoice.pdf"
M=$(si_as si_t_upb reply "$CONV" --attach "$T/invoice.pdf" --json 2>"$T/b.err" | jq -r .message)
check "agent B's attachment is queued while A is at its quota" \
    test -n "$M" -a "$M" != null
sent() {
	[ "$(si outbox --json | jq -r --argjson m "$M" \
	    '.rows[] | select(.message == $m) | .state')" = sent ]
}
si_until sent
check "the attachment is sent" sent
MID=$(curl -s "$SIMURL/_sim/requests" | jq -r '[.bodies[] | select(.type == "document")][0].document.id')
curl -s -H "Authorization: Bearer test-access-token" \
    "$SIMURL/v23.0/$MID" >"$T/lookup.json"
check_eq "Meta got the file byte for byte (sha256)" \
    "$(sha256sum "$T/invoice.pdf" | cut -d' ' -f1) $(wc -c <"$T/invoice.pdf")" \
    "$(jq -r '"\(.sha256) \(.file_size)"' "$T/lookup.json")"
curl -s -o "$T/got.pdf" -H "Authorization: Bearer test-access-token" \
    "$(jq -r .url "$T/lookup.json")"
check "the file downloads from Meta identical" cmp -s "$T/invoice.pdf" "$T/got.pdf"
check_eq "the sent upload's file is gone" 2 "$(nfiles)"

# --- abort: the file goes at once, the slot is free again ---
check "A aborts an upload" quiet si_as si_t_upa call upload.abort "{\"upload\":$A2}"
check_eq "its file is gone" 1 "$(nfiles)"
out=$(si_as si_t_upa call upload.abort "{\"upload\":$A2}" 2>&1)
check_contains "an aborted upload is gone" "no upload $A2 of yours" "$out"
out=$(si_as si_t_upb call upload.abort "{\"upload\":$A1}" 2>&1)
check_contains "B cannot abort A's upload" "no upload $A1 of yours" "$out"
check_eq "A's upload is untouched" 1 "$(nfiles)"

# --- the byte quota: 100000 in progress + 250000 > 300000 ---
out=$(upl si_t_upa 250000)
check_contains "A going over its bytes is refused" "error quota:" "$out"
check_contains "the refusal names the byte limit" \
    "exceed 300000 bytes, the most one agent may have ([media] upload_bytes_per_agent)" "$out"
check_eq "the refused upload's file is gone" 1 "$(nfiles)"
B1=$(upl si_t_upb 250000)
check "B can still upload 250000 bytes" test "$B1" -gt 0 2>/dev/null
out=$(upl si_t_upb 100000 "$B1")
check_contains "B too is held to its own bytes" "upload_bytes_per_agent" "$out"
out=$(si_as si_t_upb call upload.chunk "{\"upload\":$B1,\"data\":\"aGVsbG8=\"}" 2>&1)
check_contains "an upload over the limit is dropped" "no upload $B1 of yours" "$out"

# A CLI attachment refused at the quota leaves nothing behind.
A3=$(upl si_t_upa 1000)
out=$(si_as si_t_upa reply "$CONV" --attach "$T/invoice.pdf" 2>&1)
check_contains "the CLI says which limit it hit" "uploads_per_agent" "$out"
check_eq "A holds its 2 uploads, nothing more" 2 "$(nfiles)"
# The CLI drops an upload whose reply is refused before the daemon took
# it (here: a file name longer than a reply's filename may be).
LONG="$T/$(printf 'n%.0s' $(seq 1 245)).pdf"
cp "$T/invoice.pdf" "$LONG"
out=$(si_as si_t_upb reply "$CONV" --attach "$LONG" 2>&1)
check_contains "a reply with an over-long file name is refused" "filename" "$out"
check_eq "and its upload is dropped, not left to expire" 2 "$(nfiles)"

# A reply refused after it took its upload (a type WhatsApp does not take)
# leaves the upload to the agent: its file goes only with a committed send.
R=$(upl si_t_upb 1000)
out=$(si_as si_t_upb call reply "{\"conv\":$CONV,\"upload\":$R,\
\"mime\":\"application/x-unknown\"}" 2>&1)
check_contains "a reply of a type WhatsApp does not take is refused" \
    "does not take" "$out"
check_eq "the refused reply's upload keeps its file" 3 "$(nfiles)"
check_eq "and takes chunks again" "$R" "$(upl si_t_upb 10 "$R")"
check "and is the agent's to abort" \
    quiet si_as si_t_upb call upload.abort "{\"upload\":$R}"
check_eq "then its file is gone" 2 "$(nfiles)"

# --- restart: a killed daemon's upload files are deleted at the start ---
kill -9 "$SI_DPID"
wait "$SI_DPID" 2>/dev/null
check_eq "a killed daemon leaves its upload files" 2 "$(nfiles)"
# Now with a short expiry and the default quotas.
sed -i -e '/^uploads_per_agent/d' -e '/^upload_bytes_per_agent/d' "$T/si.conf"
echo "upload_expiry = 2" >>"$T/si.conf"
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
check_eq "leftover upload files are deleted at the start" 0 "$(nfiles)"
check_contains "and that is logged" "unfinished upload file(s) of the last run deleted" \
    "$(cat "$T/daemon.log")"
out=$(si_as si_t_upa call upload.abort "{\"upload\":$A1}" 2>&1)
check_contains "uploads do not survive a restart" "no upload" "$out"

# --- expiry: an idle upload is dropped with its file ---
E=$(upl si_t_upa 5000)
check "an upload to abandon" test "$E" -gt 0
gone() { [ "$(nfiles)" -eq 0 ]; }
si_until gone
check "the abandoned upload's file is deleted" gone
out=$(upl si_t_upa 10 "$E")
check_contains "the expired upload is gone, and the agent is told why" \
    "dropped after 2 s idle" "$out"

# --- resident memory: one agent, 8 uploads of 8 MiB, 4 at a time ---
sed -i 's/^upload_expiry = 2/upload_expiry = 600/' "$T/si.conf"
si_stop
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SI_DPID/status"; }
BEFORE=$(rss)
: >"$T/rss"
( while kill -0 "$SI_DPID" 2>/dev/null && [ ! -e "$T/rss.stop" ]; do
	rss >>"$T/rss"; sleep 0.05
  done ) &
SAMPLER=$!
fails=0
for round in 1 2; do
	pids=""
	for i in 1 2 3 4; do
		upl si_t_upa 8388608 >"$T/up.$round.$i" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || fails=$((fails + 1)); done
	check_eq "round $round: 4 uploads of 8 MiB in progress at once" 4 "$(nfiles)"
	for i in 1 2 3 4; do
		si_as si_t_upa call upload.abort \
		    "{\"upload\":$(cat "$T/up.$round.$i")}" >/dev/null ||
		    fails=$((fails + 1))
	done
done
check_eq "8 uploads of 8 MiB by one agent" 0 "$fails"
check_eq "all of them deleted" 0 "$(nfiles)"
# And one sent: decrypted into memory once, at the send.
{ printf '%%PDF-1.4 '; head -c 8388600 /dev/urandom; } >"$T/big.pdf"
M=$(si_as si_t_upa reply "$CONV" --attach "$T/big.pdf" --json | jq -r .message)
si_until sent
check "an 8 MiB attachment is sent" sent
touch "$T/rss.stop"
wait "$SAMPLER"
AFTER=$(rss)
PEAK=$(sort -n "$T/rss" | tail -n 1)
echo "# rss before ${BEFORE} kB"
echo "# rss peak ${PEAK} kB (8 x 8 MiB uploads by one agent, then one 8 MiB send)"
echo "# rss after ${AFTER} kB"

si_stop
check_eq "no upload files after a stop" 0 "$(nfiles)"
si_done
