#!/bin/sh
# Issue 17 point 1: collecting opt-ins. "optin link" prints the
# click-to-chat link (wa.me, the text percent-encoded) of each number,
# "optin qr" draws it as a QR code in the terminal and writes PNG and SVG
# files (decoded back with zbarimg); a customer sending a number's opt-in
# text is a marketing opt-in (source click_to_chat, the message as
# evidence, the text's version) confirmed once; a near miss is not; START
# still works; an imported opt-in keeps its source and basis. TAP lines.
. "$(dirname "$0")/../lib.sh"

DE_ID=106540352242922
DE_WABA=102290129340398
SALES_ID=106540352240001
SALES_WABA=102290129340002
BARE_ID=106540352240002
BARE_WABA=102290129340003
DE_TEXT='Ja, ich will Neuigkeiten & Angebote von Bäckerei Müller'
SALES_TEXT='START – yes, news from Bäckerei Müller sales please'
REPLY='Danke! You will get our news. / Abmelden: STOP'

si_tmp
si_config
for n in sales bare; do
	printf '%s-access-token\n' "$n" >"$T/${n}_token"
	chmod 600 "$T/${n}_token"
done
cat >>"$T/si.conf" <<EOF
label = DE
display_number = +49 30 1234567
template_sync_minutes = 0

[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token
display_number = 4930 7654321

[number bare]
phone_number_id = $BARE_ID
waba_id = $BARE_WABA
token_file = bare_token

[business]
name = Bäckerei Müller

[consent]
start_reply = $REPLY

[optin]
text = $DE_TEXT

[optin sales]
text = START – yes, news from {business} sales please
EOF

si_sim --phone-number-id $DE_ID --waba-id $DE_WABA \
    --number "$SALES_ID,$SALES_WABA,$T/sales_token" \
    --number "$BARE_ID,$BARE_WABA,$T/bare_token"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
check_eq "before any webhook (a fresh start, a restart) the clients' top bar gets the configured display_number" \
    "49301234567 config" \
    "$(si status --json | jq -r '"\(.number) \(.number_from)"')"
db="$T/data/support-inbox.db"

# inbound FROM TO TEXT: a customer writes to business number TO.
inbound() {
	jq -cn --arg f "$1" --arg to "$2" --arg t "$3" \
	    '{from: $f, name: ("Customer " + $f), to: $to, text: $t,
	    wait: true}' |
	    curl -s -XPOST "$SIMURL/_sim/inbound" -d @- >/dev/null
}
uri() { jq -rn --arg t "$1" '$t | @uri'; }
replies() {
	curl -s "$SIMURL/_sim/requests" | jq --arg r "$REPLY" \
	    '[.bodies[] | select(.text.body? == $r)] | length'
}

# --- the link ---
link=$(si optin link)
check_eq "the default number's link: wa.me, its digits, the text encoded" \
    "https://wa.me/49301234567?text=$(uri "$DE_TEXT")" "$link"
check_contains "spaces, ',', '&' and umlauts are percent-encoded (UTF-8)" \
    "?text=Ja%2C%20ich%20will%20Neuigkeiten%20%26%20Angebote%20von%20B%C3%A4ckerei%20M%C3%BCller" \
    "$link"
j=$(si optin link --json)
check_eq "--json: link, number, display number, text" \
    "$link|DE|49301234567|$DE_TEXT" \
    "$(printf '%s' "$j" | jq -r '"\(.link)|\(.number)|\(.display_number)|\(.text)"')"
DE_VERSION=$(printf '%s' "$j" | jq -r .text_version)
check "--json: the text's version is optin: and 16 hex digits" \
    sh -c "printf '%s' '$DE_VERSION' | grep -Eqx 'optin:[0-9a-f]{16}'"
check_eq "the second number: its display number and its own text, {business} filled in" \
    "https://wa.me/49307654321?text=$(uri "$SALES_TEXT")" \
    "$(si optin link --number sales)"
out=$(si optin link --number DE --text)
check_eq "--text adds the number and the text" \
    "$link
number DE (+49301234567), text: $DE_TEXT" "$out"
out=$(si optin link --number nope 2>&1)
check_eq "an unknown number label is refused" 1 "$?"
check_contains "with an error naming the label" "no number has the label 'nope'" \
    "$out"
out=$(si optin link --number bare 2>&1)
check_eq "a number without display_number is refused" 1 "$?"
check_contains "with an error saying what to set" \
    "number 'bare' has no display_number: set its public phone number in [number bare]" \
    "$out"
