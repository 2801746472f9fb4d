/*
 * Pickers: a box over the panes with a filter (assign to, labels,
 * priority, canned replies, templates, the quick switcher), optionally
 * with a preview of the selected item's text. Items rank by how well they
 * match (src/common/match.c: exact, prefix, word start, substring, then
 * any letters in order), ties in the order given (recency for
 * conversations). The quick switch asks the daemon as the filter changes.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"
#include "ui-int.h"
#include "xmalloc.h"

struct ui_pick_rank {
	int	score;
	size_t	idx;
};

/* Best score first; equal scores keep the items' own order. */
static int
ui_picker_cmp(const void *a, const void *b)
{
	const struct ui_pick_rank	*x = a, *y = b;

	if (x->score != y->score)
		return (x->score > y->score ? -1 : 1);
	return (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* The item's score for a folded filter (include/match.h). */
static int
ui_picker_score(json_t *it, const char *q)
{
	const char	*f[8];
	json_t		*fields, *v;
	size_t		 i, n = 0;

	fields = json_object_get(it, "fields");
	json_array_foreach(fields, i, v) {
		if (n < sizeof f / sizeof f[0] && json_is_string(v))
			f[n++] = json_string_value(v);
	}
	if (n == 0)
		f[n++] = ui_jstr(it, "label");
	return (match_score(f, n, q));
}

static void
ui_picker_refilter(struct ui *ui)
{
	struct ui_pick_rank	*r;
	json_t			*it;
	char			 q[sizeof ui->pick.filter];
	size_t			 i, n = 0;

	json_array_clear(ui->pick.shown);
	match_fold(ui->pick.filter, q, sizeof q);
	/* The daemon's answer to this very filter: as it ranked it. */
	if (ui->pick.query != NULL && *ui->pick.filter != '\0' &&
	    strcmp(ui->pick.answered, ui->pick.filter) == 0)
		*q = '\0';
	r = xcalloc(json_array_size(ui->pick.items) + 1, sizeof *r);
	json_array_foreach(ui->pick.items, i, it) {
		r[n].idx = i;
		if ((r[n].score = ui_picker_score(it, q)) > 0)
			n++;
	}
	qsort(r, n, sizeof *r, ui_picker_cmp);
	for (i = 0; i < n; i++)
		json_array_append_new(ui->pick.shown,
		    json_integer((json_int_t)r[i].idx));
	free(r);
	ui->pick.sel = 0;
	ui->pick.top = 0;
	ui->dirty |= UI_D_STATUS;
}

/* Asks for the current filter, unless an answer is still on its way. */
static void
ui_picker_ask(struct ui *ui)
{
	if (ui->pick.query == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ui->pick.t_query);
	if (*ui->pick.filter == '\0') {
		/* Back to what the picker opened with. */
		json_decref(ui->pick.items);
		ui->pick.items = json_incref(ui->pick.base);
		ui->pick.answered[0] = '\0';
		ui->pick.again = 0;
		ui->pick.due = 0;
		return;
	}
	/*
	 * Asked once the keys read together are all in (ui_picker_flush,
	 * before the next wait for input): a name typed or pasted at once
	 * is one query, not one per letter queued behind each other.
	 */
	ui->pick.due = 1;
}

/* The query ui_picker_ask held back, now. */
void
ui_picker_flush(struct ui *ui)
{
	if (!ui->pick.active || !ui->pick.due)
		return;
	ui->pick.due = 0;
	if (ui->pick.query == NULL || *ui->pick.filter == '\0')
		return;
	if (ui->pick.busy) {
		ui->pick.again = 1;
		return;
	}
	ui->pick.busy = 1;
	ui->pick.again = 0;
	ui->pick.query(ui, ui->pick.filter);
}

void
ui_picker_remote(struct ui *ui, ui_pick_query_cb query)
{
	if (!ui->pick.active)
		return;
	ui->pick.query = query;
	ui->pick.base = json_incref(ui->pick.items);
}

/*
 * The daemon's items for filter (NULL: it failed). An answer to a filter
 * typed over since is dropped; the newest filter is asked then.
 */
void
ui_picker_answer(struct ui *ui, const char *filter, json_t *items)
{
	if (!ui->pick.active || ui->pick.query == NULL) {
		json_decref(items);
		return;
	}
	ui->pick.busy = 0;
	if (items != NULL && strcmp(filter, ui->pick.filter) == 0) {
		json_decref(ui->pick.items);
		ui->pick.items = items;
		snprintf(ui->pick.answered, sizeof ui->pick.answered, "%s",
		    filter);
		ui_picker_refilter(ui);
		ui->pick.trace_due = 1;
	} else
		json_decref(items);
	/* Typed over meanwhile: the newest filter goes with the next flush. */
	if (ui->pick.again || strcmp(filter, ui->pick.filter) != 0) {
		ui->pick.again = 0;
		ui->pick.due = 1;
	}
}

void
ui_picker_open(struct ui *ui, const char *title, json_t *items,
    ui_pick_cb cb, json_t *arg, int preview)
{
	int	was = ui->pick.active, dirty = ui->dirty;

	ui_picker_close(ui);
	/*
	 * A box over a screen that has not changed: only the box is drawn
	 * (ui_draw draws it on any change), not the screen beneath again.
	 * One replacing another box may leave the old one's edges: all.
	 */
	if (!was)
		ui->dirty = dirty | UI_D_STATUS;
	ui->pick.active = 1;
	ui->pick.title = xstrdup(title);
	ui->pick.items = items;
	ui->pick.shown = json_array();
	ui->pick.filter[0] = '\0';
	ui->pick.cb = cb;
	ui->pick.arg = arg;
	ui->pick.preview = preview;
	ui_picker_refilter(ui);
}

void
ui_picker_close(struct ui *ui)
{
	free(ui->pick.title);
	json_decref(ui->pick.items);
	json_decref(ui->pick.shown);
	json_decref(ui->pick.arg);
	json_decref(ui->pick.base);
	memset(&ui->pick, 0, sizeof ui->pick);
	ui->dirty = UI_D_ALL;
}

void
ui_picker_draw(struct ui *ui)
{
	json_t	*it;
	char	 line[256];
	int	 w, h, y, x, i, n, rows, a, prev_h, idx;

	w = ui->cols - 4 < 72 ? ui->cols - 4 : 72;
	h = ui->rows - 4 < 22 ? ui->rows - 4 : 22;
	y = (ui->rows - h) / 2;
	x = (ui->cols - w) / 2;
	prev_h = ui->pick.preview ? (h >= 14 ? 5 : 2) : 0;
	rows = h - 3 - (prev_h > 0 ? prev_h + 1 : 0);
	n = (int)json_array_size(ui->pick.shown);
	a = ui_attr(ui, TH_PICKER);
	snprintf(line, sizeof line, "+ %s +", ui->pick.title);
	ui_fill(ui, y, x, w, a | A_REVERSE);
	ui_put(ui, y, x, w, line, a | A_REVERSE);
	ui_fill(ui, y + 1, x, w, a);
	snprintf(line, sizeof line, " filter: %s_   (%d of %zu; Enter picks, "
	    "Esc cancels)", ui->pick.filter, n,
	    json_array_size(ui->pick.items));
	ui_put(ui, y + 1, x, w, line, a);
	if (ui->pick.sel < ui->pick.top)
		ui->pick.top = ui->pick.sel;
	if (ui->pick.sel >= ui->pick.top + rows)
		ui->pick.top = ui->pick.sel - rows + 1;
	for (i = 0; i < rows; i++) {
		idx = ui->pick.top + i;
		ui_fill(ui, y + 2 + i, x, w, a);
		if (idx >= n)
			continue;
		it = json_array_get(ui->pick.items, (size_t)json_integer_value(
		    json_array_get(ui->pick.shown, (size_t)idx)));
		snprintf(line, sizeof line, "%s %s", idx == ui->pick.sel ?
		    ">" : " ", ui_jstr(it, "label"));
		if (idx == ui->pick.sel)
			ui_fill(ui, y + 2 + i, x, w, ui_attr(ui,
			    TH_PICKER_SELECTED));
		ui_put(ui, y + 2 + i, x, w, line, idx == ui->pick.sel ?
		    ui_attr(ui, TH_PICKER_SELECTED) : a);
	}
	if (prev_h > 0) {
		ui_fill(ui, y + 2 + rows, x, w, a | A_REVERSE);
		ui_put(ui, y + 2 + rows, x, w, " preview ", a | A_REVERSE);
		it = n > 0 ? json_array_get(ui->pick.items, (size_t)
		    json_integer_value(json_array_get(ui->pick.shown,
		    (size_t)ui->pick.sel))) : NULL;
		{
			const char	*p = it != NULL ? ui_jstr(it,
					    "preview") : "";
			size_t		 len = strlen(p), fit;

			for (i = 0; i < prev_h; i++) {
				ui_fill(ui, y + 3 + rows + i, x, w, a);
				fit = utf8_fit(p, len, w - 2, NULL);
				if (fit == 0 && len > 0 && *p != '\n')
					break;
				{
					char *part = xstrndup(p, fit);

					ui_put(ui, y + 3 + rows + i, x + 1,
					    w - 2, part, a);
					free(part);
				}
				p += fit;
				len -= fit;
				if (len > 0 && *p == '\n') {
					p++;
					len--;
				}
			}
		}
	}
	ui_fill(ui, y + h - 1, x, w, a | A_REVERSE);
}

int
ui_picker_key(struct ui *ui, const char *key, wint_t ch, int code)
{
	json_t		*it, *arg;
	ui_pick_cb	 cb;
	size_t		 l = strlen(ui->pick.filter);
	int		 n = (int)json_array_size(ui->pick.shown);

	(void)ch; (void)code;
	/*
	 * The box keeps its size whatever it shows, so only it is drawn
	 * again (it is drawn last, on every frame): not the list and the
	 * thread under it, which a key typed into it cannot change.
	 */
	ui->dirty |= UI_D_STATUS;
	if (strcmp(key, "<Esc>") == 0 || strcmp(key, "<C-c>") == 0 ||
	    strcmp(key, "<C-g>") == 0) {
		ui_picker_close(ui);
		return (1);
	}
	if (strcmp(key, "<Down>") == 0 || strcmp(key, "<C-n>") == 0 ||
	    strcmp(key, "<Tab>") == 0 || strcmp(key, "<C-j>") == 0) {
		if (ui->pick.sel + 1 < n)
			ui->pick.sel++;
		return (1);
	}
	if (strcmp(key, "<Up>") == 0 || strcmp(key, "<C-p>") == 0 ||
	    strcmp(key, "<S-Tab>") == 0 || strcmp(key, "<C-k>") == 0) {
		if (ui->pick.sel > 0)
			ui->pick.sel--;
		return (1);
	}
	if (strcmp(key, "<BS>") == 0) {
		while (l > 0 && (ui->pick.filter[l - 1] & 0xc0) == 0x80)
			l--;
		if (l > 0)
			ui->pick.filter[l - 1] = '\0';
		ui_picker_ask(ui);
		ui_picker_refilter(ui);
		return (1);
	}
	if (strcmp(key, "<Enter>") == 0) {
		if (n == 0)
			return (1);
		it = json_incref(json_array_get(ui->pick.items, (size_t)
		    json_integer_value(json_array_get(ui->pick.shown,
		    (size_t)ui->pick.sel))));
		cb = ui->pick.cb;
		arg = json_incref(ui->pick.arg);
		ui_picker_close(ui);
		cb(ui, it, arg);
		json_decref(it);
		json_decref(arg);
		return (1);
	}
	if (strcmp(key, "<Space>") == 0)
		key = " ";
	if (key[0] != '<' || key[1] == '\0') {
		if (l + strlen(key) < sizeof ui->pick.filter) {
			memcpy(ui->pick.filter + l, key, strlen(key) + 1);
			ui_picker_ask(ui);
			ui_picker_refilter(ui);
		}
	}
	return (1);
}
