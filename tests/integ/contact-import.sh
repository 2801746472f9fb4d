#!/bin/sh
# Issue 15, point 5: contact import from CSV and contact export. The
# fixtures (tests/fixtures/contacts/) have a byte order mark, CRLF, quoted
# fields with commas, quotes and a line break, a duplicate, bad rows, and
# a ';' variant. A dry run answers what the run then does; consent rows
# carry the source and legal basis; a re-import changes nothing; export
# needs a reason and a supervisor, is audited, writes a new 0600 file and
# round-trips through import; bad files write nothing; no name or number
# is in clear on disk.
. "$(dirname "$0")/../lib.sh"

FX="$SI_TOP/tests/fixtures/contacts"
si_tmp
si_config si-imp
si_user si_t_impa si-imp
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
si agent add si_t_impa >/dev/null
db="$T/data/support-inbox.db"
# A customer who wrote before the import (+1 202 555 0147, Edda Marlowe).
si_post "$SI_FIXTURES/webhook-text.json" >/dev/null

contacts() { sqlite3 "$db" "SELECT count(*) FROM contacts"; }
consents() { sqlite3 "$db" "SELECT count(*) FROM consent"; }
audits() { sqlite3 "$db" "SELECT count(*) FROM audit WHERE
    action = 'contact.import'"; }
# The records of an action, details and purposes opened (admin, purpose).
aud() { si audit export --action "$1" --detail --purpose "import test"; }
MAP='Mobile=phone,Full name=name,Lang=language,Newsletter=marketing,Signed up=consent_date'
SRC='opt-in form on the website'
imp() { # FILE ARGS...: the import of the fixture, --json
	_f=$1
	shift
	si --json contact import "$_f" --map "$MAP" --source "$SRC" \
	    --basis consent --date 2026-11-01 --country DE "$@"
}

# --- dry run equals run ---
c0=$(contacts)
n0=$(consents)
dry=$(imp "$FX/contacts.csv" --dry-run)
check_eq "the dry run says it is one" true "$(printf '%s' "$dry" |
    jq .dry_run)"
check_eq "the dry run writes no contact" "$c0" "$(contacts)"
check_eq "the dry run writes no consent row" "$n0" "$(consents)"
run=$(imp "$FX/contacts.csv")
check_eq "the run answers what the dry run said" \
    "$(printf '%s' "$dry" | jq -cS 'del(.dry_run)')" \
    "$(printf '%s' "$run" | jq -cS 'del(.dry_run)')"
check_eq "4 new, 1 merged duplicate, 4 rejected, 4 consent records" \
    "4 0 0 1 4 4" "$(printf '%s' "$run" | jq -r '[.new, .updated,
    .unchanged, .merged, .rejected, .consent_records] | join(" ")')"
check_eq "the run wrote 4 contacts" "$((c0 + 4))" "$(contacts)"
check_eq "rejected rows by their line (a quoted line break counts)" \
    "7 8 9 10" "$(printf '%s' "$run" | jq -r '[.errors[].line] | sort |
    join(" ")')"
reasons=$(printf '%s' "$run" | jq -r '.errors[] | "\(.line): \(.reason)"')
check_contains "a short number is explained" \
    "7: phone number: too short for Germany (+49)" "$reasons"
check_contains "a bad language code is explained" "8: language must be" \
    "$reasons"
check_contains "a row without number or BSUID is explained" \
    "9: neither a phone number nor a BSUID" "$reasons"
check_contains "a bad yes/no is explained" "10: marketing must be yes or no" \
    "$reasons"
check "no error repeats a name or number" sh -c '! printf "%s" "$1" |
    grep -q -e Short -e Eve -e Fritz -e "+49 12" -e "not a code"' _ "$reasons"
text=$(si contact import "$FX/contacts.csv" --map "$MAP" --source "$SRC" \
    --basis consent --date 2026-11-01 --dry-run)
check_contains "the text answer sums it up (without --country)" \
    "dry run, nothing written: 0 new, 0 updated, 4 unchanged, 1 merged duplicates, 4 rejected" \
    "$text"
check_contains "the text answer lists the rejected lines" \
    "line 7: phone number: too short for Germany (+49)" "$text"
check "without --country a national number is read with [contacts] default_country (DE)" \
    sh -c '! printf "%s" "$1" | grep -q "line 11"' _ "$text"
text=$(si contact import "$FX/contacts.csv" --map "$MAP" --source "$SRC" \
    --basis consent --date 2026-11-01 --country AT --dry-run)
check_contains "--country overrides it (line 11 is then an Austrian number)" \
    "dry run, nothing written: 1 new, 0 updated, 3 unchanged" "$text"

# --- what the run wrote ---
show=$(si contact show "+4915123456701" --purpose check --json)
check_eq "the quoted name with a comma, kept over the empty duplicate" \
    "Müller, Anna" "$(printf '%s' "$show" | jq -r .name)"
cs=$(si consent show "+4915123456701" --purpose check --json)
check_eq "Anna's marketing opt-in is recorded" true \
    "$(printf '%s' "$cs" | jq .marketing)"