out=$(si optin link --number 'x y"z' 2>&1)
check_eq "a label that is no label is refused" 1 "$?"

# --- the QR code ---
si optin qr >"$T/qr.txt"
check_eq "the terminal drawing ends with the link" "$link" "$(tail -n 1 "$T/qr.txt")"
head -n -1 "$T/qr.txt" >"$T/qr-only.txt"
if command -v qrencode >/dev/null 2>&1; then
	qrencode -l M -t UTF8 -o "$T/ref.txt" "$link"
	check "it is qrencode -t UTF8's drawing of the link, block for block" \
	    cmp -s "$T/ref.txt" "$T/qr-only.txt"
else
	check "the drawing has half blocks" grep -q '▄' "$T/qr-only.txt"
fi
check_eq "every line of it is as wide (quiet zone included)" 1 \
    "$(python3 -c 'import sys; print(len({len(l) for l in open(sys.argv[1], encoding="utf-8")}))' "$T/qr-only.txt")"

mkdir "$T/out"
j=$(si optin qr --png "$T/out/de.png" --svg "$T/out/de.svg" --json)
check_eq "the PNG holds the link (zbarimg)" "$link" \
    "$(zbarimg --raw -q "$T/out/de.png" 2>/dev/null)"
check_eq "the files are 0644, no temporary file left" "644 644 2" \
    "$(stat -c %a "$T/out/de.png") $(stat -c %a "$T/out/de.svg") $(ls "$T/out" | wc -l)"
V=$(printf '%s' "$j" | jq .version)
M=$(printf '%s' "$j" | jq .modules)
check_eq "modules = 17 + 4 x version" "$M" "$((17 + 4 * V))"
check_eq "the PNG: 8 pixels a module, a quiet zone of 4" \
    "$(((M + 8) * 8))" \
    "$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(struct.unpack(">I", d[16:20])[0])' "$T/out/de.png")"
if command -v xmllint >/dev/null 2>&1; then
	check "the SVG is well-formed XML" xmllint --noout "$T/out/de.svg"
else
	check "the SVG has its root element" grep -q '^<svg xmlns=' "$T/out/de.svg"
fi
check_contains "its viewBox is the code's modules and the quiet zone" \
    "viewBox=\"0 0 $((M + 8)) $((M + 8))\"" "$(cat "$T/out/de.svg")"
# The SVG's dark runs drawn into a bitmap, 4 pixels a module: it decodes.
sed -n 's/.* d="\([^"]*\)".*/\1/p' "$T/out/de.svg" | tr 'z' '\n' |
    awk -v n=$((M + 8)) -v s=4 '
	/^M/ { sub(/^M/, ""); split($0, a, /[ hv]/); x = a[1]; y = a[2]
	    for (i = 0; i < a[3]; i++) dark[y, x + i] = 1 }
	END { print "P1"; print n * s, n * s
	    for (y = 0; y < n * s; y++) { line = ""
		for (x = 0; x < n * s; x++)
		    line = line ((int(y / s), int(x / s)) in dark ? "1 " : "0 ")
		print line } }' >"$T/svg.pbm"
check_eq "the SVG's modules decode to the link" "$link" \
    "$(zbarimg --raw -q "$T/svg.pbm" 2>/dev/null)"

cp "$T/out/de.png" "$T/de-first.png"
out=$(si optin qr --number sales --png "$T/out/de.png" 2>&1)
check_eq "an existing file is refused without --force" 1 "$?"
check_contains "saying so" "exists; give --force to replace it" "$out"
check "and is left as it was" cmp -s "$T/out/de.png" "$T/de-first.png"
out=$(si optin qr --number sales --png "$T/out/de.png" --force)
check_eq "--force replaces it: the sales link" \
    "$(si optin link --number sales)" "$(zbarimg --raw -q "$T/out/de.png" 2>/dev/null)"
check_eq "still 0644, still two files" "644 2" \
    "$(stat -c %a "$T/out/de.png") $(ls "$T/out" | wc -l)"
out=$(si optin qr --png "$T/nodir/x.png" 2>&1)
check_eq "an unwritable place is an error" 1 "$?"
out=$(si optin qr --number bare 2>&1)
check_contains "qr of a number without display_number: the same error" \
    "has no display_number" "$out"

# --- opt-in from the click-to-chat text ---
A=4915100000071
B=4915100000072
C=4915100000073
D=4915100000074
inbound $A $DE_ID "  ja, ICH will Neuigkeiten & Angebote von Bäckerei Müller
"
h=$(si consent show "+$A" --json)
check_eq "after the first webhook: its number (a client asks again)" \
    webhook "$(si status --json | jq -r .number_from)"
