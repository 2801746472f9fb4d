#!/bin/sh
# Issue 13, point 2: conv.find, the quick switch's lookup. Names rank as
# the pickers rank (Rosa Klein before Aleksandra Dąbrowska for "rosa"),
# folded for case and accents; the last digits of a number find the
# customer through the phone-ending blind index, whose rows hold no digits
# and are filled for contacts stored before it existed; every lookup is
# audited, a number's digits never in the record; bounds of the query and
# the limit.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }

# msg WA NAME TEXT: customer WA (digits) writes.
msg() {
	msgn=$(date +%s%N)
	sed -e "s/12025550147/$1/g" -e "s/Edda Marlowe/$2/" \
	    -e "s/Is the smoky oolong back in stock?/$3/" \
	    -e "s/wamid\.HBg/wamid.F${msgn}x/" \
	    -e "s/1748867412/$(date +%s)/" \
	    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	si_post "$T/m.json"
}

# find PARAMS-JSON: the whole answer of conv.find.
find() {
	printf '{"id":1,"method":"hello","params":{"version":1}}\n{"id":2,"method":"conv.find","params":%s}\n' "$1" |
	    socat -t 2 - "UNIX-CONNECT:$T/run/socket" | tail -n 1
}
names() { find "$1" | jq -r '[.result.rows[].name] | join(",")'; }

check_eq "Rosa Klein writes" 200 "$(msg 4915100004711 'Rosa Klein' 'Where is my parcel?')"
check_eq "Aleksandra writes" 200 \
    "$(msg 4915100001234 'Aleksandra Dąbrowska' 'Hello')"
check_eq "Rosalind writes" 200 "$(msg 4915100005555 'Rosalind Meyer' 'Hi')"
check_eq "Jürgen writes" 200 "$(msg 4917600009876 'Jürgen Müller' 'Moin')"
# Aleksandra wrote last: recency alone would put her first.
check_eq "Aleksandra again" 200 \
    "$(msg 4915100001234 'Aleksandra Dąbrowska' 'Still there?')"
si_until sh -c "[ \$($SIC -c $T/si.conf list all --json | jq '.rows | length') -eq 4 ]"

# --- names ---
check_eq "rosa: Rosa Klein, then Rosalind, then Aleksandra (r..o..s..a)" \
    "Rosa Klein,Rosalind Meyer,Aleksandra Dąbrowska" "$(names '{"q":"rosa"}')"
check_eq "case does not matter" "Rosa Klein" \
    "$(find '{"q":"ROSA KL"}' | jq -r '.result.rows[0].name')"
check_eq "a word start: klein" "Rosa Klein" "$(names '{"q":"klein"}')"
check_eq "accents fold: jurgen muller" "Jürgen Müller" \
    "$(names '{"q":"jurgen muller"}')"
check_eq "accents fold the other way: dąb" "Aleksandra Dąbrowska" \
    "$(names '{"q":"dab"}')"
check_eq "a name match says so" name \
    "$(find '{"q":"rosa"}' | jq -r '.result.rows[0].match.kind')"
check_eq "rows are view rows (conversation id, state)" "true open" \
    "$(find '{"q":"rosa"}' | jq -r '.result.rows[0] | "\(.id > 0) \(.state)"')"
check_eq "nobody: no rows" 0 "$(find '{"q":"zzzz"}' | jq '.result.rows | length')"

# --- the last digits of a number ---
rosa=$(find '{"q":"rosa"}' | jq -r '.result.rows[0].id')
for q in 4711 '…4711' '...4711' '0000 4711' '+49 151 0000 4711' \
    4915100004711; do
	got=$(find "{\"q\":\"$q\"}" | jq -r '[.result.rows[] | "\(.id):\(.match.kind)"] | join(",")')
	check_eq "'$q' finds Rosa Klein by her number" "$rosa:phone" "$got"
done
check_eq "3 digits are too few to look up" 0 \
    "$(find '{"q":"711"}' | jq '.result.rows | length')"
check_eq "an ending nobody has" 0 \
    "$(find '{"q":"9999"}' | jq '.result.rows | length')"
check_eq "digits with a letter are a name query (nobody)" 0 \
    "$(find '{"q":"47a1"}' | jq '.result.rows | length')"
check_eq "Tom Baker writes (his number ends like Rosalind's)" 200 \
    "$(msg 4369900005555 'Tom Baker' 'Hi')"