check_eq "her consent row has the source, the basis and the row's date" \
    "import|$SRC|consent|2026-11-02" "$(printf '%s' "$cs" | jq -r \
    '.history[0] | "\(.source)|\(.source_text)|\(.basis)|\(.ts |
    strftime("%Y-%m-%d"))"')"
check_eq "the duplicate row added no second consent row" 1 \
    "$(printf '%s' "$cs" | jq '.history | length')"
check_eq "Bob's 'no' is an opt-out row" "false false" \
    "$(si consent show "+4915123456702" --purpose check --json | jq -r \
    '"\(.marketing) \(.history[0].opt_in)"')"
check_eq "a national number is read with --country" "Hanna National" \
    "$(si contact show "+491512345679" --purpose check --json | jq -r .name)"
check_eq "Carla's row without a date takes --date" "2026-11-01" \
    "$(si consent show "+4915123456703" --purpose check --json | jq -r \
    '.history[0].ts | strftime("%Y-%m-%d")')"
check_eq "one audit record for the import and one per contact created" \
    "5" "$(aud contact.import | jq -s '[.[] |
    select(.result == "ok")] | length')"
check_contains "the import's record has the source and the counts" \
    "source '$SRC', basis consent: 4 new, 0 updated, 0 unchanged, 1 merged, 4 rejected" \
    "$(aud contact.import | jq -r .detail)"
check_contains "a contact's record says it was created" "created" \
    "$(aud contact.import | jq -r \
    'select(.contact_id != null and .contact_id > 0) | .detail')"
check_eq "the dry runs are audited as dry runs" 3 \
    "$(aud contact.import | jq -s '[.[] |
    select(.result == "dry-run")] | length')"

# --- re-import: nothing new ---
c1=$(contacts)
n1=$(consents)
again=$(imp "$FX/contacts.csv")
check_eq "a re-import finds every contact unchanged" "0 0 4 1 4 0" \
    "$(printf '%s' "$again" | jq -r '[.new, .updated, .unchanged, .merged,
    .rejected, .consent_records] | join(" ")')"
check_eq "a re-import writes no contact" "$c1" "$(contacts)"
check_eq "a re-import writes no consent row" "$n1" "$(consents)"

# --- ';' variant, an existing contact from a webhook ---
semi=$(si --json contact import "$FX/contacts-semicolon.csv" --map \
    'phone=phone,name=name,marketing=marketing' --source 'fair 2026' \
    --basis consent --date 2026-11-01)
check_eq "';' is detected: 1 new, 2 updated (one from a webhook)" \
    "1 2 0 0" "$(printf '%s' "$semi" | jq -r '[.new, .updated,
    .unchanged, .rejected] | join(" ")')"
check_eq "the webhook's contact is updated, not doubled" \
    "Edda; from the webhook" "$(si contact show "+12025550147" --json |
    jq -r .name)"
check_eq "its conversation stays with it" 1 \
    "$(si contact show "+12025550147" --json | jq '.conversations | length')"
semi2=$(si --json contact import "$FX/contacts-semicolon.csv" --map \
    'phone=phone,name=name,marketing=marketing' --source 'fair 2026' \
    --basis consent --date 2026-11-01 --delimiter ';')
check_eq "--delimiter ';' reads it the same; now all unchanged" "0 0 3" \
    "$(printf '%s' "$semi2" | jq -r '[.new, .updated, .unchanged] |
    join(" ")')"

# --- export ---
out=$(si contact export 2>&1)
check_contains "export needs a reason" "give --reason" "$out"
out=$(si_as si_t_impa contact export --reason test 2>&1)
check_contains "an agent may not export" "supervisor" "$out"
out=$(si_as si_t_impa contact import "$FX/contacts.csv" --map "$MAP" \
    --source x --basis consent 2>&1)
check_contains "an agent may not import" "supervisor" "$out"
check "export to a file" quiet si contact export --reason "move to the CRM" \
    --output "$T/export.csv"
check_eq "the file is new and 0600" 600 "$(stat -c %a "$T/export.csv")"
check_eq "it has a header and every contact (6)" 7 \
    "$(grep -c . "$T/export.csv")"
check "the comma in a name is quoted" grep -qF '"Müller, Anna"' \
    "$T/export.csv"
check "the quotes in a name are doubled" grep -qF '"Gustav ""Gus"" Neu"' \
    "$T/export.csv"
out=$(si contact export --reason again --output "$T/export.csv" 2>&1)
check_contains "an existing file is not overwritten" "--force" "$out"
check "--force replaces it" quiet si contact export --reason again \
    --output "$T/export.csv" --force
check_eq "the replaced file is 0600 too" 600 "$(stat -c %a "$T/export.csv")"
check_eq "each export is audited with its reason" "move to the CRM" \
    "$(aud contact.export | head -n 1 | jq -r .purpose)"
check_contains "the record has the count" "6 contacts" \
    "$(aud contact.export | head -n 1 | jq -r .detail)"
