#!/bin/sh
# Issue 19, point 3: the TUI report view (:report). On the known-answer
# store of tests/integ/report.sh (gen-report.py, report-store) with the
# clock on Sunday 12 April 2026, a supervisor's :report shows this week
# so far: each day's opened and resolved counts as gen-report.py computed
# them, bars in proportion (the largest count's bar is the longest), a
# sparkline of opened per day; Tab shows the response report with the
# daemon's median, S-Tab goes back, [ shows the week before with its
# figures. An agent is refused with the daemon's word. 80x24 without
# colour draws the same counts within the width.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_rvg
si_config "$GRP"
si_user si_t_rvs "$GRP"
si_user si_t_rva "$GRP"
sed -i 's/^listen = .*/listen = off/' "$T/si.conf"
python3 "$(dirname "$0")/../tools/gen-report.py" "$T/gen" ||
    { not_ok "the generator runs"; si_done; exit 1; }
cat "$T/gen/hours.conf" >>"$T/si.conf"
check "the events load into a new store" \
    "$SI_BUILD/tools/report-store" "$T/data" "$T/gen/events.jsonl"
NOW=$(TZ=Europe/Berlin date -d "2026-04-12 12:00" +%s)
MON=$(TZ=Europe/Berlin date -d "2026-04-06 00:00" +%s)
echo "@$NOW" >"$T/clock"
chmod 644 "$T/clock"
export SI_TEST_CLOCK="$T/clock"
si_start_store || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done
    exit 1; }
si agent add si_t_rvs --role supervisor >/dev/null
si agent add si_t_rva >/dev/null
. "$(dirname "$0")/../lib-tui.sh"
E="$T/gen/expected.json"
CENV="SI_TEST_CLOCK=$T/clock TZ=Europe/Berlin"

# day KEY: "opened resolved" of that local day, as gen-report.py has it
day() { jq -r ".all.volume_by_day[] | select(.key == \"$1\") |
    \"\(.opened) \(.resolved)\"" "$E"; }
# bars NAME: per day line "Day NN opened RESOLVED OPENED_8THS RESOLVED_8THS"
bars() {
	screen "$1" | python3 -c '
import re, sys
cells = {"\u2588": 8, "\u2589": 7, "\u258a": 6, "\u258b": 5, "\u258c": 4,
         "\u258d": 3, "\u258e": 2, "\u258f": 1, "#": 8}
pat = re.compile(r"(\w{3} \d\d)\s+opened (\S*)\s+(\d+)\s+resolved (\S*)\s+(\d+)")
for line in sys.stdin.read().split("\n"):
    m = pat.search(line)
    if m:
        e = lambda s: sum(cells.get(c, 0) for c in s)
        print(m.group(1), m.group(3), m.group(5), e(m.group(2)),
              e(m.group(4)))'
}
# in_proportion: every bar is count / max of the longest, to an eighth
# (a whole cell in ASCII), and the longest bar is the largest count's
in_proportion() {
	python3 -c '
import sys
rows = [l.split() for l in sys.stdin.read().strip().split("\n")]
pairs = [(int(r[2]), int(r[4])) for r in rows] + \
    [(int(r[3]), int(r[5])) for r in rows]
mx = max(c for c, _ in pairs)
full = max(b for _, b in pairs)
tol = 8 if sys.argv[1] == "ascii" else 1
ok = mx > 0 and all(b == full for c, b in pairs if c == mx)
for c, b in pairs:
    want = max(1, round(c * full / mx)) if c else 0
    ok = ok and abs(b - want) <= tol
sys.exit(0 if ok else 1)' "$1"
}

start_as si_t_rvs "$GRP" s 110 40 "$CENV"
check "the supervisor's client starts" wait_for s "1:Open"
key s :
typeit s "report"
key s Enter
see s "volume report, week Mon 06 Apr 2026 .. now, Sun 12 Apr 12:00" \
    ":report opens this week so far (Monday 00:00 to the test clock)"
see s "opened per day" "the sparkline of opened per day is drawn"
wait_for s "Thu 09" >/dev/null
exp=$(day 2026-04-09)
got=$(bars s | awk '$1 == "Thu" && $2 == "09" { print $3, $4 }')
check_eq "Thursday 9 April: opened and resolved as gen-report.py counted" \
    "$exp" "$got"
exp=$(for d in 06 07 08 09 10 11; do day "2026-04-$d"; done | tr '\n' ' ')
got=$(bars s | awk '{ printf "%s %s ", $3, $4 }' | cut -d' ' -f1-12)
check_eq "Monday to Saturday: every day's counts" "$exp" "$got "
check_eq "seven days drawn, Sunday so far included" 7 "$(bars s | wc -l)"
bars s >"$T/bars"
if in_proportion utf8 <"$T/bars"; then
	ok "bars in proportion (eighths); the largest count's is the longest"
else
	not_ok "bars in proportion (eighths)"; sed 's/^/# /' "$T/bars"; fi
