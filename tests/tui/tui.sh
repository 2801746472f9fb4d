#!/bin/sh
# The full-screen client driven inside tmux at fixed sizes against a real
# daemon and the simulator: layout, navigation, help, claim, reply, canned
# replies, template mode, live updates, resize, narrow mode, column
# alignment with emoji and umlauts, NO_COLOR, unknown TERM. Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }
command -v python3 >/dev/null || { not_ok "python3 is installed"; si_done; exit 1; }

si_tmp
si_config
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }

. "$(dirname "$0")/../lib-tui.sh"

# Customers: an old one (window closed), then names and texts with
# emoji (VS16, ZWJ, skin tones, flags), umlauts and CJK.
# (a name the generator below never uses, so the switcher finds only her)
sed 's/Edda Marlowe/Olga Altkundin/' "$SI_FIXTURES/webhook-text.json" \
    >"$T/old.json"
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
    --body-file "$T/old.json" >/dev/null 2>&1
OLD=$(si list all --json | jq -r '.rows[0].id')
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count 12 \
    --customers 6 >/dev/null 2>&1
inbound 491510000101 "Zoë 👍🏽 Müller" "Grüße ❤️ aus Köln 👨‍👩‍👧 🇩🇪"
inbound 491510000102 "Jürgen ❤️ 中文名" "請問 👋🏿 wann kommt das Paket? ✔️"
inbound 491510000103 "Ana 🇧🇷🇵🇹 Flag" "e\xcc\x81te combining 🏳️‍🌈 ok"
si canned add greet --title Greeting \
    --body 'Hallo {{contact.first_name}}, hier ist {{agent.name}}.' \
    >/dev/null 2>&1
si templates sync >/dev/null 2>&1
si agent team root support >/dev/null

# --- 120x40 ---
start w 120 40
check "first screen shows the queue tabs" wait_for w "1:Open"
check "first screen shows a conversation" wait_for w "Zoë"
check "top bar shows the daemon connection" wait_for w "[daemon: ok]"
check "top bar shows the business number and the agent's team" \
    wait_for w "| +15550783881 | root (support) |"
check_eq "list and thread borders line up (emoji, umlauts, CJK)" 43 \
    "$(border_cols w)"
check "no row runs past the right edge" test "$(max_width w)" -le 120
first=$(cursor_row w)
tm send-keys -t w j
cursor_not() { [ "$(cursor_row w)" != "$1" ]; }
cursor_is() { [ "$(cursor_row w)" = "$1" ]; }
si_until cursor_not "$first"
second=$(cursor_row w)
check "j moves the cursor" test "$first" != "$second"
tm send-keys -t w G
sleep 0.3
tm send-keys -t w g g
si_until cursor_is "$first"
check_eq "gg returns to the first conversation" "$first" "$(cursor_row w)"
tm send-keys -t w '?'
check "help lists the bound keys" wait_for w ":claim"
check_contains "help is generated from the key table" "next-waiting" \
    "$(screen w)"
tm send-keys -t w q
if wait_gone w "[list]"; then ok "q closes help"; else not_ok "q closes help"; screen w | sed 's/^/# /'; fi

# claim the selected conversation
tm send-keys -t w a
check "a claims: the row shows the assignee" wait_for w "[root]"
check "claim shows in the Mine count" wait_for w "2:Mine 1"

# open and reply; the simulator receives it
tm send-keys -t w Enter
check "Enter opens the thread" wait_for w "24h window"
tm send-keys -t w r
sleep 0.2
tm send-keys -t w -l "Hallo aus dem TUI-Test"
tm send-keys -t w Enter
_j=0
while [ $_j -lt 150 ]; do
	simreq | jq -e '.bodies[] | select(.text.body == "Hallo aus dem TUI-Test")' \
	    >/dev/null 2>&1 && break
	sleep 0.1
	_j=$((_j + 1))
done
check "the reply reaches the simulator" test $_j -lt 50
see w "✓✓" "the thread shows the delivery state"

# canned replies: / on an empty draft
tm send-keys -t w Escape
sleep 0.2
tm send-keys -t w r
sleep 0.2
tm send-keys -t w /
see w "/greet" "/ on an empty draft opens the canned picker"
check_contains "the picker previews the rendered text" "hier ist root" \
    "$(screen w)"
tm send-keys -t w Enter
check "the canned reply lands in the draft" wait_for w "> Hallo "
tm send-keys -t w C-c
tm send-keys -t w Escape
sleep 0.2
tm send-keys -t w q
sleep 0.2

