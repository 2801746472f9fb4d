/*
 * The contacts view (:contacts, C): the contacts newest first or found
 * with a search line (/: a name, a number or its last digits, or
 * ATTRIBUTE:VALUE), and one contact shown whole (identifiers masked,
 * language, attributes, consent, conversations); Enter on a conversation
 * opens it in the thread view. It covers the panes like the help screen.
 * Every read goes through the daemon's read gate and audit as the CLI's
 * do (contact.list, contact.search, contact.show); a refusal for want of
 * a purpose asks for one (ui-purpose.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_CONTACTS_PAGE	200

enum ui_contacts_mode { UC_LIST, UC_SHOW };

struct ui_contacts {
	int			 on;
	enum ui_contacts_mode	 mode;
	json_t			*rows;		/* contact.list/search rows */
	int			 sel, top;
	char			*query;		/* the search shown, or NULL */
	int			 loading;
	int64_t			 gen;		/* older answers are ignored */
	json_t			*detail;	/* contact.show */
	int64_t			 detail_id;
	int			 csel;		/* the conversation selected */
	int			 scroll;	/* first detail line shown */
};

static struct ui_contacts *
ui_contacts_get(struct ui *ui)
{
	if (ui->contacts == NULL)
		ui->contacts = xcalloc(1, sizeof *ui->contacts);
	return (ui->contacts);
}

int
ui_contacts_on(struct ui *ui)
{
	return (ui->contacts != NULL && ui->contacts->on);
}

static void
ui_contacts_list_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	(void)code;
	if (json_integer_value(arg) != uc->gen)
		return;
	uc->loading = 0;
	ui->dirty = UI_D_ALL;
	if (res == NULL) {
		ui_status(ui, 1, "contacts: %s", msg);
		return;
	}
	json_decref(uc->rows);
	uc->rows = json_incref(json_object_get(res, "contacts"));
	if (uc->rows == NULL)
		uc->rows = json_array();
	if (uc->sel >= (int)json_array_size(uc->rows))
		uc->sel = (int)json_array_size(uc->rows) - 1;
	if (uc->sel < 0)
		uc->sel = 0;
	if (uc->query != NULL)
		ui_status(ui, 0, "%zu contact(s) found",
		    json_array_size(uc->rows));
}

/* The list again: the search shown, or the newest contacts. */
static void
ui_contacts_fetch(struct ui *ui)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	uc->gen++;
	uc->loading = 1;
	if (uc->query != NULL)
		ui_call(ui, PM_CONTACT_SEARCH, json_pack("{ss si}", "q",
		    uc->query, "limit", 100), ui_contacts_list_cb,
		    json_integer(uc->gen));
	else
		ui_call(ui, PM_CONTACT_LIST, json_pack("{si}", "limit",
		    UI_CONTACTS_PAGE), ui_contacts_list_cb,
		    json_integer(uc->gen));
	ui->dirty = UI_D_ALL;
}

void
ui_contacts_open(struct ui *ui)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	ui_cover_close_all(ui);	/* one view over the panes */
	uc->on = 1;
	uc->mode = UC_LIST;
	/* Opened anew: all contacts, not the search of the last visit. */
	free(uc->query);
	uc->query = NULL;
	uc->sel = uc->top = 0;
	if (ui->focus == UI_COMPOSE)
		ui->focus = UI_THREAD;	/* keys are the view's, not a draft's */
	ui_contacts_fetch(ui);
}

void
ui_contacts_close(struct ui *ui)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	uc->on = 0;
	ui->dirty = UI_D_ALL;
	ui->th.laid = 0;
}

static void
ui_contacts_show_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	(void)code;
	if (json_integer_value(arg) != uc->gen)
		return;
	uc->loading = 0;
	ui->dirty = UI_D_ALL;
	if (res == NULL) {
		ui_status(ui, 1, "contact: %s", msg);
		return;
	}
	json_decref(uc->detail);
	uc->detail = json_incref(res);
	if (uc->mode != UC_SHOW || uc->detail_id != ui_jint(res,
	    "contact_id")) {
		uc->csel = 0;
		uc->scroll = 0;
	}
	uc->detail_id = ui_jint(res, "contact_id");
	uc->mode = UC_SHOW;
	if (uc->csel >= (int)json_array_size(json_object_get(res,
	    "conversations")))
		uc->csel = 0;
}

