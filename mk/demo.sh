#!/bin/sh
# make demo: a daemon and the Cloud API simulator on a temporary directory,
# seeded with customer messages, then the client in this terminal. Nothing
# leaves the machine: the "Cloud API" is the simulator on loopback.
# Whatever way it ends (the client quits, Ctrl-C, a lost terminal, a kill,
# SUPPORT_INBOX_DEMO_SECONDS=N running out), it ends everything it started.
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
B="$top/$B"
D=$(mktemp -d "${TMPDIR:-/tmp}/support-inbox-demo.XXXXXX")
chmod 700 "$D"
pids=""
cleanup() {
	trap '' HUP INT TERM USR1
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
# A lost terminal is SIGHUP (to this script, if to nothing else).
trap 'exit 1' HUP INT TERM
trap 'exit 0' USR1
# started NAME PID: a process to end with the demo
started() {
	pids="$pids $2"
	echo "$2" >>"$D/pids"
}

# The watchdog: should this script be killed outright (no trap runs), it
# ends the daemon, the simulator and the client within half a second; and
# it ends the demo after SUPPORT_INBOX_DEMO_SECONDS (the tests use it).
secs=${SUPPORT_INBOX_DEMO_SECONDS:-0}
case $secs in
''|*[!0-9]*)
	echo "demo: SUPPORT_INBOX_DEMO_SECONDS must be a whole number" >&2
	exit 1 ;;
esac
(
	trap '' HUP INT USR1
	n=0
	while kill -0 $$ 2>/dev/null; do
		sleep 0.5
		n=$((n + 1))
		[ "$secs" -gt 0 ] && [ $n -ge $((secs * 2)) ] && kill -USR1 $$
	done
	left=$(cat "$D/pids" 2>/dev/null)
	for p in $left; do kill "$p" 2>/dev/null; done
	# They are not this subshell's children: it cannot wait for them.
	n=0
	while [ -n "$left" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
		left=$(for p in $left; do kill -0 "$p" 2>/dev/null && echo "$p"; done)
	done
	rm -rf "$D"
) &
pids="$pids $!"

printf 'demo-app-secret\n' >"$D/app_secret"
printf 'demo-verify-token\n' >"$D/verify_token"
printf 'demo-access-token\n' >"$D/access_token"
chmod 600 "$D/app_secret" "$D/verify_token" "$D/access_token"

port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
"$B/support-inbox-sim" serve --listen 127.0.0.1:0 \
    --token-file "$D/access_token" --secret-file "$D/app_secret" \
    --webhook "http://127.0.0.1:$port/webhook" >"$D/sim.out" 2>"$D/sim.log" &
started sim $!
i=0
while [ ! -s "$D/sim.out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
simport=$(head -n 1 "$D/sim.out")
[ -n "$simport" ] || { echo "demo: the simulator did not start" >&2; cat "$D/sim.log" >&2; exit 1; }

cat >"$D/si.conf" <<EOC
# The demo's configuration: see support-inbox.conf.example for every key.
[daemon]
data_dir = $D/data
socket = $D/run/socket

[webhook]
listen = 127.0.0.1:$port
app_secret_file = app_secret
verify_token_file = verify_token

[graph]
api_base_url = http://127.0.0.1:$simport
phone_number_id = 106540352242922
waba_id = 102290129340398
access_token_file = access_token
EOC
"$B/support-inboxd" init $([ "$(id -u)" -eq 0 ] && echo --as-root) -c "$D/si.conf" >/dev/null || exit 1
"$B/support-inboxd" -c "$D/si.conf" 2>"$D/daemon.log" &
started daemon $!
i=0
until "$B/support-inbox" -c "$D/si.conf" status >/dev/null 2>&1; do
	sleep 0.05
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo: the daemon did not start" >&2; cat "$D/daemon.log" >&2; exit 1; }
done

# Customers write in: through the simulator, signed like Meta's webhooks.
inbound() {
	curl -s -o /dev/null -X POST "http://127.0.0.1:$simport/_sim/inbound" \
	    -H 'Content-Type: application/json' \
	    --data "{\"from\":\"$1\",\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}"
}
inbound 4915112345601 "Lena Müller" "Hallo! Meine Bestellung 4711 ist noch nicht da 📦"
inbound 4917698765402 "Jürgen Groß" "Können Sie mir die Rechnung noch einmal schicken?"
inbound 4369912345603 "Aylin Yılmaz" "Is the shop open on Saturday? 🙂"
inbound 4915112345601 "Lena Müller" "Die Sendungsnummer wäre super 🙏"
inbound 33612345604 "Zoë Lefèvre" "Bonjour, j'ai une question sur la garantie"
inbound 819012345605 "山田 太郎" "注文の確認をお願いします"
for f in webhook-image webhook-location webhook-reaction webhook-document; do
	ff="$top/tests/fixtures/whatsapp/$f.json"
	"$B/support-inbox-sim" post --url "http://127.0.0.1:$port/webhook" \
	    --secret-file "$D/app_secret" --body-file "$ff" >/dev/null 2>&1
done

echo "demo: daemon and simulator running in $D"
echo "demo: from another shell: $B/support-inbox -c $D/si.conf status"
if [ -t 0 ] && [ -t 1 ]; then
	# In the background of this script, so that its traps run at once (a
	# shell runs them only once a foreground command ends), yet on this
	# terminal (fd 3), not on the /dev/null a background command gets.
	exec 3<&0
	"$B/support-inbox" -c "$D/si.conf" <&3 3<&- &
	client=$!
	started client "$client"
	wait "$client"
	rc=$?
	pids=${pids% "$client"}
	exit "$rc"
else
	"$B/support-inbox" -c "$D/si.conf" list
fi
