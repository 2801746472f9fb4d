/*
 * Handing a conversation to a colleague (":handover", H) and taking one
 * over as a supervisor (":takeover", T, asked first). The daemon's
 * [assign] handover policy decides whether the colleague gets it at once
 * or is asked; a request waits until they answer with ":accept" or
 * ":decline" (never a prompt that would take the keys of someone typing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

/* The conversation an action is about: the open one, or the list's. */
static int64_t
ui_handover_target(struct ui *ui)
{
	if (ui->focus != UI_LIST && ui->th.id != 0)
		return (ui->th.id);
	if (ui_list_current(ui) != NULL)
		return (ui->list.sel_id);
	return (0);
}

/*
 * The conversation open here went to someone else (handed over, accepted,
 * taken over): back to the list, rather than read it again as someone
 * else's, which would ask for a purpose.
 */
static void
ui_handover_leave(struct ui *ui, int64_t conv)
{
	if (conv == 0 || conv != ui->th.id)
		return;
	ui_thread_close(ui);
	ui_set_focus(ui, UI_LIST);
}

static void
ui_handover_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "handover: %s", msg);
		return;
	}
	if (json_is_true(json_object_get(res, "request")))
		ui_status(ui, 0, "asked %s to take conversation %lld; it stays "
		    "yours until they accept", ui_jstr(res, "to"),
		    (long long)ui_jint(res, "id"));
	else {
		ui_handover_leave(ui, ui_jint(res, "id"));
		ui_status(ui, 0, "conversation %lld handed to %s",
		    (long long)ui_jint(res, "id"), ui_jstr(res, "to"));
	}
}

static void
ui_handover_send(struct ui *ui, int64_t conv, const char *to,
    const char *note)
{
	json_t	*p;

	p = json_pack("{sI ss}", "id", (json_int_t)conv, "to", to);
	if (note != NULL && *note != '\0')
		json_object_set_new(p, "note", json_string(note));
	ui_call(ui, PM_CONV_HANDOVER, p, ui_handover_cb, NULL);
}

static void
ui_handover_note_cb(struct ui *ui, const char *text, json_t *arg)
{
	ui_handover_send(ui, ui_jint(arg, "conversation"), ui_jstr(arg, "to"),
	    text);
}

static void
ui_handover_ask_note(struct ui *ui, int64_t conv, const char *to)
{
	char	*label;

	label = xasprintf("note for %s (optional, Enter to skip): ", to);
	ui_prompt_open(ui, label, NULL, ui_handover_note_cb, json_pack(
	    "{sI ss}", "conversation", (json_int_t)conv, "to", to));
	free(label);
}

static void
ui_handover_pick(struct ui *ui, json_t *item, json_t *arg)
{
	ui_handover_ask_note(ui, ui_jint(arg, "conversation"),
	    ui_jstr(item, "label"));
}

/* ":handover [AGENT [NOTE]]": without an agent, a picker of colleagues. */
void
ui_handover(struct ui *ui, const char *args)
{
	json_t	*items, *v;
	int64_t	 conv = ui_handover_target(ui);
	size_t	 i, n;
	char	 to[64];

	if (conv == 0) {
		ui_status(ui, 0, "no conversation selected");
		return;
	}
	if (args != NULL && *args != '\0') {
		n = strcspn(args, " ");
		if (n >= sizeof to) {
			ui_status(ui, 1, "no such agent");
			return;
		}
		memcpy(to, args, n);
		to[n] = '\0';
		args += n;
		while (*args == ' ')
			args++;
		if (*args != '\0')
			ui_handover_send(ui, conv, to, args);
		else
			ui_handover_ask_note(ui, conv, to);
		return;
	}
	items = json_array();
	json_array_foreach(ui->agents, i, v) {
		if (ui->me == NULL || strcmp(json_string_value(v), ui->me) != 0)
			json_array_append_new(items, json_pack("{sO}", "label",
			    v));
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		ui_status(ui, 0, "no colleague to hand it to");
		return;
	}
	ui_picker_open(ui, "hand over to", items, ui_handover_pick,
	    json_pack("{sI}", "conversation", (json_int_t)conv), 0);
}

static void
ui_handover_answer_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "handover: %s", msg);
		return;
	}
	ui_status(ui, 0, "%s conversation %lld from %s",
	    json_is_true(json_object_get(res, "accepted")) ? "took" :
	    "declined", (long long)ui_jint(res, "id"), ui_jstr(res, "from"));
}

/* Forgets the request for conv; 1 if there was one. */
static int
ui_handover_forget(struct ui *ui, int64_t conv)
{
	json_t	*r;
	size_t	 i;

	json_array_foreach(ui->handovers, i, r) {
		if (ui_jint(r, "conversation") == conv) {
			json_array_remove(ui->handovers, i);
			return (1);
		}
	}
	return (0);
}

