/*
 * The views that cover the panes (:contacts, :campaigns, :floor, :report):
 * one at a time, drawn and given keys through this one table, so ui.c and
 * each view know nothing of the others. Also the drawing pieces they share: a
 * full-width line and a list of text lines built with printf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ui-int.h"

struct ui_cover {
	int	(*on)(struct ui *);
	void	(*close)(struct ui *);
	void	(*draw)(struct ui *);
	int	(*key)(struct ui *, const char *);
};

static const struct ui_cover ui_cover_table[] = {
	{ ui_contacts_on, ui_contacts_close, ui_contacts_draw,
	    ui_contacts_key },
	{ ui_campaign_on, ui_campaign_close, ui_campaign_draw,
	    ui_campaign_key },
	{ ui_floor_on, ui_floor_close, ui_floor_draw, ui_floor_key },
	{ ui_report_on, ui_report_close, ui_report_draw, ui_report_key },
};
#define UI_COVERS	(sizeof ui_cover_table / sizeof ui_cover_table[0])

static const struct ui_cover *
ui_cover_current(struct ui *ui)
{
	size_t	i;

	for (i = 0; i < UI_COVERS; i++)
		if (ui_cover_table[i].on(ui))
			return (&ui_cover_table[i]);
	return (NULL);
}

int
ui_cover_on(struct ui *ui)
{
	return (ui_cover_current(ui) != NULL);
}

void
ui_cover_close_all(struct ui *ui)
{
	size_t	i;

	for (i = 0; i < UI_COVERS; i++)
		if (ui_cover_table[i].on(ui))
			ui_cover_table[i].close(ui);
}

void
ui_cover_draw(struct ui *ui)
{
	const struct ui_cover	*v = ui_cover_current(ui);

	if (v != NULL)
		v->draw(ui);
}

int
ui_cover_key(struct ui *ui, const char *key)
{
	const struct ui_cover	*v = ui_cover_current(ui);

	return (v != NULL && v->key(ui, key));
}

void
ui_cover_line(struct ui *ui, int y, const char *text, int attr)
{
	ui_fill(ui, y, 0, ui->cols, attr);
	ui_put(ui, y, 1, ui->cols - 2, text, attr);
}

void
ui_cover_add(json_t *lines, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	json_array_append_new(lines, json_string(s != NULL ? s : ""));
	free(s);
}

void
ui_cover_lines(struct ui *ui, int y0, int h, json_t *lines, int *scroll)
{
	int	i, n = (int)json_array_size(lines);

	if (*scroll > n - h)
		*scroll = n - h;
	if (*scroll < 0)
		*scroll = 0;
	for (i = 0; i < h; i++) {
		if (*scroll + i < n)
			ui_cover_line(ui, y0 + i, json_string_value(
			    json_array_get(lines, (size_t)*scroll + (size_t)i)),
			    ui_attr(ui, *scroll + i == 0 ? TH_DAY : TH_NORMAL));
		else
			ui_fill(ui, y0 + i, 0, ui->cols, ui_attr(ui,
			    TH_NORMAL));
	}
}
