#!/bin/sh
# Issue 13 point 5, rows say what to do next: each list row shows how long
# the customer has waited for an answer (gone once answered), who wrote
# last, the agent's unread count, labels, team, the snooze wake-up time and
# a draft mark; :sort and S order the list (newest, waiting, window,
# priority; the daemon sorts); at 200 columns the list is wider and rows
# carry labels and team; at 80 the top bar keeps Unassigned and Failed;
# after a tab switch the keys act on the list, not on the thread still on
# screen. Two agents (two Unix users), one of them under NO_COLOR.
# Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_rowsg
si_user si_t_rowsa "$GRP"
si_user si_t_rowsb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_rowsa >/dev/null
si agent add si_t_rowsb >/dev/null
si agent team si_t_rowsa support >/dev/null
si agent team si_t_rowsb support >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

# msg N NAME TEXT AGE_SECONDS: customer N wrote AGE_SECONDS ago (a signed
# webhook with its own timestamp: the simulator's inbound is always now)
msg() {
	_ts=$(($(date +%s) - $4))
	sed -e "s/12025550147/49151000070$1/g" -e "s/Edda Marlowe/$2/" \
	    -e "s/Is the smoky oolong back in stock?/$3/" \
	    -e "s/wamid\.HBg/wamid.R$(date +%s%N)x/" \
	    -e "s/1748867412/$_ts/" \
	    "$SI_FIXTURES/webhook-text.json" >"$T/m.json"
	si_post "$T/m.json" >/dev/null
}
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# pane NAME: the list pane of session NAME (its first $LW columns; a
# thread on screen names its customer too)
LW=43
pane() { screen "$1" | python3 -c "import sys
for l in sys.stdin.read().split(chr(10)): print(l[:$LW])"; }
# the row line (line 1 of a row) of a customer, and the line below it
row1() { pane "$1" | grep -F -- "$2" | head -n 1; }
row2() { pane "$1" | grep -F -A1 -- "$2" | sed -n 2p; }
# order NAME: the customers' names in the order of the list on screen
order() { pane "$1" | grep -o 'Xaver Kurz\|Yara Lind\|Zeno Falk' | tr '\n' ' '; }
order_is() { [ "$(order "$1")" = "$2" ]; }
# the customer on the cursor row
cursor_name() { pane "$1" | grep '^>' | grep -o 'Xaver Kurz\|Yara Lind\|Zeno Falk\|Wanda Moos' | head -n 1; }
cursor_on() { [ "$(cursor_name "$1")" = "$2" ]; }
has_cursor() { screen "$1" | grep -q '^>'; }
cursor_moved() { [ "$(cursor_at "$1")" != "$2" ]; }
waits() { row2 "$1" "$2" | grep -q 'wait '; }
row1_has() { row1 "$1" "$2" | grep -qF -- "$3"; }
row2_has() { row2 "$1" "$2" | grep -qF -- "$3"; }
# the order the daemon gives for a sort, among these three customers
dorder() {
	si list open --sort "$1" --json | jq -r --arg x "$X" --arg y "$Y" \
	    --arg z "$Z" '[.rows[] | .id | tostring | select(. == $x or
	    . == $y or . == $z)] | join(" ")'
}
# rowf AGENT NAME FIELD: a field of a customer's row as AGENT sees it
rowf() { si_as "$1" list all --json | jq -r --arg n "$2" ".rows[] | select(.name == \$n) | .$3"; }
state_is() { [ "$(si show "$1" --purpose test --json | jq -r .conversation.state)" = "$2" ]; }
rows_are() { [ "$(si list all --json | jq '.rows | length')" = "$1" ]; }

# Xaver asked 3 hours ago and again 10 minutes ago; Yara an hour ago; Zeno
# 20 minutes ago (urgent, team support); Wanda 5 minutes ago (snoozed).
msg 1 "Xaver Kurz" "Wo ist mein Paket?" 10800
msg 1 "Xaver Kurz" "Hallo, noch da?" 600
msg 2 "Yara Lind" "Rechnung bitte" 3600
msg 3 "Zeno Falk" "Der Artikel fehlt" 1200
msg 4 "Wanda Moos" "Rueckruf morgen bitte" 300
si_until rows_are 4
X=$(conv "Xaver Kurz"); Y=$(conv "Yara Lind"); Z=$(conv "Zeno Falk")
W=$(conv "Wanda Moos")
si label create vip >/dev/null
si label add vip "$Y" >/dev/null
si team "$Z" support >/dev/null
si priority "$Z" urgent >/dev/null
si snooze "$W" tomorrow >/dev/null
wake=$(sqlite3 "$T/data/support-inbox.db" "SELECT snooze_until FROM conversations WHERE id = $W")