/* ":accept [N]" and ":decline [N]": the newest request, or conversation N. */
void
ui_handover_answer(struct ui *ui, const char *args, int accept)
{
	int64_t	 conv = 0;
	char	*end;
	size_t	 n = json_array_size(ui->handovers);

	if (args != NULL && *args != '\0') {
		conv = strtoll(args, &end, 10);
		if (*end != '\0' || conv <= 0) {
			ui_status(ui, 1, "usage: :%s [CONVERSATION]", accept ?
			    "accept" : "decline");
			return;
		}
	} else if (n > 0)
		conv = ui_jint(json_array_get(ui->handovers, n - 1),
		    "conversation");
	if (conv == 0) {
		ui_status(ui, 0, "nobody asked you to take a conversation");
		return;
	}
	ui_handover_forget(ui, conv);
	ui_call(ui, PM_CONV_HANDOVER_ANSWER, json_pack("{sI sb}", "id",
	    (json_int_t)conv, "accept", accept), ui_handover_answer_cb, NULL);
}

static void
ui_handover_pending_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t	*reqs = json_object_get(res, "requests");

	(void)code; (void)msg; (void)arg;
	if (!json_is_array(reqs))
		return;
	json_decref(ui->handovers);
	ui->handovers = json_incref(reqs);
	if (json_array_size(reqs) > 0)
		ui_status(ui, 1, "%zu handover request%s waiting: :accept or "
		    ":decline", json_array_size(reqs), json_array_size(reqs) ==
		    1 ? "" : "s");
}

void
ui_handover_pending(struct ui *ui)
{
	ui_call(ui, PM_CONV_HANDOVERS, NULL, ui_handover_pending_cb, NULL);
}

static void
ui_takeover_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "take over: %s", msg);
		return;
	}
	ui_status(ui, 0, "conversation %lld is yours now (was %s's)",
	    (long long)ui_jint(res, "id"), ui_jstr(res, "from"));
}

static void
ui_takeover_yes(struct ui *ui, const char *text, json_t *arg)
{
	(void)text;
	ui_call(ui, PM_CONV_TAKEOVER, json_pack("{sI sb}", "id",
	    (json_int_t)ui_jint(arg, "conversation"), "takeover", 1),
	    ui_takeover_cb, NULL);
}

/* ":takeover": a supervisor takes the conversation, once confirmed. */
void
ui_takeover(struct ui *ui)
{
	int64_t		 conv = ui_handover_target(ui);
	json_t		*row;
	const char	*who = "";
	char		*q;

	if (conv == 0) {
		ui_status(ui, 0, "no conversation selected");
		return;
	}
	row = conv == ui->th.id && ui->th.conv != NULL ? ui->th.conv :
	    ui_list_find(ui, conv);
	if (row != NULL)
		who = ui_jstr(row, "assignee");
	if (*who == '\0') {
		ui_status(ui, 0, "nobody has conversation %lld: claim it (a)",
		    (long long)conv);
		return;
	}
	q = xasprintf("take conversation %lld over from %s? (y/n) ",
	    (long long)conv, who);
	ui_prompt_yes(ui, q, ui_takeover_yes, json_pack("{sI}",
	    "conversation", (json_int_t)conv));
	free(q);
}

/* Handover events, each to us alone; 1 if ev was one. */
int
ui_handover_event(struct ui *ui, const char *ev, json_t *d)
{
	long long	conv = (long long)ui_jint(d, "conversation");

	if (strcmp(ev, PEV_HANDOVER) == 0) {
		if (json_is_true(json_object_get(d, "request"))) {
			ui_handover_forget(ui, conv);
			if (ui->handovers == NULL)
				ui->handovers = json_array();
			json_array_append_new(ui->handovers, json_pack(
			    "{sI ss}", "conversation", (json_int_t)conv,
			    "from", ui_jstr(d, "from")));
			ui_status(ui, 1, "%s asks you to take conversation "
			    "%lld: :accept or :decline", ui_jstr(d, "from"),
			    conv);
		} else
			ui_status(ui, 1, "%s handed conversation %lld to you",
			    ui_jstr(d, "from"), conv);
		ui_notify(ui, "handover");
	} else if (strcmp(ev, PEV_HANDOVER_ANSWER) == 0) {
		if (json_is_true(json_object_get(d, "accepted")))
			ui_handover_leave(ui, conv);
		ui_status(ui, 1, "%s %s conversation %lld", ui_jstr(d, "by"),
		    json_is_true(json_object_get(d, "accepted")) ? "took" :
		    "declined", conv);
	} else if (strcmp(ev, PEV_TAKEOVER) == 0) {
		ui_handover_leave(ui, conv);
		ui_status(ui, 1, "%s took conversation %lld over",
		    ui_jstr(d, "by"), conv);
		ui_notify(ui, "takeover");
	} else
		return (0);
	ui->dirty |= UI_D_STATUS;
	return (1);
}
