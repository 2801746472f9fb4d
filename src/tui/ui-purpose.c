/*
 * Purpose-bound access (security-privacy.md): the daemon refuses to open
 * another agent's conversation, reveal a number, fetch a file or show a
 * contact without a purpose when the configuration asks for one, with the
 * code "purpose_required". A request refused so is held here while the
 * agent is asked for a purpose (the last one is offered again for the same
 * conversation only), then sent once more with it; the purpose goes into
 * the audit record. Esc gives the refusal to the caller as it was. Never
 * asked while the agent writes, nor for a live refresh (ui-guard.c).
 */
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

static int64_t	ui_purpose_conv(const char *, json_t *);

static void
ui_purpose_refuse(struct ui *ui, struct ui_pending *p)
{
	if (p->cb != NULL)
		p->cb(ui, NULL, PE_PURPOSE_REQUIRED, "not opened: no purpose "
		    "was given", p->arg);
	ui_pending_free(p);
}

static void
ui_purpose_cancel_cb(struct ui *ui, const char *text, json_t *arg)
{
	struct ui_pending	*p = ui->purpose_wait;

	(void)text; (void)arg;
	ui->purpose_wait = NULL;
	if (p != NULL)
		ui_purpose_refuse(ui, p);
}

static void
ui_purpose_cb(struct ui *ui, const char *text, json_t *arg)
{
	struct ui_pending	*p = ui->purpose_wait;
	json_t			*params;

	(void)arg;
	ui->purpose_wait = NULL;
	if (p == NULL)
		return;
	while (*text == ' ')
		text++;
	if (*text == '\0') {
		ui_purpose_refuse(ui, p);
		return;
	}
	free(ui->purpose_last);
	ui->purpose_last = xstrdup(text);
	ui->purpose_conv = ui_purpose_conv(p->method, p->params);
	params = p->params;
	p->params = NULL;
	json_object_set_new(params, "purpose", json_string(text));
	ui_call(ui, p->method, params, p->cb, p->arg);
	p->arg = NULL;		/* ui_call owns it now */
	ui_pending_free(p);
}

/* The conversation a read (conv.show, note.list) is of; or 0. */
static int64_t
ui_purpose_conv(const char *method, json_t *params)
{
	json_t	*v;

	if (strcmp(method, PM_CONV_SHOW) != 0 &&
	    strcmp(method, PM_NOTE_LIST) != 0)
		return (0);
	if ((v = json_object_get(params, "id")) == NULL)
		v = json_object_get(params, "conv");
	return (json_is_integer(v) ? json_integer_value(v) : 0);
}

/*
 * Reading the conversation a purpose was given for again (the thread's
 * refresh, older pages, its notes) goes with the same purpose, so the
 * agent is not asked at every new message; each read is logged with it.
 */
void
ui_purpose_fill(struct ui *ui, const char *method, json_t *params)
{
	if (ui->purpose_conv != 0 && ui->purpose_last != NULL &&
	    json_object_get(params, "purpose") == NULL &&
	    ui_purpose_conv(method, params) == ui->purpose_conv)
		json_object_set_new(params, "purpose",
		    json_string(ui->purpose_last));
}

/*
 * 1 if p is taken care of (the agent asked, or - while writing, or for a
 * live refresh - refused quietly by ui-guard.c: keys typed into a draft go
 * only into it); 0 to refuse it as usual. The last purpose is offered
 * again only for the conversation it was given for: never another
 * customer's.
 */
int
ui_purpose_ask(struct ui *ui, struct ui_pending *p, const char *msg)
{
	int64_t	conv;

	(void)msg;
	if (p->params == NULL || json_object_get(p->params, "purpose") !=
	    NULL || ui->purpose_wait != NULL || ui->pr.active)
		return (0);
	if (ui_guard_no_ask(ui, p))
		return (1);
	conv = ui_purpose_conv(p->method, p->params);
	ui->purpose_wait = p;
	ui_prompt_open(ui, "purpose for looking (it is logged): ",
	    conv != 0 && conv == ui->purpose_conv ? ui->purpose_last : NULL,
	    ui_purpose_cb, NULL);
	ui_prompt_on_cancel(ui, ui_purpose_cancel_cb);
	return (1);
}

/* The connection went: a held request fails like the others. */
void
ui_purpose_fail(struct ui *ui)
{
	struct ui_pending	*p = ui->purpose_wait;

	if (p == NULL)
		return;
	ui->purpose_wait = NULL;
	if (p->cb != NULL)
		p->cb(ui, NULL, "disconnected", "lost the connection to the "
		    "daemon", p->arg);
	ui_pending_free(p);
}