spark=$(screen s | grep "opened per day" | sed 's/.*opened per day *//')
check "the sparkline is seven block characters with a full one" sh -c \
    "echo '$spark' | grep -Eq '^[▁▂▃▄▅▆▇█]{7}\$' && echo '$spark' |
    grep -q '█'"
check_contains "the totals line is there" "total: opened" "$(screen s)"

# Tab: the response report, with the daemon's median for this week.
med=$(si report response --from "$MON" --to "$NOW" --format json |
    jq -r '.total.first_response.median')
medtxt=$(python3 -c "import sys; s = int(sys.argv[1]); print('%ds' % s
    if s < 60 else '%dm' % (s // 60) if s < 3600 else
    '%dh%02dm' % (s // 3600, s // 60 % 60))" "$med")
check "the daemon has a median for the week" test -n "$medtxt"
key s Tab
see s "response report, week" "Tab goes to the response report"
see s "first response   median $medtxt" "the first response's median ($medtxt) is shown"
see s "daily median of the first response" "with its daily sparkline"
see s "SLA, first" "and the first response's attainment"
key s BTab
see s "volume report, week" "S-Tab goes back to volume"
key s BTab
see s "failures report, week" "S-Tab from volume wraps to failures"
see s "failed sends:" "the failures' total"
key s BTab
see s "survey report, week" "then the survey"
sv=$(si report survey --from "$MON" --to "$NOW" --format json |
    jq -r '.rows[] | select(.scale == "5") |
    "scale 5: \(.sent) sent, \(.answered) answered"')
check "the daemon has scale 5 surveys this week" test -n "$sv"
see s "$sv" "the survey's scale 5: sent and answered as the daemon counts"
ratings_drawn() { screen s | grep -Eq '^ +[1-5] +█+ +[0-9]+$'; }
check "its ratings are bars with their counts" ratings_drawn
key s BTab
see s "labels report, week" "then labels"
see s "refund" "a label's row"
[ -n "${SI_TUI_SHOW:-}" ] && screen s
key s BTab
see s "agents report, week" "then agents"
see s "rp_a1" "an agent's row"
[ -n "${SI_TUI_SHOW:-}" ] && screen s
key s Tab Tab Tab Tab
see s "volume report, week" "Tab comes round to volume"

# [: the week before, whole: Monday 30 March to Sunday 5 April.
key s "["
see s "week Mon 30 Mar 2026 .. Sun 05 Apr 2026" "[ shows the week before"
wait_for s "Thu 02" >/dev/null
sleep 0.3
got=$(bars s | awk '$1 == "Thu" && $2 == "02" { print $3, $4 }')
check_eq "Thursday 2 April (that week): the known counts" \
    "$(day 2026-04-02)" "$got"
wk=$(jq -r '.all.volume_by_week[] | select(.key == "2026-W14") |
    "total: opened \(.opened), resolved \(.resolved)"' "$E")
see s "$wk" "the week's totals are gen-report.py's ISO week 14"
key s "]"
see s "week Mon 06 Apr 2026 .. now" "] comes back to this week"
key s m
see s "volume report, month Wed 01 Apr 2026 .. now" "m: this month so far"
see s "Wed 01" "from the first of the month"
got=$(bars s | awk '$1 == "Thu" && $2 == "02" { print $3, $4 }')
check_eq "the month's Thursday 2 April: the known counts" \
    "$(day 2026-04-02)" "$got"
key s m
see s "volume report, week Mon 06 Apr" "m again: the week"
key s q
check "q closes the view" wait_gone s "volume report"

# An agent: the daemon refuses report.get; the view does not stay.
start_as si_t_rva "$GRP" a 100 30 "$CENV"
check "the agent's client starts" wait_for a "1:Open"
key a :
typeit a "report"
key a Enter
see a "report: 'report.get' needs the supervisor role" \
    "an agent is refused with the daemon's word"
check "no report drawn for the agent" wait_gone a "opened per day"

# 80x24 and NO_COLOR: the same counts, nothing past the width.
start_as si_t_rvs "$GRP" n 80 24 "$CENV NO_COLOR=1"
check "the small client starts" wait_for n "1:Open"
key n :
typeit n "report"
key n Enter
see n "Thu 09" "80x24: the days are drawn"
sleep 0.3
got=$(bars n | awk '$1 == "Thu" && $2 == "09" { print $3, $4 }')
check_eq "80x24 NO_COLOR: Thursday's counts" "$(day 2026-04-09)" "$got"
bars n >"$T/bars80"
if in_proportion utf8 <"$T/bars80"; then ok "80x24: bars in proportion"
else not_ok "80x24: bars in proportion"; sed 's/^/# /' "$T/bars80"; fi
check "80x24: no line wider than the screen" \
    test "$(max_width n)" -le 80
key n Tab
see n "first response   median $medtxt" "80x24: the response median"

[ -n "${SI_TUI_SHOW:-}" ] && { screen s; screen n; }
for x in s a n; do key $x Q; done
for x in s a n; do wait_for $x "client exit" >/dev/null; done
no_sanitizer_report
si_done
