#!/bin/sh
# Issue 2: init, daemon start and refusals, status, socket identity and
# agents, config errors, clean shutdown, nothing personal in clear on disk.
. "$(dirname "$0")/../lib.sh"

SCHEMA=21	# the store's schema (src/daemon/store-schema.h's migrations)

si_tmp
GRP=si_t_agents
si_user si_t_bob "$GRP"
si_config "$GRP"

# init creates everything with the right modes, and a second init changes
# nothing and says so.
check "init succeeds" si_init
check_eq "data dir is 0700" 700 "$(stat -c %a "$T/data")"
check_eq "key file is 0600" 600 "$(stat -c %a "$T/data/master.key")"
check_eq "key file holds 32 key bytes after its header" 40 \
    "$(stat -c %s "$T/data/master.key")"
check "database and key store exist" test -s "$T/data/support-inbox.db" -a \
    -s "$T/data/keystore.db"
check_contains "init registers the user as admin" "registered 'root'" \
    "$(cat "$T/init.out")"
sum1=$(cat "$T/data/master.key" "$T/data/support-inbox.db" | md5sum)
out=$("$SID" init --as-root -c "$T/si.conf" 2>&1)
check_contains "second init says it changed nothing" "nothing was changed" "$out"
check_eq "second init leaves key and database untouched" "$sum1" \
    "$(cat "$T/data/master.key" "$T/data/support-inbox.db" | md5sum)"

# Refusals before start: unsafe key file, secret file, data dir, socket dir,
# bad config value.
chmod 644 "$T/data/master.key"
out=$("$SID" -c "$T/si.conf" 2>&1)
check "daemon refuses a group-readable key file" test $? -ne 0
check_contains "and says how to fix it" "chmod 600" "$out"
chmod 600 "$T/data/master.key"

chmod 644 "$T/app_secret"
out=$("$SID" -c "$T/si.conf" 2>&1)
check_contains "daemon refuses a world-readable secret file" \
    "readable by group or others" "$out"
chmod 600 "$T/app_secret"

chmod 755 "$T/data"
out=$("$SID" -c "$T/si.conf" 2>&1)
check_contains "daemon refuses an open data directory" "chmod 700" "$out"
chmod 700 "$T/data"

mkdir -p "$T/run"
chmod 777 "$T/run"
out=$("$SID" -c "$T/si.conf" 2>&1)
check_contains "daemon refuses a world-writable socket directory" \
    "writable by group or others" "$out"
rmdir "$T/run"

cp "$T/si.conf" "$T/bad.conf"
printf '[webhook]\nmax_body = lots\n' >>"$T/bad.conf"
out=$("$SID" -c "$T/bad.conf" 2>&1)
rc=$?
check "a bad config value stops the daemon" test $rc -ne 0
check_contains "and names file, line and expectation" \
    "bad.conf:$(wc -l <"$T/bad.conf"): [webhook] max_body expects a number" "$out"
printf '[daemon]\nfrobnicate = 1\n' >"$T/warn.conf"
cat "$T/si.conf" >>"$T/warn.conf"
out=$("$SIC" -c "$T/warn.conf" status 2>&1)
check_contains "an unknown key warns with file and line" \
    "warn.conf:2: unknown key 'frobnicate'" "$out"

# Start; status answers.
check "daemon starts" si_start
check_eq "socket directory is 0750 with a socket group" 750 \
    "$(stat -c %a "$T/run")"
check_eq "socket is 0660" 660 "$(stat -c %a "$T/run/socket")"
st=$(si status --json)
check_eq "status reports the schema version" "$SCHEMA" \
    "$(echo "$st" | jq .schema_version)"
check_eq "status counts one agent" 1 "$(echo "$st" | jq .counts.agents)"
check "status without --json is one readable summary" quiet \
    sh -c "\"$SIC\" -c \"$T/si.conf\" status | grep -q '^support-inboxd '"
out=$("$SID" -c "$T/si.conf" 2>&1)
check_contains "a second daemon on the same socket is refused" \
    "another daemon is listening" "$out"

# Socket identity: a Unix user who is not an agent is refused by name.
out=$(si_as si_t_bob status 2>&1)
rc=$?
check "a non-agent user gets a non-zero exit" test $rc -ne 0
check_contains "the refusal names the user and the admin command" \
    "Unix user 'si_t_bob'" "$out"
check_contains "and the command that would add them" \
    "support-inbox agent add si_t_bob" "$out"
out=$(si_as si_t_bob agent add si_t_bob 2>&1)
check_contains "a non-agent cannot add itself" "not an active agent" "$out"

check "admin adds the user as agent" quiet si agent add si_t_bob
check "the new agent is let in" quiet si_as si_t_bob status --json
out=$(si_as si_t_bob agent add root --role admin 2>&1)
check_contains "an agent may not manage agents" "needs the admin role" "$out"
check_eq "agent list shows both" "root si_t_bob" \
    "$(si agent list --json | jq -r '[.[].name] | sort | join(" ")')"
check "admin changes the role" quiet si agent role si_t_bob supervisor
check_eq "the role is changed" supervisor \
    "$(si agent list --json | jq -r '.[] | select(.name=="si_t_bob") | .role')"
check "admin disables the agent" quiet si agent disable si_t_bob
out=$(si_as si_t_bob status 2>&1)
check_contains "a disabled agent is refused" "not an active agent" "$out"
out=$(si agent role nobody_here admin 2>&1)
check_contains "an unknown agent is a clear error" "no agent 'nobody_here'" "$out"
out=$(si agent add no_such_unix_user_x 2>&1)
check_contains "adding a user who does not exist is refused" \
    "no Unix user 'no_such_unix_user_x'" "$out"

