# Shared helpers for the shell tests (integration and TUI). Source it:
#   . "$(dirname "$0")/../lib.sh"
# It gives a temporary directory with a config, a daemon and a simulator
# started on loopback, TAP output helpers, and cleans everything on exit.
# The build directory with the binaries is $SI_BUILD (tests/run.sh sets
# it), or the test's first argument (bash tests/integ/inbox.sh build/san),
# or build/. Tests run as root (they create Unix users and mount file
# systems), like CI.

SI_TOP=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SI_BUILD:-}" ] && [ -n "${1:-}" ] && [ -d "$1" ]; then
	SI_BUILD=$(cd "$1" && pwd)
fi
SI_BUILD=${SI_BUILD:-$SI_TOP/build}
# As tests/run.sh has it, for a test run on its own under build/san.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SI_TOP/tests/lsan.supp}"
SI_FIXTURES=${SI_FIXTURES:-$SI_TOP/tests/fixtures/whatsapp}
export SI_FIXTURES
SID="$SI_BUILD/support-inboxd"
SIC="$SI_BUILD/support-inbox"
SIM="$SI_BUILD/support-inbox-sim"
si_npass=0
si_nfail=0
si_pids=""
si_users=""
si_groups=""
si_mounts=""

ok() {
	si_npass=$((si_npass + 1))
	echo "ok - $*"
}

not_ok() {
	si_nfail=$((si_nfail + 1))
	echo "not ok - $*"
}

# check NAME COMMAND...: ok if the command exits 0.
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else not_ok "$_name"; fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (want '$2', got '$3')"
	fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
	case "$3" in
	*"$2"*) ok "$1" ;;
	*) not_ok "$1 (no '$2' in: $(printf '%s' "$3" | head -c 300))" ;;
	esac
}

si_cleanup() {
	for p in $si_pids; do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $si_pids; do
		kill -9 "$p" 2>/dev/null
	done
	for m in $si_mounts; do
		umount "$m" 2>/dev/null
	done
	for u in $si_users; do
		userdel "$u" 2>/dev/null
	done
	for g in $si_groups; do
		groupdel "$g" 2>/dev/null
	done
	[ -n "${T:-}" ] && [ -z "${SI_KEEP:-}" ] && rm -rf "$T"
}

si_done() {
	echo "# $si_npass passed, $si_nfail failed"
	[ "$si_nfail" -eq 0 ]
}

trap 'si_cleanup' EXIT
trap 'exit 1' INT TERM

# A fresh directory, traversable (not readable) by others so that agents in
# the socket group can reach the socket below it.
si_tmp() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/si-test.XXXXXX")
	chmod 711 "$T"
}

# A random port below the kernel's ephemeral range (32768 and up), so that
# no client connection of an earlier test can be sitting on it.
si_port() {
	echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000))
}

# si_config [SOCKET_GROUP]: writes $T/si.conf and the secret files.
si_config() {
	SI_PORT=$(si_port)
	printf 'test-app-secret\n' >"$T/app_secret"
	printf 'test-verify-token\n' >"$T/verify_token"
	printf 'test-access-token\n' >"$T/access_token"
	chmod 600 "$T/app_secret" "$T/verify_token" "$T/access_token"
	cat >"$T/si.conf" <<EOC
[daemon]
data_dir = $T/data
socket = $T/run/socket
${1:+socket_group = $1}
log_level = info

[webhook]
listen = 127.0.0.1:$SI_PORT
path = /webhook
app_secret_file = app_secret
verify_token_file = verify_token

[graph]
api_base_url = http://127.0.0.1:${SI_SIM_PORT:-1}
api_version = v23.0
phone_number_id = 106540352242922
waba_id = 102290129340398
access_token_file = access_token
EOC
	SI_URL="http://127.0.0.1:$SI_PORT/webhook"
}

si_init() {
	"$SID" init --as-root -c "$T/si.conf" >"$T/init.out" 2>&1
}

# The sqlite3 shell beside a running daemon: it waits up to 10 s for the
# daemon's write lock instead of failing at once with "database is locked",
# after which the test's write had silently not happened (floor.sh's
# UPDATE of a clock's due lost to a tick's commit in CI). "command sqlite3"
# where a test wants the refusal at once (health.sh).
sqlite3() { command sqlite3 -cmd ".timeout 10000" "$@"; }

# Starts the daemon and waits until it answers; retries on a taken port.
si_start() {
	_try=0
	while [ $_try -lt 5 ]; do
		"$SID" -c "$T/si.conf" >>"$T/daemon.log" 2>&1 &
		SI_DPID=$!
		si_pids="$si_pids $SI_DPID"
		_i=0
		while [ $_i -lt 100 ]; do
			if "$SIC" -c "$T/si.conf" status >/dev/null 2>&1; then
				return 0
			fi
			kill -0 "$SI_DPID" 2>/dev/null || break
			sleep 0.05
			_i=$((_i + 1))
		done
		if grep -q 'cannot listen for webhooks' "$T/daemon.log"; then
			_old=$SI_PORT
			SI_PORT=$(si_port)
			sed -i "s/127.0.0.1:$_old/127.0.0.1:$SI_PORT/" "$T/si.conf"
			SI_URL="http://127.0.0.1:$SI_PORT/webhook"
			: >"$T/daemon.log"
			# a simulator started for the old port must follow
			if [ -n "${SI_SIM_PID:-}" ]; then
				kill "$SI_SIM_PID" 2>/dev/null
				wait "$SI_SIM_PID" 2>/dev/null
				si_sim $SI_SIM_ARGS
			fi
			_try=$((_try + 1))
			continue
		fi
		return 1
	done
	return 1
}

