#!/bin/sh
# Issue 16 point 1: business hours per team. A week of "is it open, and
# until when" through 'support-inbox hours --at' (hours.status), table
# driven: spans with a lunch break, a short Saturday, a closed Sunday, a
# holiday file (Bavaria's, from contrib/holidays), the spring and autumn
# DST changes of Europe/Berlin; the default section for other teams; the
# configuration refused with file:line (unknown zone, bad span, bad
# holiday line, missing zone); daemon.reload takes new hours and keeps the
# old on a bad file.
. "$(dirname "$0")/../lib.sh"

si_tmp
si_config
cp "$SI_TOP/contrib/holidays/de-BY.txt" "$T/de-BY.txt"
printf '2026-12-09 Firmenjubiläum\n# a comment\n\n' >"$T/extra.txt"
cp "$T/si.conf" "$T/base.conf"
cat >>"$T/si.conf" <<'EOF2'

[hours support]
timezone = Europe/Berlin
mon = 09:00-12:30,13:30-17:00
tue = 09:00-12:30,13:30-17:00
wed = 09:00-12:30, 13:30-17:00
thu = 09:00-12:30,13:30-17:00
fri = 09:00-12:30,13:30-17:00
sat = 10:00-14:00
sun = closed
holidays = de-BY.txt extra.txt

[hours]
timezone = UTC
mon = 00:00-24:00
tue = 00:00-24:00
wed = 00:00-24:00
thu = 00:00-24:00
fri = 00:00-24:00
sat = 00:00-24:00
sun = 00:00-24:00
EOF2
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts with [hours] sections" si_start

# at (UTC) | expected "open changes" for team support
while IFS='|' read -r at want why; do
	[ -z "$at" ] && continue
	got=$(si hours support --at "$at" --json |
	    jq -r '"\(.open) \(.changes)"')
	check_eq "$why ($at)" "$want" "$got"