static void
ui_contacts_show(struct ui *ui, int64_t cid)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);
	char			 spec[32];

	snprintf(spec, sizeof spec, "contact:%lld", (long long)cid);
	uc->gen++;
	uc->loading = 1;
	ui_call(ui, PM_CONTACT_SHOW, json_pack("{ss}", "contact", spec),
	    ui_contacts_show_cb, json_integer(uc->gen));
}

static void
ui_contacts_search_cb(struct ui *ui, const char *text, json_t *arg)
{
	struct ui_contacts	*uc = ui_contacts_get(ui);

	(void)arg;
	while (*text == ' ')
		text++;
	free(uc->query);
	uc->query = *text != '\0' ? xstrdup(text) : NULL;
	uc->sel = uc->top = 0;
	uc->mode = UC_LIST;
	ui_contacts_fetch(ui);
}

/* --- drawing --- */

static void
ui_contacts_draw_list(struct ui *ui, int y0, int h)
{
	struct ui_contacts	*uc = ui->contacts;
	json_t			*r;
	char			*s, when[32];
	int			 i, n, attr, wname;

	n = (int)json_array_size(uc->rows);
	if (uc->sel < uc->top)
		uc->top = uc->sel;
	if (uc->sel >= uc->top + h)
		uc->top = uc->sel - h + 1;
	wname = ui->cols > 80 ? 30 : ui->cols / 3;
	for (i = 0; i < h; i++) {
		attr = ui_attr(ui, uc->top + i == uc->sel ?
		    TH_LIST_SELECTED : TH_LIST);
		if (uc->top + i >= n) {
			ui_fill(ui, y0 + i, 0, ui->cols, ui_attr(ui,
			    TH_NORMAL));
			if (i == 0 && n == 0)
				ui_put(ui, y0, 1, ui->cols - 2, uc->loading ?
				    "loading..." : uc->query != NULL ?
				    "no contact found" : "no contacts yet",
				    ui_attr(ui, TH_HINT));
			continue;
		}
		r = json_array_get(uc->rows, (size_t)uc->top + (size_t)i);
		ui_fill(ui, y0 + i, 0, ui->cols, attr);
		if (uc->top + i == uc->sel)
			ui_put(ui, y0 + i, 0, 1, ">", attr);
		ui_put(ui, y0 + i, 1, wname, ui_jstr(r, "name"), attr);
		if (ui_jint(r, "last_contact") > 0)
			ui_fmt_time(ui_jint(r, "last_contact"), when,
			    sizeof when, 1);
		else
			snprintf(when, sizeof when, "-");
		s = xasprintf("%-20s %3lld conv  %s%s",
		    json_is_string(json_object_get(r, "phone_masked")) ?
		    ui_jstr(r, "phone_masked") : json_is_true(
		    json_object_get(r, "has_bsuid")) ? "(user id only)" : "-",
		    (long long)ui_jint(r, "conversations"), when,
		    json_is_true(json_object_get(r, "restricted")) ?
		    "  restricted" : "");
		ui_put(ui, y0 + i, 2 + wname, ui->cols - wname - 3, s, attr);
		free(s);
	}
}

