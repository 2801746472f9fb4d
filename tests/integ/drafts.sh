#!/bin/sh
# Drafts and held sends in the daemon (issue 13, point 4): draft.set,
# draft.get and draft.list work on the caller's own drafts only, are
# bounded, sealed on disk and go with an erased contact; a reply held with
# hold_seconds leaves after its hold (also after a daemon restart), and
# outbox.cancel takes it back while it waits: only its sender, audited.
# Loopback only.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_drig
si_user si_t_dria "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 --status-delay 20
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_dria >/dev/null

db() { sqlite3 "$T/data/support-inbox.db" "$1"; }
simreq() { curl -s "$SIMURL/_sim/requests"; }
simreset() { curl -s -XPOST "$SIMURL/_sim/reset" >/dev/null; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
conv() { si list all --json | jq -r --arg n "$1" '.rows[] | select(.name == $n) | .id'; }
# call [USER] METHOD PARAMS: one request after hello; prints the answer
# (the whole frame: result or error)
call_as() {
	_u=$1; shift
	printf '{"id":1,"method":"hello","params":{"version":1}}\n{"id":2,"method":"%s","params":%s}\n' "$1" "$2" >"$T/req"
	if [ "$_u" = root ]; then
		socat -t 3 - "UNIX-CONNECT:$T/run/socket" <"$T/req"
	else
		chmod 644 "$T/req"
		runuser -u "$_u" -- socat -t 3 - "UNIX-CONNECT:$T/run/socket" \
		    <"$T/req"
	fi | tail -n 1
}
call() { call_as root "$@"; }

inbound 491510000301 "Rosa Klein" "Where is my parcel?"
inbound 491510000302 "Paul Weber" "Invoice please"
R=$(conv "Rosa Klein"); P=$(conv "Paul Weber")
if [ -z "$R" ] || [ -z "$P" ]; then
	not_ok "two customers arrived"; si_done; exit 1
fi

# --- drafts ---
out=$(call draft.set "{\"conversation\":$R,\"text\":\"Dear Rosa, zebradraft tracking 4711\",\"reply_to\":0}")
check_eq "draft.set saves" true "$(echo "$out" | jq .result.saved)"
out=$(call draft.get "{\"conversation\":$R}")
check_eq "draft.get gives it back" "Dear Rosa, zebradraft tracking 4711" \
    "$(echo "$out" | jq -r .result.draft.text)"
check_eq "draft.list lists it" "$R" \
    "$(call draft.list '{}' | jq -r '.result.drafts[0].conversation')"
check_eq "the list row has the draft marker" true \
    "$(si list all --json | jq --argjson c "$R" '.rows[] | select(.id == $c) | .draft')"
check_eq "a row without a draft has none" false \
    "$(si list all --json | jq --argjson c "$P" '.rows[] | select(.id == $c) | .draft')"
# the other agent: never sees it
check_eq "another agent's draft.get finds nothing" null \
    "$(call_as si_t_dria draft.get "{\"conversation\":$R}" | jq -c .result.draft)"
check_eq "another agent's draft.list is empty" 0 \
    "$(call_as si_t_dria draft.list '{}' | jq '.result.drafts | length')"
check_eq "another agent sees no draft marker" false \
    "$(si_as si_t_dria list all --json | jq --argjson c "$R" '.rows[] | select(.id == $c) | .draft')"
out=$(call_as si_t_dria draft.set "{\"conversation\":$R,\"text\":\"mine\"}")
check_eq "the other agent's own draft is its own" "Dear Rosa, zebradraft tracking 4711" \
    "$(call draft.get "{\"conversation\":$R}" | jq -r .result.draft.text)"
check_eq "both drafts are kept apart" 2 \
    "$(db "SELECT count(*) FROM drafts WHERE conversation_id = $R")"
# bounds
big=$(head -c 20000 /dev/zero | tr '\0' a)
out=$(call draft.set "{\"conversation\":$R,\"text\":\"$big\"}")
check_eq "a huge draft is refused" invalid "$(echo "$out" | jq -r .error.code)"
check_contains "with the limit in the message" "16384 bytes" "$(echo "$out" | jq -r .error.message)"
out=$(call draft.set '{"conversation":999999,"text":"x"}')
check_eq "a draft for no conversation is refused" not_found "$(echo "$out" | jq -r .error.code)"
out=$(call draft.set "{\"conversation\":$R}")
check_eq "draft.set without text is refused" invalid "$(echo "$out" | jq -r .error.code)"
out=$(call draft.set "{\"conversation\":\"$R\",\"text\":\"x\"}")
check_eq "a conversation that is not a number is refused" invalid "$(echo "$out" | jq -r .error.code)"
check "the daemon is still up" quiet si status
# sealed: the text is nowhere in the database files in clear
sqlite3 "$T/data/support-inbox.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1
if grep -rqa zebradraft "$T/data"; then
	not_ok "the draft is not in clear on disk"
else
	ok "the draft is not in clear on disk"
fi
check_eq "saving a draft writes no audit record" 0 \
    "$(db "SELECT count(*) FROM audit WHERE action LIKE 'draft%'")"
# empty text deletes
call draft.set "{\"conversation\":$P,\"text\":\"temp\"}" >/dev/null
call draft.set "{\"conversation\":$P,\"text\":\"\"}" >/dev/null
check_eq "an empty draft deletes it" null \
    "$(call draft.get "{\"conversation\":$P}" | jq -c .result.draft)"

# --- held sends ---
simreset
out=$(call reply "{\"conv\":$P,\"text\":\"zebraheld one\",\"hold_seconds\":30}")
M1=$(echo "$out" | jq -r .result.message)
check "a held reply answers with held_until" test \
    "$(echo "$out" | jq -r '.result.held_until // 0')" -gt "$(date +%s)"
check_eq "conv.show shows it held" true \
    "$(si show "$P" --json | jq --argjson m "$M1" '.messages[] | select(.id == $m) | .held_until > 0')"
out=$(call reply "{\"conv\":$P,\"text\":\"x\",\"hold_seconds\":61}")
check_eq "a hold over 60 s is refused" invalid "$(echo "$out" | jq -r .error.code)"
out=$(call_as si_t_dria outbox.cancel "{\"msg\":$M1}")
check_eq "another agent cannot take it back" denied "$(echo "$out" | jq -r .error.code)"
check_eq "that refusal is audited" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'message.cancel' AND result = 'refused'")"
check "search finds the held text" test \
    "$(si search zebraheld --json | jq '.rows | length')" -ge 1
out=$(call outbox.cancel "{\"msg\":$M1}")
check_eq "its sender takes it back, with its text" "zebraheld one" \
    "$(echo "$out" | jq -r .result.text)"
check_eq "the message is gone" 0 "$(db "SELECT count(*) FROM messages WHERE id = $M1")"
check_eq "and its outbox row" 0 "$(db "SELECT count(*) FROM outbox WHERE message_id = $M1")"
check_eq "the undo is audited" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'message.cancel' AND result = 'ok' AND object_id = $M1")"
check_eq "the row's preview is the customer's message again" "Invoice please" \
    "$(si list all --json | jq -r --argjson c "$P" '.rows[] | select(.id == $c) | .preview')"
check_eq "the customer had the last word again, and waits again" "in true" \
    "$(si list all --json | jq -r --argjson c "$P" '.rows[] | select(.id == $c) | "\(.last_direction) \(.waiting_since > 0)"')"
out=$(call outbox.cancel "{\"msg\":$M1}")
check_eq "a second undo finds nothing" not_found "$(echo "$out" | jq -r .error.code)"
check_eq "search no longer finds the text taken back" 0 \
    "$(si search zebraheld --json 2>/dev/null | jq '.rows | length')"
# without undo: sent after the hold
out=$(call reply "{\"conv\":$P,\"text\":\"zebraheld two\",\"hold_seconds\":2}")
M2=$(echo "$out" | jq -r .result.message)
check_eq "not sent during the hold" 0 "$(simreq | jq '[.bodies[] | select(.text.body == "zebraheld two")] | length')"
check "sent once the hold is over" si_until sh -c \
    "curl -s '$SIMURL/_sim/requests' | jq -e '[.bodies[] | select(.text.body == \"zebraheld two\")] | length == 1'"
out=$(call outbox.cancel "{\"msg\":$M2}")
check_eq "a sent message cannot be taken back" conflict "$(echo "$out" | jq -r .error.code)"
check_eq "the one taken back never reached the simulator" 0 \
    "$(simreq | jq '[.bodies[] | select(.text.body == "zebraheld one")] | length')"
# a held reply survives a daemon restart
out=$(call reply "{\"conv\":$P,\"text\":\"zebraheld three\",\"hold_seconds\":4}")
M3=$(echo "$out" | jq -r .result.message)
si_stop
si_start || not_ok "daemon restarts"
check "a held reply is sent after a restart" si_until sh -c \
    "curl -s '$SIMURL/_sim/requests' | jq -e '[.bodies[] | select(.text.body == \"zebraheld three\")] | length == 1'"
check_eq "its outbox row is sent" sent \
    "$(si outbox --json | jq -r --argjson m "$M3" '.rows[] | select(.message == $m) | .state')"
# sending a reply removes the sender's draft of that conversation
call draft.set "{\"conversation\":$P,\"text\":\"about to go\"}" >/dev/null
call reply "{\"conv\":$P,\"text\":\"zebraheld four\"}" >/dev/null
check_eq "a sent reply removes its draft" null \
    "$(call draft.get "{\"conversation\":$P}" | jq -c .result.draft)"
# hold only for text
out=$(call react "{\"conv\":$P,\"msg\":$M2,\"emoji\":\"👍\",\"hold_seconds\":5}")
check_eq "hold_seconds is for text only" invalid "$(echo "$out" | jq -r .error.code)"

# --- undo of a resolve is audited as one ---
si resolve "$R" >/dev/null
out=$(call conv.state "{\"id\":$R,\"state\":\"open\",\"undo\":true}")
check_eq "undoing a resolve reopens" open "$(echo "$out" | jq -r .result.state)"
check_eq "audited as an undo" "undo: back to open" \
    "$(si audit show --action conversation.reopen --detail --purpose "test check" --json |
    jq -r --argjson c "$R" '[.records[] | select(.object_id == $c)][0].detail')"

# --- erasure deletes drafts ---
cid=$(si show "$R" --purpose "test" --json | jq -r .conversation.contact_id)
si privacy erase "contact:$cid" --reason "Art. 17" --yes >/dev/null 2>&1
check_eq "erasure deletes the contact's drafts (every agent's)" 0 \
    "$(db "SELECT count(*) FROM drafts WHERE contact_id = $cid")"
check_eq "draft.list no longer has it" 0 \
    "$(call draft.list '{}' | jq '[.result.drafts[] | select(.conversation == '"$R"')] | length')"

si_stop
si_done
