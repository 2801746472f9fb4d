#!/bin/sh
# Media and rich messages in the full-screen client, two agents: files show
# their type and size (a voice note as a voice note), a location its name,
# address and coordinates, a contact card its name and numbers. Enter on a
# file opens it with the agent's mailcap entry (an image) or $PAGER (text),
# from a private copy that is gone afterwards, or saves it where the agent
# says: [client] download_dir by default; a directory the agent may not
# write to is named and asked again (Tab completes the path). Attaching
# asks for the path (Tab completes, a wrong one is asked again) and a
# caption, and both reach WhatsApp. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_mediag
si_user si_t_mediab "$GRP"
si_config "$GRP"
mkdir -p "$T/dl-shared" "$T/pub/mine-b" "$T/tmp-a"
chmod 755 "$T/pub"	# b lists it for Tab (not $T itself)
chmod 755 "$T/dl-shared"	# root's: the second agent cannot write there
chown si_t_mediab "$T/pub/mine-b"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[client]
download_dir = $T/dl-shared
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_mediab >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

FROM=491510000401
# upload FILE TYPE: the file at the simulator's media store; prints its id
upload() {
	curl -s -H "Authorization: Bearer test-access-token" \
	    -F "file=@$1;type=$2" -F "type=$2" -F messaging_product=whatsapp \
	    "$SIMURL/v23.0/106540352242922/media" | jq -r .id
}
# hook FIXTURE WAMID JQ: the fixture from our customer, now, with JQ applied
hook() {
	jq --arg f "$FROM" --arg w "$2" ".entry[0].changes[0].value.messages[0].id = \$w |
	    .entry[0].changes[0].value.messages[0].from = \$f |
	    .entry[0].changes[0].value.messages[0].timestamp = (now | floor | tostring) |
	    .entry[0].changes[0].value.contacts[0].wa_id = \$f |
	    .entry[0].changes[0].value.contacts[0].profile.name = \"Mia Media\" | $3" \
	    "$SI_FIXTURES/$1" >"$T/hook.json"
	si_post "$T/hook.json"
}
# fetched WAMID: the daemon has the customer's file
msgid() { si_all_messages | jq -r --arg w "$1" 'select(.body.wamid == $w) | .id'; }
fetched() { si media get "$(msgid "$1")" --output "$T/probe.$1" >/dev/null 2>&1; }

