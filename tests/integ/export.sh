#!/bin/sh
# Issue 18, point 3: exports. export conversations (CSV, JSON, filters, no
# personal data without --reason, masked numbers with one, full numbers
# only with --full-numbers and a reason), export transcript (plain text
# wrapped at 78 columns, self-contained HTML with every customer string
# escaped and bidi controls stripped), export contacts (contact export);
# every export audited with its reason; the CSV formula guard; --out
# writes a new 0600 file and never overwrites one; --json summaries; clear
# errors for a bad format or an unknown option.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config si-exp
si_user si_t_exa si-exp
si_sim
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
si agent add si_t_exa >/dev/null
db="$T/data/support-inbox.db"
aud() { si audit export --action "$1" --detail --purpose "export test"; }

# inbound WA_ID NAME WAMID TEXT: a customer's text message, now.
inbound() {
	jq --arg ts "$(date +%s)" --arg wa "$1" --arg name "$2" \
	    --arg id "$3" --arg text "$4" \
	    '.entry[0].changes[0].value.contacts = [{profile: {name: $name},
	    wa_id: $wa}] | .entry[0].changes[0].value.messages = [{from: $wa,
	    id: $id, timestamp: $ts, type: "text", text: {body: $text}}]' \
	    "$SI_FIXTURES/webhook-text.json" >"$T/in.json"
	si_post "$T/in.json" >/dev/null
}
conv_of() { si contact show "+$1" --json | jq -r '.conversations[0].id'; }

EVIL='=HYPERLINK("x")'
RLO=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
inbound 4915100000101 "$EVIL" wamid.EX1 \
    "<script>alert(1)</script> & \"quoted\" 'single' ${RLO}evil"
inbound 4915100000102 "Grete Quist" wamid.EX2 "my order is late"
inbound 4915100000102 "Grete Quist" wamid.EX3 "$(printf 'a long line %.0s' \
    $(seq 1 20))"
C1=$(conv_of 4915100000101)
C2=$(conv_of 4915100000102)
check "two conversations" test -n "$C1" -a -n "$C2" -a "$C1" != "$C2"
si label create vip >/dev/null
si label add vip "$C2" >/dev/null
si assign "$C2" si_t_exa >/dev/null
si agent name si_t_exa "Maya Support" >/dev/null
check "the agent answers their conversation" quiet si_as si_t_exa reply \
    "$C2" "We are on it"
check "an agent's reply goes out" quiet si reply "$C1" "Hello from support" \
    --force
si note add "$C1" "internal: check the parcel" >/dev/null
si resolve "$C1" >/dev/null

# --- conversations: no personal data without a reason ---
csv=$(si export conversations)
check_eq "a header and two rows" 3 "$(printf '%s\n' "$csv" | wc -l)"
check_eq "the header names the columns, no name or phone" \
    "id,state,priority,team,assignee,labels,number,created,$(
    )first_customer_message,first_response,resolved,messages_in,$(
    )messages_out,last_activity,window" \
    "$(printf '%s\n' "$csv" | head -n 1)"
check "no name or number without a reason" sh -c '! printf "%s" "$1" |
    grep -q -e HYPERLINK -e Grete -e 4915100000 -e 0101 -e 0102' _ "$csv"
row2=$(printf '%s\n' "$csv" | tr -d '\r' | grep "^$C2,")
check_contains "the row has state, assignee, label, counts, window" \
    "$C2,open,normal,,si_t_exa,vip," "$row2"
check_contains "two in, one out" ",2,1," "$row2"
check_contains "the window is open" ",open" "$(printf '%s' "$row2" |
    sed 's/.*,//; s/^/,/')"
js=$(si export conversations --format json)
check_eq "json: the counts of the resolved one" "resolved 1 1 true" \
    "$(printf '%s' "$js" | jq -r --argjson c "$C1" '.conversations[] |
    select(.id == $c) | [.state, .messages_in, .messages_out,
    .first_response >= .first_customer_message] | map(tostring) |
    join(" ")')"
