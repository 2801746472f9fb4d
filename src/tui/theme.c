/*
 * Themes: one INI format, every element with a non-colour cue in the
 * built-in and shipped themes so that mono and NO_COLOR lose nothing.
 */
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "theme.h"
#include "xmalloc.h"

/* The Makefile passes $(PREFIX)/share/support-inbox. */
#ifndef DATADIR
#define DATADIR	"/usr/local/share/support-inbox"
#endif

static const char *theme_names[TH_COUNT] = {
	"normal", "top", "top.alarm", "tabs", "tabs.active", "border",
	"list", "list.unread", "list.selected", "list.marked",
	"list.preview", "list.meta", "presence", "window.warn",
	"thread.day", "thread.readmarker", "thread.in", "thread.out",
	"thread.note", "thread.failed", "thread.quote", "thread.selected",
	"thread.media", "panel", "compose", "compose.template",
	"status", "status.error", "status.hint", "picker", "picker.selected"
};

static const char *theme_basic[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

void
theme_builtin(struct theme *t, int mono)
{
	int	i;

	free(t->name);
	t->name = xstrdup(mono ? "mono" : "default");
	for (i = 0; i < TH_COUNT; i++) {
		t->el[i].fg = -1;
		t->el[i].bg = -1;
		t->el[i].attrs = 0;
	}
	/* Cues that work without colour. */
	t->el[TH_TOP].attrs = THEME_A_REVERSE;
	t->el[TH_TOP_ALARM].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->el[TH_TAB_ACTIVE].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->el[TH_LIST_UNREAD].attrs = THEME_A_BOLD;
	t->el[TH_LIST_SELECTED].attrs = THEME_A_REVERSE;
	t->el[TH_LIST_MARKED].attrs = THEME_A_BOLD | THEME_A_UNDERLINE;
	t->el[TH_LIST_PREVIEW].attrs = mono ? 0 : THEME_A_DIM;
	t->el[TH_READMARKER].attrs = THEME_A_BOLD;
	t->el[TH_DAY].attrs = THEME_A_BOLD;
	t->el[TH_NOTE].attrs = THEME_A_UNDERLINE;
	t->el[TH_FAILED].attrs = THEME_A_BOLD;
	t->el[TH_MSG_SELECTED].attrs = THEME_A_REVERSE;
	t->el[TH_STATUS].attrs = THEME_A_REVERSE;
	t->el[TH_STATUS_ERROR].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->el[TH_WINDOW_WARN].attrs = THEME_A_BOLD;
	t->el[TH_COMPOSE_TEMPLATE].attrs = THEME_A_BOLD;
	t->el[TH_PICKER_SELECTED].attrs = THEME_A_REVERSE;
	t->el[TH_PRESENCE].attrs = THEME_A_BOLD;
	if (mono)
		return;
	t->el[TH_TOP_ALARM].fg = 1;
	t->el[TH_READMARKER].fg = 1;
	t->el[TH_DAY].fg = 6;
	t->el[TH_NOTE].fg = 3;
	t->el[TH_FAILED].fg = 1;
	t->el[TH_QUOTE].fg = 6;
	t->el[TH_OUT].fg = 2;
	t->el[TH_MEDIA].fg = 5;
	t->el[TH_STATUS_ERROR].fg = 1;
	t->el[TH_WINDOW_WARN].fg = 3;
	t->el[TH_PRESENCE].fg = 5;
	t->el[TH_LIST_META].fg = 6;
}

/* xterm-256 cube and grey ramp values, for nearest-colour mapping. */
static void
theme_rgb_of(int c, int *r, int *g, int *b)
{
	static const int	base[16][3] = {
		{0,0,0}, {205,0,0}, {0,205,0}, {205,205,0}, {0,0,238},
		{205,0,205}, {0,205,205}, {229,229,229}, {127,127,127},
		{255,0,0}, {0,255,0}, {255,255,0}, {92,92,255}, {255,0,255},
		{0,255,255}, {255,255,255}
	};
	static const int	lvl[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		*r = base[c][0]; *g = base[c][1]; *b = base[c][2];
	} else if (c < 232) {
		c -= 16;
		*r = lvl[c / 36]; *g = lvl[(c / 6) % 6]; *b = lvl[c % 6];
	} else
		*r = *g = *b = 8 + (c - 232) * 10;
}

static int
theme_nearest(int r, int g, int b, int from, int to)
{
	int	c, best = from, cr, cg, cb;
	long	d, bestd = LONG_MAX;

	for (c = from; c < to; c++) {
		theme_rgb_of(c, &cr, &cg, &cb);
		d = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) +
		    (long)(cb - b) * (cb - b);
		if (d < bestd) {
			bestd = d;
			best = c;
		}
	}
	return (best);
}

int
theme_reduce(int color, int ncolors)
{
	int	r, g, b;

	if (color < 0 || color < ncolors)
		return (color);
	theme_rgb_of(color, &r, &g, &b);
	return (theme_nearest(r, g, b, 0, ncolors >= 16 ? 16 : 8));
}

/* Colour index for a name: -1 default, 0..255, or -2 if unknown. */
static int
theme_color(const char *s)
{
	unsigned int	rgb;
	char		*end;
	long		 n;
	int		 i;

	if (strcasecmp(s, "default") == 0 || strcasecmp(s, "none") == 0)
		return (-1);
	for (i = 0; i < 8; i++) {
		if (strcasecmp(s, theme_basic[i]) == 0)
			return (i);
		if (strncasecmp(s, "bright_", 7) == 0 &&
		    strcasecmp(s + 7, theme_basic[i]) == 0)
			return (i + 8);
	}
	if (strncasecmp(s, "color", 5) == 0 || strncasecmp(s, "colour", 6) ==
	    0) {
		s += s[5] == 'u' ? 6 : 5;
		n = strtol(s, &end, 10);
		if (end == s || *end != '\0' || n < 0 || n > 255)
			return (-2);
		return ((int)n);
	}
	if (s[0] == '#' && strlen(s) == 7) {
		rgb = (unsigned int)strtoul(s + 1, &end, 16);
		if (*end != '\0')
			return (-2);
		/* Always via the 256 palette: portable over tmux and SSH. */
		return (theme_nearest((rgb >> 16) & 0xff, (rgb >> 8) & 0xff,
		    rgb & 0xff, 16, 256));
	}
	return (-2);
}