# A viewer for images (the first entry's test fails: it is skipped), and a
# pager: each copies what it was given, so the test can compare.
cat >"$T/mailcap" <<EOM
# the agent's mailcap
image/jpeg; cp %s $T/wrong.jpg; test=false
image/*; cp %s $T/viewed.jpg
EOM
cat >"$T/pager.sh" <<EOP
#!/bin/sh
cat "\$1" >$T/paged.txt
EOP
chmod 755 "$T/pager.sh"

# --- the messages ---
{ printf 'JPEG '; head -c 20000 /dev/urandom; } >"$T/photo.jpg"
printf 'Bestellnummer 4711\nBitte zurückrufen.\n' >"$T/notes.txt"
head -c 12000 /dev/urandom >"$T/voice.ogg"
IMG=$(upload "$T/photo.jpg" image/jpeg)
DOC=$(upload "$T/notes.txt" text/plain)
VOI=$(upload "$T/voice.ogg" audio/ogg)
check_eq "a location arrives" 200 "$(hook webhook-location.json wamid.MLOC '.')"
check_eq "a contact card arrives" 200 "$(hook webhook-contacts.json wamid.MCARD '.')"
check_eq "a voice note arrives" 200 "$(hook webhook-audio-voice.json wamid.MVOICE \
    ".entry[0].changes[0].value.messages[0].audio.id = \"$VOI\"")"
check_eq "a photo arrives" 200 "$(hook webhook-image.json wamid.MIMG \
    ".entry[0].changes[0].value.messages[0].image.id = \"$IMG\" |
    .entry[0].changes[0].value.messages[0].image.caption = \"Kaputt\"")"
check "the daemon fetched the voice note" si_until fetched wamid.MVOICE
check "and the photo" si_until fetched wamid.MIMG

start a 120 40 MAILCAPS="$T/mailcap" XDG_RUNTIME_DIR="$T/tmp-a" PAGER="$T/pager.sh"
start_as si_t_mediab "$GRP" b 120 40
check "a starts" wait_for a "Mia Media"
check "b starts" wait_for b "Mia Media"
key a Enter
see a "[location] Larkspur Tea Rooms" "a location shows its name"
see a "4 Mill Lane, Springfield, OR 97477" "its address"
see a "44.046219, -123.022072" "and its coordinates"
see a "[contact] Wilhelmina K. Okafor (Okafor Ceramics)" "a contact card its name"
see a "+1 (202) 555-0193 (MOBILE)" "and its numbers"
see a "[voice note, 12 KB, audio/ogg" "a voice note shows as one, with its size (no length: WhatsApp sends none)"
see a "[image, 20 KB, image/jpeg] Enter: open or save" "a photo its type and size"

# --- open the photo (the last message, selected) with the mailcap entry ---
key a Enter
see a "o: open it, s: save it" "Enter on a file asks open or save"
key a o Enter
check "o opens it with the agent's mailcap viewer" si_until cmp -s "$T/photo.jpg" "$T/viewed.jpg"
check "an entry whose test fails is skipped" test ! -e "$T/wrong.jpg"
see a "viewer closed" "the client is back after the viewer"
check_eq "the private copy is gone" "" "$(ls -A "$T/tmp-a")"

# --- a text file opens in $PAGER ---
check_eq "a text file arrives" 200 "$(hook webhook-document.json wamid.MDOC \
    ".entry[0].changes[0].value.messages[0].document.id = \"$DOC\" |
    .entry[0].changes[0].value.messages[0].document.mime_type = \"text/plain\" |
    .entry[0].changes[0].value.messages[0].document.filename = \"notes.txt\" |
    del(.entry[0].changes[0].value.messages[0].document.caption)")"
see a "[document: notes.txt, 1 KB, text/plain]" "the document shows its name, size and type"
key a Enter
see a "o: open it" "asked again"
key a Enter
check "Enter (open) shows text with \$PAGER" si_until cmp -s "$T/notes.txt" "$T/paged.txt"

# --- saving: b's download_dir is not writable for b: said, asked again ---
key b Enter
see b "[document: notes.txt" "b opens the conversation"
key b Enter
see b "o: open it" "b is asked open or save"
key b s Enter
see b "save to (Tab completes): $T/dl-shared" "the prompt offers [client] download_dir"
key b Enter
see b "cannot write to '$T/dl-shared': Permission denied; save to:" \
    "a directory b cannot write to is named, and another asked for"
key b C-u
typeit b "$T/pub/mi"
key b Tab
see b "save to: $T/pub/mine-b/" "Tab completes the directory"
key b Enter
see b "saved to $T/pub/mine-b/notes.txt" "saved where b said"
check "the saved file is the customer's" cmp -s "$T/notes.txt" "$T/pub/mine-b/notes.txt"
check_eq "it is b's alone" "si_t_mediab 600" "$(stat -c '%U %a' "$T/pub/mine-b/notes.txt")"
check "nothing was written where the client started" test ! -e "$PWD/notes.txt"

# --- attaching: the path (Tab completes; a wrong one asked again), a caption ---
head -c 3000 /dev/urandom >"$T/report-2026.pdf"
key a :
typeit a "attach"
key a Enter
see a "attach file (Tab completes):" ":attach asks for the file"
typeit a "$T/nothere.pdf"
key a Enter
see a "$T/nothere.pdf: No such file or directory; attach file:" \
    "a wrong path is named and asked again"
key a C-u
typeit a "$T/repo"
key a Tab
see a "attach file: $T/report-2026.pdf" "Tab completes the file name"
key a Enter
see a "caption (Enter: none):" "a caption is asked for"
typeit a "Ihre Rechnung"
key a Enter
sent() {
	curl -s "$SIMURL/_sim/requests" | jq -e '.bodies[] |
	    select(.type == "document" and .document.caption == "Ihre Rechnung" and
	    .document.filename == "report-2026.pdf")'
}
check "the file goes with its caption and name" si_until sent
see a "Ihre Rechnung" "the thread shows the caption"

# --- no customer data in the logs ---
check_eq "no name or number in the daemon's log" 0 \
    "$(grep -c 'Mia Media\|Okafor\|Larkspur\|491510000401' "$T/daemon.log")"

check "the audit chain verifies" quiet si audit verify
key a Q
key b Q
check "a ends" wait_for a "client exit 0"
check "b ends" wait_for b "client exit 0"
no_sanitizer_report
si_done
