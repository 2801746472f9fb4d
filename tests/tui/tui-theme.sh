#!/bin/sh
# Issue 10 point 4: :theme NAME with a theme file that is not built in loads
# it; a broken, missing or badly named theme is an error on the status line,
# the current theme stays, and the client keeps running (it used to free the
# error message twice and abort). Driven inside tmux against a real daemon.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { not_ok "tmux is installed"; si_done; exit 1; }

si_tmp
si_config
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; si_done; exit 1; }
. "$(dirname "$0")/../lib-tui.sh"

# A custom theme in the user's search path, made from a shipped one with a
# top bar of a colour no shipped theme uses (so the screen shows it is on).
mkdir -p "$T/themes"
sed '/^top\.bg/d' "$SI_TOP/themes/dark256.theme" >"$T/themes/hotpink.theme"
echo 'top.bg = color201' >>"$T/themes/hotpink.theme"
printf '[ui]\ntop.fg = plaid\n' >"$T/themes/badcolour.theme"
printf '[ui]\nlist.sparkle = true\n' >"$T/themes/badkey.theme"
printf '[ui]\nthis line is not ini\n' >"$T/themes/garbled.theme"

# attrs NAME: the visible text of session NAME with its colour escapes
attrs() { tm capture-pane -e -p -t "$1"; }
# pink NAME: the hotpink top bar (background colour 201) is on screen
pink() { attrs "$1" | grep -q '48;5;201'; }
# cmd NAME TEXT: runs :TEXT in the client (the prompt shows it first)
cmd() {
	tm send-keys -t "$1" :
	tm send-keys -t "$1" -l "$2"
	wait_for "$1" ":$2" >/dev/null
	tm send-keys -t "$1" Enter
}
running() { ! screen "$1" | grep -q "client exit"; }

start t 120 30 SUPPORT_INBOX_THEMES="$T/themes"
check "the client starts" wait_for t "[daemon: ok]"
check "without the custom theme, no pink top bar" sh -c "! $(command -v tmux) \
    -L $TS -f /dev/null capture-pane -e -p -t =t: | grep -q '48;5;201'"

cmd t "theme hotpink"
see t "theme hotpink" ":theme with a custom theme file says it is on"
check "and the top bar takes its colour" si_until pink t

cmd t "theme badcolour"
see t "unknown colour 'plaid' for top.fg" \
    "a theme with a bad colour is an error on the status line"
check_contains "naming the file" "badcolour.theme" "$(screen t)"
check "the client keeps running" running t
check "and the current theme stays" pink t

cmd t "theme badkey"
see t "unknown theme key 'list.sparkle'" "a theme with an unknown key is an error"
check "the client keeps running after it" running t

cmd t "theme garbled"
see t "garbled.theme:2: syntax error" "a theme that is not INI is an error"
check "the client keeps running after it" running t

cmd t "theme nosuch"
see t "no theme 'nosuch'" "a theme that does not exist is an error"
check "the client keeps running after it" running t
check "and the current theme still stays" pink t

cmd t "set theme ../x"
see t "bad theme name" ":set theme with a path is refused"
check "the client keeps running after it" running t

cmd t "theme light"
see t "theme light" "a shipped theme loads"
check "and replaces the custom one" si_until sh -c "! $(command -v tmux) \
    -L $TS -f /dev/null capture-pane -e -p -t =t: | grep -q '48;5;201'"
cmd t "theme mono"
see t "theme mono" "and so does a built-in one"

# The keys file has the same shape of loader: a bad one is refused at
# start with its message, and nothing is left behind (LSan) or freed twice.
for k in '[nosuch]\na = b\n' '[list]\n<Bogus> = next\n[thread]\n<Worse> = prev\n'; do
	printf "$k" >"$T/bad.keys"
	{ cat "$T/si.conf"; printf '[client]\nkeys_file = bad.keys\n'; } \
	    >"$T/keys.conf"
	timeout 20 "$SIC" -c "$T/keys.conf" </dev/null >/dev/null 2>"$T/keys.out"
	rc=$?
	check_eq "a bad keys file: the client exits 1 ($(head -c 20 "$T/bad.keys" | tr '\n' ' '))" 1 "$rc"
	check_contains "and says which file and what" "$T/bad.keys: " \
	    "$(cat "$T/keys.out")"
	cp "$T/keys.out" "$T/keys-$rc-$(date +%s%N).err"
done

tm send-keys -t t Q
check "Q quits with status 0" wait_for t "client exit 0"
no_sanitizer_report
si_stop
si_done
