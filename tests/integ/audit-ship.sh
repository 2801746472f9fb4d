#!/bin/sh
# Issue 14 (10): shipping the audit log off the host. "audit ship DIR"
# copies the signed checkpoints and an export of the records since the last
# shipment into DIR, with a state file, without gaps or duplicates, also
# when a run is repeated after an interruption; it ships nothing once the
# local log disagrees with what DIR holds. "audit verify --against" then
# catches a store cut or rewritten (with the checkpoint file to match) that
# verifies on its own. "audit export/show --from/--to" take the time that
# export and show print. The TUI, like the CLI, reports the SSH connection
# it runs in: the audit records of its connection say where it came from.
# Real daemon, simulator, SQLite and tmux.
. "$(dirname "$0")/../lib.sh"

for _c in sqlite3 jq tmux; do
	command -v "$_c" >/dev/null || { not_ok "$_c is installed"; si_done; exit 1; }
done
si_tmp
si_config
printf '\n[audit]\ncheckpoint_every = 5\ncheckpoint_minutes = 60\n' \
    >>"$T/si.conf"
si_sim
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start
db="$T/data/support-inbox.db"
ckf="$T/data/audit-checkpoints.log"
S="$T/ship"

# records: a few reads of the log
records() {
	_i=0
	while [ $_i -lt "$1" ]; do
		si audit show --limit 1 >/dev/null
		_i=$((_i + 1))
	done
}
db_ckpts() { sqlite3 "$db" "SELECT count(*) FROM audit_checkpoints"; }
# seqs: every seq in the shipped exports, in file order
seqs() { cat "$S"/audit-*.jsonl | jq -r .seq; }
# consecutive: the shipped seqs are 1..N, each once
consecutive() {
	seqs >"$T/seqs"
	seq 1 "$(wc -l <"$T/seqs")" | cmp -s - "$T/seqs"
}
state() { sed -n 's/^shipped_seq=//p' "$S/ship.state"; }

# --- refusals ---
out=$(si audit ship "$T/nowhere" 2>&1)
check "ship to a missing directory fails" test $? -ne 0
check_contains "and names the fix" "mount or create the shipping target" "$out"

# --- a shipment before the first checkpoint (a new install) ---
mkdir "$T/early"
check_eq "no checkpoint signed yet" 0 "$(db_ckpts)"
check "shipping before any checkpoint succeeds" quiet si audit ship "$T/early"
check "and leaves an empty checkpoints.log" sh -c \
    "test -f '$T/early/checkpoints.log' && ! test -s '$T/early/checkpoints.log'"
check_contains "which verify --against takes" "intact" \
    "$(si audit verify --against "$T/early/checkpoints.log")"

# --- the first shipment ---
records 12
mkdir "$S"
out=$(si audit ship "$S" 2>&1)
check "the first ship succeeds" test $? -eq 0
check_contains "it says what it shipped" "shipped records 1 to" "$out"
check "the export of records 1.. is there" test -s "$S/audit-000000000001.jsonl"
check "every record from 1 on, each once" consecutive
check_eq "the state names the last record shipped" \
    "$(seqs | tail -n 1)" "$(state)"
n=$(grep -c '^si-ckpt2 ' "$S/checkpoints.log")
check "signed checkpoints are shipped" test "$n" -ge 2
check_eq "they are the checkpoint file's lines" \
    "$(head -n "$n" "$ckf")" "$(cat "$S/checkpoints.log")"
check "the exported records carry the chain" sh -c \
    "head -n 1 '$S/audit-000000000001.jsonl' | jq -e '.hash and .prev_hash' >/dev/null"
check "no file is left half-written" sh -c "! ls -A '$S' | grep -q tmp"

# --- later shipments: only what is new ---
first=$(state)
records 7
check "the second ship succeeds" quiet si audit ship "$S"
check "it starts where the first ended" \
    test -s "$S/audit-$(printf %012d $((first + 1))).jsonl"
check "still every record once, no gap" consecutive
check_eq "no checkpoint line twice" "" \
    "$(sort "$S/checkpoints.log" | uniq -d)"
check "the shipped checkpoints are still a prefix of the file" sh -c \
    "head -n $(wc -l <"$S/checkpoints.log") '$ckf' | cmp -s - '$S/checkpoints.log'"

# An interrupted run (export written, state not): the next one repeats it.
cp "$S/ship.state" "$T/state.before"
records 3
check "a third ship" quiet si audit ship "$S"
cp "$T/state.before" "$S/ship.state"
records 2
check "after an interruption the ship is repeated" quiet si audit ship "$S"
check "and nothing is shipped twice or missed" consecutive
echo garbage >"$S/ship.state.bad"
cp "$S/ship.state" "$T/state.good"
echo 'shipped_seq=x' >"$S/ship.state"
out=$(si audit ship "$S" 2>&1)
check "a damaged state file is refused" test $? -ne 0
check_contains "naming the fix" "move it away" "$out"
cp "$T/state.good" "$S/ship.state"
rm -f "$S/ship.state.bad"
out=$(si audit verify --against "$S/checkpoints.log" 2>&1)
check_contains "the log verifies against the shipped copy" "audit log intact" \
    "$out"

