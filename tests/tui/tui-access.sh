#!/bin/sh
# Issue 13, opening is one durable write: moving from one conversation to
# another ends the first access in the second's conv.show (audited
# "another opened", one commit), not with a conv.close of its own; going
# back to the list still ends it ("closed"); and when the next one is not
# opened (a purpose asked for, Esc), the one left is closed after all.
# Two agents in tmux (the second holds a conversation the first needs a
# purpose for). Loopback only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_axg
si_user si_t_axa "$GRP"
si_user si_t_axb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_axa >/dev/null
si agent add si_t_axb >/dev/null
. "$(dirname "$0")/../lib-tui.sh"

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# closes CONV: the reasons of a's conversation.close records of CONV
closes() {
	si audit export --action conversation.close --detail \
	    --purpose "access test" | jq -r --argjson c "$1" \
	    'select(.agent == "si_t_axa" and .object_id == $c) | .detail' |
	    sed 's/ after.*//' | tr '\n' ',' | sed 's/,$//'
}
# eventually WANT FUNCTION ARGS...: the function prints WANT within 15 s
eventually() {
	_want=$1
	shift
	_e=0
	while [ "$("$@")" != "$_want" ]; do
		_e=$((_e + 1))
		[ $_e -ge 150 ] && return 1
		sleep 0.1
	done
}
opens() {
	db "SELECT count(*) FROM audit WHERE agent = 'si_t_axa' AND action =
	    'conversation.open' AND object_id = $1 AND result = '${2:-ok}'"
}

inbound 491510000701 "Greta Ott" "Mein Paket ist beschaedigt"
inbound 491510000702 "Hanno Lutz" "Rechnung doppelt"
inbound 491510000703 "Klara Kern" "Wo bleibt die Gutschrift"
G=$(conv "Greta Ott"); H=$(conv "Hanno Lutz"); K=$(conv "Klara Kern")
si_as si_t_axb assign "$K" me >/dev/null	# K needs a purpose from a

start_as si_t_axa "$GRP" a 120 40
check "a's client starts" wait_for a "Greta Ott"

# --- G opened, then H from inside G (the quick switch) ---
goto a "Greta Ott"
key a Enter
check "G opens" wait_for a "Paket ist beschaedigt"
check "one open of G" eventually 1 opens "$G"
key a C-k
typeit a "Hanno"
check "the quick switch finds H" wait_for a "Hanno Lutz"
key a Enter
check "H opens" wait_for a "Rechnung doppelt"
check "one open of H" eventually 1 opens "$H"
check_eq "G's access ended in H's opening: one record, 'another opened'" \
    "another opened" "$(closes "$G")"

# --- back to the list: H stays in the preview pane, so its access goes on ---
key a q
check "q: the list, H still in the pane beside it" wait_for a "LIST"
see a "Rechnung doppelt" "H's messages are still on screen"
sleep 0.5	# a conv.close would be on its way by now
check_eq "so H's access is still the one open, unclosed" "1:" \
    "$(opens "$H"):$(closes "$H")"

# --- G again, then K, which asks for a purpose: Esc, G is closed ---
goto a "Greta Ott"
key a Enter
check "G opens again" eventually 2 opens "$G"
check_eq "H's access ended in G's opening" "another opened" "$(closes "$H")"
key a C-k
typeit a "Klara"
check "the quick switch finds K" wait_for a "Klara Kern"
key a Enter
check "K asks a for a purpose" wait_for a "purpose for looking"
key a Escape
check "the refusal is audited" eventually 1 opens "$K" denied
check "and G, left for K, is closed after all" \
    eventually "another opened,closed" closes "$G"
check_eq "no access of a's is left open: opens and closes pair up" \
    "$(db "SELECT count(*) FROM audit WHERE agent = 'si_t_axa' AND
    action = 'conversation.open' AND result = 'ok'")" \
    "$(db "SELECT count(*) FROM audit WHERE agent = 'si_t_axa' AND
    action = 'conversation.close'")"

tm kill-session -t a
no_sanitizer_report
si_done
