/*
 * Colour themes: INI files themes/NAME.theme with "element.fg = colour",
 * "element.bg", "element.bold = true" (also dim, underline, reverse) in
 * [ui]. Colours: default, the 8 names, bright_NAME, colorN or #rrggbb
 * (mapped down to what the terminal has). NO_COLOR selects "mono".
 */
#ifndef THEME_H
#define THEME_H

enum theme_el {
	TH_NORMAL, TH_TOP, TH_TOP_ALARM, TH_TABS, TH_TAB_ACTIVE, TH_BORDER,
	TH_LIST, TH_LIST_UNREAD, TH_LIST_SELECTED, TH_LIST_MARKED,
	TH_LIST_PREVIEW, TH_LIST_META, TH_PRESENCE, TH_WINDOW_WARN,
	TH_DAY, TH_READMARKER, TH_IN, TH_OUT, TH_NOTE, TH_FAILED, TH_QUOTE,
	TH_MSG_SELECTED, TH_MEDIA, TH_PANEL, TH_COMPOSE, TH_COMPOSE_TEMPLATE,
	TH_STATUS, TH_STATUS_ERROR, TH_HINT, TH_PICKER, TH_PICKER_SELECTED,
	TH_COUNT
};

struct theme_style {
	short	fg, bg;		/* -1: terminal default; else 0..255 */
	int	attrs;		/* THEME_A_* */
};

#define THEME_A_BOLD		0x01
#define THEME_A_DIM		0x02
#define THEME_A_UNDERLINE	0x04
#define THEME_A_REVERSE		0x08
#define THEME_A_ITALIC		0x10

struct theme {
	char			*name;
	struct theme_style	 el[TH_COUNT];
};

/* The built-in default (used when no file is found) or mono. */
void		 theme_builtin(struct theme *, int mono);
/*
 * Loads NAME from the first theme directory holding NAME.theme (or the
 * built-in default or mono if no file has that name) and replaces *t with
 * it. Returns 0, or -1 with *cause allocated and *t left as it was.
 */
int		 theme_load(struct theme *, const char *name, char **cause);
/* The nearest of ncolors (8, 16 or 256) to an xterm-256 index. */
int		 theme_reduce(int color, int ncolors);
void		 theme_release(struct theme *);

#endif
