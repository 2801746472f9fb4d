#!/bin/sh
# Issue 13 point 10 (and the daemon side of point 3): an audit a person can
# read. A connection's reads of one conversation are one access: its first
# conv.show writes conversation.open, live refreshes, older pages and notes
# read in it write nothing, and its end (conv.close, another conversation
# opened, a refused read, the connection gone, the daemon stopping) writes
# conversation.close with how long it lasted. Notes are never listed where
# opening was refused (a blank purpose is none for both). List previews of
# colleagues' conversations follow [privacy] list_previews. A reply into a
# conversation assigned to someone else needs --force (assigned_other,
# the override audited); a claim naming the holder it saw loses with who
# won. Two agents, the real daemon and simulator; loopback only.
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || { not_ok "python3 is installed"; si_done; exit 1; }

si_tmp
GRP=si_t_acg
si_user si_t_aca "$GRP"
si_user si_t_acb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_aca >/dev/null
si agent add si_t_acb >/dev/null

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
# recs AGENT ACTION CONV [RESULT]: how many such records
recs() {
	db "SELECT count(*) FROM audit WHERE agent = '$1' AND action = '$2'
	    AND object_id = $3 AND result = '${4:-ok}'"
}
# opens_ge CONV N: agent a has opened CONV N times or more
opens_ge() { [ "$(recs si_t_aca conversation.open "$1")" -ge "$2" ]; }
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# export ACTION: the records' agent, object, detail and purpose, as JSON lines
export_recs() {
	si audit export --action "$1" --detail --purpose "access test"
}

inbound 491510000301 "Greta Ott" "Paket beschaedigt"
inbound 491510000302 "Hanno Lutz" "Rechnung doppelt"
inbound 491510000303 "Ines Vogt" "Adresse aendern bitte"
C=$(conv "Greta Ott"); D=$(conv "Hanno Lutz"); E=$(conv "Ines Vogt")
check "three conversations" test -n "$C" -a -n "$D" -a -n "$E"
si note add "$D" "customer is a reseller" >/dev/null
si_as si_t_acb assign "$D" me >/dev/null

# The protocol by hand: one connection, requests in a row as a client
# sends them; prints one line per answer: "ok" or the error code.
cat >"$T/client.py" <<'EOP'
import json, socket, sys, time

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
f = s.makefile("rb")
n = 0
def call(method, **params):
    global n
    n += 1
    s.sendall((json.dumps({"id": n, "method": method, "params": params}) +
               "\n").encode())
    while True:
        j = json.loads(f.readline())
        if j.get("id") == n:
            return j
call("hello", version=1)
for step in sys.argv[2:]:
    if step.startswith("sleep:"):
        time.sleep(float(step[6:]))
        continue
    method, params = step.split(" ", 1)
    j = call(method, **json.loads(params))
    if "error" in j:
        print(j["error"]["code"], j["error"].get("message", ""))
    else:
        print("ok", json.dumps(j["result"])[:200])
    sys.stdout.flush()
EOP
chmod 644 "$T/client.py"
# as USER STEP...: the steps on one connection of agent USER
as() {
	_u=$1
	shift
	runuser -u "$_u" -- python3 "$T/client.py" "$T/run/socket" "$@"
}

# --- one access: open, live refreshes, notes, older pages, close ---
out=$(as si_t_aca "conv.show {\"id\":$C}" "conv.show {\"id\":$C}" \
    "note.list {\"id\":$C}" "conv.show {\"id\":$C}" \
    "conv.show {\"id\":$C,\"before\":999999}" "note.list {\"id\":$C}" \
    "conv.show {\"id\":$C}" "sleep:1.1" "conv.close {\"id\":$C}" \
    "conv.close {\"id\":$C}")
check_eq "every read in the access is answered" "ok ok ok ok ok ok ok ok ok" \
    "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
check_contains "conv.close says it closed the access" '"closed": true' \
    "$(printf '%s\n' "$out" | sed -n 8p)"
check_contains "a second conv.close finds nothing open" '"closed": false' \
    "$(printf '%s\n' "$out" | sed -n 9p)"
check_eq "six reads of one open conversation: one conversation.open" 1 \
    "$(recs si_t_aca conversation.open "$C")"
check_eq "... one conversation.close" 1 "$(recs si_t_aca conversation.close "$C")"
check_eq "... and no note.list record of their own" 0 \
    "$(recs si_t_aca note.list "$C")"
det=$(export_recs conversation.close | jq -r --argjson c "$C" \
    'select(.agent == "si_t_aca" and .object_id == $c) | .detail')
check_contains "the close says why and how long" "closed after" "$det"
check "... at least the second slept in it" sh -c "printf '%s' '$det' |
    grep -Eq 'after [1-9][0-9]* s'"
