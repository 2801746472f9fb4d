#!/bin/sh
# Issue 10 point 3: a slow client cannot crash the daemon. An agent's client
# subscribes to events, stops reading until its unsent output passes the
# 16 MiB cap, and goes on sending requests (presence.set, note.add,
# conv.state, conv.priority). The daemon used to free that client inside
# the broadcast of the client's own request and then use it (ASan
# heap-use-after-free, SIGSEGV in the normal build). Now the client is
# dropped (log line, socket closed), other clients connect, disconnect and
# keep receiving events, and the daemon serves on and exits cleanly.
# The cap is the default one; big note.list answers fill it quickly.
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || { not_ok "python3 is installed"; si_done; exit 1; }

si_tmp
si_config
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count 1 \
    >/dev/null 2>&1
CONV=$(si list all --json | jq -r '.rows[0].id')
check "a customer conversation to work on" test -n "$CONV" -a "$CONV" != null

# The protocol spoken by hand: newline-delimited JSON over the socket.
cat >"$T/slow.py" <<'EOP'
import json, select, socket, sys

path, mode, conv = sys.argv[1], sys.argv[2], int(sys.argv[3])
CAP = 16 * 1024 * 1024

def req(i, method, **params):
    return (json.dumps({"id": i, "method": method, "params": params}) +
            "\n").encode()

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(120)
    s.connect(path)
    return s, s.makefile("rb")

def call(s, f, i, method, **params):
    s.sendall(req(i, method, **params))
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("connection closed during %s" % method)
        j = json.loads(line)
        if j.get("id") == i:
            return j, len(line)

def writes(i):
    """Every method that pushes an event, as the same agent would send."""
    return (req(i, "presence.set", conversation=conv, typing=True) +
            req(i + 1, "note.add", id=conv, body="still here") +
            req(i + 2, "conv.state", id=conv, state="pending") +
            req(i + 3, "conv.priority", id=conv, priority="high"))

if mode == "notes":
    # 200 notes of 3900 bytes: one note.list answer is about 800 KB.
    s, f = connect()
    call(s, f, 1, "hello", version=1)
    for i in range(200):
        r, _ = call(s, f, 10 + i, "note.add", id=conv, body="n" * 3900)
        if "result" not in r:
            raise SystemExit("note.add: %r" % r)
    r, n = call(s, f, 9, "note.list", id=conv)
    print(n)
    sys.exit(0)

# mode "slow FIRST [FLOOD]": subscribe, stop reading, fill the output past
# (or, with a flood, to just under) the cap with note.list answers, then
# send FIRST, the four write methods, and, with a flood, presence.set until
# the daemon hangs up; then read what is left until the end of the stream.
first = sys.argv[4]
flood = len(sys.argv) > 5
s, f = connect()
call(s, f, 1, "hello", version=1)
_, size = call(s, f, 2, "note.list", id=conv)
call(s, f, 3, "subscribe")
fill = (CAP - 2 * 1024 * 1024) // size if flood else CAP // size + 2
out = b"".join(req(100 + i, "note.list", id=conv) for i in range(fill))
if first == "presence.set":
    out += req(1000, "presence.set", conversation=conv, viewing=True)
elif first == "note.add":
    out += req(1000, "note.add", id=conv, body="after the cap")
elif first == "conv.state":
    out += req(1000, "conv.state", id=conv, state="open")
else:
    out += req(1000, "conv.priority", id=conv, priority="urgent")
out += writes(2000)
if flood:
    # ~130 bytes of output each (event and answer): 3 MiB passes the cap
    out += b"".join(req(10000 + i, "presence.set", conversation=conv,
                        typing=bool(i % 2)) for i in range(25000))
sent_all = True
try:
    s.sendall(out)
    # the same client, if its side is still open, sends each write again
    for i in range(3):
        s.sendall(writes(3000 + 10 * i))
except OSError:
    sent_all = False
# Never read again: wait (up to a minute) for the daemon to hang up, which
# poll reports without reading what is still queued for us.
p = select.poll()
p.register(s, select.POLLRDHUP)
closed = any(ev & (select.POLLRDHUP | select.POLLHUP)
             for _, ev in p.poll(60000))
print(json.dumps({"closed": closed, "sent_all": sent_all, "fill": fill}))
EOP

size=$(python3 "$T/slow.py" "$T/run/socket" notes "$CONV")
check "200 notes make a big note.list answer (> 512 KiB)" \
    test "${size:-0}" -gt 524288

# An events listener that must keep receiving, and clients that come and go.
si events --timeout 600s >"$T/ev.out" 2>&1 &
LPID=$!
si_pids="$si_pids $LPID"
si_until si_file_has "$T/ev.out" subscribed
( n=0; while [ ! -e "$T/churn.stop" ]; do
	si status >/dev/null 2>&1 && n=$((n + 1))
	si presence show "$CONV" >/dev/null 2>&1
	echo "$n" >"$T/churn.n"
done ) &
CPID=$!
si_pids="$si_pids $CPID"

drops=0
for m in presence.set note.add conv.state conv.priority; do
	r=$(python3 "$T/slow.py" "$T/run/socket" slow "$CONV" "$m")
	check_eq "$m after passing the cap: the daemon hangs up on the slow client" \
	    true "$(echo "$r" | jq -r .closed 2>/dev/null)"
	drops=$((drops + 1))
	check "$m: the daemon is still running" kill -0 "$SI_DPID"
	check "$m: and answers" quiet si status
done
r=$(python3 "$T/slow.py" "$T/run/socket" slow "$CONV" presence.set flood)
check_eq "presence.set flood over the cap: the slow client is hung up on" \
    true "$(echo "$r" | jq -r .closed 2>/dev/null)"
drops=$((drops + 1))
check "the daemon is still running" kill -0 "$SI_DPID"

# Two slow clients at once, one pushing the other over while it goes over
# itself.
python3 "$T/slow.py" "$T/run/socket" slow "$CONV" note.add flood >"$T/s1" &
s1=$!
python3 "$T/slow.py" "$T/run/socket" slow "$CONV" conv.state flood >"$T/s2" &
s2=$!
wait $s1 $s2
check_eq "two at once: both are hung up on" "true true" \
    "$(jq -r .closed "$T/s1") $(jq -r .closed "$T/s2")"
drops=$((drops + 2))

touch "$T/churn.stop"
wait "$CPID"
check "other clients came and went meanwhile" test "$(cat "$T/churn.n")" -gt 0
check "the daemon is still running" kill -0 "$SI_DPID"
check "status answers" quiet si status
check_eq "the daemon says why each was dropped" "$drops" \
    "$(grep -c 'too slow; disconnecting' "$T/daemon.log")"
check_eq "only the listener is left subscribed" 1 \
    "$(si status --json | jq .subscribers)"

# The listener, which kept reading, still receives what happens next.
nid=$(si note add "$CONV" "after the slow clients" --json | jq -r .id)
check "a note after it all" test -n "$nid" -a "$nid" != null
check "the listener receives its event" si_until grep -q \
    "\"event\":\"note\".*\"note\":$nid[,}]" "$T/ev.out"
kill "$LPID" 2>/dev/null

si_stop
if grep -q 'Sanitizer\|runtime error' "$T/daemon.log"; then
	not_ok "no sanitizer report in the daemon log"
	grep -A30 -m1 'Sanitizer\|runtime error' "$T/daemon.log" | sed 's/^/# /'
else
	ok "no sanitizer report in the daemon log"
fi
si_done
