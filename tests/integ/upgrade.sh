#!/bin/sh
# Upgrades (issue 14.6): a store made at every earlier schema version
# (tests/tools/old-store: the migrations up to N exactly as released, and
# the rows a real daemon wrote) is migrated by the current daemon at start,
# with everything intact; a store newer than the program is refused with a
# clear message and left alone; a migration that fails leaves the store at
# its old version. An upgrade with an agent connected loses nothing: the
# client reconnects, a reply queued at the stop goes out once, webhooks
# sent while the daemon was down arrive.
. "$(dirname "$0")/../lib.sh"

OLD="$SI_BUILD/tools/old-store"
CUR=$(sed -n 's/^[[:space:]]*\/\* \([0-9]*\): .*/\1/p' \
    "$SI_TOP/src/daemon/store-schema.h" | tail -n 1)

si_tmp
si_config
cat >>"$T/si.conf" <<EOF
timeout = 1
retry_base_ms = 60000
max_attempts = 5
template_sync_minutes = 0
EOF
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398 \
    --statuses none
si_init && si_start || { not_ok "daemon starts"; si_done; exit 1; }
simport=$SIMURL

inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"Customer $1\",\"text\":\"$2\",\"wait\":true}" >/dev/null
}
conv_of() {
	si list all --json | jq -r --arg n "Customer $1" \
	    '.rows[] | select(.name == $n) | .id'
}

# --- the rows a release writes: conversations, messages, a note, a label,
# outbox rows (one sent, one waiting for a retry), a second agent ---
si_user si_t_upga si_t_upg
si agent add si_t_upga >/dev/null
inbound 491510000061 "Wo bleibt mein Paket?"
inbound 491510000062 "Rechnung bitte"
inbound 491510000062 "Danke!"
C1=$(conv_of 491510000061)
C2=$(conv_of 491510000062)
si reply "$C1" "Es ist unterwegs." >/dev/null
sent() {
	[ "$(si outbox --json | jq -r '[.rows[] | select(.state == "sent")] |
	    length')" -ge 1 ]
}
check "a reply is sent" si_until sent
si note add "$C2" "Kunde ruft morgen an" >/dev/null
si label create vip >/dev/null
si label add vip "$C2" >/dev/null
si assign "$C1" si_t_upga >/dev/null
# The Graph API goes away: the next reply waits for its retry.
sed -i "s|^api_base_url = .*|api_base_url = http://127.0.0.1:1|" "$T/si.conf"
si reload >/dev/null 2>&1
si_stop
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
si reply "$C2" "Kommt per Post." >/dev/null
waiting() {
	si outbox --json | jq -e '.rows[] | select(.state == "queued" and
	    .attempts >= 1)' >/dev/null
}
check "a reply waits for its retry" si_until waiting

view() {	# what must survive an upgrade, without volatile fields
	{
		si list all --json | jq -c '[.rows[] | {id, name, state,
		    labels, assignee}]'
		for c in "$C1" "$C2"; do
			si show "$c" --purpose "upgrade test" --json | jq -c '[.messages[] | {id,
			    direction, body, type}]'
			si note list "$c" --purpose "upgrade test" --json |
			    jq -c '[.. | objects |
			    select(has("body")) | {id, body}]'
		done
		si outbox --json | jq -c '[.rows[] | {message, state}]'
		si agent list --json | jq -c '[.. | objects |
		    select(has("role")) | {name, role, active}]'
	} 2>&1
}
view >"$T/want"
si_stop
check "the reference view has the conversations" grep -q "Customer 491510000062" "$T/want"
check "and the note" grep -q "Kunde ruft morgen an" "$T/want"
check "and the queued reply" grep -q '"state":"queued"' "$T/want"
check "and both agents" grep -q '"name":"si_t_upga"' "$T/want"
check "and the messages" grep -q '"text":"Es ist unterwegs."' "$T/want"
check "and no refusal" test -z "$(grep -v '^\[' "$T/want")"

# --- every earlier version ---
cp "$T/si.conf" "$T/src.conf"
v=1
while [ "$v" -lt "$CUR" ]; do
	d="$T/v$v"
	"$OLD" "$T/data" "$d" "$v" >/dev/null
	cp -p "$T/data/master.key" "$d/"
	cp -a "$T/data/blobs" "$d/" 2>/dev/null
	check_eq "the tool made a store at version $v" "$v" \
	    "$(sqlite3 "$d/support-inbox.db" "PRAGMA user_version")"
	sed "s|^data_dir = .*|data_dir = $d|" "$T/src.conf" >"$T/si.conf"
	: >"$T/daemon.log"
	if si_start; then
		check_eq "version $v: migrated to $CUR" \
		    "support-inboxd ready (schema $CUR)" \
		    "$(grep -o 'support-inboxd ready (schema [0-9]*)' \
		    "$T/daemon.log")"
		view >"$T/got"
		check "version $v: conversations, messages, notes, outbox \
and agents intact" cmp -s "$T/want" "$T/got"
		cmp -s "$T/want" "$T/got" || diff "$T/want" "$T/got" |
		    sed 's/^/# /' | head -n 20
		check "version $v: the audit log verifies" quiet si audit verify
		si_stop
		check_eq "version $v: the file says $CUR" "$CUR" \
		    "$(sqlite3 "$d/support-inbox.db" "PRAGMA user_version")"
	else
		not_ok "version $v: the daemon starts"
		sed 's/^/# /' "$T/daemon.log" | tail -n 5
	fi
	v=$((v + 1))
done