check_eq "open comes before close" "conversation.open conversation.close" \
    "$(db "SELECT action FROM audit WHERE agent = 'si_t_aca' AND object_id = $C
    AND action LIKE 'conversation.%' ORDER BY seq" | tr '\n' ' ' |
    sed 's/ $//')"

# --- another conversation opened; the connection ending ---
as si_t_aca "conv.show {\"id\":$C}" "conv.show {\"id\":$E}" \
    "conv.show {\"id\":$E}" >/dev/null
check_eq "opening another ends the first access" 1 \
    "$(export_recs conversation.close | jq -r --argjson c "$C" \
    'select(.agent == "si_t_aca" and .object_id == $c) | .detail' |
    grep -c '^another opened after')"
check_eq "the second access is one open" 1 "$(recs si_t_aca conversation.open "$E")"
check_eq "and the connection ending closes it" "connection ended" \
    "$(export_recs conversation.close | jq -r --argjson c "$E" \
    'select(.agent == "si_t_aca" and .object_id == $c) | .detail' |
    sed 's/ after.*//')"
o0=$(recs si_t_aca conversation.open "$C")
c0=$(recs si_t_aca conversation.close "$C")
si_as si_t_aca show "$C" >/dev/null
# the close is written when the daemon sees the CLI's connection end,
# which can be after the CLI has exited (CI read the count too early once)
closed_again() { [ "$(recs si_t_aca conversation.close "$C")" -ge $((c0 + 1)) ]; }
si_until closed_again
check_eq "the CLI's show is one open and one close" "$((o0 + 1)) $((c0 + 1))" \
    "$(recs si_t_aca conversation.open "$C") $(recs si_t_aca \
    conversation.close "$C")"

# --- a colleague's conversation: the gate, for opening and for notes ---
out=$(as si_t_aca "conv.show {\"id\":$D}" "note.list {\"id\":$D}" \
    "note.list {\"id\":$D,\"purpose\":\" \"}" \
    "conv.show {\"id\":$D,\"purpose\":\"  \"}")
check_eq "opening it and listing its notes are refused alike" \
    "purpose_required purpose_required purpose_required purpose_required" \
    "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
out=$(si_as si_t_aca note list "$D" --purpose " " 2>&1)
check_contains "the CLI's note list with a blank purpose is refused" \
    "purpose" "$out"
case "$out" in *reseller*) not_ok "no note text where opening is refused" ;;
*) ok "no note text where opening is refused" ;; esac
check_eq "no note.list was answered for it" 0 "$(recs si_t_aca note.list "$D")"
check_eq "each refusal is audited" 3 \
    "$(recs si_t_aca note.list "$D" denied)"

out=$(as si_t_aca "conv.show {\"id\":$D,\"purpose\":\"reseller ticket 9\"}" \
    "conv.show {\"id\":$D}" "note.list {\"id\":$D}" "conv.show {\"id\":$D}")
check_eq "with a purpose, its refreshes and notes go on that purpose" \
    "ok ok ok ok" \
    "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
check_contains "... the notes are there" "reseller" "$(printf '%s\n' "$out" | sed -n 3p)"
check_eq "one open with the purpose" "reseller ticket 9" \
    "$(export_recs conversation.open | jq -r --argjson c "$D" \
    'select(.agent == "si_t_aca" and .object_id == $c and .result == "ok")
    | .purpose')"

# --- a read refused once it is someone else's ends the access ---
si unassign "$C" >/dev/null 2>&1
opens0=$(recs si_t_aca conversation.close "$C")
runuser -u si_t_aca -- python3 "$T/client.py" "$T/run/socket" \
    "conv.show {\"id\":$C}" "sleep:2" "conv.show {\"id\":$C}" \
    "conv.show {\"id\":$C}" >"$T/refused.out" &
rp=$!
si_until opens_ge "$C" 4
si_as si_t_acb assign "$C" me >/dev/null
wait $rp
check_eq "refreshes after a colleague's claim are refused" \
    "ok purpose_required purpose_required" \
    "$(cut -d' ' -f1 <"$T/refused.out" | tr '\n' ' ' | sed 's/ $//')"
check_eq "the refusal ends the access once" $((opens0 + 1)) \
    "$(recs si_t_aca conversation.close "$C")"
check_eq "... as 'refused'" 1 "$(export_recs conversation.close |
    jq -r --argjson c "$C" 'select(.agent == "si_t_aca" and .object_id == $c)
    | .detail' | grep -c '^refused after')"

# --- claims naming the holder they saw ---
out=$(as si_t_aca "conv.assign {\"id\":$C,\"to\":\"me\",\"if_assignee\":\"\"}")
check_contains "a claim of what is no longer unassigned is a conflict" \
    "conflict" "$out"