convA=$(si list all --json | jq -r '.rows[0].id')
midA=$(si show "$convA" --json | jq -r '[.messages[] | select(.direction == "in")][0].id')
check_eq "the opt-in text (trimmed, ASCII case aside) is a marketing opt-in" \
    true "$(printf '%s' "$h" | jq .marketing)"
check_eq "source click_to_chat, the message as evidence, the text's version" \
    "marketing true click_to_chat $midA $DE_VERSION" \
    "$(printf '%s' "$h" | jq -r '.history[-1] | "\(.purpose) \(.opt_in) \(.source) \(.evidence_message) \(.text_version)"')"
check_eq "one ledger row" 1 "$(printf '%s' "$h" | jq '.history | length')"
check "the confirmation reaches the customer" si_until sh -c \
    "[ \"\$(curl -s '$SIMURL/_sim/requests' | jq --arg r '$REPLY' '[.bodies[] | select(.text.body? == \$r)] | length')\" -ge 1 ]"
sleep 0.3
check_eq "once" 1 "$(replies)"

inbound $B $DE_ID "Ja, ich will Neuigkeiten & Angebote von Bäckerei Mueller"
check_eq "a near miss is no opt-in" "false 0" \
    "$(si consent show "+$B" --json | jq -r '"\(.marketing) \(.history | length)"')"
inbound $B $DE_ID "Ja, ich will Neuigkeiten & Angebote von BÄCKEREI Müller"
check_eq "non-ASCII letters count exactly" "false 0" \
    "$(si consent show "+$B" --json | jq -r '"\(.marketing) \(.history | length)"')"
inbound $C $DE_ID "$SALES_TEXT"
check_eq "another number's text is no opt-in for this one" "false 0" \
    "$(si consent show "+$C" --json | jq -r '"\(.marketing) \(.history | length)"')"
inbound $C $SALES_ID "$SALES_TEXT"
check_eq "it is at its own number" "true click_to_chat" \
    "$(si consent show "+$C" --json | jq -r '"\(.marketing) \(.history[-1].source)"')"
check_eq "with that text's version" \
    "$(si optin link --number sales --json | jq -r .text_version)" \
    "$(si consent show "+$C" --json | jq -r '.history[-1].text_version')"

inbound $D $DE_ID "START"
h=$(si consent show "+$D" --json)
check_eq "START still works, as a keyword, once" "true customer_message 1" \
    "$(printf '%s' "$h" | jq -r '"\(.marketing) \(.history[-1].source) \(.history | length)"')"
three() { [ "$(replies)" -ge 3 ]; }
check "each opt-in is confirmed" si_until three
sleep 0.3
check_eq "three opt-ins, three confirmations: none twice, none for a near miss" \
    3 "$(replies)"

# --- imported opt-ins keep their source and basis ---
printf 'phone,name,marketing,date\n+4915100000079,Imported Person,yes,2026-10-05\n' \
    >"$T/import.csv"
si contact import "$T/import.csv" --map 'phone=phone,name=name,marketing=marketing,date=consent_date' \
    --source "Paper form, shop counter" --basis consent >/dev/null
check_eq "an imported opt-in is in the history with its source and basis" \
    "true import|Paper form, shop counter|consent|2026-10-05" \
    "$(si consent show "+4915100000079" --purpose check --json | jq -r \
    '"\(.marketing) \(.history[0].source)|\(.history[0].source_text)|\(.history[0].basis)|\(.history[0].ts | strftime("%Y-%m-%d"))"')"

# --- audit, and nothing personal in the clear ---
check_eq "optin.link reads configuration only: no audit record" 0 \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action LIKE 'optin%'")"
check_eq "the confirmations are audited as the daemon's replies" 3 \
    "$(si audit export --agent support-inboxd --detail --purpose "optin test" |
    jq -s '[.[] | select(.action == "message.send" and .detail == "start_reply")] | length')"
check_eq "the customers' numbers are not in the clear in the log" 0 \
    "$(grep -c "$A\|$C" "$T/daemon.log")"
check "the audit chain verifies" quiet si audit verify

# --- reload picks up a new text ---
sed -i "s/^text = Ja, ich will/text = Jawohl, ich will/" "$T/si.conf"
si reload >/dev/null
check_contains "a reload takes the new text" "?text=Jawohl%2C" "$(si optin link)"

si_stop
si_done
