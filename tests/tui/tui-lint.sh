#!/bin/sh
# Issue 10, findings of make lint in the client, driven inside tmux against
# a real daemon: ":set theme NAME" / ":theme NAME" with a theme that does not
# exist says so and the client goes on (it freed the message twice), and a
# keys file binding "<F1x>" is refused (atoi took it for F1).
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
si_config
si_sim
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

start w 100 30
check "the client starts" wait_for w "[daemon: ok]"
tm send-keys -t w ':set theme nosuch' Enter
check ":set theme with no such theme says so" wait_for w "no theme 'nosuch'"
tm send-keys -t w ':theme nosuch2' Enter
check ":theme with no such theme says so" wait_for w "no theme 'nosuch2'"
tm send-keys -t w ':set emoji full' Enter
tm send-keys -t w '?'
check "the client still answers afterwards" wait_for w ":claim"
check "the client did not exit" wait_gone w "client exit"
tm send-keys -t w q
tm kill-session -t w 2>/dev/null

printf '[list]\n<F1x> = help\n' >"$T/bad.keys"
sed "s|^\[client\]|[client]\nkeys_file = $T/bad.keys|" "$T/si.conf" \
    >"$T/si-keys.conf"
grep -q "keys_file = $T/bad.keys" "$T/si-keys.conf" ||
    printf '[client]\nkeys_file = %s\n' "$T/bad.keys" >>"$T/si-keys.conf"
# Refused at start; before the fix the client ran (timeout ends it).
out=$(timeout 10 "$SIC" -c "$T/si-keys.conf" 2>&1 </dev/null)
check_contains "a keys file binding <F1x> is refused" "bad key '<F1x>'" "$out"

no_sanitizer_report
si_done
