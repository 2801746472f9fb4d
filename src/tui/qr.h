/*
 * QR codes of a text (issue 17: the click-to-chat opt-in link), drawn by
 * libqrencode at error correction level M (a printed code stays readable
 * with some damage), 8-bit mode: in the terminal with Unicode half blocks
 * (qrencode -t UTF8's look: light blocks around dark modules, a quiet
 * zone of QR_MARGIN modules), or written to a PNG (libpng) or SVG file.
 * A file is written next to its name and renamed into place (0644); an
 * existing file is refused unless force is set.
 */
#ifndef QR_H
#define QR_H

#include <stdio.h>

#define QR_MARGIN	4	/* the quiet zone the standard asks for */
#define QR_PNG_SCALE	8	/* pixels per module */

struct qr {
	int		 version;	/* 1-40 */
	int		 width;		/* modules per side */
	unsigned char	*dark;		/* width * width, 1: dark */
};

/* 0 and *q (qr_free it), or -1 and *cause (allocated). */
int	qr_make(const char *text, struct qr *q, char **cause);
void	qr_free(struct qr *);
/* Half blocks, two rows of modules a line, as qrencode -t UTF8 draws. */
void	qr_terminal(const struct qr *, FILE *);
/* 0, or -1 and *cause (allocated). */
int	qr_png(const struct qr *, const char *path, int force, char **cause);
int	qr_svg(const struct qr *, const char *path, int force, char **cause);

#endif
