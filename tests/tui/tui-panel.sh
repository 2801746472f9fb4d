#!/bin/sh
# Issue 13 point 6: the contact panel (i) shows the customer's context: the
# earlier conversations of the same contact with a cursor (j/k; Enter opens
# one), labels, the number of notes, consent, first and last contact and
# the language (unknown: the Cloud API gives none). Someone else's earlier
# conversation shows no preview without a purpose. Two agents, tmux.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_pang
si_user si_t_pana "$GRP"
si_user si_t_panb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[inbox]
reopen_policy = new
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_pana >/dev/null
si agent add si_t_panb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
as() {	# USER ARGS: the CLI as that agent
	_u=$1; shift
	setpriv --reuid="$_u" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
newest() { db "SELECT max(id) FROM conversations"; }

# Three conversations of one customer: two resolved, one open.
inbound 491510000301 "Paula Panel" "Erste Frage zur Lieferung"
c1=$(newest)
si resolve "$c1" >/dev/null
inbound 491510000301 "Paula Panel" "Zweite Frage zur Rechnung"
c2=$(newest)
si resolve "$c2" >/dev/null
inbound 491510000301 "Paula Panel" "Dritte Frage, bitte"
c3=$(newest)
check "three conversations of one contact" test "$c1" -lt "$c2" -a "$c2" -lt "$c3"
si label create vip >/dev/null
si label add vip "$c1" >/dev/null
si note add "$c1" "called her back" >/dev/null
si note add "$c2" "invoice corrected" >/dev/null
si attribute define customer_no text >/dev/null
si attribute define seats number >/dev/null
si attribute define vip bool >/dev/null
si contact edit "conv:$c3" customer_no=K-4711 seats=12 vip=yes \
    --purpose setup >/dev/null
si consent set "conv:$c3" marketing on --reason "asked on the phone" \
    >/dev/null
as si_t_panb assign "$c1" me >/dev/null
as si_t_pana assign "$c3" me >/dev/null

start_as si_t_pana "$GRP" a 120 40
start_as si_t_panb "$GRP" b 120 40
check "agent A's client starts" wait_for a "Paula Panel"
check "agent B's client starts" wait_for b "daemon: ok"
key a Enter
see a "Dritte Frage, bitte" "A opens the customer's open conversation"
key a i
see a "conversations (3; j/k, Enter opens, i closes):" \
    "i lists the contact's three conversations"
see a "labels #vip" "the labels of all of them"
see a "notes 2" "the number of notes"
see a "consent: marketing yes" "the consent state"
see a "language unknown (WhatsApp does not say)" \
    "the language: unknown, and why"
see a "customer_no: K-4711" "the contact's attributes: text"
see a "seats: 12" "a number"
see a "vip: yes" "a bool"
see a "first contact 20" "first contact"
see a "last contact 20" "last contact"
see a "(this one)" "the open conversation is marked"
see a "[si_t_panb]" "an earlier one is B's"
see a "(not yours: purpose needed)" \
    "and its preview is not shown without a purpose"
case "$(screen a)" in *"Erste Frage"*) not_ok "its text is nowhere" ;;
*) ok "its text is nowhere" ;; esac
see a "Zweite Frage zur Rechnung" "an unassigned one shows its preview"
check_eq "the panel's read is audited" 1 "$(db "SELECT count(*) FROM audit
    WHERE action = 'contact.view' AND agent = 'si_t_pana'")"
see a "> #$c3 " "the cursor starts on the newest"
key a j
see a "> #$c2 " "j moves the panel's cursor"
key a Enter
see a "Zweite Frage zur Rechnung" "Enter opens that conversation"
wait_gone a "Dritte Frage, bitte"
check "in the thread, not the panel" sh -c "! tmux -L $TS capture-pane -p -t =a: | grep -q 'conversations (3'"
check_eq "the opening is audited" 1 "$(db "SELECT count(*) FROM audit
    WHERE action = 'conversation.open' AND agent = 'si_t_pana'
    AND object_id = $c2 AND result = 'ok'")"
key a i
see a "conversations (3;" "the panel again, from the earlier conversation"
key a j
see a "> #$c1 " "the cursor reaches B's conversation"
key a Enter
see a "purpose for looking" "opening B's conversation asks for a purpose"
key a Escape
key a Escape
wait_gone a "conversations (3;"

# B sees the same customer from their conversation.
key b ":"
typeit b "open $c1"
key b Enter
see b "Erste Frage zur Lieferung" "B opens their conversation"
key b i
see b "conversations (3;" "B's panel lists the three"
see b "[si_t_pana]" "A's is marked as A's"
see b "notes 2" "with the notes"
key b i
wait_gone b "conversations (3;"
check "the panel closes with i" true

tm kill-session -t a
tm kill-session -t b
no_sanitizer_report
si_stop
si_done
