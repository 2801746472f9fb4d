/* The key table: defaults, keys file, lookup; see keys.h. */
#include <ctype.h>
#include <curses.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys.h"
#include "utf8.h"
#include "xmalloc.h"

static const char *keys_ctx_names[KEYS_NCTX] = {
	"global", "list", "thread", "compose"
};

/* The recommended keymap (doc/tui.md); every entry is a command line. */
static const struct {
	enum keys_ctx	 ctx;
	const char	*keys;
	const char	*cmd;
} keys_default[] = {
	{ KEYS_GLOBAL,	"?",		"help" },
	{ KEYS_GLOBAL,	"<F1>",		"help" },
	{ KEYS_GLOBAL,	":",		"cmdline" },
	{ KEYS_GLOBAL,	"<C-k>",	"switch" },
	{ KEYS_GLOBAL,	"<Tab>",	"focus next" },
	{ KEYS_GLOBAL,	"<S-Tab>",	"focus prev" },
	{ KEYS_GLOBAL,	"q",		"back" },
	{ KEYS_GLOBAL,	"Q",		"quit" },
	{ KEYS_GLOBAL,	"<C-l>",	"redraw" },
	{ KEYS_GLOBAL,	"<C-z>",	"suspend" },
	{ KEYS_GLOBAL,	"gi",		"view open" },
	{ KEYS_GLOBAL,	"gm",		"view mine" },
	{ KEYS_GLOBAL,	"gu",		"view unassigned" },
	{ KEYS_GLOBAL,	"ga",		"view all" },
	{ KEYS_GLOBAL,	"gs",		"view snoozed" },
	{ KEYS_GLOBAL,	"1",		"view open" },
	{ KEYS_GLOBAL,	"2",		"view mine" },
	{ KEYS_GLOBAL,	"3",		"view unassigned" },
	{ KEYS_GLOBAL,	"4",		"view all" },
	{ KEYS_GLOBAL,	"5",		"view snoozed" },
	{ KEYS_GLOBAL,	"6",		"view resolved" },
	{ KEYS_GLOBAL,	"7",		"view pending" },
	{ KEYS_GLOBAL,	"/",		"search" },
	{ KEYS_GLOBAL,	"i",		"info" },

	{ KEYS_LIST,	"j",		"next" },
	{ KEYS_LIST,	"<Down>",	"next" },
	{ KEYS_LIST,	"k",		"prev" },
	{ KEYS_LIST,	"<Up>",		"prev" },
	{ KEYS_LIST,	"<C-d>",	"half-down" },
	{ KEYS_LIST,	"<C-u>",	"half-up" },
	{ KEYS_LIST,	"<PgDn>",	"page-down" },
	{ KEYS_LIST,	"<PgUp>",	"page-up" },
	{ KEYS_LIST,	"gg",		"first" },
	{ KEYS_LIST,	"<Home>",	"first" },
	{ KEYS_LIST,	"G",		"last" },
	{ KEYS_LIST,	"<End>",	"last" },
	{ KEYS_LIST,	"<Enter>",	"open" },
	{ KEYS_LIST,	"l",		"open" },
	{ KEYS_LIST,	"J",		"next-waiting" },
	{ KEYS_LIST,	"K",		"prev-waiting" },
	{ KEYS_LIST,	"n",		"search-next" },
	{ KEYS_LIST,	"N",		"new" },	/* was search-prev (k) */
	{ KEYS_LIST,	"<Space>",	"mark" },
	{ KEYS_LIST,	"v",		"mark" },
	{ KEYS_LIST,	"a",		"claim" },
	{ KEYS_LIST,	"A",		"assign" },
	{ KEYS_LIST,	"r",		"reply" },
	{ KEYS_LIST,	"e",		"reply-editor" },
	{ KEYS_LIST,	"x",		"resolve" },
	{ KEYS_LIST,	"o",		"reopen" },
	{ KEYS_LIST,	"s",		"snooze" },
	{ KEYS_LIST,	"L",		"label" },
	{ KEYS_LIST,	"p",		"priority" },
	{ KEYS_LIST,	"!",		"note" },
	{ KEYS_LIST,	"u",		"undo" },

	{ KEYS_THREAD,	"j",		"next" },
	{ KEYS_THREAD,	"<Down>",	"next" },
	{ KEYS_THREAD,	"k",		"prev" },
	{ KEYS_THREAD,	"<Up>",		"prev" },
	{ KEYS_THREAD,	"<C-d>",	"half-down" },
	{ KEYS_THREAD,	"<C-u>",	"half-up" },
	{ KEYS_THREAD,	"<PgDn>",	"page-down" },
	{ KEYS_THREAD,	"<PgUp>",	"page-up" },
	{ KEYS_THREAD,	"gg",		"first" },
	{ KEYS_THREAD,	"G",		"last" },
	{ KEYS_THREAD,	"u",		"undo" },	/* else first-unread */
	{ KEYS_THREAD,	"]u",		"first-unread" },
	{ KEYS_THREAD,	"J",		"next-waiting" },
	{ KEYS_THREAD,	"K",		"prev-waiting" },
	{ KEYS_THREAD,	"r",		"reply" },
	{ KEYS_THREAD,	"R",		"quote-reply" },
	{ KEYS_THREAD,	"e",		"reply-editor" },
	{ KEYS_THREAD,	"<Enter>",	"media" },
	{ KEYS_THREAD,	"a",		"claim" },
	{ KEYS_THREAD,	"A",		"assign" },
	{ KEYS_THREAD,	"x",		"resolve" },
	{ KEYS_THREAD,	"o",		"reopen" },
	{ KEYS_THREAD,	"s",		"snooze" },
	{ KEYS_THREAD,	"L",		"label" },
	{ KEYS_THREAD,	"p",		"priority" },
	{ KEYS_THREAD,	"!",		"note" },
	{ KEYS_THREAD,	"P",		"reveal" },
	{ KEYS_THREAD,	"t",		"template" },
	{ KEYS_THREAD,	"+",		"react" },
	{ KEYS_THREAD,	"h",		"back" },
	{ KEYS_THREAD,	"N",		"new" },

	{ KEYS_COMPOSE,	"<Enter>",	"send" },
	{ KEYS_COMPOSE,	"<C-s>",	"send" },
	{ KEYS_COMPOSE,	"<C-j>",	"newline" },
	{ KEYS_COMPOSE,	"<M-Enter>",	"newline" },
	{ KEYS_COMPOSE,	"<M-e>",	"editor" },
	{ KEYS_COMPOSE,	"<C-x><C-e>",	"editor" },
	{ KEYS_COMPOSE,	"<C-a>",	"bol" },
	{ KEYS_COMPOSE,	"<Home>",	"bol" },
	{ KEYS_COMPOSE,	"<C-e>",	"eol" },
	{ KEYS_COMPOSE,	"<End>",	"eol" },
	{ KEYS_COMPOSE,	"<C-b>",	"left" },
	{ KEYS_COMPOSE,	"<Left>",	"left" },
	{ KEYS_COMPOSE,	"<C-f>",	"right" },
	{ KEYS_COMPOSE,	"<Right>",	"right" },
	{ KEYS_COMPOSE,	"<Up>",		"up" },
	{ KEYS_COMPOSE,	"<Down>",	"down" },
	{ KEYS_COMPOSE,	"<M-b>",	"word-back" },
	{ KEYS_COMPOSE,	"<M-f>",	"word-fwd" },
	{ KEYS_COMPOSE,	"<C-k>",	"kill-eol" },
	{ KEYS_COMPOSE,	"<C-u>",	"kill-bol" },
	{ KEYS_COMPOSE,	"<C-w>",	"kill-word" },
	{ KEYS_COMPOSE,	"<BS>",		"backspace" },
	{ KEYS_COMPOSE,	"<C-h>",	"backspace" },
	{ KEYS_COMPOSE,	"<Del>",	"delete" },
	{ KEYS_COMPOSE,	"<C-d>",	"delete" },
	{ KEYS_COMPOSE,	"<Esc>",	"leave" },
	{ KEYS_COMPOSE,	"<S-Tab>",	"leave" },
	{ KEYS_COMPOSE,	"<C-c>",	"clear" },
	{ KEYS_COMPOSE,	"<Tab>",	"complete" },
	{ KEYS_COMPOSE,	"<C-t>",	"template" },
	{ KEYS_COMPOSE,	"<C-o>",	"attach" },
	{ KEYS_GLOBAL,	"S",		"sort" },
	{ KEYS_LIST,	"@",		"mentions" },
	{ KEYS_THREAD,	"@",		"mentions" },
	{ KEYS_LIST,	"H",		"handover" },
	{ KEYS_THREAD,	"H",		"handover" },
	{ KEYS_LIST,	"T",		"takeover" },
	{ KEYS_THREAD,	"T",		"takeover" },
	{ KEYS_COMPOSE,	"<M-u>",	"undo" },
	{ KEYS_GLOBAL,	"C",		"contacts" },
	{ KEYS_LIST,	"M",		"macro" },
	{ KEYS_THREAD,	"M",		"macro" },
	{ KEYS_GLOBAL,	"F",		"floor" },	/* issue 19 */
};

