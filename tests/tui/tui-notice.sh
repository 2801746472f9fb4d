#!/bin/sh
# Issue 16 point 2, on the screen: a new customer's first message is
# answered with the privacy notice, which the agent sees in the thread as
# sent by the inbox itself (no agent), once; the contact panel (C, Enter)
# shows "informed  notice v1"; after a version bump and the customer's
# next message it shows v2. One agent, tmux.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
export SI_TEST_CLOCK="$T/clock"
echo "+0" >"$T/clock"
GRP=si_t_ntg
si_user si_t_nta "$GRP"
si_config "$GRP"
printf 'Datenschutz v1: verantwortlich ist ACME GmbH. Mehr: https://example.com/ds - STOP zum Widerspruch.\n' >"$T/n1.txt"
printf 'Datenschutz v2: verantwortlich ist ACME AG. Mehr: https://example.com/ds2 - STOP zum Widerspruch.\n' >"$T/n2.txt"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[notice]
version = 1
text.de = n1.txt
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_nta >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

inbound 491510001701 "Nora Neu" "Guten Tag, eine Frage"
conv=$(si list all --json | jq -r '.rows[0].id')
si assign "$conv" si_t_nta >/dev/null
si_search_ready

start_as si_t_nta "$GRP" a 120 40
check "the client starts" wait_for a "Nora Neu"
key a Enter
see a "Guten Tag, eine Frage" "the thread opens"
see a "Datenschutz v1: verantwortlich ist ACME GmbH" \
    "the notice shows in the thread"
check_eq "once, by no agent (the daemon)" "1 none" \
    "$(si show "$conv" --purpose "tui test" --json | jq -r '[.messages[] |
    select(.direction == "out")] | "\(length) \(.[0].agent // "none")"')"

key a C
see a "contacts, newest first" "C opens the contacts view"
key a Enter
see a "informed           notice v1" "the contact shows informed, notice v1"
key a q
key a q

# a new version, then the customer's next message
sed -i -e 's/^version = 1$/version = 2/' -e 's/^text.de = n1.txt$/text.de = n2.txt/' \
    "$T/si.conf"
quiet si reload
inbound 491510001701 "Nora Neu" "Noch etwas"
key a C
see a "contacts, newest first" "C again"
key a Enter
see a "informed           notice v2" "after the next message: notice v2"
key a q
key a q

tm send-keys -t a Q
check "the client ends" wait_for a "client exit"
no_sanitizer_report
si_done