/* The detail's lines; convs_at gets the line of each conversation. */
static json_t *
ui_contacts_detail_lines(json_t *d, json_t *convs_at)
{
	json_t		*lines = json_array(), *v, *c;
	const char	*k;
	char		*s, when[32], num[64];
	size_t		 i;

	s = xasprintf("%s   contact:%lld%s", ui_jstr(d, "name"),
	    (long long)ui_jint(d, "contact_id"), json_is_true(
	    json_object_get(d, "restricted")) ? "   RESTRICTED" : "");
	json_array_append_new(lines, json_string(s));
	free(s);
	s = xasprintf("  number      %s", json_is_string(json_object_get(d,
	    "phone_masked")) ? ui_jstr(d, "phone_masked") : "-");
	json_array_append_new(lines, json_string(s));
	free(s);
	if (json_is_string(json_object_get(d, "user_id_masked"))) {
		s = xasprintf("  user id     %s", ui_jstr(d,
		    "user_id_masked"));
		json_array_append_new(lines, json_string(s));
		free(s);
	}
	s = xasprintf("  language    %s (%s)", json_is_string(
	    json_object_get(d, "language")) ? ui_jstr(d, "language") : "-",
	    ui_jstr(d, "language_source"));
	json_array_append_new(lines, json_string(s));
	free(s);
	json_array_append_new(lines, json_string("  attributes"));
	if (json_object_size(json_object_get(d, "attributes")) == 0)
		json_array_append_new(lines, json_string("    (none)"));
	json_object_foreach(json_object_get(d, "attributes"), k, v) {
		if (json_is_string(v))
			snprintf(num, sizeof num, "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof num, "%g", json_real_value(v));
		else
			snprintf(num, sizeof num, "%s", json_is_true(v) ?
			    "true" : "false");
		s = xasprintf("    %-18s %s", k, num);
		json_array_append_new(lines, json_string(s));
		free(s);
	}
	json_array_append_new(lines, json_string("  consent"));
	if (json_object_size(json_object_get(d, "consent")) == 0)
		json_array_append_new(lines, json_string("    (none recorded)"));
	json_object_foreach(json_object_get(d, "consent"), k, v) {
		ui_fmt_time(ui_jint(v, "ts"), when, sizeof when, 1);
		/* the privacy notice (issue 16): "notice v3", not an opt-in */
		if (strcmp(k, "informed") == 0)
			s = xasprintf("    %-18s notice v%s  %s  %s", k,
			    ui_jstr(v, "text_version"), when,
			    ui_jstr(v, "source"));
		else
			s = xasprintf("    %-18s %s  %s  %s", k, json_is_true(
			    json_object_get(v, "opt_in")) ? "opted in" :
			    "opted out", when, ui_jstr(v, "source"));
		json_array_append_new(lines, json_string(s));
		free(s);
	}
	json_array_append_new(lines, json_string("  conversations "
	    "(Enter opens one)"));
	if (json_array_size(json_object_get(d, "conversations")) == 0)
		json_array_append_new(lines, json_string("    (none)"));
	json_array_foreach(json_object_get(d, "conversations"), i, c) {
		ui_fmt_time(ui_jint(c, "last_msg_at"), when, sizeof when, 1);
		s = xasprintf("    #%-6lld %-9s %-14s %s  %s",
		    (long long)ui_jint(c, "id"), ui_jstr(c, "state"),
		    *ui_jstr(c, "assignee") != '\0' ? ui_jstr(c, "assignee") :
		    "unassigned", when, json_is_true(json_object_get(c,
		    "preview_withheld")) ? "(preview withheld)" :
		    ui_jstr(c, "preview"));
		json_array_append_new(convs_at, json_integer((json_int_t)
		    json_array_size(lines)));
		json_array_append_new(lines, json_string(s));
		free(s);
	}
	return (lines);
}

static void
ui_contacts_draw_show(struct ui *ui, int y0, int h)
{
	struct ui_contacts	*uc = ui->contacts;
	json_t			*lines, *at;
	int			 i, n, sel_line = -1, attr;

	at = json_array();
	lines = ui_contacts_detail_lines(uc->detail, at);
	n = (int)json_array_size(lines);
	if (json_array_size(at) > 0)
		sel_line = (int)json_integer_value(json_array_get(at,
		    (size_t)uc->csel));
	/* Keep the selected conversation in sight. */
	if (sel_line >= 0 && sel_line >= uc->scroll + h)
		uc->scroll = sel_line - h + 1;
	if (sel_line >= 0 && sel_line < uc->scroll)
		uc->scroll = sel_line;
	for (i = 0; i < h; i++) {
		attr = ui_attr(ui, uc->scroll + i == sel_line ?
		    TH_LIST_SELECTED : uc->scroll + i == 0 ? TH_DAY :
		    TH_NORMAL);
		if (uc->scroll + i < n) {
			ui_cover_line(ui, y0 + i, json_string_value(
			    json_array_get(lines, (size_t)uc->scroll + (size_t)i)),
			    attr);
			if (uc->scroll + i == sel_line)
				ui_put(ui, y0 + i, 0, 1, ">", attr);
		} else
			ui_fill(ui, y0 + i, 0, ui->cols, ui_attr(ui,
			    TH_NORMAL));
	}
	json_decref(at);
	json_decref(lines);
}

void
ui_contacts_draw(struct ui *ui)
{
	struct ui_contacts	*uc = ui->contacts;
	char			*head;
	int			 h = ui->rows - 4;

	if (uc->mode == UC_SHOW && uc->detail != NULL) {
		ui_cover_line(ui, 2, "contact  (j/k conversation, Enter "
		    "opens it, r refresh, q back to the contacts)",
		    ui_attr(ui, TH_HINT));
		ui_contacts_draw_show(ui, 3, h);
		return;
	}
	if (uc->query != NULL)
		head = xasprintf("contacts matching \"%s\"  (/ search, Enter "
		    "shows, r refresh, q all contacts)", uc->query);
	else
		head = xasprintf("contacts, newest first  (/ search, Enter "
		    "shows, r refresh, q closes)");
	ui_cover_line(ui, 2, head, ui_attr(ui, TH_HINT));
	free(head);
	ui_contacts_draw_list(ui, 3, h);
}

/* --- keys --- */

static int
ui_contacts_key_show(struct ui *ui, const char *key)
{
	struct ui_contacts	*uc = ui->contacts;
	json_t			*convs, *c;
	int			 n;

	convs = json_object_get(uc->detail, "conversations");
	n = (int)json_array_size(convs);
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0) {
		if (uc->csel + 1 < n)
			uc->csel++;
	} else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0) {
		if (uc->csel > 0)
			uc->csel--;
	} else if (strcmp(key, "<Enter>") == 0 || strcmp(key, "l") == 0) {
		if ((c = json_array_get(convs, (size_t)uc->csel)) == NULL) {
			ui_status(ui, 0, "this contact has no conversation");
			return (1);
		}
		ui_contacts_close(ui);
		ui_thread_open(ui, ui_jint(c, "id"), 0);
		return (1);
	} else if (strcmp(key, "r") == 0)
		ui_contacts_show(ui, uc->detail_id);
	else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0) {
		uc->mode = UC_LIST;
		ui_contacts_fetch(ui);
	} else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