/* Named keys and the aliases accepted in keys files. */
static const struct {
	const char	*alias;
	const char	*name;
} keys_alias[] = {
	{ "enter", "Enter" }, { "cr", "Enter" }, { "return", "Enter" },
	{ "esc", "Esc" }, { "escape", "Esc" }, { "tab", "Tab" },
	{ "s-tab", "S-Tab" }, { "backtab", "S-Tab" }, { "space", "Space" },
	{ "bs", "BS" }, { "backspace", "BS" }, { "del", "Del" },
	{ "delete", "Del" }, { "up", "Up" }, { "down", "Down" },
	{ "left", "Left" }, { "right", "Right" }, { "pgup", "PgUp" },
	{ "pageup", "PgUp" }, { "pgdn", "PgDn" }, { "pagedown", "PgDn" },
	{ "home", "Home" }, { "end", "End" }, { "ins", "Ins" },
	{ "lt", "lt" },
};

const char *
keys_ctx_name(enum keys_ctx c)
{
	return (c < KEYS_NCTX ? keys_ctx_names[c] : "?");
}

void
keys_init(struct keys *k)
{
	size_t	i;
	char	*cause = NULL;

	memset(k, 0, sizeof *k);
	for (i = 0; i < sizeof keys_default / sizeof keys_default[0]; i++) {
		if (keys_bind(k, keys_default[i].ctx, keys_default[i].keys,
		    keys_default[i].cmd, &cause) != 0)
			free(cause);	/* the table is ours; cannot happen */
	}
}

