#!/bin/sh
# Issue 14, set-up in the right order: support-inboxd setup, as root, makes
# the data directory and socket directory for the service user, the key and
# database as that user and a named person the first admin; each refusal
# (service user not in the agents' group, root or the service account as
# admin, a root-owned data directory, init as root) names its fix; run again
# it changes nothing. The daemon then runs as the service user, the admin
# works as their own Unix user, and the service account is no agent.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_setgrp
SVC=si_t_setsvc
ADM=si_t_setadm
si_user "$SVC" si_t_setsvcg	# not in the agents' group yet
si_user "$ADM" "$GRP"
si_config "$GRP"
# The daemon reads its secrets as the service user.
chown "$SVC" "$T/app_secret" "$T/verify_token" "$T/access_token"
svc_uid=$(id -u "$SVC")

setup() {
	"$SID" setup -c "$T/si.conf" "$@"
}

# init as root is the trap: refused, pointing to setup.
out=$("$SID" init -c "$T/si.conf" 2>&1)
check "init as root is refused" test $? -ne 0
check_contains "and points to setup" "support-inboxd setup -c $T/si.conf" \
    "$out"
check "and creates nothing" test ! -e "$T/data"

# init as the service account (no login shell) is refused too: it would
# make the service account the only admin, offered in "assign to".
out=$(setpriv --reuid="$SVC" --regid=si_t_setsvcg --init-groups \
    "$SID" init -c "$T/si.conf" 2>&1)
check "init as the service account is refused" test $? -ne 0
check_contains "and points to setup with a person as admin" \
    "support-inboxd setup -c $T/si.conf --user $SVC" "$out"
check "and creates nothing" test ! -e "$T/data"

# Refusals, each with its fix, each before anything is created.
out=$(setup --user "$SVC" --group "$GRP" --admin "$ADM" 2>&1)
check "setup refuses a service user outside the agents' group" \
    test $? -ne 0
check_contains "and names the command that fixes it" \
    "usermod -aG $GRP $SVC" "$out"
check "and creates nothing" test ! -e "$T/data" -a ! -e "$T/run"
usermod -aG "$GRP" "$SVC"

out=$(setup --user "$SVC" --group "$GRP" --admin root 2>&1)
check "setup refuses root as the admin" test $? -ne 0
check_contains "and asks for a person's login" "root cannot be the admin" \
    "$out"
check_contains "with the option to give" "--admin LOGIN" "$out"
out=$(setup --user "$SVC" --group "$GRP" --admin "$SVC" 2>&1)
check "setup refuses the service account as the admin" test $? -ne 0
check_contains "and says why" "'$SVC' is the service account" "$out"
out=$(setup --user root --group "$GRP" --admin "$ADM" 2>&1)
check "setup refuses root as the service user" test $? -ne 0
check_contains "and says how to make one" "useradd --system" "$out"
out=$(setup --user "$SVC" --group si_t_setnone --admin "$ADM" 2>&1)
check_contains "a missing group is named with its fix" \
    "groupadd si_t_setnone" "$out"
out=$(setup --user "$SVC" --group "$GRP" 2>&1)
check "setup without --admin is a usage error" test $? -eq 2
sed "s|^socket = .*|socket = /run/si_t_setsock|" "$T/si.conf" >"$T/run.conf"
out=$("$SID" setup -c "$T/run.conf" --user "$SVC" --group "$GRP" \
    --admin "$ADM" 2>&1)
check_contains "a socket straight in /run is refused (it would be /run's)" \
    "socket directory '/run' must be a directory of its own" "$out"
check "none of the refusals created anything" \
    test ! -e "$T/data" -a ! -e "$T/run"

# A data directory left by init as root: refused, with the chown.
sed "s|^data_dir = .*|data_dir = $T/rootdata|" "$T/si.conf" >"$T/root.conf"
"$SID" init --as-root -c "$T/root.conf" >/dev/null 2>&1
out=$("$SID" setup -c "$T/root.conf" --user "$SVC" --group "$GRP" \
    --admin "$ADM" 2>&1)