done <<'EOF2'
2026-12-07T07:59:00Z|false Mon 09:00|Monday 08:59 Berlin: closed, opens at 9
2026-12-07T08:00:00Z|true Mon 12:30|Monday 09:00 Berlin (UTC+1): open until lunch
2026-12-07T11:45:00Z|false Mon 13:30|Monday lunch break: closed until 13:30
2026-12-07T12:30:00Z|true Mon 17:00|Monday afternoon: open until 17:00
2026-12-07T16:00:00Z|false Tue 09:00|Monday 17:00: closed until Tuesday
2026-12-09T09:00:00Z|false Thu 09:00|a holiday from a second file: closed all day
2026-12-12T09:30:00Z|true Sat 14:00|Saturday 10:30: open until 14:00
2026-12-12T13:00:00Z|false Mon 09:00|Saturday 14:00: closed over Sunday
2026-12-24T10:00:00Z|true Thu 12:30|Christmas Eve is a working day
2026-12-25T10:00:00Z|false Mon 09:00|Christmas (Fri) and Boxing Day (Sat) closed, then Sunday
2027-03-22T07:59:00Z|false Mon 09:00|before DST: 08:59 CET
2027-03-22T08:00:00Z|true Mon 12:30|before DST: 09:00 CET is 08:00 UTC
2027-03-27T13:00:00Z|false Tue 09:00|Saturday before DST, then Sunday and Easter Monday
2027-03-30T06:59:00Z|false Tue 09:00|after DST: 08:59 CEST
2027-03-30T07:00:00Z|true Tue 12:30|after DST: 09:00 CEST is 07:00 UTC
2027-10-29T14:59:00Z|true Fri 17:00|last Friday of summer time: 16:59 CEST is 14:59 UTC
2027-10-29T15:00:00Z|false Sat 10:00|and 17:00 CEST is 15:00 UTC
2027-11-02T07:59:00Z|false Tue 09:00|after the autumn change (and All Saints' Monday): 08:59 CET
2027-11-02T08:00:00Z|true Tue 12:30|09:00 CET is 08:00 UTC again
EOF2

j=$(si hours support --at 2027-03-27T13:00:00Z --json)
check_eq "changes_at is the instant of Tuesday 09:00 CEST" \
    "$(date -u -d 2027-03-30T07:00:00Z +%s)" "$(echo "$j" | jq .changes_at)"
check_eq "the answer names the zone and local time" \
    "Europe/Berlin Sat 2027-03-27 14:00" \
    "$(echo "$j" | jq -r '"\(.timezone) \(.local)"')"
j=$(si hours support --at 2026-12-07T10:00:00Z --json)
check_eq "next holiday from the Bavarian file" \
    "2026-12-09 Firmenjubiläum" \
    "$(echo "$j" | jq -r '"\(.next_holiday.date) \(.next_holiday.name)"')"
j=$(si hours support --at 2026-12-25T10:00:00Z --json)
check_eq "today's holiday, then the next" \
    "1. Weihnachtstag 2. Weihnachtstag" \
    "$(echo "$j" | jq -r '"\(.holiday.name) \(.next_holiday.name)"')"
check_eq "Easter Monday 2027 is closed (movable feast)" "false" \
    "$(si hours support --at 2027-03-29T10:00:00Z --json | jq .open)"
check_eq "Corpus Christi 2027 (Bavaria) is closed" "false" \
    "$(si hours support --at 2027-05-27T10:00:00Z --json | jq .open)"
check_eq "the Thursday before it is open" "true" \
    "$(si hours support --at 2027-05-20T10:00:00Z --json | jq .open)"

# A team without its own section has the default hours; the text form.
j=$(si hours billing --at 2026-12-13T03:00:00Z --json)
check_eq "another team: the default section, open around the clock" \
    "default true null" \
    "$(echo "$j" | jq -r '"\(.hours) \(.open) \(.changes)"')"
out=$(si hours support --at 2026-12-07T07:59:00Z)
check_contains "text: closed, opens, the zone" \
    "support: closed opens Mon 09:00 (Europe/Berlin, Mon 2026-12-07 08:59)" \
    "$out"
check_contains "text: the next holiday" "next holiday: 2026-12-09" "$out"
check_eq "hours without TEAM lists every section" 2 \
    "$(si hours --json | jq '.teams | length')"
out=$(si hours support --at "not a time" 2>&1)
check "a bad --at is refused" test $? -ne 0
check_contains "with what is wrong" "--at:" "$out"
check_eq "hours.status leaves no audit record (no personal data)" 0 \
    "$(sqlite3 "$T/data/support-inbox.db" \
    "SELECT count(*) FROM audit WHERE action LIKE 'hours%'")"

# Reload: new hours take effect; a bad file keeps the running ones.
sed -i 's/^sat = 10:00-14:00/sat = 10:00-16:00/' "$T/si.conf"
check_contains "reload says the hours were read again" \
    "business hours and auto-replies reloaded (2 [hours] sections)" \
    "$(si reload 2>&1)"
check_eq "Saturday now until 16:00" "true Sat 16:00" \
    "$(si hours support --at 2026-12-12T09:30:00Z --json |
    jq -r '"\(.open) \(.changes)"')"
cp "$T/si.conf" "$T/good.conf"
sed -i 's|^timezone = Europe/Berlin|timezone = Europe/Atlantis|' "$T/si.conf"
# (the client reads the good copy: it checks the zone too)
out=$("$SIC" -c "$T/good.conf" reload 2>&1)
check "a reload with an unknown zone fails" test $? -ne 0
check_contains "naming file, line and the fix" \
    "si.conf:$(grep -n Atlantis "$T/si.conf" | cut -d: -f1): [hours support] timezone 'Europe/Atlantis' is not a time zone" \
    "$out"
check_eq "the running hours are kept" "true Sat 16:00" \
    "$("$SIC" -c "$T/good.conf" hours support --at 2026-12-12T09:30:00Z --json |
    jq -r '"\(.open) \(.changes)"')"