# --- a store newer than the program: refused, untouched ---
d="$T/v$((CUR - 1))"
sqlite3 "$d/support-inbox.db" "PRAGMA user_version = $((CUR + 1))"
sum=$(md5sum <"$d/support-inbox.db")
sed "s|^data_dir = .*|data_dir = $d|" "$T/src.conf" >"$T/si.conf"
out=$(timeout 20 "$SID" -c "$T/si.conf" 2>&1)
check_eq "a newer store is refused" 1 "$?"
check_contains "saying so" \
    "schema version $((CUR + 1)) is newer than this program ($CUR)" "$out"
check_contains "and what to do" "upgrade support-inbox" "$out"
check_eq "and left as it was" "$sum" "$(md5sum <"$d/support-inbox.db")"

# --- a migration that fails: rolled back, the store stays at its version ---
# A store at 19 with a table in the way of migration 20's CREATE TABLE
# (its triggers and INSERTs come after it): 20 fails, 21 never runs.
d="$T/broken"
"$OLD" "$T/data" "$d" 19 >/dev/null
cp -p "$T/data/master.key" "$d/"
sqlite3 "$d/support-inbox.db" "CREATE TABLE sla_clocks (x INTEGER)"
sed "s|^data_dir = .*|data_dir = $d|" "$T/src.conf" >"$T/si.conf"
out=$(timeout 20 "$SID" -c "$T/si.conf" 2>&1)
check_eq "a failing migration stops the daemon" 1 "$?"
check_contains "with the database's reason" \
    "table sla_clocks already exists" "$out"
check_eq "the store stays at its version" 19 \
    "$(sqlite3 "$d/support-inbox.db" "PRAGMA user_version")"
check_eq "with nothing of the failed step" "x" \
    "$(sqlite3 "$d/support-inbox.db" "SELECT group_concat(name) FROM
    pragma_table_info('sla_clocks')")"

# --- an upgrade with an agent connected ---
# No older binary can be built here, so the stop leaves the store as the
# release before would have: old-store turns what the stopped daemon left
# (the queued reply, the conversations) into a store at version CUR-1,
# and the start is a real migration. (Its audit log starts anew.)
. "$SI_TOP/tests/lib-tui.sh"
d="$T/up"
"$OLD" "$T/data" "$d" $((CUR - 1)) >/dev/null
cp -p "$T/data/master.key" "$d/"
sed -e "s|^data_dir = .*|data_dir = $d|" -e "s|^retry_base_ms = .*|\
retry_base_ms = 1000|" "$T/src.conf" >"$T/si.conf"
si_start || { not_ok "the daemon starts on the old store"; si_done; exit 1; }
start a 100 30
check "an agent is connected" wait_for a "[daemon: ok]"
check "and sees the list" wait_for a "Customer 491510000062"
# (a conversation of its own: replies in one leave in order)
# (lib-tui.sh's inbound: FROM NAME TEXT)
inbound 491510000064 "Customer 491510000064" "Hallo"
MSGU=$(si reply "$(conv_of 491510000064)" "Antwort beim Upgrade" --json |
    jq -r .message)
state_of() {
	si outbox --json | jq -r --argjson m "$MSGU" \
	    '.rows[] | select(.message == $m) | "\(.state) \(.attempts)"'
}
queued() { case "$(state_of)" in "queued 0"|"") return 1 ;; queued*) ;;
    *) return 1 ;; esac; }
is_sent() { [ "$(state_of | cut -d' ' -f1)" = sent ]; }
check "a reply is queued (the Graph API is away)" si_until queued
si_stop
check "the agent sees the daemon go" wait_for a "[daemon: down]"
# A customer writes while the daemon is down: the simulator retries.
curl -s -XPOST "$SIMURL/_sim/inbound" -d '{"from":"491510000063",
    "name":"Customer 491510000063","text":"waehrend des Upgrades"}' \
    >/dev/null
"$OLD" "$d" "$T/up-old" $((CUR - 1)) >/dev/null
cp -p "$d/master.key" "$T/up-old/"
mv "$d" "$T/up-stopped"
mv "$T/up-old" "$d"
check_eq "the stopped store, as the release before left it" $((CUR - 1)) \
    "$(sqlite3 "$d/support-inbox.db" "PRAGMA user_version")"
sed -i "s|^api_base_url = .*|api_base_url = $simport|" "$T/si.conf"
: >"$T/daemon.log"
si_start || { not_ok "the upgraded daemon starts"; si_done; exit 1; }
check "it migrated at start" grep -q "ready (schema $CUR)" "$T/daemon.log"
check "the agent's client reconnects by itself" wait_for a "[daemon: ok]"
check "the webhook sent during the stop arrives, live" \
    wait_for a "Customer 491510000063"
sim_count() {
	curl -s "$simport/_sim/requests" | jq --arg t "$1" \
	    '[.bodies[] | select(.text.body == $t)] | length'
}
gone() { [ "$(sim_count "Antwort beim Upgrade")" -ge 1 ]; }
check "the queued reply goes out" si_until gone
check "and is marked sent" si_until is_sent
check_eq "exactly once" 1 "$(sim_count "Antwort beim Upgrade")"
check "the message is stored" sh -c "$SIC -c $T/si.conf show \
    $(conv_of 491510000063) --json | grep -q 'waehrend des Upgrades'"
check_eq "no webhook was given up" 0 \
    "$(curl -s "$simport/_sim/requests" | jq '.webhooks.failed // 0')"
check "the client is still running" test -z "$(screen a | grep 'client exit')"
tm kill-session -t a
si_stop
si_done
