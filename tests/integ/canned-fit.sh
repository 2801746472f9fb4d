#!/bin/sh
# Issue 13 point 11 and 7, in the daemon: an agent's display name (agent
# name: bounds, who may set whose, audited) is what {{agent.name}} fills in;
# {{business.name}} comes from [business] name (bounded); {{ask:LABEL}}
# fields take the values given (--field) and are reported when not given;
# a template send stores the text the customer received (thread and list
# preview), filled by the same code as the client's preview. Loopback only.
. "$(dirname "$0")/../lib.sh"

si_tmp
GRP=si_t_cfg
si_user si_t_cfa "$GRP"
si_user si_t_cfb "$GRP"
si_config "$GRP"
cat >>"$T/si.conf" <<EOC
template_sync_minutes = 0

[business]
name = Shop Rosa GmbH

# the previews of colleagues\' rows are what is checked here
[privacy]
list_previews = all
EOC
si_sim --phone-number-id 106540352242922 --waba-id 102290129340398
si_init || { not_ok "daemon init"; si_done; exit 1; }
si_start || { not_ok "daemon starts"; cat "$T/daemon.log"; si_done; exit 1; }
si agent add si_t_cfa >/dev/null
si agent add si_t_cfb >/dev/null

simreq() { curl -s "$SIMURL/_sim/requests"; }
inbound() {
	curl -s -XPOST "$SIMURL/_sim/inbound" -d "{\"from\":\"$1\",\
\"name\":\"$2\",\"text\":\"$3\",\"wait\":true}" >/dev/null
}
db() { sqlite3 "$T/data/support-inbox.db" "$1"; }

# --- display names ---
out=$(si_as si_t_cfa agent name si_t_cfa "Maya K." 2>&1)
check_contains "an agent sets her own display name" 'signed "Maya K."' "$out"
check_eq "agent list shows it" "Maya K." \
    "$(si agent list --json | jq -r '.[] | select(.name == "si_t_cfa") | .display_name')"
out=$(si_as si_t_cfb agent name si_t_cfa "Tom" 2>&1)
check_contains "another agent's name needs the admin role" "admin role" "$out"
check_eq "the refusal left the name" "Maya K." \
    "$(si agent list --json | jq -r '.[] | select(.name == "si_t_cfa") | .display_name')"
check_eq "the refusal is audited" 1 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'agent.name' AND result = 'refused'")"
long=$(printf 'x%.0s' $(seq 1 65))
out=$(si agent name si_t_cfb "$long" 2>&1)
check_contains "65 bytes are refused" "1 to 64 bytes" "$out"
out=$(si agent name si_t_cfb "$(printf 'Tom\tB')" 2>&1)
check_contains "a control character is refused" "without control" "$out"
out=$(si agent name si_t_cfb "$(printf 'Tom \342\200\256B')" 2>&1)
check_contains "a bidi override is refused" "without control" "$out"
out=$(si agent name si_t_cfb "   " 2>&1)
check_contains "only spaces are refused" "1 to 64 bytes" "$out"
out=$(si agent name si_t_cfb "$(printf 'y%.0s' $(seq 1 59))Jürg" 2>&1)
check_contains "64 bytes of UTF-8 are taken (an admin sets anyone's)" \
    "signed" "$out"
out=$(si agent name nosuch "X" 2>&1)
check_contains "an unknown agent is named" "no agent 'nosuch'" "$out"
check_eq "each change is audited" 2 \
    "$(db "SELECT count(*) FROM audit WHERE action = 'agent.name' AND result = 'ok'")"
si agent name si_t_cfb "" >/dev/null
check_eq "an empty name clears it (the login is used)" "si_t_cfb" \
    "$(si agent list --json | jq -r '.[] | select(.name == "si_t_cfb") | .display_name // .name')"

