#!/bin/sh
# Issue 15, contacts: the contacts view in the full-screen client (C and
# :contacts) lists the contacts newest first, / searches them (a name, a
# number's last digits, ATTRIBUTE:VALUE), Enter shows one (masked number,
# language, attributes, consent, conversations) and Enter on an earlier
# conversation opens it in the thread view. Reads through the view are
# audited like the CLI's, and someone else's contact asks for a purpose.
# An edit by agent B through the CLI shows in agent A's view after r.
# Two agents, tmux.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_ctg
si_user si_t_cta "$GRP"
si_user si_t_ctb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[inbox]
reopen_policy = new

[audit]
purpose_required = true
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_cta >/dev/null
si agent add si_t_ctb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
as() {	# USER ARGS: the CLI as that agent
	_u=$1; shift
	setpriv --reuid="$_u" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
newest() { db "SELECT max(id) FROM conversations"; }
audits() {	# ACTION: records of it by agent A
	db "SELECT count(*) FROM audit WHERE action = '$1' AND agent =
	    'si_t_cta' AND result = 'ok'"
}

# Klara: an earlier conversation (resolved) and an open one; Otto: someone
# else's (agent B's) customer.
inbound 491510000401 "Klara Kontakt" "Erste Frage zur Rechnung"
c1=$(newest)
si resolve "$c1" >/dev/null
inbound 491510000401 "Klara Kontakt" "Noch eine Frage"
c2=$(newest)
inbound 491510000402 "Otto Anders" "Hallo"
c3=$(newest)
as si_t_ctb assign "$c3" me >/dev/null
si attribute define plan enum free,silver,gold >/dev/null
si attribute define customer_no text >/dev/null
si contact edit +491510000401 plan=gold customer_no=KD-77 >/dev/null
kk=$(si contact show +491510000401 --json | jq -r .contact_id)
si_search_ready

start_as si_t_cta "$GRP" a 120 40
check "agent A's client starts" wait_for a "1:Open"

# --- the list ---
key a C
see a "contacts, newest first" "C opens the contacts view"
see a "Klara Kontakt" "it lists Klara"
see a "Otto Anders" "and Otto"
see a "+49 151 •••• •01" "with the number masked and grouped"
check_eq "Otto (the newest contact) comes first" "Otto Anders" \
    "$(screen a | grep '^>' | sed 's/^> *//' | awk '{print $1" "$2}')"
check "the list is audited as agent A's" si_until \
    sh -c "[ \"\$(sqlite3 '$T/data/support-inbox.db' \"SELECT count(*) FROM
    audit WHERE action = 'contact.list' AND agent = 'si_t_cta'\")\" -ge 1 ]"

# --- search ---
key a /
see a "contact search" "/ asks for a search"
typeit a "plan:gold"
key a Enter
see a 'contacts matching "plan:gold"' "the view says what it shows"
check "a search by attribute finds Klara alone" wait_gone a "Otto Anders"
see a "Klara Kontakt" "Klara is found"
check_eq "the search is audited" 1 "$(audits contact.search)"
key a q
see a "contacts, newest first" "q goes back to all contacts"
see a "Otto Anders" "Otto is back"
key a /
typeit a "0401"
key a Enter
check "a search by the number's last digits finds Klara" wait_gone a \
    "Otto Anders"

# --- show ---
key a Enter
see a "contact:$kk" "Enter shows the contact"
see a "KD-77" "with its attributes"
see a "gold" "(the enum value)"
see a "language    - (unknown)" "its language"
see a "#$c2" "its open conversation"
see a "#$c1" "and the earlier one"
check_eq "the show is audited with the contact" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'contact.view' AND
    agent = 'si_t_cta' AND contact_id = $kk")"

# --- an earlier conversation, one key away ---
sel_has() { screen a | grep '^>' | grep -qF -- "$1"; }
key a j
check "j moves to the earlier conversation" si_until sel_has "#$c1"
key a Enter
see a "Erste Frage zur Rechnung" "Enter opens it in the thread view"
check "the contacts view is closed" wait_gone a "contact:$kk"

# --- an edit by agent B shows after a refresh ---
key a C
see a "contacts, newest first" "C opens the view again"
key a /
typeit a "Klara"
key a Enter
check "a search by name finds Klara" wait_gone a "Otto Anders"
key a Enter
see a "KD-77" "Klara shown again"
out=$(as si_t_ctb contact edit "contact:$kk" customer_no=KD-88 \
    --language de 2>&1)
check_contains "agent B edits Klara through the CLI" "changed" "$out"
key a r
see a "KD-88" "after r agent A sees agent B's edit"
see a "language    de (set)" "and the language B set"
key a q
see a 'contacts matching "Klara"' "q goes back to the search"
key a q
see a "contacts, newest first" "q again to all contacts"
key a q
check "and q closes the view" wait_gone a "contacts, newest first"

# --- someone else's contact asks for a purpose ---
key a C
see a "Otto Anders" "the view again"
cursor() { screen a | grep '^>' | head -n 1; }
while ! cursor | grep -q "Otto Anders"; do
	was=$(cursor)
	key a j
	si_until sh -c "[ \"\$(tmux -L $TS capture-pane -p -t =a: |
	    grep '^>' | head -n 1)\" != \"$was\" ]" || break
done
key a Enter
see a "purpose for looking" "Otto (agent B's) asks for a purpose"
typeit a "customer called about B's case"
key a Enter
see a "Otto Anders   contact:" "then shows him"
check_eq "the show is audited with the purpose" \
    "customer called about B's case" \
    "$(si audit export --action contact.view --detail --purpose "tui test" |
    jq -r 'select(.agent == "si_t_cta" and .result == "ok") | .purpose' |
    grep '^customer' | head -n 1)"
key a q
key a q

tm send-keys -t a Q
check "the client ends" wait_for a "client exit"
no_sanitizer_report
si_done
