/*
 * The contact panel ("i" in a thread): what the daemon's contact.show says
 * about the customer of the open conversation (their other conversations,
 * labels, notes, consent, first and last contact, language), as lines the
 * thread pane puts under its header, with a cursor over the conversations.
 * Revealing the number ("P") is contact.reveal; both are audited reads and
 * may ask for a purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

static void	ui_panel_request(struct ui *, const char *, const char *);
static json_t	*ui_panel_convs(struct ui *);

/* The cursor starts on the conversation open now. */
static void
ui_panel_home(struct ui *ui)
{
	json_t	*c;
	size_t	 i;

	ui->panel_sel = 0;
	json_array_foreach(ui_panel_convs(ui), i, c) {
		if (ui_jint(c, "id") == ui->th.id)
			ui->panel_sel = (int)i;
	}
}

static void
ui_panel_purpose_cb(struct ui *ui, const char *text, json_t *arg)
{
	if (*text == '\0')
		return;
	ui_panel_request(ui, ui_jstr(arg, "method"), text);
}

static void
ui_panel_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*merged;

	if (ui_jint(arg, "id") != ui->th.id)
		return;
	if (res == NULL) {
		if (strcmp(code, PE_PURPOSE_REQUIRED) == 0) {
			ui_prompt_open(ui, "purpose (logged): ", NULL,
			    ui_panel_purpose_cb, json_pack("{ss}", "method",
			    ui_jstr(arg, "method")));
			return;
		}
		ui_status(ui, 1, "contact: %s", msg);
		return;
	}
	merged = ui->th.contact != NULL ? json_deep_copy(ui->th.contact) :
	    json_object();
	json_object_update(merged, res);
	json_decref(ui->th.contact);
	ui->th.contact = merged;
	if (strcmp(ui_jstr(arg, "method"), PM_CONTACT_SHOW) == 0)
		ui_panel_home(ui);
	if (strcmp(ui_jstr(arg, "method"), PM_CONTACT_REVEAL) == 0)
		ui_status(ui, 0, "number revealed; this was logged");
	ui->th.laid = 0;
	ui->dirty |= UI_D_THREAD;
}

static void
ui_panel_request(struct ui *ui, const char *method, const char *purpose)
{
	json_t	*p;

	p = json_pack("{sI}", "conversation", (json_int_t)ui->th.id);
	if (purpose != NULL)
		json_object_set_new(p, "purpose", json_string(purpose));
	ui_call(ui, method, p, ui_panel_cb, json_pack("{sI ss}", "id",
	    (json_int_t)ui->th.id, "method", method));
}

void
ui_panel_toggle(struct ui *ui)
{
	if (ui->th.id == 0) {
		ui_status(ui, 0, "open a conversation first");
		return;
	}
	ui->th.panel = !ui->th.panel;
	ui_panel_home(ui);
	if (ui->th.panel && ui->th.contact == NULL)
		ui_panel_request(ui, PM_CONTACT_SHOW, NULL);
	ui->th.laid = 0;
	ui->dirty |= UI_D_THREAD;
}

void
ui_panel_reveal(struct ui *ui)
{
	if (ui->th.id == 0)
		return;
	ui->th.panel = 1;
	ui_panel_request(ui, PM_CONTACT_REVEAL, NULL);
}

static void
ui_panel_add(json_t *out, enum theme_el el, const char *text)
{
	json_array_append_new(out, json_pack("{si ss}", "el", (int)el, "text",
	    text));
}

static void
ui_panel_date(int64_t ts, char *buf, size_t len)
{
	time_t		 t = (time_t)ts;
	struct tm	*tm;

	if (ts <= 0 || (tm = localtime(&t)) == NULL ||
	    strftime(buf, len, "%Y-%m-%d", tm) == 0)
		snprintf(buf, len, "?");
}