struct theme_parse {
	struct theme	*t;
	char		*cause;
	const char	*path;
};

static int
theme_bool(const char *v)
{
	return (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0);
}

static int
theme_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct theme_parse	*p = arg;
	const char		*dot;
	size_t			 i, n;
	int			 c, flag = 0;

	if (p->cause != NULL || strcmp(section, "ui") != 0)
		return (1);
	if ((dot = strrchr(key, '.')) == NULL)
		goto bad;
	n = (size_t)(dot - key);
	for (i = 0; i < TH_COUNT; i++) {
		if (strlen(theme_names[i]) == n &&
		    strncmp(theme_names[i], key, n) == 0)
			break;
	}
	if (i == TH_COUNT)
		goto bad;
	dot++;
	if (strcmp(dot, "fg") == 0 || strcmp(dot, "bg") == 0) {
		if ((c = theme_color(value)) == -2) {
			p->cause = xasprintf("%s: unknown colour '%s' for %s "
			    "(default, black..white, bright_NAME, colorN, "
			    "#rrggbb)", p->path, value, key);
			return (0);
		}
		if (dot[0] == 'f')
			p->t->el[i].fg = (short)c;
		else
			p->t->el[i].bg = (short)c;
		return (1);
	}
	if (strcmp(dot, "bold") == 0)
		flag = THEME_A_BOLD;
	else if (strcmp(dot, "dim") == 0)
		flag = THEME_A_DIM;
	else if (strcmp(dot, "underline") == 0)
		flag = THEME_A_UNDERLINE;
	else if (strcmp(dot, "reverse") == 0)
		flag = THEME_A_REVERSE;
	else if (strcmp(dot, "italic") == 0)
		flag = THEME_A_ITALIC;
	else
		goto bad;
	if (theme_bool(value))
		p->t->el[i].attrs |= flag;
	else
		p->t->el[i].attrs &= ~flag;
	return (1);
bad:
	p->cause = xasprintf("%s: unknown theme key '%s'", p->path, key);
	return (0);
}

/* Where themes live: the environment, the user, the install, the tree. */
static char *
theme_find(const char *name)
{
	char		 exe[PATH_MAX], *dirs[5], *path = NULL, *slash;
	const char	*env, *home;
	ssize_t		 n;
	size_t		 nd = 0, i;

	if ((env = getenv("SUPPORT_INBOX_THEMES")) != NULL && *env != '\0')
		dirs[nd++] = xstrdup(env);
	if ((home = getenv("HOME")) != NULL)
		dirs[nd++] = xasprintf("%s/.config/support-inbox/themes",
		    home);
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		dirs[nd++] = xasprintf("%s/../themes", exe);
		dirs[nd++] = xasprintf("%s/../../themes", exe);
	}
	dirs[nd++] = xstrdup(DATADIR "/themes");
	for (i = 0; i < nd; i++) {
		if (path == NULL) {
			path = xasprintf("%s/%s.theme", dirs[i], name);
			if (access(path, R_OK) != 0) {
				free(path);
				path = NULL;
			}
		}
		free(dirs[i]);
	}
	return (path);
}

/*
 * Builds the theme in a struct of its own and hands it over only once it
 * is whole: a missing or broken file leaves *t as it was, and there is
 * one owner of each name and message at any time.
 */
int
theme_load(struct theme *t, const char *name, char **cause)
{
	struct theme		 nt;
	struct theme_parse	 p;
	const char		*c;
	char			*path;
	int			 rc;

	for (c = name; *c != '\0'; c++) {
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= '0' && *c <= '9') &&
		    *c != '-' && *c != '_') {
			*cause = xasprintf("bad theme name '%.64s' (letters a-z, "
			    "digits, - and _)", name);
			return (-1);
		}
	}
	if (*name == '\0' || strlen(name) > 64) {
		*cause = xasprintf("bad theme name '%.64s'", name);
		return (-1);
	}
	memset(&nt, 0, sizeof nt);
	if ((path = theme_find(name)) == NULL) {
		if (strcmp(name, "default") != 0 && strcmp(name, "mono") != 0) {
			*cause = xasprintf("no theme '%s' (looked for %s.theme "
			    "in $SUPPORT_INBOX_THEMES, "
			    "~/.config/support-inbox/themes and the installed "
			    "themes)", name, name);
			return (-1);
		}
		theme_builtin(&nt, strcmp(name, "mono") == 0);
	} else {
		/* A theme file starts from a clean slate, not the default. */
		theme_builtin(&nt, 1);
		free(nt.name);
		nt.name = xstrdup(name);
		memset(&p, 0, sizeof p);
		p.t = &nt;
		p.path = path;
		rc = ini_parse(path, theme_handler, &p);
		if (p.cause == NULL && rc != 0)
			p.cause = rc < 0 ? xasprintf("cannot read '%s'", path) :
			    xasprintf("%s:%d: syntax error", path, rc);
		free(path);
		if (p.cause != NULL) {
			theme_release(&nt);
			*cause = p.cause;
			return (-1);
		}
	}
	theme_release(t);
	*t = nt;
	return (0);
}

void
theme_release(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}
