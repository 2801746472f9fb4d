#!/bin/sh
# Durable webhook ingest (issue 3): throughput of signed POSTs with one
# message each (synchronous=FULL, group commit), ack latency at a fixed
# offered rate, and the same machine's raw SQLite ceiling with the same
# commit policy, so the ratio is visible.
. "$(dirname "$0")/../lib.sh"

N=${SI_BENCH_N:-20000}
si_tmp
si_config
si_init && si_start || { echo "daemon did not start"; exit 1; }

"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count "$N" \
    --concurrency 64 --customers 500 --seed 1 --prefix tput >"$T/tput.json"
st=$(si status --json)
batches=$(echo "$st" | jq .webhook.batches)
events=$(echo "$st" | jq .webhook.events)
group=$(( (events + batches - 1) / batches ))
printf 'ingest throughput: %s events/s (%s events, 64 connections, %s commits, %s events per commit on average)\n' \
    "$(jq .rate "$T/tput.json")" "$N" "$batches" "$group"

"$SIM" post --url "$SI_URL" --secret-file "$T/app_secret" --count 10000 \
    --rate 1000 --concurrency 32 --customers 500 --seed 2 --prefix lat \
    >"$T/lat.json"
printf 'ack latency at 1000 events/s for 10 s: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n' \
    "$(jq .latency_ms.p50 "$T/lat.json")" "$(jq .latency_ms.p90 "$T/lat.json")" \
    "$(jq .latency_ms.p99 "$T/lat.json")" "$(jq .latency_ms.max "$T/lat.json")"
rss=$(awk '/VmRSS/ {print $2}' /proc/$SI_DPID/status)
echo "daemon resident memory after $((N + 10000)) events: $((rss / 1024)) MiB"
si_stop

mkdir "$T/ceil"
c1=$("$SI_BUILD/tools/sqlite-ceiling" "$T/ceil" 2000 1 1500 | jq .rows_per_s)
rm -f "$T/ceil"/*
cg=$("$SI_BUILD/tools/sqlite-ceiling" "$T/ceil" "$N" "$group" 1500 | jq .rows_per_s)
echo "raw SQLite ceiling (WAL, synchronous=FULL, 1.5 KB rows): $c1 rows/s committing each row, $cg rows/s committing $group rows at a time"
# Two readings of "the same commit policy": one durable commit per event
# (what a receiver that acknowledges each POST after its own fsync can do),
# or the same group size as ingest reached (a loop that does one insert per
# event, where ingest runs about a dozen statements and five seals).
awk -v a="$(jq .rate "$T/tput.json")" -v b="$c1" -v c="$cg" 'BEGIN {
	printf "ingest vs the per-event-commit ceiling: %.2fx of it\n", a / b
	printf "ingest vs the same-group-size ceiling: %.2fx of it\n", a / c
	printf "targets: >= 5000 events/s, p99 ack < 50 ms at 1000/s, within 2x of the raw ceiling\n"
}'