# --- canned replies: variables and fields ---
inbound 491510000301 "Rosa Klein" "Wo ist mein Paket?"
C=$(si list all --json | jq -r '.rows[] | select(.name == "Rosa Klein") | .id')
si_as si_t_cfa assign "$C" me >/dev/null
si canned add track --title Tracking --body 'Hallo {{contact.first_name}}, Ihre Sendungsnummer ist {{ask:tracking number}}. Viele Grüße, {{agent.name}} von {{business.name}}' >/dev/null
out=$(si_as si_t_cfa canned render track "$C" --purpose "reply" --field "tracking number=4711" --json)
check_eq "agent display name, first name, business and field are filled" \
    "Hallo Rosa, Ihre Sendungsnummer ist 4711. Viele Grüße, Maya K. von Shop Rosa GmbH" \
    "$(echo "$out" | jq -r .text)"
check_eq "nothing is reported missing" "[] true" \
    "$(echo "$out" | jq -c '.missing, .complete' | tr '\n' ' ' | sed 's/ $//')"
check_eq "the fields it asks for are named" '["tracking number"]' \
    "$(echo "$out" | jq -c .fields)"
out=$(si_as si_t_cfa canned render track "$C" --purpose "reply" --json)
check_eq "a field not given is the only thing missing" '["ask:tracking number"]' \
    "$(echo "$out" | jq -c .missing)"
out=$(si_as si_t_cfb canned render track "$C" --purpose "reply" --field "tracking number=1" --json)
check_contains "without a display name the login signs" "Viele Grüße, si_t_cfb von" \
    "$(echo "$out" | jq -r .text)"
out=$(si canned render track "$C" --purpose reply --field "nolabel" 2>&1)
check_contains "--field needs LABEL=VALUE" "LABEL=VALUE" "$out"
out=$(si canned add bad --title Bad --body 'Hi {{ask:}}' 2>&1)
check_contains "an empty field label is refused" "needs a label" "$out"
out=$(si canned add bad --title Bad --body 'Hi {{agent.login}}' 2>&1)
check_contains "an unknown variable is refused, the known ones listed" \
    "business.name" "$out"

# --- [business] name is bounded ---
sed "s/^name = Shop Rosa GmbH/name = $long/" "$T/si.conf" >"$T/long.conf"
out=$("$SID" -c "$T/long.conf" 2>&1)
check_contains "a business name over 64 bytes is refused" \
    "[business] name expects text of at most 64 bytes" "$out"

# --- a template send keeps the text the customer received ---
si templates sync >/dev/null
si_until sh -c "[ \"\$(\"$SIC\" -c \"$T/si.conf\" templates list --json | jq '.templates | length')\" -ge 5 ]"
M=$(si_as si_t_cfa reply "$C" --template order_update --lang de --param Rosa --param A-17 --json | jq -r .message)
check_eq "the thread has the template's text, filled" \
    "Hallo Rosa, deine Bestellung A-17 ist unterwegs. 🚚" \
    "$(si show "$C" --purpose check --json | jq -r --argjson m "$M" '.messages[] | select(.id == $m) | .body.text')"
check_eq "and its name and parameters" "order_update Rosa,A-17" \
    "$(si show "$C" --purpose check --json | jq -r --argjson m "$M" '.messages[] | select(.id == $m) | .body.template | "\(.name) \(.params | join(","))"')"
check_contains "the list row previews that text" "deine Bestellung A-17" \
    "$(si list all --json | jq -r --argjson c "$C" '.rows[] | select(.id == $c) | .preview')"
check "the text is not in the database in clear" sh -c \
    "! grep -a -q 'Bestellung A-17' '$T/data/support-inbox.db'"
si_until sh -c "curl -s '$SIMURL/_sim/requests' | jq -e '[.bodies[] | select(.type == \"template\")] | length >= 1'"
check_eq "the simulator got the parameters the text shows" "Rosa A-17" \
    "$(simreq | jq -r '[.bodies[] | select(.type == "template")][-1].template.components[0].parameters | map(.text) | join(" ")')"

si_done
