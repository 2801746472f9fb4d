/*
 * The contact panel ("i" in a thread): what the daemon's contact.show says
 * about the customer of the open conversation, as lines the thread pane
 * puts under its header. Revealing the number ("P") is contact.reveal; both
 * are audited reads and may ask for a purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

static void	ui_panel_request(struct ui *, const char *, const char *);

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

/* The panel's lines: [{"el": theme element, "text"}], for the header. */
json_t *
ui_panel_lines(struct ui *ui, const char *phone)
{
	json_t		*v = ui->th.contact, *out;
	time_t		 created;
	struct tm	*tm;
	char		 since[16], *s;

	created = v != NULL ? (time_t)ui_jint(v, "created") : 0;
	if (created == 0 || (tm = localtime(&created)) == NULL ||
	    strftime(since, sizeof since, "%Y-%m-%d", tm) == 0)
		snprintf(since, sizeof since, "?");
	s = xasprintf("contact %lld: phone %s%s | first seen %s | "
	    "marketing consent %s%s | P: reveal number (audited)",
	    (long long)ui_jint(ui->th.conv, "contact_id"), phone,
	    v != NULL && *ui_jstr(v, "phone") != '\0' ? " (revealed)" :
	    " (masked)", since, v != NULL &&
	    json_is_true(json_object_get(v, "marketing_consent")) ?
	    "yes" : "no", v != NULL && json_is_true(json_object_get(v,
	    "restricted")) ? " | RESTRICTED" : "");
	out = json_pack("[{si ss}]", "el", (int)TH_PANEL, "text", s);
	free(s);
	return (out);
}
