#!/bin/sh
# Issue 13 point 9 in tmux, three agents: A hands a conversation to B
# (direct: B holds it and is told; request: B declines, then accepts, with
# :decline/:accept, A is told); a supervisor takes one over after a yes/no
# question and the old assignee is told; a mention made while B is away
# shows in B's mentions view with a count once B starts, and opening it
# logs the mention as the purpose without asking; @si_t_ + Tab completes.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_hang
si_user si_t_hana "$GRP"
si_user si_t_hanb "$GRP"
si_user si_t_hans "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_hana >/dev/null
si agent add si_t_hanb >/dev/null
si agent add si_t_hans --role supervisor >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
as() {
	_u=$1; shift
	setpriv --reuid="$_u" --regid="$GRP" --init-groups "$SIC" \
	    -c "$T/si.conf" "$@"
}
cmd() { key "$1" ":"; wait_for "$1" ":" >/dev/null; typeit "$1" "$2"; key "$1" Enter; }
assignee() {
	db "SELECT coalesce(a.name, 'none') FROM conversations c LEFT JOIN
	    agents a ON a.id = c.assignee_id WHERE c.id = $1"
}
is() { [ "$(assignee "$1")" = "$2" ]; }

inbound 491510000401 "Xaver Hand" "Frage eins"
X=$(db "SELECT max(id) FROM conversations")
inbound 491510000402 "Yvonne Hand" "Frage zwei"
Y=$(db "SELECT max(id) FROM conversations")
inbound 491510000403 "Zora Hand" "Frage drei"
Z=$(db "SELECT max(id) FROM conversations")
for c in $X $Y $Z; do as si_t_hana assign "$c" me >/dev/null; done

# --- direct: H, the picker, a note ---
start_as si_t_hana "$GRP" a 120 40
start_as si_t_hanb "$GRP" b 120 40
check "A's client starts" wait_for a "Xaver Hand"
check "B's client starts" wait_for b "daemon: ok"
cmd a "open $X"
see a "Frage eins" "A opens X"
key a H
see a "hand over to" "H asks to whom"
typeit a hanb
key a Enter
see a "note for si_t_hanb" "then for a note"
typeit a "bitte zurückrufen"
key a Enter
check "direct: B holds X at once" si_until is "$X" si_t_hanb
see b "si_t_hana handed conversation $X to you" "B is told"
see a "handed to si_t_hanb" "A is told it went"
see a "Enter opens the selected" "and is back in the list, not in B's conversation"
check_eq "audited" 1 "$(db "SELECT count(*) FROM audit WHERE
    action = 'conversation.handover' AND agent = 'si_t_hana' AND result = 'ok'")"

# --- a mention while B is away; @ completion ---
tm kill-session -t b
cmd a "open $Y"
see a "Frage zwei" "A opens Y"
key a "!"
see a "internal note" "! asks for a note"
typeit a "siehe @si_t_"
key a Tab
see a "siehe @si_t_hana" "Tab after @si_t_ completes an agent's name"
key a Tab
see a "siehe @si_t_hanb" "Tab again offers the next one"
typeit a " bitte"
key a Enter
check "the note mentions B" si_until sh -c "[ \$(sqlite3 $T/data/support-inbox.db \"SELECT count(*) FROM mentions m JOIN agents a ON a.id = m.agent_id WHERE a.name = 'si_t_hanb' AND m.seen = 0\") = 1 ]"
nid=$(db "SELECT max(id) FROM notes")
start_as si_t_hanb "$GRP" b2 120 40
see b2 "| @1" "B starts: the top bar counts the unseen mention"
cmd b2 "view mentions"
see b2 "mention by si_t_hana in note $nid, conversation $Y" \
    ":view mentions lists it"
key b2 Enter
see b2 "Frage zwei" "Enter opens the conversation"
case "$(screen b2)" in *"purpose for looking"*) not_ok "without asking for a purpose" ;;
*) ok "without asking for a purpose" ;; esac
check_eq "the mention is logged as the purpose" \
    "mention by si_t_hana in note $nid" \
    "$(si audit export --action conversation.open --detail --purpose "tui test" |
    jq -r --argjson y "$Y" 'select(.object_id == $y and .agent == "si_t_hanb"
    and .result == "ok") | .purpose' | head -n 1)"
wait_gone b2 "| @1"
check_eq "and the mention is seen" 0 "$(db "SELECT count(*) FROM mentions WHERE seen = 0")"

# --- request: decline, then accept ---
tm kill-session -t a
tm kill-session -t b2
si_stop
printf '\n[assign]\nhandover = request\n' >>"$T/si.conf"
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
start_as si_t_hana "$GRP" a2 120 40
start_as si_t_hanb "$GRP" b3 120 40
check "clients start again" wait_for a2 "Zora Hand"
wait_for b3 "daemon: ok" >/dev/null
cmd a2 "open $Z"
see a2 "Frage drei" "A opens Z"
cmd a2 "handover si_t_hanb kannst du das übernehmen?"
see a2 "asked si_t_hanb to take conversation $Z" "request: A is told B was asked"
see b3 "si_t_hana asks you to take conversation $Z" "B is asked"
check_eq "it stays A's meanwhile" si_t_hana "$(assignee "$Z")"
cmd b3 "decline"
see a2 "si_t_hanb declined conversation $Z" "A is told of the decline"
check_eq "still A's" si_t_hana "$(assignee "$Z")"
cmd a2 "handover si_t_hanb noch einmal?"
see b3 "si_t_hana asks you to take conversation $Z" "B is asked again"
cmd b3 "accept"
check "accepted: B holds Z" si_until is "$Z" si_t_hanb
see a2 "si_t_hanb took conversation $Z" "A is told of the accept"

# --- supervisor takeover, asked first ---
start_as si_t_hans "$GRP" s 120 40
check "the supervisor's client starts" wait_for s "Zora Hand"
cmd s "open $Z"
see s "purpose for looking" "the supervisor opening B's conversation gives a purpose"
typeit s "taking over"
key s Enter
see s "Frage drei" "and it opens"
key s T
see s "take conversation $Z over from si_t_hanb? (y/n)" "T asks first"
typeit s n
key s Enter
sleep 0.5
check_eq "no: nothing happens" si_t_hanb "$(assignee "$Z")"
key s T
see s "take conversation $Z over from si_t_hanb? (y/n)" "asked again"
typeit s y
key s Enter
check "yes: the supervisor holds it" si_until is "$Z" si_t_hans
see b3 "si_t_hans took conversation $Z over" "the old assignee is told"
check_eq "audited" 1 "$(db "SELECT count(*) FROM audit WHERE
    action = 'conversation.takeover' AND agent = 'si_t_hans' AND result = 'ok'")"

tm kill-session -t a2
tm kill-session -t b3
tm kill-session -t s
no_sanitizer_report
si_stop
si_done
