#!/bin/sh
# Issue 12: the protocol's names are spelled once (include/proto-names.h)
# and documented once (doc/protocol.md). This keeps the daemon, the header
# and the document in step: every method the running daemon has
# (meta.methods) is in the document's table with the same role and in the
# header, and nothing else is; every error code and event in the document
# is in the header and the other way round; the codes and events the daemon
# still spells as literals, and the methods the client calls by name, are
# all in the header.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C		# one collation for sort, comm and join

doc="$SI_TOP/doc/protocol.md"
hdr="$SI_TOP/include/proto-names.h"

# doc_rows SECTION: the rows of the table under "## SECTION", one per line,
# cells separated by '|' without the outer ones.
doc_rows() {
	awk -v sec="## $1" '
	/^## / { on = ($0 == sec); next }
	on && /^\| `/ { sub(/^\| /, ""); sub(/ \|$/, ""); print }
	' "$doc"
}

# doc_col SECTION N: cell N of every row, blanks and backticks removed.
doc_col() {
	doc_rows "$1" | awk -F' \\| ' -v n="$2" '{ v = $n; gsub(/[` ]/, "", v);
	    print v }'
}

# hdr_names PREFIX: the values of the header's #define PREFIX... lines.
hdr_names() {
	sed -n "s/^#define $1[A-Z0-9_]*[[:space:]][[:space:]]*\"\([^\"]*\)\".*/\1/p" \
	    "$hdr" | sort
}

# same WHAT A-FILE A-NAME B-FILE B-NAME: one not_ok per name in one
# sorted list and not the other; ok if the two are equal.
same() {
	_n=0
	for x in $(comm -23 "$2" "$4"); do
		not_ok "$1 '$x' (in $3) is in $5"
		_n=$((_n + 1))
	done
	for x in $(comm -13 "$2" "$4"); do
		not_ok "$1 '$x' (in $5) is in $3"
		_n=$((_n + 1))
	done
	[ "$_n" -eq 0 ] && ok "every $1 in $3 is in $5 and the other way round"
}

# no_dups WHAT FILE: the sorted list has every name once.
no_dups() {
	check_eq "$1 named once" "" "$(uniq -d "$2" | tr '\n' ' ')"
}

si_tmp
si_config
si_init || { not_ok "init"; si_done; exit 1; }
check "daemon starts" si_start

# (a) The daemon's methods and the document's table, with their roles.
si call meta.methods | jq -r '.[] | "\(.name) \(.role)"' | sort \
    >"$T/daemon-roles"
cut -d' ' -f1 "$T/daemon-roles" >"$T/daemon-methods"
check "meta.methods lists the methods" test \
    "$(wc -l <"$T/daemon-methods")" -gt 50
doc_rows Methods | awk -F' \\| ' '{ m = $1; r = $2; gsub(/[` ]/, "", m);
    gsub(/ /, "", r); print m, r }' | sort >"$T/doc-roles"
cut -d' ' -f1 "$T/doc-roles" >"$T/doc-methods"
no_dups "every method in the document's table is" "$T/doc-methods"
no_dups "every method of the daemon is" "$T/daemon-methods"
same method "$T/daemon-methods" "the daemon (meta.methods)" \
    "$T/doc-methods" "doc/protocol.md's methods table"
check_eq "every documented role is the daemon's" "" \
    "$(join "$T/daemon-roles" "$T/doc-roles" | awk '$2 != $3 {
    print $1 " needs " $2 ", documented " $3 ";" }' | tr '\n' ' ')"
# Six cells a row: method, role, parameters, result, audit, events.
check_eq "every row of the methods table has its six cells" "" \
    "$(doc_rows Methods | awk -F' \\| ' 'NF != 6 { print $1 }' |
    tr '\n' ' ')"

# (b) The daemon's methods and the header.
hdr_names PM_ >"$T/hdr-methods"
no_dups "every method of the header is" "$T/hdr-methods"
same method "$T/daemon-methods" "the daemon (meta.methods)" \
    "$T/hdr-methods" "include/proto-names.h"

