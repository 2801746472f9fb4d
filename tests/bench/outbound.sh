#!/bin/sh
# Outbound throughput (issue 4): N replies queued while sending is paused
# (an injected 190), then released at once; measures messages/s through the
# simulator with connection reuse, and the daemon's CPU and commits per
# message. Nothing is asserted.
. "$(dirname "$0")/../lib.sh"

N=${SI_BENCH_N:-5000}
C=${SI_BENCH_CONVS:-500}
si_tmp
si_config
echo "template_sync_minutes = 0" >>"$T/si.conf"

# No status webhooks: this measures sending, not ingest of statuses.
"$SIM" serve --listen 127.0.0.1:0 --token-file "$T/access_token" \
    --phone-number-id 106540352242922 --waba-id 102290129340398 \
    >"$T/sim.out" 2>"$T/sim.err" &
si_pids="$si_pids $!"
sleep 0.3
SIMURL="http://127.0.0.1:$(head -n 1 "$T/sim.out")"
sed -i "s|^api_base_url = .*|api_base_url = $SIMURL|" "$T/si.conf"
si_init && si_start || { echo "daemon did not start"; exit 1; }

"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count "$C" \
    --customers "$C" --concurrency 16 --seed 7 --prefix ob >/dev/null
curl -s -XPOST "$SIMURL/_sim/faults" -d '{"mode":"190","count":1}' >/dev/null

# Queue N replies over one connection, pipelined, round-robin over the
# conversations (the first one trips the 190 and pauses sending).
python3 - "$T/run/socket" "$N" "$C" <<'EOF' || { echo "queueing failed"; exit 1; }
import json, socket, sys, time
path, n, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_UNIX)
s.connect(path)
f = s.makefile("rwb")
def send(i, m, p):
    f.write((json.dumps({"id": i, "method": m, "params": p}) + "\n").encode())
send(0, "hello", {"version": 1})
f.flush()
f.readline()
send(1, "conv.list", {"view": "all", "limit": c})
f.flush()
convs = [r["id"] for r in json.loads(f.readline())["result"]["rows"]]
t0 = time.time()
for i in range(n):
    send(i + 2, "reply", {"conv": convs[i % len(convs)],
        "text": "bench %d" % i})
f.flush()
bad = 0
for i in range(n):
    r = json.loads(f.readline())
    if "error" in r:
        bad += 1
        why = r["error"]["code"]
dt = time.time() - t0
print("queued %d replies in %.2f s (%d/s, one commit each)%s" %
      (n - bad, dt, (n - bad) / dt, "; %d refused (%s)" % (bad, why) if bad else ""))
EOF

cpu() { awk '{ print $14 + $15 }' /proc/$SI_DPID/stat; }
hz=$(getconf CLK_TCK)
c0=$(cpu)
r0=$(si outbox --json | jq '.stats.commits')
t0=$(date +%s.%N)
si outbox resume >/dev/null
while :; do
	st=$(si outbox --json | jq -c .stats)
	left=$(echo "$st" | jq '.queued + .sending')
	[ "$left" = 0 ] && break
	sleep 0.02
done
t1=$(date +%s.%N)
c1=$(cpu)
sent=$(echo "$st" | jq .sent)
commits=$(( $(echo "$st" | jq .commits) - r0 ))
acc=$(curl -s "$SIMURL/_sim/requests" | jq .accepted)
awk -v n="$sent" -v a="$acc" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" \
    -v hz="$hz" -v k="$commits" -v conv="$C" 'BEGIN {
	dt = t1 - t0
	printf "outbound throughput: %.0f messages/s (%d sent, %d accepted by the simulator, %d conversations, in %.2f s)\n", n / dt, n, a, conv, dt
	printf "cost per message: %.1f us daemon CPU, %.3f result commits (plus one \"sending\" commit per batch)\n", (c1 - c0) / hz * 1e6 / n, k / n
	printf "target: >= 1000 messages/s\n"
}'
si_stop