# a message arriving while the list is open: new row, cursor stays
before=$(cursor_row w)
inbound 491510000199 "Neue Kundin" "Hallo, ganz neu hier"
check "a new conversation appears live" wait_for w "Neue Kundin"
check_eq "the cursor stays on its conversation" "$before" "$(cursor_row w)"

# the pending queue has its tab; any other view of the daemon by :view
tm send-keys -t w 7
check "7 shows the pending queue" wait_for w "[7:Pending"
tm send-keys -t w :
tm send-keys -t w -l "view window:48"
tm send-keys -t w Enter
check ":view shows any view the daemon has" wait_for w "[view: window:48]"
check "with its conversations" wait_for w "Neue Kundin"
tm send-keys -t w :
tm send-keys -t w -l "view nosuch"
tm send-keys -t w Enter
check "an unknown view is explained" wait_for w "unknown view 'nosuch'"

# template mode after the window closed
tm send-keys -t w 4
sleep 0.5
tm send-keys -t w C-k
sleep 0.3
old_name=$(si list all --json | jq -r --argjson c "$OLD" '.rows[] | select(.id == $c) | .name')
tm send-keys -t w -l "$old_name"
tm send-keys -t w Enter
check "an old conversation shows the window closed" wait_for w "window closed"
tm send-keys -t w r
sleep 0.2
tm send-keys -t w Enter
check "the composer offers templates" wait_for w "template (the window is closed)"
tm send-keys -t w -l "sample_shipping_confirmation (en_US)"
wait_gone w "appointment_reminder" >/dev/null
tm send-keys -t w Enter
see w "{{1}} of 1 (body)" "a template asks for its parameters by name"
tm send-keys -t w -l "3"
tm send-keys -t w Enter
see w "(y/n)" "the exact text is shown before sending, with a question"
tm send-keys -t w -l "y"
tm send-keys -t w Enter
_j=0
while [ $_j -lt 150 ]; do
	simreq | jq -e '.bodies[] | select(.type == "template")' >/dev/null 2>&1 &&
	    break
	sleep 0.1
	_j=$((_j + 1))
done
check "a template reaches the simulator" test $_j -lt 150
# a template with an image header: its parameters by name, then the file
si consent set "conv:$OLD" marketing on --reason "TUI test" >/dev/null
printf '\211PNG\r\n\032\n banner' >"$T/banner.png"
tm send-keys -t w r
sleep 0.2
tm send-keys -t w Enter
see w "template (the window is closed)" "the template picker opens again"
tm send-keys -t w -l "summer_sale (de)"
wait_gone w "appointment_reminder" >/dev/null
tm send-keys -t w Enter
see w "{{1}} of 2 (body)" "the first body parameter is asked for"
tm send-keys -t w -l "Lena"
tm send-keys -t w Enter
see w "{{2}} of 2 (body)" "then the second"
tm send-keys -t w -l "20%"
tm send-keys -t w Enter
see w "image header: a file's path or an https:// link" \
    "then the image header's file or link"
tm send-keys -t w -l "$T/banner.png"
tm send-keys -t w Enter
see w "(y/n)" "then the exact text, and the question"
tm send-keys -t w -l "y"
tm send-keys -t w Enter
sent_with_id() {
	simreq | jq -e '.bodies[] | select(.type == "template" and
	    .template.name == "summer_sale") |
	    select(.template.components[0].parameters[0].image.id != null)'
}
check "the file is uploaded and the template goes with its media id" \
    si_until sent_with_id
tm send-keys -t w Escape
sleep 0.2
tm send-keys -t w q
sleep 0.2

# resize to narrow: one pane; Enter shows the thread, q goes back
tm resize-window -t w -x 60 -y 20
one_pane() { [ -z "$(border_cols w)" ]; }
si_until one_pane
check_eq "below 80 columns there is one pane" "" "$(border_cols w)"
tm send-keys -t w Enter
see w "THREAD" "narrow: Enter shows the thread"
see w "[template sample_shipping_confirmation]" \
    "narrow: the thread shows the template sent"
[ -n "${TUI_DEBUG:-}" ] && si list all --json | jq -r '.rows[].id' | while read -r c; do si show "$c" --json | jq -c '.messages[] | [.direction, .type, .body]' | sed 's/^/# /'; done
tm send-keys -t w q
check "narrow: q goes back to the list" wait_for w "LIST"
tm resize-window -t w -x 30 -y 10
check "too small: a clear message" wait_for w "needs at least"
tm resize-window -t w -x 120 -y 40
check "growing again reflows at once" wait_for w "1:Open"
check_eq "borders line up after the resize" 43 "$(border_cols w)"

