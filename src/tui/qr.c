/* QR codes in the terminal, as PNG and as SVG; see qr.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>
#include <qrencode.h>

#include "qr.h"
#include "xmalloc.h"

int
qr_make(const char *text, struct qr *q, char **cause)
{
	QRcode	*c;
	size_t	 i, n;

	memset(q, 0, sizeof *q);
	if ((c = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL) {
		*cause = xasprintf("cannot make a QR code of %zu bytes: %s",
		    strlen(text), errno == ERANGE ? "too long" :
		    strerror(errno));
		return (-1);
	}
	q->version = c->version;
	q->width = c->width;
	n = (size_t)c->width * (size_t)c->width;
	q->dark = xmalloc(n);
	for (i = 0; i < n; i++)
		q->dark[i] = c->data[i] & 1;
	QRcode_free(c);
	return (0);
}

void
qr_free(struct qr *q)
{
	free(q->dark);
	memset(q, 0, sizeof *q);
}

/* Dark at (x, y) of the code with its quiet zone; outside: light. */
static int
qr_at(const struct qr *q, int x, int y)
{
	x -= QR_MARGIN;
	y -= QR_MARGIN;
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return (0);
	return (q->dark[(size_t)y * (size_t)q->width + (size_t)x]);
}

static void
qr_full_lines(const struct qr *q, FILE *f)
{
	int	x, y;

	for (y = 0; y < QR_MARGIN; y += 2) {
		for (x = 0; x < q->width + 2 * QR_MARGIN; x++)
			fputs("\xe2\x96\x88", f);		/* █ */
		fputc('\n', f);
	}
}

void
qr_terminal(const struct qr *q, FILE *f)
{
	int	x, y, top, bottom;

	qr_full_lines(q, f);
	for (y = 0; y < q->width; y += 2) {
		for (x = 0; x < q->width + 2 * QR_MARGIN; x++) {
			top = qr_at(q, x, y + QR_MARGIN);
			bottom = y + 1 < q->width &&
			    qr_at(q, x, y + 1 + QR_MARGIN);
			if (top && bottom)
				fputc(' ', f);
			else if (top)
				fputs("\xe2\x96\x84", f);	/* ▄ */
			else if (bottom)
				fputs("\xe2\x96\x80", f);	/* ▀ */
			else
				fputs("\xe2\x96\x88", f);	/* █ */
		}
		fputc('\n', f);
	}
	qr_full_lines(q, f);
}

/*
 * A temporary file next to path, 0644, for qr_commit: its FILE, or NULL
 * and *cause. tmp gets its name.
 */
static FILE *
qr_open_tmp(const char *path, int force, char **tmp, char **cause)
{
	struct stat	 st;
	FILE		*f;
	int		 fd;

	if (!force && lstat(path, &st) == 0) {
		*cause = xasprintf("'%s' exists; give --force to replace it",
		    path);
		return (NULL);
	}
	*tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(*tmp)) == -1) {
		*cause = xasprintf("cannot create a file next to '%s': %s",
		    path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return (NULL);
	}
	if (fchmod(fd, 0644) != 0 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot create '%s': %s", *tmp,
		    strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return (NULL);
	}
	return (f);
}

/*
 * Closes f (ok: all written) and renames tmp to path: over an existing
 * file only with force (else link(2), which refuses one). 0, or -1 and
 * *cause; tmp is gone and freed either way.
 */
static int
qr_commit(FILE *f, char *tmp, const char *path, int force, int ok,
    char **cause)
{
	int	e = 0, rc = -1;

	if (!ok)
		e = errno != 0 ? errno : EIO;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		e = e != 0 ? e : errno;
	if (fclose(f) != 0)
		e = e != 0 ? e : errno;
	if (e != 0)
		*cause = xasprintf("cannot write '%s': %s", path, strerror(e));
	else if (force && rename(tmp, path) != 0)
		*cause = xasprintf("cannot replace '%s': %s", path,
		    strerror(errno));
	else if (!force && link(tmp, path) != 0)
		*cause = errno == EEXIST ? xasprintf("'%s' exists; give "
		    "--force to replace it", path) : xasprintf("cannot "
		    "create '%s': %s", path, strerror(errno));
	else
		rc = 0;
	if (rc != 0 || !force)
		unlink(tmp);
	free(tmp);
	return (rc);
}

/* libpng's errors end here; its message is kept for the caller. */
static void
qr_png_error(png_structp png, png_const_charp msg)
{
	char	**cause = png_get_error_ptr(png);

	if (*cause == NULL)
		*cause = xstrdup(msg);
	png_longjmp(png, 1);
}

static void
qr_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* The image to f: 1-bit grey, 0 dark. 0, or -1 and *why. */
static int
qr_png_write(const struct qr *q, FILE *f, char **why)
{
	png_structp		 png;
	png_infop		 info = NULL;
	unsigned char		*volatile row = NULL;
	int			 side, x, y, px;
	volatile int		 rc = -1;

	side = (q->width + 2 * QR_MARGIN) * QR_PNG_SCALE;
	if ((png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why,
	    qr_png_error, qr_png_warning)) == NULL ||
	    (info = png_create_info_struct(png)) == NULL) {
		*why = xstrdup("out of memory");
		png_destroy_write_struct(&png, NULL);
		return (-1);
	}
	if (setjmp(png_jmpbuf(png)) != 0)
		goto out;
	row = xmalloc(((size_t)side + 7) / 8);
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < side; y++) {
		memset(row, 0xff, ((size_t)side + 7) / 8);
		for (x = 0; x < side; x++) {
			if (!qr_at(q, x / QR_PNG_SCALE, y / QR_PNG_SCALE))
				continue;
			px = x;
			row[px / 8] &= (unsigned char)~(0x80 >> (px % 8));
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	rc = 0;
out:
	free(row);
	png_destroy_write_struct(&png, &info);
	return (rc);
}

int
qr_png(const struct qr *q, const char *path, int force, char **cause)
{
	FILE	*f;
	char	*tmp, *why = NULL;
	int	 ok;

	if ((f = qr_open_tmp(path, force, &tmp, cause)) == NULL)
		return (-1);
	errno = 0;
	ok = qr_png_write(q, f, &why) == 0;
	if (!ok) {
		fclose(f);
		unlink(tmp);
		free(tmp);
		*cause = xasprintf("cannot write '%s': %s", path,
		    why != NULL ? why : "libpng failed");
		free(why);
		return (-1);
	}
	return (qr_commit(f, tmp, path, force, !ferror(f), cause));
}

int
qr_svg(const struct qr *q, const char *path, int force, char **cause)
{
	FILE	*f;
	char	*tmp;
	int	 side, x, y, run;

	if ((f = qr_open_tmp(path, force, &tmp, cause)) == NULL)
		return (-1);
	side = q->width + 2 * QR_MARGIN;
	errno = 0;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\">\n"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
	    "<path fill=\"#000000\" d=\"", side, side, side * QR_PNG_SCALE,
	    side * QR_PNG_SCALE, side, side);
	/* One rectangle per run of dark modules in a row. */
	for (y = 0; y < side; y++) {
		for (x = 0; x < side; x += run) {
			for (run = 0; x + run < side && qr_at(q, x + run, y);
			    run++)
				;
			if (run == 0) {
				run = 1;
				continue;
			}
			fprintf(f, "M%d %dh%dv1h-%dz", x, y, run, run);
		}
	}
	fprintf(f, "\"/>\n</svg>\n");
	return (qr_commit(f, tmp, path, force, !ferror(f), cause));
}
