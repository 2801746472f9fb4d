/*
 * One width function for all terminal text (see utf8.h): columns must
 * agree between the list, the thread and the borders between them, so
 * nothing else may count columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "utf8.h"
#include "xmalloc.h"

#define UTF8_OVERRIDES_MAX	64

struct utf8_override {
	uint32_t	cp;
	int		width;
};

/* Process-wide: set once from the configuration before drawing. */
static struct utf8_override	utf8_overrides[UTF8_OVERRIDES_MAX];
static size_t			utf8_noverrides;

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c, min;
	size_t			 n, i;

	if (len == 0) {
		*cp = 0xfffd;
		return (0);
	}
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; c &= 0x07; min = 0x10000;
	} else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return (n);
bad:
	*cp = 0xfffd;
	return (1);
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char	*u = (unsigned char *)out;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = cp;
		return (1);
	}
	if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		return (2);
	}
	if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		return (3);
	}
	u[0] = 0xf0 | (cp >> 18);
	u[1] = 0x80 | ((cp >> 12) & 0x3f);
	u[2] = 0x80 | ((cp >> 6) & 0x3f);
	u[3] = 0x80 | (cp & 0x3f);
	return (4);
}

static bool
utf8_is_control(uint32_t cp)
{
	return (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f));
}

/*
 * Bidirectional formatting controls (U+061C, U+200E/200F, U+202A-202E,
 * U+2066-2069): a customer's text can reorder what the terminal shows
 * with them, so they are never sent to a terminal (zero width, dropped).
 */