si contact export --reason json --format json >"$T/export.json"
check_eq "--format json has the same contacts" 6 \
    "$(jq '.contacts | length' "$T/export.json")"
rt=$(si --json contact import "$T/export.csv" --map \
    'phone=phone,bsuid=bsuid,name=name,language=language,marketing=marketing,service=service' \
    --source 'export round trip' --basis consent --date 2026-11-01)
check_eq "the export imports back without a new contact or rejection" \
    "0 0" "$(printf '%s' "$rt" | jq -r '[.new, .rejected] | join(" ")')"
si contact export --reason compare --output "$T/export2.csv"
check "exported again, the contacts are the same" cmp -s "$T/export.csv" \
    "$T/export2.csv"

# --- a file-wide purpose; a restricted contact ---
pu=$(si --json contact import "$FX/contacts-semicolon.csv" --map \
    'phone=phone,name=name' --source 'fair 2026' --basis consent \
    --date 2026-11-01 --purpose service --dry-run)
check_eq "--purpose service opts every row in: 3 updated, 3 records" \
    "3 3" "$(printf '%s' "$pu" | jq -r '[.updated, .consent_records] |
    join(" ")')"
si privacy restrict "+4915123456702" on --reason "Art. 18 test" --yes \
    >/dev/null
rs=$(imp "$FX/contacts.csv" --dry-run)
check_contains "a restricted contact is not changed" \
    "the contact is restricted (Art. 18)" "$(printf '%s' "$rs" | jq -r \
    '.errors[] | select(.line == 3) | .reason')"
si contact export --reason "restricted test" --output "$T/export3.csv"
check_eq "nor exported (5 of 6 and the header)" 6 \
    "$(grep -c . "$T/export3.csv")"
check_contains "the export's record counts it withheld" "5 contacts after 0, 1 withheld" \
    "$(aud contact.export | tail -n 1 | jq -r .detail)"

# --- bad input writes nothing ---
c2=$(contacts)
n2=$(consents)
a2=$(audits)
bad() { # NAME WANT FILE ARGS...
	_n=$1
	_w=$2
	_f=$3
	shift 3
	if _o=$(si contact import "$_f" "$@" 2>&1); then
		not_ok "$_n: refused"
	else
		check_contains "$_n: refused" "$_w" "$_o"
	fi
}
bad "no mapping" "give --map" "$FX/contacts.csv" --source x --basis consent
bad "no source" "give --source" "$FX/contacts.csv" --map "$MAP" \
    --basis consent
bad "an unknown basis" "basis must be one of" "$FX/contacts.csv" \
    --map "$MAP" --source x --basis because
bad "an unknown field (the known ones listed)" \
    "unknown field 'shoe_size'; the fields are phone, bsuid" \
    "$FX/contacts.csv" --map 'Mobile=phone,Notes=shoe_size' --source x \
    --basis consent
bad "a column not in the header" "no column 'Handy' in the header" \
    "$FX/contacts.csv" --map 'Handy=phone' --source x --basis consent
bad "no phone or bsuid mapped" "map a column to phone or bsuid" \
    "$FX/contacts.csv" --map 'Full name=name' --source x --basis consent
head -c 600000 /dev/zero | tr '\0' 'a' >"$T/big.csv"
bad "a file too large" "larger than 512 KiB" "$T/big.csv" --map "$MAP" \
    --source x --basis consent
printf 'phone,name\n+4915199990001,J\374rgen\n' >"$T/latin1.csv"
bad "a file not in UTF-8" "line 2: not UTF-8" "$T/latin1.csv" \
    --map 'phone=phone,name=name' --source x --basis consent
printf 'phone,name\n+4915199990001,"open\n' >"$T/open.csv"
bad "an unclosed quote" "line 2: a quoted field is not closed" \
    "$T/open.csv" --map 'phone=phone,name=name' --source x --basis consent
printf 'phone,name\n+4915199990001,a,b\n' >"$T/wide.csv"
bad "a row with too many fields" "line 2: 3 fields, but the header has 2" \
    "$T/wide.csv" --map 'phone=phone,name=name' --source x --basis consent
{ echo phone; i=0; while [ $i -lt 5001 ]; do echo "+49151$i"; i=$((i + 1));
    done; } >"$T/many.csv"
bad "more rows than allowed" "more than 5000 rows" "$T/many.csv" \
    --map 'phone=phone' --source x --basis consent
check_eq "the bad files wrote no contact" "$c2" "$(contacts)"
check_eq "the bad files wrote no consent row" "$n2" "$(consents)"
check_eq "the bad files left no import record" "$a2" "$(audits)"

# --- nothing in clear on disk ---
si_stop
check "no imported name in clear in the database" sh -c "! cat '$db'* |
    grep -a -q -e 'Müller' -e 'Zweitname' -e 'Gustav'"
check "no imported number in clear in the database" sh -c "! cat '$db'* |
    grep -a -q -e '4915123456701' -e '4915123456706'"
si_done
