#!/bin/sh
# Inbox at scale (issue 5): a generated store of 100,000 conversations and
# 1,000,000 messages (sealed like production data); the daemon's start-up
# time and search index fill, each view's first page, counts, opening a
# thread (last 100 messages, decrypted), and search, through the socket; the
# daemon's resident memory. Target: a word search under 100 ms.
. "$(dirname "$0")/../lib.sh"

NC=${SI_BENCH_CONVS:-100000}
NM=${SI_BENCH_MSGS:-1000000}
si_tmp
si_config
sed -i 's/^listen = .*/listen = off/' "$T/si.conf"
t0=$(date +%s%N)
"$SI_BUILD/tools/gen-store" "$T/data" "$NC" "$NM" || exit 1
t1=$(date +%s%N)
echo "generated $NC conversations, $NM messages in $(( (t1 - t0) / 1000000 )) ms ($(du -sm "$T/data" | cut -f1) MiB on disk)"
si_start_store || { cat "$T/daemon.log"; echo "daemon did not start"; exit 1; }
t2=$(date +%s%N)
echo "daemon ready after $(( (t2 - t1) / 1000000 )) ms (answering on its socket; the search index fills in the background)"
si_search_ready || { echo "the search index was not built"; exit 1; }
t3=$(date +%s%N)
echo "search index complete after $(( (t3 - t1) / 1000000 )) ms from start"
"$SI_BUILD/tools/inbox-bench" "$T/run/socket" "${SI_BENCH_REPEAT:-20}"
rss=$(awk '/VmRSS/ {print $2}' /proc/$SI_DPID/status)
echo "daemon resident memory: $((rss / 1024)) MiB"
si_stop