check_eq "an ending two customers share finds both" \
    "Tom Baker,Rosalind Meyer" "$(names '{"q":"5555"}')"
check_eq "a longer ending tells them apart" "Rosalind Meyer" \
    "$(names '{"q":"1510000 5555"}')"

# --- bounds ---
err() { find "$1" | jq -r '"\(.error.code): \(.error.message)"'; }
check_contains "no query" "invalid: missing parameter 'q'" "$(err '{}')"
check_contains "an empty query" "invalid: q: type part of a name" \
    "$(err '{"q":""}')"
check_contains "blanks only" "invalid: q: type part of a name" \
    "$(err '{"q":"   "}')"
huge=$(head -c 201 /dev/zero | tr '\0' a)
check_contains "a huge query" "longer than 200 bytes" \
    "$(err "{\"q\":\"$huge\"}")"
check_contains "a query that is no string" "must be a string" \
    "$(err '{"q":4711}')"
check_contains "limit 0" "invalid" "$(err '{"q":"rosa","limit":0}')"
check_contains "limit 101" "invalid" "$(err '{"q":"rosa","limit":101}')"
check_eq "limit 1: the best only" "Rosa Klein" \
    "$(names '{"q":"rosa","limit":1}')"
long=$(head -c 200 /dev/zero | tr '\0' 7)
check_eq "200 digits: the last 15 looked up, nothing found" 0 \
    "$(find "{\"q\":\"$long\"}" | jq '.result.rows | length')"
check "the daemon is still there" quiet si status

# --- the index on disk, and the audit ---
rcid=$(db "SELECT contact_id FROM conversations WHERE id = $rosa")
check_eq "Rosa's number has 10 endings indexed (4 to 13 digits)" 10 \
    "$(db "SELECT count(*) FROM contact_phone_endings WHERE contact_id = $rcid")"
check_eq "every ending is a 32-byte keyed hash" 0 \
    "$(db "SELECT count(*) FROM contact_phone_endings WHERE length(blind) != 32")"
# The number and every query form, in clear (a bare "4711" also turns up
# by chance inside binary pages: a hash, a key, a varint run).
check "no 4711 in clear in the database files" sh -c \
    "! grep -aqE '4915100004711|0000 4711|…4711|[.][.][.]4711|[\":= ]4711([^0-9]|\$)' $T/data/support-inbox.db $T/data/support-inbox.db-wal 2>/dev/null"
n=$(db "SELECT count(*) FROM audit WHERE action = 'conv.find'")
check "every lookup is audited" test "$n" -ge 20
check_eq "refused bounds are not (no lookup ran)" 0 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'conv.find' AND result != 'ok'")"
si audit show --action conv.find --detail --purpose "issue 13 test" --json \
    >"$T/audit.json" 2>&1
check_contains "a number lookup: how many digits, not which" \
    "number ending (4 digits)" "$(cat "$T/audit.json")"
check "no digits of the number in any detail" sh -c \
    "! jq -r '.records[].detail' $T/audit.json | grep -q 4711"
check_contains "a name lookup: the name typed (sealed on disk)" '"rosa"' \
    "$(jq -c '[.records[].detail]' "$T/audit.json")"

# --- older contacts: filled at start ---
si_stop
db "DELETE FROM contact_phone_endings"
check "daemon starts again" si_start
si_until sh -c "[ \$(sqlite3 $T/data/support-inbox.db 'SELECT count(*) FROM contact_phone_endings WHERE contact_id = $rcid') -eq 10 ]"
check_eq "the endings of older contacts are filled at start" 10 \
    "$(db "SELECT count(*) FROM contact_phone_endings WHERE contact_id = $rcid")"
check_eq "and find them" "$rosa:phone" \
    "$(find '{"q":"4711"}' | jq -r '[.result.rows[] | "\(.id):\(.match.kind)"] | join(",")')"

# --- an erased contact's endings go with it ---
si privacy erase "contact:$rcid" --reason "Art. 17" --yes >/dev/null
check_eq "erasure leaves no ending of the number" 0 \
    "$(db "SELECT count(*) FROM contact_phone_endings WHERE contact_id = $rcid")"
check_eq "and nothing finds it" 0 \
    "$(find '{"q":"4711"}' | jq '.result.rows | length')"
check_eq "nor the name" "Rosalind Meyer,Aleksandra Dąbrowska" \
    "$(names '{"q":"rosa"}')"
si_stop
si_done