check_eq "json: no name, phone or contact id without a reason" "0" \
    "$(printf '%s' "$js" | jq '[.conversations[] | select(has("name") or
    has("phone") or has("contact_id"))] | length')"
check_eq "the export is audited without a purpose" "" \
    "$(aud export.conversations | head -n 1 | jq -r '.purpose // ""')"

# --- filters ---
ids() { si export conversations --format json "$@" | jq -r \
    '[.conversations[].id] | join(" ")'; }
check_eq "--state resolved" "$C1" "$(ids --state resolved)"
check_eq "--label vip" "$C2" "$(ids --label vip)"
check_eq "--assignee" "$C2" "$(ids --assignee si_t_exa)"
check_eq "--assignee none" "$C1" "$(ids --assignee none)"
check_eq "--view resolved" "$C1" "$(ids --view resolved)"
check_eq "--view label:vip" "$C2" "$(ids --view label:vip)"
check_eq "--from tomorrow: none" "" "$(ids --from tomorrow)"
check_eq "--to 1d ago: none" "" "$(ids --to "1d ago")"
out=$(si export conversations --state closed 2>&1)
check_contains "an unknown state is refused" "unknown state 'closed'" "$out"
out=$(si export conversations --colour red 2>&1)
check_contains "an unknown option is refused" \
    "export conversations does not take --colour" "$out"
out=$(si export conversations --format xml 2>&1)
check_contains "a bad format is refused" "--format is csv or json" "$out"
out=$(si export transcript "$C1" --reason x --format pdf 2>&1)
check_contains "a bad transcript format is refused" "--format is txt or html" \
    "$out"
out=$(si export conversations --full-numbers 2>&1)
check_contains "--full-numbers needs a reason" "needs --reason" "$out"
out=$(si call export.conversations '{"full_numbers":true}' 2>&1)
check_contains "the daemon too" "need a reason" "$out"
out=$(si_as si_t_exa export conversations 2>&1)
check_contains "an agent may not export all conversations" \
    "needs the supervisor role" "$out"

# --- with a reason: names, masked numbers; the formula guard ---
csv=$(si export conversations --reason "monthly report")
check_contains "the name column with a reason" ",name,phone" \
    "$(printf '%s\n' "$csv" | head -n 1)"
check_contains "the formula guard on the name" "\"'=HYPERLINK(\"\"x\"\")\"" \
    "$csv"
check_contains "the other name" "Grete Quist" "$csv"
check "numbers masked by default" sh -c '! printf "%s" "$1" |
    grep -q 4915100000102' _ "$csv"
check_contains "a masked number is no formula: no quote" ",+49 151 " "$csv"
check_eq "audited with the reason" "monthly report" \
    "$(aud export.conversations | tail -n 1 | jq -r .purpose)"
raw=$(si export conversations --reason "raw" --raw)
check_contains "--raw leaves the cell as it is" ",\"=HYPERLINK(\"\"x\"\")\"" \
    "$raw"
full=$(si export conversations --reason "CRM sync" --full-numbers \
    --format json)
check_eq "full numbers with --full-numbers and a reason" "+4915100000102" \
    "$(printf '%s' "$full" | jq -r --argjson c "$C2" '.conversations[] |
    select(.id == $c) | .phone')"
check_contains "the audit says so" "in full" \
    "$(aud export.conversations | tail -n 1 | jq -r .detail)"

# --- --out: new, 0600, never overwritten; --json summary ---
sum=$(si --json export conversations --out "$T/conv.csv")
check_eq "the summary" "$T/conv.csv 2 csv" "$(printf '%s' "$sum" |
    jq -r '"\(.file) \(.rows) \(.format)"')"
check_eq "the file is 0600" 600 "$(stat -c %a "$T/conv.csv")"
check_eq "a file has CRLF line ends" 3 "$(grep -c "$(printf '\r')\$" \
    "$T/conv.csv")"