void
keys_release(struct keys *k)
{
	size_t	i;

	for (i = 0; i < k->n; i++) {
		free(k->b[i].keys);
		free(k->b[i].cmd);
	}
	free(k->b);
	memset(k, 0, sizeof *k);
}

/* One <...> token's canonical name, or NULL. */
static int
keys_canon_token(const char *tok, size_t len, char *out, size_t outsz)
{
	char	 t[24], rest[24], *end;
	size_t	 i;
	long	 n;

	if (len == 0 || len >= sizeof t)
		return (-1);
	memcpy(t, tok, len);
	t[len] = '\0';
	/* C-x, M-x, M-Enter, F1..F12 */
	if ((t[0] == 'C' || t[0] == 'c') && t[1] == '-' && len == 3) {
		if (t[2] == '@' || t[2] == ' ')
			return (snprintf(out, outsz, "<C-Space>") < 0 ? -1 : 0);
		if (!isalpha((unsigned char)t[2]))
			return (-1);
		snprintf(out, outsz, "<C-%c>", tolower((unsigned char)t[2]));
		return (0);
	}
	if ((t[0] == 'M' || t[0] == 'm' || t[0] == 'A' || t[0] == 'a') &&
	    t[1] == '-' && len > 2) {
		if (len == 3) {
			snprintf(out, outsz, "<M-%c>", t[2]);
			return (0);
		}
		if (keys_canon_token(t + 2, len - 2, rest, sizeof rest) != 0 ||
		    rest[0] != '<')
			return (-1);
		rest[strlen(rest) - 1] = '\0';
		snprintf(out, outsz, "<M-%s>", rest + 1);
		return (0);
	}
	if ((t[0] == 'F' || t[0] == 'f') && isdigit((unsigned char)t[1])) {
		/* All digits: atoi took "F1x" for F1 and overflowed. */
		n = strtol(t + 1, &end, 10);
		if (*end != '\0' || n < 1 || n > 12)
			return (-1);
		snprintf(out, outsz, "<F%ld>", n);
		return (0);
	}
	for (i = 0; i < sizeof keys_alias / sizeof keys_alias[0]; i++) {
		if (strcasecmp(t, keys_alias[i].alias) == 0) {
			if (strcmp(keys_alias[i].name, "lt") == 0)
				snprintf(out, outsz, "<");
			else
				snprintf(out, outsz, "<%s>",
				    keys_alias[i].name);
			return (0);
		}
	}
	return (-1);
}

