#!/bin/sh
# Issue 15, blocking in the TUI: when another agent blocks a customer
# ("contact block"), the client's list row shows the mark at once (the
# contact_blocked event, no key pressed) and the thread header says
# BLOCKED; after "contact unblock" both go. Checked on the screen and in
# the daemon (conv.list rows).
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_tcbg
si_user si_t_tcba "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[inbox]
mark_read = no
typing_indicator = no
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_tcba >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

inbound 491510000401 "Troll Trollinger" "spam spam spam"
inbound 491510000402 "Nice Customer" "hello"
C=$(si list all --json | jq -r '.rows[] | select(.name == "Troll Trollinger") | .id')
rowblocked() {
	si list all --json | jq -r --argjson c "$C" \
	    '.rows[] | select(.id == $c) | .blocked // false'
}

start a 120 40
see a "Troll Trollinger" "the client shows the conversation"
check "no mark before" sh -c "! tmux -L $TS capture-pane -p -t '=a:' |
    grep -qF blocked"
check_eq "another agent blocks the customer" "contact" \
    "$(si_as si_t_tcba contact block conv:$C --reason spam | cut -d' ' -f1)"
see a "blocked" "the row shows the mark without a key pressed"
check "the mark is on the blocked customer's row" sh -c "tmux -L $TS \
    capture-pane -p -t '=a:' | grep -F 'Troll Trollinger' | grep -qF blocked"
check "not on the other row" sh -c "! tmux -L $TS capture-pane -p -t '=a:' |
    grep -F 'Nice Customer' | grep -qF blocked"
check_eq "the daemon's row says so too" true "$(rowblocked)"
goto a "Troll Trollinger"
key a Enter
see a "normal  BLOCKED" "the thread header says BLOCKED"
si_as si_t_tcba contact unblock conv:$C >/dev/null
wait_gone a "BLOCKED"
check "unblock takes the header's mark away" sh -c "! tmux -L $TS \
    capture-pane -p -t '=a:' | grep -qF BLOCKED"
check_eq "and the daemon's row" false "$(rowblocked)"
key a q
tm kill-session -t a
si_stop
no_sanitizer_report
si_done