/*
 * The view's keys while it is up: 1 if taken. ":" (the command line) and
 * "Q" (quit) go on to the usual table; any other key is the view's.
 */
int
ui_contacts_key(struct ui *ui, const char *key)
{
	struct ui_contacts	*uc = ui->contacts;
	json_t			*r;
	int			 n;

	if (!ui_contacts_on(ui) || ui->seq[0] != '\0')
		return (0);
	if (uc->mode == UC_SHOW && uc->detail != NULL)
		return (ui_contacts_key_show(ui, key));
	n = (int)json_array_size(uc->rows);
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0) {
		if (uc->sel + 1 < n)
			uc->sel++;
	} else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0) {
		if (uc->sel > 0)
			uc->sel--;
	} else if (strcmp(key, "<Enter>") == 0 || strcmp(key, "l") == 0) {
		if ((r = json_array_get(uc->rows, (size_t)uc->sel)) != NULL)
			ui_contacts_show(ui, ui_jint(r, "contact_id"));
	} else if (strcmp(key, "/") == 0) {
		ui_prompt_open(ui, "contact search (name, number, "
		    "attribute:value): ", NULL, ui_contacts_search_cb,
		    NULL);
	} else if (strcmp(key, "r") == 0)
		ui_contacts_fetch(ui);
	else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0) {
		if (uc->query != NULL) {
			free(uc->query);
			uc->query = NULL;
			uc->sel = uc->top = 0;
			ui_contacts_fetch(ui);
		} else
			ui_contacts_close(ui);
	} else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

void
ui_contacts_free(struct ui *ui)
{
	struct ui_contacts	*uc = ui->contacts;

	if (uc == NULL)
		return;
	json_decref(uc->rows);
	json_decref(uc->detail);
	free(uc->query);
	free(uc);
	ui->contacts = NULL;
}