# --- the time audit export and show print, as --from and --to ---
line=$(si audit export | sed -n 5p)
t5=$(printf '%s' "$line" | jq -r .time)
s5=$(printf '%s' "$line" | jq -r .seq)
check_contains "export prints times with milliseconds" "Z" "$t5"
out=$(si audit export --from "$t5" 2>&1)
check "export --from takes the time export printed" test $? -eq 0
check_eq "and starts at that record (or one of the same millisecond)" "" \
    "$(printf '%s\n' "$out" | jq -r "select(.seq < $s5 and .time != \"$t5\") | .seq")"
printf '%s\n' "$out" >"$T/from.jsonl"
check_eq "the record itself is in it" "$s5" \
    "$(jq -r "select(.seq == $s5) | .seq" "$T/from.jsonl")"
out=$(si audit export --to "$t5" 2>&1)
check "export --to takes it too" test $? -eq 0
check_eq "and ends before that moment" "" \
    "$(printf '%s\n' "$out" | jq -r "select(.seq >= $s5) | .seq")"
tshow=$(si audit show --limit 1 | awk '{ print $2 }')
out=$(si audit show --from "$tshow" --limit 5 2>&1)
check "show --from takes the time show printed" test $? -eq 0
check_contains "and finds that record" "$tshow" "$out"

# --- a cut store and checkpoint file: only the shipped copy tells ---
records 6
check "shipped before the attack" quiet si audit ship "$S"
cks=$(sed -n 's/^si-ckpt2 seq=\([0-9]*\) .*/\1/p' "$S/checkpoints.log" | tail -n 2 | head -n 1)
si_stop
cp -a "$T/data" "$T/pristine"
cp -a "$S" "$T/ship.pristine"
unguard="DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
    DROP TRIGGER audit_ckpt_no_update; DROP TRIGGER audit_ckpt_no_delete;"
# The tail after the second-newest shipped checkpoint goes, with its
# checkpoints and file lines: the rest of the chain is whole.
sqlite3 "$db" "$unguard DELETE FROM audit WHERE seq > $cks;
    DELETE FROM audit_checkpoints WHERE seq > $cks"
awk -v s="$cks" '{ split($2, a, "="); if (a[2] + 0 <= s) print }' "$ckf" \
    >"$T/f" && cat "$T/f" >"$ckf"
check "the daemon starts on the cut store" si_start
check "the cut store verifies on its own" quiet si audit verify
out=$(si audit verify --against "$S/checkpoints.log" 2>&1)
check "but not against the shipped copy" test $? -ne 0
check_contains "which names the shipped checkpoint the store lacks" \
    "$S/checkpoints.log" "$out"
sum=$(cat "$S"/* | md5sum)
out=$(si audit ship "$S" 2>&1)
check "ship refuses to ship over the evidence" test $? -ne 0
check_contains "and says why" "nothing shipped" "$out"
check_eq "the shipped files are unchanged" "$sum" "$(cat "$S"/* | md5sum)"
si_stop

# A record rewritten (result changed) with the sqlite3 tool.
rm -rf "$T/data" "$S"
cp -a "$T/pristine" "$T/data"
cp -a "$T/ship.pristine" "$S"
sqlite3 "$db" "$unguard UPDATE audit SET result = 'denied' WHERE seq = 3"
check "the daemon starts on the rewritten store" si_start
out=$(si audit ship "$S" 2>&1)
check "ship refuses a rewritten store" test $? -ne 0
check_contains "naming the record" "sequence 3:" "$out"
check_eq "the shipped copy is untouched" "$sum" "$(cat "$S"/* | md5sum)"
si_stop

# --- the TUI's origin: SSH_CONNECTION, as the CLI sends it ---
rm -rf "$T/data"
cp -a "$T/pristine" "$T/data"
check "the daemon starts again" si_start
. "$(dirname "$0")/../lib-tui.sh"
inbound 491510000901 "Olga Origin" "Hallo, wer liest mit?"
start o 100 30 "SSH_CONNECTION='198.51.100.7 50123 192.0.2.1 22'"
check "the TUI runs" wait_for o "Olga Origin"
goto o "Olga Origin"
key o Enter
opened() {
	si audit export --action conversation.open | jq -r .client |
	    grep -q 'ssh=198.51.100.7 50123 192.0.2.1 22'
}
check "the TUI's audit records carry its SSH origin" si_until opened
tm kill-session -t o
env -u SSH_CONNECTION SSH_CLIENT='203.0.113.9 40000 22' \
    "$SIC" -c "$T/si.conf" status >/dev/null
env -u SSH_CONNECTION SSH_CLIENT='203.0.113.9 40000 22' \
    "$SIC" -c "$T/si.conf" audit show --limit 1 >/dev/null
check_contains "the CLI falls back to SSH_CLIENT" "ssh=203.0.113.9 40000 22" \
    "$(si audit export --action audit.show | jq -r .client | tail -n 1)"
no_sanitizer_report
si_done