# Stops the daemon; a non-zero exit (a sanitizer's leak or error report
# at shutdown, say) is a failure of its own.
si_stop() {
	kill "$SI_DPID" 2>/dev/null
	wait "$SI_DPID" 2>/dev/null
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		not_ok "daemon exited with status $_rc on SIGTERM"
		grep -A20 -m1 'Sanitizer' "$T/daemon.log" | sed 's/^/# /'
	fi
	return 0
}

# The CLI against the test daemon.
si() {
	"$SIC" -c "$T/si.conf" "$@"
}

# si_as USER ARGS...: the CLI run as another Unix user.
si_as() {
	_u=$1
	shift
	runuser -u "$_u" -- "$SIC" -c "$T/si.conf" "$@"
}

# Posts a file, signed with the test app secret; prints the HTTP status.
# si_until CMD...: runs CMD (quietly) every 0.1 s until it succeeds; gives
# up after 15 s. For waiting on something that must happen, where a fixed
# sleep would be a guess about the machine's speed.
si_until() {
	_u=0
	while ! "$@" >/dev/null 2>&1; do
		_u=$((_u + 1))
		[ $_u -ge 150 ] && return 1
		sleep 0.1
	done
}

# si_subscribers N: true once N clients (or more) are subscribed to events.
si_subscribers() {
	[ "$(si status --json | jq .subscribers)" -ge "$1" ]
}

# si_file_has FILE TEXT: true once FILE holds TEXT.
si_file_has() {
	grep -qF -- "$2" "$1"
}

# si_start_store: starts the daemon on the data directory already in $T
# (a generated store: no init, no simulator) and waits, up to 10 minutes,
# until it answers. 1 if it died or never answered.
si_start_store() {
	"$SID" -c "$T/si.conf" >>"$T/daemon.log" 2>&1 &
	SI_DPID=$!
	si_pids="$si_pids $SI_DPID"
	_i=0
	while ! "$SIC" -c "$T/si.conf" status >/dev/null 2>&1; do
		kill -0 "$SI_DPID" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -gt 6000 ] && return 1
		sleep 0.1
	done
}

# si_search_ready: waits (up to 10 minutes) until the daemon's in-memory
# search index has been filled after a start.
si_search_ready() {
	_i=0
	while [ "$("$SIC" -c "$T/si.conf" status --json 2>/dev/null |
	    jq -r .search.building)" != false ]; do
		_i=$((_i + 1))
		[ $_i -gt 6000 ] && return 1
		sleep 0.1
	done
}

si_post() {
	"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" \
	    --body-file "$1" ${2:+--sig "$2"} 2>/dev/null | head -n 1
}

# si_user NAME GROUP: a throwaway Unix user in GROUP (created if needed).
# Names must start with si_t_: a leftover test user of that name is replaced,
# and no real account can be touched.
si_user() {
	case "$1" in
	si_t_*) ;;
	*) echo "si_user: test user names start with si_t_, not '$1'" >&2
	   return 1 ;;
	esac
	if ! getent group "$2" >/dev/null; then
		groupadd "$2" && si_groups="$si_groups $2"
	fi
	# A user left over from an interrupted run may sit in another group.
	if id "$1" >/dev/null 2>&1; then
		userdel "$1" 2>/dev/null
	fi
	useradd -M -N -g "$2" -s /usr/sbin/nologin "$1" &&
	    si_users="$si_users $1"
}

# Every message the store holds, decrypted, one JSON object per line
# (conversation id added), via the CLI like any agent.
si_all_messages() {
	si list all --limit 500 --json | jq -r '.rows[].id' | while read -r c; do
		_before=0
		while :; do
			if [ "$_before" -eq 0 ]; then
				si show "$c" --limit 500 --json >"$T/page.json" || break
			else
				si show "$c" --limit 500 --before "$_before" \
				    --json >"$T/page.json" || break
			fi
			jq -c --argjson c "$c" '.messages[] | . + {conv: $c}' \
			    "$T/page.json"
			[ "$(jq -r .more "$T/page.json")" = true ] || break
			_before=$(jq -r '.messages[0].id' "$T/page.json")
		done
	done
}

# quiet COMMAND...: runs it with its output discarded (for check).
quiet() {
	"$@" >/dev/null 2>&1
}

# si_sim [ARGS...]: starts the Cloud API simulator on a free loopback port,
# posting status webhooks back to the daemon, and points the config's
# api_base_url at it (call before si_start). Sets SIMURL.
si_sim() {
	SI_SIM_ARGS="$*"
	rm -f "$T/sim.out"	# a restarted one must not read the old port
	"$SIM" serve --listen 127.0.0.1:0 --token-file "$T/access_token" \
	    --secret-file "$T/app_secret" --webhook "$SI_URL" "$@" \
	    >"$T/sim.out" 2>"$T/sim.err" &
	SI_SIM_PID=$!
	si_pids="$si_pids $!"
	_s=0
	while [ ! -s "$T/sim.out" ] && [ $_s -lt 100 ]; do
		sleep 0.05
		_s=$((_s + 1))
	done
	SIMURL="http://127.0.0.1:$(head -n 1 "$T/sim.out")"
	sed -i "s|^api_base_url = .*|api_base_url = $SIMURL|" "$T/si.conf"
}
