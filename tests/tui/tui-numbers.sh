#!/bin/sh
# Issue 15 point 6 on screen: with two business numbers the list rows and
# the top bar show the numbers' labels, and ":view number:LABEL" lists one
# number's conversations; with one number neither shows a label. The
# daemon says the same (list --json). Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

DE_ID=106540352242922
DE_WABA=102290129340398
SALES_ID=106540352240001
SALES_WABA=102290129340002

si_tmp
si_config
printf 'sales-access-token\n' >"$T/sales_token"
chmod 600 "$T/sales_token"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
cp "$T/si.conf" "$T/one.conf"
cat >>"$T/si.conf" <<EOC
label = DE

[number sales]
phone_number_id = $SALES_ID
waba_id = $SALES_WABA
token_file = sales_token
EOC
si_sim --phone-number-id $DE_ID --waba-id $DE_WABA \
    --number "$SALES_ID,$SALES_WABA,$T/sales_token"
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

# to FROM NAME NUMBER TEXT: a customer writes to business number NUMBER
to() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"to\":\"$3\",\"text\":\"$4\",\"wait\":true}" >/dev/null
}
# row_has NAME CUSTOMER TEXT: the customer's row line shows TEXT
row_has() { screen "$1" | grep -F -- "$2" | grep -qF -- "$3"; }
no_label() { ! screen "$1" | grep -qF -e '{DE}' -e '{main}' -e '{sales}'; }
top_plain() { ! screen "$1" | head -n 1 | grep -qF -e '| main' -e '| DE'; }
to 491510000081 "Vera Stahl" $DE_ID "Guten Tag"
to 491510000082 "Sam Ortiz" $SALES_ID "Price list please"

check_eq "the daemon: each row names its number" "DE sales" \
    "$(si list all --json | jq -r '[.rows[].number] | sort | join(" ")')"

start w 120 30
check "two numbers: the top bar names both" wait_for w "| DE sales |"
check "two numbers: the DE row shows its label" row_has w "Vera Stahl" "{DE}"
check "two numbers: the sales row shows its label" \
    row_has w "Sam Ortiz" "{sales}"

# :view number:sales lists the sales number's conversations only.
key w :
typeit w "view number:sales"
key w Enter
check "the view is one number's" wait_gone w "Vera Stahl"
check "with its conversation" wait_for w "Sam Ortiz"
# N in a number's view writes from that number, with its WABA's template.
si templates sync >/dev/null
key w N
see w "new conversation: type a number" "N opens the new-conversation picker"
typeit w "+49 151 0000 0091"
see w "write to +49 151 00000091" "the number, normalised"
key w Enter
see w "from sales: pick a template" "the view's number is the one written from"
typeit w "sales_welcome"
key w Enter
see w "of 1 (body)" "its parameter is asked for"
typeit w "Ana"
key w Enter
see w "exactly what the customer receives" "the preview comes first"
typeit w y
key w Enter
N=""
i=0
while [ -z "$N" ] && [ $i -lt 150 ]; do
	N=$(si list all --json | jq -r '.rows[] |
	    select(.phone_masked != null and (.phone_masked | endswith("91"))) |
	    .id' | head -n 1)
	[ -n "$N" ] || sleep 0.1
	i=$((i + 1))
done
check_eq "the new conversation belongs to sales (daemon)" sales \
    "$(si show "$N" --json | jq -r .conversation.number)"
check "the template left from sales' number with its token" si_until \
    sh -c "curl -s $SIMURL/_sim/requests | jq -e '.log[] |
    select(.path == \"/$SALES_ID/messages\" and
    .token_of == \"$SALES_ID\")'"
key w Escape
key w :
typeit w "view all"
key w Enter
check "all numbers again" wait_for w "Vera Stahl"
key w q
check "the client ends" wait_for w "client exit 0"

# One number: no labels anywhere on screen.
si_stop
cp "$T/one.conf" "$T/si.conf"
check "daemon restarts with one number" si_start
check_eq "the daemon lists one number" '["main"]' \
    "$(si status --json | jq -c .numbers)"
start o 120 30
check "one number: the list is there" wait_for o "Vera Stahl"
check "one number: no label in the rows" no_label o
check "one number: the top bar shows no label" top_plain o
key o q
check "the client ends" wait_for o "client exit 0"

si_stop
no_sanitizer_report
si_done
