#!/bin/sh
# The demo: a daemon and the Cloud API simulator on a temporary directory,
# seeded with a shop's last two weeks (a few hundred conversations in German
# and English), then the client in this terminal, while customers keep
# writing and a colleague works along. Nothing leaves the machine: the
# "Cloud API" is the simulator on loopback.
#
#   make demo                 sh mk/demo.sh [BUILD_DIR]
#   support-inbox demo        runs this script, installed as
#                             PREFIX/share/support-inbox/demo.sh, with
#                             SI_DEMO_CLIENT, SI_DEMO_DAEMON, SI_DEMO_SIM
#
# Whatever way it ends (the client quits, Ctrl-C, a lost terminal, a kill,
# SUPPORT_INBOX_DEMO_SECONDS=N running out), it ends everything it started.
if [ -n "${SI_DEMO_CLIENT:-}" ]; then
	CLIENT=$SI_DEMO_CLIENT
	DAEMON=${SI_DEMO_DAEMON:?}
	SIM=${SI_DEMO_SIM:?}
else
	B=${1:-build}
	top=$(cd "$(dirname "$0")/.." && pwd)
	case $B in
	/*) ;;
	*) B="$top/$B" ;;
	esac
	CLIENT=$B/support-inbox
	DAEMON=$B/support-inboxd
	SIM=$B/support-inbox-sim
fi
for _p in "$CLIENT" "$DAEMON" "$SIM"; do
	[ -x "$_p" ] || { echo "demo: '$_p' is missing; build or install it" >&2; exit 1; }
done
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
# ends the daemon, the simulator, the colleague and the client within half
# a second; and it ends the demo after SUPPORT_INBOX_DEMO_SECONDS (the
# tests use it).
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

# The colleague: run as root, the demo lets the system's "nobody" account
# work as a second agent (the daemon knows agents by their Unix user; a
# normal user cannot act as another one, so there the colleague stays away).
colleague=""
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 &&
    command -v setpriv >/dev/null; then
	colleague=nobody
	cgroup=$(id -gn nobody)
	chmod 711 "$D"
fi

port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000))
# --demo 6: a customer writes every 6 s or so; a reply is answered.
"$SIM" serve --listen 127.0.0.1:0 --demo 6 \
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
${colleague:+socket_group = $cgroup}

[webhook]
listen = 127.0.0.1:$port
app_secret_file = app_secret
verify_token_file = verify_token

[graph]
api_base_url = http://127.0.0.1:$simport
phone_number_id = 106540352242922
waba_id = 102290129340398
access_token_file = access_token

[business]
name = Nordlicht Versand
EOC
chmod 644 "$D/si.conf"
"$DAEMON" init $([ "$(id -u)" -eq 0 ] && echo --as-root) -c "$D/si.conf" >/dev/null || exit 1
"$DAEMON" -c "$D/si.conf" 2>"$D/daemon.log" &
started daemon $!
si() { "$CLIENT" -c "$D/si.conf" "$@"; }
i=0
until si status >/dev/null 2>&1; do
	sleep 0.05
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "demo: the daemon did not start" >&2; cat "$D/daemon.log" >&2; exit 1; }
done

echo "demo: seeding two weeks of a shop's inbox ..."
# Through the daemon's real webhook path, backdated by the timestamps.
"$SIM" seed --url "http://127.0.0.1:$port/webhook" \
    --secret-file "$D/app_secret" --graph "http://127.0.0.1:$simport" \
    --token-file "$D/access_token" --conversations 300 --days 14 ||
    { echo "demo: seeding failed" >&2; tail -n 5 "$D/daemon.log" >&2; exit 1; }

# ids CMD...: the conversation ids in the first column of a CLI listing
ids() { si "$@" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1 }' | sort -un; }
# batch CMD...: CMD with the ids on stdin appended, 25 at a time
batch() { xargs -r -n 25 "$CLIENT" -c "$D/si.conf" "$@" >/dev/null 2>&1; }

# What the team set up over time: canned replies, labels, the templates.
si canned add danke --language de --title "Danke" --body "Vielen Dank \
für Ihre Nachricht! Wir kümmern uns heute noch darum." >/dev/null
si canned add retoure --language de --title "Retoure" --body "Das \
Retourenetikett schicken wir Ihnen per Mail; bitte legen Sie den \
Lieferschein bei." >/dev/null
si canned add thanks --language en --title "Thanks" --body "Thanks for \
your message! We'll look into it today." >/dev/null
si canned add return --language en --title "Return" --body "We'll email \
you the return label; please put the delivery note in the parcel." >/dev/null
si templates sync >/dev/null 2>&1
for l in Retoure Rechnung Lieferung VIP; do si label create "$l" >/dev/null; done
ids search zurückschicken | batch label add Retoure
ids search return | batch label add Retoure
ids search Rechnung | batch label add Rechnung
ids search invoice | batch label add Rechnung
ids search Paket | batch label add Lieferung
ids search parcel | batch label add Lieferung

# The team's automation (README "Automation"), switched on once the history
# is in, so the backdated messages start nothing: business hours with an
# away text, the privacy notice for every new customer, a rule that routes
# invoices, a macro (M in the client) and the satisfaction survey.
cat >"$D/notice.de.txt" <<'EON'
Datenschutzhinweis: Verantwortlich ist die Nordlicht Versand GmbH (Demo), datenschutz@nordlicht.example. Wir verarbeiten Ihre Nummer, Ihren Namen und Ihre Nachrichten, um Ihre Anfrage zu beantworten (Art. 6 Abs. 1 lit. b DSGVO). Sie können jederzeit widersprechen: schreiben Sie STOP. Mehr: https://nordlicht.example/datenschutz
EON
cat >"$D/rules.conf" <<'EOR'
# Rules and macros of the demo (doc/rules.md).
rule invoices
  when message
  if words Rechnung invoice
  then label Rechnung

rule waiting-too-long
  when no-reply 30
  then priority high

macro danke-erledigt
  then reply danke
  then label VIP
  then resolve
EOR
cat >>"$D/si.conf" <<EOC

[hours]
timezone = Europe/Berlin
mon = 09:00-17:00
tue = 09:00-17:00
wed = 09:00-17:00
thu = 09:00-17:00
fri = 09:00-17:00
lang = de
away = Hallo {{contact.first_name}}, unser Team ist ab 9 Uhr wieder für Sie da.

[notice]
version = 1
text.de = notice.de.txt

[automation]
rules = rules.conf

[survey]
text.de = Wie zufrieden waren Sie mit uns?
text.en = How did we do?
thanks.de = Danke!
EOC
chmod 644 "$D/notice.de.txt" "$D/rules.conf"
si reload >/dev/null || { echo "demo: the automation did not load" >&2; tail -n 5 "$D/daemon.log" >&2; exit 1; }

# Everything but the last three days' is done; a few were lost in between.
# (list: newest first; the oldest three fifths are resolved)
si list all --limit 500 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1 }' \
    >"$D/all"
total=$(wc -l <"$D/all")
tail -n +$((total * 2 / 5 + 1)) "$D/all" | batch resolve
recent=$(si list open --limit 40 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1 }')
n=0
for c in $recent; do
	n=$((n + 1))
	case $n in
	3|9|14|22) si assign "$c" me >/dev/null 2>&1 ;;
	5) si assign "$c" me >/dev/null 2>&1
	   si priority "$c" urgent >/dev/null 2>&1
	   si label add VIP "$c" >/dev/null 2>&1
	   si note add "$c" "Stammkundin, bitte bevorzugt behandeln." >/dev/null 2>&1 ;;
	7) si note add "$c" "Hat schon zweimal angerufen; Ersatz ist bestellt." >/dev/null 2>&1 ;;
	11) si priority "$c" high >/dev/null 2>&1 ;;
	17) si snooze "$c" --for 2h >/dev/null 2>&1 ;;
	esac
done
# german CONV: the conversation's last messages look German
german() {
	"$@" 2>/dev/null | grep -qi -e hallo -e ' ich ' -e bestell -e danke \
	    -e paket -e rechnung -e 'ä' -e 'ö' -e 'ü' -e 'ß'
}
# A reply that fails: the customer's number cannot get messages.
failed=$(echo "$recent" | sed -n 2p)
if [ -n "$failed" ]; then
	text="Hi! We got your message."
	german si show "$failed" --limit 4 &&
	    text="Hallo! Wir haben Ihre Nachricht erhalten."
	# (the next request to the messages endpoint fails: no read receipt
	# may come between)
	curl -s -o /dev/null -X POST "http://127.0.0.1:$simport/_sim/faults" \
	    -H 'Content-Type: application/json' \
	    --data '{"mode":"131026","count":1}'
	si reply "$failed" "$text" >/dev/null 2>&1
fi

# Monday morning: the first customers of the day write in.
inbound() {
	curl -s -o /dev/null -X POST "http://127.0.0.1:$simport/_sim/inbound" \
	    -H 'Content-Type: application/json' \
	    --data "{\"from\":\"$1\",\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}"
}
inbound 4915112345601 "Lena Müller" "Hallo! Meine Bestellung 4711 ist noch nicht da 📦"
inbound 4917698765402 "Jürgen Groß" "Können Sie mir die Rechnung noch einmal schicken?"
inbound 447700990123 "Aylin Yılmaz" "Is the shop open on Saturday? 🙂"
inbound 4915112345601 "Lena Müller" "Die Sendungsnummer wäre super 🙏"

if [ -n "$colleague" ]; then
	si agent add "$colleague" >/dev/null 2>&1
	si agent name "$colleague" "Jonas (Kollege)" >/dev/null 2>&1
	# Now and then the colleague takes a waiting conversation and answers
	# it in the customer's language; the customer answers back.
	(
		trap 'kill $sl 2>/dev/null; exit 0' HUP INT TERM
		as() {
			setpriv --reuid=nobody --regid="$cgroup" --clear-groups \
			    env HOME=/ "$CLIENT" -c "$D/si.conf" "$@"
		}
		sl=""
		while :; do
			sleep $((15 + $(od -An -N1 -tu1 /dev/urandom) % 20)) &
			sl=$!
			wait $sl
			c=$(as list unassigned --limit 15 2>/dev/null |
			    awk '$1 ~ /^[0-9]+$/ { print $1 }' | shuf -n 1)
			[ -n "$c" ] || continue
			as assign "$c" me >/dev/null 2>&1 || continue
			if german as show "$c" --limit 4; then
				as reply "$c" "Hallo, hier ist Jonas vom Nordlicht-Team. \
Ich schaue mir das gleich an und melde mich." >/dev/null 2>&1
			else
				as reply "$c" "Hi, Jonas from the Nordlicht team here. \
I'm looking into it and will get back to you shortly." >/dev/null 2>&1
			fi
		done
	) &
	started colleague $!
fi

echo "demo: daemon and simulator running in $D"
echo "demo: from another shell: $CLIENT -c $D/si.conf status"
[ -n "$colleague" ] || echo "demo: (run as root, a colleague works along too)"
if [ -t 0 ] && [ -t 1 ]; then
	# In the background of this script, so that its traps run at once (a
	# shell runs them only once a foreground command ends), yet on this
	# terminal (fd 3), not on the /dev/null a background command gets.
	exec 3<&0
	"$CLIENT" -c "$D/si.conf" <&3 3<&- &
	client=$!
	started client "$client"
	wait "$client"
	rc=$?
	pids=${pids% "$client"}
	exit "$rc"
else
	si list --limit 20
fi