# Every change above is in the audit log, and the chain verifies.
n=$(sqlite3 "$T/data/support-inbox.db" \
    "SELECT count(*) FROM audit WHERE action IN ('agent.add','agent.role','agent.disable')")
check_eq "agent changes are audited (init + add + role + disable)" 4 "$n"
n=$(sqlite3 "$T/data/support-inbox.db" \
    "SELECT count(*) FROM audit WHERE action = 'permission.denied'")
# Repeated refusals of one user are coalesced (the first at once, the rest
# counted into one record per 10 s; bounds.sh accounts for every one).
check "refusals are audited" test "$n" -ge 1
check "the audit chain verifies" quiet si audit verify

# Bad frames on the socket: clear errors, the daemon lives on.
out=$(printf 'this is not json\n' | socat -t 2 - "UNIX-CONNECT:$T/run/socket")
check_contains "a non-JSON frame gets bad_request" bad_request "$out"
out=$(printf '{"id":1,"method":"status"}\n' | socat -t 2 - "UNIX-CONNECT:$T/run/socket")
check_contains "a method before hello is refused" hello_first "$out"
out=$(printf '{"id":1,"method":"hello","params":{"version":99}}\n' |
    socat -t 2 - "UNIX-CONNECT:$T/run/socket")
check_contains "a protocol version mismatch is explained" "speaks protocol 99" "$out"
# An oversized frame is read to its newline and dropped; the connection
# goes on, so the hello after it is answered on the same connection.
{
	head -c 1100000 /dev/zero | tr '\0' 'x'
	printf '\n{"id":7,"method":"hello","params":{"version":1}}\n'
} >"$T/big"
out=$(socat -t 5 - "UNIX-CONNECT:$T/run/socket" <"$T/big" 2>/dev/null)
check_contains "an oversized frame is refused" too_large "$out"
check_contains "the connection goes on after it" '"id":7,"result"' "$out"
check "the daemon survives bad frames" quiet si status

# Nothing personal in clear on disk: plant a name, number and text.
sed -e 's/12025550147/4917612398765/g' -e 's/Edda Marlowe/Zyxwv Plantedname/' \
    -e 's/Is the smoky oolong back in stock?/PLANTED-MESSAGE-TEXT-42/' \
    "$SI_FIXTURES/webhook-text.json" >"$T/planted.json"
check_eq "a signed webhook is accepted" 200 "$(si_post "$T/planted.json")"
check_contains "and readable through the daemon" PLANTED-MESSAGE-TEXT-42 \
    "$(si list all --json)"
for f in support-inbox.db support-inbox.db-wal keystore.db keystore.db-wal; do
	[ -e "$T/data/$f" ] || continue
	for s in PLANTED-MESSAGE-TEXT-42 4917612398765 Plantedname; do
		if grep -aq "$s" "$T/data/$f"; then
			not_ok "$f holds '$s' in clear"
		else
			ok "$f does not hold '$s' in clear"
		fi
	done
done
if grep -aqE 'PLANTED|4917612398765|Plantedname' "$T/daemon.log"; then
	not_ok "the daemon log holds personal data"
else
	ok "the daemon log holds no personal data"
fi

# The socket can come from the environment instead of -c.
check_eq "SUPPORT_INBOX_SOCKET picks the daemon" "$SCHEMA" \
    "$(SUPPORT_INBOX_SOCKET="$T/run/socket" "$SIC" status --json | jq .schema_version)"
out=$("$SIC" --socket "$T/nonexistent" status 2>&1)
check_contains "a wrong --socket is a one-line error naming the path" \
    "cannot connect to the daemon at '$T/nonexistent'" "$out"

# Clean shutdown on SIGTERM.
kill -TERM "$SI_DPID"
wait "$SI_DPID"
check_eq "SIGTERM exits 0" 0 $?
check "the socket is removed on exit" test ! -e "$T/run/socket"
check_contains "the log says it stopped" "stopped" "$(tail -n 2 "$T/daemon.log")"

# A master key wrapped with a passphrase (Argon2id): init and run with it.
P=$T/pp
mkdir "$P" && chmod 700 "$P"
printf 'correct horse battery staple\n' >"$P/passphrase"
chmod 600 "$P/passphrase"
cp -p "$T/app_secret" "$T/verify_token" "$T/access_token" "$P/"
sed -e "s|$T/data|$P/data|" -e "s|$T/run|$P/run|" \
    -e "s|^\[daemon\]|[daemon]\npassphrase_file = $P/passphrase|" \
    -e "s|^listen = .*|listen = off|" "$T/si.conf" >"$P/si.conf"
check "init with a passphrase" quiet "$SID" init --as-root -c "$P/si.conf"
check "the key file is not the plain key" \
    test "$(stat -c %s "$P/data/master.key")" -gt 40
"$SID" -c "$P/si.conf" >"$P/log" 2>&1 &
ppid=$!
si_pids="$si_pids $ppid"
i=0
until "$SIC" -c "$P/si.conf" status >/dev/null 2>&1 || [ $i -gt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
check "the daemon runs with the passphrase-wrapped key" \
    quiet "$SIC" -c "$P/si.conf" status
kill "$ppid"; wait "$ppid" 2>/dev/null
printf 'wrong\n' >"$P/passphrase"
out=$("$SID" -c "$P/si.conf" 2>&1)
check_contains "a wrong passphrase is refused clearly" "wrong passphrase" "$out"

si_done