echo keep >"$T/exists.csv"
out=$(si export conversations --out "$T/exists.csv" 2>&1)
check_contains "an existing file is refused" "exists" "$out"
check_eq "and kept" keep "$(cat "$T/exists.csv")"
ln -s "$T/exists.csv" "$T/link.csv"
check "a link is refused" sh -c '! "$@" >/dev/null 2>&1' _ \
    "$SIC" -c "$T/si.conf" export conversations --out "$T/link.csv"
check "--force replaces a file" quiet si export conversations --force \
    --out "$T/exists.csv"
check_contains "with the export" "id,state" "$(cat "$T/exists.csv")"

# --- transcripts ---
out=$(si export transcript "$C1" 2>&1)
check_contains "a transcript needs a reason" "give --reason" "$out"
txt=$(si export transcript "$C1" --reason "CRM record" --notes)
check_contains "the customer's text" "<script>alert(1)</script>" "$txt"
check_contains "the customer by name" "$EVIL" "$txt"
check_contains "the reply by the agent" "Hello from support" "$txt"
check_contains "the note with --notes" "note by" "$txt"
check_contains "the note's text" "internal: check the parcel" "$txt"
check "no bidi control in the text" sh -c '! printf "%s" "$1" |
    grep -q "$2"' _ "$txt" "$RLO"
check_eq "audited with the reason" "CRM record" \
    "$(aud export.transcript | head -n 1 | jq -r .purpose)"
txt2=$(si export transcript "$C2" --reason "CRM record")
check_eq "lines are at most 78 columns" 0 "$(printf '%s\n' "$txt2" |
    awk 'length($0) > 78' | wc -l)"
check_contains "the long message is wrapped" "    a long line" "$txt2"
check_contains "the agent by display name" "Maya Support" "$txt2"
txt3=$(si export transcript "$C1" --reason "no notes")
check "no note without --notes" sh -c '! printf "%s" "$1" |
    grep -q "note by"' _ "$txt3"
si export transcript "$C1" --reason "CRM record" --format html \
    --out "$T/t.html" >/dev/null
html=$(cat "$T/t.html")
check_eq "the html file is 0600" 600 "$(stat -c %a "$T/t.html")"
check "no <script in the html" sh -c '! grep -qi "<script" "$1"' _ "$T/t.html"
check_contains "the message escaped" \
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; $(
    )&#39;single&#39; evil" \
    "$html"
check_contains "the name escaped" "=HYPERLINK(&quot;x&quot;)" "$html"
check "no bidi control in the html" sh -c '! grep -q "$2" "$1"' _ \
    "$T/t.html" "$RLO"
check "self-contained: no external resource" sh -c '! grep -qiE \
    "(src|href)=|url\(|@import" "$1"' _ "$T/t.html"
check_contains "inline CSS" "<style>" "$html"
sum=$(si --json export transcript "$C1" --reason "CRM" --format html \
    --out "$T/t2.html")
check_eq "the transcript's summary" "html" "$(printf '%s' "$sum" |
    jq -r .format)"
out=$(si export transcript 99999 --reason x 2>&1)
check_contains "an unknown conversation" "no conversation 99999" "$out"
# An agent: someone else's conversation opens with the reason as purpose.
out=$(si_as si_t_exa export transcript "$C1" --reason "agent CRM" 2>&1)
check_contains "an agent exports what they may read" "Hello from support" \
    "$out"

# --- contacts: the same command as contact export ---
c1=$(si export contacts --reason "contacts out")
check_contains "export contacts writes the contacts" "Grete Quist" "$c1"
check_contains "with the formula guard" "\"'=HYPERLINK(\"\"x\"\")\"" "$c1"
check_eq "audited as contact.export with the reason" "contacts out" \
    "$(aud contact.export | head -n 1 | jq -r .purpose)"
sum=$(si --json export contacts --reason "file" --out "$T/contacts.csv")
check_eq "the contacts summary" "2 csv" "$(printf '%s' "$sum" |
    jq -r '"\(.rows) \(.format)"')"

# --- media, a location and contact cards read in a transcript ---
for f in image location contacts; do
	si_post "$SI_FIXTURES/webhook-$f.json" >/dev/null
