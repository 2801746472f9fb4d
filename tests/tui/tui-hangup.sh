#!/bin/sh
# A lost terminal ends the client, and the client leaves no plaintext behind
# (issue 10). tmux kill-session closes the pane's pty: the terminal hangs up
# as on an SSH drop or a closed window. The client, started directly, under
# a shell, in a background process group (where no SIGHUP reaches it), and
# under make demo, must then be gone, every process of it, without spinning
# on the dead terminal. make demo also ends everything it started when its
# script is killed outright and when SUPPORT_INBOX_DEMO_SECONDS runs out.
# The client (TUI and CLI) allows no core dump and is not dumpable. Real
# daemon, simulator and tmux; loopback only.
. "$(dirname "$0")/../lib.sh"

for _c in tmux make setpriv; do
	command -v "$_c" >/dev/null || { not_ok "$_c is installed"; si_done; exit 1; }
done

GRP=si-hup
si_tmp
si_user si_t_hup "$GRP" || { not_ok "test user"; si_done; exit 1; }
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
si agent add si_t_hup >/dev/null || { not_ok "agent added"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

inbound 491510000401 "Hanna Hangup" "Ist jemand da?"

# client.sh NAME [WRAPPER...]: execs the client (through WRAPPER), its pid
# in $T/NAME.pid, its stderr in $T/NAME.err
cat >"$T/client.sh" <<EOS
#!/bin/sh
n=\$1
shift
echo \$\$ >"$T/\$n.pid"
exec "\$@" env LANG=C.UTF-8 TERM=screen-256color HOME=$T \
    "$SIC" -c "$T/si.conf" 2>"$T/\$n.err"
EOS
# bg.sh NAME: the client in a background process group of a job-control
# shell; SIGTTOU ignored, so that it can set up the terminal from there
cat >"$T/bg.sh" <<EOS
set -m
trap '' TTOU
sh "$T/client.sh" "\$1" &
wait
EOS

# cpu PID: clock ticks (user + system) PID has used so far
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
# alive PID: the process exists and is not a zombie
alive() {
	[ -r "/proc/$1/stat" ] &&
	    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# no_core PID: its core file size limit is 0, soft and hard
no_core() { grep -Eq '^Max core file size +0 +0 ' "/proc/$1/limits"; }
pane_pid() { tm display-message -p -t "$1" '#{pane_pid}'; }
# in_session NAME: every process in the session of NAME's pane
in_session() { ps -o pid= -s "$(pane_pid "$1")" | tr -d ' '; }
# until_gone PID...: waits (up to 10 s) until none is alive; meanwhile
# $last_cpu follows the CPU ticks of $watch (the client) while it lives
until_gone() {
	_g=0
	while [ $_g -lt 100 ]; do
		_c=$(cpu "$watch") && last_cpu=$_c
		_left=""
		for _p in "$@"; do
			alive "$_p" && _left="$_left $_p"
		done
		[ -z "$_left" ] && return 0
		sleep 0.1
		_g=$((_g + 1))
	done
	echo "# still running:$_left" >&2
	for _p in $_left; do
		ps -o pid=,stat=,time=,args= -p "$_p" | cut -c1-100 | sed 's/^/# /'
		kill -9 "$_p" 2>/dev/null
	done
	return 1
}
# hang_up NAME CLIENT-PID WHAT: kills session NAME (its pty hangs up), then
# every process that was in it must end, and the client must not have
# spun meanwhile (well under a second of CPU from the kill to its end;
# the spinning client used 40-90% of a core until killed)
hang_up() {
	_procs=$(in_session "$1")
	watch=$2
	_cpu0=$(cpu "$watch")
	last_cpu=$_cpu0
	tm kill-session -t "$1"
	check "$3: every process ends when the terminal hangs up" \
	    until_gone $_procs "$watch"
	_used=$((last_cpu - _cpu0))
	if [ "$_used" -lt "$(($(getconf CLK_TCK) / 2))" ]; then
		ok "$3: the client did not spin after the hang-up"
	else
		not_ok "$3: the client did not spin after the hang-up ($_used ticks)"
	fi
}
# pid_of NAME: the pid client.sh wrote for NAME, once it is there
pid_of() {
	si_until test -s "$T/$1.pid"
	cat "$T/$1.pid"
}

# --- 1. the client alone on the terminal (the session leader) ---
tm new-session -d -s ha -x 100 -y 30 "exec sh $T/client.sh ha"
see ha "Hanna Hangup" "directly: the client runs"
pid=$(pid_of ha)
check_eq "directly: it is the pane's process" "$(pane_pid ha)" "$pid"
check "directly: no core dumps (limit 0, soft and hard)" no_core "$pid"
hang_up ha "$pid" directly

# --- 2. under a shell, in the foreground group ---
tm new-session -d -s hb -x 100 -y 30 \
    "sh -c 'sh $T/client.sh hb; echo client exit \$?; sleep 600'"
see hb "Hanna Hangup" "under sh -c: the client runs"
hang_up hb "$(pid_of hb)" "under sh -c"

# --- 3. in a background process group: no SIGHUP reaches it ---
tm new-session -d -s hc -x 100 -y 30 "sh $T/bg.sh hc; sleep 600"
see hc "Hanna Hangup" "in a background group: the client runs"
pid=$(pid_of hc)
# /proc/PID/stat: field 5 the process group, 8 the terminal's foreground one
check "in a background group: it is not the terminal's foreground group" \
    awk '{ exit !($5 != $8 && $8 > 0) }' "/proc/$pid/stat"
hang_up hc "$pid" "in a background group"

# --- 4. stdin at end of file ends it too (it spun on that as well) ---
tm new-session -d -s he -x 100 -y 30 \
    "sh $T/client.sh he </dev/null; echo client exit \$?; sleep 600"
see he "client exit 0" "stdin at end of file: the client ends"
check_contains "and says why" "input ended" "$(cat "$T/he.err")"
tm kill-session -t he

# --- 5. make demo ---
B=${SI_BUILD#"$SI_TOP"/}
mkdir "$T/demo"
printf 'demo:\n\t@sh %s/mk/demo.sh %s\n' "$SI_TOP" "$B" >"$T/demo.mk"
# demo NAME SECONDS: make demo in session NAME, the demo ending by itself
# after SECONDS; its temporary directory goes under $T/demo
demo() {
	tm new-session -d -s "$1" -x 120 -y 30 \
	    "cd $SI_TOP && env SUPPORT_INBOX_DEMO_SECONDS=$2 TMPDIR=$T/demo \
	    LANG=C.UTF-8 TERM=screen-256color make -s -f $T/demo.mk; \
	    echo demo exit \$?; sleep 600"
}
# demo_pid NAME COMM: the demo's process of that name
demo_pid() {
	ps -o pid=,comm= -s "$(pane_pid "$1")" | awk -v c="$2" '$2 == c { print $1 }'
}
no_demo_dir() { ! ls -d "$T"/demo/support-inbox-demo.* >/dev/null 2>&1; }
# see_demo NAME TEXT CHECK: as see, but allowing for the demo's seeding
# (two weeks of history: a few seconds, more under a sanitizer and load)
see_demo() {
	_d=0
	while [ $_d -lt 4 ]; do
		wait_for "$1" "$2" && break
		_d=$((_d + 1))
	done
	see "$@"
}

demo dh 120
see_demo dh "Lena" "make demo: the client shows the demo's inbox"
pid=$(demo_pid dh support-inbox)
check "make demo: daemon, simulator and client run" test -n "$pid" -a \
    -n "$(demo_pid dh support-inboxd)"
hang_up dh "$pid" "make demo"
check "make demo: its temporary directory is gone" si_until no_demo_dir

# The demo script killed outright: no trap runs; the watchdog ends the rest.
demo dk 120
see_demo dk "Lena" "make demo (script killed): the client runs"
_procs=$(in_session dk)
_script=""
for _p in $(ps -o pid= -s "$(pane_pid dk)"); do
	# the script is the demo.sh whose parent is make (not its watchdog)
	case "$(ps -o args= -p "$_p")" in
	*mk/demo.sh*)
		_pp=$(awk '{ print $4 }' "/proc/$_p/stat")
		[ "$(cat "/proc/$_pp/comm")" = make ] && _script=$_p ;;
	esac
done
check "make demo (script killed): found the script" test -n "$_script"
kill -9 "$_script"
_rest=""
for _p in $_procs; do
	# the pane's shell stays: it goes on to "demo exit"
	[ "$_p" = "$(pane_pid dk)" ] || _rest="$_rest $_p"
done
watch=$(demo_pid dk support-inbox)
check "make demo (script killed): daemon, simulator, client end" \
    until_gone $_rest
check "make demo (script killed): its temporary directory is gone" \
    si_until no_demo_dir
tm kill-session -t dk

# SUPPORT_INBOX_DEMO_SECONDS: the demo ends by itself, and all of it.
demo dt 4
see_demo dt "demo exit 0" "SUPPORT_INBOX_DEMO_SECONDS: the demo ends by itself"
# only the pane's shell and its "sleep 600" may be left
demo_over() {
	! ps -o args= -s "$(pane_pid dt)" | grep -q -e support-inbox -e demo.sh \
	    -e 'sleep 0'
}
check "SUPPORT_INBOX_DEMO_SECONDS: nothing of it is left" si_until demo_over
check "SUPPORT_INBOX_DEMO_SECONDS: its temporary directory is gone" \
    si_until no_demo_dir
tm kill-session -t dt

# --- 6. no core dump, not dumpable: the TUI and the CLI as an agent ---
# The files in /proc/PID of a process that is not dumpable belong to root,
# whoever runs it.
hup_uid=$(id -u si_t_hup)
not_dumpable() {
	check_eq "$1: runs as the agent" "$hup_uid" \
	    "$(awk '/^Uid:/ { print $2 }' "/proc/$2/status")"
	check_eq "$1: not dumpable (/proc/PID/status is root's)" 0 \
	    "$(stat -c %u "/proc/$2/status")"
	check "$1: no core dumps (limit 0, soft and hard)" no_core "$2"
}
AS="setpriv --reuid=si_t_hup --regid=$GRP --init-groups"
tm new-session -d -s du -x 100 -y 30 "sh $T/client.sh du $AS; sleep 600"
see du "Hanna Hangup" "TUI as an agent: it runs, connected"
not_dumpable "TUI" "$(pid_of du)"
$AS env HOME="$T" "$SIC" -c "$T/si.conf" events --timeout 60s \
    >"$T/ev.out" 2>"$T/ev.err" &
cli=$!
si_pids="$si_pids $cli"
check "CLI as an agent: subscribed" si_until si_file_has "$T/ev.out" subscribed
not_dumpable "CLI" "$cli"
kill "$cli"
wait "$cli" 2>/dev/null
hang_up du "$(pid_of du)" "as an agent"

# A crash with core dumps allowed by the shell writes none.
mkdir "$T/cores"
tm new-session -d -s dq -x 100 -y 30 "cd $T/cores && ulimit -c unlimited && \
    sh $T/client.sh dq; echo client exit \$?; sleep 600"
see dq "Hanna Hangup" "a client in a directory allowing core files"
kill -QUIT "$(pid_of dq)"
see dq "client exit 131" "SIGQUIT ends it"
check_eq "and it left no core file" "" "$(ls "$T/cores")"

no_sanitizer_report
si_done