cp "$T/good.conf" "$T/si.conf"
si_stop

# Refused at start, each with file:line and what to write.
bad() {	# bad NAME SECTION-TEXT EXPECTED
	cp "$T/base.conf" "$T/bad.conf"
	printf '%s\n' "$2" >>"$T/bad.conf"
	out=$("$SID" -c "$T/bad.conf" 2>&1)
	rc=$?
	check "$1: the daemon does not start" test $rc -ne 0
	check_contains "$1: the message" "$3" "$out"
}
n=$(($(wc -l <"$T/base.conf") + 2))
bad "unknown zone" "[hours]
timezone = Mars/Olympus" \
    "bad.conf:$n: [hours] timezone 'Mars/Olympus' is not a time zone"
bad "a span without minutes" "[hours x]
timezone = UTC
mon = 9-17" "bad.conf:$((n + 1)): [hours x] mon expects 'closed' or spans 'HH:MM-HH:MM'"
bad "a span ending before it starts" "[hours x]
timezone = UTC
mon = 17:00-09:00" "bad.conf:$((n + 1)): [hours x] mon has a span that ends before it starts"
bad "overlapping spans" "[hours x]
timezone = UTC
mon = 09:00-12:00,11:00-13:00" "[hours x] mon has spans that overlap"
printf '2026-01-01 Neujahr\n2026-02-30 Nie\n' >"$T/badhol.txt"
bad "a holiday that is no date" "[hours x]
timezone = UTC
holidays = badhol.txt" "bad.conf:$((n + 1)): [hours x] holidays: $T/badhol.txt:2: 2026-02-30 is not a date"
bad "a missing holiday file" "[hours x]
timezone = UTC
holidays = nothere.txt" "cannot open holiday file '$T/nothere.txt'"
bad "no timezone" "[hours x]
mon = 09:00-17:00" "bad.conf:$((n - 1)): [hours x] needs timezone"
bad "a section given twice" "[hours x]
timezone = UTC
[hours x]
mon = closed" "[hours x] is given twice"
bad "an unknown variable in a text" "[hours x]
timezone = UTC
away = Hello {{contact.shoe_size}}" "[hours x] away is not a valid text"
bad "{{wait}} in an away text" "[hours x]
timezone = UTC
away = back in {{wait}}" "[hours x] away uses {{wait}}"
bad "a busy text without a threshold" "[hours x]
timezone = UTC
busy = wait {{wait}}" "[hours x] has a busy text but no busy_when_waiting"
bad "a bad period" "[hours x]
timezone = UTC
away_every = often" "[hours x] away_every expects a duration"

# The generator writes the same files as the tree holds.
mkdir "$T/gen"
cp "$SI_TOP/contrib/holidays/gen-de.sh" "$T/gen/"
sh "$T/gen/gen-de.sh" 2026 2028
check_eq "gen-de.sh reproduces the 16 files" "" \
    "$(for f in "$SI_TOP"/contrib/holidays/de-*.txt; do
	cmp -s "$f" "$T/gen/${f##*/}" || echo "${f##*/}"; done)"
check_contains "Saxony has Buß- und Bettag 2026 (Wednesday 18 November)" \
    "2026-11-18 Buß- und Bettag" "$(cat "$T/gen/de-SN.txt")"
check_contains "Thuringia has Weltkindertag" "2027-09-20 Weltkindertag" \
    "$(cat "$T/gen/de-TH.txt")"
check_contains "Berlin has Frauentag" "2028-03-08 Internationaler Frauentag" \
    "$(cat "$T/gen/de-BE.txt")"
check_eq "Saarland has Mariä Himmelfahrt, Hamburg not" "1 0" \
    "$(grep -c '2027-08-15' "$T/gen/de-SL.txt") $(grep -c '2027-08-15' "$T/gen/de-HH.txt")"

si_done