# --- the daemon: the fields and the orders ---
now=$(date +%s)
ws=$(rowf si_t_rowsa "Xaver Kurz" waiting_since)
check "the daemon: waiting since the oldest unanswered message (3h)" \
    test "$ws" -le $((now - 10790)) -a "$ws" -ge $((now - 10830))
check_eq "the daemon: the customer wrote last" in "$(rowf si_t_rowsa "Xaver Kurz" last_direction)"
check_eq "the daemon: the unread count is the agent's (2 for B)" 2 "$(rowf si_t_rowsb "Xaver Kurz" unread)"
check_eq "the daemon: sort waiting, longest first" "$X $Y $Z" "$(dorder waiting)"
check_eq "the daemon: sort window, closing soonest first" "$Y $Z $X" "$(dorder window)"
check_eq "the daemon: sort priority, urgent first" "$Z $X $Y" "$(dorder priority)"
check_eq "the daemon: sort newest" "$X $Z $Y" "$(dorder newest)"
out=$(si list open --sort oldest 2>&1)
check_contains "an unknown sort is refused, naming the sorts" \
    "unknown sort 'oldest'; sorts are newest, waiting, window, priority" "$out"

# --- agent A at 120x40, agent B at 120x40 ---
start_as si_t_rowsa "$GRP" a 120 40
start_as si_t_rowsb "$GRP" b 120 40
check "A's client starts" wait_for a "1:Open 3"
check "B's client starts" wait_for b "1:Open 3"
check "a row shows how long the customer waits" si_until row2_has a "Xaver Kurz" "wait 3h"
check "another waits 1h" si_until row2_has a "Yara Lind" "wait 1h"
check "a row shows the unread count" si_until row1_has b "Xaver Kurz" "(2)"
check "labels show on the row" si_until row1_has a "Yara Lind" "#vip"
check "the team shows on the row" si_until row1_has a "Zeno Falk" "(support)"
check "urgent shows as text" si_until row1_has a "Zeno Falk" "!!"
check "the window left shows too" si_until row2_has a "Zeno Falk" "win 2"
check_contains "the tab line says the order" "by newest" "$(screen a | sed -n 2p)"

# --- :sort and S ---
key a :
typeit a "sort waiting"
key a Enter
see a "by waiting" ":sort waiting shows in the tab line"
si_until order_is a "Xaver Kurz Yara Lind Zeno Falk "
check_eq ":sort waiting: the longest waiting first" "Xaver Kurz Yara Lind Zeno Falk " "$(order a)"
key a :
typeit a "sort window"
key a Enter
see a "by window" ":sort window shows in the tab line"
si_until order_is a "Yara Lind Zeno Falk Xaver Kurz "
check_eq ":sort window: the window closing soonest first" "Yara Lind Zeno Falk Xaver Kurz " "$(order a)"
key a S
see a "by priority" "S: the next order, priority"
si_until order_is a "Zeno Falk Xaver Kurz Yara Lind "
check_eq "sort priority: urgent first, then newest" "Zeno Falk Xaver Kurz Yara Lind " "$(order a)"
key a S
see a "by newest" "S again: back to newest"
si_until order_is a "Xaver Kurz Zeno Falk Yara Lind "
check_eq "sort newest: last activity first" "Xaver Kurz Zeno Falk Yara Lind " "$(order a)"
key a :
typeit a "sort oldest"
key a Enter
see a "sorts: newest, waiting, window, priority" "an unknown sort says which there are"

# --- A answers Xaver: the waiting time goes, who wrote last shows ---
check_eq "before the answer no agent's name is on Xaver's row" "" \
    "$(row2 a 'Xaver Kurz' | grep -o 'you:')"
key a g g
si_until cursor_on a "Xaver Kurz"
key a r
see a "COMPOSE" "r opens the composer"
typeit a "Ist unterwegs"
key a Enter
sent() { simreq | jq -e '.bodies[] | select(.text.body == "Ist unterwegs")'; }
check "the answer is sent" si_until sent
check_eq "the daemon: answered, no longer waiting" 0 "$(rowf si_t_rowsa "Xaver Kurz" waiting_since)"
check_eq "the daemon: an agent wrote last" "out si_t_rowsa" \
    "$(si list all --json | jq -r --arg n 'Xaver Kurz' '.rows[] | select(.name == $n) | "\(.last_direction) \(.last_agent)"')"
