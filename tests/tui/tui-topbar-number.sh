#!/bin/sh
# The top bar's business number. The daemon learns the number Meta shows
# from the webhooks; before the first one (a fresh start, a restart) its
# status gives the configured display_number (number_from "config"), and
# the client asks again after the next message, so the bar shows the
# webhook's number without a reconnect. Here the two differ on purpose:
# configured +49 30 1234567, the simulator's +1 555 078 3881.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
si_config
sed -i 's/^\[graph\]$/[graph]\ndisplay_number = +49 30 1234567/' "$T/si.conf"
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

top() { screen w | head -n 1; }
top_has() { top | grep -qF -- "$1"; }

start w 120 30
check "the client starts" wait_for w "Unassigned"
check "before any webhook: the configured number" si_until top_has \
    "| +49301234567 |"
inbound 491510000461 "Nora Brandt" "Guten Tag"
check "after the first message, without a key: the webhook's number" \
    si_until top_has "| +15550783881 |"

# A restart with the client connected: it reconnects by itself and shows
# the configured number again until the next message.
si_stop
si_start || { not_ok "daemon restarts"; si_done; exit 1; }
check "the client reconnects by itself" wait_for w "[daemon: ok]"
check "after the restart: the configured number" si_until top_has \
    "| +49301234567 |"
inbound 491510000461 "Nora Brandt" "Noch da?"
check "after the next message: the webhook's number again" \
    si_until top_has "| +15550783881 |"

tm kill-session -t w
check "no sanitizer report" no_sanitizer_report
si_done