/* Canonical form of a spec into out (KEYS_SEQ_MAX). 0, or -1 if bad. */
static int
keys_canon(const char *spec, char *out)
{
	const char	*p = spec, *end;
	char		 tok[KEYS_SEQ_MAX];
	size_t		 n = 0, l;
	uint32_t	 cp;

	out[0] = '\0';
	while (*p != '\0') {
		if (*p == '<' && (end = strchr(p, '>')) != NULL && end > p + 1) {
			if (keys_canon_token(p + 1, (size_t)(end - p - 1), tok,
			    sizeof tok) != 0)
				return (-1);
			p = end + 1;
		} else {
			l = utf8_decode(p, strlen(p), &cp);
			if (cp == ' ')
				snprintf(tok, sizeof tok, "<Space>");
			else if (cp < 0x20 || cp == 0x7f || cp == 0xfffd)
				return (-1);
			else {
				memcpy(tok, p, l);
				tok[l] = '\0';
			}
			p += l;
		}
		if (n + strlen(tok) + 1 > KEYS_SEQ_MAX)
			return (-1);
		memcpy(out + n, tok, strlen(tok) + 1);
		n += strlen(tok);
	}
	return (n == 0 ? -1 : 0);
}

int
keys_bind(struct keys *k, enum keys_ctx ctx, const char *spec,
    const char *cmd, char **cause)
{
	char	canon[KEYS_SEQ_MAX];
	size_t	i;

	if (keys_canon(spec, canon) != 0) {
		*cause = xasprintf("bad key '%s'", spec);
		return (-1);
	}
	if (cmd != NULL && *cmd == ':')
		cmd++;
	if (cmd != NULL && (*cmd == '\0' || strcmp(cmd, "none") == 0))
		cmd = NULL;
	for (i = 0; i < k->n; i++) {
		if (k->b[i].ctx == ctx && strcmp(k->b[i].keys, canon) == 0)
			break;
	}
	if (i < k->n) {
		if (cmd == NULL) {
			free(k->b[i].keys);
			free(k->b[i].cmd);
			memmove(&k->b[i], &k->b[i + 1], (k->n - i - 1) *
			    sizeof k->b[0]);
			k->n--;
			return (0);
		}
		free(k->b[i].cmd);
		k->b[i].cmd = xstrdup(cmd);
		return (0);
	}
	if (cmd == NULL)
		return (0);
	k->b = xrealloc(k->b, (k->n + 1) * sizeof k->b[0]);
	k->b[k->n].ctx = ctx;
	k->b[k->n].keys = xstrdup(canon);
	k->b[k->n].cmd = xstrdup(cmd);
	k->n++;
	return (0);
}

struct keys_parse {
	struct keys	*k;
	const char	*path;
	char		*cause;
	int		 line;
};

static int
keys_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct keys_parse	*p = arg;
	char			*cause = NULL;
	int			 c;

	if (p->cause != NULL)
		return (0);
	for (c = 0; c < KEYS_NCTX; c++) {
		if (strcmp(section, keys_ctx_names[c]) == 0)
			break;
	}
	if (c == KEYS_NCTX) {
		p->cause = xasprintf("%s: unknown section [%s] (global, list, "
		    "thread, compose)", p->path, section);
		return (0);
	}
	if (keys_bind(p->k, (enum keys_ctx)c, key, value, &cause) != 0) {
		p->cause = xasprintf("%s: [%s] %s", p->path, section, cause);
		free(cause);
		return (0);
	}
	return (1);
}