key a Escape
key a q
see a "you: Ist unterwegs" "A's row says A wrote last"
check "and the waiting time is gone" test -z "$(row2 a 'Xaver Kurz' | grep -o 'wait ')"
# (B's row may also say that A is viewing or typing: the preview is cut)
check "B's row names the agent who wrote last" si_until row2_has b "Xaver Kurz" "si_t_rowsa: "
check "and B's row no longer shows Xaver waiting" test -z "$(row2 b 'Xaver Kurz' | grep -o 'wait ')"
check "B's unread count stays (the answer is not unread)" si_until row1_has b "Xaver Kurz" "(2)"
check_eq "the daemon: B's unread is 2, A's 0 (A read it)" "2 0" \
    "$(rowf si_t_rowsb "Xaver Kurz" unread) $(rowf si_t_rowsa "Xaver Kurz" unread)"
msg 1 "Xaver Kurz" "Danke, und wann?" 0
see b "(3)" "a new customer message counts for B: (3)"
si_until waits a "Xaver Kurz"
check "and Xaver waits again" si_until row2_has a "Xaver Kurz" "wait "

# --- a draft mark ---
key a g g
si_until has_cursor a
_g=0
while ! cursor_on a "Zeno Falk" && [ $_g -lt 5 ]; do
	_was=$(cursor_at a)
	key a j
	si_until cursor_moved a "$_was"
	_g=$((_g + 1))
done
key a r
see a "COMPOSE" "r opens the composer for Zeno"
typeit a "halb fertig"
key a Escape
key a q
see a "$(printf '\342\234\216') Zeno Falk" "a row with a draft shows a draft mark"

# --- snoozed: the wake-up time ---
key b 5
see b "[5:Snoozed" "5 shows the snoozed tab"
want=$(LC_ALL=C date -d "@$wake" '+%a %H:%M')
see b "snoozed till $want" "a snoozed row shows when it wakes up ($want)"

# --- after a tab switch the keys act on the list ---
key a 4
see a "[4:All" "4 shows all conversations"
si_until has_cursor a
key a G
si_until cursor_on a "Yara Lind"
key a Enter
see a "Rechnung bitte" "Enter opens Yara's thread"
see a "THREAD" "the thread has the keys"
key a 3
see a "[3:Unassigned" "3 switches to the unassigned tab"
see a " LIST " "the list has the keys after the switch"
si_until has_cursor a
fid=$(conv "$(cursor_name a)")
check "the cursor row is another conversation than the thread on screen" test -n "$fid" -a "$fid" != "$Y"
key a x
check "x resolves the list's cursor row" si_until state_is "$fid" resolved
check "not the thread still on screen" state_is "$Y" open
tm kill-session -t a 2>/dev/null
tm kill-session -t b 2>/dev/null

# --- 80x24: the top bar keeps Unassigned and Failed ---
LW=30
start_as si_t_rowsa "$GRP" s 80 24
check "80x24: the client starts" wait_for s "1:Open"
wait_for s "Failed" >/dev/null
top=$(screen s | sed -n 1p)
check_contains "80x24: the top bar keeps Unassigned" "Unassigned" "$top"
check_contains "80x24: the top bar keeps Failed" "Failed" "$top"
check "80x24: nothing past the edge" test "$(max_width s)" -le 80
key s :
typeit s "sort waiting"
key s Enter
check "80x24: the order shows in the tab line" wait_for s "by waiting"
tm kill-session -t s 2>/dev/null

# --- 200x50 under NO_COLOR: a wider list, rows with labels and team ---
LW=100
start_as si_t_rowsb "$GRP" w 200 50 NO_COLOR=1
check "200x50: the client starts" wait_for w "1:Open"
wait_for w "Yara Lind" >/dev/null
check_eq "200x50: the list is wider (border at column 100)" 100 "$(border_cols w)"
check "200x50: labels on the row" si_until row1_has w "Yara Lind" "#vip"
check "200x50: team on the row" si_until row1_has w "Zeno Falk" "(support)"
check "200x50: waiting time on the row" si_until row2_has w "Yara Lind" "wait "
check "NO_COLOR: unread as a count" si_until row1_has w "Yara Lind" "(1)"
check "NO_COLOR: no colour at all" sh -c \
    "! tmux -L $TS capture-pane -e -p -t w | grep -q '\[3[0-7]m\|;3[0-7]m\|38;5\|\[4[0-7]m'"
key w Q
check "Q quits" wait_for w "client exit 0"

check "the audit chain verifies" quiet si audit verify
no_sanitizer_report
si_done