check_contains "... that says who won" "si_t_acb claimed it first" "$out"
check_eq "... audited as a lost claim" 1 \
    "$(recs si_t_aca conversation.claim "$C" conflict)"
check_eq "it stays the winner's" si_t_acb \
    "$(si show "$C" --purpose "access test" --json | jq -r .conversation.assignee)"
out=$(si_as si_t_aca assign "$C" me 2>&1)
check_contains "the CLI's claim says who has it" "si_t_acb claimed it first" "$out"
out=$(si assign "$C" si_t_aca --force 2>&1 >/dev/null; as root \
    "conv.assign {\"id\":$C,\"to\":\"me\",\"force\":true,\"if_assignee\":\"si_t_acb\"}")
check_contains "a take-over from someone who no longer has it is refused" \
    "now assigned to 'si_t_aca', not 'si_t_acb'" "$out"

# --- replies into someone else's conversation ---
out=$(si_as si_t_aca reply "$D" "Ich kuemmere mich" 2>&1)
check_contains "a reply into a colleague's conversation is refused" \
    "assigned to 'si_t_acb'" "$out"
check_contains "... and says how to send anyway" "--force" "$out"
check_eq "... audited as a refused send" 1 "$(db "SELECT count(*) FROM audit
    WHERE agent = 'si_t_aca' AND action = 'message.send' AND object_id = $D
    AND result = 'refused'")"
check_eq "nothing was queued" 0 "$(db "SELECT count(*) FROM messages WHERE
    conversation_id = $D AND direction = 'out'")"
out=$(si reply "$D" "Ich als Admin" 2>&1)
check_contains "an admin is asked the same" "assigned to 'si_t_acb'" "$out"
check "with --force it goes" quiet si_as si_t_aca reply "$D" \
    "Ich kuemmere mich" --force
check_eq "the override is audited" "reply into a conversation of 'si_t_acb'" \
    "$(export_recs conversation.override | jq -r --argjson c "$D" \
    'select(.agent == "si_t_aca" and .object_id == $c) | .detail')"
out=$(as si_t_aca "reply {\"conv\":$D,\"text\":\"bestaetigt\",\"if_assignee\":\"si_t_acb\"}" \
    "reply {\"conv\":$D,\"text\":\"falsch\",\"if_assignee\":\"si_t_aca\"}")
check_eq "naming the holder sends; naming another does not" \
    "ok assigned_other" \
    "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
check "the holder replies without asking" quiet si_as si_t_acb reply "$D" \
    "Hallo Hanno"

# --- list previews ---
prev() {	# prev AGENT CONV: that row's preview as AGENT sees it
	runuser -u "$1" -- "$SIC" -c "$T/si.conf" list all --json |
	    jq -r --argjson c "$2" '.rows[] | select(.id == $c) | .preview'
}
check_eq "own (default): a colleague's conversation shows no preview" \
    "(preview hidden)" "$(prev si_t_aca "$D")"
check_eq "... the holder sees it" "Hallo Hanno" "$(prev si_t_acb "$D")"
check_eq "... an unassigned one shows it" "Adresse aendern bitte" \
    "$(prev si_t_aca "$E")"
# Live refreshes and previews are set for good below: the daemon stops
# with an access open, which it closes.
runuser -u si_t_aca -- python3 "$T/client.py" "$T/run/socket" \
    "conv.show {\"id\":$E}" "sleep:30" >/dev/null 2>&1 &
lp=$!
si_until opens_ge "$E" 2
si_stop
kill "$lp" 2>/dev/null
wait "$lp" 2>/dev/null
check_eq "a daemon stopping closes the accesses still open" 2 \
    "$(recs si_t_aca conversation.close "$E")"
printf '\n[privacy]\nlist_previews = none\n' >>"$T/si.conf"
si_start || not_ok "daemon restarts with list_previews = none"
check_eq "none: no preview, not even one's own" "(preview hidden)" \
    "$(prev si_t_acb "$D")"
check_eq "none: nor an unassigned one's" "(preview hidden)" \
    "$(prev si_t_aca "$E")"
si_stop
sed -i 's/^list_previews = none$/list_previews = all/' "$T/si.conf"
si_start || not_ok "daemon restarts with list_previews = all"
check_eq "all: a colleague's preview shows" "Hallo Hanno" "$(prev si_t_aca "$D")"
si_stop
sed -i 's/^list_previews = all$/list_previews = some/' "$T/si.conf"
out=$("$SID" check -c "$T/si.conf" 2>&1)
check_contains "a bad list_previews is refused, with the values" \
    "list_previews expects own, all or none, not 'some'" "$out"
si_done