int
keys_load(struct keys *k, const char *path, char **cause)
{
	struct keys_parse	p;
	int			rc;

	memset(&p, 0, sizeof p);
	p.k = k;
	p.path = path;
	rc = ini_parse(path, keys_handler, &p);
	if (p.cause != NULL) {
		*cause = p.cause;
		return (-1);
	}
	if (rc != 0) {
		*cause = rc < 0 ? xasprintf("cannot read keys file '%s'", path) :
		    xasprintf("%s:%d: syntax error", path, rc);
		return (-1);
	}
	return (0);
}

const char *
keys_lookup(const struct keys *k, enum keys_ctx ctx, const char *seq,
    int *prefix)
{
	const char	*found = NULL;
	size_t		 i, n = strlen(seq);

	*prefix = 0;
	for (i = 0; i < k->n; i++) {
		if (k->b[i].ctx != ctx)
			continue;
		if (strcmp(k->b[i].keys, seq) == 0)
			found = k->b[i].cmd;
		else if (strncmp(k->b[i].keys, seq, n) == 0)
			*prefix = 1;
	}
	return (found);
}

int
keys_name(int code, wint_t ch, int meta, char *out)
{
	char	name[KEYS_SEQ_MAX];
	size_t	n;

	name[0] = '\0';
	if (code) {
		switch (ch) {
		case KEY_UP:	snprintf(name, sizeof name, "<Up>"); break;
		case KEY_DOWN:	snprintf(name, sizeof name, "<Down>"); break;
		case KEY_LEFT:	snprintf(name, sizeof name, "<Left>"); break;
		case KEY_RIGHT:	snprintf(name, sizeof name, "<Right>"); break;
		case KEY_NPAGE:	snprintf(name, sizeof name, "<PgDn>"); break;
		case KEY_PPAGE:	snprintf(name, sizeof name, "<PgUp>"); break;
		case KEY_HOME:	snprintf(name, sizeof name, "<Home>"); break;
		case KEY_END:	snprintf(name, sizeof name, "<End>"); break;
		case KEY_BACKSPACE:
				snprintf(name, sizeof name, "<BS>"); break;
		case KEY_DC:	snprintf(name, sizeof name, "<Del>"); break;
		case KEY_IC:	snprintf(name, sizeof name, "<Ins>"); break;
		case KEY_ENTER:	snprintf(name, sizeof name, "<Enter>"); break;
		case KEY_BTAB:	snprintf(name, sizeof name, "<S-Tab>"); break;
		default:
			if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(12))
				snprintf(name, sizeof name, "<F%d>",
				    (int)(ch - KEY_F0));
			else
				return (-1);
		}
	} else if (ch == '\r')
		snprintf(name, sizeof name, "<Enter>");
	else if (ch == '\t')
		snprintf(name, sizeof name, "<Tab>");
	else if (ch == 27)
		snprintf(name, sizeof name, "<Esc>");
	else if (ch == 127 || ch == 8)
		snprintf(name, sizeof name, "<BS>");
	else if (ch == ' ')
		snprintf(name, sizeof name, "<Space>");
	else if (ch == 0)
		snprintf(name, sizeof name, "<C-Space>");
	else if (ch < 27)
		snprintf(name, sizeof name, "<C-%c>", (char)('a' + ch - 1));
	else if (ch < 32)
		return (-1);
	else {
		n = utf8_encode((uint32_t)ch, name);
		name[n] = '\0';
	}
	if (!meta) {
		snprintf(out, KEYS_SEQ_MAX, "%s", name);
		return (0);
	}
	n = strlen(name);
	if (n + 5 > KEYS_SEQ_MAX)
		return (-1);
	if (name[0] == '<' && name[1] != '\0') {
		memcpy(out, "<M-", 3);
		memcpy(out + 3, name + 1, n);
	} else {
		memcpy(out, "<M-", 3);
		memcpy(out + 3, name, n);
		memcpy(out + 3 + n, ">", 2);
	}
	return (0);
}
