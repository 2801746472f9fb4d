#!/bin/sh
# Issue 3, durability: while the simulator streams thousands of signed
# POSTs (retrying, like Meta, whatever was not acknowledged), the daemon is
# killed with SIGKILL again and again and restarted. Afterwards every event
# that received a 200 is in the store exactly once, and nothing else is.
. "$(dirname "$0")/../lib.sh"

COUNT=${SI_CRASH_COUNT:-10000}
KILLS=${SI_CRASH_KILLS:-6}

si_tmp
si_config
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start

"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count "$COUNT" \
    --rate 2000 --concurrency 16 --customers 50 --seed 4711 --prefix crash \
    --acked "$T/acked" --duration 300 --timeout 5 >"$T/post.json" 2>"$T/post.err" &
ppid=$!
si_pids="$si_pids $ppid"

k=0
while [ $k -lt "$KILLS" ] && kill -0 $ppid 2>/dev/null; do
	sleep 0.$((3 + $(od -An -N1 -tu1 /dev/urandom | tr -d " ") % 5))
	kill -KILL "$SI_DPID" 2>/dev/null
	wait "$SI_DPID" 2>/dev/null
	k=$((k + 1))
	si_start || { not_ok "restart after kill $k"; break; }
done
check_eq "the daemon was killed $KILLS times mid-stream" "$KILLS" "$k"
wait $ppid
check_eq "the stream completed (every event acknowledged in the end)" \
    "$COUNT $COUNT" "$(jq -r '"\(.sent) \(.acked)"' "$T/post.json")"
echo "# post: $(cat "$T/post.json")"

sort "$T/acked" >"$T/acked.sorted"
sort -u "$T/acked" >"$T/acked.uniq"
si_all_messages | jq -r '.body.wamid' | sort >"$T/stored.sorted"
sort -u "$T/stored.sorted" >"$T/stored.uniq"
check_eq "no wamid is stored twice" "$(wc -l <"$T/stored.uniq")" \
    "$(wc -l <"$T/stored.sorted")"
missing=$(comm -23 "$T/acked.uniq" "$T/stored.uniq" | wc -l)
check_eq "every acknowledged event is in the store" 0 "$missing"
check_eq "and the store holds exactly the events sent" "$COUNT" \
    "$(wc -l <"$T/stored.uniq")"
check "some deliveries were retried after a kill" \
    test "$(jq .requests "$T/post.json")" -gt "$COUNT"
si_stop
si_done