# (c) Error codes and events: the document's tables and the header.
doc_col "Error codes" 1 | sort >"$T/doc-codes"
hdr_names PE_ >"$T/hdr-codes"
no_dups "every error code of the document is" "$T/doc-codes"
no_dups "every error code of the header is" "$T/hdr-codes"
same "error code" "$T/hdr-codes" "include/proto-names.h" \
    "$T/doc-codes" "doc/protocol.md's error codes table"
doc_col Events 1 | sort >"$T/doc-events"
hdr_names PEV_ >"$T/hdr-events"
no_dups "every event of the document is" "$T/doc-events"
no_dups "every event of the header is" "$T/hdr-events"
same event "$T/hdr-events" "include/proto-names.h" \
    "$T/doc-events" "doc/protocol.md's events table"
# The events column of the methods table names events that exist.
doc_col Methods 6 | grep -o '`[a-z_.]*`' | tr -d '`' | sort -u \
    >"$T/doc-raised"
check_eq "the methods table raises only documented events" "" \
    "$(comm -23 "$T/doc-raised" "$T/hdr-events" | tr '\n' ' ')"

# The header's own rule: the macro is its prefix and the name in capitals,
# '.' as '_' (PM_CONV_LIST "conv.list"), so a name is found from either.
check_eq "every macro of the header is named after its string" "" \
    "$(sed -n 's/^#define \(P[A-Z]*_\)\([A-Z0-9_]*\)[[:space:]][[:space:]]*"\([^"]*\)".*/\1 \2 \3/p' \
    "$hdr" | awk '{ w = toupper($3); gsub(/\./, "_", w);
    if (w != $2) print $1 $2 }' | tr '\n' ' ')"

# What the code still spells as literals: error codes and events the
# daemon sends, methods the client calls, events and codes it compares.
# Each must be in the header.
python3 - "$SI_TOP" >"$T/literals" <<'EOF'
import glob, re, sys
top = sys.argv[1]
pats = {
    "code": [r'rpc_error\([^,;]*,\s*"([a-z_]+)"',
             r'rpc_error\([^,;]*,\s*[^,;"]*\?\s*"([a-z_]+)"\s*:\s*"([a-z_]+)"',
             r'server_(?:error_reply|reply_error)\((?:[^,;]*,){1,2}\s*"([a-z_]+)"',
             r'rpc_send_refuse\((?:[^,;]*,){4}\s*"([a-z_]+)"',
             r'\*code\s*=\s*"([a-z_]+)"'],
    "event": [r'(?:rpc_event|inbox_event|server_broadcast)\([^,;]*,\s*"([a-z_]+)"',
              r'(?:rpc_event_uid|server_send_uid)\((?:[^,;]*,){2}\s*"([a-z_]+)"',
              r'"event",\s*"([a-z_]+)"'],
}
# The client: methods it sends, events and codes it tells apart.
client = {
    "method": [r'\b(?:client_call|cmd_call|ui_call|cli_call)\([^,;]*,\s*"([a-z_.]+)"',
               r'\bcli_simple\((?:[^,;]*,){2}\s*"([a-z_.]+)"',
               r'\bui_each\((?:[^,;]*,){2}\s*"([a-z_.]+)"'],
    "event": [r'strcmp\(ev,\s*"([a-z_]+)"'],
    "code": [r'strcmp\(code,\s*"([a-z_]+)"'],
}
# Code only: a comment may quote a frame ({"event", "data"}).
def code(f):
    text = open(f, encoding="utf-8").read()
    return re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
for where, table in (("daemon", pats), ("tui", client)):
    for f in sorted(glob.glob(top + "/src/" + where + "/*.c")):
        text = code(f)
        for kind, res in table.items():
            for r in res:
                for m in re.finditer(r, text):
                    for g in m.groups():
                        print(kind, g)
EOF
check "the literals of the code were read" test -s "$T/literals"
for kind in code event method; do
	case $kind in
	code) list="$T/hdr-codes" ;;
	event) list="$T/hdr-events" ;;
	method) list="$T/hdr-methods" ;;
	esac
	awk -v k="$kind" '$1 == k { print $2 }' "$T/literals" | sort -u \
	    >"$T/lit-$kind"
	check_eq "every $kind the code spells as a literal is in the header" \
	    "" "$(comm -23 "$T/lit-$kind" "$list" | tr '\n' ' ')"
done

si_stop
si_done