check "setup refuses a data directory root owns" test $? -ne 0
check_contains "and names the chown" "chown -R $SVC:$SVC $T/rootdata" "$out"
check_contains "and the likely cause" "an init run as root?" "$out"
rm -rf "$T/run"

# The set-up.
out=$(setup --user "$SVC" --group "$GRP" --admin "$ADM" 2>&1)
check "setup succeeds" test $? -eq 0
check_contains "it registers the admin" "registered '$ADM' as the first admin" \
    "$out"
owner() { stat -c '%U:%G %a' "$1"; }
check_eq "data directory: service user, 0700" "$SVC:si_t_setsvcg 700" \
    "$(owner "$T/data")"
for f in master.key support-inbox.db keystore.db; do
	check_eq "$f belongs to the service user" "$SVC" \
	    "$(stat -c %U "$T/data/$f")"
done
check_eq "nothing in the data directory is root's" "" \
    "$(find "$T/data" -user root)"
check_eq "socket directory: service user, agents' group, 0750" \
    "$SVC:$GRP 750" "$(owner "$T/run")"

# Again: nothing changes, and it says so.
sum=$(cat "$T/data/master.key" "$T/data/support-inbox.db" | md5sum)
out=$(setup --user "$SVC" --group "$GRP" --admin "$ADM" 2>&1)
check "setup again succeeds" test $? -eq 0
check_contains "and says nothing changed" "nothing changed" "$out"
check_eq "key and database are untouched" "$sum" \
    "$(cat "$T/data/master.key" "$T/data/support-inbox.db" | md5sum)"
check_eq "the modes are the same" "$SVC:$GRP 750" "$(owner "$T/run")"

# The daemon runs as the service user.
start_svc() {
	setpriv --reuid="$SVC" --regid=si_t_setsvcg --init-groups \
	    "$SID" -c "$T/si.conf" >>"$T/daemon.log" 2>&1 &
	SI_DPID=$!
	si_pids="$si_pids $SI_DPID"
}
start_svc
# (si_as inside si_until would share its counter variable)
adm_status() {
	runuser -u "$ADM" -- "$SIC" -c "$T/si.conf" status
}
check "the daemon starts as the service user" si_until adm_status
check_eq "it runs as the service user" "$SVC" \
    "$(ps -o user= -p "$SI_DPID" | tr -d ' ')"
check_eq "the socket is the agents' group's" "$SVC:$GRP 660" \
    "$(owner "$T/run/socket")"
check_eq "the admin is the only agent" "$ADM:admin" \
    "$(si_as "$ADM" agent list --json | jq -r '[.[] | .name + ":" + .role] | join(" ")')"
check_eq "the service account is not an agent" 0 \
    "$(si_as "$ADM" agent list --all --json | jq "[.[] | select(.uid == $svc_uid)] | length")"
out=$(si_as "$ADM" agent add "$SVC" 2>&1)
check "the service account cannot be added as an agent" test $? -ne 0
check_contains "and the refusal says why" "account the daemon runs as" "$out"
out=$(si_as "$ADM" audit export 2>&1)
check_contains "the admin's registration is audited as setup's" \
    '"client":"setup"' "$(printf '%s\n' "$out" | jq -c 'select(.action == "agent.add")')"
si_stop

# The service user out of the group: the daemon cannot give the socket to
# the agents and says what to run.
gpasswd -d "$SVC" "$GRP" >/dev/null
: >"$T/daemon.log"
setpriv --reuid="$SVC" --regid=si_t_setsvcg --init-groups \
    "$SID" -c "$T/si.conf" >"$T/daemon.log" 2>&1
check "the daemon refuses to start outside the socket group" test $? -ne 0
check_contains "and names the fix" "usermod -aG $GRP $SVC" \
    "$(cat "$T/daemon.log")"
usermod -aG "$GRP" "$SVC"

# Started as another user (root here), the data directory is refused with
# the chown that fixes it.
out=$("$SID" check -c "$T/si.conf" 2>&1)
check "a daemon of another user refuses the data directory" test $? -ne 0
check_contains "and names the owner's fix" "chown -R root $T/data" "$out"

si_done
