#!/bin/sh
# Issue 14 point 1: "make install" puts every file where it belongs with
# its mode, builds no test program and needs no test library; the three
# installed programs answer --version; the installed client finds the
# installed themes (its search path follows PREFIX); systemd accepts the
# unit, which has its sandbox; and the socket directory the tmpfiles line
# makes (2750, the daemon's user, the agents' group) is one the daemon
# accepts with socket_group, run as a service user outside that group,
# with an agent reaching the socket.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }
case "$SI_BUILD" in
"$SI_TOP/build") san= ;;
"$SI_TOP/build/san") san=1 ;;
*) not_ok "the build to install is build or build/san, not $SI_BUILD"
   si_done; exit 1 ;;
esac
bdir=${SI_BUILD#"$SI_TOP"/}
# mk ARGS...: make in the tree, for this build
mk() { make -C "$SI_TOP" --no-print-directory -j2 SAN=$san "$@"; }

si_tmp
P=$T/p

# A staged install, as a package build does it.
check "make install PREFIX=/usr DESTDIR=... succeeds" \
    quiet mk install PREFIX=/usr DESTDIR="$T/stage"
want="755 usr/bin/support-inbox
755 usr/bin/support-inbox-sim
755 usr/sbin/support-inboxd
644 usr/share/man/man1/support-inbox.1
644 usr/share/man/man1/support-inbox-sim.1
644 usr/share/man/man5/support-inbox.conf.5
644 usr/share/man/man5/support-inbox-theme.5
644 usr/share/man/man8/support-inboxd.8
644 usr/share/support-inbox/themes/default.theme
644 usr/share/support-inbox/themes/light.theme
644 usr/share/support-inbox/themes/dark256.theme
644 usr/share/support-inbox/themes/mono.theme
644 usr/share/support-inbox/demo.sh
644 usr/share/doc/support-inbox/support-inbox.conf.example
644 usr/share/doc/support-inbox/nginx/support-inbox.conf
644 usr/share/doc/support-inbox/caddy/Caddyfile
644 usr/share/doc/support-inbox/notice/notice.de.txt
644 usr/share/doc/support-inbox/notice/notice.en.txt
644 usr/lib/systemd/system/support-inboxd.service
644 usr/lib/sysusers.d/support-inbox.conf
644 usr/lib/tmpfiles.d/support-inbox.conf
644 usr/share/doc/support-inbox/teams/card.json
644 usr/share/doc/support-inbox/integrations.md"
# The public holidays of each of the 16 German Länder (issue 16, hours).
check_eq "16 holiday files in the tree" 16 \
    "$(ls "$SI_TOP"/contrib/holidays/de-*.txt | wc -l)"
want="$want
$(for f in "$SI_TOP"/contrib/holidays/*.txt; do
	echo "644 usr/share/support-inbox/holidays/${f##*/}"; done)"
echo "$want" | while read -r mode f; do
	if [ -f "$T/stage/$f" ]; then
		echo "$mode $f $(stat -c %a "$T/stage/$f")"
	else
		echo "$mode $f missing"
	fi
done >"$T/modes"
bad=$(awk '$1 != $3' "$T/modes")
check_eq "every file is installed, with its mode" "" "$bad"
check_eq "and nothing else" "$(echo "$want" | wc -l)" \
    "$(find "$T/stage" -type f | wc -l)"
check_eq "the themes installed are the tree's" \
    "$(ls "$SI_TOP/themes")" "$(ls "$T/stage/usr/share/support-inbox/themes")"
check_eq "the unit runs the daemon of the prefix" \
    "ExecStart=/usr/sbin/support-inboxd -c /etc/support-inbox/support-inbox.conf" \
    "$(grep '^ExecStart=' "$T/stage/usr/lib/systemd/system/support-inboxd.service")"

# Installing builds the programs only: no unit test, tool or fuzz target,
# nothing linked with cmocka (make -n -B: what a build from scratch runs).
mk -n -B install PREFIX=/usr DESTDIR="$T/x" >"$T/make-n" 2>&1
check "make install would build something" grep -q 'support-inboxd' "$T/make-n"
check_eq "make install builds no test, tool or fuzz program" "" \
    "$(grep -E 'tests/|cmocka|fuzz' "$T/make-n" | head -n 3)"
for f in usr/bin/support-inbox usr/bin/support-inbox-sim \
    usr/sbin/support-inboxd; do
	check_eq "$f needs no test library" "" \
	    "$(ldd "$T/stage/$f" | grep -i cmocka)"
done

# Installed into PREFIX itself: the programs as an operator runs them.
check "make install PREFIX=$P succeeds" quiet mk install PREFIX="$P"
ver=$(sed -n 's/^#define SI_VERSION[^"]*"\(.*\)"/\1/p' \
    "$SI_TOP/include/version.h")
check "include/version.h has the version" test -n "$ver"
for p in bin/support-inbox bin/support-inbox-sim sbin/support-inboxd; do
	n=$(basename "$p")
	check_eq "$n --version" "$n $ver" "$("$P/$p" --version)"
	check "$n --version exits 0" quiet "$P/$p" --version
	check_eq "$n -V" "$n $ver" "$("$P/$p" -V)"
done

# The unit: systemd accepts it, and it has its sandbox.
unit=$P/lib/systemd/system/support-inboxd.service
if command -v systemd-analyze >/dev/null; then
	# verify exits 0 on unknown keys and bad values; it only prints them
	MANPATH=$P/share/man systemd-analyze verify "$unit" >"$T/verify" 2>&1
	check_eq "systemd-analyze verify accepts the unit, exit 0" 0 "$?"
	check_eq "and finds nothing to say about it" "" "$(cat "$T/verify")"
	# 0 (nothing exposed) to 10; the unit's sandbox scores 1.5 or so
	check "systemd-analyze security rates the unit's exposure 2.0 or less" \
	    quiet systemd-analyze security --offline=yes --threshold=20 "$unit"
else
	not_ok "systemd-analyze is installed (apt-get install systemd)"
fi
for kv in "User=support-inbox" "ProtectSystem=strict" "NoNewPrivileges=yes" \
    "PrivateTmp=yes" "ProtectHome=yes" "PrivateDevices=yes" \
    "ProtectKernelTunables=yes" "ProtectKernelModules=yes" \
    "ProtectKernelLogs=yes" "ProtectControlGroups=yes" \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    "SystemCallFilter=@system-service" "CapabilityBoundingSet=" \
    "UMask=0077" "StateDirectory=support-inbox" "StateDirectoryMode=0700" \
    "ReadWritePaths=/run/support-inbox" "ExecReload=/bin/kill -HUP \$MAINPID"
do
	check "the unit has $kv" grep -qxF -- "$kv" "$unit"
done
check "the unit leaves the socket directory to tmpfiles" \
    sh -c "! grep -q '^RuntimeDirectory' '$unit'"
check "the example config's socket is in that directory" \
    grep -qx '# socket = /run/support-inbox/socket' \
    "$P/share/doc/support-inbox/support-inbox.conf.example"

# sysusers and tmpfiles, applied by systemd's own tools to a scratch root:
# the socket directory is 2750, the service user's, in the agents' group.
sysusers=$P/lib/sysusers.d/support-inbox.conf
tmpfiles=$P/lib/tmpfiles.d/support-inbox.conf
mkdir -p "$T/root/etc"
if command -v systemd-sysusers >/dev/null &&
    command -v systemd-tmpfiles >/dev/null; then
	check "systemd-sysusers takes the sysusers file" \
	    quiet systemd-sysusers --root="$T/root" "$sysusers"
	check "systemd-tmpfiles takes the tmpfiles file" \
	    quiet systemd-tmpfiles --root="$T/root" --create "$tmpfiles"
	uid=$(awk -F: '$1 == "support-inbox" { print $3 }' "$T/root/etc/passwd")
	gid=$(awk -F: '$1 == "support-agents" { print $3 }' "$T/root/etc/group")
	check_eq "the socket directory: 2750, the service user's, the agents'" \
	    "2750 $uid $gid" \
	    "$(stat -c '%a %u %g' "$T/root/run/support-inbox" 2>&1)"
	check_eq "the data directory: 0700, the service user's" "700 $uid" \
	    "$(stat -c '%a %u' "$T/root/var/lib/support-inbox" 2>&1)"
else
	not_ok "systemd-sysusers and systemd-tmpfiles are installed"
fi
line=$(awk '$1 == "d" && $2 == "/run/support-inbox"' "$tmpfiles")
mode=$(echo "$line" | awk '{ print $3 }')
check_eq "the tmpfiles line names the service user and the agents' group" \
    "support-inbox support-agents" "$(echo "$line" | awk '{ print $4, $5 }')"
check "the sysusers file makes that user and group" sh -c \
    "grep -q '^u support-inbox ' '$sysusers' && grep -q '^g support-agents ' '$sysusers'"

# The daemon, installed, set up by setup as the README says: a service
# user in the agents' group, a person as the first admin, the socket
# directory made as the tmpfiles line says.
svc=si_t_insd
agent=si_t_insa
adm=si_t_insl
si_user $svc si_t_insdg && si_user $agent si_t_insg &&
    si_user $adm si_t_insg || { not_ok "test users"; si_done; exit 1; }
usermod -aG si_t_insg $svc
usermod -s /bin/sh $adm		# a person's account
si_config si_t_insg
sed -i "s|^socket = .*|socket = $T/sock/socket|" "$T/si.conf"
install -d -m "$mode" -o $svc -g si_t_insg "$T/sock"
chown $svc "$T/app_secret" "$T/verify_token" "$T/access_token"
SID=$P/sbin/support-inboxd
SIC=$P/bin/support-inbox
check "the installed daemon is set up with a person as the first admin" \
    quiet "$SID" setup -c "$T/si.conf" --user $svc --group si_t_insg \
    --admin $adm
check_eq "the data directory is the service user's" "$svc 700" \
    "$(stat -c '%U %a' "$T/data")"
# setpriv execs the daemon itself: $! is its pid, its exit status ours
setpriv --reuid=$svc --regid=si_t_insdg --init-groups \
    "$SID" -c "$T/si.conf" >"$T/daemon.log" 2>&1 &
SI_DPID=$!
si_pids="$si_pids $SI_DPID"
check "it starts on that directory with socket_group" \
    si_until runuser -u $adm -- "$SIC" -c "$T/si.conf" status
check_eq "the socket is born in the agents' group, mode 0660" \
    "660 si_t_insg" "$(stat -c '%a %G' "$T/sock/socket" 2>&1)"
check "the admin adds the agent" quiet si_as $adm agent add $agent
check_eq "the service account is no agent" 0 \
    "$(si_as $adm agent list --json | jq --arg u $svc \
    '[.[] | select(.name == $u)] | length')"
check "the agent reaches the socket" quiet si_as $agent status

# The installed client, as the agent (home empty, no theme directory of its
# own) finds the installed themes: :theme dark256 puts its top bar colour
# (color236) on.
. "$(dirname "$0")/../lib-tui.sh"
cmd() {
	tm send-keys -t "$1" :
	tm send-keys -t "$1" -l "$2"
	wait_for "$1" ":$2" >/dev/null
	tm send-keys -t "$1" Enter
}
dark() { tm capture-pane -e -p -t "$1" | grep -q '48;5;236'; }
start_as $agent si_t_insg t 120 30 SUPPORT_INBOX_THEMES=
see t "[daemon: ok]" "the installed client starts"
cmd t "theme dark256"
see t "theme dark256" ":theme dark256 loads the installed theme"
check "its top bar colour is on" si_until dark t
# Without the installed directory it is not found: the path is PREFIX's.
mv "$P/share/support-inbox/themes" "$P/share/support-inbox/themes.off"
cmd t "theme light"
see t "no theme 'light'" "with the installed themes moved away, none is found"
mv "$P/share/support-inbox/themes.off" "$P/share/support-inbox/themes"
cmd t "theme light"
see t "theme light" "and back in place, :theme light finds it"
tm kill-session -t t

kill "$SI_DPID" 2>/dev/null
wait "$SI_DPID" 2>/dev/null
check_eq "the daemon exits 0 on SIGTERM" 0 "$?"
# The tree's client goes back to the default PREFIX it was built with.
mk "$bdir/support-inbox" >/dev/null 2>&1
si_done
