/*
 * N: a new conversation (conv.start). A picker like the quick switch: the
 * agent types a number the way the customer gave it ("0151 2345678") and
 * its first row is that number normalised and grouped (src/common/phone.c
 * with [contacts] default_country, as the daemon will read it), or types a
 * name or the last digits to pick a known contact. Then the template
 * picker, the parameter prompts and the preview of a reply with a template
 * (ui-compose.c), and once the daemon answers the new conversation opens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"
#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

/* The picker row for a filter that is a phone number, or NULL. */
static json_t *
ui_start_number(struct ui *ui, const char *filter)
{
	const char	*why;
	char		 e164[PHONE_E164_MAX + 1], grouped[32], *label;
	json_t		*it;

	if (phone_normalise(filter, ui->conf.default_country, e164,
	    sizeof e164, &why) != 0 ||
	    phone_group(e164, grouped, sizeof grouped) != 0)
		return (NULL);
	label = xasprintf("write to %s", grouped);
	/* Matched by what was typed, so it stays on top while typed. */
	it = json_pack("{ss ss ss ss s[s]}", "label", label, "e164", e164,
	    "to", grouped, "preview", "a number typed: a known customer's "
	    "conversation, or a new contact", "fields", filter);
	free(label);
	return (it);
}

/* A known contact, from a row of the list or of conv.find. */
static json_t *
ui_start_contact(json_t *r)
{
	json_t	*it;
	char	*label;

	label = xasprintf("%s  #%lld  %s", ui_jstr(r, "name"),
	    (long long)ui_jint(r, "id"), ui_jstr(r, "state"));
	it = json_pack("{ss sI ss ss s[s]}", "label", label, "contact",
	    (json_int_t)ui_jint(r, "contact_id"), "to", ui_jstr(r, "name"),
	    "preview", ui_jstr(r, "preview"), "fields", ui_jstr(r, "name"));
	free(label);
	return (it);
}

static void
ui_start_found(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t		*items = json_array(), *r, *n;
	const char	*q = ui_jstr(arg, "q");
	size_t		 i;

	(void)code;
	if ((n = ui_start_number(ui, q)) != NULL)
		json_array_append_new(items, n);
	if (res == NULL && n == NULL)
		ui_status(ui, 1, "new conversation: %s", msg);
	json_array_foreach(json_object_get(res, "rows"), i, r) {
		if (ui_jint(r, "contact_id") > 0)
			json_array_append_new(items, ui_start_contact(r));
	}
	ui_picker_answer(ui, q, items);
}

/*
 * The daemon is asked for names and number endings (conv.find) as in the
 * quick switch; a typed number is a row of its own whatever it finds.
 */
static void
ui_start_query(struct ui *ui, const char *filter)
{
	const char	*p;
	size_t		 digits = 0, other = 0;
	json_t		*items;

	for (p = filter; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (strchr(" +-./()", *p) == NULL)
			other++;
	}
	if (other == 0 && digits < 4) {
		items = json_array();
		ui_picker_answer(ui, filter, items);
		return;
	}
	ui_call(ui, PM_CONV_FIND, json_pack("{ss si}", "q", filter, "limit",
	    50), ui_start_found, json_pack("{ss}", "q", filter));
}

/* The number label of a number:LABEL view, when there are several. */
static const char *
ui_start_from(struct ui *ui)
{
	if (!ui_numbers_many(ui) || ui->list.custom == NULL ||
	    strncmp(ui->list.custom, "number:", 7) != 0 ||
	    ui->list.custom[7] == '\0')
		return (NULL);
	return (ui->list.custom + 7);
}

static void
ui_start_picked(struct ui *ui, json_t *item, json_t *arg)
{
	const char	*from;
	json_t		*params;

	(void)arg;
	if (*ui_jstr(item, "e164") != '\0')
		params = json_pack("{ss}", "number", ui_jstr(item, "e164"));
	else if (ui_jint(item, "contact") > 0)
		params = json_pack("{sI}", "contact",
		    (json_int_t)ui_jint(item, "contact"));
	else
		return;
	/*
	 * Several business numbers: the one the list is narrowed to
	 * (:view number:LABEL) is the one written from; else the daemon's
	 * first. Its WABA's templates are the ones that may go.
	 */
	if ((from = ui_start_from(ui)) != NULL) {
		json_object_set_new(params, "from", json_string(from));
		ui_status(ui, 0, "new conversation with %s from %s: pick a "
		    "template of its WABA", ui_jstr(item, "to"), from);
	} else
		ui_status(ui, 0, "new conversation with %s: pick a template",
		    ui_jstr(item, "to"));
	ui_compose_template_start(ui, json_pack("{ss so}", "to",
	    ui_jstr(item, "to"), "params", params));
}

void
ui_start_open(struct ui *ui)
{
	json_t	*items = json_array(), *r;
	size_t	 i;

	/* Until the agent types: the contacts of this tab's rows. */
	json_array_foreach(ui->list.rows, i, r) {
		if (ui_jint(r, "contact_id") > 0)
			json_array_append_new(items, ui_start_contact(r));
	}
	ui_picker_open(ui, "new conversation: type a number, or a name",
	    items, ui_start_picked, NULL, 1);
	ui_picker_remote(ui, ui_start_query);
}

void
ui_start_sent(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	int64_t	conv;

	(void)code;
	if (res == NULL) {
		/* A header file the daemon did not take: drop it now. */
		if (ui_jint(arg, "upload") != 0)
			ui_call(ui, PM_UPLOAD_ABORT, json_pack("{sI}", "upload",
			    (json_int_t)ui_jint(arg, "upload")), NULL, NULL);
		ui_status(ui, 1, "not started: %s", msg);
		ui->dirty |= UI_D_ALL;
		return;
	}
	conv = ui_jint(res, "conversation");
	ui_status(ui, 0, "conversation %lld started: the template is queued",
	    (long long)conv);
	ui_list_fetch(ui, 0);
	ui->th.follow = 1;
	ui_thread_open(ui, conv, 0);
	ui_set_focus(ui, UI_THREAD);
	ui->dirty |= UI_D_ALL;
}
