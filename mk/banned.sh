#!/bin/sh
# Fails on calls to functions this project does not use: unbounded string
# writes (sprintf, vsprintf, strcpy, strcat), gets, unchecked conversions
# (atoi, atol: no error, undefined on overflow) and system (a shell). Use
# snprintf / xasprintf, strlcpy-style snprintf("%s"), strtol / strtoll
# with checks, and fork/exec. Comments and string literals are ignored; a
# line may opt out with a comment containing "banned-ok: REASON".
# Usage: banned.sh [FILE...] (default: every .c and .h in src/ and tests/)
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
[ $# -gt 0 ] || set -- $(find src tests -name '*.c' -o -name '*.h' | sort)
exec python3 - "$@" <<'PY'
import re, sys
BANNED = ("sprintf", "vsprintf", "strcpy", "strcat", "gets", "atoi",
          "atol", "atoll", "system")
call = re.compile(r"(?<![A-Za-z0-9_.>])(%s)\s*\(" % "|".join(BANNED))

def strip(src):
    """Blanks comments and string/char literals, keeping line breaks;
    returns the code and, per line, whether a comment said banned-ok."""
    out, ok, i, n = [], set(), 0, len(src)
    line = 1
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            text = src[i:j]
            if "banned-ok:" in text:
                ok.add(line)
            out.append(re.sub(r"[^\n]", " ", text))
            line += text.count("\n")
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            if "banned-ok:" in src[i:j]:
                ok.add(line)
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            text = src[i:j + 1]
            out.append(c + re.sub(r"[^\n]", " ", text[1:-1]) + c)
            line += text.count("\n")
            i = j + 1
        else:
            if c == "\n":
                line += 1
            out.append(c)
            i += 1
    return "".join(out), ok

bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        code, ok = strip(f.read())
    for no, text in enumerate(code.split("\n"), 1):
        for m in call.finditer(text):
            if no in ok:
                continue
            print("%s:%d: %s() is banned (see mk/banned.sh)" %
                  (path, no, m.group(1)))
            bad += 1
if bad:
    print("banned.sh: %d call(s) of banned functions" % bad)
sys.exit(1 if bad else 0)
PY
