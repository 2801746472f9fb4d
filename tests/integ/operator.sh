#!/bin/sh
# Issue 14, how it is checked: the README's "Operating it" section command
# by command, on the installed programs. Install into a scratch prefix;
# setup with a service user, the agents' group and a person as the first
# admin; start; add agents; a customer writes through nginx (TLS, the
# contrib config) and an agent answers; back up while it runs; restore into
# a new directory (sending paused until an admin resumes); upgrade across a
# schema change; remove an agent, their conversations handed over; ship the
# audit log and verify the store against the shipped copy.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-nginx.sh"

[ -x "$NGINX" ] || { not_ok "nginx is installed (sh mk/deps.sh)"; si_done; exit 1; }
san=0
case "$SI_BUILD" in */san) san=1 ;; esac
si_tmp
OLD="$SI_BUILD/tools/old-store"
SIM="$SI_BUILD/support-inbox-sim"

# --- Installing: the default PREFIX, staged (nothing is rebuilt) ---
check "make install DESTDIR=... (the default PREFIX)" quiet make -C "$SI_TOP" \
    --no-print-directory -j2 SAN=$san install DESTDIR="$T/stage"
P=$T/stage/usr/local
SID=$P/sbin/support-inboxd
SIC=$P/bin/support-inbox
check_contains "the installed daemon answers --version" "support-inboxd " \
    "$("$SID" --version)"

# --- Setting up: a service user in the agents' group, a person as admin ---
svc=si_t_opsvc
adm=si_t_oplena
ag=si_t_optom
ag2=si_t_opmaya
grp=si_t_opagents
si_user $svc si_t_opsvcg && si_user $adm $grp && si_user $ag $grp &&
    si_user $ag2 $grp || { not_ok "test users"; si_done; exit 1; }
usermod -aG $grp $svc
for u in $adm $ag $ag2; do usermod -s /bin/sh $u; done
si_config $grp
# the socket directory as the packaged tmpfiles.d line makes it
mode=$(awk '$1 == "d" && $2 == "/run/support-inbox" {print $3}' \
    "$P/lib/tmpfiles.d/support-inbox.conf")
sed -i "s|^socket = .*|socket = $T/sock/socket|" "$T/si.conf"
install -d -m "$mode" -o $svc -g $grp "$T/sock"
cat >>"$T/si.conf" <<EOC

[audit]
checkpoint_file = $T/audit/checkpoints.log
checkpoint_every = 10
EOC
install -d -m 0700 -o $svc "$T/audit"
chown $svc "$T/app_secret" "$T/verify_token" "$T/access_token"
check "setup --user --group --admin" quiet "$SID" setup -c "$T/si.conf" \
    --user $svc --group $grp --admin $adm
check_contains "run again, it changes nothing" "nothing changed" \
    "$("$SID" setup -c "$T/si.conf" --user $svc --group $grp --admin $adm)"

# daemon CONFIG LOG: a daemon as the service user (as the unit runs it);
# its pid in DPID
daemon() {
	setpriv --reuid=$svc --regid=si_t_opsvcg --init-groups \
	    "$SID" -c "$1" >>"$2" 2>&1 &
	DPID=$!
	si_pids="$si_pids $DPID"
}
# asc CONFIG USER ARGS...: the installed client as USER
asc() { _conf=$1 _who=$2; shift 2; runuser -u "$_who" -- "$SIC" -c "$_conf" "$@"; }
as() { asc "$T/si.conf" "$@"; }
start() {
	daemon "$T/si.conf" "$T/daemon.log"
	SI_DPID=$DPID
	si_until as $adm status
}
stop() {
	kill "$SI_DPID" 2>/dev/null
	wait "$SI_DPID" 2>/dev/null
}
si_sim
check "the daemon starts as the service user" start
check "the admin adds the agents" quiet sh -c \
    "runuser -u $adm -- '$SIC' -c '$T/si.conf' agent add $ag &&
    runuser -u $adm -- '$SIC' -c '$T/si.conf' agent add $ag2"
check_eq "three agents, the service account not among them" \
    "$(printf '%s\n' $adm $ag2 $ag | sort)" \
    "$(as $adm agent list --json | jq -r '.[].name' | sort)"
check "root sees the health without being an agent" \
    quiet "$SID" status -c "$T/si.conf"

# --- TLS proxy: a customer writes through nginx ---
si_nginx
"$SIM" post --url "$URL" --secret-file "$T/app_secret" --cacert "$N/tls.crt" \
    --count 6 --customers 3 --seed 41 --prefix op --no-retry \
    >"$T/post.json" 2>"$T/post.err"