/* "marketing yes (2026-11-02, keyword)" per purpose, or "none recorded". */
static char *
ui_panel_consent(json_t *v)
{
	json_t		*c = json_object_get(v, "consent"), *r;
	const char	*purpose;
	char		*s = NULL, *t, day[16];

	json_object_foreach(c, purpose, r) {
		ui_panel_date(ui_jint(r, "ts"), day, sizeof day);
		t = xasprintf("%s%s%s %s (%s, %s)", s != NULL ? s : "",
		    s != NULL ? ", " : "", purpose, json_is_true(
		    json_object_get(r, "opt_in")) ? "yes" : "no", day,
		    ui_jstr(r, "source"));
		free(s);
		s = t;
	}
	return (s != NULL ? s : xstrdup("none recorded"));
}

/*
 * The contact's attributes (customer number, plan, ...: attribute define),
 * as contact.show gives them; nothing is shown until there are some.
 */
static void
ui_panel_attributes(json_t *v, json_t *out)
{
	json_t		*attrs = json_object_get(v, "attributes"), *a;
	const char	*k;
	char		*s;

	/* contact.show types whole numbers and bools; the rest is text. */
	json_object_foreach(attrs, k, a) {
		if (json_is_integer(a))
			s = xasprintf("%s: %lld", k,
			    (long long)json_integer_value(a));
		else if (json_is_boolean(a))
			s = xasprintf("%s: %s", k, json_is_true(a) ? "yes" :
			    "no");
		else if (json_is_string(a))
			s = xasprintf("%s: %s", k, json_string_value(a));
		else
			continue;
		ui_panel_add(out, TH_PANEL, s);
		free(s);
	}
}

/* The panel's cursor: an index into the contact's conversations. */
static json_t *
ui_panel_convs(struct ui *ui)
{
	return (json_object_get(ui->th.contact, "conversations"));
}

#define UI_PANEL_CONVS	5	/* conversations shown at once */

static void
ui_panel_conv_lines(struct ui *ui, json_t *out)
{
	json_t		*convs = ui_panel_convs(ui), *c, *l;
	size_t		 i, j, n = json_array_size(convs);
	int		 first;
	char		*s, *labels, *t, day[16];

	if (n == 0)
		return;
	if (ui->panel_sel >= (int)n)
		ui->panel_sel = (int)n - 1;
	if (ui->panel_sel < 0)
		ui->panel_sel = 0;
	first = ui->panel_sel - UI_PANEL_CONVS / 2;
	if (first > (int)n - UI_PANEL_CONVS)
		first = (int)n - UI_PANEL_CONVS;
	if (first < 0)
		first = 0;
	s = xasprintf("conversations (%zu; j/k, Enter opens, i closes):", n);
	ui_panel_add(out, TH_PANEL, s);
	free(s);
	for (i = (size_t)first; i < n && i < (size_t)first + UI_PANEL_CONVS;
	    i++) {
		c = json_array_get(convs, i);
		labels = xstrdup("");
		json_array_foreach(json_object_get(c, "labels"), j, l) {
			t = xasprintf("%s #%s", labels, json_string_value(l));
			free(labels);
			labels = t;
		}
		ui_panel_date(ui_jint(c, "created"), day, sizeof day);
		s = xasprintf("%s #%lld %s %s [%s] %s |%s notes %lld",
		    (int)i == ui->panel_sel ? ">" : " ",
		    (long long)ui_jint(c, "id"), day, ui_jstr(c, "state"),
		    *ui_jstr(c, "assignee") != '\0' ? ui_jstr(c, "assignee") :
		    "unassigned", ui_jint(c, "id") == ui->th.id ?
		    "(this one)" : json_is_true(json_object_get(c,
		    "preview_withheld")) ? "(not yours: purpose needed)" :
		    ui_jstr(c, "preview"), labels,
		    (long long)ui_jint(c, "notes"));
		/* One line each, so the cursor moves by one line. */
		t = utf8_trunc(s, ui->th.width - 2, ui->ascii);
		ui_panel_add(out, (int)i == ui->panel_sel ? TH_LIST_SELECTED :
		    TH_PANEL, t);
		free(t);
		free(s);
		free(labels);
	}
}