done
C3=$(conv_of 12025550147)
txt=$(si export transcript "$C3" --reason "media")
check_contains "an image as [image...]" "[image" "$txt"
check_contains "a location" "[location]" "$txt"
check_contains "a contact card" "[contact]" "$txt"
check_contains "the customer's name" "Edda Marlowe" "$txt"
# A restricted contact (Art. 18): closed to agents, withheld from rows.
si privacy restrict "conv:$C3" on --reason "Art. 18 test" --yes >/dev/null
out=$(si_as si_t_exa export transcript "$C3" --reason "agent" 2>&1)
check_contains "an agent may not export a restricted contact's transcript" \
    "restricted" "$out"
check_eq "the refusal is audited" "denied" \
    "$(aud export.transcript | tail -n 1 | jq -r .result)"
js=$(si export conversations --reason "with restricted" --format json)
check_eq "a restricted contact's name and number are withheld" \
    "null null true" \
    "$(printf '%s' "$js" | jq -r --argjson c "$C3" '.conversations[] |
    select(.id == $c) | [.name, .phone, .withheld] | map(tostring) |
    join(" ")')"
check "the CSV leaves them empty" sh -c 'printf "%s\n" "$1" | grep -q ",,\$"' \
    _ "$(si export conversations --reason "with restricted" | grep "^$C3,")"

# A transcript longer than a page (100 messages) comes whole, in order.
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count 130 \
    --customers 1 --prefix exlong >/dev/null 2>&1
CL=$(si export conversations --format json | jq -r '[.conversations[] |
    select(.messages_in >= 130)][0].id')
check "130 messages in one conversation" test -n "$CL" -a "$CL" != null
n=$(si --json export transcript "$CL" --reason "long" --out "$T/long.txt" |
    jq -r .rows)
check_eq "every message of the long one" 130 "$n"
check_eq "each once, in time order" 130 "$(grep -c '^[0-9]' "$T/long.txt")"
check_eq "oldest first" "$(grep '^[0-9]' "$T/long.txt" | sort -s -k1,2 |
    md5sum)" "$(grep '^[0-9]' "$T/long.txt" | md5sum)"

# --- doc/exports.md's nightly recipe, the script as printed there ---
sed -n '/^    #!\/bin\/sh$/,/-mtime/p' "$SI_TOP/doc/exports.md" |
    sed -n '1,/-mtime/p' | sed 's/^    //' >"$T/nightly.sh"
mkdir -p "$T/share"
touch -d "100 days ago" "$T/share/conversations-2020-01-01.csv"
today=$(date +%F)
nightly() {
	PATH="$SI_BUILD:$PATH" SUPPORT_INBOX_CONFIG="$T/si.conf" \
	    DEST="$T/share" GROUP="$(id -gn)" DAY="$1" sh "$T/nightly.sh"
}
check "the nightly script runs" nightly "$today"
f="$T/share/conversations-$today.csv"
check_eq "its file is group-readable, no more" 640 "$(stat -c %a "$f")"
check_eq "with today's three conversations and the header" 4 \
    "$(wc -l <"$f")"
check "without a name" sh -c '! grep -q -e Grete -e HYPERLINK "$1"' _ "$f"
check_eq "nothing left in the staging directory" "" "$(ls "$T/share/.staging")"
check "the old file rotated away" test ! -e \
    "$T/share/conversations-2020-01-01.csv"
check "a rerun leaves the file" nightly "$today"
check_eq "as it was" 640 "$(stat -c %a "$f")"

[ -n "${EXPORT_DUMP:-}" ] && { si export transcript "$C1" --reason d --notes \
    >/tmp/exp-t1.txt; si export transcript "$C3" --reason d >/tmp/exp-t3.txt
    cp "$T/t.html" /tmp/exp-t1.html; si export conversations --reason d \
    >/tmp/exp-c.csv; }
# Nothing personal in clear on disk or in the log.
check "no name in clear in the store" sh -c '! grep -rqa -e "Grete Quist" \
    -e "alert(1)" "$1"' _ "$T/data"
si_done