check_eq "six webhooks through nginx, all acknowledged" "6 6" \
    "$(jq -r '"\(.sent) \(.status."200")"' "$T/post.json")"
check_eq "three conversations" 3 \
    "$(as $adm list all --json | jq '.rows | length')"
c1=$(as $adm list all --json | jq -r '.rows[0].id')
c2=$(as $adm list all --json | jq -r '.rows[1].id')
check "tom claims one" quiet as $ag assign "$c1" me
check "maya claims another" quiet as $ag2 assign "$c2" me
check "tom answers" quiet as $ag reply "$c1" "Ihr Paket ist unterwegs."
check "the reply leaves (the simulator has it)" si_until sh -c \
    "curl -s '$SIMURL/_sim/requests' | grep -q 'Paket ist unterwegs'"

# --- Backup while it runs, restore into a new directory ---
install -d -m 0700 -o $svc "$T/backup"
check "backup as the service user while it runs" quiet \
    runuser -u $svc -- "$SID" backup -c "$T/si.conf" "$T/backup"
check "the backup has its manifest" test -s "$T/backup/MANIFEST"
sed -e "s|^data_dir = .*|data_dir = $T/restored|" \
    -e "s|^socket = .*|socket = $T/sock2/socket|" \
    -e "s|^checkpoint_file = .*|checkpoint_file = $T/audit2/checkpoints.log|" \
    -e "s|^listen = .*|listen = 127.0.0.1:$(si_port)|" \
    "$T/si.conf" >"$T/restored.conf"
install -d -m "$mode" -o $svc -g $grp "$T/sock2"
install -d -m 0700 -o $svc "$T/audit2" "$T/restored"
check "restore into a new, empty directory" quiet \
    runuser -u $svc -- "$SID" restore "$T/backup" -c "$T/restored.conf"
daemon "$T/restored.conf" "$T/restored.log"
RPID=$DPID
ras() { asc "$T/restored.conf" "$@"; }
check "the restored daemon starts" si_until ras $adm status
check_eq "it holds the three conversations" 3 \
    "$(ras $adm list all --json | jq '.rows | length')"
check_eq "and starts with sending paused (a drill never talks to Meta)" \
    restored "$(ras $adm status --json | jq -r .outbox.paused_reason)"
check "an admin resumes it" quiet ras $adm outbox resume
check_eq "then it sends" null \
    "$(ras $adm status --json | jq -r .outbox.paused_reason)"
kill "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null

# --- Offboarding: maya leaves, her conversation goes to tom ---
check "agent remove maya --to tom" quiet as $adm agent remove $ag2 --to $ag
check_eq "her conversation is tom's" $ag \
    "$(as $adm list all --json | jq -r --argjson c "$c2" \
    '.rows[] | select(.id == $c) | .assignee')"
check_eq "she is no longer listed" "" \
    "$(as $adm agent list --json | jq -r --arg u $ag2 '.[] | select(.name == $u) | .name')"
check_contains "and no longer let in" "not an active agent" \
    "$(as $ag2 status 2>&1)"

# --- The audit log: shipped off the host, the store checked against it ---
install -d -m 0700 -o $adm "$T/offsite"	# the off-host mount
check "audit ship DIR" quiet as $adm audit ship "$T/offsite"
check "it holds the signed checkpoints" test -s "$T/offsite/checkpoints.log"
check "and the records, once" sh -c "cat '$T/offsite'/audit-*.jsonl | \
    jq -r .seq | sort -n | uniq -d | grep -q . && exit 1 || exit 0"
check_contains "verify against the shipped copy" "intact" \
    "$(as $adm audit verify --against "$T/offsite/checkpoints.log")"
check "a second run ships what came since" quiet as $adm audit ship "$T/offsite"

# --- Upgrade across a schema change, agents' data intact ---
cur=$(sqlite3 "$T/data/support-inbox.db" "PRAGMA user_version")
stop
"$OLD" "$T/data" "$T/olddata" $((cur - 1)) >/dev/null
cp -p "$T/data/master.key" "$T/olddata/" 2>/dev/null
check_eq "the store as the release before left it" $((cur - 1)) \
    "$(sqlite3 "$T/olddata/support-inbox.db" "PRAGMA user_version")"
mv "$T/data" "$T/newdata" && mv "$T/olddata" "$T/data"
chown -R $svc "$T/data"
check "the upgraded daemon starts on it" start
check "and migrates it at start" grep -q "ready (schema $cur)" "$T/daemon.log"
check_eq "the conversations are all there" 3 \
    "$(as $adm list all --json | jq '.rows | length')"
check_contains "tom's reply too" "Paket ist unterwegs" \
    "$(as $ag show "$c1" --json)"

stop
si_done
