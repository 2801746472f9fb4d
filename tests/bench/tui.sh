#!/bin/sh
# The terminal client at scale (issue 6), against a generated store of
# 100,000 conversations and 1,000,000 messages: time from start to the
# first complete screen, from a key press to the updated screen, to open a
# conversation, to the quick switch's ranked answer over all of them, and
# the client's resident memory. The client measures itself
# ($SUPPORT_INBOX_TRACE) while tmux drives it. Targets (issue 13): first
# screen <= 20 ms, key p99 <= 2 ms, open p99 <= 5 ms, quick switch <= 20 ms,
# memory < 20 MB. Figures only.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
NC=${SI_BENCH_CONVS:-100000}
NM=${SI_BENCH_MSGS:-1000000}
si_tmp
si_config
sed -i 's/^listen = .*/listen = off/' "$T/si.conf"
"$SI_BUILD/tools/gen-store" "$T/data" "$NC" "$NM" >/dev/null || exit 1
si_start_store || { cat "$T/daemon.log"; echo "daemon did not start"; exit 1; }
# Steady state: measured once the search index has filled.
si_search_ready || { echo "the search index was not built"; exit 1; }
TS="si-bench-$$"
tm() { tmux -L "$TS" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; si_cleanup' EXIT
tr="$T/trace"
tm new-session -d -s b -x 120 -y 40 "env LANG=C.UTF-8 TERM=screen-256color \
    SUPPORT_INBOX_TRACE=$tr $SIC -c $T/si.conf; sleep 600"
i=0
while ! grep -q first_screen_ms "$tr" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "no first screen"; exit 1; }
	sleep 0.05
done
# Each phase repeats often enough that its p99 is not simply its slowest
# sample: with 30 opens the 99th percentile was the maximum, so one
# scheduling hiccup on a shared machine decided the figure. SI_BENCH_ROUNDS
# scales all phases (default 1: 600 keys, 200 opens, 90 quick switches).
R=${SI_BENCH_ROUNDS:-1}
# key presses: j moves the cursor (no daemon round trip needed)
for r in $(seq 1 "$R"); do
	for n in $(seq 1 300); do
		tm send-keys -t b j
		sleep 0.02
	done
	for n in $(seq 1 300); do
		tm send-keys -t b k
		sleep 0.02
	done
done
sleep 0.3
keys=$(grep -c key_ms "$tr")
# opening conversations: Enter (waits for conv.show), back with q. In the
# unassigned view: another agent's conversation first asks for a purpose
# (purpose_required), which is a person typing, not the client's speed.
tm send-keys -t b 3
sleep 0.5
for n in $(seq 1 $((200 * R))); do
	tm send-keys -t b Enter
	sleep 0.15
	tm send-keys -t b q
	sleep 0.05
	tm send-keys -t b j
	sleep 0.05
done
sleep 0.3
# the quick switch over every conversation: Ctrl-k, a query typed at once
# (a name, one letter that nearly every name has, the last digits of a
# number), the daemon's ranked answer on screen (switch_ms), Esc.
for n in $(seq 1 $((30 * R))); do
	for q in "rosa kl" a 4711; do
		tm send-keys -t b C-k
		sleep 0.15
		tm send-keys -t b -l "$q"
		sleep 0.3
		tm send-keys -t b Escape
		sleep 0.15
	done
done
sleep 0.3
tm send-keys -t b Q
i=0
while ! grep -q rss_kb "$tr" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
pct() {	# pct NAME P: the Pth percentile of NAME's values
	grep "^$1 " "$tr" | awk '{print $2}' | sort -n | awk -v p="$2" \
	    '{v[NR]=$1} END {if (NR == 0) {print "-"; exit}
	    i = int(NR * p / 100 + 0.5); if (i < 1) i = 1; if (i > NR) i = NR;
	    printf "%.2f", v[i]}'
}
echo "store: $NC conversations, $NM messages; client at 120x40"
echo "first complete screen: $(pct first_screen_ms 50) ms (target <= 20)"
# The list phase's keys (j/k) apart from every key of the run: the later
# phases add Enter (opening, its own target), q, Ctrl-k and the letters
# typed into the quick switch.
jk() { grep "^key_ms " "$tr" | head -n "$keys" | awk '{print $2}' | sort -n |
    awk -v p="$1" '{v[NR]=$1} END {i = int(NR * p / 100 + 0.5); if (i < 1)
    i = 1; if (i > NR) i = NR; printf "%.2f", v[i]}'; }
echo "key press to screen, j/k in the list (n=$keys): median $(jk 50) ms, p99 $(jk 99) ms (target p99 <= 2)"
echo "every key of the run (n=$(grep -c key_ms "$tr")): median $(pct key_ms 50) ms, p99 $(pct key_ms 99) ms"
echo "open a conversation (n=$(grep -c open_ms "$tr")): median $(pct open_ms 50) ms, p99 $(pct open_ms 99) ms (target p99 <= 5)"
echo "quick switch over all conversations (n=$(grep -c switch_ms "$tr")): median $(pct switch_ms 50) ms, p99 $(pct switch_ms 99) ms (target <= 20)"
echo "client resident memory (peak): $(( $(awk '/^rss_kb/ {print $2}' "$tr" | tail -n 1) / 1024 )) MiB (target < 20)"
si_stop