/* The panel's lines: [{"el": theme element, "text"}], for the header. */
json_t *
ui_panel_lines(struct ui *ui, const char *phone)
{
	json_t		*v = ui->th.contact, *out, *l;
	char		 since[16], first[16], last[16], *s, *consent;
	char		*labels, *t;
	size_t		 i;

	out = json_array();
	ui_panel_date(v != NULL ? ui_jint(v, "created") : 0, since,
	    sizeof since);
	s = xasprintf("contact %lld: phone %s%s | first seen %s | "
	    "marketing consent %s%s | P: reveal number (audited)",
	    (long long)ui_jint(ui->th.conv, "contact_id"), phone,
	    v != NULL && *ui_jstr(v, "phone") != '\0' ? " (revealed)" :
	    " (masked)", since, v != NULL &&
	    json_is_true(json_object_get(v, "marketing_consent")) ?
	    "yes" : "no", v != NULL && json_is_true(json_object_get(v,
	    "restricted")) ? " | RESTRICTED" : "");
	ui_panel_add(out, TH_PANEL, s);
	free(s);
	if (v == NULL || json_object_get(v, "conversations") == NULL)
		return (out);
	ui_panel_date(ui_jint(v, "first_contact"), first, sizeof first);
	ui_panel_date(ui_jint(v, "last_contact"), last, sizeof last);
	consent = ui_panel_consent(v);
	labels = xstrdup("");
	json_array_foreach(json_object_get(v, "labels"), i, l) {
		t = xasprintf("%s #%s", labels, json_string_value(l));
		free(labels);
		labels = t;
	}
	s = xasprintf("first contact %s | last contact %s | notes %lld | "
	    "labels%s", first, last, (long long)ui_jint(v, "notes"),
	    *labels != '\0' ? labels : " none");
	ui_panel_add(out, TH_PANEL, s);
	free(s);
	/* The Cloud API sends no language: known only from templates. */
	s = xasprintf("language %s | consent: %s",
	    json_is_string(json_object_get(v, "language")) ?
	    ui_jstr(v, "language") : "unknown (WhatsApp does not say)",
	    consent);
	ui_panel_add(out, TH_PANEL, s);
	free(s);
	free(labels);
	free(consent);
	ui_panel_attributes(v, out);
	ui_panel_conv_lines(ui, out);
	return (out);
}

/*
 * Keys while the panel is open in the thread: j/k move its cursor over
 * the contact's conversations, Enter opens one, Esc closes. 1 if used.
 */
int
ui_panel_key(struct ui *ui, const char *key)
{
	json_t	*c;
	int	 n = (int)json_array_size(ui_panel_convs(ui));

	if (!ui->th.panel || ui->focus != UI_THREAD || ui->seq[0] != '\0')
		return (0);
	if (strcmp(key, "<Esc>") == 0) {
		ui_panel_toggle(ui);
		return (1);
	}
	if (n == 0)
		return (0);
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0 ||
	    strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0) {
		ui->panel_sel += key[0] == 'j' || key[1] == 'D' ? 1 : -1;
		if (ui->panel_sel >= n)
			ui->panel_sel = n - 1;
		if (ui->panel_sel < 0)
			ui->panel_sel = 0;
		ui->th.laid = 0;
		ui->dirty |= UI_D_THREAD;
		return (1);
	}
	if (strcmp(key, "<Enter>") == 0) {
		c = json_array_get(ui_panel_convs(ui), (size_t)ui->panel_sel);
		if (ui_jint(c, "id") == ui->th.id)
			ui_status(ui, 0, "this is the conversation open now");
		else
			ui_thread_open(ui, ui_jint(c, "id"), 0);
		return (1);
	}
	return (0);
}