# --- 80x24 ---
start s 80 24
check "80x24: first screen" wait_for s "1:Open"
check_eq "80x24: borders line up" 30 "$(border_cols s)"
check "80x24: nothing past the edge" test "$(max_width s)" -le 80

# --- 60x20 ---
start n 60 20
check "60x20: single pane list" wait_for n "1:Open"
check_eq "60x20: no border" "" "$(border_cols n)"

# --- colours ---
start c 100 30
wait_for c "1:Open" >/dev/null
check "the default theme uses colour" sh -c \
    "tmux -L $TS capture-pane -e -p -t c | grep -q '\[3[0-7]m\|;3[0-7]m\|38;5'"
start m 100 30 NO_COLOR=1
wait_for m "1:Open" >/dev/null
check "NO_COLOR: no colour at all" sh -c \
    "! tmux -L $TS capture-pane -e -p -t m | grep -q '\[3[0-7]m\|;3[0-7]m\|38;5\|\[4[0-7]m'"
check "NO_COLOR: the cursor row is still marked (reverse)" sh -c \
    "tmux -L $TS capture-pane -e -p -t m | grep -q '7m'"

# --- unknown TERM ---
tm new-session -d -s u -x 100 -y 30 "env LANG=C.UTF-8 \
    TERM=xterm-unknown-kitty $SIC -c $T/si.conf 2>$T/u.err; sleep 600"
check "unknown TERM falls back instead of dying" wait_for u "1:Open"
check_contains "and says which terminal it used" "using 'xterm-256color'" \
    "$(cat "$T/u.err")"

# --- a customer's photo: Enter on it in the thread, s, saves the file ---
{ printf 'TUI-PHOTO '; head -c 300000 /dev/urandom; } >"$T/tuiphoto.jpg"
MID=$(curl -s -H "Authorization: Bearer test-access-token" \
    -F "file=@$T/tuiphoto.jpg;type=image/jpeg" -F type=image/jpeg \
    -F messaging_product=whatsapp "$SIMURL/v23.0/106540352242922/media" |
    jq -r .id)
jq --arg id "$MID" '.entry[0].changes[0].value.messages[0].image.id = $id |
    .entry[0].changes[0].value.messages[0].id = "wamid.TUIPHOTO" |
    .entry[0].changes[0].value.messages[0].timestamp = (now | floor | tostring) |
    .entry[0].changes[0].value.contacts[0].wa_id = "491510000177" |
    .entry[0].changes[0].value.contacts[0].profile.name = "Foto Kundin" |
    .entry[0].changes[0].value.messages[0].from = "491510000177"' \
    "$SI_FIXTURES/webhook-image.json" >"$T/tuiimg.json"
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
    --body-file "$T/tuiimg.json" >/dev/null 2>&1
PMSG=$(si_all_messages | jq -r 'select(.body.wamid=="wamid.TUIPHOTO") | .id')
i=0
until si media get "$PMSG" --output "$T/probe.jpg" >/dev/null 2>&1 ||
    [ $i -gt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
mkdir "$T/dl"
start f 120 40 SUPPORT_INBOX_DOWNLOADS="$T/dl"
wait_for f "Foto Kundin" >/dev/null
tm send-keys -t f Enter
# The thread's own line: the list row already shows the caption, and an
# Enter sent before the thread is open goes to the list.
wait_for f "Enter: open or save" >/dev/null
tm send-keys -t f Enter
wait_for f "s: save it" >/dev/null
tm send-keys -t f s Enter
wait_for f "save to (Tab completes): $T/dl" >/dev/null
tm send-keys -t f Enter
check "Enter, s, Enter on a photo saves it and says where" wait_for f "saved to $T/dl/"
check "the saved file is the customer's, byte for byte" \
    cmp -s "$T/tuiphoto.jpg" "$(ls "$T/dl"/* 2>/dev/null | head -n 1)"

# quitting restores the terminal
tm send-keys -t n Q
check "Q quits" wait_for n "client exit 0"
for _s in w s c m u f; do
	tm send-keys -t "$_s" Q
done
for _s in w s c m u f; do
	wait_for "$_s" "client exit" >/dev/null
done
no_sanitizer_report

si_done