static bool
utf8_is_bidi(uint32_t cp)
{
	return (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

static bool
utf8_is_ri(uint32_t cp)
{
	return (cp >= 0x1f1e6 && cp <= 0x1f1ff);
}

static bool
utf8_is_modifier(uint32_t cp)
{
	return (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

static bool
utf8_is_tag(uint32_t cp)
{
	return (cp >= 0xe0020 && cp <= 0xe007f);
}

/* What curses will count for cp: the plain C library answer. */
static int
utf8_libc_width(uint32_t cp)
{
	return (wcwidth((wchar_t)cp));
}

int
utf8_cp_width(uint32_t cp)
{
	size_t	i;
	int	w;

	for (i = 0; i < utf8_noverrides; i++) {
		if (utf8_overrides[i].cp == cp)
			return (utf8_overrides[i].width);
	}
	/* Printable ASCII, most of what a list shows: what libc would say. */
	if (cp >= 0x20 && cp < 0x7f)
		return (1);
	if (utf8_is_control(cp))
		return (1);
	if (utf8_is_bidi(cp))
		return (0);
	if (cp == 0x200d || cp == 0xfe0f || cp == 0xfe0e || utf8_is_tag(cp))
		return (0);
	if (utf8_is_ri(cp))
		return (1);
	w = utf8_libc_width(cp);
	if (w < 0)
		return (1);
	return (w > 2 ? 2 : w);
}

/* A zero-width code point that attaches to the one before it. */
static bool
utf8_is_extend(uint32_t cp)
{
	if (utf8_is_control(cp) || utf8_is_bidi(cp))
		return (false);
	if (cp == 0xfe0f || cp == 0xfe0e || utf8_is_modifier(cp) ||
	    utf8_is_tag(cp) || cp == 0x200d)
		return (true);
	return (utf8_cp_width(cp) == 0);
}

/*
 * Walks one grapheme; fills the flags the safe form needs. Returns bytes.
 */
struct utf8_g {
	uint32_t	base;
	uint32_t	ri2;		/* second regional indicator, or 0 */
	uint32_t	marks[4];	/* plain combining marks kept */
	size_t		nmarks;
	int		zwj, vs16, vs15, modifier, tags;
	int		width;
};

static size_t
utf8_walk(const char *s, size_t len, struct utf8_g *g)
{
	uint32_t	cp;
	size_t		off, n;

	memset(g, 0, sizeof *g);
	if (len == 0)
		return (0);
	off = utf8_decode(s, len, &g->base);
	g->width = utf8_cp_width(g->base);
	if (utf8_is_control(g->base) || utf8_is_bidi(g->base))
		return (off);
	if (utf8_is_ri(g->base)) {
		if (off < len) {
			n = utf8_decode(s + off, len - off, &cp);
			if (utf8_is_ri(cp)) {
				g->ri2 = cp;
				off += n;
				g->width = 2;
			}
		}
		return (off);
	}
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (!utf8_is_extend(cp))
			break;
		off += n;
		if (cp == 0x200d) {
			g->zwj = 1;
			/* The joined code point belongs to this grapheme. */
			if (off < len) {
				n = utf8_decode(s + off, len - off, &cp);
				if (!utf8_is_control(cp)) {
					off += n;
					continue;
				}
			}
		} else if (cp == 0xfe0f)
			g->vs16 = 1;
		else if (cp == 0xfe0e)
			g->vs15 = 1;
		else if (utf8_is_modifier(cp))
			g->modifier = 1;
		else if (utf8_is_tag(cp))
			g->tags = 1;
		else if (g->nmarks < sizeof g->marks / sizeof g->marks[0])
			g->marks[g->nmarks++] = cp;
	}
	if (g->width > 0 && (g->vs16 || g->zwj || g->modifier || g->tags))
		g->width = 2;
	return (off);
}

size_t
utf8_grapheme(const char *s, size_t len, int *width)
{
	struct utf8_g	g;
	size_t		n;

	n = utf8_walk(s, len, &g);
	*width = g.width;
	return (n);
}

int
utf8_nwidth(const char *s, size_t len)
{
	size_t	off = 0, n;
	int	w, total = 0;

	while (off < len) {
		n = utf8_grapheme(s + off, len - off, &w);
		off += n;
		total += w;
	}
	return (total);
}

int
utf8_width(const char *s)
{
	return (s == NULL ? 0 : utf8_nwidth(s, strlen(s)));
}

size_t
utf8_fit(const char *s, size_t len, int cols, int *used)
{
	size_t	off = 0, n;
	int	w, total = 0;

	while (off < len && s[off] != '\n') {
		n = utf8_grapheme(s + off, len - off, &w);
		if (total + w > cols)
			break;
		off += n;
		total += w;
	}
	if (used != NULL)
		*used = total;
	return (off);
}

static char *
utf8_cut(const char *s, int cols, int ascii, int pad)
{
	const char	*ell = ascii ? "~" : "\xe2\x80\xa6";
	size_t		 len, n;
	int		 used, w;
	char		*out;

	if (s == NULL)
		s = "";
	if (cols < 0)
		cols = 0;
	len = strlen(s);
	w = utf8_nwidth(s, len);
	if (w <= cols && memchr(s, '\n', len) == NULL)
		n = len, used = w;
	else {
		n = utf8_fit(s, len, cols > 0 ? cols - 1 : 0, &used);
		if (cols > 0) {
			out = xmalloc(n + strlen(ell) + (size_t)cols + 2);
			memcpy(out, s, n);
			memcpy(out + n, ell, strlen(ell));
			n += strlen(ell);
			used++;
			goto padding;
		}
	}
	out = xmalloc(n + (size_t)cols + 2);
	memcpy(out, s, n);
padding:
	while (pad && used < cols) {
		out[n++] = ' ';
		used++;
	}
	out[n] = '\0';
	return (out);
}

char *
utf8_pad(const char *s, int cols, int ascii)
{
	return (utf8_cut(s, cols, ascii, 1));
}

char *
utf8_trunc(const char *s, int cols, int ascii)
{
	return (utf8_cut(s, cols, ascii, 0));
}

size_t
utf8_safe_form(const char *g, size_t glen, enum utf8_emoji mode, char *out)
{
	struct utf8_g	u;
	size_t		n = 0, i;
	int		w = 0, lw;

	utf8_walk(g, glen, &u);
	if (utf8_is_control(u.base) || u.width == 0) {
		/* A lone mark or joiner: nothing to attach it to. */
		if (u.width == 0) {
			out[0] = '\0';
			return (0);
		}
		out[0] = '?';
		out[1] = '\0';
		return (1);
	}
	if (mode == UTF8_EMOJI_FULL && glen < UTF8_GRAPHEME_MAX) {
		memcpy(out, g, glen);
		out[glen] = '\0';
		return (glen);
	}
	if (utf8_is_ri(u.base)) {
		lw = utf8_libc_width(u.base) + (u.ri2 != 0 ?
		    utf8_libc_width(u.ri2) : 0);
		if (lw == u.width) {
			n = utf8_encode(u.base, out);
			if (u.ri2 != 0)
				n += utf8_encode(u.ri2, out + n);
		} else {
			/* Shown as the country code: "DE". */
			out[n++] = 'A' + (char)(u.base - 0x1f1e6);
			if (u.ri2 != 0)
				out[n++] = 'A' + (char)(u.ri2 - 0x1f1e6);
		}
		out[n] = '\0';
		return (n);
	}
	lw = utf8_libc_width(u.base);
	if (lw < 0 || lw > u.width) {
		n = utf8_encode(0xfffd, out);
		lw = 1;
	} else
		n = utf8_encode(u.base, out);
	w = lw;
	for (i = 0; i < u.nmarks; i++) {
		if (utf8_libc_width(u.marks[i]) == 0)
			n += utf8_encode(u.marks[i], out + n);
	}
	/* VS16 on a narrow base: two columns on modern terminals, so pad. */
	while (w < u.width && n + 1 < UTF8_GRAPHEME_MAX) {
		out[n++] = ' ';
		w++;
	}
	out[n] = '\0';
	return (n);
}

int
utf8_set_overrides(const char *spec, char **cause)
{
	const char	*p = spec;
	char		*end;
	unsigned long	 cp;
	long		 w;

	utf8_noverrides = 0;
	if (p == NULL)
		return (0);
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (strncasecmp(p, "U+", 2) != 0)
			goto bad;
		cp = strtoul(p + 2, &end, 16);
		if (end == p + 2 || *end != '=' || cp > 0x10ffff)
			goto bad;
		w = strtol(end + 1, &end, 10);
		if (w < 0 || w > 2 || (*end != '\0' && *end != ',' &&
		    *end != ' '))
			goto bad;
		if (utf8_noverrides == UTF8_OVERRIDES_MAX) {
			*cause = xasprintf("at most %d width overrides",
			    UTF8_OVERRIDES_MAX);
			return (-1);
		}
		utf8_overrides[utf8_noverrides].cp = (uint32_t)cp;
		utf8_overrides[utf8_noverrides].width = (int)w;
		utf8_noverrides++;
		p = end;
	}
	return (0);
bad:
	*cause = xasprintf("bad width override near '%.20s'; expected "
	    "U+XXXX=0|1|2", p);
	utf8_noverrides = 0;
	return (-1);
}

void
utf8_clear_overrides(void)
{
	utf8_noverrides = 0;
}

size_t
utf8_clean(const char *s, size_t len, int final, struct buf *out)
{
	uint32_t	cp;
	size_t		off = 0, n, need;
	unsigned char	c;

	while (off < len) {
		c = (unsigned char)s[off];
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			buf_add(out, s + off, 1);
			off++;
			continue;
		}
		if (!final && c >= 0xc2 && c <= 0xf4) {
			/* A sequence cut by the caller's buffer: keep for later. */
			need = c <= 0xdf ? 2 : c <= 0xef ? 3 : 4;
			if (len - off < need) {
				for (n = off + 1; n < len; n++) {
					if (((unsigned char)s[n] & 0xc0) != 0x80)
						break;
				}
				if (n == len)
					break;
			}
		}
		n = utf8_decode(s + off, len - off, &cp);
		off += n;
		if (utf8_is_bidi(cp))
			continue;
		if (utf8_is_control(cp))
			buf_adds(out, "?");
		else if (cp == 0xfffd && n == 1)
			buf_adds(out, "\xef\xbf\xbd");
		else
			buf_add(out, s + off - n, n);
	}
	return (off);
}

bool
utf8_valid(const char *s, size_t len, size_t *bad)
{
	uint32_t	cp;
	size_t		off = 0, n;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		/* A bad sequence reads as U+FFFD for one byte; a real one
		   takes three. */
		if (cp == 0 || (cp == 0xfffd && n != 3)) {
			if (bad != NULL)
				*bad = off;
			return (false);
		}
		off += n;
	}
	return (true);
}

size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}
